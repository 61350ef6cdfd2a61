//! Tests of rotating credentials.

use serde_json::{Value, json};

use super::*;
use crate::credential::{CredentialState, state_from};
use crate::names::{MANAGED_BY, MANAGED_BY_LABEL};

fn state(generation: u64, secrets: &[(&str, bool)]) -> CredentialState {
    let sa = json!({"metadata": {"annotations": {
        "federation.kubectl-federate.io/token-mode": "secret",
        "federation.kubectl-federate.io/token-generation": generation.to_string()
    }}});
    let metas: Vec<(String, Value)> = secrets
        .iter()
        .map(|(n, token)| {
            let mut meta = json!({"labels": {MANAGED_BY_LABEL: MANAGED_BY}});
            if *token {
                meta["annotations"] = json!({"kubernetes.io/service-account.name": "x"});
            }
            ((*n).to_string(), meta)
        })
        .collect();
    state_from(Some(&sa), &metas)
}

#[test]
fn a_clean_state_starts_a_new_generation_an_unfinished_one_is_finished() {
    let g0 = "tigera-federation-remote-cluster";
    let g1 = "tigera-federation-remote-cluster-token-1";
    assert_eq!(target_generation(&state(0, &[(g0, true)]), TokenMode::Secret), (1, true));
    assert_eq!(target_generation(&state(1, &[(g0, true), (g1, true)]), TokenMode::Secret), (1, false));
    assert_eq!(target_generation(&state(1, &[(g1, true)]), TokenMode::Secret), (2, true));
    // The current generation's Secret is gone: start afresh above everything seen.
    assert_eq!(target_generation(&state(1, &[(g0, true)]), TokenMode::Secret), (2, true));
    // A request-mode rotation cannot finish on a token Secret.
    let req = TokenMode::Request { ttl: Duration::from_secs(3600) };
    assert_eq!(target_generation(&state(1, &[(g0, true), (g1, true)]), req), (2, true));
}

#[test]
fn nothing_is_revoked_while_a_user_may_hold_an_older_generation() {
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_string()).collect::<Vec<_>>();
    assert_eq!(may_revoke(&s(&["a", "b"]), &s(&["a", "b"]), &[]), Ok(()));
    assert_eq!(may_revoke(&[], &s(&["a"]), &[]), Ok(()));
    let failed = may_revoke(&s(&["a", "b"]), &s(&["a", "b"]), &s(&["cluster-b"])).expect_err("kept");
    assert!(failed.contains("cluster-b"), "{failed}");
    let unlisted = may_revoke(&s(&["a", "b", "x"]), &s(&["a", "b"]), &[]).expect_err("kept");
    assert_eq!(unlisted, "x also uses this remote but is not listed; list it too");
}

use serde_json::json;

use super::*;

const HOUR: Duration = Duration::from_secs(3600);

fn token_secret(name: &str) -> (String, Value) {
    (
        name.into(),
        json!({"labels": {MANAGED_BY_LABEL: MANAGED_BY}, "annotations": {SERVICE_ACCOUNT_NAME_ANNOTATION: FEDERATION_REMOTE}}),
    )
}

fn anchor(name: &str) -> (String, Value) {
    (name.into(), json!({"labels": {MANAGED_BY_LABEL: MANAGED_BY}}))
}

fn sa(annotations: Value) -> Value {
    json!({"metadata": {"name": FEDERATION_REMOTE, "annotations": annotations}})
}

#[test]
fn generation_names_round_trip_and_strangers_are_not_generations() {
    assert_eq!(generation_secret_name(0), "tigera-federation-remote-cluster");
    assert_eq!(generation_secret_name(7), "tigera-federation-remote-cluster-token-7");
    for g in [0, 1, 42, MAX_GENERATION] {
        assert_eq!(parse_generation_secret(&generation_secret_name(g)), Some(g));
    }
    for other in [
        "tigera-federation-remote-cluster-token-",
        "tigera-federation-remote-cluster-token-01",
        "tigera-federation-remote-cluster-token--1",
        "tigera-federation-remote-cluster-token-1x",
        "tigera-federation-remote-cluster-token-99999999999999999999",
        "tigera-federation-remote-cluster-token-1000000001",
        "tigera-federation-remote-cluster-x",
        "remote-cluster-secret-b",
    ] {
        assert_eq!(parse_generation_secret(other), None, "{other}");
    }
}

#[test]
fn an_explicit_choice_wins_and_otherwise_the_recorded_mode_is_kept() {
    let day = TokenMode::Request { ttl: 24 * HOUR };
    let year = TokenMode::Request { ttl: DEFAULT_TOKEN_TTL };
    let keep = TokenChoice::keep();
    let request = TokenChoice { mode: Some(TokenModeKind::Request), ttl: None };
    let secret = TokenChoice { mode: Some(TokenModeKind::Secret), ttl: None };
    let ttl_only = TokenChoice { mode: None, ttl: Some(2 * HOUR) };
    for (choice, recorded, want) in [
        (keep, None, TokenMode::Secret),
        (keep, Some(day), day),
        (keep, Some(TokenMode::Secret), TokenMode::Secret),
        (request, None, year),
        (request, Some(day), day),
        (request, Some(TokenMode::Secret), year),
        (secret, Some(day), TokenMode::Secret),
        (ttl_only, Some(day), TokenMode::Request { ttl: 2 * HOUR }),
        (ttl_only, Some(TokenMode::Secret), TokenMode::Secret),
        (TokenChoice::exactly(day), Some(TokenMode::Secret), day),
    ] {
        assert_eq!(choice.resolve(recorded), want, "{choice:?} over {recorded:?}");
    }
}

#[test]
fn the_state_is_read_from_annotations_else_inferred() {
    // Recorded.
    let s = state_from(
        Some(&sa(json!({
            TOKEN_MODE_ANNOTATION: "request", TOKEN_TTL_ANNOTATION: "86400s", GENERATION_ANNOTATION: "3",
            "federation.kubectl-federate.io/used-by.cluster-a": "true"
        }))),
        &[anchor("tigera-federation-remote-cluster-token-3"), anchor("tigera-federation-remote-cluster-token-2")],
    );
    assert_eq!(s.mode, Some(TokenMode::Request { ttl: 24 * HOUR }));
    assert!(s.mode_recorded);
    assert_eq!(s.generation(), 3);
    assert_eq!(s.secrets.iter().map(|x| x.generation).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(s.used_by, ["cluster-a"]);
    // Made by an earlier version with --token secret: the generation-0 token Secret.
    let s = state_from(Some(&sa(json!({}))), &[token_secret(FEDERATION_REMOTE), anchor("unrelated")]);
    assert_eq!((s.mode, s.mode_recorded, s.generation()), (Some(TokenMode::Secret), false, 0));
    // Made by an earlier version with --token request: no token Secret at all.
    let s = state_from(Some(&sa(json!({}))), &[]);
    assert_eq!(s.mode, Some(TokenMode::Request { ttl: DEFAULT_TOKEN_TTL }));
    // Nothing yet.
    assert_eq!(state_from(None, &[]), CredentialState::default());
    // Hostile annotations are ignored, not trusted.
    let s = state_from(
        Some(&sa(json!({TOKEN_MODE_ANNOTATION: "exec", GENERATION_ANNOTATION: "-1", TOKEN_TTL_ANNOTATION: "1s"}))),
        &[token_secret(FEDERATION_REMOTE)],
    );
    assert_eq!((s.mode, s.mode_recorded, s.recorded_generation), (Some(TokenMode::Secret), false, None));
    let s = state_from(
        Some(&sa(json!({TOKEN_MODE_ANNOTATION: "request", TOKEN_TTL_ANNOTATION: "99999999999999999999s"}))),
        &[],
    );
    assert_eq!(s.mode, Some(TokenMode::Request { ttl: DEFAULT_TOKEN_TTL }));
}

#[test]
fn a_mode_change_is_said_and_starts_a_new_generation_when_the_secret_type_differs() {
    let secret_mode = state_from(
        Some(&sa(json!({TOKEN_MODE_ANNOTATION: "secret", GENERATION_ANNOTATION: "0"}))),
        &[token_secret(FEDERATION_REMOTE)],
    );
    let plain = plan_generation(&secret_mode, TokenChoice::keep());
    assert_eq!((plain.mode, plain.generation, plain.change), (TokenMode::Secret, 0, None));
    let to_request = plan_generation(&secret_mode, TokenChoice { mode: Some(TokenModeKind::Request), ttl: None });
    assert_eq!(to_request.generation, 1, "the token Secret cannot become an anchor");
    assert_eq!(to_request.change.map(|c| c.to_string()).as_deref(), Some("changed token mode: secret → request"));
    let request_mode = state_from(
        Some(&sa(json!({TOKEN_MODE_ANNOTATION: "request", GENERATION_ANNOTATION: "1"}))),
        &[token_secret(FEDERATION_REMOTE), anchor("tigera-federation-remote-cluster-token-1")],
    );
    let kept = plan_generation(&request_mode, TokenChoice::keep());
    assert_eq!((kept.mode.kind(), kept.generation, kept.change), (TokenModeKind::Request, 1, None));
    let back = plan_generation(&request_mode, TokenChoice { mode: Some(TokenModeKind::Secret), ttl: None });
    assert_eq!(back.generation, 2);
    assert_eq!(back.change.map(|c| c.to_string()).as_deref(), Some("changed token mode: request → secret"));
    // A new remote: generation 0, the chosen mode, no change to report.
    let new =
        plan_generation(&CredentialState::default(), TokenChoice { mode: Some(TokenModeKind::Request), ttl: None });
    assert_eq!((new.generation, new.change), (0, None));
}

#[test]
fn recording_is_a_no_op_when_already_recorded() {
    let s = state_from(
        Some(&sa(json!({TOKEN_MODE_ANNOTATION: "request", TOKEN_TTL_ANNOTATION: "3600s", GENERATION_ANNOTATION: "2"}))),
        &[],
    );
    let mode = TokenMode::Request { ttl: HOUR };
    assert_eq!(record_action("b", "calico-system", &s, mode, 2).op, Op::Unchanged);
    assert_eq!(record_action("b", "calico-system", &s, mode, 3).op, Op::Update);
    assert_eq!(record_action("b", "calico-system", &s, TokenMode::Secret, 2).op, Op::Update);
    let patch = record_action("b", "ns", &CredentialState::default(), TokenMode::Secret, 0).merge_patch.expect("patch");
    assert_eq!(patch["metadata"]["annotations"][TOKEN_MODE_ANNOTATION], "secret");
    assert!(patch["metadata"]["annotations"][TOKEN_TTL_ANNOTATION].is_null(), "a secret-mode TTL is removed");
}

#[test]
fn a_token_belongs_to_a_generation_only_when_it_is_ours() {
    let claims = |sub: &str, secret: Option<&str>| crate::jwt::TokenClaims {
        kind: crate::jwt::TokenKind::Bound,
        subject: Some(sub.into()),
        issuer: None,
        expires: None,
        issued: None,
        secret: secret.map(str::to_string),
    };
    let ours = "system:serviceaccount:calico-system:tigera-federation-remote-cluster";
    assert_eq!(token_generation(&claims(ours, Some("tigera-federation-remote-cluster-token-4")), None), Some(4));
    assert_eq!(token_generation(&claims(ours, Some(FEDERATION_REMOTE)), Some("calico-system")), Some(0));
    assert_eq!(token_generation(&claims(ours, Some(FEDERATION_REMOTE)), Some("kube-system")), None);
    assert_eq!(token_generation(&claims(ours, None), None), None, "bound to the ServiceAccount only");
    assert_eq!(token_generation(&claims("system:serviceaccount:x:other", Some(FEDERATION_REMOTE)), None), None);
}

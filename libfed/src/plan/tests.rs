//! Tests of planning decisions.

use serde_json::json;

use super::*;
use crate::redact::REDACTED;
use crate::resource::Kind;

#[test]
fn decide_compares_only_what_we_set() {
    let want = json!({"metadata": {"name": "x", "labels": {"a": "1"}}, "data": {"k": "dg=="}});
    let same_plus_server_fields = json!({"metadata": {"name": "x", "uid": "u", "resourceVersion": "7", "labels": {"a": "1", "other": "kept"}}, "data": {"k": "dg=="}});
    let changed = json!({"metadata": {"name": "x", "labels": {"a": "1"}}, "data": {"k": "eA=="}});
    let unlabelled = json!({"metadata": {"name": "x"}, "data": {"k": "dg=="}});
    assert_eq!(decide(&want, None), Op::Create);
    assert_eq!(decide(&want, Some(&same_plus_server_fields)), Op::Unchanged);
    assert_eq!(decide(&want, Some(&changed)), Op::Update);
    assert_eq!(decide(&want, Some(&unlabelled)), Op::Update, "a missing managed-by label is a change");
}

#[test]
fn found_objects_are_adopted_or_refused_never_rewritten() {
    let want = crate::ownership::mark_created(
        json!({"metadata": {"name": "r"}, "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]}),
    );
    let ours = want.clone();
    let hand_made_same = json!({"metadata": {"name": "r"}, "rules": want["rules"]});
    let hand_made_more =
        json!({"metadata": {"name": "r"}, "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]});
    let hand_made_less = json!({"metadata": {"name": "r"}, "rules": []});
    assert_eq!(decide_owned(Kind::ClusterRole, &want, None), Ok(Op::Create));
    assert_eq!(decide_owned(Kind::ClusterRole, &want, Some(&ours)), Ok(Op::Unchanged));
    assert_eq!(decide_owned(Kind::ClusterRole, &want, Some(&hand_made_same)), Ok(Op::Adopted));
    assert_eq!(decide_owned(Kind::ClusterRole, &want, Some(&hand_made_more)), Ok(Op::Adopted));
    assert!(decide_owned(Kind::ClusterRole, &want, Some(&hand_made_less)).is_err());
    let err =
        plan_against("cluster-b", Kind::ClusterRole, want, Some(&hand_made_less)).expect_err("an error").to_string();
    assert!(err.contains("cluster-b") && err.contains("clusterrole r") && err.contains("hint:"), "{err}");
}

#[test]
fn arrays_must_match_element_for_element() {
    let want = json!({"rules": [{"verbs": ["get", "list"]}]});
    assert!(is_subset(&want, &json!({"rules": [{"verbs": ["get", "list"], "apiGroups": [""]}]})));
    assert!(!is_subset(&want, &json!({"rules": [{"verbs": ["get"]}]})));
    assert!(!is_subset(&want, &json!({"rules": [{"verbs": ["get", "list"]}, {"verbs": ["*"]}]})));
}

#[test]
fn secret_values_are_redacted_unless_asked() {
    let action = Action {
        cluster: "a".into(),
        op: Op::Create,
        kind: Kind::Secret,
        namespace: Some("ns".into()),
        name: "s".into(),
        desired: Some(json!({"data": {"kubeconfig": "dG9rZW4=", "datastoreType": "a3ViZXJuZXRlcw=="}})),
        merge_patch: None,
        live: None,
    };
    let hidden = action.redacted_object(false).expect("obj").to_string();
    assert!(!hidden.contains("dG9rZW4=") && hidden.contains(REDACTED), "{hidden}");
    let shown = action.redacted_object(true).expect("obj");
    assert_eq!(shown["stringData"]["kubeconfig"], "token");
    // The action itself serialises without the object at all.
    assert!(!serde_json::to_string(&action).expect("json").contains("dG9rZW4"));
}

//! Tests of the remote side.

use super::*;
use crate::names::{CREATED_BY_ANNOTATION, MANAGED_BY, MANAGED_BY_LABEL};

#[test]
fn users_are_recorded_once_and_only_the_missing_ones() {
    let live = json!({"metadata": {"name": "x", "namespace": "ns", "uid": "u1", "resourceVersion": "5",
        "annotations": {"federation.kubectl-federate.io/used-by.cluster-a": "true"}}});
    assert!(record_users("c", Kind::ServiceAccount, &live, &["cluster-a".into()]).is_none());
    let a = record_users("c", Kind::ServiceAccount, &live, &["cluster-a".into(), "cluster-b".into()]).expect("patch");
    let patch = a.merge_patch.expect("merge patch");
    let keys: Vec<&String> = patch["metadata"]["annotations"].as_object().expect("map").keys().collect();
    assert_eq!(keys, ["federation.kubectl-federate.io/used-by.cluster-b"]);
    assert_eq!(a.live.and_then(|l| l.uid).as_deref(), Some("u1"), "the patch is bound to the object read");
}

#[test]
fn remote_objects_follow_the_namespace_and_carry_the_label() {
    let objs = remote_objects("kube-system").expect("objects");
    let kinds: Vec<Kind> = objs.iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds, [Kind::ServiceAccount, Kind::ClusterRole, Kind::ClusterRoleBinding]);
    for (_, o) in &objs {
        assert_eq!(o["metadata"]["labels"][MANAGED_BY_LABEL], MANAGED_BY);
        assert!(o["metadata"]["annotations"][CREATED_BY_ANNOTATION].is_string());
    }
    assert_eq!(objs[0].1["metadata"]["namespace"], "kube-system");
    assert_eq!(objs[2].1["subjects"][0]["namespace"], "kube-system");
    let rules = objs[1].1["rules"].as_array().expect("rules");
    let core: Vec<&str> = rules[0]["resources"].as_array().expect("res").iter().filter_map(Value::as_str).collect();
    assert_eq!(core, ["namespaces", "serviceaccounts", "services", "endpoints", "pods", "nodes"]);
}

#[test]
fn loopback_servers_are_recognised() {
    for (url, lo) in [
        ("https://127.0.0.1:6443", true),
        ("https://localhost", true),
        ("https://[::1]:443", true),
        ("https://10.0.0.1:6443", false),
        ("https://abc.gr7.us-west-2.eks.amazonaws.com", false),
    ] {
        assert_eq!(is_loopback_server(url), lo, "{url}");
    }
}

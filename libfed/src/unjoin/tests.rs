//! Tests of removing links.

use serde_json::{Value, json};

use super::*;
use crate::names::FEDERATION_REMOTE;
use crate::ownership::mark_created;
use crate::plan::Op;
use crate::resource::Kind;

fn ctx(name: &str, server: &str) -> ContextInfo {
    ContextInfo { name: name.into(), server: server.into() }
}

fn link(name: &str, server: &str) -> LinkInfo {
    LinkInfo { name: name.into(), created_by_tool: true, server: Some(server.into()) }
}

#[test]
fn a_link_is_found_by_its_rcc_name_its_context_or_both() {
    let contexts = [ctx("cluster-b", "https://b:6443"), ctx("cluster-c", "https://c:6443")];
    let links = [link("cluster-b", "https://b:6443"), link("east", "https://c:6443")];
    let by_rcc = resolve(&LinkRef::Bare("east".into()), &links, &contexts).expect("east");
    assert_eq!(by_rcc, Resolved { name: "east".into(), remote_context: Ok("cluster-c".into()) });
    let by_context = resolve(&LinkRef::Bare("cluster-c".into()), &links, &contexts).expect("cluster-c");
    assert_eq!(by_context.name, "east", "the context's server maps to the link east");
    let plain = resolve(&LinkRef::Bare("cluster-b".into()), &links, &contexts).expect("b");
    assert_eq!(plain, Resolved { name: "cluster-b".into(), remote_context: Ok("cluster-b".into()) });
    let named =
        resolve(&LinkRef::Named { name: "east".into(), context: "gone".into() }, &links, &contexts).expect("named");
    assert_eq!(named.name, "east");
    assert!(named.remote_context.expect_err("an error").contains("gone"));
}

#[test]
fn a_decommissioned_remote_resolves_with_its_context_unknown() {
    let contexts = [ctx("cluster-a", "https://a:6443")];
    let links = [link("east", "https://c:6443")];
    let r = resolve(&LinkRef::Bare("east".into()), &links, &contexts).expect("east");
    assert_eq!(r.name, "east");
    assert!(r.remote_context.expect_err("an error").contains("https://c:6443"));
    let missing = resolve(&LinkRef::Bare("nothing-here".into()), &links, &contexts).expect("a valid name");
    assert_eq!(missing.name, "nothing-here");
    assert!(resolve(&LinkRef::Bare("Not_A_Name".into()), &links, &contexts).is_err());
}

#[test]
fn a_context_several_links_point_at_is_ambiguous() {
    let contexts = [ctx("cluster-c", "https://c:6443")];
    let links = [link("east", "https://c:6443"), link("west", "https://c:6443")];
    let err = resolve(&LinkRef::Bare("cluster-c".into()), &links, &contexts).expect_err("an error");
    assert!(err.contains("east") && err.contains("west"), "{err}");
}

fn obj(kind_ns: Option<&str>, annotations: Value, ours: bool) -> Value {
    let v = json!({"metadata": {"name": FEDERATION_REMOTE, "namespace": kind_ns, "uid": "u", "resourceVersion": "1", "annotations": annotations}});
    if ours { mark_created(v) } else { v }
}

#[test]
fn remote_cleanup_deletes_only_what_the_tool_created_and_no_one_uses() {
    let a = json!({"federation.kubectl-federate.io/used-by.cluster-a": "true"});
    let ab = json!({"federation.kubectl-federate.io/used-by.cluster-a": "true", "federation.kubectl-federate.io/used-by.cluster-b": "true"});
    let only_a = [
        (Kind::ServiceAccount, Some("ns"), obj(Some("ns"), a.clone(), true)),
        (Kind::ClusterRole, None, obj(None, a.clone(), false)),
    ];
    let plan = decide_remote_cleanup("c", "cluster-a", &only_a);
    assert_eq!(plan.len(), 1, "the hand-made ClusterRole is never deleted");
    assert_eq!((plan[0].kind, plan[0].op), (Kind::ServiceAccount, Op::Delete));
    let live = plan[0].live.clone().expect("preconditions");
    assert_eq!((live.uid.as_deref(), live.resource_version.as_deref()), (Some("u"), Some("1")));

    let shared = [(Kind::ServiceAccount, Some("ns"), obj(Some("ns"), ab.clone(), true))];
    let plan = decide_remote_cleanup("c", "cluster-a", &shared);
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0].op, Op::Update, "another user remains: only the record goes");
    assert!(plan[0].merge_patch.as_ref().expect("patch").to_string().contains("used-by.cluster-a\":null"));

    // A user recorded on any object of the tool's counts.
    let split = [
        (Kind::ServiceAccount, Some("ns"), obj(Some("ns"), a.clone(), true)),
        (Kind::ClusterRole, None, obj(None, json!({"federation.kubectl-federate.io/used-by.cluster-b": "true"}), true)),
    ];
    assert!(decide_remote_cleanup("c", "cluster-a", &split).iter().all(|a| a.op != Op::Delete));
    let hand_made = [(Kind::ServiceAccount, Some("ns"), obj(Some("ns"), a, false))];
    assert!(decide_remote_cleanup("c", "cluster-a", &hand_made).is_empty());
}

#[test]
fn the_finish_command_names_what_is_known() {
    assert_eq!(
        finish_command("east", Some("cluster-c"), "cluster-a", "calico-system"),
        "kubectl federate unjoin east=cluster-c --context cluster-a --remote-cleanup"
    );
    assert_eq!(
        finish_command("east", None, "cluster-a", "kube-system"),
        "kubectl federate unjoin east=CONTEXT --context cluster-a --remote-cleanup --remote-namespace kube-system"
    );
}

//! What the tool owns, and whether an object it did not create can be used as it is (pure).
//!
//! An object is the tool's when it carries both the managed-by label and the created-by
//! annotation. The annotation is set only in the body of the request that creates the object, so
//! a hand-made object of the same name never gets it: the tool never relabels, rewrites or
//! deletes it. Such an object is *adopted* (used as it is) when its content gives what federation
//! needs, and refused with a hint otherwise.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;

use crate::names::{CREATED_BY_ANNOTATION, FIELD_MANAGER, MANAGED_BY, MANAGED_BY_LABEL};
use crate::resource::Kind;

/// Whether the tool created this live object: the managed-by label **and** the created-by
/// annotation. The label alone is not enough (versions before the annotation labelled objects they
/// found).
pub fn created_by_tool(obj: &Value) -> bool {
    let label = obj.pointer("/metadata/labels").and_then(|l| l.get(MANAGED_BY_LABEL)).and_then(Value::as_str);
    let created = obj.pointer("/metadata/annotations").and_then(|a| a.get(CREATED_BY_ANNOTATION));
    label == Some(MANAGED_BY) && created.is_some()
}

/// Marks a desired object as the tool's: the managed-by label and the created-by annotation.
pub fn mark_created(mut obj: Value) -> Value {
    obj["metadata"]["labels"][MANAGED_BY_LABEL] = Value::String(MANAGED_BY.into());
    obj["metadata"]["annotations"][CREATED_BY_ANNOTATION] = Value::String(FIELD_MANAGER.into());
    obj
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

fn covers(list: &[&str], item: &str) -> bool {
    list.iter().any(|x| *x == item || *x == "*")
}

/// The (group, resource, verb) triples of `want` that no rule of `have` grants. A rule limited by
/// `resourceNames` grants only those names: it covers a wanted rule only when the wanted rule names
/// a subset of them.
pub fn missing_rules(have: &Value, want: &Value) -> Vec<String> {
    let have: Vec<&Value> = have.as_array().map(|a| a.iter().collect()).unwrap_or_default();
    let mut missing = Vec::new();
    for w in want.as_array().into_iter().flatten() {
        let names = strings(w.get("resourceNames"));
        for g in strings(w.get("apiGroups")) {
            for r in strings(w.get("resources")) {
                for v in strings(w.get("verbs")) {
                    let granted = have.iter().any(|h| {
                        let h_names = strings(h.get("resourceNames"));
                        covers(&strings(h.get("apiGroups")), g)
                            && covers(&strings(h.get("resources")), r)
                            && covers(&strings(h.get("verbs")), v)
                            && (h_names.is_empty() || (!names.is_empty() && names.iter().all(|n| h_names.contains(n))))
                    });
                    if !granted {
                        let res = if g.is_empty() { r.to_string() } else { format!("{r}.{g}") };
                        missing.push(format!("{v} {res}"));
                    }
                }
            }
        }
    }
    missing
}

fn subject_key(s: &Value) -> (String, String, String) {
    let f = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    (f("kind"), f("name"), f("namespace"))
}

fn kubeconfig_server(secret: &Value) -> Option<Option<String>> {
    let text = secret
        .pointer("/data/kubeconfig")
        .and_then(Value::as_str)
        .and_then(|b| B64.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())?;
    crate::kubeconfig::inspect(&text).ok().map(|k| k.server)
}

/// Whether a live object the tool did not create can be used in place of `desired`. `Err` says,
/// in words for the user, what it lacks (never quoting Secret content).
///
/// # Errors
/// The reason the object cannot be used.
pub fn check_compatible(kind: Kind, desired: &Value, live: &Value) -> Result<(), String> {
    match kind {
        Kind::ServiceAccount => Ok(()),
        Kind::Service | Kind::Endpoints | Kind::EndpointSlice | Kind::ConfigMap => {
            Err("it is not used unless the tool made it".into())
        }
        Kind::ClusterRole | Kind::Role => {
            let missing = missing_rules(live.get("rules").unwrap_or(&Value::Null), &desired["rules"]);
            if missing.is_empty() {
                Ok(())
            } else {
                let shown: Vec<&str> = missing.iter().take(6).map(String::as_str).collect();
                let more = if missing.len() > 6 { format!(" and {} more", missing.len() - 6) } else { String::new() };
                Err(format!("its rules lack what federation needs: {}{more}", shown.join(", ")))
            }
        }
        Kind::ClusterRoleBinding | Kind::RoleBinding => {
            let role = |o: &Value| {
                (
                    o.pointer("/roleRef/kind").and_then(Value::as_str).unwrap_or_default().to_string(),
                    o.pointer("/roleRef/name").and_then(Value::as_str).unwrap_or_default().to_string(),
                )
            };
            if role(live) != role(desired) {
                let (k, n) = role(live);
                return Err(format!("it binds {k} {n:?}, not {} {:?}", role(desired).0, role(desired).1));
            }
            let have: Vec<_> = live["subjects"].as_array().into_iter().flatten().map(subject_key).collect();
            for s in desired["subjects"].as_array().into_iter().flatten() {
                let key = subject_key(s);
                if !have.contains(&key) {
                    let bound: Vec<String> = have.iter().map(|(k, n, ns)| format!("{k} {ns}/{n}")).collect();
                    return Err(format!(
                        "it is bound to {} instead of {} {}/{}",
                        if bound.is_empty() { "no subject".to_string() } else { bound.join(", ") },
                        key.0,
                        key.2,
                        key.1
                    ));
                }
            }
            Ok(())
        }
        Kind::Secret => {
            let want_type = desired.get("type").and_then(Value::as_str).unwrap_or("Opaque");
            let have_type = live.get("type").and_then(Value::as_str).unwrap_or("Opaque");
            if want_type == "kubernetes.io/service-account-token" {
                let sa = |o: &Value| {
                    o.pointer("/metadata/annotations/kubernetes.io~1service-account.name")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                };
                if have_type != want_type {
                    return Err(format!("it is of type {have_type:?}, not a service-account-token Secret"));
                }
                if sa(live) != sa(desired) {
                    return Err(format!("it holds the token of serviceaccount {:?}", sa(live).unwrap_or_default()));
                }
                return Ok(());
            }
            let datastore = live
                .pointer("/data/datastoreType")
                .and_then(Value::as_str)
                .and_then(|b| B64.decode(b).ok())
                .map(|b| String::from_utf8_lossy(&b).trim().to_string());
            if datastore.as_deref() != Some("kubernetes") {
                return Err("its datastoreType is not \"kubernetes\"".into());
            }
            let Some(have_server) = kubeconfig_server(live) else {
                return Err("it holds no kubeconfig that parses".into());
            };
            match kubeconfig_server(desired) {
                Some(want) if want.is_some() && want != have_server => Err(format!(
                    "its kubeconfig points at {} instead of {}",
                    have_server.as_deref().unwrap_or("no server"),
                    want.as_deref().unwrap_or_default()
                )),
                _ => Ok(()),
            }
        }
        Kind::RemoteClusterConfiguration => {
            let secret = |o: &Value| {
                (
                    o.pointer("/spec/clusterAccessSecret/name").and_then(Value::as_str).map(str::to_string),
                    o.pointer("/spec/clusterAccessSecret/namespace").and_then(Value::as_str).map(str::to_string),
                )
            };
            if secret(live) != secret(desired) {
                return match secret(live) {
                    (Some(n), ns) => Err(format!("it reads secret {}/{n}", ns.unwrap_or_default())),
                    (None, _) => Err("it holds its connection data inline instead of in a Secret".into()),
                };
            }
            let overlay = desired.pointer("/spec/syncOptions/overlayRoutingMode");
            if overlay.is_some() && overlay != live.pointer("/spec/syncOptions/overlayRoutingMode") {
                return Err("its overlayRoutingMode differs".into());
            }
            Ok(())
        }
    }
}

/// The hint for an object that cannot be adopted.
pub fn refusal_hint(kind: Kind, object: &str, namespace_flag: &str) -> String {
    match kind {
        Kind::ClusterRole => format!(
            "grant it the rules of manifests/federation-rem-rbac-kdd.yaml, or delete {object} so that join creates its own"
        ),
        Kind::ClusterRoleBinding => format!(
            "bind it to the ServiceAccount in the namespace join uses ({namespace_flag}), or delete {object} so that join creates its own"
        ),
        Kind::Secret | Kind::Role | Kind::RoleBinding | Kind::RemoteClusterConfiguration => format!(
            "give the link another name with NAME=CONTEXT, or delete the hand-made {object} (kubectl delete) so that join creates its own"
        ),
        Kind::ServiceAccount => format!("delete {object} so that join creates its own"),
        Kind::Service | Kind::Endpoints | Kind::EndpointSlice => {
            format!("choose another name, or delete {object} first (kubectl delete)")
        }
        Kind::ConfigMap => {
            format!("edit {object} with kubectl, or use `kubectl federate aws-auth` on a cluster it made")
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn federation_rules() -> Value {
        json!([
            {"apiGroups": [""], "resources": ["namespaces", "pods", "nodes"], "verbs": ["get", "list", "watch"]},
            {"apiGroups": ["crd.projectcalico.org"], "resources": ["ippools"], "verbs": ["get", "list", "watch"]}
        ])
    }

    #[test]
    fn ownership_needs_the_label_and_the_creation_record() {
        let marked = mark_created(json!({"metadata": {"name": "x"}}));
        assert!(created_by_tool(&marked));
        let label_only = json!({"metadata": {"labels": {MANAGED_BY_LABEL: MANAGED_BY}}});
        assert!(!created_by_tool(&label_only), "a label put on a found object proves nothing");
        let annotation_only = json!({"metadata": {"annotations": {CREATED_BY_ANNOTATION: "kubectl-federate"}}});
        assert!(!created_by_tool(&annotation_only));
        assert!(!created_by_tool(&json!({})));
    }

    #[test]
    fn a_role_must_grant_every_verb_federation_needs() {
        let want = federation_rules();
        assert!(missing_rules(&want, &want).is_empty());
        let wildcard = json!([{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]);
        assert!(missing_rules(&wildcard, &want).is_empty());
        let old = json!([{"apiGroups": [""], "resources": ["namespaces", "pods"], "verbs": ["get", "list", "watch"]}]);
        let missing = missing_rules(&old, &want);
        assert!(missing.contains(&"list nodes".to_string()), "{missing:?}");
        assert!(missing.contains(&"watch ippools.crd.projectcalico.org".to_string()), "{missing:?}");
        let named = json!([{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"], "resourceNames": ["only-this"]}]);
        assert!(!missing_rules(&named, &want).is_empty(), "resourceNames narrows a rule");
        let err =
            check_compatible(Kind::ClusterRole, &json!({"rules": want}), &json!({"rules": old})).expect_err("an error");
        assert!(err.contains("lack") && err.contains("nodes"), "{err}");
    }

    #[test]
    fn a_binding_must_bind_the_role_to_the_subject() {
        let desired = json!({
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "r"},
            "subjects": [{"kind": "ServiceAccount", "name": "sa", "namespace": "ns"}]
        });
        let mut extra = desired.clone();
        extra["subjects"].as_array_mut().expect("subjects").push(json!({"kind": "User", "name": "bob"}));
        assert_eq!(check_compatible(Kind::ClusterRoleBinding, &desired, &extra), Ok(()));
        let mut other = desired.clone();
        other["subjects"][0]["namespace"] = json!("kube-system");
        let err = check_compatible(Kind::ClusterRoleBinding, &desired, &other).expect_err("an error");
        assert!(err.contains("kube-system/sa"), "{err}");
        let mut role = desired.clone();
        role["roleRef"]["name"] = json!("admin");
        assert!(check_compatible(Kind::ClusterRoleBinding, &desired, &role).expect_err("an error").contains("admin"));
    }

    #[test]
    fn token_secrets_and_rccs_are_checked_for_what_they_point_at() {
        let token = json!({"type": "kubernetes.io/service-account-token",
            "metadata": {"annotations": {"kubernetes.io/service-account.name": "sa"}}});
        assert_eq!(check_compatible(Kind::Secret, &token, &token), Ok(()));
        let opaque = json!({"type": "Opaque", "metadata": {}});
        assert!(check_compatible(Kind::Secret, &token, &opaque).is_err());
        let rcc = json!({"spec": {"clusterAccessSecret": {"name": "s", "namespace": "ns"}}});
        assert_eq!(check_compatible(Kind::RemoteClusterConfiguration, &rcc, &rcc), Ok(()));
        let other = json!({"spec": {"clusterAccessSecret": {"name": "t", "namespace": "ns"}}});
        assert!(
            check_compatible(Kind::RemoteClusterConfiguration, &rcc, &other).expect_err("an error").contains("ns/t")
        );
        assert!(check_compatible(Kind::RemoteClusterConfiguration, &rcc, &json!({"spec": {}})).is_err());
    }

    #[test]
    fn a_link_secret_is_usable_only_with_a_kubeconfig_for_the_same_server() {
        let ca = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let t = crate::redact::Sensitive::new("tok");
        let kc = |server: &str| B64.encode(crate::kubeconfig::mint(server, ca, &t).expect("mint").expose());
        let secret = |server: &str| json!({"type": "Opaque", "data": {"datastoreType": B64.encode("kubernetes"), "kubeconfig": kc(server)}});
        let want = secret("https://b.example:6443");
        assert_eq!(check_compatible(Kind::Secret, &want, &secret("https://b.example:6443")), Ok(()));
        let err = check_compatible(Kind::Secret, &want, &secret("https://c.example:6443")).expect_err("an error");
        assert!(err.contains("c.example") && !err.contains("tok"), "{err}");
        let garbage = json!({"data": {"datastoreType": B64.encode("kubernetes"), "kubeconfig": B64.encode("{{")}});
        assert!(check_compatible(Kind::Secret, &want, &garbage).is_err());
    }
}

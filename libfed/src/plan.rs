//! A `Plan`: what would change, object by object. Planning only reads; applying writes exactly the
//! planned creates, updates and deletes and nothing else, so `--dry-run` output and what apply does
//! cannot disagree. Objects whose content is already right are `Unchanged` and never written
//! (rewriting an RCC or its Secret restarts Calico's Typha).

use kube::api::{DeleteParams, DynamicObject, Patch, PatchParams, PostParams, Preconditions};
use serde::Serialize;
use serde_json::Value;

use crate::names::FIELD_MANAGER;
use crate::ownership::{check_compatible, created_by_tool, refusal_hint};
use crate::redact::REDACTED;
use crate::resource::{Kind, describe};
use crate::{Error, Result};

/// What an action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Op {
    /// The object does not exist and will be created.
    Create,
    /// The object exists with other content and will be updated.
    Update,
    /// The object is already right; nothing is sent.
    Unchanged,
    /// The object will be deleted.
    Delete,
    /// An object of that name exists that the tool did not create; its content is usable, so it is
    /// used as it is and never written or deleted ("adopted: not managed").
    Adopted,
}

/// The identity and version of the live object an action was planned against: updates carry the
/// uid (so a deleted-and-recreated object is not overwritten), deletes both (so an object changed
/// since it was read is not deleted).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiveRef {
    /// `metadata.uid`.
    pub uid: Option<String>,
    /// `metadata.resourceVersion`.
    pub resource_version: Option<String>,
}

impl LiveRef {
    /// The uid and resourceVersion of a live object.
    pub fn of(obj: &Value) -> LiveRef {
        let get = |p: &str| obj.pointer(p).and_then(Value::as_str).map(str::to_string);
        LiveRef { uid: get("/metadata/uid"), resource_version: get("/metadata/resourceVersion") }
    }
}

/// One object in one cluster.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// The kubeconfig context of the cluster.
    pub cluster: String,
    /// What happens.
    pub op: Op,
    /// The object's kind.
    pub kind: Kind,
    /// Its namespace, for namespaced kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Its name.
    pub name: String,
    /// The desired object (creates and updates). Secret data is redacted when serialised; see
    /// [`Action::redacted_object`].
    #[serde(skip)]
    pub desired: Option<Value>,
    /// When set, the write is this JSON merge patch instead of a server-side apply of `desired`
    /// (for a single annotation that other managers' applies must not remove).
    #[serde(skip)]
    pub merge_patch: Option<Value>,
    /// The live object this action was planned against (preconditions of the write).
    #[serde(skip)]
    pub live: Option<LiveRef>,
}

impl Action {
    /// `kind ns/name`.
    pub fn object(&self) -> String {
        describe(self.kind, self.namespace.as_deref(), &self.name)
    }

    /// The desired object with Secret values replaced by `<redacted>` unless `show_secrets`.
    pub fn redacted_object(&self, show_secrets: bool) -> Option<Value> {
        let mut obj = self.desired.clone()?;
        if self.kind == Kind::Secret && !show_secrets {
            for key in ["data", "stringData"] {
                if let Some(Value::Object(map)) = obj.get_mut(key) {
                    for v in map.values_mut() {
                        *v = Value::String(REDACTED.into());
                    }
                }
            }
        } else if self.kind == Kind::Secret {
            // Shown on request: decode `data` so the kubeconfig can be read (and used) as text.
            if let Some(Value::Object(map)) = obj.get("data").cloned() {
                let decoded: serde_json::Map<String, Value> = map
                    .into_iter()
                    .map(|(k, v)| {
                        let text = v.as_str().and_then(|s| {
                            use base64::Engine;
                            base64::engine::general_purpose::STANDARD
                                .decode(s)
                                .ok()
                                .and_then(|b| String::from_utf8(b).ok())
                        });
                        (k, text.map_or(v, Value::String))
                    })
                    .collect();
                if let Some(o) = obj.as_object_mut() {
                    o.remove("data");
                    o.insert("stringData".into(), Value::Object(decoded));
                }
            }
        }
        Some(obj)
    }
}

/// Decides the action for a desired object given the live one: absent → create; every field the
/// desired object sets already has that value → unchanged; else update. Ownership is not looked at;
/// see [`decide_owned`].
pub fn decide(desired: &Value, live: Option<&Value>) -> Op {
    match live {
        None => Op::Create,
        Some(live) if is_subset(desired, live) => Op::Unchanged,
        Some(_) => Op::Update,
    }
}

/// Decides the action with ownership: an object the tool created is created, updated or left
/// unchanged as [`decide`] says; one it did not create is adopted when its content is usable, and
/// refused (`Err`, the reason) when not. A found object is never relabelled or rewritten.
///
/// # Errors
/// Why an object the tool did not create cannot be used.
pub fn decide_owned(kind: Kind, desired: &Value, live: Option<&Value>) -> std::result::Result<Op, String> {
    match live {
        None => Ok(Op::Create),
        Some(live) if created_by_tool(live) => Ok(decide(desired, Some(live))),
        Some(live) => check_compatible(kind, desired, live).map(|()| Op::Adopted),
    }
}

/// Whether every field set in `want` has the same value in `have` (arrays must match element for
/// element; maps may hold more keys).
pub fn is_subset(want: &Value, have: &Value) -> bool {
    match (want, have) {
        (Value::Object(w), Value::Object(h)) => w.iter().all(|(k, v)| match h.get(k) {
            Some(hv) => is_subset(v, hv),
            None => v.is_null(),
        }),
        (Value::Array(w), Value::Array(h)) => w.len() == h.len() && w.iter().zip(h).all(|(a, b)| is_subset(a, b)),
        _ => want == have,
    }
}

/// How apply sends writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Really write.
    Apply,
    /// Send every write with `dryRun=All`: the server validates and admits, nothing persists.
    ServerDryRun,
}

fn api(client: &kube::Client, kind: Kind, namespace: Option<&str>) -> kube::Api<DynamicObject> {
    let ar = kind.api_resource();
    match namespace {
        Some(ns) if kind.namespaced() => kube::Api::namespaced_with(client.clone(), ns, &ar),
        _ => kube::Api::all_with(client.clone(), &ar),
    }
}

/// Reads the live object as JSON, or `None` when absent.
///
/// # Errors
/// The get failing for another reason than 404.
pub async fn read(
    client: &kube::Client,
    cluster: &str,
    kind: Kind,
    namespace: Option<&str>,
    name: &str,
) -> Result<Option<Value>> {
    let obj = api(client, kind, namespace)
        .get_opt(name)
        .await
        .map_err(|e| Error::api(cluster, "get", describe(kind, namespace, name), e))?;
    Ok(obj.and_then(|o| serde_json::to_value(o).ok()))
}

/// Plans one desired object against the live cluster, with ownership ([`decide_owned`]).
///
/// # Errors
/// Reading the live object failing, or an object the tool did not create that cannot be used
/// ([`Error::NotOurs`]).
pub async fn plan_object(client: &kube::Client, cluster: &str, kind: Kind, desired: Value) -> Result<Action> {
    let namespace = desired.pointer("/metadata/namespace").and_then(Value::as_str).map(str::to_string);
    let name = desired.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
    let live = read(client, cluster, kind, namespace.as_deref(), &name).await?;
    plan_against(cluster, kind, desired, live.as_ref())
}

/// Plans one desired object against an already read live object (pure).
///
/// # Errors
/// An object the tool did not create that cannot be used ([`Error::NotOurs`]).
pub fn plan_against(cluster: &str, kind: Kind, desired: Value, live: Option<&Value>) -> Result<Action> {
    let namespace = desired.pointer("/metadata/namespace").and_then(Value::as_str).map(str::to_string);
    let name = desired.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
    let object = describe(kind, namespace.as_deref(), &name);
    let op = decide_owned(kind, &desired, live).map_err(|problem| Error::NotOurs {
        cluster: cluster.into(),
        hint: refusal_hint(
            kind,
            &object,
            &format!(
                "--remote-namespace {}",
                namespace
                    .as_deref()
                    .or_else(|| desired.pointer("/subjects/0/namespace").and_then(Value::as_str))
                    .unwrap_or(crate::names::DEFAULT_REMOTE_NAMESPACE)
            ),
        ),
        object: object.clone(),
        problem,
    })?;
    Ok(Action {
        cluster: cluster.into(),
        op,
        kind,
        namespace,
        name,
        desired: Some(desired),
        merge_patch: None,
        live: live.map(LiveRef::of),
    })
}

fn changed(action: &Action, what: impl Into<String>) -> Error {
    Error::Changed { cluster: action.cluster.clone(), object: action.object(), what: what.into() }
}

fn with_uid(mut body: Value, live: Option<&LiveRef>) -> Value {
    if let Some(uid) = live.and_then(|l| l.uid.clone()) {
        body["metadata"]["uid"] = Value::String(uid);
    }
    body
}

/// Executes one planned action: create (a POST, so that an object someone else made meanwhile is
/// never taken over), server-side apply (field manager `kubectl-federate`) for updates, a merge
/// patch for a single annotation, delete for deletes (with the uid and resourceVersion read as
/// preconditions), nothing for unchanged or adopted objects. Updates and patches carry the uid
/// read, so an object deleted and recreated meanwhile is not written.
///
/// # Errors
/// The write failing; the error names the cluster and object. [`Error::Changed`] when the object
/// changed since it was planned (the caller re-plans).
pub async fn apply_action(client: &kube::Client, action: &Action, mode: Mode) -> Result<()> {
    let api = api(client, action.kind, action.namespace.as_deref());
    let dry = mode == Mode::ServerDryRun;
    let conflict = |e: &kube::Error| matches!(e, kube::Error::Api(s) if s.code == 409 || s.code == 422);
    match action.op {
        Op::Unchanged | Op::Adopted => Ok(()),
        Op::Create | Op::Update if action.merge_patch.is_some() => {
            let patch = action
                .merge_patch
                .as_ref()
                .map(|p| Patch::Merge(with_uid(p.clone(), action.live.as_ref())))
                .ok_or_else(|| Error::Invalid("no patch".into()))?;
            let params = PatchParams { dry_run: dry, field_manager: Some(FIELD_MANAGER.into()), ..Default::default() };
            match api.patch(&action.name, &params, &patch).await {
                Ok(_) => Ok(()),
                // In a server dry run the object may be one this same run would create (the
                // dry-run create did not persist it), so there is nothing to patch yet.
                Err(kube::Error::Api(s)) if dry && s.code == 404 => Ok(()),
                Err(kube::Error::Api(s)) if s.code == 404 => Err(changed(action, "deleted")),
                Err(e) if conflict(&e) => Err(changed(action, "deleted and created again")),
                Err(e) => Err(Error::api(&action.cluster, "patch", action.object(), e)),
            }
        }
        Op::Create => {
            let desired = action
                .desired
                .as_ref()
                .ok_or_else(|| Error::Invalid(format!("{}: nothing to create", action.object())))?;
            let obj: DynamicObject = serde_json::from_value(desired.clone())
                .map_err(|e| Error::Invalid(format!("{}: {e}", action.object())))?;
            let params = PostParams { dry_run: dry, field_manager: Some(FIELD_MANAGER.into()) };
            match api.create(&params, &obj).await {
                Ok(_) => Ok(()),
                Err(kube::Error::Api(s)) if s.code == 409 => Err(changed(action, "created by someone else")),
                Err(e) => Err(Error::api(&action.cluster, "create", action.object(), e)),
            }
        }
        Op::Update => {
            let desired = action
                .desired
                .as_ref()
                .ok_or_else(|| Error::Invalid(format!("{}: nothing to apply", action.object())))?;
            let mut params = PatchParams::apply(FIELD_MANAGER).force();
            params.dry_run = dry;
            match api.patch(&action.name, &params, &Patch::Apply(with_uid(desired.clone(), action.live.as_ref()))).await
            {
                Ok(_) => Ok(()),
                Err(e) if conflict(&e) => Err(changed(action, "deleted and created again")),
                Err(e) => Err(Error::api(&action.cluster, "apply", action.object(), e)),
            }
        }
        Op::Delete => {
            let preconditions = action
                .live
                .as_ref()
                .map(|l| Preconditions { uid: l.uid.clone(), resource_version: l.resource_version.clone() });
            let params = DeleteParams { dry_run: dry, preconditions, ..Default::default() };
            match api.delete(&action.name, &params).await {
                Ok(_) => Ok(()),
                Err(kube::Error::Api(s)) if s.code == 404 => Ok(()),
                Err(kube::Error::Api(s)) if s.code == 409 => Err(changed(action, "written since it was read")),
                Err(e) => Err(Error::api(&action.cluster, "delete", action.object(), e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

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
        let err = plan_against("cluster-b", Kind::ClusterRole, want, Some(&hand_made_less))
            .expect_err("an error")
            .to_string();
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
}

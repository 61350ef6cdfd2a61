//! Executing one planned action against its cluster.

use kube::api::{DeleteParams, DynamicObject, Patch, PatchParams, PostParams, Preconditions};
use serde_json::Value;

use super::Execution;
use super::action::Op;
use super::action::{Action, LiveRef};
use super::read::api;
use crate::Error;
use crate::Result;
use crate::names::FIELD_MANAGER;

fn changed(action: &Action, what: impl Into<String>) -> Error {
    Error::Changed { cluster: action.cluster.clone(), object: action.object(), what: what.into() }
}

fn with_uid(mut body: Value, live: Option<&LiveRef>) -> Value {
    if let Some(uid) = live.and_then(|l| l.uid.clone()) {
        body["metadata"]["uid"] = Value::String(uid);
    }
    body
}

/// Executes one planned action (nothing in a client dry run): create (a POST, so that an object someone else made meanwhile is
/// never taken over), server-side apply (field manager `kubectl-federate`) for updates, a merge
/// patch for a single annotation, delete for deletes (with the uid and resourceVersion read as
/// preconditions), nothing for unchanged or adopted objects. Updates and patches carry the uid
/// read, so an object deleted and recreated meanwhile is not written.
///
/// # Errors
/// The write failing; the error names the cluster and object. [`Error::Changed`] when the object
/// changed since it was planned (the caller re-plans).
pub(crate) async fn apply_action(client: &kube::Client, action: &Action, exec: Execution) -> Result<()> {
    let dry = match exec {
        Execution::Apply => false,
        Execution::DryRunServer => true,
        Execution::DryRunClient => return Ok(()),
    };
    let api = api(client, action.kind, action.namespace.as_deref());
    let conflict = |e: &kube::Error| matches!(e, kube::Error::Api(s) if s.code == 409 || s.code == 422);
    match action.op {
        Op::Unchanged | Op::Adopted => Ok(()),
        Op::Create | Op::Update if action.merge_patch.is_some() => {
            let patch = action
                .merge_patch
                .as_ref()
                .map(|p| Patch::Merge(with_uid(p.clone(), action.live.as_ref())))
                .ok_or_else(|| Error::Internal(format!("{}: planned as a patch without one", action.object())))?;
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
            let desired = action.desired.as_ref().ok_or_else(|| {
                Error::Internal(format!("{}: planned as a create without an object", action.object()))
            })?;
            let obj: DynamicObject = serde_json::from_value(desired.clone())
                .map_err(|e| Error::Internal(format!("{}: not an object: {e}", action.object())))?;
            let params = PostParams { dry_run: dry, field_manager: Some(FIELD_MANAGER.into()) };
            match api.create(&params, &obj).await {
                Ok(_) => Ok(()),
                Err(kube::Error::Api(s)) if s.code == 409 => Err(changed(action, "created by someone else")),
                Err(e) => Err(Error::api(&action.cluster, "create", action.object(), e)),
            }
        }
        Op::Update => {
            let desired = action.desired.as_ref().ok_or_else(|| {
                Error::Internal(format!("{}: planned as an update without an object", action.object()))
            })?;
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

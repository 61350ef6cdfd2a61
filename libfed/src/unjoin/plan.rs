//! Planning the deletes of a link: the local objects, and the remote ones once no other cluster
//! uses them (reads only; `Plan::apply` deletes).

use crate::cluster::Cluster;
use crate::link::used_by_annotation;
use crate::names::{FEDERATION_REMOTE, USED_BY_ANNOTATION_PREFIX, secret_access_name, secret_name};
use crate::ownership::created_by_tool;
use crate::plan::{Action, Execution, LiveRef, Op, Plan, read};
use crate::resource::{Kind, describe};
use crate::{Error, Result};
use serde_json::{Value, json};
use std::time::Duration;

pub(super) fn delete(cluster: &str, kind: Kind, namespace: Option<&str>, name: &str, live: &Value) -> Action {
    Action {
        cluster: cluster.into(),
        op: Op::Delete,
        kind,
        namespace: namespace.map(str::to_string),
        name: name.into(),
        desired: None,
        merge_patch: None,
        live: Some(LiveRef::of(live)),
    }
}

/// What removing a link from its local cluster deletes, and what it leaves alone.
#[derive(Debug, Clone, Default)]
pub struct LocalRemoval {
    /// Deletes of the objects the tool created (RCC first: Calico stops using the Secret before it
    /// disappears).
    pub plan: Plan,
    /// Objects of the link's names the tool did not create (`kind ns/name`): never deleted.
    pub left_alone: Vec<String>,
}

/// Plans removing the link to remote `name` from `local` (reads only).
///
/// # Errors
/// Reads failing.
pub async fn plan_local_removal(local: &Cluster, name: &str, secret_namespace: &str) -> Result<LocalRemoval> {
    let mut out = LocalRemoval::default();
    let access = secret_access_name(name);
    let secret = secret_name(name);
    for (kind, ns, obj) in [
        (Kind::RemoteClusterConfiguration, None, name),
        (Kind::RoleBinding, Some(secret_namespace), access.as_str()),
        (Kind::Role, Some(secret_namespace), access.as_str()),
        (Kind::Secret, Some(secret_namespace), secret.as_str()),
    ] {
        if let Some(live) = read(&local.client, &local.context, kind, ns, obj).await? {
            if created_by_tool(&live) {
                out.plan.push(delete(&local.context, kind, ns, obj, &live));
            } else {
                out.left_alone.push(describe(kind, ns, obj));
            }
        }
    }
    Ok(out)
}

/// Plans removing the link to remote `name` from `local`: the deletes of [`plan_local_removal`].
///
/// # Errors
/// Reads failing.
pub async fn plan_unjoin(local: &Cluster, name: &str, secret_namespace: &str) -> Result<Plan> {
    Ok(plan_local_removal(local, name, secret_namespace).await?.plan)
}

/// The remote objects, in the order they are deleted.
pub(super) fn remote_names(remote_namespace: &str) -> [(Kind, Option<&str>); 4] {
    [
        (Kind::ServiceAccount, Some(remote_namespace)),
        (Kind::Secret, Some(remote_namespace)),
        (Kind::ClusterRoleBinding, None),
        (Kind::ClusterRole, None),
    ]
}

pub(super) fn name_of(v: &Value) -> &str {
    v.pointer("/metadata/name").and_then(Value::as_str).unwrap_or(FEDERATION_REMOTE)
}

/// Decides the remote cleanup after `local_name` stops using a remote, from the live remote
/// objects (pure). Only objects the tool created count: their `used-by` annotations together are
/// the users. When another user remains, only `local_name`'s record is removed; else every object
/// the tool created is deleted. Every write carries the uid (deletes also the resourceVersion)
/// read, so a `join` that records itself meanwhile makes the delete fail instead of revoking its
/// token.
pub fn decide_remote_cleanup(cluster: &str, local_name: &str, live: &[(Kind, Option<&str>, Value)]) -> Vec<Action> {
    let key = used_by_annotation(local_name);
    let owned: Vec<&(Kind, Option<&str>, Value)> = live.iter().filter(|(_, _, v)| created_by_tool(v)).collect();
    let annotations =
        |v: &Value| v.pointer("/metadata/annotations").and_then(Value::as_object).cloned().unwrap_or_default();
    let others = owned
        .iter()
        .flat_map(|(_, _, v)| annotations(v).into_iter().map(|(k, _)| k))
        .any(|k| k.starts_with(USED_BY_ANNOTATION_PREFIX) && k != key);
    let mut out = Vec::new();
    for (kind, ns, v) in owned {
        if others {
            if annotations(v).contains_key(&key) {
                out.push(Action {
                    op: Op::Update,
                    merge_patch: Some(json!({"metadata": {"annotations": {key.clone(): null}}})),
                    ..delete(cluster, *kind, *ns, name_of(v), v)
                });
            }
        } else {
            out.push(delete(cluster, *kind, *ns, name_of(v), v));
        }
    }
    out
}

/// Plans the remote cleanup after `local_name` stops using `remote` (reads only); see
/// [`decide_remote_cleanup`].
///
/// # Errors
/// Reads failing.
pub async fn plan_remote_cleanup(remote: &Cluster, local_name: &str, remote_namespace: &str) -> Result<Plan> {
    let mut live = Vec::new();
    for (kind, ns) in remote_names(remote_namespace) {
        if let Some(v) = read(&remote.client, &remote.context, kind, ns, FEDERATION_REMOTE).await? {
            live.push((kind, ns, v));
        }
    }
    // The credential generations `rotate` made after the first: deleted with the rest.
    for g in crate::credential::read_state(remote, remote_namespace).await?.secrets {
        if g.generation > 0
            && let Some(v) =
                read(&remote.client, &remote.context, Kind::Secret, Some(remote_namespace), &g.name).await?
        {
            live.push((Kind::Secret, Some(remote_namespace), v));
        }
    }
    Ok(Plan::from(decide_remote_cleanup(&remote.context, local_name, &live)))
}

/// Plans and (unless a client dry run) applies the remote cleanup. A precondition failing (a
/// `join` recorded itself, or an object changed, since it was read) makes it read and decide
/// again: three attempts.
///
/// # Errors
/// Reads or writes failing.
pub async fn remote_cleanup(
    remote: &Cluster,
    local_name: &str,
    remote_namespace: &str,
    execution: Execution,
) -> Result<Vec<Action>> {
    let mut attempt = 0u64;
    loop {
        let plan = plan_remote_cleanup(remote, local_name, remote_namespace).await?;
        match plan.apply(&[remote], execution).await {
            Ok(()) => return Ok(plan.into_actions()),
            Err(Error::Changed { .. }) if attempt < 3 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

//! Removing links: the local Secret, Role, RoleBinding and RCC of a remote, and (with
//! `--remote-cleanup`) the remote ServiceAccount, token Secret and RBAC once no other cluster uses
//! them. Only objects carrying the managed-by label are ever deleted.

use serde_json::{Value, json};

use crate::calico::rcc;
use crate::cluster::Cluster;
use crate::link::used_by_annotation;
use crate::names::{
    FEDERATION_REMOTE, MANAGED_BY, MANAGED_BY_LABEL, USED_BY_ANNOTATION_PREFIX, secret_access_name, secret_name,
};
use crate::plan::{Action, Op, read};
use crate::resource::Kind;
use crate::{Error, Result};

fn managed(obj: &Value) -> bool {
    obj.pointer("/metadata/labels").and_then(|l| l.get(MANAGED_BY_LABEL)).and_then(Value::as_str) == Some(MANAGED_BY)
}

fn delete(cluster: &str, kind: Kind, namespace: Option<&str>, name: &str) -> Action {
    Action {
        cluster: cluster.into(),
        op: Op::Delete,
        kind,
        namespace: namespace.map(str::to_string),
        name: name.into(),
        desired: None,
        merge_patch: None,
    }
}

async fn delete_if_managed(
    out: &mut Vec<Action>,
    c: &Cluster,
    kind: Kind,
    namespace: Option<&str>,
    name: &str,
) -> Result<()> {
    if let Some(obj) = read(&c.client, &c.context, kind, namespace, name).await? {
        if managed(&obj) {
            out.push(delete(&c.context, kind, namespace, name));
        }
    }
    Ok(())
}

/// Plans removing the link to remote `name` from `local` (reads only).
///
/// # Errors
/// Reads failing.
pub async fn plan_unjoin(local: &Cluster, name: &str, secret_namespace: &str) -> Result<Vec<Action>> {
    let mut out = Vec::new();
    // The RCC first: Calico stops using the Secret before it disappears.
    delete_if_managed(&mut out, local, Kind::RemoteClusterConfiguration, None, name).await?;
    delete_if_managed(&mut out, local, Kind::RoleBinding, Some(secret_namespace), &secret_access_name(name)).await?;
    delete_if_managed(&mut out, local, Kind::Role, Some(secret_namespace), &secret_access_name(name)).await?;
    delete_if_managed(&mut out, local, Kind::Secret, Some(secret_namespace), &secret_name(name)).await?;
    Ok(out)
}

/// Plans the remote cleanup after `local_name` stops using `remote`: the usage record is removed,
/// and when no other cluster's record remains, the remote ServiceAccount, token Secret and RBAC too.
///
/// # Errors
/// Reads failing.
pub async fn plan_remote_cleanup(remote: &Cluster, local_name: &str, remote_namespace: &str) -> Result<Vec<Action>> {
    let mut out = Vec::new();
    let Some(sa) =
        read(&remote.client, &remote.context, Kind::ServiceAccount, Some(remote_namespace), FEDERATION_REMOTE).await?
    else {
        return Ok(out);
    };
    let key = used_by_annotation(local_name);
    let annotations = sa.pointer("/metadata/annotations").and_then(Value::as_object).cloned().unwrap_or_default();
    let others = annotations.keys().filter(|k| k.starts_with(USED_BY_ANNOTATION_PREFIX) && **k != key).count();
    if others > 0 {
        if annotations.contains_key(&key) {
            out.push(Action {
                merge_patch: Some(json!({"metadata": {"annotations": {key: null}}})),
                op: Op::Update,
                ..delete(&remote.context, Kind::ServiceAccount, Some(remote_namespace), FEDERATION_REMOTE)
            });
        }
        return Ok(out);
    }
    delete_if_managed(&mut out, remote, Kind::ClusterRoleBinding, None, FEDERATION_REMOTE).await?;
    delete_if_managed(&mut out, remote, Kind::ClusterRole, None, FEDERATION_REMOTE).await?;
    delete_if_managed(&mut out, remote, Kind::Secret, Some(remote_namespace), FEDERATION_REMOTE).await?;
    // The credential generations `rotate` made after the first (only those carrying the label).
    for g in crate::credential::read_state(remote, remote_namespace).await?.secrets {
        if g.generation > 0 && g.managed {
            out.push(delete(&remote.context, Kind::Secret, Some(remote_namespace), &g.name));
        }
    }
    if managed(&sa) {
        out.push(delete(&remote.context, Kind::ServiceAccount, Some(remote_namespace), FEDERATION_REMOTE));
    }
    Ok(out)
}

/// The names of the links a local cluster has that this tool made (RCCs with the managed-by label).
///
/// # Errors
/// The list failing.
pub async fn managed_links(local: &Cluster) -> Result<Vec<String>> {
    let rccs = rcc::list(&local.client)
        .await
        .map_err(|e| Error::api(&local.context, "list", "remoteclusterconfigurations", e))?;
    Ok(rccs
        .into_iter()
        .filter(|r| {
            r.metadata.labels.as_ref().and_then(|l| l.get(MANAGED_BY_LABEL)).map(String::as_str) == Some(MANAGED_BY)
        })
        .filter_map(|r| r.metadata.name)
        .collect())
}

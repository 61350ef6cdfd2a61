//! Reading live objects to plan against.

use kube::api::DynamicObject;
use serde_json::Value;

use super::action::Action;
use super::decide::plan_against;
use crate::resource::{Kind, describe};
use crate::{Error, Result};

pub(super) fn api(client: &kube::Client, kind: Kind, namespace: Option<&str>) -> kube::Api<DynamicObject> {
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

/// Plans one desired object against the live cluster, with ownership ([`decide_owned`](super::decide_owned)).
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

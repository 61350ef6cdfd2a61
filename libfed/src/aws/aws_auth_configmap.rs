//! Reading and writing `kube-system/aws-auth`: read, edit with [`AwsAuth`], write back with the
//! resourceVersion that was read, and start over when someone else wrote in between.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{ObjectMeta, PostParams};
use kube::{Api, Client};
use serde::Serialize;

use super::aws_auth::{AwsAuth, Change, Edit, diff_data};
use crate::plan::Execution;
use crate::{Error, Result};

/// The namespace of the aws-auth ConfigMap.
pub const NAMESPACE: &str = "kube-system";
/// The name of the aws-auth ConfigMap.
pub const NAME: &str = "aws-auth";
/// The object as errors name it.
pub const OBJECT: &str = "configmap kube-system/aws-auth";

/// How many times a write that lost a race is retried before giving up.
const MAX_ATTEMPTS: u32 = 10;

/// What [`update_aws_auth`] did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsAuthUpdate {
    /// One entry per edit, in order.
    pub changes: Vec<Change>,
    /// A unified diff of the data keys (empty when nothing changes).
    pub diff: String,
    /// Whether the ConfigMap was (or, in a dry run, would be) created rather than updated.
    pub create: bool,
    /// Whether anything was written (always false in a dry run).
    pub written: bool,
    /// How many read-modify-write rounds it took (more than 1 after a conflict).
    pub attempts: u32,
}

fn aws_auth_error(cluster: &str, source: super::AwsAuthError) -> Error {
    Error::AwsAuth { cluster: cluster.to_string(), object: OBJECT.to_string(), source: Box::new(source) }
}

/// Reads and parses the aws-auth ConfigMap; `None` when the cluster has none.
///
/// # Errors
/// [`Error::Api`] when the read fails; [`Error::AwsAuth`] when its keys do not parse.
pub async fn read_aws_auth(client: Client, cluster: &str) -> Result<Option<AwsAuth>> {
    let api: Api<ConfigMap> = Api::namespaced(client, NAMESPACE);
    let cm = api.get_opt(NAME).await.map_err(|e| Error::api(cluster, "get", OBJECT, e))?;
    cm.map(|cm| AwsAuth::parse(&cm.data.unwrap_or_default()).map_err(|e| aws_auth_error(cluster, e))).transpose()
}

/// Applies edits to the aws-auth ConfigMap of a cluster, creating it when absent.
///
/// Each round reads the ConfigMap, parses it, makes the edits and, if anything changed, writes
/// it back with the resourceVersion it read; a conflict (someone else wrote in between) starts a
/// new round on the fresh object, so concurrent writers all land. In a client dry run nothing is
/// sent and the result carries the diff that would be applied; a server dry run sends the write
/// with `dryRun=All` (validated and admitted, not persisted). A ConfigMap whose keys do not
/// parse, or an edit that conflicts with an existing mapping, stops before any write. Unless
/// `force`, an edit that would lock nodes or the last `system:masters` mapping out
/// ([`access_losses`](super::aws_auth_guard::access_losses)) is refused, in a dry run too.
///
/// # Errors
/// [`Error::AwsAuth`] for content or edit errors (`WouldLoseAccess` for the safety rail),
/// [`Error::Api`] for failed reads and writes (including a conflict that persists after several
/// rounds).
pub async fn update_aws_auth(
    client: Client,
    cluster: &str,
    edits: &[Edit],
    exec: Execution,
    force: bool,
) -> Result<AwsAuthUpdate> {
    let params = PostParams { dry_run: exec == Execution::DryRunServer, ..PostParams::default() };
    let api: Api<ConfigMap> = Api::namespaced(client, NAMESPACE);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let existing = api.get_opt(NAME).await.map_err(|e| Error::api(cluster, "get", OBJECT, e))?;
        let old_data: BTreeMap<String, String> = existing.as_ref().and_then(|cm| cm.data.clone()).unwrap_or_default();
        let before = AwsAuth::parse(&old_data).map_err(|e| aws_auth_error(cluster, e))?;
        let mut auth = before.clone();
        let changes = auth.apply_all(edits).map_err(|e| aws_auth_error(cluster, e))?;
        let losses = super::aws_auth_guard::access_losses(&before, &auth);
        if !force && !losses.is_empty() {
            return Err(aws_auth_error(cluster, super::AwsAuthError::WouldLoseAccess { losses }));
        }
        let new_data = auth.to_data().map_err(|e| aws_auth_error(cluster, e))?;
        let create = existing.is_none();
        let diff = diff_data(&old_data, &new_data);
        let mut update = AwsAuthUpdate { changes, diff, create, written: false, attempts };
        if new_data == old_data || !exec.sends() {
            return Ok(update);
        }
        let result = match existing {
            Some(mut cm) => {
                // The object keeps the resourceVersion it was read with, so a write that raced
                // another one fails with 409 instead of overwriting it.
                cm.data = Some(new_data);
                api.replace(NAME, &params, &cm).await.map(drop)
            }
            None => {
                let cm = ConfigMap {
                    metadata: ObjectMeta {
                        name: Some(NAME.into()),
                        namespace: Some(NAMESPACE.into()),
                        ..ObjectMeta::default()
                    },
                    data: Some(new_data),
                    ..ConfigMap::default()
                };
                api.create(&params, &cm).await.map(drop)
            }
        };
        match result {
            Ok(()) => {
                update.written = exec.writes();
                return Ok(update);
            }
            // 409 is both "modified since read" (replace) and "created since read" (create).
            Err(kube::Error::Api(status)) if status.code == 409 && attempts < MAX_ATTEMPTS => {
                tracing::debug!(cluster, attempts, "aws-auth changed while being edited; reading it again");
                tokio::time::sleep(Duration::from_millis(20 * u64::from(attempts))).await;
            }
            Err(e) => return Err(Error::api(cluster, if create { "create" } else { "update" }, OBJECT, e)),
        }
    }
}

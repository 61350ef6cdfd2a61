//! `RemoteClusterConfiguration` (projectcalico.org/v3, cluster-scoped; spec/federation.md §3): the
//! object that tells a cluster's Calico to read a remote cluster, through a Secret.

use kube::api::ApiResource;
use serde::{Deserialize, Serialize};

/// API group of Calico's v3 API.
pub const GROUP: &str = "projectcalico.org";
/// API version of Calico's v3 API.
pub const VERSION: &str = "v3";
/// The kind.
pub const KIND: &str = "RemoteClusterConfiguration";
/// The plural resource name.
pub const PLURAL: &str = "remoteclusterconfigurations";

/// The dynamic API resource for RCCs.
pub fn api_resource() -> ApiResource {
    ApiResource {
        group: GROUP.into(),
        version: VERSION.into(),
        api_version: format!("{GROUP}/{VERSION}"),
        kind: KIND.into(),
        plural: PLURAL.into(),
    }
}

/// How a remote cluster's routes are learnt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OverlayRoutingMode {
    /// Calico routes to remote pods over its overlay (VXLAN/WireGuard); syncs nodes, pools, blocks.
    Enabled,
    /// The network routes between clusters.
    Disabled,
}

/// The reference to the Secret holding the remote cluster's kubeconfig.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SecretReference {
    /// Secret name.
    #[serde(default)]
    pub name: String,
    /// Secret namespace.
    #[serde(default)]
    pub namespace: String,
    /// Always `Secret` in the docs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// The spec fields this tool reads and writes (`clusterAccessSecret` mode).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RemoteClusterConfigurationSpec {
    /// The Secret with `datastoreType` and `kubeconfig`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_access_secret: Option<SecretReference>,
    /// Inline datastore type (not used with `clusterAccessSecret`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datastore_type: Option<String>,
    /// Sync options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_options: Option<SyncOptions>,
}

/// `spec.syncOptions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SyncOptions {
    /// Overlay routing between the clusters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlay_routing_mode: Option<OverlayRoutingMode>,
}

/// An RCC as read from a cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteClusterConfiguration {
    /// Metadata.
    pub metadata: kube::api::ObjectMeta,
    /// Spec.
    #[serde(default)]
    pub spec: RemoteClusterConfigurationSpec,
}

/// Reads every RCC of a cluster.
///
/// # Errors
/// The list call failing (including the API not being served).
pub async fn list(client: &kube::Client) -> Result<Vec<RemoteClusterConfiguration>, kube::Error> {
    let api: kube::Api<kube::api::DynamicObject> = kube::Api::all_with(client.clone(), &api_resource());
    let list = api.list(&Default::default()).await?;
    Ok(list
        .items
        .into_iter()
        .filter_map(|o| {
            let value = serde_json::to_value(&o).ok()?;
            serde_json::from_value::<RemoteClusterConfiguration>(value).ok()
        })
        .collect())
}

/// Whether the cluster serves the RCC API (Calico Enterprise, or `manifests/dev/` locally).
///
/// # Errors
/// Discovery failing for another reason than the API being absent (e.g. the cluster is down).
pub async fn is_served(client: &kube::Client) -> Result<bool, kube::Error> {
    let path = format!("/apis/{GROUP}/{VERSION}");
    let req = http::Request::get(path).body(Vec::new()).map_err(kube::Error::HttpError)?;
    match client.request::<k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResourceList>(req).await {
        Ok(list) => Ok(list.resources.iter().any(|r| r.name == PLURAL)),
        Err(kube::Error::Api(s)) if s.code == 404 => Ok(false),
        Err(e) => Err(e),
    }
}

//! `RemoteClusterConfiguration` (projectcalico.org/v3, cluster-scoped; spec/federation.md §3): the
//! object that tells a cluster's Calico to read a remote cluster, through a Secret.

use kube::api::ApiResource;
use serde::{Deserialize, Serialize};

use crate::redact::Sensitive;

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
    /// Inline datastore type (not used with `clusterAccessSecret`; Calico defaults it to etcdv3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datastore_type: Option<String>,
    /// Inline: a path to a kubeconfig file on Typha's machine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubeconfig: Option<String>,
    /// Inline: the kubeconfig's content (never serialised back).
    #[serde(default, skip_serializing)]
    pub kubeconfig_inline: Option<Sensitive>,
    /// Inline: the API server URL.
    #[serde(default, rename = "k8sAPIEndpoint", skip_serializing_if = "Option::is_none")]
    pub k8s_api_endpoint: Option<String>,
    /// Inline: a path to a client key file.
    #[serde(default, rename = "k8sKeyFile", skip_serializing_if = "Option::is_none")]
    pub k8s_key_file: Option<String>,
    /// Inline: a path to a client certificate file.
    #[serde(default, rename = "k8sCertFile", skip_serializing_if = "Option::is_none")]
    pub k8s_cert_file: Option<String>,
    /// Inline: a path to a CA file.
    #[serde(default, rename = "k8sCAFile", skip_serializing_if = "Option::is_none")]
    pub k8s_ca_file: Option<String>,
    /// Inline: a bearer token (never serialised back).
    #[serde(default, rename = "k8sAPIToken", skip_serializing)]
    pub k8s_api_token: Option<Sensitive>,
    /// Inline: skip TLS verification.
    #[serde(default, rename = "k8sInsecureSkipTLSVerify", skip_serializing_if = "Option::is_none")]
    pub k8s_insecure_skip_tls_verify: Option<bool>,
    /// Inline etcd endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etcd_endpoints: Option<String>,
    /// Inline etcd user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etcd_username: Option<String>,
    /// Inline etcd password (never serialised back).
    #[serde(default, skip_serializing)]
    pub etcd_password: Option<Sensitive>,
    /// Inline etcd key file path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etcd_key_file: Option<String>,
    /// Inline etcd certificate file path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etcd_cert_file: Option<String>,
    /// Inline etcd CA file path.
    #[serde(default, rename = "etcdCACertFile", skip_serializing_if = "Option::is_none")]
    pub etcd_ca_cert_file: Option<String>,
    /// Sync options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_options: Option<SyncOptions>,
}

impl RemoteClusterConfigurationSpec {
    /// The inline connection fields that are set (JSON names), `datastoreType` included.
    pub fn inline_fields(&self) -> Vec<&'static str> {
        [
            ("datastoreType", self.datastore_type.is_some()),
            ("kubeconfig", self.kubeconfig.is_some()),
            ("kubeconfigInline", self.kubeconfig_inline.is_some()),
            ("k8sAPIEndpoint", self.k8s_api_endpoint.is_some()),
            ("k8sKeyFile", self.k8s_key_file.is_some()),
            ("k8sCertFile", self.k8s_cert_file.is_some()),
            ("k8sCAFile", self.k8s_ca_file.is_some()),
            ("k8sAPIToken", self.k8s_api_token.is_some()),
            ("k8sInsecureSkipTLSVerify", self.k8s_insecure_skip_tls_verify.is_some()),
            ("etcdEndpoints", self.etcd_endpoints.is_some()),
            ("etcdUsername", self.etcd_username.is_some()),
            ("etcdPassword", self.etcd_password.is_some()),
            ("etcdKeyFile", self.etcd_key_file.is_some()),
            ("etcdCertFile", self.etcd_cert_file.is_some()),
            ("etcdCACertFile", self.etcd_ca_cert_file.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect()
    }
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
    /// Set when the object's spec does not have the RCC shape (wrong types): the spec is then
    /// empty, and readers report the RCC instead of losing it.
    #[serde(skip)]
    pub invalid: bool,
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
        .map(|o| {
            serde_json::to_value(&o)
                .ok()
                .and_then(|value| serde_json::from_value::<RemoteClusterConfiguration>(value).ok())
                .unwrap_or(RemoteClusterConfiguration { metadata: o.metadata, spec: Default::default(), invalid: true })
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

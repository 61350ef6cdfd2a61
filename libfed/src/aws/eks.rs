//! EKS control-plane calls: DescribeCluster (endpoint, CA, authentication mode) and access
//! entries (CreateAccessEntry, AssociateAccessPolicy …), planned first so a dry run shows exactly
//! what applying would do.
//!
//! This module holds DescribeCluster and what it answers; access entries are translated and
//! planned in `eks_access_entry` (pure) and read and written in `eks_access_entry_calls`, both
//! re-exported here.

use aws_config::SdkConfig;
use serde::Serialize;

pub use super::eks_access_entry::{
    AccessEntryPlan, AccessEntrySpec, AccessEntryStep, access_entry_for_mapping, access_policy_arn,
    enable_access_entries_command, ensure_access_entries_allowed,
};
pub use super::eks_access_entry_calls::{apply_access_entry_plan, plan_access_entry, plan_access_entry_removal};
use crate::{Error, Result};

/// `accessConfig.authenticationMode` of a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "String")]
pub enum AuthenticationMode {
    /// Only the aws-auth ConfigMap (the API default for clusters created before access entries).
    ConfigMap,
    /// Access entries and aws-auth; access entries win for the same principal.
    ApiAndConfigMap,
    /// Only access entries.
    Api,
    /// A mode this version does not know.
    Other(String),
}

impl AuthenticationMode {
    /// The API's spelling (`CONFIG_MAP`, `API_AND_CONFIG_MAP`, `API`).
    pub fn as_str(&self) -> &str {
        match self {
            Self::ConfigMap => "CONFIG_MAP",
            Self::ApiAndConfigMap => "API_AND_CONFIG_MAP",
            Self::Api => "API",
            Self::Other(s) => s,
        }
    }

    /// Reads the API's spelling.
    pub fn parse(s: &str) -> Self {
        match s {
            "CONFIG_MAP" => Self::ConfigMap,
            "API_AND_CONFIG_MAP" => Self::ApiAndConfigMap,
            "API" => Self::Api,
            other => Self::Other(other.to_string()),
        }
    }

    /// Whether access entries take effect in this mode.
    pub fn allows_access_entries(&self) -> bool {
        matches!(self, Self::ApiAndConfigMap | Self::Api)
    }

    /// Whether the aws-auth ConfigMap takes effect in this mode.
    pub fn uses_config_map(&self) -> bool {
        !matches!(self, Self::Api)
    }
}

impl From<AuthenticationMode> for String {
    fn from(m: AuthenticationMode) -> Self {
        m.as_str().to_string()
    }
}

impl std::fmt::Display for AuthenticationMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What DescribeCluster says about a cluster, as far as federation needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EksCluster {
    /// The EKS cluster name.
    pub name: String,
    /// The cluster ARN (kubeconfig entry names use it, as `aws eks update-kubeconfig` does).
    pub arn: Option<String>,
    /// The API server URL.
    pub endpoint: String,
    /// The cluster CA: base64 of the PEM, exactly as EKS returns it (what kubeconfig's
    /// `certificate-authority-data` holds).
    pub ca_data: String,
    /// The authentication mode; a response without `accessConfig` (clusters from before access
    /// entries) reads as `CONFIG_MAP`, the API default.
    pub auth_mode: AuthenticationMode,
    /// The Kubernetes version.
    pub version: Option<String>,
    /// `ACTIVE`, `CREATING` …
    pub status: Option<String>,
    /// The region the call went to.
    pub region: Option<String>,
}

pub(super) fn aws_error<E: std::error::Error + Send + Sync + 'static>(
    action: &'static str,
    resource: &str,
    e: E,
) -> Error {
    Error::Aws { action, resource: resource.to_string(), source: Box::new(e) }
}

/// Calls EKS DescribeCluster.
///
/// # Errors
/// [`Error::Aws`] when the call fails (no such cluster in that region, no credentials …);
/// [`Error::Data`] when the cluster has no endpoint or CA yet (still creating), or its endpoint
/// is not an `https://` URL with a host.
pub async fn describe_cluster(config: &SdkConfig, name: &str) -> Result<EksCluster> {
    let eks = aws_sdk_eks::Client::new(config);
    let out = eks.describe_cluster().name(name).send().await.map_err(|e| aws_error("eks DescribeCluster", name, e))?;
    let cluster = out.cluster.ok_or_else(|| Error::Data {
        location: "aws".into(),
        object: format!("eks DescribeCluster {name}"),
        problem: "the response holds no cluster".into(),
    })?;
    let status = cluster.status().map(|s| s.as_str().to_string());
    let not_ready = |what: &str| Error::Data {
        location: "aws".into(),
        object: format!("eks cluster {name}"),
        problem: format!("has no {what} yet (status {})", status.clone().unwrap_or_else(|| "unknown".into())),
    };
    let endpoint = cluster.endpoint().filter(|e| !e.is_empty()).ok_or_else(|| not_ready("endpoint"))?.to_string();
    // EKS endpoints are always https; anything else is not an EKS answer to trust with a token.
    crate::server_url::validate_server_url(&endpoint, false).map_err(|e| Error::Data {
        location: "aws".into(),
        object: format!("eks DescribeCluster {name}"),
        problem: format!("the endpoint is refused: {e}"),
    })?;
    let ca_data = cluster
        .certificate_authority()
        .and_then(|c| c.data())
        .filter(|d| !d.is_empty())
        .ok_or_else(|| not_ready("certificate authority"))?
        .to_string();
    let auth_mode = cluster
        .access_config()
        .and_then(|a| a.authentication_mode())
        .map_or(AuthenticationMode::ConfigMap, |m| AuthenticationMode::parse(m.as_str()));
    Ok(EksCluster {
        name: cluster.name().unwrap_or(name).to_string(),
        arn: cluster.arn().map(str::to_string),
        endpoint,
        ca_data,
        auth_mode,
        version: cluster.version().map(str::to_string),
        status,
        region: config.region().map(|r| r.to_string()),
    })
}

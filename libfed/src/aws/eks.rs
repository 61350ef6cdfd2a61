//! EKS control-plane calls: DescribeCluster (endpoint, CA, authentication mode) and access
//! entries (CreateAccessEntry, AssociateAccessPolicy …), planned first so a dry run shows exactly
//! what applying would do.

use aws_config::SdkConfig;
use aws_sdk_eks::types::{AccessScope, AccessScopeType};
use serde::Serialize;

use super::aws_auth::{NODE_GROUPS, NODE_USERNAME};
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

fn aws_error<E: std::error::Error + Send + Sync + 'static>(action: &'static str, resource: &str, e: E) -> Error {
    Error::Aws { action, resource: resource.to_string(), source: Box::new(e) }
}

/// Calls EKS DescribeCluster.
///
/// # Errors
/// [`Error::Aws`] when the call fails (no such cluster in that region, no credentials …);
/// [`Error::Invalid`] when the cluster has no endpoint or CA yet (still creating), or its endpoint
/// is not an `https://` URL with a host.
pub async fn describe_cluster(config: &SdkConfig, name: &str) -> Result<EksCluster> {
    let eks = aws_sdk_eks::Client::new(config);
    let out = eks.describe_cluster().name(name).send().await.map_err(|e| aws_error("eks DescribeCluster", name, e))?;
    let cluster = out
        .cluster
        .ok_or_else(|| Error::Invalid(format!("eks DescribeCluster {name}: the response holds no cluster")))?;
    let status = cluster.status().map(|s| s.as_str().to_string());
    let not_ready = |what: &str| {
        Error::Invalid(format!(
            "eks cluster {name} has no {what} yet (status {})",
            status.clone().unwrap_or_else(|| "unknown".into())
        ))
    };
    let endpoint = cluster.endpoint().filter(|e| !e.is_empty()).ok_or_else(|| not_ready("endpoint"))?.to_string();
    // EKS endpoints are always https; anything else is not an EKS answer to trust with a token.
    crate::server_url::validate_server_url(&endpoint, false)
        .map_err(|e| Error::Invalid(format!("eks DescribeCluster {name}: the endpoint is refused: {e}")))?;
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

/// The command that switches a cluster to a mode that allows access entries.
pub fn enable_access_entries_command(cluster: &str) -> String {
    format!("aws eks update-cluster-config --name {cluster} --access-config authenticationMode=API_AND_CONFIG_MAP")
}

/// Checks that the cluster's authentication mode lets access entries take effect.
///
/// # Errors
/// [`Error::Unsupported`] naming the mode and the (one-way) command that changes it.
pub fn ensure_access_entries_allowed(cluster: &EksCluster) -> Result<()> {
    if cluster.auth_mode.allows_access_entries() {
        return Ok(());
    }
    Err(Error::Unsupported {
        cluster: cluster.name.clone(),
        message: format!(
            "the EKS authentication mode is {}, which ignores access entries; switching to API_AND_CONFIG_MAP \
             (`{}`) keeps aws-auth working and cannot be undone (modes only go CONFIG_MAP → API_AND_CONFIG_MAP → API)",
            cluster.auth_mode,
            enable_access_entries_command(&cluster.name)
        ),
    })
}

/// The ARN of an EKS access policy: a bare name (`AmazonEKSViewPolicy`) is expanded.
pub fn access_policy_arn(name_or_arn: &str) -> String {
    if name_or_arn.starts_with("arn:") {
        name_or_arn.to_string()
    } else {
        format!("arn:aws:eks::aws:cluster-access-policy/{name_or_arn}")
    }
}

/// The access entry that stands for an aws-auth mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessEntrySpec {
    /// The IAM principal.
    pub principal_arn: String,
    /// `STANDARD` or a node type (`EC2_LINUX`).
    pub entry_type: String,
    /// Kubernetes groups (never `system:*`: EKS refuses those).
    pub kubernetes_groups: Vec<String>,
    /// The username; unset lets EKS generate one, as AWS recommends.
    pub username: Option<String>,
    /// Access policies to associate, cluster-wide.
    pub policy_arns: Vec<String>,
}

/// Translates an aws-auth style mapping into an access entry.
///
/// A node role becomes an `EC2_LINUX` entry, which carries the node username and groups
/// implicitly. `system:masters` becomes the `AmazonEKSClusterAdminPolicy` association, since EKS
/// refuses `system:` groups in access entries.
///
/// # Errors
/// [`Error::Invalid`] for other `system:` groups, or a node role given a username or groups
/// other than eksctl's node defaults.
pub fn access_entry_for_mapping(
    principal_arn: &str,
    username: Option<&str>,
    groups: &[String],
    node: bool,
    policies: &[String],
) -> Result<AccessEntrySpec> {
    let mut policy_arns: Vec<String> = policies.iter().map(|p| access_policy_arn(p)).collect();
    if node {
        if username.is_some_and(|u| u != NODE_USERNAME) || groups.iter().any(|g| !NODE_GROUPS.contains(&g.as_str())) {
            return Err(Error::Invalid(format!(
                "node role {principal_arn}: an EC2_LINUX access entry sets the node username and groups itself; \
                 drop --username and --group"
            )));
        }
        return Ok(AccessEntrySpec {
            principal_arn: principal_arn.to_string(),
            entry_type: "EC2_LINUX".into(),
            kubernetes_groups: Vec::new(),
            username: None,
            policy_arns,
        });
    }
    let mut kubernetes_groups = Vec::new();
    for g in groups {
        if g == "system:masters" {
            let admin = access_policy_arn("AmazonEKSClusterAdminPolicy");
            if !policy_arns.contains(&admin) {
                policy_arns.push(admin);
            }
        } else if g.starts_with("system:") {
            return Err(Error::Invalid(format!(
                "group {g}: EKS access entries cannot hold system: groups; bind a non-system group with RBAC \
                 or associate an access policy (--access-policy)"
            )));
        } else if !kubernetes_groups.contains(g) {
            kubernetes_groups.push(g.clone());
        }
    }
    Ok(AccessEntrySpec {
        principal_arn: principal_arn.to_string(),
        entry_type: "STANDARD".into(),
        kubernetes_groups,
        username: username.map(str::to_string),
        policy_arns,
    })
}

/// One EKS API call of an access-entry plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum AccessEntryStep {
    /// CreateAccessEntry.
    Create(AccessEntrySpec),
    /// UpdateAccessEntry (groups and username of an existing entry).
    Update(AccessEntrySpec),
    /// The entry exists exactly as asked.
    Unchanged {
        /// The principal.
        principal_arn: String,
    },
    /// AssociateAccessPolicy with cluster scope.
    AssociatePolicy {
        /// The principal.
        principal_arn: String,
        /// The policy.
        policy_arn: String,
    },
    /// DeleteAccessEntry.
    Delete {
        /// The principal.
        principal_arn: String,
    },
    /// Nothing to delete.
    NotFound {
        /// The principal.
        principal_arn: String,
    },
}

impl std::fmt::Display for AccessEntryStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Create(s) => write!(
                f,
                "create access entry {} (type {}, groups [{}], username {})",
                s.principal_arn,
                s.entry_type,
                s.kubernetes_groups.join(","),
                s.username.as_deref().unwrap_or("<generated by EKS>")
            ),
            Self::Update(s) => write!(
                f,
                "update access entry {} (groups [{}], username {})",
                s.principal_arn,
                s.kubernetes_groups.join(","),
                s.username.as_deref().unwrap_or("<unchanged>")
            ),
            Self::Unchanged { principal_arn } => write!(f, "access entry {principal_arn} unchanged"),
            Self::AssociatePolicy { principal_arn, policy_arn } => {
                write!(f, "associate {policy_arn} with {principal_arn} (cluster scope)")
            }
            Self::Delete { principal_arn } => write!(f, "delete access entry {principal_arn}"),
            Self::NotFound { principal_arn } => write!(f, "access entry {principal_arn} not found (nothing to delete)"),
        }
    }
}

impl AccessEntryStep {
    /// Whether the step calls a write API.
    pub fn is_write(&self) -> bool {
        matches!(self, Self::Create(_) | Self::Update(_) | Self::AssociatePolicy { .. } | Self::Delete { .. })
    }
}

/// The EKS calls that make an access entry what is asked; [`apply_access_entry_plan`] runs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessEntryPlan {
    /// The EKS cluster name.
    pub cluster: String,
    /// The calls, in order.
    pub steps: Vec<AccessEntryStep>,
}

/// An existing access entry, as far as comparison needs.
struct Existing {
    entry_type: Option<String>,
    groups: Vec<String>,
    username: Option<String>,
}

async fn existing_entry(eks: &aws_sdk_eks::Client, cluster: &str, principal: &str) -> Result<Option<Existing>> {
    match eks.describe_access_entry().cluster_name(cluster).principal_arn(principal).send().await {
        Ok(out) => Ok(out.access_entry.map(|e| Existing {
            entry_type: e.r#type().map(str::to_string),
            groups: e.kubernetes_groups().to_vec(),
            username: e.username().map(str::to_string),
        })),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_resource_not_found_exception()) => Ok(None),
        Err(e) => Err(aws_error("eks DescribeAccessEntry", principal, e)),
    }
}

/// Plans the access entry for a mapping: create it, or leave it, or (with `replace`) update a
/// different one; then associate each policy not yet associated.
///
/// # Errors
/// [`Error::Unsupported`] when the cluster's mode ignores access entries; [`Error::Invalid`] when
/// an entry for the principal exists with a different mapping and `replace` is false (or with a
/// different type, which EKS cannot change); [`Error::Aws`] when a read fails.
pub async fn plan_access_entry(
    config: &SdkConfig,
    cluster: &EksCluster,
    spec: &AccessEntrySpec,
    replace: bool,
) -> Result<AccessEntryPlan> {
    ensure_access_entries_allowed(cluster)?;
    let eks = aws_sdk_eks::Client::new(config);
    let principal = spec.principal_arn.clone();
    let mut steps = Vec::new();
    match existing_entry(&eks, &cluster.name, &principal).await? {
        None => steps.push(AccessEntryStep::Create(spec.clone())),
        Some(existing) => {
            let same_groups = {
                let mut a = existing.groups.clone();
                let mut b = spec.kubernetes_groups.clone();
                a.sort();
                b.sort();
                a == b
            };
            // An entry whose username EKS generated matches a request that leaves it unset.
            let same_user = spec.username.is_none() || spec.username == existing.username;
            if existing.entry_type.as_deref().is_some_and(|t| t != spec.entry_type) {
                return Err(Error::Invalid(format!(
                    "eks cluster {}: access entry {principal} has type {}, not {}; EKS cannot change the type of an \
                     entry: delete it first",
                    cluster.name,
                    existing.entry_type.unwrap_or_default(),
                    spec.entry_type
                )));
            }
            if same_groups && same_user {
                steps.push(AccessEntryStep::Unchanged { principal_arn: principal.clone() });
            } else if replace {
                steps.push(AccessEntryStep::Update(spec.clone()));
            } else {
                return Err(Error::Invalid(format!(
                    "eks cluster {}: access entry {principal} exists with groups [{}] and username {}; \
                     the requested mapping differs (replace it explicitly)",
                    cluster.name,
                    existing.groups.join(","),
                    existing.username.unwrap_or_default()
                )));
            }
        }
    }
    let associated: Vec<String> = if matches!(steps.first(), Some(AccessEntryStep::Create(_))) {
        Vec::new()
    } else {
        let out = eks
            .list_associated_access_policies()
            .cluster_name(&cluster.name)
            .principal_arn(&principal)
            .send()
            .await
            .map_err(|e| aws_error("eks ListAssociatedAccessPolicies", &principal, e))?;
        out.associated_access_policies().iter().filter_map(|p| p.policy_arn().map(str::to_string)).collect()
    };
    for policy in &spec.policy_arns {
        if !associated.contains(policy) {
            steps.push(AccessEntryStep::AssociatePolicy {
                principal_arn: principal.clone(),
                policy_arn: policy.clone(),
            });
        }
    }
    Ok(AccessEntryPlan { cluster: cluster.name.clone(), steps })
}

/// Plans the removal of a principal's access entry.
///
/// # Errors
/// [`Error::Unsupported`] when the cluster's mode ignores access entries; [`Error::Aws`] when
/// the read fails.
pub async fn plan_access_entry_removal(
    config: &SdkConfig,
    cluster: &EksCluster,
    principal_arn: &str,
) -> Result<AccessEntryPlan> {
    ensure_access_entries_allowed(cluster)?;
    let eks = aws_sdk_eks::Client::new(config);
    let principal_arn = principal_arn.to_string();
    let step = match existing_entry(&eks, &cluster.name, &principal_arn).await? {
        Some(_) => AccessEntryStep::Delete { principal_arn },
        None => AccessEntryStep::NotFound { principal_arn },
    };
    Ok(AccessEntryPlan { cluster: cluster.name.clone(), steps: vec![step] })
}

/// Runs the write steps of a plan, in order.
///
/// # Errors
/// [`Error::Aws`] naming the first call that failed; the steps before it have been made.
pub async fn apply_access_entry_plan(config: &SdkConfig, plan: &AccessEntryPlan) -> Result<()> {
    let eks = aws_sdk_eks::Client::new(config);
    let cluster = plan.cluster.as_str();
    for step in &plan.steps {
        match step {
            AccessEntryStep::Create(s) => {
                eks.create_access_entry()
                    .cluster_name(cluster)
                    .principal_arn(&s.principal_arn)
                    .r#type(&s.entry_type)
                    .set_kubernetes_groups((!s.kubernetes_groups.is_empty()).then(|| s.kubernetes_groups.clone()))
                    .set_username(s.username.clone())
                    .send()
                    .await
                    .map_err(|e| aws_error("eks CreateAccessEntry", &s.principal_arn, e))?;
            }
            AccessEntryStep::Update(s) => {
                eks.update_access_entry()
                    .cluster_name(cluster)
                    .principal_arn(&s.principal_arn)
                    .set_kubernetes_groups(Some(s.kubernetes_groups.clone()))
                    .set_username(s.username.clone())
                    .send()
                    .await
                    .map_err(|e| aws_error("eks UpdateAccessEntry", &s.principal_arn, e))?;
            }
            AccessEntryStep::AssociatePolicy { principal_arn, policy_arn } => {
                eks.associate_access_policy()
                    .cluster_name(cluster)
                    .principal_arn(principal_arn)
                    .policy_arn(policy_arn)
                    .access_scope(AccessScope::builder().r#type(AccessScopeType::Cluster).build())
                    .send()
                    .await
                    .map_err(|e| aws_error("eks AssociateAccessPolicy", principal_arn, e))?;
            }
            AccessEntryStep::Delete { principal_arn } => {
                eks.delete_access_entry()
                    .cluster_name(cluster)
                    .principal_arn(principal_arn)
                    .send()
                    .await
                    .map_err(|e| aws_error("eks DeleteAccessEntry", principal_arn, e))?;
            }
            AccessEntryStep::Unchanged { .. } | AccessEntryStep::NotFound { .. } => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn node_roles_become_ec2_linux_entries_without_groups() {
        let arn = "arn:aws:iam::111122223333:role/NodeInstanceRole";
        let spec = access_entry_for_mapping(arn, Some(NODE_USERNAME), &strings(&NODE_GROUPS), true, &[]).expect("node");
        assert_eq!(spec.entry_type, "EC2_LINUX");
        assert!(spec.kubernetes_groups.is_empty() && spec.username.is_none());
        assert!(access_entry_for_mapping(arn, Some("admin"), &[], true, &[]).is_err());
        assert!(access_entry_for_mapping(arn, None, &strings(&["devs"]), true, &[]).is_err());
    }

    #[test]
    fn system_masters_becomes_the_cluster_admin_policy() {
        let arn = "arn:aws:iam::111122223333:role/Admin";
        let spec = access_entry_for_mapping(
            arn,
            Some("admin"),
            &strings(&["system:masters", "devs", "devs"]),
            false,
            &strings(&["AmazonEKSViewPolicy"]),
        )
        .expect("standard");
        assert_eq!(spec.entry_type, "STANDARD");
        assert_eq!(spec.kubernetes_groups, strings(&["devs"]));
        assert_eq!(
            spec.policy_arns,
            strings(&[
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
            ])
        );
        let err =
            access_entry_for_mapping(arn, None, &strings(&["system:nodes"]), false, &[]).expect_err("system group");
        assert!(err.to_string().contains("system:nodes"), "{err}");
    }

    #[test]
    fn config_map_mode_is_refused_with_the_one_way_command() {
        let mut cluster = EksCluster {
            name: "prod".into(),
            arn: None,
            endpoint: "https://x".into(),
            ca_data: "Y2E=".into(),
            auth_mode: AuthenticationMode::ConfigMap,
            version: None,
            status: None,
            region: None,
        };
        let err = ensure_access_entries_allowed(&cluster).expect_err("CONFIG_MAP");
        let msg = err.to_string();
        assert!(msg.contains("CONFIG_MAP") && msg.contains(&enable_access_entries_command("prod")), "{msg}");
        assert!(msg.contains("cannot be undone"), "{msg}");
        for ok in [AuthenticationMode::ApiAndConfigMap, AuthenticationMode::Api] {
            cluster.auth_mode = ok;
            assert!(ensure_access_entries_allowed(&cluster).is_ok());
        }
        assert_eq!(AuthenticationMode::parse("API_AND_CONFIG_MAP"), AuthenticationMode::ApiAndConfigMap);
        assert_eq!(AuthenticationMode::parse("NEW").as_str(), "NEW");
    }
}

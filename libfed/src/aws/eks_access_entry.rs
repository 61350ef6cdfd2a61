//! EKS access entries as data: the entry that stands for an aws-auth mapping, whether a
//! cluster's authentication mode lets entries take effect, and the plan of EKS calls that
//! `eks_access_entry_calls` makes and runs. Pure.

use serde::Serialize;

use super::aws_auth::{NODE_GROUPS, NODE_USERNAME};
use super::eks::EksCluster;
use crate::{Error, Result};

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

/// One EKS API call of an access-entry plan. In JSON the fields are camelCase like
/// [`AccessEntrySpec`]'s (`principalArn`), whichever the step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "camelCase", rename_all_fields = "camelCase")]
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

/// The EKS calls that make an access entry what is asked; [`apply_access_entry_plan`](super::eks::apply_access_entry_plan) runs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessEntryPlan {
    /// The EKS cluster name.
    pub cluster: String,
    /// The calls, in order.
    pub steps: Vec<AccessEntryStep>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::eks::AuthenticationMode;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_string()).collect()
    }

    /// Every step names its principal `principalArn`, as the spec of a create or update does.
    #[test]
    fn steps_serialise_fields_in_camel_case() {
        let arn = "arn:aws:iam::111122223333:role/Admin";
        let spec = access_entry_for_mapping(arn, Some("admin"), &strings(&["devs"]), false, &[]).expect("spec");
        let policy = access_policy_arn("AmazonEKSViewPolicy");
        let steps = [
            AccessEntryStep::Create(spec.clone()),
            AccessEntryStep::Update(spec),
            AccessEntryStep::Unchanged { principal_arn: arn.into() },
            AccessEntryStep::AssociatePolicy { principal_arn: arn.into(), policy_arn: policy.clone() },
            AccessEntryStep::Delete { principal_arn: arn.into() },
            AccessEntryStep::NotFound { principal_arn: arn.into() },
        ];
        let actions = ["create", "update", "unchanged", "associatePolicy", "delete", "notFound"];
        for (step, action) in steps.iter().zip(actions) {
            let json = serde_json::to_value(step).expect("json");
            assert_eq!(json["action"], action, "{json}");
            assert_eq!(json["principalArn"], arn, "{json}");
            assert!(json.get("principal_arn").is_none(), "{json}");
        }
        let json = serde_json::to_value(&steps[3]).expect("json");
        assert_eq!(json["policyArn"], policy.as_str(), "{json}");
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

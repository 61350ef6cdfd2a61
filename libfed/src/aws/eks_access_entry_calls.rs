//! The EKS calls of access entries: reading what exists to plan (DescribeAccessEntry,
//! ListAssociatedAccessPolicies), and running a plan's writes in order (CreateAccessEntry,
//! UpdateAccessEntry, AssociateAccessPolicy, DeleteAccessEntry).

use aws_config::SdkConfig;
use aws_sdk_eks::types::{AccessScope, AccessScopeType};

use super::eks::{EksCluster, aws_error};
use super::eks_access_entry::{AccessEntryPlan, AccessEntrySpec, AccessEntryStep, ensure_access_entries_allowed};
use crate::{Error, Result};

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
/// [`Error::Unsupported`] when the cluster's mode ignores access entries; [`Error::Differs`] when
/// an entry for the principal exists with a different mapping and `replace` is false;
/// [`Error::Data`] when it has a different type (which EKS cannot change); [`Error::Aws`] when a
/// read fails.
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
                return Err(Error::Data {
                    location: format!("eks cluster {}", cluster.name),
                    object: format!("access entry {principal}"),
                    problem: format!(
                        "has type {}, not {}; EKS cannot change the type of an entry: delete it first",
                        existing.entry_type.unwrap_or_default(),
                        spec.entry_type
                    ),
                });
            }
            if same_groups && same_user {
                steps.push(AccessEntryStep::Unchanged { principal_arn: principal.clone() });
            } else if replace {
                steps.push(AccessEntryStep::Update(spec.clone()));
            } else {
                return Err(Error::Differs {
                    location: format!("eks cluster {}", cluster.name),
                    object: format!("access entry {principal}"),
                    problem: format!(
                        "exists with groups [{}] and username {}, and the requested mapping differs",
                        existing.groups.join(","),
                        existing.username.unwrap_or_default()
                    ),
                });
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

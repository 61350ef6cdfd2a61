//! aws-auth edits made as EKS access entries instead (`aws-auth … --access-entries`): every edit
//! planned first (reads only), then the plans applied in order.

use aws_config::SdkConfig;

use super::aws_auth::{Edit, MapRole, NODE_GROUPS, NODE_USERNAME};
use super::eks::EksCluster;
use super::eks_access_entry::{AccessEntryPlan, access_entry_for_mapping, ensure_access_entries_allowed};
use super::eks_access_entry_calls::{apply_access_entry_plan, plan_access_entry, plan_access_entry_removal};
use crate::plan::Execution;
use crate::{Error, Result};

/// Whether a role mapping is the one EKS node groups use (`system:node:{{EC2PrivateDNSName}}`
/// in `system:bootstrappers` and `system:nodes`): it becomes an `EC2_LINUX` access entry.
pub fn is_node_mapping(role: &MapRole) -> bool {
    role.username.as_deref() == Some(NODE_USERNAME) && role.groups.iter().all(|g| NODE_GROUPS.contains(&g.as_str()))
}

/// Plans `edits` as access entries of `cluster`: one plan per edit, in order. `node` makes every
/// added role a node role; `policies` are associated cluster-wide with every added entry.
///
/// # Errors
/// [`Error::Unsupported`] when the cluster ignores access entries; [`Error::Invalid`] for a
/// mapping an access entry cannot express (other `system:` groups, `mapAccounts`);
/// [`Error::Differs`] for an existing entry with another mapping when the edit does not say
/// `replace`; [`Error::Aws`] when a read fails. Nothing is written.
pub async fn plan_edits(
    config: &SdkConfig,
    cluster: &EksCluster,
    edits: &[Edit],
    node: bool,
    policies: &[String],
) -> Result<Vec<AccessEntryPlan>> {
    ensure_access_entries_allowed(cluster)?;
    let mut plans = Vec::new();
    for edit in edits {
        let plan = match edit {
            Edit::AddRole { role, replace } => {
                let node = node || is_node_mapping(role);
                let spec =
                    access_entry_for_mapping(&role.rolearn, role.username.as_deref(), &role.groups, node, policies)?;
                plan_access_entry(config, cluster, &spec, *replace).await?
            }
            Edit::AddUser { user, replace } => {
                let spec =
                    access_entry_for_mapping(&user.userarn, user.username.as_deref(), &user.groups, false, policies)?;
                plan_access_entry(config, cluster, &spec, *replace).await?
            }
            Edit::Remove(arn) => plan_access_entry_removal(config, cluster, arn).await?,
            Edit::AddAccount(account) => {
                return Err(Error::Invalid(format!(
                    "account {account}: mapAccounts has no access-entry equivalent; create an access entry per principal instead"
                )));
            }
        };
        plans.push(plan);
    }
    Ok(plans)
}

/// Makes the write calls of `plans`, in order (none unless `exec` writes: EKS has no dry run).
///
/// # Errors
/// [`Error::Aws`] naming the first call that failed; the calls before it have been made, and
/// planning again continues from there.
pub async fn apply_plans(config: &SdkConfig, plans: &[AccessEntryPlan], exec: Execution) -> Result<()> {
    if !exec.writes() {
        return Ok(());
    }
    for plan in plans {
        apply_access_entry_plan(config, plan).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_node_mapping_is_recognised_by_username_and_groups() {
        let node = MapRole::node("arn:aws:iam::111122223333:role/nodes");
        assert!(is_node_mapping(&node));
        let admin = MapRole::new("arn:aws:iam::1:role/a", Some("admin".into()), vec!["system:masters".into()]);
        assert!(!is_node_mapping(&admin));
    }
}

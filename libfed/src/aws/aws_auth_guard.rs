//! The safety rail of aws-auth edits: an edit that would lock nodes or the last administrators
//! out of the cluster is refused unless forced.
//!
//! Nodes authenticate with their instance role, mapped into `system:bootstrappers` and
//! `system:nodes`; removing that mapping (or replacing it with one lacking those groups) makes
//! every node of the group `NotReady` within minutes. `system:masters` is the only group that
//! cannot be narrowed by RBAC; when the last mapping holding it goes, only the cluster creator's
//! identity (invisible in aws-auth) is left. Both are easy to do by accident with a mistyped ARN.

use serde::Serialize;

use super::aws_auth::AwsAuth;

/// Groups that nodes need to join and stay in the cluster.
pub const NODE_ACCESS_GROUPS: [&str; 2] = ["system:bootstrappers", "system:nodes"];
/// The group of unrestricted administrators.
pub const MASTERS_GROUP: &str = "system:masters";

/// One identity (or group of identities) that an edit would lock out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessLoss {
    /// The role or user ARN whose mapping loses the groups.
    pub arn: String,
    /// The groups it would no longer have.
    pub groups: Vec<String>,
    /// Who loses access, in words.
    pub who: String,
}

impl std::fmt::Display for AccessLoss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} would lose {} ({})", self.arn, self.groups.join(", "), self.who)
    }
}

/// What the edit from `before` to `after` takes away that would lock someone out: node groups
/// of any mapping, and `system:masters` when no mapping would keep it.
pub fn access_losses(before: &AwsAuth, after: &AwsAuth) -> Vec<AccessLoss> {
    let mappings = |auth: &AwsAuth| {
        let roles = auth.roles().into_iter().map(|r| (r.rolearn.to_ascii_lowercase(), r.rolearn, r.groups));
        let users = auth.users().into_iter().map(|u| (u.userarn.clone(), u.userarn, u.groups));
        roles.chain(users).collect::<Vec<_>>()
    };
    let (old, new) = (mappings(before), mappings(after));
    let groups_after = |key: &str| new.iter().filter(|(k, ..)| k == key).flat_map(|(_, _, g)| g).collect::<Vec<_>>();
    let mut losses = Vec::new();
    for (key, arn, groups) in &old {
        let kept = groups_after(key);
        let lost: Vec<String> =
            groups.iter().filter(|g| NODE_ACCESS_GROUPS.contains(&g.as_str()) && !kept.contains(g)).cloned().collect();
        if !lost.is_empty() && !losses.iter().any(|l: &AccessLoss| l.arn == *arn) {
            losses.push(AccessLoss {
                arn: arn.clone(),
                groups: lost,
                who: "the nodes that run with this role could no longer join or stay in the cluster".into(),
            });
        }
    }
    let masters = |m: &[(String, String, Vec<String>)]| {
        m.iter()
            .filter(|(_, _, g)| g.iter().any(|g| g == MASTERS_GROUP))
            .map(|(_, arn, _)| arn.clone())
            .collect::<Vec<_>>()
    };
    if new.iter().all(|(_, _, g)| !g.iter().any(|g| g == MASTERS_GROUP)) {
        for arn in masters(&old) {
            losses.push(AccessLoss {
                arn,
                groups: vec![MASTERS_GROUP.into()],
                who: "no mapping in system:masters would remain; only the cluster creator's identity could administer the cluster".into(),
            });
        }
    }
    losses
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::aws::aws_auth::Edit;

    const NODES: &str = "arn:aws:iam::111122223333:role/nodes";
    const ADMIN: &str = "arn:aws:iam::111122223333:role/admin";
    const OPS: &str = "arn:aws:iam::111122223333:user/ops";

    fn auth(map_roles: &str, map_users: &str) -> AwsAuth {
        let mut data = BTreeMap::new();
        data.insert("mapRoles".to_string(), map_roles.to_string());
        data.insert("mapUsers".to_string(), map_users.to_string());
        AwsAuth::parse(&data).expect("parses")
    }

    fn losses_of(start: &AwsAuth, edits: &[Edit]) -> Vec<AccessLoss> {
        let mut after = start.clone();
        after.apply_all(edits).expect("edit");
        access_losses(start, &after)
    }

    fn start() -> AwsAuth {
        auth(
            &format!(
                "- rolearn: {NODES}\n  username: system:node:{{{{EC2PrivateDNSName}}}}\n  groups:\n  - system:bootstrappers\n  - system:nodes\n- rolearn: {ADMIN}\n  username: admin\n  groups:\n  - system:masters\n"
            ),
            &format!("- userarn: {OPS}\n  username: ops\n  groups:\n  - system:masters\n"),
        )
    }

    #[test]
    fn removing_a_node_role_locks_the_nodes_out() {
        let losses = losses_of(&start(), &[Edit::Remove(NODES.into())]);
        assert_eq!(losses.len(), 1);
        assert_eq!(losses[0].arn, NODES);
        assert_eq!(losses[0].groups, ["system:bootstrappers", "system:nodes"]);
        // Role ARNs compare case-insensitively, as the authenticator compares them.
        assert_eq!(losses_of(&start(), &[Edit::Remove("arn:aws:iam::111122223333:role/NODES".into())]).len(), 1);
    }

    #[test]
    fn replacing_a_node_role_without_its_groups_locks_the_nodes_out() {
        let role = crate::aws::aws_auth::MapRole::new(NODES, Some("x".into()), vec!["viewers".into()]);
        let losses = losses_of(&start(), &[Edit::AddRole { role, replace: true }]);
        assert_eq!(losses.iter().map(|l| l.arn.as_str()).collect::<Vec<_>>(), [NODES]);
    }

    #[test]
    fn removing_one_of_two_masters_is_fine_and_the_last_is_not() {
        assert_eq!(losses_of(&start(), &[Edit::Remove(ADMIN.into())]), []);
        let both = losses_of(&start(), &[Edit::Remove(ADMIN.into()), Edit::Remove(OPS.into())]);
        assert_eq!(both.iter().map(|l| l.arn.as_str()).collect::<Vec<_>>(), [ADMIN, OPS]);
        assert!(both.iter().all(|l| l.groups == [MASTERS_GROUP]));
    }

    #[test]
    fn ordinary_edits_lose_nothing() {
        let viewer = crate::aws::aws_auth::MapRole::new(
            "arn:aws:iam::111122223333:role/viewer",
            Some("viewer".into()),
            vec!["viewers".into()],
        );
        let start = start();
        assert_eq!(losses_of(&start, &[Edit::AddRole { role: viewer.clone(), replace: false }]), []);
        let mut with_viewer = start.clone();
        with_viewer.apply_all(&[Edit::AddRole { role: viewer, replace: false }]).expect("add");
        assert_eq!(losses_of(&with_viewer, &[Edit::Remove("arn:aws:iam::111122223333:role/viewer".into())]), []);
        assert_eq!(losses_of(&start, &[Edit::Remove("arn:aws:iam::111122223333:role/absent".into())]), []);
        // A cluster that never had a masters mapping loses nothing by keeping none.
        let empty = auth("", "");
        assert_eq!(access_losses(&empty, &empty), []);
    }
}

//! The names real clusters expect (spec/federation.md §1–3), and the label that marks what this
//! tool made.

/// ServiceAccount, ClusterRole and ClusterRoleBinding in a remote cluster, and the name of the
/// user, cluster and (with `-ctx`) context in a minted kubeconfig.
pub const FEDERATION_REMOTE: &str = "tigera-federation-remote-cluster";
/// The kubeconfig context name of a minted kubeconfig.
pub const FEDERATION_CONTEXT: &str = "tigera-federation-remote-cluster-ctx";
/// Default namespace for the remote ServiceAccount (Calico Enterprise ≥ 3.21; `kube-system` before).
pub const DEFAULT_REMOTE_NAMESPACE: &str = "calico-system";
/// Default namespace for the local Secret, Role and RoleBinding.
pub const DEFAULT_SECRET_NAMESPACE: &str = "calico-system";
/// Field manager of every server-side apply.
pub const FIELD_MANAGER: &str = "kubectl-federate";
/// The standard label on everything this tool creates; unjoin and prune touch nothing without it.
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
/// The value of [`MANAGED_BY_LABEL`].
pub const MANAGED_BY: &str = "kubectl-federate";
/// Annotation set only when this tool creates an object (never on an object it found). Together
/// with [`MANAGED_BY_LABEL`] it is the tool's proof of ownership: only objects carrying both are ever
/// rewritten or deleted.
pub const CREATED_BY_ANNOTATION: &str = "federation.kubectl-federate.io/created-by";
/// Label on local objects naming the remote cluster a link points at (for status, unjoin, prune).
pub const REMOTE_CLUSTER_LABEL: &str = "federation.kubectl-federate.io/remote-cluster";
/// Annotation prefix on the remote ServiceAccount recording which local clusters use it, so that
/// `unjoin --remote-cleanup` removes the remote objects only when no other cluster does.
pub const USED_BY_ANNOTATION_PREFIX: &str = "federation.kubectl-federate.io/used-by.";
/// The ServiceAccount Calico Enterprise's Typha runs as; it must be able to read the Secret.
pub const TYPHA_SERVICE_ACCOUNT: (&str, &str) = ("calico-system", "calico-typha");

/// The local Secret holding the kubeconfig for remote cluster `name`.
pub fn secret_name(name: &str) -> String {
    format!("remote-cluster-secret-{name}")
}

/// The Role and RoleBinding that let Typha read the Secret for remote cluster `name`.
pub fn secret_access_name(name: &str) -> String {
    format!("remote-cluster-secret-access-{name}")
}

/// Turns a kubeconfig context name into a cluster name: a DNS-1123 label (lowercase alphanumerics
/// and `-`, at most 63 characters, starting and ending with an alphanumeric). EKS context ARNs
/// (`arn:aws:eks:region:acct:cluster/NAME`) become `NAME`.
pub fn sanitize_cluster_name(context: &str) -> String {
    let base = context.rsplit_once(":cluster/").map_or(context, |(_, n)| n);
    let mut out = String::with_capacity(base.len());
    for c in base.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed: String = out.trim_matches('-').chars().take(63).collect();
    trimmed.trim_end_matches('-').to_string()
}

/// Checks that `name` is a DNS-1123 label, as RCC names must be.
///
/// # Errors
/// A message saying what is wrong with the name.
pub fn validate_cluster_name(name: &str) -> Result<(), String> {
    let ok_chars = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let ok_ends =
        name.starts_with(|c: char| c.is_ascii_alphanumeric()) && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if name.is_empty() || name.len() > 63 || !ok_chars || !ok_ends {
        return Err(format!(
            "cluster name {name:?} is not a DNS-1123 label (lowercase letters, digits and '-', at most 63, alphanumeric at both ends)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_names_become_dns_labels() {
        for (context, name) in [
            ("cluster-a", "cluster-a"),
            ("Kind_Cluster.B", "kind-cluster-b"),
            ("arn:aws:eks:us-west-2:111122223333:cluster/prod-east", "prod-east"),
            ("admin@my.cluster", "admin-my-cluster"),
            ("--x--", "x"),
        ] {
            assert_eq!(sanitize_cluster_name(context), name, "{context}");
            assert_eq!(validate_cluster_name(name), Ok(()));
        }
        assert_eq!(sanitize_cluster_name(&"a".repeat(80)).len(), 63);
    }

    #[test]
    fn invalid_cluster_names_are_refused() {
        for bad in ["", "A", "-a", "a-", "a_b", "a.b", &"a".repeat(64)] {
            assert!(validate_cluster_name(bad).is_err(), "{bad:?}");
        }
    }
}

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

/// The naming rule a Kubernetes name must follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// Namespaces, RCC (cluster) names: lowercase alphanumerics and `-`, at most 63, alphanumeric
    /// at both ends.
    Dns1123Label,
    /// Service names: a DNS-1123 label that starts with a letter.
    Dns1035Label,
    /// Most object names (Secrets, Roles, Leases): DNS-1123 labels joined by `.`, at most 253.
    Dns1123Subdomain,
}

impl std::fmt::Display for NameRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Dns1123Label => {
                "a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters, alphanumeric at both ends)"
            }
            Self::Dns1035Label => {
                "a DNS-1035 label (lowercase letters, digits and '-', at most 63 characters, starting with a letter and ending with an alphanumeric)"
            }
            Self::Dns1123Subdomain => {
                "a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters, alphanumeric at both ends of each part)"
            }
        })
    }
}

/// A name or namespace that Kubernetes would refuse (or that would end up in a URL path).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} {name:?} is not valid: {problem}; it must be {rule}")]
pub struct NameError {
    /// What the name is for: `namespace`, `cluster name`, `service name` …
    pub what: &'static str,
    /// The name as given (at most 100 characters of it).
    pub name: String,
    /// The rule it breaks.
    pub rule: NameRule,
    /// What exactly is wrong.
    pub problem: String,
}

impl NameError {
    /// A name that follows the rule, derived from the one given, when there is one.
    pub fn suggestion(&self) -> Option<String> {
        let s = sanitize_cluster_name(&self.name);
        let s = match self.rule {
            NameRule::Dns1035Label => s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-').to_string(),
            _ => s,
        };
        (!s.is_empty() && s != self.name).then_some(s)
    }

    /// What to write instead.
    pub fn hint(&self) -> String {
        match self.suggestion() {
            Some(s) => format!("use a {} such as {s:?}", self.what),
            None => format!("use a {} made of lowercase letters, digits and '-'", self.what),
        }
    }
}

fn label_problem(label: &str, max: usize) -> Option<String> {
    if label.is_empty() {
        return Some("it is empty".into());
    }
    if label.len() > max {
        return Some(format!("it is {} characters long", label.len()));
    }
    if let Some(c) = label.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        return Some(if c.is_ascii_uppercase() {
            "it contains uppercase letters".into()
        } else {
            format!("it contains {c:?}")
        });
    }
    if !label.starts_with(|c: char| c.is_ascii_alphanumeric()) || !label.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Some("it starts or ends with '-'".into());
    }
    None
}

fn check(what: &'static str, name: &str, rule: NameRule) -> Result<(), NameError> {
    let problem = match rule {
        NameRule::Dns1123Label => label_problem(name, 63),
        NameRule::Dns1035Label => label_problem(name, 63).or_else(|| {
            (!name.starts_with(|c: char| c.is_ascii_lowercase())).then(|| "it does not start with a letter".into())
        }),
        NameRule::Dns1123Subdomain => {
            if name.len() > 253 {
                Some(format!("it is {} characters long", name.len()))
            } else {
                name.split('.')
                    .find_map(|part| label_problem(part, 63))
                    .map(|p| if name.contains('.') { format!("{p} (in a '.'-separated part)") } else { p })
            }
        }
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(NameError { what, name: name.chars().take(100).collect(), rule, problem }),
    }
}

/// Checks that `name` is a DNS-1123 label, as RCC names must be.
///
/// # Errors
/// [`NameError`] saying what is wrong with the name.
pub fn validate_cluster_name(name: &str) -> Result<(), NameError> {
    check("cluster name", name, NameRule::Dns1123Label)
}

/// Checks that `namespace` is a DNS-1123 label, before it is put in any request path.
///
/// # Errors
/// [`NameError`] saying what is wrong with the namespace.
pub fn validate_namespace(namespace: &str) -> Result<(), NameError> {
    check("namespace", namespace, NameRule::Dns1123Label)
}

/// Checks that `name` can name a Service (a DNS-1035 label).
///
/// # Errors
/// [`NameError`] saying what is wrong with the name.
pub fn validate_service_name(name: &str) -> Result<(), NameError> {
    check("service name", name, NameRule::Dns1035Label)
}

/// Checks that `name` can name an object such as a Secret, Role or Lease (a DNS-1123 subdomain).
///
/// # Errors
/// [`NameError`] saying what is wrong with the name.
pub fn validate_object_name(what: &'static str, name: &str) -> Result<(), NameError> {
    check(what, name, NameRule::Dns1123Subdomain)
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

    #[test]
    fn namespaces_follow_dns_1123_label_rules_and_say_what_is_wrong() {
        for ok in ["calico-system", "kube-system", "a", "0ns", &"a".repeat(63)] {
            assert_eq!(validate_namespace(ok), Ok(()), "{ok}");
        }
        for (bad, problem) in [
            ("Bad/NS", "uppercase"),
            ("bad/ns", "'/'"),
            ("..", "'.'"),
            ("", "empty"),
            ("-ns", "'-'"),
            ("ns-", "'-'"),
            ("a b", "' '"),
            ("ns%2F..", "'%'"),
        ] {
            let err = validate_namespace(bad).expect_err(bad);
            assert_eq!(err.what, "namespace");
            assert!(err.problem.contains(problem), "{bad:?}: {}", err.problem);
            assert!(err.to_string().contains("DNS-1123 label"), "{err}");
        }
        let long = "a".repeat(64);
        assert!(validate_namespace(&long).expect_err("64").problem.contains("64 characters"));
    }

    #[test]
    fn name_errors_suggest_a_valid_name() {
        let err = validate_namespace("Bad/NS").expect_err("bad");
        assert_eq!(err.suggestion().as_deref(), Some("bad-ns"));
        assert!(err.hint().contains("\"bad-ns\""), "{}", err.hint());
        assert_eq!(validate_namespace("---").expect_err("dashes").suggestion(), None);
        let huge = "X".repeat(10_000);
        assert!(validate_namespace(&huge).expect_err("huge").to_string().len() < 400);
    }

    #[test]
    fn service_and_object_names_follow_their_rules() {
        assert_eq!(validate_service_name("my-svc"), Ok(()));
        assert!(validate_service_name("1svc").expect_err("digit").problem.contains("letter"));
        assert!(validate_service_name("my.svc").is_err());
        assert_eq!(validate_object_name("lease name", "a.b-c.d"), Ok(()));
        for bad in ["a..b", ".a", "A", "a/b", &"a".repeat(254)] {
            assert!(validate_object_name("lease name", bad).is_err(), "{bad:?}");
        }
    }
}

//! What a hint needs to name the exact command that fixes a link: the local context, the remote's
//! name and context, and the namespaces when they are not the defaults.

use crate::names::{DEFAULT_REMOTE_NAMESPACE, DEFAULT_SECRET_NAMESPACE, sanitize_cluster_name};

/// What the hints of one link need to know to name the exact fixing command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkContext {
    /// The local cluster's context.
    pub local_context: String,
    /// The remote's RCC name.
    pub name: String,
    /// The context that reaches the remote, if one matched.
    pub remote_context: Option<String>,
    /// The namespace of the link's Secret.
    pub secret_namespace: String,
    /// The namespace of the remote ServiceAccount (from the token's subject), once known.
    pub remote_namespace: Option<String>,
}

/// Quotes a word for a POSIX shell when it needs it.
pub(crate) fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

impl LinkContext {
    /// The remote's context, or a placeholder when no context of the kubeconfig reaches it.
    pub fn remote(&self) -> String {
        self.remote_context.as_deref().map_or_else(|| "REMOTE_CONTEXT".into(), shell_word)
    }

    /// `kubectl federate join NAME=CONTEXT --context LOCAL` (plus the namespaces when not the
    /// defaults, and `extra`): re-running join converges the whole link.
    pub fn join(&self, extra: &str) -> String {
        let spec = match &self.remote_context {
            Some(c) if sanitize_cluster_name(c) == self.name => shell_word(c),
            _ => format!("{}={}", self.name, self.remote()),
        };
        let mut cmd = format!("kubectl federate join {spec} --context {}", shell_word(&self.local_context));
        if self.secret_namespace != DEFAULT_SECRET_NAMESPACE {
            cmd += &format!(" --secret-namespace {}", self.secret_namespace);
        }
        if let Some(ns) = self.remote_namespace.as_deref().filter(|ns| *ns != DEFAULT_REMOTE_NAMESPACE) {
            cmd += &format!(" --remote-namespace {ns}");
        }
        if !extra.is_empty() {
            cmd.push(' ');
            cmd.push_str(extra);
        }
        cmd
    }

    /// `kubectl federate rotate LOCAL REMOTE` (plus the namespaces when not the defaults): a new
    /// credential for the remote, stored in the local cluster, and the old one revoked once every
    /// cluster that uses it has the new one.
    pub fn rotate(&self) -> String {
        let remote = match &self.remote_context {
            Some(c) if sanitize_cluster_name(c) == self.name => shell_word(c),
            _ => format!("{}={}", self.name, self.remote()),
        };
        let mut cmd = format!("kubectl federate rotate {} {remote}", shell_word(&self.local_context));
        if self.secret_namespace != DEFAULT_SECRET_NAMESPACE {
            cmd += &format!(" --secret-namespace {}", self.secret_namespace);
        }
        if let Some(ns) = self.remote_namespace.as_deref().filter(|ns| *ns != DEFAULT_REMOTE_NAMESPACE) {
            cmd += &format!(" --remote-namespace {ns}");
        }
        cmd
    }

    /// `re-run `kubectl federate join …``: the usual fix.
    pub fn rejoin(&self) -> String {
        format!("re-run `{}`", self.join(""))
    }
}

/// The context of the kubeconfig that reaches a remote: the one whose server is the stored
/// kubeconfig's server (preferring one named like the remote), else one named like the remote.
pub fn find_remote_context(contexts: &[(String, String)], name: &str, server: Option<&str>) -> Option<String> {
    let named = |c: &(String, String)| sanitize_cluster_name(&c.0) == name;
    let same = |s: &str| server.is_some_and(|srv| srv.trim_end_matches('/') == s.trim_end_matches('/'));
    let by_server: Vec<&(String, String)> = contexts.iter().filter(|(_, s)| same(s)).collect();
    by_server
        .iter()
        .find(|c| named(c))
        .or(by_server.first())
        .map(|c| c.0.clone())
        .or_else(|| contexts.iter().find(|c| named(c)).map(|c| c.0.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> LinkContext {
        LinkContext {
            local_context: "cluster-a".into(),
            name: "cluster-b".into(),
            remote_context: Some("cluster-b".into()),
            secret_namespace: "calico-system".into(),
            remote_namespace: Some("calico-system".into()),
        }
    }

    #[test]
    fn join_hints_name_the_exact_command() {
        let mut c = ctx();
        assert_eq!(c.join(""), "kubectl federate join cluster-b --context cluster-a");
        c.remote_context = Some("Kind_B".into());
        c.name = "east".into();
        assert_eq!(c.join(""), "kubectl federate join east=Kind_B --context cluster-a");
        c.remote_context = None;
        c.secret_namespace = "federation".into();
        c.remote_namespace = Some("kube-system".into());
        c.local_context = "arn:aws:eks:us-east-1:1:cluster/a b".into();
        assert_eq!(
            c.join("--token request"),
            "kubectl federate join east=REMOTE_CONTEXT --context 'arn:aws:eks:us-east-1:1:cluster/a b' --secret-namespace federation --remote-namespace kube-system --token request"
        );
    }

    #[test]
    fn rotate_hints_name_both_clusters() {
        let mut c = ctx();
        assert_eq!(c.rotate(), "kubectl federate rotate cluster-a cluster-b");
        c.remote_context = None;
        c.remote_namespace = Some("kube-system".into());
        assert_eq!(
            c.rotate(),
            "kubectl federate rotate cluster-a cluster-b=REMOTE_CONTEXT --remote-namespace kube-system"
        );
    }

    #[test]
    fn remote_contexts_are_found_by_server_then_by_name() {
        let contexts = vec![
            ("admin@b".to_string(), "https://b:6443".to_string()),
            ("cluster-b".to_string(), "https://b:6443/".to_string()),
            ("cluster-c".to_string(), "https://c:6443".to_string()),
        ];
        assert_eq!(find_remote_context(&contexts, "cluster-b", Some("https://b:6443")), Some("cluster-b".into()));
        assert_eq!(find_remote_context(&contexts, "east", Some("https://b:6443")), Some("admin@b".into()));
        assert_eq!(find_remote_context(&contexts, "cluster-c", Some("https://elsewhere")), Some("cluster-c".into()));
        assert_eq!(find_remote_context(&contexts, "west", None), None);
    }
}

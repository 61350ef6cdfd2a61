//! The one error type of `libfed`.

/// Everything `libfed` can fail with. Each variant names the cluster (kubeconfig context) and the
/// object it was working on; the cause is left to [`std::error::Error::source`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A kubeconfig could not be read or does not hold what was asked of it.
    #[error("kubeconfig: {message}")]
    Kubeconfig {
        /// What was wrong.
        message: String,
        /// The underlying error, if any.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// An API call against a cluster failed.
    #[error("cluster {cluster}: {action} {object}")]
    Api {
        /// The kubeconfig context (or cluster name) the call went to.
        cluster: String,
        /// What was being done (`get`, `apply`, `delete`, `create token for` …).
        action: &'static str,
        /// The object, as `kind ns/name` or `kind name`.
        object: String,
        /// The client error (boxed, to keep [`Error`] small; [`as_kube`] finds it in a chain).
        #[source]
        source: Box<kube::Error>,
    },
    /// Waiting for something on a cluster took longer than allowed.
    #[error("cluster {cluster}: timed out after {seconds}s waiting for {what}")]
    Timeout {
        /// The kubeconfig context.
        cluster: String,
        /// What was awaited.
        what: String,
        /// How long was waited.
        seconds: u64,
    },
    /// A cluster does not serve an API the operation needs.
    #[error("cluster {cluster}: {message}")]
    Unsupported {
        /// The kubeconfig context.
        cluster: String,
        /// What is missing, in words a user can act on.
        message: String,
    },
    /// The input given to an operation is invalid.
    #[error("{0}")]
    Invalid(String),
    /// The aws-auth ConfigMap of a cluster cannot be read or edited as asked.
    #[error("cluster {cluster}: {object}")]
    AwsAuth {
        /// The kubeconfig context.
        cluster: String,
        /// Always `configmap kube-system/aws-auth`.
        object: String,
        /// What is wrong with its content or the edit (boxed: it is the largest cause).
        #[source]
        source: Box<crate::aws::AwsAuthError>,
    },
    /// An AWS API call failed.
    #[error("aws {action} {resource}")]
    Aws {
        /// The operation, as `service Operation` (e.g. `eks DescribeCluster`).
        action: &'static str,
        /// What it was about (an EKS cluster name, a principal ARN …).
        resource: String,
        /// The SDK error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// An object of the name the tool needs exists, was not created by the tool, and cannot be used
    /// as it is. Nothing is written.
    #[error("cluster {cluster}: {object} exists, was not created by kubectl-federate, and {problem}; hint: {hint}")]
    NotOurs {
        /// The kubeconfig context.
        cluster: String,
        /// The object, as `kind ns/name` or `kind name`.
        object: String,
        /// Why it cannot be used.
        problem: String,
        /// What to do.
        hint: String,
    },
    /// An object changed between reading and writing it (created, deleted or rewritten by someone
    /// else meanwhile); the operation re-plans.
    #[error("cluster {cluster}: {object} changed while this command ran ({what})")]
    Changed {
        /// The kubeconfig context.
        cluster: String,
        /// The object, as `kind ns/name` or `kind name`.
        object: String,
        /// What was seen.
        what: String,
    },
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps a client error with the cluster, action and object it concerned.
    pub fn api(
        cluster: impl Into<String>,
        action: &'static str,
        object: impl Into<String>,
        source: kube::Error,
    ) -> Self {
        Self::Api { cluster: cluster.into(), action, object: object.into(), source: Box::new(source) }
    }

    /// A kubeconfig error without an underlying cause.
    pub fn kubeconfig(message: impl Into<String>) -> Self {
        Self::Kubeconfig { message: message.into(), source: None }
    }
}

/// One error of a chain in words: a Kubernetes `Status` failure as its reason and message
/// (`NotFound: namespaces "x" not found (HTTP 404)`), never kube's `Display`, which appends a
/// Rust debug dump of the whole `Status`; a connection failure as what failed at the bottom of
/// hyper's and tower's layers (`cannot connect: Connection refused (os error 111)`); anything else
/// as its `Display`. After a described error, [`ends_chain`] says its causes add nothing.
pub fn describe(err: &(dyn std::error::Error + 'static)) -> String {
    match as_kube(err) {
        Some(kube::Error::Api(status)) => describe_status(status),
        Some(kube::Error::HyperError(_) | kube::Error::Service(_)) => {
            let mut root: &(dyn std::error::Error + 'static) = err;
            while let Some(s) = root.source() {
                root = s;
            }
            let root = root.to_string();
            let what = if root.contains("timed out") || root.contains("deadline") {
                "no answer from the API server"
            } else {
                "cannot connect to the API server"
            };
            format!("{what}: {}", root.trim_start_matches("ServiceError: "))
        }
        _ => err.to_string(),
    }
}

/// A Kubernetes `Status` failure in words.
pub fn describe_status(status: &kube::core::Status) -> String {
    let message = if status.message.is_empty() { "the API server refused the request" } else { &status.message };
    match (status.reason.as_str(), status.code) {
        ("", 0) => message.to_owned(),
        ("", code) => format!("{message} (HTTP {code})"),
        (reason, 0) => format!("{reason}: {message}"),
        (reason, code) => format!("{reason}: {message} (HTTP {code})"),
    }
}

/// Whether [`describe`] already said everything `err`'s causes would: a Kubernetes `Status`
/// failure or a connection failure.
pub fn ends_chain(err: &(dyn std::error::Error + 'static)) -> bool {
    matches!(as_kube(err), Some(kube::Error::Api(_) | kube::Error::HyperError(_) | kube::Error::Service(_)))
}

/// The kube client error `err` is, whether bare or boxed (as [`Error::Api`] holds it).
pub fn as_kube<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a kube::Error> {
    err.downcast_ref::<kube::Error>().or_else(|| err.downcast_ref::<Box<kube::Error>>().map(AsRef::as_ref))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_failure_is_words_not_a_debug_dump() {
        let status = kube::core::Status::failure(r#"namespaces "nosuchns" not found"#, "NotFound").with_code(404);
        let err = Error::api("cluster-a", "apply", "service nosuchns/web", kube::Error::Api(Box::new(status)));
        let chain = crate::federate::error_chain(&err);
        assert_eq!(
            chain,
            r#"cluster cluster-a: apply service nosuchns/web: NotFound: namespaces "nosuchns" not found (HTTP 404)"#
        );
        for debug in ["Status {", "Some(", "Failure"] {
            assert!(!chain.contains(debug), "{chain}");
        }
    }

    /// Small enough to return by value everywhere (clippy's `result_large_err` bound).
    #[test]
    fn the_error_stays_small() {
        assert!(std::mem::size_of::<Error>() <= 128, "{} bytes", std::mem::size_of::<Error>());
    }

    #[test]
    fn a_connection_failure_is_its_root_cause() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused (os error 111)");
        let err = Error::api("dead", "list", "services", kube::Error::Service(Box::new(io)));
        assert_eq!(
            crate::federate::error_chain(&err),
            "cluster dead: list services: cannot connect to the API server: Connection refused (os error 111)"
        );
    }
}

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
        /// The client error.
        #[source]
        source: kube::Error,
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
        /// What is wrong with its content or the edit.
        #[source]
        source: crate::aws::AwsAuthError,
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
        Self::Api { cluster: cluster.into(), action, object: object.into(), source }
    }

    /// A kubeconfig error without an underlying cause.
    pub fn kubeconfig(message: impl Into<String>) -> Self {
        Self::Kubeconfig { message: message.into(), source: None }
    }
}

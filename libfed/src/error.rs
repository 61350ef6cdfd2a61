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
    /// The input given to an operation is invalid (flags, options, names, a file the user gave).
    #[error("{0}")]
    Invalid(String),
    /// Something read from a cluster or an AWS answer does not hold what it must (a Secret
    /// without a token, an answer without an account). The data is not echoed: it may be secret.
    #[error("{location}: {object}: {problem}")]
    Data {
        /// Where it was read: `cluster CONTEXT`, or `aws`.
        location: String,
        /// The object, as `kind ns/name` or `kind name`, or the AWS call.
        object: String,
        /// What is wrong with it, in words.
        problem: String,
    },
    /// An object exists with other content than asked for, and replacing it was not asked for;
    /// nothing was written.
    #[error("{location}: {object} {problem}")]
    Differs {
        /// Where it is: `cluster CONTEXT`, or `eks cluster NAME`.
        location: String,
        /// The object (`access entry ARN`, `kind ns/name`).
        object: String,
        /// How it differs, in words.
        problem: String,
    },
    /// A bug in this crate or its caller (a plan that cannot be executed, an embedded manifest
    /// that does not parse). Please report it.
    #[error("internal error: {0}")]
    Internal(String),
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
    /// A plan names a cluster its caller gave no client for (a bug in the caller); nothing was
    /// written.
    #[error("cluster {cluster}: {object} is planned, but no client for that cluster was given")]
    NoClient {
        /// The kubeconfig context the action names.
        cluster: String,
        /// The object, as `kind ns/name` or `kind name`.
        object: String,
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

/// What kind of failure an [`Error`] is: a stable classification to choose exit codes, hints or
/// retries by, instead of reading messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is invalid: flags, options, names or files the user gave. Fix the command.
    InvalidInput,
    /// A kubeconfig cannot be read or used (missing file, unknown context, bad CA data).
    Kubeconfig,
    /// The API server (or AWS) refused the credential or the permission (HTTP 401/403).
    Forbidden,
    /// An object or API is not there (HTTP 404).
    NotFound,
    /// The API server (or AWS) could not be reached or did not answer in time.
    Unreachable,
    /// An object changed, or exists, where this operation expected otherwise (HTTP 409, or a
    /// precondition); planning again may succeed.
    Conflict,
    /// An object of the name the tool needs exists, was not created by the tool and cannot be
    /// used; nothing was written.
    NotOurs,
    /// A cluster does not serve an API the operation needs (Calico Enterprise not installed).
    Unsupported,
    /// Data read from a cluster, a file or AWS is malformed or unsafe; nothing was written.
    InvalidData,
    /// The API server rejected the request as invalid (HTTP 400/422) or failed (5xx), or an AWS
    /// call failed otherwise.
    Rejected,
    /// A bug.
    Internal,
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The kind of failure, for exit codes, hints and retries.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Kubeconfig { .. } => ErrorKind::Kubeconfig,
            Error::Api { source, .. } => kube_kind(source),
            Error::Timeout { .. } => ErrorKind::Unreachable,
            Error::Unsupported { .. } => ErrorKind::Unsupported,
            Error::Invalid(_) => ErrorKind::InvalidInput,
            Error::Data { .. } => ErrorKind::InvalidData,
            Error::Internal(_) | Error::NoClient { .. } => ErrorKind::Internal,
            Error::AwsAuth { source, .. } => match source.as_ref() {
                crate::aws::AwsAuthError::Invalid { .. } => ErrorKind::InvalidInput,
                crate::aws::AwsAuthError::Conflict { .. } => ErrorKind::Conflict,
                crate::aws::AwsAuthError::WouldLoseAccess { .. } => ErrorKind::Conflict,
                _ => ErrorKind::InvalidData,
            },
            Error::Aws { source, .. } => aws_kind(source.as_ref()),
            Error::NotOurs { .. } => ErrorKind::NotOurs,
            Error::Changed { .. } | Error::Differs { .. } => ErrorKind::Conflict,
        }
    }

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

/// The kind of a kube client error: by HTTP status, else a connection failure. [`Error::kind`]
/// uses it for [`Error::Api`]; callers holding a bare kube error use it directly.
pub fn kube_kind(e: &kube::Error) -> ErrorKind {
    match e {
        kube::Error::Api(s) => match s.code {
            401 | 403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            _ => ErrorKind::Rejected,
        },
        kube::Error::HyperError(_) | kube::Error::Service(_) => ErrorKind::Unreachable,
        _ => ErrorKind::Rejected,
    }
}

/// The kind of an AWS SDK error, from its Display (the SDK's error types are per operation).
fn aws_kind(e: &(dyn std::error::Error + 'static)) -> ErrorKind {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push(' ');
        text.push_str(&c.to_string());
        cause = c.source();
    }
    if text.contains("ResourceNotFound") || text.contains("NoSuchEntity") {
        ErrorKind::NotFound
    } else if text.contains("AccessDenied") || text.contains("UnrecognizedClient") || text.contains("credentials") {
        ErrorKind::Forbidden
    } else if text.contains("dispatch failure") || text.contains("timed out") || text.contains("io error") {
        ErrorKind::Unreachable
    } else if text.contains("ResourceInUse") || text.contains("Conflict") {
        ErrorKind::Conflict
    } else {
        ErrorKind::Rejected
    }
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
    fn kinds_follow_the_status_code_and_the_variant() {
        let status = |code| kube::Error::Api(Box::new(kube::core::Status::failure("x", "X").with_code(code)));
        let api = |code| Error::api("a", "get", "secret ns/s", status(code));
        assert_eq!(api(403).kind(), ErrorKind::Forbidden);
        assert_eq!(api(401).kind(), ErrorKind::Forbidden);
        assert_eq!(api(404).kind(), ErrorKind::NotFound);
        assert_eq!(api(409).kind(), ErrorKind::Conflict);
        assert_eq!(api(422).kind(), ErrorKind::Rejected);
        assert_eq!(api(500).kind(), ErrorKind::Rejected);
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert_eq!(Error::api("a", "list", "pods", kube::Error::Service(Box::new(io))).kind(), ErrorKind::Unreachable);
        let t = Error::Timeout { cluster: "a".into(), what: "token".into(), seconds: 1 };
        assert_eq!(t.kind(), ErrorKind::Unreachable);
        assert_eq!(Error::Invalid("x".into()).kind(), ErrorKind::InvalidInput);
        assert_eq!(Error::kubeconfig("x").kind(), ErrorKind::Kubeconfig);
        let changed = Error::Changed { cluster: "a".into(), object: "o".into(), what: "w".into() };
        assert_eq!(changed.kind(), ErrorKind::Conflict);
        let missing = std::io::Error::other("ResourceNotFoundException: No cluster found for name: prod");
        let aws = Error::Aws { action: "eks DescribeCluster", resource: "prod".into(), source: Box::new(missing) };
        assert_eq!(aws.kind(), ErrorKind::NotFound);
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

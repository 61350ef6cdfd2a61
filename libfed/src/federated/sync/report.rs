//! What a sync did: per federated Service ([`ServiceSync`], its [`Outcome`]) and per local
//! cluster ([`SyncReport`]). Pure data, serialised by `svc sync -o json|yaml`.

use serde::Serialize;

use super::RemoteProblem;

/// What happened to a federated Service's objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// The Endpoints object was created.
    Created,
    /// The Endpoints object or some slices were written.
    Updated,
    /// Everything was already right; nothing was written.
    Unchanged,
    /// The objects of a Service that is no longer federated were deleted.
    Deleted,
    /// Nothing was done, on purpose (see the reason).
    Skipped,
    /// A write failed (see the reason).
    Failed,
}

/// The result for one Service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSync {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// What happened.
    pub outcome: Outcome,
    /// Ready addresses computed.
    pub ready: usize,
    /// Not-ready addresses computed.
    pub not_ready: usize,
    /// Slices an earlier version of this crate wrote, deleted now that Kubernetes mirrors the
    /// Endpoints.
    #[serde(skip_serializing_if = "is_zero")]
    pub legacy_slices_deleted: usize,
    /// Why it was skipped or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ServiceSync {
    pub(super) fn new(namespace: &str, name: &str, outcome: Outcome) -> Self {
        Self {
            namespace: namespace.into(),
            name: name.into(),
            outcome,
            ready: 0,
            not_ready: 0,
            legacy_slices_deleted: 0,
            reason: None,
        }
    }

    /// A failure because the cluster did not answer in time.
    pub fn timed_out(namespace: &str, name: &str, after: std::time::Duration) -> Self {
        Self::new(namespace, name, Outcome::Failed)
            .failed(format!("the API server did not answer within {}s", after.as_secs()))
    }

    pub(super) fn failed(mut self, reason: String) -> Self {
        self.outcome = Outcome::Failed;
        self.reason = Some(reason);
        self
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The result of one sync of a local cluster.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// The local cluster's context.
    pub cluster: String,
    /// The remotes read, by RCC name.
    pub remotes: Vec<String>,
    /// The remotes that could not be read (their endpoints were withdrawn).
    pub problems: Vec<RemoteProblem>,
    /// One entry per federated Service, and per Service whose objects were removed.
    pub services: Vec<ServiceSync>,
}

impl SyncReport {
    /// Whether a remote could not be read or a write failed.
    pub fn failed(&self) -> bool {
        !self.problems.is_empty() || self.services.iter().any(|s| s.outcome == Outcome::Failed)
    }
}

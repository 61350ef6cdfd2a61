//! `libfed`: federate Kubernetes clusters for Calico Enterprise.
//!
//! Everything `kubectl federate` does is a function of this crate, so another tool can embed the
//! same behaviour: minting self-contained kubeconfigs from ServiceAccount tokens, planning and
//! applying the Secrets, RBAC and `RemoteClusterConfiguration`s of a federation link, checking
//! that links work, evaluating Calico selectors, computing federated-service endpoints, and the
//! AWS pieces (aws-auth edits, EKS tokens).
//!
//! Decisions are pure functions (plans, selector matching, endpoint merging, aws-auth edits);
//! I/O lives in the async functions at the edges.

pub mod aws;
pub mod calico;
pub mod cluster;
pub mod error;
pub mod eval;
pub mod federate;
pub mod federated;
pub mod jwt;
pub mod kubeconfig;
pub mod link;
pub mod names;
pub mod plan;
pub mod redact;
pub mod remote;
pub mod remotes;
pub mod resource;
pub mod status;
pub mod tls;
pub mod unjoin;

pub use error::{Error, Result};

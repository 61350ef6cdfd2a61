#![deny(missing_docs)]
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
//!
//! # Example: a three-cluster mesh, then a selector over every cluster
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use libfed::calico::selector::Selector;
//! use libfed::cluster::Cluster;
//! use libfed::federate::{FederateOptions, Member, federate, mesh_links};
//! use libfed::link::LinkOptions;
//! use libfed::credential::TokenChoice;
//! use libfed::plan::Execution;
//! use libfed::remote::RemoteOptions;
//!
//! # async fn run() -> libfed::Result<()> {
//! let kubeconfig = libfed::kubeconfig::load(None)?; // KUBECONFIG, merged like kubectl
//! let mut members = Vec::new();
//! for context in ["cluster-a", "cluster-b", "cluster-c"] {
//!     let cluster = Cluster::from_kubeconfig(&kubeconfig, context, None, Some(Duration::from_secs(30))).await?;
//!     members.push(Member { cluster, server: None, ca_pem: None });
//! }
//! let options = FederateOptions {
//!     remote: RemoteOptions {
//!         namespace: "calico-system".into(),
//!         token: TokenChoice::keep(), // the recorded mode; `secret` for new links
//!         token_wait: Duration::from_secs(60),
//!         server: None,
//!         ca_pem: None,
//!         allow_loopback: false,
//!     },
//!     link: LinkOptions { secret_namespace: "calico-system".into(), overlay_routing: None },
//!     execution: Execution::Apply,
//!     parallel: 8,
//!     progress: Default::default(),
//! };
//! let report = federate(&members, &mesh_links(members.len()), &options).await;
//! assert!(!report.failed());
//!
//! // Which endpoints, local and remote, does a policy rule selector match?
//! let selector = Selector::parse("app == 'my-app'").expect("a valid selector");
//! let found = libfed::eval::eval(&members[0].cluster, "app == 'my-app'", &selector, None).await?;
//! for endpoint in &found.endpoints {
//!     println!("{}", endpoint.id()); // e.g. cluster-b/node-1/k8s/default.my-app-xyz/eth0
//! }
//! # Ok(())
//! # }
//! ```

pub mod aws;
pub mod calico;
pub mod client_stack;
pub mod cluster;
pub mod credential;
pub mod deadline;
pub mod error;
pub mod eval;
pub mod federate;
pub mod federated;
pub mod input;
pub mod jwt;
pub mod known;
pub mod kubeconfig;
pub mod kubeconfig_load;
pub mod link;
pub mod names;
pub mod ownership;
pub mod plan;
pub mod pod_filter;
pub mod pod_list;
mod pod_list_proto;
pub mod progress;
pub mod prune;
pub mod redact;
pub mod remote;
pub mod remotes;
pub mod requests;
pub mod resource;
pub mod rotate;
pub mod safe_file;
pub mod server_url;
pub mod status;
pub mod stored;
pub mod tls;
pub mod unjoin;
pub mod workload;

pub use error::{Error, ErrorKind, Result};

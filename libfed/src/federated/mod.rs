//! Federated services (spec/federation.md §4): an open implementation of Calico Enterprise's
//! federated-services controller.
//!
//! A *federated* Service has no `spec.selector` and carries the annotation
//! `federation.tigera.io/serviceSelector: <Calico selector>`. The selector picks *backing*
//! Services by their labels, in the federated Service's namespace, in the local cluster and in
//! every remote cluster reachable through the local cluster's RemoteClusterConfigurations. The
//! federated Service's Endpoints are the backing Services' Endpoints, ports matched on
//! (name, protocol), remote pods named `CLUSTER/POD`.
//!
//! The decisions are pure and carry the unit tests:
//! - [`config`]: whether a Service is federated, and its scoped selector;
//! - [`endpoints`]: the computation itself, over [`endpoints::ClusterObjects`] of each cluster;
//! - [`repack`]: Kubernetes' `RepackSubsets` (dedupe, group, sort), so output is deterministic;
//!   `pack` does it on borrowed addresses, cloning only those that are kept;
//! - [`object`]: the Endpoints object to write, what to write over a live one, and the drift;
//! - [`slices`]: why no EndpointSlices are written (Kubernetes mirrors the Endpoints), and the
//!   label selectors of the slices earlier versions wrote.
//!
//! The I/O is at the edges: [`sync`] reads clusters and writes one local cluster once,
//! [`watch`] keeps doing it from watches, [`leader`] makes sure only one replica writes, and
//! [`telemetry`] with [`http`] tell an operator how it goes.
//!
//! ```
//! use std::collections::BTreeMap;
//! use k8s_openapi::api::core::v1::Service;
//! use libfed::federated::config::{federation, Federation};
//!
//! let svc: Service = serde_json::from_value(serde_json::json!({
//!     "metadata": {"name": "my-app-federated", "namespace": "default",
//!                  "annotations": {"federation.tigera.io/serviceSelector": "run == \"my-app\""}},
//!     "spec": {"ports": [{"name": "http", "port": 80}]}
//! }))?;
//! let Federation::Federated(config) = federation(&svc) else { panic!("federated") };
//! let labels = BTreeMap::from([("run".to_owned(), "my-app".to_owned())]);
//! assert!(config.selects("default", None, Some(&labels)));
//! assert!(!config.selects("other", None, Some(&labels)), "same namespace only");
//! # Ok::<(), serde_json::Error>(())
//! ```

pub mod config;
pub mod endpoints;
pub mod http;
pub mod leader;
pub mod object;
mod pack;
pub mod repack;
pub mod service_plan;
pub mod slices;
pub mod sync;
pub mod telemetry;
pub mod watch;

/// The annotation that makes a Service federated; its value is a Calico selector over Services.
pub const SERVICE_SELECTOR_ANNOTATION: &str = "federation.tigera.io/serviceSelector";
/// The prefix of Calico's federation annotations, which the controller owns on Endpoints.
pub const FEDERATION_ANNOTATION_PREFIX: &str = "federation.tigera.io/";
/// The implicit label remote Services carry for selectors: the RCC name of their cluster.
pub const REMOTE_CLUSTER_NAME_LABEL: &str = "federation.tigera.io/remoteClusterName";
/// Label on an Endpoints object that keeps Kubernetes' EndpointSlice mirroring away from it;
/// earlier versions of this crate set it, this one removes it.
pub const SKIP_MIRROR_LABEL: &str = "endpointslice.kubernetes.io/skip-mirror";
/// Label naming the controller that manages an EndpointSlice.
pub const SLICE_MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
/// The value of [`SLICE_MANAGED_BY_LABEL`] on the EndpointSlices earlier versions of this crate
/// wrote (removed once Kubernetes mirrors the Endpoints).
pub const SLICE_MANAGED_BY: &str = "kubectl-federate";
/// Label naming the Service an EndpointSlice belongs to.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
/// At most this many addresses go in an Endpoints object, as Kubernetes' endpoints controller
/// does (Kubernetes' EndpointSlice mirroring takes at most 1,000 per subset anyway).
pub const MAX_ENDPOINTS_ADDRESSES: usize = 1000;
/// Annotation Kubernetes puts on an Endpoints object truncated to [`MAX_ENDPOINTS_ADDRESSES`].
pub const OVER_CAPACITY_ANNOTATION: &str = "endpoints.kubernetes.io/over-capacity";
/// The Lease `svc sync --leader-elect` holds by default.
pub const DEFAULT_LEASE_NAME: &str = "kubectl-federate-federated-services";

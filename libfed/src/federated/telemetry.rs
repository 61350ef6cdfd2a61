//! What the federated-services controller tells an operator: Prometheus metrics, liveness and
//! readiness. The controller updates a [`Telemetry`]; [`super::http`] serves it.
//!
//! Metrics (all labelled with the local `cluster`, the context the controller writes to):
//! - `federated_services_reconciles_total{outcome}`: Services looked at, by outcome (`created`,
//!   `updated`, `unchanged`, `deleted`, `skipped`, `failed`);
//! - `federated_services_errors_total{kind}`: failed writes (`write`) and remote watch failures
//!   (`remote`);
//! - `remote_cluster_connection_status{remote_cluster_name}`: the remote's state with the values
//!   Calico Enterprise's Typha uses (0 not connecting/withdrawn, 1 connecting, 2 in sync,
//!   3 re-sync in progress — failing but within the grace period —, 5 configuration incomplete);
//! - `federated_services_remote_last_sync_timestamp_seconds{remote_cluster_name}`: when the remote
//!   was last completely listed;
//! - `federated_services_endpoints{namespace,service,ready}`: addresses of each federated
//!   Service as last written;
//! - `federated_services_propagation_seconds`: from a watch event reaching the controller to
//!   the write it caused being acknowledged by the API server.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    cluster: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    cluster: String,
    kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RemoteLabels {
    cluster: String,
    remote_cluster_name: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ServiceLabels {
    cluster: String,
    namespace: String,
    service: String,
    ready: String,
}

#[derive(Debug)]
struct Inner {
    registry: Registry,
    reconciles: Family<OutcomeLabels, Counter>,
    errors: Family<ErrorLabels, Counter>,
    remote_status: Family<RemoteLabels, Gauge>,
    remote_last_sync: Family<RemoteLabels, Gauge<f64, AtomicU64>>,
    endpoints: Family<ServiceLabels, Gauge>,
    propagation: Histogram,
    started: Instant,
    /// Milliseconds since `started` of the controller loop's last turn.
    heartbeat: AtomicU64,
    /// Local clusters not yet ready.
    unready: AtomicU64,
    ready: AtomicBool,
}

/// The controller's metrics and health, shared with the HTTP server. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Telemetry {
    inner: Arc<Inner>,
}

/// How long the controller loop may go without a turn before `/healthz` fails (it turns at
/// least every 500ms).
pub const STALL: Duration = Duration::from_secs(30);

impl Telemetry {
    /// New metrics; `/readyz` waits for `clusters` local clusters to be ready.
    pub fn new(clusters: usize) -> Self {
        let mut registry = Registry::default();
        let reconciles = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "federated_services_reconciles",
            "Federated Services looked at, by outcome",
            reconciles.clone(),
        );
        let errors = Family::<ErrorLabels, Counter>::default();
        registry.register("federated_services_errors", "Failed writes and remote watch failures", errors.clone());
        let remote_status = Family::<RemoteLabels, Gauge>::default();
        registry.register(
            "remote_cluster_connection_status",
            "Remote cluster state, as Calico Enterprise's Typha reports it: 0 not connecting or withdrawn, \
             1 connecting, 2 in sync, 3 re-sync in progress (failing, within the grace period), 5 config incomplete",
            remote_status.clone(),
        );
        let remote_last_sync = Family::<RemoteLabels, Gauge<f64, AtomicU64>>::default();
        registry.register(
            "federated_services_remote_last_sync_timestamp_seconds",
            "When the remote cluster's Services and Endpoints were last completely listed (Unix time)",
            remote_last_sync.clone(),
        );
        let endpoints = Family::<ServiceLabels, Gauge>::default();
        registry.register(
            "federated_services_endpoints",
            "Addresses of each federated Service as last written",
            endpoints.clone(),
        );
        let propagation = Histogram::new(exponential_buckets(0.001, 2.0, 16));
        registry.register(
            "federated_services_propagation_seconds",
            "From a watch event reaching the controller to the write it caused being acknowledged",
            propagation.clone(),
        );
        Self {
            inner: Arc::new(Inner {
                registry,
                reconciles,
                errors,
                remote_status,
                remote_last_sync,
                endpoints,
                propagation,
                started: Instant::now(),
                heartbeat: AtomicU64::new(0),
                unready: AtomicU64::new(clusters as u64),
                ready: AtomicBool::new(clusters == 0),
            }),
        }
    }

    /// The metrics in Prometheus' text format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.inner.registry);
        out
    }

    /// The controller loop turned.
    pub fn beat(&self) {
        let ms = u64::try_from(self.inner.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.inner.heartbeat.store(ms, Ordering::Relaxed);
    }

    /// Whether the controller loop turned recently.
    pub fn healthy(&self) -> bool {
        let last = Duration::from_millis(self.inner.heartbeat.load(Ordering::Relaxed));
        self.inner.started.elapsed().saturating_sub(last) < STALL
    }

    /// One local cluster is ready: listed, and every remote synced or given up.
    pub fn cluster_ready(&self) {
        let before = self.inner.unready.fetch_sub(1, Ordering::AcqRel);
        if before <= 1 {
            self.inner.ready.store(true, Ordering::Release);
        }
    }

    /// Whether every local cluster is ready.
    pub fn ready(&self) -> bool {
        self.inner.ready.load(Ordering::Acquire)
    }

    /// A Service was looked at.
    pub fn reconciled(&self, cluster: &str, outcome: &str) {
        let l = OutcomeLabels { cluster: cluster.into(), outcome: outcome.into() };
        self.inner.reconciles.get_or_create(&l).inc();
        if outcome == "failed" {
            self.error(cluster, "write");
        }
    }

    /// Something failed.
    pub fn error(&self, cluster: &str, kind: &str) {
        self.inner.errors.get_or_create(&ErrorLabels { cluster: cluster.into(), kind: kind.into() }).inc();
    }

    /// A remote's state, in Typha's numbering.
    pub fn remote_state(&self, cluster: &str, remote: &str, status: i64) {
        let l = RemoteLabels { cluster: cluster.into(), remote_cluster_name: remote.into() };
        self.inner.remote_status.get_or_create(&l).set(status);
    }

    /// A remote was completely listed at `at`.
    pub fn remote_synced(&self, cluster: &str, remote: &str, at: SystemTime) {
        let l = RemoteLabels { cluster: cluster.into(), remote_cluster_name: remote.into() };
        let secs = at.duration_since(SystemTime::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
        self.inner.remote_last_sync.get_or_create(&l).set(secs);
    }

    /// A remote is gone (its RCC was deleted).
    pub fn remote_removed(&self, cluster: &str, remote: &str) {
        let l = RemoteLabels { cluster: cluster.into(), remote_cluster_name: remote.into() };
        self.inner.remote_status.remove(&l);
        self.inner.remote_last_sync.remove(&l);
    }

    /// A federated Service's addresses as written (`None`: no longer federated).
    pub fn service_endpoints(&self, cluster: &str, namespace: &str, service: &str, counts: Option<(usize, usize)>) {
        for (ready, n) in [("true", counts.map(|c| c.0)), ("false", counts.map(|c| c.1))] {
            let l = ServiceLabels {
                cluster: cluster.into(),
                namespace: namespace.into(),
                service: service.into(),
                ready: ready.into(),
            };
            match n {
                Some(n) => {
                    self.inner.endpoints.get_or_create(&l).set(i64::try_from(n).unwrap_or(i64::MAX));
                }
                None => {
                    self.inner.endpoints.remove(&l);
                }
            }
        }
    }

    /// A change took `took` from its watch event to its write.
    pub fn propagated(&self, took: Duration) {
        self.inner.propagation.observe(took.as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_in_prometheus_text_format() {
        let t = Telemetry::new(1);
        assert!(!t.ready());
        t.reconciled("a", "updated");
        t.reconciled("a", "failed");
        t.remote_state("a", "b", 2);
        t.remote_synced("a", "b", SystemTime::UNIX_EPOCH + Duration::from_secs(5));
        t.service_endpoints("a", "ns", "web", Some((6, 1)));
        t.propagated(Duration::from_millis(3));
        let text = t.encode();
        for want in [
            r#"federated_services_reconciles_total{cluster="a",outcome="updated"} 1"#,
            r#"federated_services_errors_total{cluster="a",kind="write"} 1"#,
            r#"remote_cluster_connection_status{cluster="a",remote_cluster_name="b"} 2"#,
            r#"federated_services_remote_last_sync_timestamp_seconds{cluster="a",remote_cluster_name="b"} 5.0"#,
            r#"federated_services_endpoints{cluster="a",namespace="ns",service="web",ready="true"} 6"#,
            "federated_services_propagation_seconds_count 1",
            "# EOF",
        ] {
            assert!(text.contains(want), "{want} in\n{text}");
        }
        t.service_endpoints("a", "ns", "web", None);
        t.remote_removed("a", "b");
        let text = t.encode();
        assert!(!text.contains("service=\"web\"") && !text.contains("remote_cluster_name=\"b\""), "{text}");
        t.cluster_ready();
        assert!(t.ready());
        t.beat();
        assert!(t.healthy());
    }
}

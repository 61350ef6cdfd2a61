//! The controller's options: timeouts, periods, and what it reports to (metrics, Events).

use std::time::Duration;

use crate::federated::telemetry::Telemetry;

/// Options of the controller.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Connect timeout of remote clients (their read timeout is `watch_timeout` plus 5s).
    pub connect_timeout: Option<Duration>,
    /// How long changes are collected before recomputing (0: as soon as the pending watch
    /// events are drained).
    pub debounce: Duration,
    /// How often every federated Service is checked against the cluster regardless.
    pub resync: Duration,
    /// How often the RCCs and their Secrets are re-read for added, removed or changed remotes.
    pub remotes_refresh: Duration,
    /// How long to wait at start for remotes' first lists before writing without them.
    pub startup_timeout: Duration,
    /// Server-side timeout of each watch call (a silently dead connection is noticed after this
    /// plus 5s).
    pub watch_timeout: u32,
    /// How long a remote whose watches fail keeps its endpoints (Calico Enterprise: 60s).
    pub remote_grace_period: Duration,
    /// Metrics and health, if served.
    pub telemetry: Option<Telemetry>,
    /// Who publishes Kubernetes Events (`None`: none are published).
    pub events: Option<kube::runtime::events::Reporter>,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            debounce: Duration::ZERO,
            resync: Duration::from_secs(300),
            remotes_refresh: Duration::from_secs(30),
            startup_timeout: Duration::from_secs(30),
            watch_timeout: 60,
            remote_grace_period: Duration::from_secs(60),
            telemetry: None,
            events: None,
        }
    }
}

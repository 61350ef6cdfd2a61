//! The controller's HTTP endpoints, off unless asked for: `/healthz` (the controller loop is
//! turning), `/readyz` (every local cluster listed, and every remote synced or given up) and
//! `/metrics` (Prometheus, OpenMetrics text format). Served with axum.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::telemetry::Telemetry;

/// Which endpoints a listener serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoints {
    /// `/healthz` and `/readyz`.
    Probes,
    /// `/metrics`.
    Metrics,
    /// All three (both flags name the same address).
    Both,
}

/// Parses a bind address as controller-runtime's flags take it: `HOST:PORT`, `:PORT` (every
/// interface), or `0` (off, `None`).
///
/// # Errors
/// A message naming the expected forms.
pub fn parse_bind_address(s: &str) -> Result<Option<SocketAddr>, String> {
    if s == "0" {
        return Ok(None);
    }
    let full = if s.starts_with(':') { format!("0.0.0.0{s}") } else { s.to_owned() };
    full.parse::<SocketAddr>()
        .map(Some)
        .map_err(|_| format!("{s:?} is not an address to listen on: give HOST:PORT, :PORT or 0 (off)"))
}

async fn healthz(State(t): State<Telemetry>) -> impl IntoResponse {
    if t.healthy() { (StatusCode::OK, "ok\n") } else { (StatusCode::SERVICE_UNAVAILABLE, "controller loop stalled\n") }
}

async fn readyz(State(t): State<Telemetry>) -> impl IntoResponse {
    if t.ready() {
        (StatusCode::OK, "ok\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready: waiting for the first lists of the local and remote clusters\n")
    }
}

async fn metrics(State(t): State<Telemetry>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], t.encode())
}

/// The router for `which` endpoints.
pub fn router(telemetry: Telemetry, which: Endpoints) -> Router {
    let mut r = Router::new();
    if matches!(which, Endpoints::Probes | Endpoints::Both) {
        r = r.route("/healthz", get(healthz)).route("/readyz", get(readyz));
    }
    if matches!(which, Endpoints::Metrics | Endpoints::Both) {
        r = r.route("/metrics", get(metrics));
    }
    r.with_state(telemetry)
}

/// Binds `addr` (so that a busy port fails at start-up, not later).
///
/// # Errors
/// The address cannot be bound.
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// Serves `which` endpoints on `listener` until `stop` turns true.
///
/// # Errors
/// The server fails.
pub async fn serve(
    listener: TcpListener,
    telemetry: Telemetry,
    which: Endpoints,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    axum::serve(listener, router(telemetry, which))
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses_as_controller_runtime_takes_them() {
        assert_eq!(parse_bind_address("0"), Ok(None));
        assert_eq!(parse_bind_address(":8081"), Ok(Some("0.0.0.0:8081".parse().expect("addr"))));
        assert_eq!(parse_bind_address("127.0.0.1:9090"), Ok(Some("127.0.0.1:9090".parse().expect("addr"))));
        assert!(parse_bind_address("localhost").is_err_and(|e| e.contains("HOST:PORT")));
    }
}

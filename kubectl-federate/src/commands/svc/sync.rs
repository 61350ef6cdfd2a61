//! `svc sync [--once] [--contexts LOCAL,...]`: the open federated-services controller. Reads
//! remotes through the local cluster's RCC Secrets and writes the federated Services' Endpoints
//! (Kubernetes mirrors them into EndpointSlices); without `--once` it watches every cluster until
//! stopped (Ctrl-C, SIGTERM: the Lease is released). In a cluster
//! (manifests/federated-services-controller.yaml) it uses the pod's ServiceAccount,
//! `--leader-elect` (of several replicas only one writes), probes, metrics and JSON logs.

use std::io::Write;

use anyhow::Context;
use libfed::cluster::Cluster;
use libfed::federated::http::{self, Endpoints as HttpEndpoints, parse_bind_address};
use libfed::federated::leader::{LeaderElector, Leadership, LeaseConfig, default_identity};
use libfed::federated::sync::{Outcome, SyncReport, sync_once};
use libfed::federated::telemetry::Telemetry;
use libfed::federated::watch::{WatchOptions, run as watch};
use serde_json::json;
use tokio::sync::watch as signal;

use super::{timeouts, warn_problems};
use crate::cli::GlobalFlags;
use crate::cli::svc::SyncArgs;
use crate::clusters::{connect, load_kubeconfig};
use crate::exit::ExitStatus;
use crate::output;
use crate::report_error::Hinted;

fn bind_address(s: &str) -> Option<std::net::SocketAddr> {
    // Checked when the arguments were parsed.
    parse_bind_address(s).ok().flatten()
}

pub async fn run(args: SyncArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    if args.once {
        return once(&args, global, out).await;
    }
    let clusters = watch_clusters(&args, global).await?;
    let (stop_tx, stop_rx) = signal::channel(false);
    let (leadership, elector) = if args.leader_elect {
        let namespace = args
            .lease_namespace
            .clone()
            .or_else(|| std::env::var("POD_NAMESPACE").ok().filter(|n| !n.is_empty()))
            .unwrap_or_else(|| "kube-system".into());
        let config = LeaseConfig {
            lease_duration: args.lease_duration,
            renew_deadline: args.renew_deadline,
            retry_period: args.retry_period,
            ..LeaseConfig::new(
                namespace,
                args.lease_name.clone(),
                args.identity.clone().unwrap_or_else(default_identity),
            )
        };
        config.validate().map_err(|e| Hinted::usage(e, "keep --retry-period < --renew-deadline < --lease-duration"))?;
        let (leadership, handle) = LeaderElector::new(clusters[0].client.clone(), config).spawn(stop_rx.clone());
        (leadership, Some(handle))
    } else {
        (Leadership::always(), None)
    };
    if !global.quiet {
        let names: Vec<&str> = clusters.iter().map(|c| c.context.as_str()).collect();
        let election = if args.leader_elect { ", writing only while leader" } else { "" };
        if global.log_format == crate::cli::LogFormat::Json {
            // Every line on stderr is a JSON object then.
            tracing::info!("svc sync: watching {}{election}", names.join(", "));
        } else {
            eprintln!("svc sync: watching {}{election}; Ctrl-C to stop", names.join(", "));
        }
    }
    let (probes, metrics) = (bind_address(&args.health_probe_bind_address), bind_address(&args.metrics_bind_address));
    let telemetry = (probes.is_some() || metrics.is_some()).then(|| Telemetry::new(clusters.len()));
    let mut servers = Vec::new();
    if let Some(t) = &telemetry {
        for (addr, which) in listeners(probes, metrics) {
            let listener = http::bind(addr).await.map_err(|e| {
                Hinted::usage(format!("cannot listen on {addr}: {e}"), "choose a free port, or 0 to turn it off")
            })?;
            let (t, stop) = (t.clone(), stop_rx.clone());
            servers.push(tokio::spawn(async move {
                if let Err(e) = http::serve(listener, t, which, stop).await {
                    tracing::error!("HTTP server on {addr}: {e}");
                }
            }));
        }
    }
    let events = args.events.then(|| kube::runtime::events::Reporter {
        controller: "kubectl-federate-federated-services".into(),
        instance: Some(args.identity.clone().unwrap_or_else(default_identity)),
    });
    let options = WatchOptions {
        resync: args.resync,
        remotes_refresh: args.remotes_refresh,
        remote_grace_period: args.remote_grace_period,
        watch_timeout: args.watch_timeout,
        telemetry,
        events,
        ..WatchOptions::default()
    };
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("stopping: releasing the lease and closing the watches");
        let _ = stop_tx.send(true);
    });
    let runs = clusters.into_iter().map(|c| watch(c, options.clone(), leadership.clone(), stop_rx.clone()));
    for result in futures::future::join_all(runs).await {
        result?;
    }
    if let Some(h) = elector {
        let _ = h.await;
    }
    for s in servers {
        let _ = s.await;
    }
    out.flush()?;
    Ok(ExitStatus::Ok)
}

/// The listeners to open: one per distinct address, serving what was asked of it.
fn listeners(
    probes: Option<std::net::SocketAddr>,
    metrics: Option<std::net::SocketAddr>,
) -> Vec<(std::net::SocketAddr, HttpEndpoints)> {
    match (probes, metrics) {
        (Some(p), Some(m)) if p == m => vec![(p, HttpEndpoints::Both)],
        (p, m) => {
            p.map(|a| (a, HttpEndpoints::Probes)).into_iter().chain(m.map(|a| (a, HttpEndpoints::Metrics))).collect()
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = ctrl_c.await;
        }
    }
}

/// Whether to use the pod's ServiceAccount: inside a pod, with no kubeconfig given or found.
fn in_cluster(args: &SyncArgs, global: &GlobalFlags) -> bool {
    let home_config = std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".kube/config"));
    global.kubeconfig.is_none()
        && std::env::var_os("KUBECONFIG").is_none()
        && home_config.is_none_or(|p| !p.exists())
        && std::env::var_os("KUBERNETES_SERVICE_HOST").is_some()
        && global.context.is_none()
        && args.targets.contexts.is_empty()
        && !args.targets.all_contexts
}

/// The local clusters with clients fit for watching (no read timeout; kube's watcher has its own).
async fn watch_clusters(args: &SyncArgs, global: &GlobalFlags) -> anyhow::Result<Vec<Cluster>> {
    if in_cluster(args, global) {
        return Ok(vec![Cluster::in_cluster()?]);
    }
    let kc = load_kubeconfig(global)?;
    let mut clusters = Vec::new();
    for spec in args.targets.specs(&kc, global)? {
        let cluster = Cluster::from_kubeconfig(&kc, &spec.context, Some(&spec.name), None)
            .await
            .with_context(|| format!("context {}", spec.context))?;
        clusters.push(cluster);
    }
    Ok(clusters)
}

async fn once(args: &SyncArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let clusters = if in_cluster(args, global) {
        watch_clusters(args, global).await?
    } else {
        let kc = load_kubeconfig(global)?;
        let mut clusters = Vec::new();
        for spec in args.targets.specs(&kc, global)? {
            clusters.push(connect(&kc, &spec, global).await?);
        }
        clusters
    };
    let mut reports: Vec<SyncReport> = Vec::new();
    for cluster in &clusters {
        let report = sync_once(cluster, timeouts(global), &Leadership::always())
            .await
            .map_err(|e| anyhow::Error::new(e).context(format!("syncing federated services of {}", cluster.context)))?;
        warn_problems(&cluster.context, &report.problems);
        reports.push(report);
    }
    let failed = reports.iter().any(SyncReport::failed);
    if !output::write_document(out, global.output, "ServiceSyncReport", &json!({"clusters": reports}))? {
        let rows: Vec<Vec<String>> = reports
            .iter()
            .flat_map(|r| {
                r.services.iter().map(|s| {
                    vec![
                        r.cluster.clone(),
                        s.namespace.clone(),
                        s.name.clone(),
                        outcome(s.outcome).into(),
                        s.ready.to_string(),
                        s.not_ready.to_string(),
                        s.reason.clone().unwrap_or_default(),
                    ]
                })
            })
            .collect();
        if rows.is_empty() && !global.quiet {
            eprintln!("No federated services found.");
        } else {
            let header = ["cluster", "namespace", "name", "outcome", "ready", "not-ready", "reason"];
            out.write_all(output::table(&header, rows).as_bytes())?;
        }
    }
    out.flush()?;
    Ok(if failed { ExitStatus::Failed } else { ExitStatus::Ok })
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Created => "created",
        Outcome::Updated => "updated",
        Outcome::Unchanged => "unchanged",
        Outcome::Deleted => "deleted",
        Outcome::Skipped => "skipped",
        Outcome::Failed => "failed",
    }
}

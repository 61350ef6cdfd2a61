//! `svc sync [--once] [--contexts LOCAL,...]`: the open federated-services controller. Reads
//! remotes through the local cluster's RCC Secrets, writes the federated Services' Endpoints and
//! EndpointSlices; without `--once` it watches every cluster until stopped (Ctrl-C, SIGTERM). In
//! a cluster (manifests/federated-services-controller.yaml) it uses the pod's ServiceAccount and
//! `--leader-elect`, so that of several replicas only one writes.

use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use libfed::cluster::Cluster;
use libfed::federated::DEFAULT_LEASE_NAME;
use libfed::federated::leader::{LeaderElector, Leadership, LeaseConfig, default_identity};
use libfed::federated::sync::{Outcome, SyncReport, sync_once};
use libfed::federated::watch::{WatchOptions, run as watch};
use serde_json::json;
use tokio::sync::watch as signal;

use super::{Targets, timeouts, warn_problems};
use crate::cli::GlobalFlags;
use crate::clusters::{connect, load_kubeconfig};
use crate::report_error::Hinted;
use crate::settings::parse_duration;
use crate::{exit, output};

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Sync once and exit (exit 1 if a remote could not be read or a write failed).
    #[arg(long)]
    pub once: bool,
    #[command(flatten)]
    pub targets: Targets,
    /// Elect a leader through a coordination.k8s.io/v1 Lease in the (first) local cluster; only
    /// the leader writes.
    #[arg(long, conflicts_with = "once")]
    pub leader_elect: bool,
    /// Name of the Lease.
    #[arg(long, value_name = "NAME", default_value = DEFAULT_LEASE_NAME, value_parser = crate::settings::parse_object_name)]
    pub lease_name: String,
    /// Namespace of the Lease (default: POD_NAMESPACE, else kube-system).
    #[arg(long, value_name = "NS", value_parser = crate::settings::parse_namespace)]
    pub lease_namespace: Option<String>,
    /// How long a leader's lease lasts without renewal.
    #[arg(long, value_name = "DURATION", default_value = "15s", value_parser = parse_duration)]
    pub lease_duration: Duration,
    /// How long a leader keeps writing without a successful renewal (less than --lease-duration).
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub renew_deadline: Duration,
    /// How often the lease is renewed or tried.
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_duration)]
    pub retry_period: Duration,
    /// This replica's identity in the Lease (default: POD_NAME or the host name, and the pid).
    #[arg(long, value_name = "ID")]
    pub identity: Option<String>,
    /// Check every federated Service against the cluster this often, whatever changed.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub resync: Duration,
    /// Re-read the RemoteClusterConfigurations and their Secrets this often.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub remotes_refresh: Duration,
}

pub async fn run(args: SyncArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<u8> {
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
        eprintln!("svc sync: watching {}{election}; Ctrl-C to stop", names.join(", "));
    }
    let options =
        WatchOptions { resync: args.resync, remotes_refresh: args.remotes_refresh, ..WatchOptions::default() };
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    let runs = clusters.into_iter().map(|c| watch(c, options.clone(), leadership.clone(), stop_rx.clone()));
    for result in futures::future::join_all(runs).await {
        result?;
    }
    if let Some(h) = elector {
        let _ = h.await;
    }
    out.flush()?;
    Ok(exit::OK)
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
        libfed::tls::ensure_crypto_provider();
        let config = kube::Config::incluster().context("reading the pod's ServiceAccount credentials")?;
        let server = config.cluster_url.to_string();
        let client = kube::Client::try_from(config).context("building the in-cluster client")?;
        return Ok(vec![Cluster::from_client("in-cluster", "in-cluster", client, &server, None)]);
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

async fn once(args: &SyncArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<u8> {
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
    if !output::write_structured(out, global.output, &json!({"clusters": reports}))? {
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
                        s.slices_written.to_string(),
                        s.reason.clone().unwrap_or_default(),
                    ]
                })
            })
            .collect();
        if rows.is_empty() && !global.quiet {
            eprintln!("No federated services found.");
        } else {
            let header = ["cluster", "namespace", "name", "outcome", "ready", "not-ready", "slice-writes", "reason"];
            out.write_all(output::table(&header, rows).as_bytes())?;
        }
    }
    out.flush()?;
    Ok(if failed { exit::FAILED } else { exit::OK })
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

//! `svc list [-n NS | -A] [--contexts a,b|--all-contexts]`: per cluster, each federated Service
//! with its selector, ports, the ready/not-ready counts of its Endpoints object, and its backing
//! Services (local/remote) as computed from every cluster.

use std::io::Write;

use k8s_openapi::api::core::v1::Service;
use libfed::federated::SERVICE_SELECTOR_ANNOTATION;
use libfed::federated::config::{Federation, federation};
use libfed::federated::endpoints::compute;
use libfed::federated::object::drift;
use libfed::federated::repack::{count, repack};
use libfed::federated::sync::{RemoteProblem, Snapshot, snapshot};
use serde::Serialize;

use super::{connect_targets, namespace, port_text, timeouts, warn_problems};
use crate::cli::svc::ListArgs;
use crate::cli::{GlobalFlags, OutputFormat};
use crate::exit::ExitStatus;
use crate::output;

/// One federated Service in one cluster.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRow {
    /// The cluster's context.
    pub cluster: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The annotation's selector.
    pub selector: String,
    /// `NAME:PORT/PROTO` of each port.
    pub ports: Vec<String>,
    /// `federated`, or why the annotated Service is not federated.
    pub status: String,
    /// Ready addresses in the Endpoints object.
    pub ready: usize,
    /// Not-ready addresses in the Endpoints object.
    pub not_ready: usize,
    /// Ready addresses computed from every cluster.
    pub computed_ready: usize,
    /// Not-ready addresses computed from every cluster.
    pub computed_not_ready: usize,
    /// Backing Services in the cluster itself.
    pub backing_local: usize,
    /// Backing Services in remote clusters.
    pub backing_remote: usize,
    /// Whether the Endpoints object holds what is computed.
    pub in_sync: bool,
}

/// The rows of one cluster's snapshot (pure).
pub fn rows(context: &str, snap: &Snapshot, namespace: Option<&str>) -> Vec<ServiceRow> {
    let mut out = Vec::new();
    for (ns, objects) in snap.local.namespaces() {
        if namespace.is_some_and(|n| n != ns) {
            continue;
        }
        for (name, service) in objects.services() {
            let Some(selector) = service.metadata.annotations.as_ref().and_then(|a| a.get(SERVICE_SELECTOR_ANNOTATION))
            else {
                continue;
            };
            let live = objects
                .endpoints
                .get(name)
                .map(|e| repack(e.subsets.as_deref().unwrap_or_default()))
                .unwrap_or_default();
            let (ready, not_ready) = count(&live);
            let mut row = ServiceRow {
                cluster: context.to_owned(),
                namespace: ns.to_owned(),
                name: name.clone(),
                selector: selector.clone(),
                ports: ports(service),
                status: "federated".into(),
                ready,
                not_ready,
                computed_ready: 0,
                computed_not_ready: 0,
                backing_local: 0,
                backing_remote: 0,
                in_sync: false,
            };
            match federation(service) {
                Federation::Federated(config) => {
                    let computed = compute(service, &config, &snap.local, &snap.remotes);
                    (row.computed_ready, row.computed_not_ready) = computed.counts();
                    (row.backing_local, row.backing_remote) = computed.backing_counts();
                    row.in_sync = drift(&computed.subsets, &live).is_empty();
                }
                Federation::Invalid(why) => row.status = why.to_string(),
                Federation::NotFederated => {}
            }
            out.push(row);
        }
    }
    out
}

/// A Service's ports as `NAME:PORT/PROTO`.
pub fn ports(service: &Service) -> Vec<String> {
    service
        .spec
        .iter()
        .flat_map(|s| s.ports.iter().flatten())
        .map(|p| port_text(p.name.as_deref(), p.port, p.protocol.as_deref()))
        .collect()
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    services: Vec<ServiceRow>,
    problems: Vec<ClusterProblem>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ClusterProblem {
    cluster: String,
    #[serde(flatten)]
    problem: RemoteProblem,
}

pub async fn run(args: ListArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let (kc, clusters) = connect_targets(&args.targets, global).await?;
    let mut report = Report { services: Vec::new(), problems: Vec::new() };
    for cluster in &clusters {
        let ns =
            if args.all_namespaces { None } else { Some(namespace(&kc, &cluster.context, args.namespace.as_deref())?) };
        let snap = snapshot(cluster, timeouts(global))
            .await
            .map_err(|e| anyhow::Error::new(e).context(format!("reading federated services of {}", cluster.context)))?;
        warn_problems(&cluster.context, &snap.problems);
        report.services.extend(rows(&cluster.context, &snap, ns.as_deref()));
        report
            .problems
            .extend(snap.problems.into_iter().map(|p| ClusterProblem { cluster: cluster.context.clone(), problem: p }));
    }
    if !output::write_document(out, global.output, "ServiceList", &report)? {
        let wide = global.output == OutputFormat::Wide;
        // Every count says what it counts: no bare `1/2` ratios.
        let mut header =
            vec!["cluster", "namespace", "name", "selector", "ports", "ready", "not-ready", "backing (local+remote)"];
        if wide {
            header.extend(["computed (ready+not-ready)", "in-sync", "status"]);
        }
        let table: Vec<Vec<String>> = report
            .services
            .iter()
            .map(|r| {
                let mut row = vec![
                    r.cluster.clone(),
                    r.namespace.clone(),
                    r.name.clone(),
                    r.selector.clone(),
                    r.ports.join(","),
                    r.ready.to_string(),
                    r.not_ready.to_string(),
                    format!("{}+{}", r.backing_local, r.backing_remote),
                ];
                if wide {
                    row.push(format!("{}+{}", r.computed_ready, r.computed_not_ready));
                    row.push(if r.in_sync { "yes" } else { "no" }.into());
                    row.push(r.status.clone());
                }
                row
            })
            .collect();
        if table.is_empty() && !global.quiet {
            eprintln!("No federated services found.");
        } else {
            out.write_all(output::table(&header, table).as_bytes())?;
        }
    }
    out.flush()?;
    Ok(if report.problems.is_empty() { ExitStatus::Ok } else { ExitStatus::Failed })
}

//! `svc show NAME [-n NS]`: the endpoints a federated Service should have, computed from every
//! cluster, beside what its Endpoints object holds, and the drift.

use std::io::Write;

use libfed::federated::SERVICE_SELECTOR_ANNOTATION;
use libfed::federated::config::{Federation, federation};
use libfed::federated::endpoints::{Backing, compute};
use libfed::federated::object::{Drift, EndpointEntry, drift, entries};
use libfed::federated::repack::repack;
use libfed::federated::sync::{RemoteProblem, snapshot};
use serde::Serialize;

use super::list::ports;
use super::{namespace, timeouts, warn_problems};
use crate::cli::GlobalFlags;
use crate::cli::svc::ShowArgs;
use crate::clusters::{connect, load_kubeconfig, local_spec};
use crate::exit::ExitStatus;
use crate::output;
use crate::report_error::Hinted;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    cluster: String,
    namespace: String,
    name: String,
    selector: String,
    ports: Vec<String>,
    status: String,
    backing: Vec<Backing>,
    computed: Vec<EndpointEntry>,
    live: Vec<EndpointEntry>,
    drift: Drift,
    problems: Vec<RemoteProblem>,
}

pub async fn run(args: ShowArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let kc = load_kubeconfig(global)?;
    let spec = local_spec(&kc, global)?;
    let cluster = connect(&kc, &spec, global).await?;
    let ns = namespace(&kc, &cluster.context, args.namespace.as_deref())?;
    let snap = snapshot(&cluster, timeouts(global)).await?;
    warn_problems(&cluster.context, &snap.problems);
    let Some(service) = snap.local.service(&ns, &args.name) else {
        return Err(Hinted::failed(
            format!("service {ns}/{} not found in {}", args.name, cluster.context),
            "`kubectl federate svc list -A` lists the federated services",
        ));
    };
    let Some(selector) =
        service.metadata.annotations.as_ref().and_then(|a| a.get(SERVICE_SELECTOR_ANNOTATION)).cloned()
    else {
        return Err(Hinted::failed(
            format!(
                "service {ns}/{} has no {SERVICE_SELECTOR_ANNOTATION} annotation: it is not a federated service",
                args.name
            ),
            "create one with `kubectl federate svc create NAME --selector SEL --port PORT`",
        ));
    };
    let live_subsets = snap
        .local
        .endpoints(&ns, &args.name)
        .map(|e| repack(e.subsets.as_deref().unwrap_or_default()))
        .unwrap_or_default();
    let mut report = Report {
        cluster: cluster.context.clone(),
        namespace: ns.clone(),
        name: args.name.clone(),
        selector,
        ports: ports(service),
        status: "federated".into(),
        backing: Vec::new(),
        computed: Vec::new(),
        live: entries(&live_subsets),
        drift: Drift::default(),
        problems: snap.problems.clone(),
    };
    match federation(service) {
        Federation::Federated(config) => {
            let computed = compute(service, &config, &snap.local, &snap.remotes);
            report.computed = entries(&computed.subsets);
            report.drift = drift(&computed.subsets, &live_subsets);
            report.backing = computed.backing;
        }
        Federation::Invalid(why) => report.status = why.to_string(),
        Federation::NotFederated => {}
    }
    if !output::write_document(out, global.output, "ServiceDetail", &report)? {
        render(out, &report)?;
    }
    out.flush()?;
    if !report.drift.is_empty() {
        eprintln!(
            "error: the Endpoints of {}/{} in {} differ from what the federation computes ({} missing, {} extra)",
            report.namespace,
            report.name,
            report.cluster,
            report.drift.missing.len(),
            report.drift.extra.len()
        );
        eprintln!(
            "hint: `kubectl federate svc sync --once --context {}` writes them (or run the controller: svc sync)",
            report.cluster
        );
        return Ok(ExitStatus::Failed);
    }
    Ok(if report.problems.is_empty() { ExitStatus::Ok } else { ExitStatus::Failed })
}

fn render(out: &mut impl Write, r: &Report) -> anyhow::Result<()> {
    writeln!(out, "Service:    {}/{} (cluster {})", r.namespace, r.name, r.cluster)?;
    writeln!(out, "Selector:   {}", r.selector)?;
    writeln!(out, "Ports:      {}", r.ports.join(", "))?;
    writeln!(out, "Status:     {}", r.status)?;
    let backing: Vec<String> = r
        .backing
        .iter()
        .map(|b| {
            let cluster = b.cluster.as_deref().map_or_else(String::new, |c| format!("{c}/"));
            format!("{cluster}{} ({} ready, {} not ready)", b.name, b.ready, b.not_ready)
        })
        .collect();
    writeln!(out, "Backing:    {}", if backing.is_empty() { "<none>".into() } else { backing.join(", ") })?;
    let state = if r.drift.is_empty() {
        "in sync".to_owned()
    } else {
        format!("drift: {} missing, {} extra", r.drift.missing.len(), r.drift.extra.len())
    };
    writeln!(out, "Endpoints:  {} computed, {} in the Endpoints object; {state}", r.computed.len(), r.live.len())?;
    writeln!(out)?;
    let mut rows: Vec<(EndpointEntry, &str)> = Vec::new();
    for e in &r.computed {
        rows.push((e.clone(), if r.drift.missing.contains(e) { "missing" } else { "ok" }));
    }
    for e in &r.drift.extra {
        rows.push((e.clone(), "extra"));
    }
    rows.sort();
    let table: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(e, state)| {
            vec![
                state.to_owned(),
                e.ip,
                format!("{}:{}/{}", e.port_name, e.port, e.protocol),
                e.ready.to_string(),
                e.target,
                e.node,
            ]
        })
        .collect();
    out.write_all(output::table(&["state", "address", "port", "ready", "target", "node"], table).as_bytes())?;
    Ok(())
}

//! `kubectl federate eval SELECTOR [--context LOCAL]`: the `calicoq eval` of federation.

use std::io::Write;

use libfed::calico::selector::Selector;
use serde_json::json;

use crate::cli::eval::EvalArgs;
use crate::cli::{GlobalFlags, OutputFormat};
use crate::clusters::{connect, load_kubeconfig, local_spec};
use crate::exit::ExitStatus;
use crate::output;
use crate::report_error::Hinted;

/// Validates a selector, or fails with a caret under the bad token.
pub fn parse_selector(text: &str) -> anyhow::Result<Selector> {
    Selector::parse(text).map_err(|e| {
        Hinted::usage(
            format!("invalid selector: {e}\n{}", indent(&e.caret())),
            "see the Calico selector syntax: k == 'v', k != 'v', has(k), k in {'a','b'}, k contains 's', !, &&, ||, all()",
        )
    })
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

pub async fn run(args: EvalArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let selector = parse_selector(&args.selector)?;
    let kc = load_kubeconfig(global)?;
    let local = connect(&kc, &local_spec(&kc, global)?, global).await?;
    let report = libfed::eval::eval(&local, &args.selector, &selector, Some(global.request_timeout)).await?;
    let description = format!("Endpoints matching selector {}", args.selector);
    if global.output == OutputFormat::Json || global.output == OutputFormat::Yaml {
        // calicoq's JSON shape: a list of one result; `endpoints` omitted when nothing matches.
        // Workload endpoints are `{node, orchestrator, workload, name}`, host endpoints `{node, name}`.
        let mut result = json!({"description": description});
        if !report.endpoints.is_empty() || !report.host_endpoints.is_empty() {
            let mut endpoints = Vec::with_capacity(report.endpoints.len() + report.host_endpoints.len());
            for ep in &report.endpoints {
                endpoints.push(serde_json::to_value(ep)?);
            }
            for ep in &report.host_endpoints {
                endpoints.push(serde_json::to_value(ep)?);
            }
            result["endpoints"] = serde_json::Value::Array(endpoints);
        }
        output::write_structured(out, global.output, &json!([result]))?;
    } else {
        // Buffered: stdout writes each line at once otherwise, 30,000 system calls for as many
        // endpoints.
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, &mut *out);
        writeln!(out, "{description}:")?;
        for ep in &report.endpoints {
            writeln!(out, "  Workload endpoint {}", ep.id())?;
        }
        for ep in &report.host_endpoints {
            writeln!(out, "  Host endpoint {}", ep.id())?;
        }
        out.flush()?;
    }
    out.flush()?;
    if report.problems.is_empty() {
        return Ok(ExitStatus::Ok);
    }
    eprintln!("The following problems were encountered connecting to the remote clusters");
    eprintln!("which may have resulted in incomplete data:");
    for p in &report.problems {
        eprintln!("-  RemoteClusterConfiguration({}): {}", p.cluster, p.message);
    }
    eprintln!("hint: `kubectl federate status --context {}` checks each link and names the fix", local.context);
    Ok(ExitStatus::Failed)
}

//! `svc delete NAME [-n NS] [--contexts a,b|--all-contexts] [--dry-run[=client|server]]`: the
//! federated Service, its Endpoints object (when it carries the selector annotation) and the
//! EndpointSlices written for it.

use std::io::Write;

use libfed::federated::service_plan::plan_removal;
use serde::Serialize;
use serde_json::json;

use super::{connect_targets, namespace};
use crate::cli::GlobalFlags;
use crate::cli::federation::DryRun;
use crate::cli::svc::DeleteArgs;
use crate::commands::federation_flags::execution;
use crate::exit::ExitStatus;
use crate::output;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    cluster: String,
    namespace: String,
    name: String,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

pub async fn run(args: DeleteArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let (kc, clusters) = connect_targets(&args.targets, global).await?;
    let mut rows = Vec::new();
    for cluster in &clusters {
        let ns = namespace(&kc, &cluster.context, args.namespace.as_deref())?;
        let mut row = Row {
            cluster: cluster.context.clone(),
            namespace: ns.clone(),
            name: args.name.clone(),
            outcome: "deleted",
            reason: None,
        };
        match delete(cluster, &ns, &args.name, args.dry_run).await {
            Ok(true) => {}
            Ok(false) if args.ignore_not_found => row.outcome = "not found",
            Ok(false) => {
                row.outcome = "failed";
                row.reason = Some("not found".into());
            }
            Err(reason) => {
                row.outcome = "failed";
                row.reason = Some(reason);
            }
        }
        rows.push(row);
    }
    let dry_run = match args.dry_run {
        Some(DryRun::Client) => Some("client"),
        Some(DryRun::Server) => Some("server"),
        Some(DryRun::None) | None => None,
    };
    let mut document = json!({"services": rows});
    if let Some(mode) = dry_run {
        document["dryRun"] = json!(mode);
    }
    if !output::write_document(out, global.output, "ServiceChangeList", &document)? {
        let table = rows
            .iter()
            .map(|r| {
                let suffix = match dry_run {
                    Some(mode) if r.outcome == "deleted" => crate::links_view::dry_run_suffix(mode),
                    _ => "",
                };
                vec![
                    r.cluster.clone(),
                    r.namespace.clone(),
                    r.name.clone(),
                    format!("{}{suffix}", r.outcome),
                    r.reason.clone().unwrap_or_default(),
                ]
            })
            .collect();
        out.write_all(output::table(&["cluster", "namespace", "name", "outcome", "reason"], table).as_bytes())?;
    }
    out.flush()?;
    let failed = rows.iter().filter(|r| r.outcome == "failed").count();
    if failed > 0 {
        let reasons: Vec<&str> = rows.iter().filter_map(|r| r.reason.as_deref()).collect();
        return Ok(super::rows_failed(failed, rows.len(), &reasons));
    }
    Ok(ExitStatus::Ok)
}

/// Plans removing the Service (only a federated one) with its Endpoints and the slices written
/// for it, and applies that plan. `Ok(false)`: no such Service.
async fn delete(
    cluster: &libfed::cluster::Cluster,
    ns: &str,
    name: &str,
    dry_run: Option<DryRun>,
) -> Result<bool, String> {
    let chain = |e: libfed::Error| libfed::federate::error_chain(&e);
    let Some(plan) = plan_removal(cluster, ns, name).await.map_err(chain)? else { return Ok(false) };
    plan.apply(&[cluster], execution(dry_run)).await.map_err(chain)?;
    Ok(true)
}

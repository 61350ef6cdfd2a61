//! `kubectl federate rotate CONTEXT... | --all-contexts | -f clusters.yaml`: a new credential for
//! each listed cluster, stored in every other listed cluster that links to it, verified, and the
//! old one revoked (libfed::rotate does the work; this parses, calls and renders).

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use libfed::cluster::Cluster;
use libfed::rotate::{RotateOptions, RotationReport, rotate};
use libfed::status::{StatusOptions, known_contexts};
use serde_json::Value;

use crate::cli::GlobalFlags;
use crate::clusters::{connect, listed_clusters};
use crate::links_view::{render_links, with_objects};
use crate::settings::parse_duration;

/// The flags of `rotate`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate rotate --all-contexts            # every credential of the mesh\n  \
    kubectl federate rotate cluster-a cluster-b       # cluster-b's credential in cluster-a, and the reverse\n  \
    kubectl federate rotate --all-contexts --dry-run  # what would change; nothing is written\n\n\
    Each listed cluster's credential is renewed in the other listed clusters that link to it. The old\n\
    credential is revoked only once every cluster using it holds the new one and its link verified;\n\
    otherwise it stays valid and re-running the command finishes the job.")]
pub struct RotateArgs {
    /// Clusters: CONTEXT or NAME=CONTEXT.
    #[arg(value_name = "CONTEXT", value_delimiter = ',', conflicts_with_all = ["all_contexts", "file"], add = crate::cli::CompletesContexts)]
    pub contexts: Vec<String>,
    /// Every context of the kubeconfig.
    #[arg(long, short = 'A', conflicts_with = "file")]
    pub all_contexts: bool,
    /// A file listing the clusters: `clusters: [{name, context, server}]`.
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Namespace of the remote ServiceAccount and token (kube-system for Calico Enterprise <= 3.20).
    #[arg(long, value_name = "NS", default_value = libfed::names::DEFAULT_REMOTE_NAMESPACE)]
    pub remote_namespace: String,
    /// How long to wait for the token controller to fill a new token Secret.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub token_wait: Duration,
    /// Print what would change; write nothing anywhere.
    #[arg(long)]
    pub dry_run: bool,
    /// How many remotes rotate at once.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub parallel: usize,
}

/// Rotates, renders the per-link report, and says per remote what was revoked or kept.
pub async fn run(args: RotateArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<u8> {
    let (kc, specs) = listed_clusters(
        global,
        "rotate",
        (args.file.as_deref(), args.all_contexts, &args.contexts),
        false,
        (
            "rotate needs at least two clusters: the one whose credential is renewed and one that stores it",
            "list them: kubectl federate rotate cluster-a cluster-b, or --all-contexts",
        ),
    )?;
    let mut clusters: Vec<Cluster> = Vec::with_capacity(specs.len());
    for s in &specs {
        clusters.push(connect(&kc, s, global).await?);
    }
    let opts = RotateOptions {
        remote_namespace: args.remote_namespace.clone(),
        token_wait: args.token_wait,
        dry_run: args.dry_run,
        parallel: args.parallel.max(1),
        verify: StatusOptions {
            // 0 means no limit, as for kubectl; a day stands in so deadlines stay representable.
            request_timeout: Some(global.request_timeout)
                .filter(|t| !t.is_zero())
                .unwrap_or(Duration::from_secs(86_400)),
            contexts: known_contexts(&kc),
            ..StatusOptions::default()
        },
    };
    let report = rotate(&clusters, &opts).await;
    if !global.quiet {
        for line in summary(&report, args.dry_run) {
            eprintln!("{line}");
        }
    }
    let dry_run = args.dry_run.then_some("client");
    let mut value = serde_json::to_value(&report)?;
    if args.dry_run {
        if let Some(links) = value.get_mut("links").and_then(Value::as_array_mut) {
            for (v, l) in links.iter_mut().zip(&report.links) {
                v["actions"] = with_objects(&l.actions, false);
            }
        }
        if let Some(remotes) = value.get_mut("remotes").and_then(Value::as_array_mut) {
            for (v, r) in remotes.iter_mut().zip(&report.remotes) {
                v["actions"] = with_objects(&r.actions, false);
            }
        }
        value["dryRun"] = Value::String("client".into());
    }
    let code = render_links(out, global, &report.links, ("RotationReport", &value), dry_run)?;
    if report.links.is_empty() && !global.quiet {
        eprintln!("no links between the listed clusters: nothing to rotate (join or mesh them first)");
    }
    Ok(if report.failed() { crate::exit::FAILED } else { code })
}

/// Per remote, on stderr: the generation now held, what was revoked, what was kept and why.
fn summary(report: &RotationReport, dry_run: bool) -> Vec<String> {
    let generations = |v: &[libfed::rotate::KeptGeneration]| {
        v.iter().map(|k| format!("{} ({})", k.generation, k.secret)).collect::<Vec<_>>().join(", ")
    };
    let mut out = Vec::new();
    for r in &report.remotes {
        for w in &r.warnings {
            out.push(format!("warning: {}: {w}", r.context));
        }
        if let Some(e) = &r.error {
            out.push(format!("error: {}: not rotated: {e}", r.context));
            continue;
        }
        let mode = r.token_mode.map(|m| format!(", {m} mode")).unwrap_or_default();
        let mut line = match r.generation {
            Some(g) if dry_run => format!("{}: would mint generation {g}{mode}", r.context),
            Some(g) => format!("{}: generation {g}{mode}", r.context),
            None => format!("{}:", r.context),
        };
        if let Some(t) = &r.token_expires {
            line += &format!(", expires {t}");
        }
        if !r.revoked.is_empty() {
            line += &format!("; {} {}", if dry_run { "would revoke" } else { "revoked" }, generations(&r.revoked));
        }
        out.push(line);
        if !r.kept.is_empty() {
            out.push(format!(
                "warning: {}: kept {} valid: {}",
                r.context,
                generations(&r.kept),
                r.kept_because.as_deref().unwrap_or("a link may still use it")
            ));
            out.push("hint: fix that, then re-run the same command: it finishes this rotation".to_string());
        }
    }
    out
}

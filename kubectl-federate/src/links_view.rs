//! Rendering a federation report (join, mesh, unjoin): a table of links for people, the report as
//! JSON or YAML for scripts. With a dry run, JSON/YAML carry the exact objects, Secret values
//! redacted unless `--show-secrets`.

use std::io::Write;

use libfed::federate::FederationReport;
use libfed::link::{LinkReport, Outcome};
use libfed::plan::{Action, Op};
use serde_json::Value;

use crate::cli::{GlobalFlags, OutputFormat};
use crate::exit::ExitStatus;
use crate::output;

/// The result word, in kubectl's dry-run vocabulary: `created`, `created (dry run)`,
/// `created (server dry run)` (the same suffixes as `svc create` and `svc delete`).
fn outcome_word(o: Outcome, dry_run: Option<&str>) -> String {
    let word = match o {
        Outcome::Created => "created",
        Outcome::Updated => "updated",
        Outcome::Unchanged => "unchanged",
        Outcome::Removed => "removed",
        Outcome::NotFound => "not found",
        Outcome::Failed => "failed",
    };
    match (o, dry_run) {
        (Outcome::Created | Outcome::Updated | Outcome::Removed, Some(mode)) => {
            format!("{word}{}", dry_run_suffix(mode))
        }
        _ => word.to_owned(),
    }
}

/// The suffix kubectl puts after what a dry run would have done.
pub fn dry_run_suffix(mode: &str) -> &'static str {
    if mode == "server" { " (server dry run)" } else { " (dry run)" }
}

fn op_word(op: Op) -> &'static str {
    match op {
        Op::Create => "create",
        Op::Update => "update",
        Op::Unchanged => "unchanged",
        Op::Delete => "delete",
        Op::Adopted => "adopted: not managed",
    }
}

fn changes(actions: &[Action]) -> String {
    let changed: Vec<String> =
        actions.iter().filter(|a| a.op != Op::Unchanged).map(|a| format!("{} {}", op_word(a.op), a.object())).collect();
    if changed.is_empty() { "-".into() } else { changed.join(", ") }
}

/// The actions as JSON, each with the exact object it writes (Secret values redacted unless
/// `show_secrets`), for dry runs.
pub fn with_objects(actions: &[Action], show_secrets: bool) -> Value {
    Value::Array(
        actions
            .iter()
            .map(|a| {
                let mut v = serde_json::to_value(a).unwrap_or(Value::Null);
                if let (Some(obj), Some(map)) = (a.redacted_object(show_secrets), v.as_object_mut()) {
                    map.insert("object".into(), obj);
                }
                v
            })
            .collect(),
    )
}

/// Writes the report on stdout and warnings on stderr; returns the exit code.
pub fn render(
    out: &mut impl Write,
    global: &GlobalFlags,
    report: &FederationReport,
    dry_run: Option<&str>,
    show_secrets: bool,
) -> anyhow::Result<ExitStatus> {
    if !global.quiet {
        for r in &report.remotes {
            for w in &r.warnings {
                eprintln!("warning: {w}");
            }
        }
    }
    let mut value = serde_json::to_value(report)?;
    if dry_run.is_some() {
        if let Some(links) = value.get_mut("links").and_then(Value::as_array_mut) {
            for (v, l) in links.iter_mut().zip(&report.links) {
                v["actions"] = with_objects(&l.actions, show_secrets);
            }
        }
        if let Some(remotes) = value.get_mut("remotes").and_then(Value::as_array_mut) {
            for (v, r) in remotes.iter_mut().zip(&report.remotes) {
                v["actions"] = with_objects(&r.actions, show_secrets);
            }
        }
        value["dryRun"] = Value::String(dry_run.unwrap_or_default().into());
    }
    render_links(out, global, &report.links, ("FederationReport", &value), dry_run)
}

/// Writes `value` as JSON/YAML, or the links as a table; then, when a link failed, the summary on
/// stderr. Returns the exit code. Shared by every command that reports links (join, mesh, unjoin,
/// rotate).
pub fn render_links(
    out: &mut impl Write,
    global: &GlobalFlags,
    links: &[LinkReport],
    (kind, value): (&str, &Value),
    dry_run: Option<&str>,
) -> anyhow::Result<ExitStatus> {
    if !output::write_document(out, global.output, kind, value)? {
        let wide = global.output == OutputFormat::Wide;
        let mut header = vec!["local", "remote", "name", "result", "reason"];
        if wide {
            header.push("changes");
        }
        let rows = links
            .iter()
            .map(|l| {
                let mut row = vec![
                    l.local.clone(),
                    l.remote.clone(),
                    l.name.clone(),
                    outcome_word(l.outcome, dry_run),
                    l.reason.clone().unwrap_or_else(|| "-".into()),
                ];
                if wide {
                    row.push(changes(&l.actions));
                }
                row
            })
            .collect();
        out.write_all(output::table(&header, rows).as_bytes())?;
    }
    if links.iter().any(|l| l.outcome == Outcome::Failed) {
        let n = links.iter().filter(|l| l.outcome == Outcome::Failed).count();
        eprintln!("error: {n} of {} links failed", links.len());
        eprintln!(
            "hint: fix the cause named in the REASON column, then re-run the same command: it converges and rewrites nothing that is right"
        );
        return Ok(ExitStatus::Failed);
    }
    Ok(ExitStatus::Ok)
}

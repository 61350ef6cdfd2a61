//! `kubectl federate status [CONTEXT...] | --all-contexts`: prove every link works with the
//! credential Calico will use; `--wait` polls until they do. Exit 0 when every link is healthy
//! (warnings allowed), 1 when one is not.

use std::io::Write;
use std::time::{Duration, Instant};

use clap::Args;
use libfed::cluster::Cluster;
use libfed::status::{StatusOptions, StatusReport, check_status, known_contexts};

#[path = "status_view.rs"]
mod view;

use crate::cli::GlobalFlags;
use crate::clusters::{ClusterSpec, all_contexts, check_contexts, connect, load_kubeconfig, local_spec, parse_spec};
use crate::exit;
use crate::settings::parse_duration;

/// How often `--wait` checks again.
const POLL: Duration = Duration::from_secs(2);

/// The flags of `status`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate status --context cluster-a          # cluster-a's links\n  \
    kubectl federate status --all-contexts               # every link, with a local x remote matrix\n  \
    kubectl federate status -A --wait --timeout 5m       # poll until healthy (exit 1 on timeout)\n  \
    kubectl federate status -A -o json                   # every check, for scripts\n  \
    kubectl federate status -A -o dot | dot -Tsvg > federation.svg")]
pub struct StatusArgs {
    /// Local clusters to check: CONTEXT or NAME=CONTEXT (default: --context, else the current context).
    #[arg(value_name = "CONTEXT", value_delimiter = ',', conflicts_with = "all_contexts", add = crate::cli::CompletesContexts)]
    pub contexts: Vec<String>,
    /// Check every context of the kubeconfig.
    #[arg(long, short = 'A')]
    pub all_contexts: bool,
    /// A token expiring within this is a warning.
    #[arg(long, value_name = "DURATION", default_value = "30d", value_parser = parse_duration)]
    pub expiry_warning: Duration,
    /// Check again until every link is healthy, or --timeout passes.
    #[arg(long)]
    pub wait: bool,
    /// How long --wait waits.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration, requires = "wait")]
    pub timeout: Duration,
    /// Treat loopback server URLs as fine: every cluster runs on this machine (e.g. the test environment).
    #[arg(long)]
    pub allow_loopback: bool,
    /// How many links are checked at once.
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub parallel: usize,
}

/// Checks the links, waits if asked, renders the report; returns the exit code.
pub async fn run(args: StatusArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<u8> {
    let kc = load_kubeconfig(global)?;
    let specs: Vec<ClusterSpec> = if args.all_contexts {
        all_contexts(&kc)
    } else if args.contexts.is_empty() {
        vec![local_spec(&kc, global)?]
    } else {
        args.contexts.iter().map(|c| parse_spec(c)).collect::<anyhow::Result<_>>()?
    };
    check_contexts(&kc, &specs)?;
    let mut locals: Vec<Cluster> = Vec::with_capacity(specs.len());
    for s in &specs {
        locals.push(connect(&kc, s, global).await?);
    }
    let opts = StatusOptions {
        expiry_warning: args.expiry_warning,
        // 0 means no limit, as for kubectl; a day stands in so deadlines stay representable.
        request_timeout: Some(global.request_timeout).filter(|t| !t.is_zero()).unwrap_or(Duration::from_secs(86_400)),
        allow_loopback: args.allow_loopback,
        parallel: args.parallel.max(1),
        contexts: known_contexts(&kc),
        connect_timeout: global.connect_timeout,
        progress: libfed::progress::Progress::default(),
    };
    let (display, sink) = crate::progress::Display::start(global);
    let opts = StatusOptions { progress: sink, ..opts };
    let started = Instant::now();
    let mut report = check_status(&locals, &opts).await;
    let mut timed_out = false;
    if args.wait {
        while !report.healthy {
            let left = args.timeout.saturating_sub(started.elapsed());
            if left.is_zero() {
                timed_out = true;
                break;
            }
            display.note(format!(
                "waiting for every link to be healthy ({}s of {}s): {}",
                started.elapsed().as_secs(),
                args.timeout.as_secs(),
                view::still_failing(&report).join(", ")
            ));
            tokio::time::sleep(POLL.min(left)).await;
            report = check_status(&locals, &opts).await;
        }
    }
    display.finish();
    view::render(out, global, &report)?;
    finish(global, &report, timed_out.then_some(args.timeout))
}

/// The summary on stderr and the exit code.
fn finish(global: &GlobalFlags, report: &StatusReport, waited: Option<Duration>) -> anyhow::Result<u8> {
    if report.healthy {
        if !global.quiet && report.links.is_empty() {
            let names: Vec<&str> = report.clusters.iter().map(|c| c.context.as_str()).collect();
            eprintln!("no federation links in {} (no RemoteClusterConfigurations)", names.join(", "));
        }
        return Ok(exit::OK);
    }
    let failing = view::still_failing(report);
    match waited {
        Some(t) => eprintln!(
            "error: timed out after {} waiting for every link to be healthy; still failing (details above): {}",
            libfed::status::report::human_duration(t.as_secs() as i64),
            failing.join(", ")
        ),
        None => {
            let s = &report.summary;
            let mut what = format!("{} of {} links unhealthy", s.error, s.links);
            if s.unreachable_clusters > 0 {
                let n = s.unreachable_clusters;
                what += &format!(", {n} {} could not be read", if n == 1 { "cluster" } else { "clusters" });
            }
            eprintln!("error: {what}");
        }
    }
    if report.links.iter().any(|l| l.first_problem().is_some_and(|c| c.hint.is_some())) {
        eprintln!("hint: each failed check above ends with the command that fixes it; `-o yaml` shows every check");
    }
    Ok(exit::FAILED)
}

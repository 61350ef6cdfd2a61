//! The command line of `status`: its clap types.

use std::time::Duration;

use clap::Args;

use crate::cli::parse::parse_duration;

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

//! The command line of `rotate`: its clap types.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::cli::parse::parse_duration;

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

//! The command line of `mesh`: its clap types.

use std::path::PathBuf;

use clap::Args;

use crate::cli::federation::FederationFlags;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate mesh cluster-a cluster-b cluster-c    # every link, both ways\n  \
    kubectl federate mesh --all-contexts --dry-run         # what would be written\n  \
    kubectl federate mesh -f clusters.yaml                 # clusters: [{name, context, server}]\n  \
    kubectl federate mesh a b c --server b=https://b.example:6443   # URL other clusters reach")]
pub struct MeshArgs {
    /// Clusters: CONTEXT or NAME=CONTEXT.
    #[arg(value_name = "CONTEXT", value_delimiter = ',', conflicts_with_all = ["all_contexts", "file"], add = crate::cli::CompletesContexts)]
    pub contexts: Vec<String>,
    /// Every context of the kubeconfig.
    #[arg(long, short = 'A', conflicts_with = "file")]
    pub all_contexts: bool,
    /// A file listing the clusters: `clusters: [{name, context, server}]`.
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Remove links this tool made to clusters not in the list.
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub flags: FederationFlags,
}

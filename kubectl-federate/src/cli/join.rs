//! The command line of `join`: its clap types.

use clap::Args;

use crate::cli::federation::FederationFlags;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate join cluster-b --context cluster-a                # cluster-a reads cluster-b\n  \
    kubectl federate join cluster-b cluster-c --context cluster-a --bidirectional\n  \
    kubectl federate join east=cluster-b --context cluster-a           # the RCC is named east\n  \
    kubectl federate join cluster-b --context cluster-a --dry-run -o yaml   # the objects; nothing written\n  \
    kubectl federate join prod --context cluster-a --eks                # server and CA from EKS")]
pub struct JoinArgs {
    /// Remote clusters: CONTEXT or NAME=CONTEXT (NAME is the RCC name and endpoint prefix).
    #[arg(required = true, value_name = "REMOTE", value_delimiter = ',', add = crate::cli::CompletesContexts)]
    pub remotes: Vec<String>,
    /// Also join each REMOTE to LOCAL (both directions).
    #[arg(long)]
    pub bidirectional: bool,
    #[command(flatten)]
    pub flags: FederationFlags,
}

//! The command line of `unjoin`: its clap types.

use clap::Args;

use crate::cli::federation::DryRun;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate unjoin cluster-b --context cluster-a                   # local side only\n  \
    kubectl federate unjoin cluster-b --context cluster-a --remote-cleanup  # and the remote credential\n  \
    kubectl federate unjoin east --context cluster-a                        # by RCC name, remote gone\n  \
    kubectl federate unjoin cluster-b --context cluster-a --dry-run")]
pub struct UnjoinArgs {
    /// Links to remove: the RCC NAME, NAME=CONTEXT, or the CONTEXT of the remote.
    #[arg(required = true, value_name = "REMOTE", value_delimiter = ',', add = crate::cli::CompletesContexts)]
    pub remotes: Vec<String>,
    /// Also remove the remote ServiceAccount, token Secret and RBAC once no other cluster uses them.
    #[arg(long)]
    pub remote_cleanup: bool,
    /// Namespace of the local Secret, Role and RoleBinding.
    #[arg(long, value_name = "NS", default_value = libfed::names::DEFAULT_SECRET_NAMESPACE, value_parser = crate::cli::parse::parse_namespace)]
    pub secret_namespace: String,
    /// Namespace of the remote ServiceAccount and token.
    #[arg(long, value_name = "NS", default_value = libfed::names::DEFAULT_REMOTE_NAMESPACE, value_parser = crate::cli::parse::parse_namespace)]
    pub remote_namespace: String,
    /// Print the plan (client) or send deletes with dryRun=All (server); nothing is changed.
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "client", require_equals = true)]
    pub dry_run: Option<DryRun>,
}

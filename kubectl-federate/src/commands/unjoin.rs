//! `kubectl federate unjoin LINK... [--context LOCAL]`: remove the links this tool made. A link is
//! named by its RCC name, `NAME=CONTEXT`, or the remote's context; a remote that is gone is
//! skipped with the command that finishes it later.

use std::io::Write;

use clap::Args;
use libfed::federate::FederationReport;
use libfed::names::validate_cluster_name;
use libfed::unjoin::{LinkRef, UnjoinOptions, unjoin};

use super::federation_flags::{DryRun, dry_run_name, execution};
use crate::cli::GlobalFlags;
use crate::clusters::{check_contexts, connect, load_kubeconfig, local_spec};
use crate::links_view;
use crate::report_error::Hinted;

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
    #[arg(long, value_name = "NS", default_value = libfed::names::DEFAULT_SECRET_NAMESPACE, value_parser = crate::settings::parse_namespace)]
    pub secret_namespace: String,
    /// Namespace of the remote ServiceAccount and token.
    #[arg(long, value_name = "NS", default_value = libfed::names::DEFAULT_REMOTE_NAMESPACE, value_parser = crate::settings::parse_namespace)]
    pub remote_namespace: String,
    /// Print the plan (client) or send deletes with dryRun=All (server); nothing is changed.
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "client", require_equals = true)]
    pub dry_run: Option<DryRun>,
}

fn link_ref(arg: &str) -> anyhow::Result<LinkRef> {
    match arg.split_once('=') {
        Some((name, context)) => {
            validate_cluster_name(name)
                .map_err(|e| Hinted::usage(e.to_string(), "write NAME=CONTEXT with NAME the RCC name"))?;
            if context.is_empty() {
                return Err(Hinted::usage(format!("{arg:?} names no context"), "write NAME=CONTEXT"));
            }
            Ok(LinkRef::Named { name: name.into(), context: context.into() })
        }
        None if arg.is_empty() => Err(Hinted::usage("an empty link name", "name the link: its RCC name or CONTEXT")),
        None => Ok(LinkRef::Bare(arg.into())),
    }
}

pub async fn run(args: UnjoinArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<u8> {
    let kc = load_kubeconfig(global)?;
    let local_spec = local_spec(&kc, global)?;
    let refs: Vec<LinkRef> = args.remotes.iter().map(|r| link_ref(r)).collect::<anyhow::Result<_>>()?;
    // Only the local context must exist: a remote's context may be gone with its cluster.
    check_contexts(&kc, std::slice::from_ref(&local_spec))?;
    let execution = execution(args.dry_run);
    let local = connect(&kc, &local_spec, global).await?;
    let opts = UnjoinOptions {
        secret_namespace: args.secret_namespace,
        remote_namespace: args.remote_namespace,
        remote_cleanup: args.remote_cleanup,
        execution,
        timeout: Some(global.request_timeout),
    };
    let results = unjoin(&kc, &local, &refs, &opts).await;
    if !global.quiet {
        for w in results.iter().filter_map(|r| r.warning.as_ref()) {
            eprintln!("warning: {w}");
        }
    }
    let report = FederationReport { remotes: vec![], links: results.into_iter().map(|r| r.link).collect() };
    links_view::render(out, global, &report, dry_run_name(execution), false)
}

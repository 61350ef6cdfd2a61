//! `kubectl federate unjoin REMOTE... [--context LOCAL]`: remove the links this tool made.

use std::io::Write;

use clap::Args;
use libfed::federate::{FederationReport, error_chain};
use libfed::link::{LinkReport, Outcome};
use libfed::plan::{Action, apply_action};
use libfed::unjoin::{plan_remote_cleanup, plan_unjoin};

use super::federation_flags::{DryRun, dry_run_name, execution};
use crate::cli::GlobalFlags;
use crate::clusters::{ClusterSpec, check_contexts, connect, load_kubeconfig, local_spec, parse_spec};
use crate::links_view;

#[derive(Debug, Args)]
pub struct UnjoinArgs {
    /// Remote clusters: CONTEXT or NAME=CONTEXT.
    #[arg(required = true, value_name = "REMOTE", value_delimiter = ',')]
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

pub async fn run(args: UnjoinArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<u8> {
    let kc = load_kubeconfig(global)?;
    let local_spec = local_spec(&kc, global)?;
    let remotes: Vec<ClusterSpec> = args.remotes.iter().map(|r| parse_spec(r)).collect::<anyhow::Result<_>>()?;
    let mut all = vec![local_spec.clone()];
    all.extend(remotes.clone());
    check_contexts(&kc, &all)?;
    let execution = execution(args.dry_run);
    let local = connect(&kc, &local_spec, global).await?;
    let mut links = Vec::new();
    for spec in &remotes {
        let mut link = LinkReport {
            local: local.context.clone(),
            remote: spec.context.clone(),
            name: spec.name.clone(),
            outcome: Outcome::Removed,
            reason: None,
            actions: vec![],
        };
        let result: anyhow::Result<Vec<Action>> = async {
            let mut actions = plan_unjoin(&local, &spec.name, &args.secret_namespace).await?;
            let remote = connect(&kc, spec, global).await?;
            if args.remote_cleanup {
                actions.extend(plan_remote_cleanup(&remote, &local.name, &args.remote_namespace).await?);
            }
            if let Some(mode) = execution.mode() {
                for a in &actions {
                    let client = if a.cluster == local.context { &local.client } else { &remote.client };
                    apply_action(client, a, mode).await?;
                }
            }
            Ok(actions)
        }
        .await;
        match result {
            Ok(actions) if actions.is_empty() => link.outcome = Outcome::Unchanged,
            Ok(actions) => link.actions = actions,
            Err(e) => {
                link.outcome = Outcome::Failed;
                link.reason = Some(error_chain(e.as_ref()));
            }
        }
        links.push(link);
    }
    let report = FederationReport { remotes: vec![], links };
    links_view::render(out, global, &report, dry_run_name(execution), false)
}

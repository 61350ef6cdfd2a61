//! `kubectl federate mesh CONTEXT... | --all-contexts | -f clusters.yaml`: every link between the
//! clusters, both ways, concurrently; `--prune` removes managed links to clusters not listed.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use libfed::federate::{federate, mesh_links};
use libfed::link::{LinkReport, Outcome};
use libfed::plan::apply_action;
use libfed::unjoin::{managed_links, plan_unjoin};

use super::federation_flags::FederationFlags;
use super::join::members;
use crate::cli::GlobalFlags;
use crate::clusters::{ClusterSpec, all_contexts, check_contexts, load_kubeconfig, parse_spec, read_clusters_file};
use crate::links_view;
use crate::report_error::Hinted;

#[derive(Debug, Args)]
pub struct MeshArgs {
    /// Clusters: CONTEXT or NAME=CONTEXT.
    #[arg(value_name = "CONTEXT", value_delimiter = ',', conflicts_with_all = ["all_contexts", "file"])]
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

pub async fn run(args: MeshArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<u8> {
    let kc = load_kubeconfig(global)?;
    let specs: Vec<ClusterSpec> = if let Some(file) = &args.file {
        read_clusters_file(file, args.flags.insecure_allow_http_server)?
    } else if args.all_contexts {
        all_contexts(&kc)
    } else {
        args.contexts.iter().map(|c| parse_spec(c)).collect::<anyhow::Result<_>>()?
    };
    if specs.len() < 2 {
        return Err(Hinted::usage(
            "a mesh needs at least two clusters",
            "list them: kubectl federate mesh cluster-a cluster-b cluster-c",
        ));
    }
    check_contexts(&kc, &specs)?;
    let members = members(&kc, &specs, &args.flags, global, 0).await?;
    if !global.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let n = members.len();
        eprintln!("federating {n} clusters: {} links, {} at a time…", n * (n - 1), args.flags.parallel);
    }
    let opts = args.flags.options();
    let mut report = federate(&members, &mesh_links(members.len()), &opts).await;
    if args.prune {
        let names: Vec<&str> = members.iter().map(|m| m.cluster.name.as_str()).collect();
        for m in &members {
            let local = &m.cluster;
            let stale = match managed_links(local).await {
                Ok(links) => links.into_iter().filter(|l| !names.contains(&l.as_str())).collect::<Vec<_>>(),
                Err(_) => continue, // its links are already reported failed
            };
            for name in stale {
                let mut link = LinkReport {
                    local: local.context.clone(),
                    remote: "-".into(),
                    name: name.clone(),
                    outcome: Outcome::Removed,
                    reason: None,
                    actions: vec![],
                };
                match plan_unjoin(local, &name, &opts.link.secret_namespace).await {
                    Ok(actions) => {
                        if let Some(mode) = opts.execution.mode() {
                            for a in &actions {
                                if let Err(e) = apply_action(&local.client, a, mode).await {
                                    link.outcome = Outcome::Failed;
                                    link.reason = Some(libfed::federate::error_chain(&e));
                                    break;
                                }
                            }
                        }
                        link.actions = actions;
                    }
                    Err(e) => {
                        link.outcome = Outcome::Failed;
                        link.reason = Some(libfed::federate::error_chain(&e));
                    }
                }
                report.links.push(link);
            }
        }
    }
    links_view::render(out, global, &report, args.flags.dry_run_name(), args.flags.show_secrets)
}

//! `kubectl federate mesh CONTEXT... | --all-contexts | -f clusters.yaml`: every link between the
//! clusters, both ways, concurrently; `--prune` removes the links the tool made to clusters not
//! listed, with their remote records (libfed::prune).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use libfed::federate::{federate, mesh_links};
use libfed::prune::prune;
use libfed::unjoin::UnjoinOptions;

use super::federation_flags::FederationFlags;
use super::join::members;
use crate::cli::GlobalFlags;
use crate::clusters::listed_clusters;
use crate::links_view;

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

pub async fn run(args: MeshArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<u8> {
    let (kc, specs) = listed_clusters(
        global,
        "mesh",
        (args.file.as_deref(), args.all_contexts, &args.contexts),
        args.flags.insecure_allow_http_server,
        ("a mesh needs at least two clusters", "list them: kubectl federate mesh cluster-a cluster-b cluster-c"),
    )?;
    let members = members(&kc, &specs, &args.flags, global, 0).await?;
    let (display, sink) = crate::progress::Display::start(global);
    if display.shown() {
        let n = members.len();
        eprintln!("federating {n} clusters: {} links, {} at a time…", n * (n - 1), args.flags.parallel);
    }
    let mut opts = args.flags.options();
    opts.progress = sink;
    let mut report = federate(&members, &mesh_links(members.len()), &opts).await;
    display.finish();
    if args.prune {
        let keep: Vec<&str> = members.iter().map(|m| m.cluster.name.as_str()).collect();
        let clusters: Vec<libfed::cluster::Cluster> = members.iter().map(|m| m.cluster.clone()).collect();
        let prune_opts = UnjoinOptions {
            secret_namespace: opts.link.secret_namespace.clone(),
            remote_namespace: opts.remote.namespace.clone(),
            remote_cleanup: true,
            execution: opts.execution,
            timeout: Some(global.request_timeout),
        };
        for r in prune(&kc, &clusters, &keep, &prune_opts).await {
            if let Some(w) = r.warning.as_ref().filter(|_| !global.quiet) {
                eprintln!("warning: {w}");
            }
            report.links.push(r.link);
        }
    }
    links_view::render(out, global, &report, args.flags.dry_run_name(), args.flags.show_secrets)
}

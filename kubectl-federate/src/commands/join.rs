//! `kubectl federate join REMOTE... [--context LOCAL]`: give LOCAL read access to each REMOTE.

use std::io::Write;

use clap::Args;
use libfed::federate::{Member, check_local, federate};

use super::federation_flags::FederationFlags;
use crate::cli::GlobalFlags;
use crate::clusters::{ClusterSpec, check_contexts, connect, load_kubeconfig, local_spec, parse_spec};
use crate::links_view;
use crate::report_error::Hinted;

#[derive(Debug, Args)]
pub struct JoinArgs {
    /// Remote clusters: CONTEXT or NAME=CONTEXT (NAME is the RCC name and endpoint prefix).
    #[arg(required = true, value_name = "REMOTE", value_delimiter = ',')]
    pub remotes: Vec<String>,
    /// Also join each REMOTE to LOCAL (both directions).
    #[arg(long)]
    pub bidirectional: bool,
    #[command(flatten)]
    pub flags: FederationFlags,
}

/// Builds the members (with `--server` overrides applied) for specs.
pub async fn members(
    kc: &kube::config::Kubeconfig,
    specs: &[ClusterSpec],
    flags: &FederationFlags,
    global: &GlobalFlags,
) -> anyhow::Result<Vec<Member>> {
    let overrides = flags.server_overrides()?;
    for (name, _) in &overrides {
        if !specs.iter().any(|s| &s.name == name) {
            return Err(Hinted::usage(
                format!("--server names {name:?}, which is not one of the clusters"),
                "use the cluster NAME (as in NAME=CONTEXT)",
            ));
        }
    }
    let mut out = Vec::new();
    for s in specs {
        let server = overrides.iter().find(|(n, _)| n == &s.name).map(|(_, u)| u.clone()).or_else(|| s.server.clone());
        out.push(Member { cluster: connect(kc, s, global).await?, server, ca_pem: None });
    }
    Ok(out)
}

pub async fn run(args: JoinArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<u8> {
    let kc = load_kubeconfig(global)?;
    let local = local_spec(&kc, global)?;
    let remotes: Vec<ClusterSpec> = args.remotes.iter().map(|r| parse_spec(r)).collect::<anyhow::Result<_>>()?;
    if remotes.iter().any(|r| r.context == local.context) {
        return Err(Hinted::usage(
            format!("{} is the local cluster; a cluster is not joined to itself", local.context),
            "name other contexts as REMOTE",
        ));
    }
    let mut specs = vec![local];
    specs.extend(remotes);
    check_contexts(&kc, &specs)?;
    let members = members(&kc, &specs, &args.flags, global).await?;
    // Before anything is written anywhere: the local cluster must serve the RCC API.
    check_local(&members[0].cluster).await.map_err(|e| {
        Hinted::failed(libfed::federate::error_chain(&e), "install Calico Enterprise (or, on a local test cluster, `kubectl apply -f manifests/dev/`) and run join again")
    })?;
    let mut links: Vec<(usize, usize)> = (1..members.len()).map(|r| (0, r)).collect();
    if args.bidirectional {
        links.extend((1..members.len()).map(|r| (r, 0)));
    }
    let report = federate(&members, &links, &args.flags.options()).await;
    links_view::render(out, global, &report, args.flags.dry_run_name(), args.flags.show_secrets)
}

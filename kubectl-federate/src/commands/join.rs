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

/// Builds the members (with `--server` overrides applied) for specs; with `--eks`, the server and CA
/// of members from index `eks_from` on (the ones kubeconfigs are minted for) come from EKS. Every
/// server a kubeconfig will be minted with is validated first (https, see
/// `--insecure-allow-http-server`).
pub async fn members(
    kc: &kube::config::Kubeconfig,
    specs: &[ClusterSpec],
    flags: &FederationFlags,
    global: &GlobalFlags,
    eks_from: usize,
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
    for (i, s) in specs.iter().enumerate() {
        let mut server =
            overrides.iter().find(|(n, _)| n == &s.name).map(|(_, u)| u.clone()).or_else(|| s.server.clone());
        let mut ca_pem = None;
        if flags.eks && i >= eks_from {
            let (eks_name, region) = eks_target(&s.context, &s.name);
            let config = super::eks::load_aws_config(region.as_deref(), &flags.aws).await;
            let cluster = libfed::aws::eks::describe_cluster(&config, &eks_name).await.map_err(|e| {
                Hinted::failed(
                    format!("{}: {}", s.context, libfed::federate::error_chain(&e)),
                    super::eks::eks_hint(&eks_name),
                )
            })?;
            use base64::Engine;
            let pem = base64::engine::general_purpose::STANDARD.decode(cluster.ca_data.trim()).map_err(|e| {
                Hinted::failed(
                    format!("eks cluster {eks_name}: the CA is not base64: {e}"),
                    "check the cluster in the EKS console",
                )
            })?;
            server = server.or(Some(cluster.endpoint));
            ca_pem = Some(pem);
        }
        let cluster = connect(kc, s, global).await?;
        if i >= eks_from && server.is_none() {
            // The context's own server goes into the kubeconfig minted for this cluster.
            flags.check_server(&cluster.server, &format!("context {}: server", s.context))?;
        }
        out.push(Member { cluster, server, ca_pem });
    }
    Ok(out)
}

/// The EKS cluster name and region for a context: from an EKS context ARN
/// (`arn:aws:eks:REGION:ACCOUNT:cluster/NAME`), else the cluster name and the configured region.
pub fn eks_target(context: &str, name: &str) -> (String, Option<String>) {
    let mut parts = context.splitn(6, ':');
    match (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("arn"), Some(_), Some("eks"), Some(region), Some(_), Some(rest)) if rest.starts_with("cluster/") => {
            (rest.trim_start_matches("cluster/").to_string(), Some(region.to_string()))
        }
        _ => (name.to_string(), None),
    }
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
    let members = members(&kc, &specs, &args.flags, global, if args.bidirectional { 0 } else { 1 }).await?;
    let (display, sink) = crate::progress::Display::start(global);
    // Before anything is written anywhere: the local cluster must serve the RCC API.
    let local = &members[0].cluster;
    let checked = sink.waiting(&local.context, "checking the RCC API", check_local(local)).await;
    checked.map_err(|e| {
        Hinted::failed(libfed::federate::error_chain(&e), "install Calico Enterprise (or, on a local test cluster, `kubectl apply -f manifests/dev/`) and run join again")
    })?;
    let mut links: Vec<(usize, usize)> = (1..members.len()).map(|r| (0, r)).collect();
    if args.bidirectional {
        links.extend((1..members.len()).map(|r| (r, 0)));
    }
    let mut opts = args.flags.options();
    opts.progress = sink;
    let report = federate(&members, &links, &opts).await;
    display.finish();
    links_view::render(out, global, &report, args.flags.dry_run_name(), args.flags.show_secrets)
}

#[cfg(test)]
mod tests {
    use super::eks_target;

    #[test]
    fn eks_cluster_and_region_come_from_a_context_arn() {
        assert_eq!(
            eks_target("arn:aws:eks:us-west-2:111122223333:cluster/prod", "prod"),
            ("prod".to_string(), Some("us-west-2".to_string()))
        );
        assert_eq!(eks_target("cluster-b", "east"), ("east".to_string(), None));
    }
}

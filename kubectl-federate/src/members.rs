//! The federation members of `join` and `mesh`: each listed cluster connected, with the server URL
//! and CA its minted kubeconfig will hold (the context's, a `--server` override, or EKS's).

use libfed::aws::eks_endpoint::{eks_endpoint, eks_target};
use libfed::federate::Member;

use crate::aws_setup::{eks_hint, load_aws_config};
use crate::cli::GlobalFlags;
use crate::cli::federation::FederationFlags;
use crate::clusters::{ClusterSpec, connect};
use crate::report_error::Hinted;

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
            let config = load_aws_config(region.as_deref(), &flags.aws).await;
            let (endpoint, pem) = eks_endpoint(&config, &eks_name).await.map_err(|e| {
                Hinted::failed(format!("{}: {}", s.context, libfed::federate::error_chain(&e)), eks_hint(&eks_name))
            })?;
            server = server.or(Some(endpoint));
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

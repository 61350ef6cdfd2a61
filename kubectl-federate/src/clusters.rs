//! Resolving the clusters a command names: `CONTEXT` or `NAME=CONTEXT`, `--all-contexts`, or a
//! `clusters.yaml`, against the kubeconfig kubectl would use.

use std::path::Path;

use anyhow::Context;
use kube::config::Kubeconfig;
use libfed::cluster::Cluster;
use libfed::names::{sanitize_cluster_name, validate_cluster_name};
use serde::Deserialize;

use crate::cli::GlobalFlags;
use crate::report_error::Hinted;

/// A cluster as named on the command line.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ClusterSpec {
    /// The cluster name (RCC name, endpoint prefix).
    pub name: String,
    /// The kubeconfig context.
    pub context: String,
    /// Server URL for kubeconfigs minted for this cluster.
    #[serde(default)]
    pub server: Option<String>,
}

/// Parses `CONTEXT` or `NAME=CONTEXT`.
pub fn parse_spec(arg: &str) -> anyhow::Result<ClusterSpec> {
    let (name, context) = match arg.split_once('=') {
        Some((n, c)) => (n.to_string(), c.to_string()),
        None => (sanitize_cluster_name(arg), arg.to_string()),
    };
    if context.is_empty() {
        return Err(Hinted::usage(format!("{arg:?} names no context"), "write CONTEXT or NAME=CONTEXT"));
    }
    validate_cluster_name(&name).map_err(|e| Hinted::usage(e, format!("name it explicitly: NAME={context}")))?;
    Ok(ClusterSpec { name, context, server: None })
}

/// Loads the kubeconfig kubectl would use.
pub fn load_kubeconfig(global: &GlobalFlags) -> anyhow::Result<Kubeconfig> {
    libfed::kubeconfig::load(global.kubeconfig.as_deref())
        .map_err(|e| Hinted::usage(libfed::federate::error_chain(&e), "pass --kubeconfig PATH or set KUBECONFIG"))
}

/// Checks every context exists before anything is done.
pub fn check_contexts(kc: &Kubeconfig, specs: &[ClusterSpec]) -> anyhow::Result<()> {
    for s in specs {
        if !kc.contexts.iter().any(|c| c.name == s.context) {
            return Err(Hinted::usage(
                format!("context {:?} not found in the kubeconfig", s.context),
                "`kubectl config get-contexts` lists the contexts; pass --kubeconfig to use another file",
            ));
        }
    }
    let mut names: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(Hinted::usage(
            format!("two clusters are named {:?}", w[0]),
            "give each a unique name with NAME=CONTEXT",
        ));
    }
    Ok(())
}

/// The local cluster: `--context`, else the current context.
pub fn local_spec(kc: &Kubeconfig, global: &GlobalFlags) -> anyhow::Result<ClusterSpec> {
    let context = global.context.clone().or_else(|| kc.current_context.clone()).ok_or_else(|| {
        Hinted::usage("no local cluster: the kubeconfig has no current-context", "pass --context LOCAL")
    })?;
    Ok(ClusterSpec { name: sanitize_cluster_name(&context), context, server: None })
}

/// Builds a cluster handle (no request is made).
pub async fn connect(kc: &Kubeconfig, spec: &ClusterSpec, global: &GlobalFlags) -> anyhow::Result<Cluster> {
    let timeouts = libfed::cluster::Timeouts::new(Some(global.request_timeout), Some(global.connect_timeout));
    Cluster::with_timeouts(kc, &spec.context, Some(&spec.name), timeouts)
        .await
        .with_context(|| format!("context {}", spec.context))
}

/// Every context of the kubeconfig, named after itself.
pub fn all_contexts(kc: &Kubeconfig) -> Vec<ClusterSpec> {
    libfed::cluster::all_contexts(kc)
        .into_iter()
        .map(|c| ClusterSpec { name: sanitize_cluster_name(&c), context: c, server: None })
        .collect()
}

#[derive(Deserialize)]
struct ClustersFile {
    clusters: Vec<ClusterSpec>,
}

/// Reads `clusters.yaml`: `clusters: [{name, context, server?}]` (a bare list is accepted too).
pub fn read_clusters_file(path: &Path) -> anyhow::Result<Vec<ClusterSpec>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let specs = serde_saphyr::from_str::<ClustersFile>(&text)
        .map(|f| f.clusters)
        .or_else(|_| serde_saphyr::from_str::<Vec<ClusterSpec>>(&text))
        .map_err(|e| {
            Hinted::usage(
                format!("{}: {e}", path.display()),
                "the file lists clusters as: clusters: [{name: a, context: ctx-a, server: https://...}]",
            )
        })?;
    for s in &specs {
        validate_cluster_name(&s.name)
            .map_err(|e| Hinted::usage(format!("{}: {e}", path.display()), "fix the name in the file"))?;
    }
    Ok(specs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_with_and_without_names() {
        assert_eq!(parse_spec("cluster-b").expect("plain").name, "cluster-b");
        let s = parse_spec("east=arn:aws:eks:us-east-1:1:cluster/x").expect("named");
        assert_eq!((s.name.as_str(), s.context.as_str()), ("east", "arn:aws:eks:us-east-1:1:cluster/x"));
        assert!(parse_spec("Bad_Name=ctx").is_err());
        assert!(parse_spec("x=").is_err());
    }
}

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
#[serde(deny_unknown_fields)]
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
    validate_cluster_name(&name).map_err(|e| {
        let example = e.suggestion().unwrap_or_else(|| "NAME".into());
        Hinted::usage(e.to_string(), format!("name it explicitly: {example}={context}"))
    })?;
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

/// Commands that work on a list of clusters (`mesh`, `rotate`) have no single local cluster for
/// the global `--context` to name: it is refused, never silently ignored.
///
/// # Errors
/// A usage error when `--context` was given.
pub fn refuse_context(global: &GlobalFlags, command: &str) -> anyhow::Result<()> {
    match &global.context {
        None => Ok(()),
        Some(context) => Err(Hinted::usage(
            format!(
                "{command} works on the clusters it lists; --context {context} names one local cluster, which {command} does not have"
            ),
            format!("list the contexts instead: kubectl federate {command} {context} OTHER..."),
        )),
    }
}

/// The clusters a command over a list of clusters (`mesh`, `rotate`) works on: from `-f FILE`,
/// `--all-contexts` or the positional list; at least two, every context present. `--context` is
/// refused (see [`refuse_context`]); `too_few` is the error and hint for fewer than two.
///
/// # Errors
/// A usage error for `--context`, too few clusters or a missing context; the file or kubeconfig
/// not reading.
pub fn listed_clusters(
    global: &GlobalFlags,
    command: &str,
    (file, all, contexts): (Option<&Path>, bool, &[String]),
    allow_http: bool,
    too_few: (&str, &str),
) -> anyhow::Result<(Kubeconfig, Vec<ClusterSpec>)> {
    refuse_context(global, command)?;
    let kc = load_kubeconfig(global)?;
    let specs: Vec<ClusterSpec> = if let Some(file) = file {
        read_clusters_file(file, allow_http)?
    } else if all {
        all_contexts(&kc)
    } else {
        contexts.iter().map(|c| parse_spec(c)).collect::<anyhow::Result<_>>()?
    };
    if specs.len() < 2 {
        return Err(Hinted::usage(too_few.0, too_few.1));
    }
    check_contexts(&kc, &specs)?;
    Ok((kc, specs))
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
    check_contexts(kc, std::slice::from_ref(spec))?;
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
#[serde(deny_unknown_fields)]
struct ClustersFile {
    clusters: Vec<ClusterSpec>,
}

/// Parses the text of `clusters.yaml`: `clusters: [{name, context, server?}]`, or a bare list.
/// Errors give the line, column and field (`unknown field `contxt``).
pub fn parse_clusters(text: &str) -> Result<Vec<ClusterSpec>, libfed::input::YamlError> {
    use libfed::input::{Quoting, YamlError};
    // The document's shape decides which error is the right one to show: a list is a bare list,
    // anything else should have been `clusters: [...]`.
    let is_list = text
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("---") && !l.starts_with('%'))
        .is_some_and(|l| l.starts_with('-') || l.starts_with('['));
    let result = if is_list {
        serde_saphyr::from_str::<Vec<ClusterSpec>>(text)
    } else {
        serde_saphyr::from_str::<ClustersFile>(text).map(|f| f.clusters)
    };
    result.map_err(|e| YamlError::from_saphyr(&e, Quoting::Values))
}

/// Reads `clusters.yaml` (at most 1 MiB): `clusters: [{name, context, server?}]` (a bare list is
/// accepted too). Names must be DNS-1123 labels and servers https URLs (http only when
/// `allow_http`).
pub fn read_clusters_file(path: &Path, allow_http: bool) -> anyhow::Result<Vec<ClusterSpec>> {
    const SHAPE: &str = "the file lists clusters as: clusters: [{name: a, context: ctx-a, server: https://...}]";
    let text = libfed::input::read_text(path, libfed::input::MAX_INPUT_BYTES)
        .map_err(|e| Hinted::usage(e.to_string(), "pass a clusters file of at most 1 MiB with -f"))?;
    let specs = parse_clusters(&text).map_err(|e| Hinted::usage(format!("{}: {e}", path.display()), SHAPE))?;
    for s in &specs {
        validate_cluster_name(&s.name).map_err(|e| {
            Hinted::usage(format!("{}: {e}", path.display()), format!("fix the name in the file: {}", e.hint()))
        })?;
        if let Some(server) = &s.server {
            check_server_url(server, allow_http, &format!("{}: cluster {}: server", path.display(), s.name))?;
        }
    }
    Ok(specs)
}

/// Validates a server URL (see [`libfed::server_url::validate_server_url`]) as a usage error
/// whose hint shows the `https://` form; `source` names where the URL came from.
pub fn check_server_url(url: &str, allow_http: bool, source: &str) -> anyhow::Result<()> {
    use libfed::server_url::ServerUrlError;
    libfed::server_url::validate_server_url(url, allow_http).map(|_| ()).map_err(|e| {
        let hint = match &e {
            ServerUrlError::Http(_) => format!(
                "{}; if the server really serves only plain http (a test cluster), pass --insecure-allow-http-server",
                e.hint()
            ),
            _ => e.hint(),
        };
        Hinted::usage(format!("{source}: {e}"), hint)
    })
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

    #[test]
    fn clusters_file_errors_name_the_field_and_its_real_position() {
        let text = "clusters:\n- name: a\n  context: ctx-a\n- name: b\n  contxt: ctx-b\n";
        let e = parse_clusters(text).expect_err("typo");
        assert_eq!((e.line, e.column), (Some(5), Some(3)), "{e}");
        assert!(e.message.contains("unknown field `contxt`"), "{e}");
        let e = parse_clusters("- name: a\n  context: c\n- name: b\n  sever: x\n  context: d\n").expect_err("list");
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("sever"), "{e}");
        let e = parse_clusters("clusters:\n- name: a\n  context: [x\n").expect_err("syntax");
        assert!(e.line.is_some_and(|l| l >= 3), "{e}");
        let e = parse_clusters("clustrs: []\n").expect_err("top-level typo");
        assert!(e.message.contains("clustrs"), "{e}");
        assert_eq!(parse_clusters("clusters:\n- {name: a, context: b}\n").expect("ok")[0].context, "b");
        assert_eq!(parse_clusters("# a comment\n- {name: a, context: b, server: 'https://h'}\n").expect("ok").len(), 1);
    }
}

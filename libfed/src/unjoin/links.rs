//! The links of a local cluster, the kubeconfig contexts, and which remote context a link named on
//! the command line stands for.

use crate::calico::rcc;
use crate::cluster::Cluster;
use crate::names::{sanitize_cluster_name, validate_cluster_name};
use crate::ownership::created_by_tool;
use crate::plan::read;
use crate::resource::Kind;
use crate::{Error, Result};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use kube::config::Kubeconfig;
use serde_json::Value;

/// The names of the links of a local cluster that this tool made (RCCs it created).
///
/// # Errors
/// The list failing.
pub async fn managed_links(local: &Cluster) -> Result<Vec<String>> {
    Ok(local_links(local).await?.into_iter().filter(|l| l.created_by_tool).map(|l| l.name).collect())
}

/// A link as found in a local cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkInfo {
    /// The RCC name.
    pub name: String,
    /// Whether the tool created the RCC.
    pub created_by_tool: bool,
    /// The server of the kubeconfig stored in the RCC's Secret, if it can be read.
    pub server: Option<String>,
}

/// Every RCC of `local` with the server its stored kubeconfig points at (used only to find the
/// remote's context; nothing of the Secret is shown or used to connect).
///
/// # Errors
/// The list failing for another reason than the RCC API not being served.
pub async fn local_links(local: &Cluster) -> Result<Vec<LinkInfo>> {
    let rccs = match rcc::list(&local.client).await {
        Ok(l) => l,
        Err(kube::Error::Api(s)) if s.code == 404 => Vec::new(),
        Err(e) => return Err(Error::api(&local.context, "list", "remoteclusterconfigurations", e)),
    };
    let mut out = Vec::new();
    for r in rccs {
        let value = serde_json::to_value(&r).unwrap_or(Value::Null);
        let Some(name) = r.metadata.name.clone() else { continue };
        let mut server = None;
        if let Some(reference) = r.spec.cluster_access_secret.as_ref() {
            let ns = if reference.namespace.is_empty() { "default" } else { reference.namespace.as_str() };
            if let Ok(Some(secret)) = read(&local.client, &local.context, Kind::Secret, Some(ns), &reference.name).await
            {
                server = secret
                    .pointer("/data/kubeconfig")
                    .and_then(Value::as_str)
                    .and_then(|b| B64.decode(b).ok())
                    .and_then(|b| String::from_utf8(b).ok())
                    .and_then(|t| crate::kubeconfig::inspect(&t).ok())
                    .and_then(|k| k.server);
            }
        }
        out.push(LinkInfo { name, created_by_tool: created_by_tool(&value), server });
    }
    Ok(out)
}

/// A kubeconfig context and its server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextInfo {
    /// The context name.
    pub name: String,
    /// Its cluster's server URL.
    pub server: String,
}

/// Every usable context of a kubeconfig with its server.
pub fn context_infos(kc: &Kubeconfig) -> Vec<ContextInfo> {
    kc.contexts
        .iter()
        .filter_map(|c| {
            crate::kubeconfig::context_target(kc, Some(&c.name))
                .ok()
                .map(|t| ContextInfo { name: c.name.clone(), server: t.server })
        })
        .collect()
}

/// A link as the user names it on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRef {
    /// `NAME`: an RCC name, or a context (whose link is found by name or server).
    Bare(String),
    /// `NAME=CONTEXT`.
    Named {
        /// The RCC name.
        name: String,
        /// The remote's context (it may no longer exist).
        context: String,
    },
}

/// A link resolved: its RCC name and the remote's context, or why that is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The RCC name.
    pub name: String,
    /// The remote's context, or why it is not known.
    pub remote_context: std::result::Result<String, String>,
}

pub(super) fn remote_for(
    name: &str,
    server: Option<&str>,
    contexts: &[ContextInfo],
) -> std::result::Result<String, String> {
    let named = |c: &&ContextInfo| c.name == name || sanitize_cluster_name(&c.name) == name;
    if let Some(server) = server {
        let by_server: Vec<&ContextInfo> = contexts.iter().filter(|c| c.server == server).collect();
        match by_server.as_slice() {
            [one] => return Ok(one.name.clone()),
            [] => {}
            several => {
                return several.iter().find(|c| named(c)).map(|c| c.name.clone()).ok_or_else(|| {
                    let names: Vec<&str> = several.iter().map(|c| c.name.as_str()).collect();
                    format!("several contexts point at its server ({}); name one with {name}=CONTEXT", names.join(", "))
                });
            }
        }
    }
    let by_name: Vec<&ContextInfo> = contexts.iter().filter(named).collect();
    match by_name.as_slice() {
        [one] => Ok(one.name.clone()),
        _ => Err(match server {
            Some(s) => format!("no context of the kubeconfig points at its server {s} or is named {name}"),
            None => format!("no context of the kubeconfig is named {name}"),
        }),
    }
}

/// Resolves what the user named to a link (pure): an RCC name first, then a context (the RCC named
/// after it, else the one RCC whose stored server is the context's), else a bare name.
///
/// # Errors
/// A name that is neither a link, a context nor a valid cluster name; a context several links
/// point at.
pub fn resolve(r: &LinkRef, links: &[LinkInfo], contexts: &[ContextInfo]) -> std::result::Result<Resolved, String> {
    match r {
        LinkRef::Named { name, context } => {
            validate_cluster_name(name).map_err(|e| e.to_string())?;
            let remote_context = if contexts.iter().any(|c| &c.name == context) {
                Ok(context.clone())
            } else {
                Err(format!("context {context:?} is not in the kubeconfig"))
            };
            Ok(Resolved { name: name.clone(), remote_context })
        }
        LinkRef::Bare(arg) => {
            if let Some(link) = links.iter().find(|l| &l.name == arg) {
                return Ok(Resolved {
                    name: arg.clone(),
                    remote_context: remote_for(arg, link.server.as_deref(), contexts),
                });
            }
            if let Some(ctx) = contexts.iter().find(|c| &c.name == arg) {
                let sanitized = sanitize_cluster_name(arg);
                if links.iter().any(|l| l.name == sanitized) {
                    return Ok(Resolved { name: sanitized, remote_context: Ok(arg.clone()) });
                }
                let by_server: Vec<&LinkInfo> =
                    links.iter().filter(|l| l.server.as_deref() == Some(ctx.server.as_str())).collect();
                return match by_server.as_slice() {
                    [one] => Ok(Resolved { name: one.name.clone(), remote_context: Ok(arg.clone()) }),
                    [] => Ok(Resolved { name: sanitized, remote_context: Ok(arg.clone()) }),
                    several => {
                        let names: Vec<&str> = several.iter().map(|l| l.name.as_str()).collect();
                        Err(format!(
                            "links {} all point at the server of context {arg}; name one of them",
                            names.join(", ")
                        ))
                    }
                };
            }
            validate_cluster_name(arg).map_err(|_| format!("{arg:?} is neither a link (RCC name) nor a context"))?;
            Ok(Resolved { name: arg.clone(), remote_context: remote_for(arg, None, contexts) })
        }
    }
}

//! Removing links: the local Secret, Role, RoleBinding and RCC of a remote, and (with
//! `--remote-cleanup`) the remote ServiceAccount, token Secret and RBAC once no other cluster uses
//! them. Only objects the tool created (managed-by label and created-by annotation) are ever
//! deleted; see [`crate::ownership`].
//!
//! A link is named by its RCC name, by `NAME=CONTEXT`, or by the remote's context; the remote's
//! context is found from the server in the link's stored kubeconfig (or its name) and may be gone:
//! then the local side is removed and the remote side reported as skipped, with the command that
//! finishes it later.

mod links;
mod plan;
pub use links::*;
pub use plan::*;

use std::time::Duration;

use kube::config::Kubeconfig;

use crate::cluster::Cluster;
use crate::federate::error_chain;
use crate::link::{LinkReport, Outcome};
use crate::names::DEFAULT_REMOTE_NAMESPACE;
use crate::plan::Execution;

use crate::Error;

/// Options of `unjoin` (and of `mesh --prune`).
#[derive(Debug, Clone)]
pub struct UnjoinOptions {
    /// Namespace of the local Secret, Role and RoleBinding.
    pub secret_namespace: String,
    /// Namespace of the remote ServiceAccount and token.
    pub remote_namespace: String,
    /// Also clean the remote side.
    pub remote_cleanup: bool,
    /// Apply, or one of the dry runs.
    pub execution: Execution,
    /// Request timeout of the clients built for remotes.
    pub timeout: Option<Duration>,
}

/// The result of removing one link, with what to tell the user on stderr.
#[derive(Debug, Clone)]
pub struct UnjoinResult {
    /// The link row: outcome `removed`, `notFound` (nothing matched), `unchanged` (only objects the
    /// tool did not create matched) or `failed`.
    pub link: LinkReport,
    /// A warning: nothing matched, objects left alone, or the remote side skipped (with the command
    /// that finishes it).
    pub warning: Option<String>,
}

/// The command that finishes the remote side of a removed link later.
pub fn finish_command(name: &str, remote_context: Option<&str>, local: &str, remote_namespace: &str) -> String {
    let ns = if remote_namespace == DEFAULT_REMOTE_NAMESPACE {
        String::new()
    } else {
        format!(" --remote-namespace {remote_namespace}")
    };
    format!(
        "kubectl federate unjoin {name}={} --context {local} --remote-cleanup{ns}",
        remote_context.unwrap_or("CONTEXT")
    )
}

/// Whether an error means the cluster did not answer (connection refused, timeout, TLS), as
/// opposed to an answer refusing the request.
pub fn unreachable(err: &Error) -> bool {
    match err {
        Error::Api { source, .. } => !matches!(source.as_ref(), kube::Error::Api(_)),
        Error::Timeout { .. } => true,
        _ => false,
    }
}

/// Removes each named link from `local`: with `remote_cleanup`, the remote side first (so a
/// concurrent `join` of the same link ends either with a working credential or with no RCC), then
/// the local objects the tool created. A remote whose context is unknown or that does not answer
/// is skipped (a warning names the command that finishes it); the local side is removed anyway.
pub async fn unjoin(kc: &Kubeconfig, local: &Cluster, refs: &[LinkRef], opts: &UnjoinOptions) -> Vec<UnjoinResult> {
    let contexts = context_infos(kc);
    let links = match local_links(local).await {
        Ok(l) => l,
        Err(e) => {
            return refs
                .iter()
                .map(|r| {
                    let name = match r {
                        LinkRef::Bare(n) | LinkRef::Named { name: n, .. } => n.clone(),
                    };
                    failed(local, &name, "-", error_chain(&e))
                })
                .collect();
        }
    };
    let mut out = Vec::new();
    for r in refs {
        match resolve(r, &links, &contexts) {
            Ok(resolved) => out.push(unjoin_one(kc, local, &resolved, opts).await),
            Err(e) => {
                let name = match r {
                    LinkRef::Bare(n) | LinkRef::Named { name: n, .. } => n.clone(),
                };
                out.push(UnjoinResult {
                    warning: Some(format!("{name}: {e}")),
                    link: LinkReport {
                        local: local.context.clone(),
                        remote: "-".into(),
                        name,
                        outcome: Outcome::Failed,
                        reason: Some(e),
                        actions: vec![],
                    },
                });
            }
        }
    }
    out
}

fn failed(local: &Cluster, name: &str, remote: &str, reason: String) -> UnjoinResult {
    UnjoinResult {
        link: LinkReport {
            local: local.context.clone(),
            remote: remote.into(),
            name: name.into(),
            outcome: Outcome::Failed,
            reason: Some(reason),
            actions: vec![],
        },
        warning: None,
    }
}

/// Removes one resolved link; see [`unjoin`].
pub async fn unjoin_one(kc: &Kubeconfig, local: &Cluster, resolved: &Resolved, opts: &UnjoinOptions) -> UnjoinResult {
    let name = &resolved.name;
    let remote_label = resolved.remote_context.as_deref().unwrap_or("-").to_string();
    let local_plan = match plan_local_removal(local, name, &opts.secret_namespace).await {
        Ok(p) => p,
        Err(e) => return failed(local, name, &remote_label, error_chain(&e)),
    };
    let mut actions = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut remote_failure = None;
    let mut skipped = None;
    if opts.remote_cleanup {
        let finish = |ctx: Option<&str>| finish_command(name, ctx, &local.context, &opts.remote_namespace);
        match &resolved.remote_context {
            Err(why) => {
                skipped = Some(format!("remote cleanup skipped: {why}; finish it later with: {}", finish(None)))
            }
            Ok(ctx) => match Cluster::from_kubeconfig(kc, ctx, Some(name), opts.timeout).await {
                Err(e) => {
                    skipped = Some(format!(
                        "remote cleanup skipped: {}; finish it later with: {}",
                        error_chain(&e),
                        finish(Some(ctx))
                    ));
                }
                Ok(remote) => {
                    match remote_cleanup(&remote, &local.name, &opts.remote_namespace, opts.execution).await {
                        Ok(a) => actions.extend(a),
                        Err(e) if unreachable(&e) => {
                            skipped = Some(format!(
                                "remote cleanup skipped: cluster {ctx} does not answer ({}); finish it later with: {}",
                                error_chain(&e),
                                finish(Some(ctx))
                            ));
                        }
                        Err(e) => remote_failure = Some(format!("remote cleanup failed: {}", error_chain(&e))),
                    }
                }
            },
        }
    }
    if let Err(e) = local_plan.plan.apply(&[local], opts.execution).await {
        return UnjoinResult {
            link: LinkReport {
                local: local.context.clone(),
                remote: remote_label,
                name: name.clone(),
                outcome: Outcome::Failed,
                reason: Some(error_chain(&e)),
                actions,
            },
            warning: None,
        };
    }
    let removed_local = !local_plan.plan.is_empty();
    actions.splice(0..0, local_plan.plan.into_actions());
    if !local_plan.left_alone.is_empty() {
        notes.push(format!("left alone (not created by kubectl-federate): {}", local_plan.left_alone.join(", ")));
    }
    let mut warning = None;
    let outcome = if let Some(f) = remote_failure {
        notes.insert(0, f);
        Outcome::Failed
    } else if actions.is_empty() && skipped.is_none() {
        if local_plan.left_alone.is_empty() {
            warning = Some(format!(
                "{name}: nothing to remove: cluster {} has no link {name} made by kubectl-federate (no RemoteClusterConfiguration, Secret, Role or RoleBinding of that name)",
                local.context
            ));
            notes.push("no such link".into());
            Outcome::NotFound
        } else {
            warning = Some(format!("{name}: {}", notes.join("; ")));
            Outcome::Unchanged
        }
    } else {
        Outcome::Removed
    };
    if let Some(s) = skipped {
        warning = Some(format!("{name}: {}{s}", if removed_local { "local link removed; " } else { "" }));
        notes.push(s);
    }
    UnjoinResult {
        link: LinkReport {
            local: local.context.clone(),
            remote: remote_label,
            name: name.clone(),
            outcome,
            reason: (!notes.is_empty()).then(|| notes.join("; ")),
            actions,
        },
        warning,
    }
}

#[cfg(test)]
mod tests;

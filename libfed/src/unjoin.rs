//! Removing links: the local Secret, Role, RoleBinding and RCC of a remote, and (with
//! `--remote-cleanup`) the remote ServiceAccount, token Secret and RBAC once no other cluster uses
//! them. Only objects the tool created (managed-by label and created-by annotation) are ever
//! deleted; see [`crate::ownership`].
//!
//! A link is named by its RCC name, by `NAME=CONTEXT`, or by the remote's context; the remote's
//! context is found from the server in the link's stored kubeconfig (or its name) and may be gone:
//! then the local side is removed and the remote side reported as skipped, with the command that
//! finishes it later.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use kube::config::Kubeconfig;
use serde_json::{Value, json};

use crate::calico::rcc;
use crate::cluster::Cluster;
use crate::federate::error_chain;
use crate::link::{LinkReport, Outcome, used_by_annotation};
use crate::names::{
    DEFAULT_REMOTE_NAMESPACE, FEDERATION_REMOTE, USED_BY_ANNOTATION_PREFIX, sanitize_cluster_name, secret_access_name,
    secret_name, validate_cluster_name,
};
use crate::ownership::created_by_tool;
use crate::plan::{Action, Execution, LiveRef, Op, Plan, read};

use crate::resource::{Kind, describe};
use crate::{Error, Result};

fn delete(cluster: &str, kind: Kind, namespace: Option<&str>, name: &str, live: &Value) -> Action {
    Action {
        cluster: cluster.into(),
        op: Op::Delete,
        kind,
        namespace: namespace.map(str::to_string),
        name: name.into(),
        desired: None,
        merge_patch: None,
        live: Some(LiveRef::of(live)),
    }
}

/// What removing a link from its local cluster deletes, and what it leaves alone.
#[derive(Debug, Clone, Default)]
pub struct LocalRemoval {
    /// Deletes of the objects the tool created (RCC first: Calico stops using the Secret before it
    /// disappears).
    pub plan: Plan,
    /// Objects of the link's names the tool did not create (`kind ns/name`): never deleted.
    pub left_alone: Vec<String>,
}

/// Plans removing the link to remote `name` from `local` (reads only).
///
/// # Errors
/// Reads failing.
pub async fn plan_local_removal(local: &Cluster, name: &str, secret_namespace: &str) -> Result<LocalRemoval> {
    let mut out = LocalRemoval::default();
    let access = secret_access_name(name);
    let secret = secret_name(name);
    for (kind, ns, obj) in [
        (Kind::RemoteClusterConfiguration, None, name),
        (Kind::RoleBinding, Some(secret_namespace), access.as_str()),
        (Kind::Role, Some(secret_namespace), access.as_str()),
        (Kind::Secret, Some(secret_namespace), secret.as_str()),
    ] {
        if let Some(live) = read(&local.client, &local.context, kind, ns, obj).await? {
            if created_by_tool(&live) {
                out.plan.push(delete(&local.context, kind, ns, obj, &live));
            } else {
                out.left_alone.push(describe(kind, ns, obj));
            }
        }
    }
    Ok(out)
}

/// Plans removing the link to remote `name` from `local`: the deletes of [`plan_local_removal`].
///
/// # Errors
/// Reads failing.
pub async fn plan_unjoin(local: &Cluster, name: &str, secret_namespace: &str) -> Result<Plan> {
    Ok(plan_local_removal(local, name, secret_namespace).await?.plan)
}

/// The remote objects, in the order they are deleted.
fn remote_names(remote_namespace: &str) -> [(Kind, Option<&str>); 4] {
    [
        (Kind::ServiceAccount, Some(remote_namespace)),
        (Kind::Secret, Some(remote_namespace)),
        (Kind::ClusterRoleBinding, None),
        (Kind::ClusterRole, None),
    ]
}

fn name_of(v: &Value) -> &str {
    v.pointer("/metadata/name").and_then(Value::as_str).unwrap_or(FEDERATION_REMOTE)
}

/// Decides the remote cleanup after `local_name` stops using a remote, from the live remote
/// objects (pure). Only objects the tool created count: their `used-by` annotations together are
/// the users. When another user remains, only `local_name`'s record is removed; else every object
/// the tool created is deleted. Every write carries the uid (deletes also the resourceVersion)
/// read, so a `join` that records itself meanwhile makes the delete fail instead of revoking its
/// token.
pub fn decide_remote_cleanup(cluster: &str, local_name: &str, live: &[(Kind, Option<&str>, Value)]) -> Vec<Action> {
    let key = used_by_annotation(local_name);
    let owned: Vec<&(Kind, Option<&str>, Value)> = live.iter().filter(|(_, _, v)| created_by_tool(v)).collect();
    let annotations =
        |v: &Value| v.pointer("/metadata/annotations").and_then(Value::as_object).cloned().unwrap_or_default();
    let others = owned
        .iter()
        .flat_map(|(_, _, v)| annotations(v).into_iter().map(|(k, _)| k))
        .any(|k| k.starts_with(USED_BY_ANNOTATION_PREFIX) && k != key);
    let mut out = Vec::new();
    for (kind, ns, v) in owned {
        if others {
            if annotations(v).contains_key(&key) {
                out.push(Action {
                    op: Op::Update,
                    merge_patch: Some(json!({"metadata": {"annotations": {key.clone(): null}}})),
                    ..delete(cluster, *kind, *ns, name_of(v), v)
                });
            }
        } else {
            out.push(delete(cluster, *kind, *ns, name_of(v), v));
        }
    }
    out
}

/// Plans the remote cleanup after `local_name` stops using `remote` (reads only); see
/// [`decide_remote_cleanup`].
///
/// # Errors
/// Reads failing.
pub async fn plan_remote_cleanup(remote: &Cluster, local_name: &str, remote_namespace: &str) -> Result<Plan> {
    let mut live = Vec::new();
    for (kind, ns) in remote_names(remote_namespace) {
        if let Some(v) = read(&remote.client, &remote.context, kind, ns, FEDERATION_REMOTE).await? {
            live.push((kind, ns, v));
        }
    }
    // The credential generations `rotate` made after the first: deleted with the rest.
    for g in crate::credential::read_state(remote, remote_namespace).await?.secrets {
        if g.generation > 0
            && let Some(v) =
                read(&remote.client, &remote.context, Kind::Secret, Some(remote_namespace), &g.name).await?
        {
            live.push((Kind::Secret, Some(remote_namespace), v));
        }
    }
    Ok(Plan::from(decide_remote_cleanup(&remote.context, local_name, &live)))
}

/// Plans and (unless a client dry run) applies the remote cleanup. A precondition failing (a
/// `join` recorded itself, or an object changed, since it was read) makes it read and decide
/// again: three attempts.
///
/// # Errors
/// Reads or writes failing.
pub async fn remote_cleanup(
    remote: &Cluster,
    local_name: &str,
    remote_namespace: &str,
    execution: Execution,
) -> Result<Vec<Action>> {
    let mut attempt = 0u64;
    loop {
        let plan = plan_remote_cleanup(remote, local_name, remote_namespace).await?;
        match plan.apply(&[remote], execution).await {
            Ok(()) => return Ok(plan.into_actions()),
            Err(Error::Changed { .. }) if attempt < 3 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

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

fn remote_for(name: &str, server: Option<&str>, contexts: &[ContextInfo]) -> std::result::Result<String, String> {
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
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ownership::mark_created;

    fn ctx(name: &str, server: &str) -> ContextInfo {
        ContextInfo { name: name.into(), server: server.into() }
    }

    fn link(name: &str, server: &str) -> LinkInfo {
        LinkInfo { name: name.into(), created_by_tool: true, server: Some(server.into()) }
    }

    #[test]
    fn a_link_is_found_by_its_rcc_name_its_context_or_both() {
        let contexts = [ctx("cluster-b", "https://b:6443"), ctx("cluster-c", "https://c:6443")];
        let links = [link("cluster-b", "https://b:6443"), link("east", "https://c:6443")];
        let by_rcc = resolve(&LinkRef::Bare("east".into()), &links, &contexts).expect("east");
        assert_eq!(by_rcc, Resolved { name: "east".into(), remote_context: Ok("cluster-c".into()) });
        let by_context = resolve(&LinkRef::Bare("cluster-c".into()), &links, &contexts).expect("cluster-c");
        assert_eq!(by_context.name, "east", "the context's server maps to the link east");
        let plain = resolve(&LinkRef::Bare("cluster-b".into()), &links, &contexts).expect("b");
        assert_eq!(plain, Resolved { name: "cluster-b".into(), remote_context: Ok("cluster-b".into()) });
        let named =
            resolve(&LinkRef::Named { name: "east".into(), context: "gone".into() }, &links, &contexts).expect("named");
        assert_eq!(named.name, "east");
        assert!(named.remote_context.expect_err("an error").contains("gone"));
    }

    #[test]
    fn a_decommissioned_remote_resolves_with_its_context_unknown() {
        let contexts = [ctx("cluster-a", "https://a:6443")];
        let links = [link("east", "https://c:6443")];
        let r = resolve(&LinkRef::Bare("east".into()), &links, &contexts).expect("east");
        assert_eq!(r.name, "east");
        assert!(r.remote_context.expect_err("an error").contains("https://c:6443"));
        let missing = resolve(&LinkRef::Bare("nothing-here".into()), &links, &contexts).expect("a valid name");
        assert_eq!(missing.name, "nothing-here");
        assert!(resolve(&LinkRef::Bare("Not_A_Name".into()), &links, &contexts).is_err());
    }

    #[test]
    fn a_context_several_links_point_at_is_ambiguous() {
        let contexts = [ctx("cluster-c", "https://c:6443")];
        let links = [link("east", "https://c:6443"), link("west", "https://c:6443")];
        let err = resolve(&LinkRef::Bare("cluster-c".into()), &links, &contexts).expect_err("an error");
        assert!(err.contains("east") && err.contains("west"), "{err}");
    }

    fn obj(kind_ns: Option<&str>, annotations: Value, ours: bool) -> Value {
        let v = json!({"metadata": {"name": FEDERATION_REMOTE, "namespace": kind_ns, "uid": "u", "resourceVersion": "1", "annotations": annotations}});
        if ours { mark_created(v) } else { v }
    }

    #[test]
    fn remote_cleanup_deletes_only_what_the_tool_created_and_no_one_uses() {
        let a = json!({"federation.kubectl-federate.io/used-by.cluster-a": "true"});
        let ab = json!({"federation.kubectl-federate.io/used-by.cluster-a": "true", "federation.kubectl-federate.io/used-by.cluster-b": "true"});
        let only_a = [
            (Kind::ServiceAccount, Some("ns"), obj(Some("ns"), a.clone(), true)),
            (Kind::ClusterRole, None, obj(None, a.clone(), false)),
        ];
        let plan = decide_remote_cleanup("c", "cluster-a", &only_a);
        assert_eq!(plan.len(), 1, "the hand-made ClusterRole is never deleted");
        assert_eq!((plan[0].kind, plan[0].op), (Kind::ServiceAccount, Op::Delete));
        let live = plan[0].live.clone().expect("preconditions");
        assert_eq!((live.uid.as_deref(), live.resource_version.as_deref()), (Some("u"), Some("1")));

        let shared = [(Kind::ServiceAccount, Some("ns"), obj(Some("ns"), ab.clone(), true))];
        let plan = decide_remote_cleanup("c", "cluster-a", &shared);
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].op, Op::Update, "another user remains: only the record goes");
        assert!(plan[0].merge_patch.as_ref().expect("patch").to_string().contains("used-by.cluster-a\":null"));

        // A user recorded on any object of the tool's counts.
        let split = [
            (Kind::ServiceAccount, Some("ns"), obj(Some("ns"), a.clone(), true)),
            (
                Kind::ClusterRole,
                None,
                obj(None, json!({"federation.kubectl-federate.io/used-by.cluster-b": "true"}), true),
            ),
        ];
        assert!(decide_remote_cleanup("c", "cluster-a", &split).iter().all(|a| a.op != Op::Delete));
        let hand_made = [(Kind::ServiceAccount, Some("ns"), obj(Some("ns"), a, false))];
        assert!(decide_remote_cleanup("c", "cluster-a", &hand_made).is_empty());
    }

    #[test]
    fn the_finish_command_names_what_is_known() {
        assert_eq!(
            finish_command("east", Some("cluster-c"), "cluster-a", "calico-system"),
            "kubectl federate unjoin east=cluster-c --context cluster-a --remote-cleanup"
        );
        assert_eq!(
            finish_command("east", None, "cluster-a", "kube-system"),
            "kubectl federate unjoin east=CONTEXT --context cluster-a --remote-cleanup --remote-namespace kube-system"
        );
    }
}

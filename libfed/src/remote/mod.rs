//! The remote side of a link: the ServiceAccount, RBAC and token that let another cluster read
//! this one (spec/federation.md §1), and the credential minted from them (§2).

mod token;
pub use token::*;

use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};

use crate::cluster::Cluster;
use crate::credential::{
    TokenChoice, generation_secret, generation_secret_name, plan_generation, read_state, record_action,
};
use crate::jwt::{TokenClaims, decode_claims};
use crate::kubeconfig::mint;
use crate::link::used_by_annotation;
use crate::names::FEDERATION_REMOTE;
use crate::ownership::{created_by_tool, mark_created};
use crate::plan::{Action, Execution, LiveRef, Op, Plan, plan_against, read};
use crate::redact::Sensitive;
use crate::resource::{Kind, describe};
use crate::{Error, Result};

const REMOTE_SA_MANIFEST: &str = include_str!("../../../manifests/federation-remote-sa.yaml");
const REMOTE_RBAC_MANIFEST: &str = include_str!("../../../manifests/federation-rem-rbac-kdd.yaml");

/// How the remote credential is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TokenMode {
    /// A `kubernetes.io/service-account-token` Secret, filled by the token controller; valid until
    /// the Secret is deleted.
    Secret,
    /// A TokenRequest-bound token valid for `ttl`.
    Request {
        /// Requested lifetime.
        ttl: Duration,
    },
}

/// Options of the remote side.
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// Namespace of the ServiceAccount and token Secret (`calico-system`; `kube-system` for CE ≤ 3.20).
    pub namespace: String,
    /// Token kind: what the user chose, else what the remote records (see [`crate::credential`]).
    pub token: TokenChoice,
    /// How long to wait for the token controller to fill the token Secret.
    pub token_wait: Duration,
    /// Server URL to put in the minted kubeconfig instead of the context's.
    pub server: Option<String>,
    /// CA (PEM) to put in the minted kubeconfig instead of the context's.
    pub ca_pem: Option<Vec<u8>>,
    /// Every cluster runs on this machine (a test environment): a loopback server URL is no
    /// warning.
    pub allow_loopback: bool,
}

/// The credential a local cluster stores for a remote.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The remote's context.
    pub context: String,
    /// The remote's cluster name (RCC name).
    pub name: String,
    /// The server URL in the kubeconfig.
    pub server: String,
    /// The minted kubeconfig, or `None` in a dry run before any token exists.
    pub kubeconfig: Option<Sensitive>,
    /// The token's claims (kind, expiry).
    pub claims: Option<TokenClaims>,
}

/// The remote side, prepared once per remote and reused by every local.
#[derive(Debug, Clone)]
pub struct PreparedRemote {
    /// The credential.
    pub credential: Credential,
    /// What was (or would be) done in the remote cluster.
    pub actions: Vec<Action>,
    /// Things worth telling the user (e.g. a loopback server URL).
    pub warnings: Vec<String>,
    /// The token mode used (the recorded one unless the user chose).
    pub token: TokenMode,
    /// The credential generation minted from.
    pub generation: u64,
    /// `changed token mode: request → secret`, when the user changed it.
    pub mode_change: Option<String>,
    /// The token in the minted kubeconfig, to verify after the links are written that it still
    /// exists (a concurrent `unjoin --remote-cleanup` may have revoked it).
    pub minted_token: Option<Sensitive>,
}

fn labelled(obj: Value) -> Value {
    mark_created(obj)
}

/// The remote objects for a namespace, from the embedded manifests (pure). The credential's Secret
/// is [`crate::credential::generation_secret`].
///
/// # Errors
/// Only if the embedded manifests do not parse, which a unit test rules out.
pub fn remote_objects(namespace: &str) -> Result<Vec<(Kind, Value)>> {
    let parse = |e: serde_saphyr::Error| Error::Internal(format!("embedded manifest: {e}"));
    let mut sa: Value = serde_saphyr::from_str(REMOTE_SA_MANIFEST).map_err(parse)?;
    sa["metadata"]["namespace"] = Value::String(namespace.into());
    let rbac: Vec<Value> = serde_saphyr::from_multiple(REMOTE_RBAC_MANIFEST).map_err(parse)?;
    let mut out = vec![(Kind::ServiceAccount, labelled(sa))];
    for mut doc in rbac {
        let kind = match doc["kind"].as_str() {
            Some("ClusterRole") => Kind::ClusterRole,
            Some("ClusterRoleBinding") => {
                if let Some(subjects) = doc["subjects"].as_array_mut() {
                    for s in subjects {
                        s["namespace"] = Value::String(namespace.into());
                    }
                }
                Kind::ClusterRoleBinding
            }
            other => return Err(Error::Internal(format!("embedded RBAC manifest has unexpected kind {other:?}"))),
        };
        out.push((kind, labelled(doc)));
    }
    Ok(out)
}

/// Whether a server URL is loopback: other clusters rarely reach it.
pub fn is_loopback_server(server: &str) -> bool {
    let host = server.split("://").nth(1).unwrap_or(server).split('/').next().unwrap_or("");
    let host =
        host.rsplit_once(':').map_or(host, |(h, p)| if p.chars().all(|c| c.is_ascii_digit()) { h } else { host });
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Plans and (unless a client dry run) applies the remote objects, obtains a token and mints the
/// kubeconfig. Records no user; see [`prepare_remote_for`].
///
/// # Errors
/// Any read or write failing, the token not appearing in time, no CA for the remote, or a remote
/// object the tool did not create that cannot be used ([`Error::NotOurs`]; nothing is written).
pub async fn prepare_remote(remote: &Cluster, opts: &RemoteOptions, exec: Execution) -> Result<PreparedRemote> {
    prepare_remote_for(remote, opts, exec, &[]).await
}

/// [`prepare_remote`], recording first that the local clusters `users` use the remote objects: the
/// annotation `federation.kubectl-federate.io/used-by.LOCAL` is written on every remote object the
/// tool created, before the token is read, so that a concurrent `unjoin --remote-cleanup` either
/// sees the record or fails its preconditioned delete. Objects the tool did not create get no
/// record: they are never written and never deleted. An object changed by someone else meanwhile
/// makes it plan again (three attempts).
///
/// # Errors
/// As [`prepare_remote`].
pub async fn prepare_remote_for(
    remote: &Cluster,
    opts: &RemoteOptions,
    exec: Execution,
    users: &[String],
) -> Result<PreparedRemote> {
    let mut attempt = 0u64;
    loop {
        match prepare_once(remote, opts, exec, users).await {
            Err(Error::Changed { .. }) if attempt < 3 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
            }
            other => return other,
        }
    }
}

/// The merge patch recording `users` on a live object the tool created, or `None` when all are
/// recorded already (pure).
pub fn record_users(cluster: &str, kind: Kind, live: &Value, users: &[String]) -> Option<Action> {
    let annotations = live.pointer("/metadata/annotations");
    let missing: serde_json::Map<String, Value> = users
        .iter()
        .map(|u| used_by_annotation(u))
        .filter(|k| annotations.and_then(|a| a.get(k)).is_none())
        .map(|k| (k, Value::String("true".into())))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let get = |p: &str| live.pointer(p).and_then(Value::as_str).map(str::to_string);
    Some(Action {
        cluster: cluster.into(),
        op: Op::Update,
        kind,
        namespace: get("/metadata/namespace"),
        name: get("/metadata/name").unwrap_or_default(),
        desired: None,
        merge_patch: Some(json!({"metadata": {"annotations": missing}})),
        live: Some(LiveRef::of(live)),
    })
}

const SA_UID_ANNOTATION: &str = "kubernetes.io/service-account.uid";

async fn prepare_once(
    remote: &Cluster,
    opts: &RemoteOptions,
    exec: Execution,
    users: &[String],
) -> Result<PreparedRemote> {
    let state = read_state(remote, &opts.namespace).await?;
    let generation = plan_generation(&state, opts.token);
    let secret_name = generation_secret_name(generation.generation);
    let mut actions = Vec::new();
    let mut sa: Option<Value> = None;
    // The credential's Secret of this generation comes last: its staleness depends on the
    // ServiceAccount read first.
    let secret = mark_created(generation_secret(&opts.namespace, generation.generation, generation.mode));
    let objects = remote_objects(&opts.namespace)?.into_iter().chain([(Kind::Secret, secret)]);
    for (kind, desired) in objects {
        let namespace = desired.pointer("/metadata/namespace").and_then(Value::as_str).map(str::to_string);
        let name = desired.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default().to_string();
        let mut live = read(&remote.client, &remote.context, kind, namespace.as_deref(), &name).await?;
        if kind == Kind::Secret {
            // A token Secret of ours bound to an earlier ServiceAccount of that name holds a dead
            // token: replace it.
            let bound =
                live.as_ref().and_then(|l| l.pointer("/metadata/annotations")).and_then(|a| a.get(SA_UID_ANNOTATION));
            let sa_uid = sa.as_ref().and_then(|s| s.pointer("/metadata/uid"));
            let stale = match (bound, sa_uid) {
                (Some(b), Some(u)) => b != u,
                (Some(_), None) => true,
                _ => false,
            };
            if let Some(l) = live.as_ref().filter(|l| stale && created_by_tool(l)) {
                actions.push(Action {
                    cluster: remote.context.clone(),
                    op: Op::Delete,
                    kind,
                    namespace: namespace.clone(),
                    name: name.clone(),
                    desired: None,
                    merge_patch: None,
                    live: Some(LiveRef::of(l)),
                });
                live = None;
            }
        }
        let mut action = plan_against(&remote.context, kind, desired, live.as_ref())?;
        match (&live, action.op) {
            (None, Op::Create) => {
                if let Some(d) = action.desired.as_mut() {
                    for u in users {
                        d["metadata"]["annotations"][used_by_annotation(u)] = Value::String("true".into());
                    }
                }
                actions.push(action);
            }
            (Some(l), Op::Update | Op::Unchanged) => {
                let record = record_users(&remote.context, kind, l, users);
                actions.push(action);
                actions.extend(record);
            }
            _ => actions.push(action),
        }
        if kind == Kind::ServiceAccount {
            sa = live;
        }
    }
    // The mode and generation are recorded on the ServiceAccount, so that re-runs keep them; a
    // ServiceAccount the tool did not create is never written, so there they are not recorded.
    if sa.as_ref().is_none_or(created_by_tool) {
        let mut record =
            record_action(&remote.context, &opts.namespace, &state, generation.mode, generation.generation);
        record.live = sa.as_ref().map(LiveRef::of);
        actions.push(record);
    }
    let plan = Plan::from(actions);
    plan.apply(&[remote], exec).await?;
    let actions = plan.into_actions();
    let mut warnings = Vec::new();
    let mode_change = generation.change.map(|c| c.to_string());
    if let Some(change) = &mode_change {
        warnings.push(format!(
            "{}: {change}; the previous credential stays valid until `kubectl federate rotate` revokes it",
            remote.context
        ));
    }
    let token = match (generation.mode, exec) {
        (TokenMode::Secret, Execution::Apply) => {
            Some(wait_token_secret(remote, &opts.namespace, &secret_name, opts.token_wait).await?)
        }
        (TokenMode::Secret, _) => read_token_secret(remote, &opts.namespace, &secret_name).await?.map(|(t, _)| t),
        (TokenMode::Request { ttl }, Execution::Apply) => {
            Some(request_token(remote, &opts.namespace, ttl, &secret_name).await?)
        }
        (TokenMode::Request { .. }, _) => None,
    };
    let server = opts.server.clone().unwrap_or_else(|| remote.server.clone());
    if is_loopback_server(&server) && !opts.allow_loopback {
        warnings.push(format!(
            "{}: server {server} is loopback; other clusters can reach it only from this machine (set --server {}=URL, or pass --allow-loopback when every cluster runs here)",
            remote.context, remote.name
        ));
    }
    let ca = match (&opts.ca_pem, &remote.ca_pem) {
        (Some(ca), _) | (None, Some(ca)) => Some(ca.clone()),
        (None, None) => read_token_secret(remote, &opts.namespace, &secret_name).await?.and_then(|(_, ca)| ca),
    };
    let kubeconfig = match (&token, &ca) {
        (Some(t), Some(ca)) => Some(mint(&server, ca, t)?),
        (Some(_), None) => {
            return Err(Error::Data {
                location: format!("cluster {}", remote.context),
                object: crate::resource::describe(Kind::Secret, Some(&opts.namespace), &secret_name),
                problem: "the kubeconfig context has no CA data and the token Secret no ca.crt; cannot mint a kubeconfig Calico can verify the server with".into(),
            });
        }
        (None, _) => None,
    };
    let claims = token.as_ref().and_then(|t| decode_claims(t.expose()).ok());
    Ok(PreparedRemote {
        credential: Credential {
            context: remote.context.clone(),
            name: remote.name.clone(),
            server,
            kubeconfig,
            claims,
        },
        actions,
        warnings,
        token: generation.mode,
        generation: generation.generation,
        mode_change,
        minted_token: token,
    })
}

/// Checks, after a link was written, that the remote objects it relies on are still there: the
/// ServiceAccount, ClusterRole and ClusterRoleBinding exist, those the tool created still record
/// `local_name` as a user, and (token Secret mode) the token Secret still holds the minted token.
///
/// # Errors
/// [`Error::Changed`] when something was removed meanwhile (a concurrent `unjoin
/// --remote-cleanup`); the caller prepares the remote again. Reads failing.
pub async fn verify_remote(
    remote: &Cluster,
    opts: &RemoteOptions,
    prep: &PreparedRemote,
    local_name: &str,
) -> Result<()> {
    let key = used_by_annotation(local_name);
    let lost = |kind: Kind, ns: Option<&str>, what: &str| Error::Changed {
        cluster: remote.context.clone(),
        object: describe(kind, ns, FEDERATION_REMOTE),
        what: format!("{what} while the link was written (a concurrent unjoin --remote-cleanup?)"),
    };
    for (kind, ns) in [
        (Kind::ServiceAccount, Some(opts.namespace.as_str())),
        (Kind::ClusterRole, None),
        (Kind::ClusterRoleBinding, None),
    ] {
        let live = read(&remote.client, &remote.context, kind, ns, FEDERATION_REMOTE).await?;
        match live {
            None => return Err(lost(kind, ns, "deleted")),
            Some(l)
                if created_by_tool(&l) && l.pointer("/metadata/annotations").and_then(|a| a.get(&key)).is_none() =>
            {
                return Err(lost(kind, ns, "its usage record was removed"));
            }
            Some(_) => {}
        }
    }
    if prep.token == TokenMode::Secret {
        let name = generation_secret_name(prep.generation);
        let current = read_token_secret(remote, &opts.namespace, &name).await?.map(|(t, _)| t);
        let same = match (&current, &prep.minted_token) {
            (Some(c), Some(p)) => c.expose() == p.expose(),
            _ => false,
        };
        if !same {
            return Err(Error::Changed {
                cluster: remote.context.clone(),
                object: describe(Kind::Secret, Some(&opts.namespace), &name),
                what: "its token was deleted or replaced while the link was written (a concurrent unjoin --remote-cleanup?)"
                    .into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

//! The local side of a link: the Secret holding the remote's kubeconfig, the Role and RoleBinding
//! that let Calico's Typha read it, and the RemoteClusterConfiguration (spec/federation.md §3).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Serialize;
use serde_json::{Value, json};

use crate::calico::rcc::{self, OverlayRoutingMode};
use crate::cluster::Cluster;
use crate::jwt::decode_claims;
use crate::kubeconfig::inspect;
use crate::names::{
    FEDERATION_REMOTE, MANAGED_BY, MANAGED_BY_LABEL, REMOTE_CLUSTER_LABEL, TYPHA_SERVICE_ACCOUNT,
    USED_BY_ANNOTATION_PREFIX, secret_access_name, secret_name,
};
use crate::plan::{Action, Op, apply_action, decide, plan_object, read};
use crate::redact::Sensitive;
use crate::remote::{Execution, PreparedRemote, TokenMode};
use crate::resource::Kind;
use crate::{Error, Result};

/// Options of the local side.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// Namespace of the Secret, Role and RoleBinding.
    pub secret_namespace: String,
    /// `spec.syncOptions.overlayRoutingMode`, if set.
    pub overlay_routing: Option<OverlayRoutingMode>,
}

/// The outcome of one link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// The link did not exist and was made.
    Created,
    /// The link existed and something in it changed.
    Updated,
    /// Everything was already right; nothing was written.
    Unchanged,
    /// The link was removed.
    Removed,
    /// Something failed; see the reason.
    Failed,
}

/// What happened (or would happen) to one link, local → remote.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkReport {
    /// The local cluster's context.
    pub local: String,
    /// The remote cluster's context.
    pub remote: String,
    /// The RCC name of the remote in the local cluster.
    pub name: String,
    /// The outcome.
    pub outcome: Outcome,
    /// Why it failed, or what to know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Every object touched or checked, in both clusters.
    pub actions: Vec<Action>,
}

fn labels(name: &str) -> Value {
    json!({MANAGED_BY_LABEL: MANAGED_BY, REMOTE_CLUSTER_LABEL: name})
}

/// The local objects of a link to remote `name` (pure).
pub fn local_objects(name: &str, kubeconfig: &str, opts: &LinkOptions) -> Vec<(Kind, Value)> {
    let ns = &opts.secret_namespace;
    let secret = secret_name(name);
    let access = secret_access_name(name);
    let mut rcc = json!({
        "apiVersion": format!("{}/{}", rcc::GROUP, rcc::VERSION),
        "kind": rcc::KIND,
        "metadata": {"name": name, "labels": labels(name)},
        "spec": {"clusterAccessSecret": {"name": secret, "namespace": ns, "kind": "Secret"}}
    });
    if let Some(mode) = opts.overlay_routing {
        rcc["spec"]["syncOptions"] = json!({"overlayRoutingMode": mode});
    }
    vec![
        (
            Kind::Secret,
            json!({
                "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                "metadata": {"name": secret, "namespace": ns, "labels": labels(name)},
                "data": {"datastoreType": B64.encode("kubernetes"), "kubeconfig": B64.encode(kubeconfig)}
            }),
        ),
        (
            Kind::Role,
            json!({
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                "metadata": {"name": access, "namespace": ns, "labels": labels(name)},
                "rules": [{"apiGroups": [""], "resources": ["secrets"], "resourceNames": [secret], "verbs": ["get", "list", "watch"]}]
            }),
        ),
        (
            Kind::RoleBinding,
            json!({
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                "metadata": {"name": access, "namespace": ns, "labels": labels(name)},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": access},
                "subjects": [{"kind": "ServiceAccount", "name": TYPHA_SERVICE_ACCOUNT.1, "namespace": TYPHA_SERVICE_ACCOUNT.0}]
            }),
        ),
        (Kind::RemoteClusterConfiguration, rcc),
    ]
}

/// Whether an already stored kubeconfig may be kept instead of the freshly minted one: same server
/// and CA, and (for TokenRequest tokens) bound to the current generation's Secret `bound_to` (so
/// that it can be revoked) with more than half the requested lifetime left. Keeping it means the
/// Secret is not rewritten, so Typha is not restarted.
pub fn keep_stored(stored: &str, fresh: &str, token: TokenMode, bound_to: &str, now: i64) -> bool {
    let (Ok(old), Ok(new)) = (inspect(stored), inspect(fresh)) else { return false };
    if !old.problems.is_empty() || old.server != new.server || old.ca_pem != new.ca_pem {
        return false;
    }
    match token {
        TokenMode::Secret => false, // the legacy token is stable: equal content compares unchanged anyway
        TokenMode::Request { ttl } => old
            .token
            .and_then(|t| decode_claims(t.expose()).ok())
            .filter(|c| c.secret.as_deref() == Some(bound_to))
            .and_then(|c| c.expires)
            .is_some_and(|exp| exp - now > (ttl.as_secs() / 2) as i64),
    }
}

/// The annotation on the remote ServiceAccount recording that `local` uses it.
pub fn used_by_annotation(local_name: &str) -> String {
    format!("{USED_BY_ANNOTATION_PREFIX}{local_name}")
}

/// Plans the link local → remote (reads only).
///
/// # Errors
/// Reads failing, or the RCC API not being served by the local cluster.
pub async fn plan_link(
    local: &Cluster,
    remote_cluster: &Cluster,
    remote: &PreparedRemote,
    remote_namespace: &str,
    opts: &LinkOptions,
) -> Result<Vec<Action>> {
    let cred = &remote.credential;
    if !rcc::is_served(&local.client)
        .await
        .map_err(|e| Error::api(&local.context, "discover", "projectcalico.org/v3", e))?
    {
        return Err(Error::Unsupported {
            cluster: local.context.clone(),
            message:
                "does not serve RemoteClusterConfiguration (projectcalico.org/v3): is Calico Enterprise installed?"
                    .into(),
        });
    }
    let placeholder = Sensitive::new("<minted when applied>");
    let fresh = cred.kubeconfig.as_ref().unwrap_or(&placeholder);
    let mut kubeconfig = fresh.expose().to_string();
    let stored =
        read(&local.client, &local.context, Kind::Secret, Some(&opts.secret_namespace), &secret_name(&cred.name))
            .await?;
    if let Some(old) = stored
        .as_ref()
        .and_then(|s| s.pointer("/data/kubeconfig"))
        .and_then(Value::as_str)
        .and_then(|b| B64.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
    {
        let now = jiff::Timestamp::now().as_second();
        let bound_to = crate::credential::generation_secret_name(remote.generation);
        if cred.kubeconfig.is_none() || keep_stored(&old, fresh.expose(), remote.token, &bound_to, now) {
            kubeconfig = old;
        }
    }
    let mut actions = Vec::new();
    for (kind, desired) in local_objects(&cred.name, &kubeconfig, opts) {
        let action = if kind == Kind::Secret {
            // Already read above to decide which kubeconfig to keep; not read twice.
            Action {
                cluster: local.context.clone(),
                op: decide(&desired, stored.as_ref()),
                kind,
                namespace: Some(opts.secret_namespace.clone()),
                name: secret_name(&cred.name),
                desired: Some(desired),
                merge_patch: None,
            }
        } else {
            plan_object(&local.client, &local.context, kind, desired).await?
        };
        actions.push(action);
    }
    // Record the use on the remote ServiceAccount, for `unjoin --remote-cleanup`.
    let key = used_by_annotation(&local.name);
    let sa = read(
        &remote_cluster.client,
        &remote_cluster.context,
        Kind::ServiceAccount,
        Some(remote_namespace),
        FEDERATION_REMOTE,
    )
    .await?;
    let recorded = sa.as_ref().and_then(|s| s.pointer("/metadata/annotations")).and_then(|a| a.get(&key)).is_some();
    actions.push(Action {
        cluster: cred.context.clone(),
        op: if recorded { Op::Unchanged } else { Op::Update },
        kind: Kind::ServiceAccount,
        namespace: Some(remote_namespace.to_string()),
        name: FEDERATION_REMOTE.into(),
        desired: None,
        merge_patch: Some(json!({"metadata": {"annotations": {key: "true"}}})),
    });
    Ok(actions)
}

/// Applies a planned link. Local objects first, the usage record on the remote last.
///
/// # Errors
/// The first write that fails.
pub async fn apply_link(local: &Cluster, remote: &Cluster, actions: &[Action], exec: Execution) -> Result<()> {
    let Some(mode) = exec.mode() else { return Ok(()) };
    for a in actions {
        let client = if a.cluster == local.context { &local.client } else { &remote.client };
        apply_action(client, a, mode).await?;
    }
    Ok(())
}

/// The outcome of a planned link: created when the RCC is new, unchanged when nothing is written.
pub fn outcome(actions: &[Action]) -> Outcome {
    if actions.iter().any(|a| a.kind == Kind::RemoteClusterConfiguration && a.op == Op::Create) {
        Outcome::Created
    } else if actions.iter().all(|a| a.op == Op::Unchanged) {
        Outcome::Unchanged
    } else {
        Outcome::Updated
    }
}

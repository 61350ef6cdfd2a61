//! The local side of a link: the Secret holding the remote's kubeconfig, the Role and RoleBinding
//! that let Calico's Typha read it, and the RemoteClusterConfiguration (spec/federation.md §3).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Serialize;
use serde_json::{Value, json};

use crate::Result;
use crate::calico::rcc::{self, OverlayRoutingMode};
use crate::cluster::Cluster;
use crate::jwt::decode_claims;
use crate::known::LocalObjects;
use crate::kubeconfig::inspect;
use crate::names::{
    CREATED_BY_ANNOTATION, FIELD_MANAGER, MANAGED_BY, MANAGED_BY_LABEL, REMOTE_CLUSTER_LABEL, TYPHA_SERVICE_ACCOUNT,
    USED_BY_ANNOTATION_PREFIX, secret_access_name, secret_name,
};
use crate::plan::{Action, Op, Plan, plan_against};
use crate::redact::Sensitive;
use crate::remote::{PreparedRemote, TokenMode};
use crate::resource::Kind;

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
    /// Nothing of that name was found to remove.
    NotFound,
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

fn annotations() -> Value {
    json!({CREATED_BY_ANNOTATION: FIELD_MANAGER})
}

/// The local objects of a link to remote `name` (pure).
pub fn local_objects(name: &str, kubeconfig: &str, opts: &LinkOptions) -> Vec<(Kind, Value)> {
    let ns = &opts.secret_namespace;
    let secret = secret_name(name);
    let access = secret_access_name(name);
    let mut rcc = json!({
        "apiVersion": format!("{}/{}", rcc::GROUP, rcc::VERSION),
        "kind": rcc::KIND,
        "metadata": {"name": name, "labels": labels(name), "annotations": annotations()},
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
                "metadata": {"name": secret, "namespace": ns, "labels": labels(name), "annotations": annotations()},
                "data": {"datastoreType": B64.encode("kubernetes"), "kubeconfig": B64.encode(kubeconfig)}
            }),
        ),
        (
            Kind::Role,
            json!({
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                "metadata": {"name": access, "namespace": ns, "labels": labels(name), "annotations": annotations()},
                "rules": [{"apiGroups": [""], "resources": ["secrets"], "resourceNames": [secret], "verbs": ["get", "list", "watch"]}]
            }),
        ),
        (
            Kind::RoleBinding,
            json!({
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                "metadata": {"name": access, "namespace": ns, "labels": labels(name), "annotations": annotations()},
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

/// Plans the link local → remote (reads only). The local objects are read through `known` (one
/// list per kind per local cluster, see [`crate::known`]). The usage record on the remote objects
/// is written by [`crate::remote::prepare_remote_for`], before the token is read. The caller has checked that the local cluster serves the RCC API ([`crate::federate::check_local`]).
///
/// # Errors
/// Reads failing; [`Error::NotOurs`](crate::Error::NotOurs) for a local object of the same name
/// that the tool did not create and cannot use as it is.
pub async fn plan_link(
    local: &Cluster,
    remote: &PreparedRemote,
    opts: &LinkOptions,
    known: &LocalObjects,
) -> Result<Plan> {
    let cred = &remote.credential;
    let placeholder = Sensitive::new("<minted when applied>");
    let fresh = cred.kubeconfig.as_ref().unwrap_or(&placeholder);
    let mut kubeconfig = fresh.expose().to_string();
    let stored = known
        .read(&local.client, &local.context, Kind::Secret, Some(&opts.secret_namespace), &secret_name(&cred.name))
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
        let namespace = desired.pointer("/metadata/namespace").and_then(Value::as_str);
        let name = desired.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
        let live = if kind == Kind::Secret {
            // Already read above to decide which kubeconfig to keep; not read twice.
            stored.clone()
        } else {
            known.read(&local.client, &local.context, kind, namespace, name).await?
        };
        actions.push(plan_against(&local.context, kind, desired, live.as_ref())?);
    }
    Ok(Plan::from(actions))
}

/// The outcome of a planned link: created when the RCC is new, unchanged when nothing is written.
pub fn outcome(actions: &[Action]) -> Outcome {
    if actions.iter().any(|a| a.kind == Kind::RemoteClusterConfiguration && a.op == Op::Create) {
        Outcome::Created
    } else if actions.iter().all(|a| matches!(a.op, Op::Unchanged | Op::Adopted)) {
        Outcome::Unchanged
    } else {
        Outcome::Updated
    }
}

/// "adopted: not managed: KIND NAME, …" for the objects of a link the tool found and uses as they
/// are, or `None` (pure).
pub fn adopted_note<'a>(actions: impl IntoIterator<Item = &'a Action>) -> Option<String> {
    let objects: Vec<String> = actions.into_iter().filter(|a| a.op == Op::Adopted).map(Action::object).collect();
    (!objects.is_empty()).then(|| format!("adopted: not managed: {}", objects.join(", ")))
}

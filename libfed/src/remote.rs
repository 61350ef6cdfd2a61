//! The remote side of a link: the ServiceAccount, RBAC and token that let another cluster read
//! this one (spec/federation.md §1), and the credential minted from them (§2).

use std::time::{Duration, Instant};

use k8s_openapi::api::authentication::v1::{TokenRequest, TokenRequestSpec};
use k8s_openapi::api::core::v1::{Secret, ServiceAccount};
use kube::api::PostParams;
use serde::Serialize;
use serde_json::{Value, json};

use crate::cluster::Cluster;
use crate::jwt::{TokenClaims, decode_claims};
use crate::kubeconfig::mint;
use crate::names::{FEDERATION_REMOTE, MANAGED_BY, MANAGED_BY_LABEL};
use crate::plan::{Action, Mode, apply_action, plan_object, read};
use crate::redact::Sensitive;
use crate::resource::{Kind, describe};
use crate::{Error, Result};

const REMOTE_SA_MANIFEST: &str = include_str!("../../manifests/federation-remote-sa.yaml");
const REMOTE_RBAC_MANIFEST: &str = include_str!("../../manifests/federation-rem-rbac-kdd.yaml");

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

/// How a command executes its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Execution {
    /// Write.
    Apply,
    /// Plan only; write nothing anywhere.
    DryRunClient,
    /// Send every write with `dryRun=All`.
    DryRunServer,
}

impl Execution {
    /// The write mode, or `None` when nothing is sent.
    pub fn mode(self) -> Option<Mode> {
        match self {
            Execution::Apply => Some(Mode::Apply),
            Execution::DryRunServer => Some(Mode::ServerDryRun),
            Execution::DryRunClient => None,
        }
    }
}

/// Options of the remote side.
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// Namespace of the ServiceAccount and token Secret (`calico-system`; `kube-system` for CE ≤ 3.20).
    pub namespace: String,
    /// Token kind.
    pub token: TokenMode,
    /// How long to wait for the token controller to fill the token Secret.
    pub token_wait: Duration,
    /// Server URL to put in the minted kubeconfig instead of the context's.
    pub server: Option<String>,
    /// CA (PEM) to put in the minted kubeconfig instead of the context's.
    pub ca_pem: Option<Vec<u8>>,
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
}

fn labelled(mut obj: Value) -> Value {
    obj["metadata"]["labels"][MANAGED_BY_LABEL] = Value::String(MANAGED_BY.into());
    obj
}

/// The remote objects for a namespace and token mode, from the embedded manifests (pure).
///
/// # Errors
/// Only if the embedded manifests do not parse, which a unit test rules out.
pub fn remote_objects(namespace: &str, token: TokenMode) -> Result<Vec<(Kind, Value)>> {
    let parse = |e: serde_saphyr::Error| Error::Invalid(format!("embedded manifest: {e}"));
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
            other => return Err(Error::Invalid(format!("embedded RBAC manifest has unexpected kind {other:?}"))),
        };
        out.push((kind, labelled(doc)));
    }
    if token == TokenMode::Secret {
        out.push((
            Kind::Secret,
            labelled(json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "type": "kubernetes.io/service-account-token",
                "metadata": {
                    "name": FEDERATION_REMOTE,
                    "namespace": namespace,
                    "annotations": {"kubernetes.io/service-account.name": FEDERATION_REMOTE}
                }
            })),
        ));
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
/// kubeconfig.
///
/// # Errors
/// Any read or write failing, the token not appearing in time, or no CA for the remote.
pub async fn prepare_remote(remote: &Cluster, opts: &RemoteOptions, exec: Execution) -> Result<PreparedRemote> {
    let mut actions = Vec::new();
    for (kind, desired) in remote_objects(&opts.namespace, opts.token)? {
        actions.push(plan_object(&remote.client, &remote.context, kind, desired).await?);
    }
    if let Some(mode) = exec.mode() {
        for a in &actions {
            apply_action(&remote.client, a, mode).await?;
        }
    }
    let mut warnings = Vec::new();
    let token = match (opts.token, exec) {
        (TokenMode::Secret, Execution::Apply) => {
            Some(wait_token_secret(remote, &opts.namespace, opts.token_wait).await?)
        }
        (TokenMode::Secret, _) => read_token_secret(remote, &opts.namespace).await?.map(|(t, _)| t),
        (TokenMode::Request { ttl }, Execution::Apply) => Some(request_token(remote, &opts.namespace, ttl).await?),
        (TokenMode::Request { .. }, _) => None,
    };
    let server = opts.server.clone().unwrap_or_else(|| remote.server.clone());
    if is_loopback_server(&server) {
        warnings.push(format!(
            "{}: server {server} is loopback; other clusters can reach it only from this machine (set --server {}=URL)",
            remote.context, remote.name
        ));
    }
    let ca = match (&opts.ca_pem, &remote.ca_pem) {
        (Some(ca), _) | (None, Some(ca)) => Some(ca.clone()),
        (None, None) => read_token_secret(remote, &opts.namespace).await?.and_then(|(_, ca)| ca),
    };
    let kubeconfig = match (&token, &ca) {
        (Some(t), Some(ca)) => Some(mint(&server, ca, t)?),
        (Some(_), None) => {
            return Err(Error::Invalid(format!(
                "cluster {}: the kubeconfig context has no CA data and the token Secret no ca.crt; cannot mint a kubeconfig Calico can verify the server with",
                remote.context
            )));
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
    })
}

async fn read_token_secret(remote: &Cluster, namespace: &str) -> Result<Option<(Sensitive, Option<Vec<u8>>)>> {
    let Some(value) = read(&remote.client, &remote.context, Kind::Secret, Some(namespace), FEDERATION_REMOTE).await?
    else {
        return Ok(None);
    };
    let secret: Secret = serde_json::from_value(value).map_err(|e| Error::Invalid(format!("secret: {e}")))?;
    let data = secret.data.unwrap_or_default();
    let token = data.get("token").and_then(|t| String::from_utf8(t.0.clone()).ok()).filter(|t| !t.is_empty());
    Ok(token.map(|t| (Sensitive::new(t), data.get("ca.crt").map(|c| c.0.clone()))))
}

async fn wait_token_secret(remote: &Cluster, namespace: &str, wait: Duration) -> Result<Sensitive> {
    crate::progress::waiting_here(&remote.context, "the token controller to fill the token Secret", async {
        wait_token_secret_loop(remote, namespace, wait).await
    })
    .await
}

async fn wait_token_secret_loop(remote: &Cluster, namespace: &str, wait: Duration) -> Result<Sensitive> {
    let deadline = Instant::now() + wait;
    loop {
        if let Some((token, _)) = read_token_secret(remote, namespace).await? {
            return Ok(token);
        }
        if Instant::now() >= deadline {
            return Err(Error::Timeout {
                cluster: remote.context.clone(),
                what: format!(
                    "the token controller to fill {} (is kube-controller-manager running? or use --token request)",
                    describe(Kind::Secret, Some(namespace), FEDERATION_REMOTE)
                ),
                seconds: wait.as_secs(),
            });
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn request_token(remote: &Cluster, namespace: &str, ttl: Duration) -> Result<Sensitive> {
    let api: kube::Api<ServiceAccount> = kube::Api::namespaced(remote.client.clone(), namespace);
    let request = TokenRequest {
        spec: TokenRequestSpec { expiration_seconds: Some(ttl.as_secs() as i64), ..Default::default() },
        ..Default::default()
    };
    let response =
        api.create_token_request(FEDERATION_REMOTE, &PostParams::default(), &request).await.map_err(|e| {
            Error::api(
                &remote.context,
                "create token for",
                describe(Kind::ServiceAccount, Some(namespace), FEDERATION_REMOTE),
                e,
            )
        })?;
    let token = response
        .status
        .map(|s| s.token)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::Invalid(format!("cluster {}: TokenRequest returned no token", remote.context)))?;
    Ok(Sensitive::new(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_objects_follow_the_namespace_and_carry_the_label() {
        let objs = remote_objects("kube-system", TokenMode::Secret).expect("objects");
        let kinds: Vec<Kind> = objs.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, [Kind::ServiceAccount, Kind::ClusterRole, Kind::ClusterRoleBinding, Kind::Secret]);
        for (_, o) in &objs {
            assert_eq!(o["metadata"]["labels"][MANAGED_BY_LABEL], MANAGED_BY);
        }
        assert_eq!(objs[0].1["metadata"]["namespace"], "kube-system");
        assert_eq!(objs[2].1["subjects"][0]["namespace"], "kube-system");
        let rules = objs[1].1["rules"].as_array().expect("rules");
        let core: Vec<&str> = rules[0]["resources"].as_array().expect("res").iter().filter_map(Value::as_str).collect();
        assert_eq!(core, ["namespaces", "serviceaccounts", "services", "endpoints", "pods", "nodes"]);
        assert_eq!(
            remote_objects("calico-system", TokenMode::Request { ttl: Duration::from_secs(60) }).expect("objs").len(),
            3
        );
    }

    #[test]
    fn loopback_servers_are_recognised() {
        for (url, lo) in [
            ("https://127.0.0.1:6443", true),
            ("https://localhost", true),
            ("https://[::1]:443", true),
            ("https://10.0.0.1:6443", false),
            ("https://abc.gr7.us-west-2.eks.amazonaws.com", false),
        ] {
            assert_eq!(is_loopback_server(url), lo, "{url}");
        }
    }
}

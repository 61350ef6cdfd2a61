//! Clients for a local cluster's remote clusters, reached exactly as Calico reaches them: each
//! RemoteClusterConfiguration names a Secret (`spec.clusterAccessSecret`) whose `kubeconfig` key
//! holds a self-contained kubeconfig (spec/federation.md §3c). Any command that reads remotes
//! (`svc`, `eval`, `status`) uses this.
//!
//! Nothing read here is ever printed: errors name the RCC and the Secret, never their content.

use std::time::Duration;

use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use kube::config::KubeConfigOptions;

use crate::calico::rcc::{self, RemoteClusterConfiguration};
use crate::cluster::Cluster;
use crate::federate::error_chain;
use crate::{Error, Result};

/// A client for one remote cluster, or why there is none.
#[derive(Clone)]
pub struct RemoteClient {
    /// The RCC name: the remote cluster's name, and the prefix of its endpoints.
    pub name: String,
    /// The Secret the credential came from, as `namespace/name`.
    pub secret: Option<String>,
    /// The API server URL in the stored kubeconfig.
    pub server: Option<String>,
    /// Changes whenever the RCC or its Secret changes (their resourceVersions), so a long-running
    /// reader knows to rebuild the client.
    pub version: String,
    /// The client, or a message saying why it could not be built (no Secret, no kubeconfig …).
    pub result: std::result::Result<kube::Client, String>,
}

impl std::fmt::Debug for RemoteClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteClient")
            .field("name", &self.name)
            .field("secret", &self.secret)
            .field("server", &self.server)
            .field("version", &self.version)
            .field("ok", &self.result.is_ok())
            .finish()
    }
}

/// Timeouts of the clients built for remotes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientTimeouts {
    /// Connecting (and writing a request).
    pub connect: Option<Duration>,
    /// Waiting for a response. Leave it `None` for clients that watch: kube's watcher has its own
    /// idle timeout.
    pub read: Option<Duration>,
}

impl ClientTimeouts {
    /// One budget per request (one-shot commands), connecting bounded by the default connect
    /// timeout within it; zero means none.
    pub fn all(timeout: Option<Duration>) -> Self {
        let t = crate::cluster::Timeouts::request(timeout);
        Self { connect: t.connect, read: t.request }
    }
}

/// A client for every remote of `local`: one entry per RCC, sorted by name. `timeout` bounds
/// connecting and each response (zero or `None`: no limit).
///
/// # Errors
/// Listing the RCCs failing for another reason than the API not being served (a cluster without
/// the RCC API has no remotes).
pub async fn remote_clients(local: &Cluster, timeout: Option<Duration>) -> Result<Vec<RemoteClient>> {
    remote_clients_with(local, ClientTimeouts::all(timeout)).await
}

/// [`remote_clients`] with separate connect and read timeouts.
///
/// # Errors
/// As [`remote_clients`].
pub async fn remote_clients_with(local: &Cluster, timeouts: ClientTimeouts) -> Result<Vec<RemoteClient>> {
    crate::tls::ensure_crypto_provider();
    let rccs = match rcc::list(&local.client).await {
        Ok(list) => list,
        Err(kube::Error::Api(s)) if s.code == 404 => Vec::new(),
        Err(e) => return Err(Error::api(&local.context, "list", "remoteclusterconfigurations", e)),
    };
    let mut out = Vec::with_capacity(rccs.len());
    for r in rccs {
        out.push(remote_client(local, &r, timeouts).await);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

async fn remote_client(local: &Cluster, r: &RemoteClusterConfiguration, timeouts: ClientTimeouts) -> RemoteClient {
    let name = r.metadata.name.clone().unwrap_or_default();
    let rcc_version = r.metadata.resource_version.clone().unwrap_or_default();
    let mut rc = RemoteClient {
        name: name.clone(),
        secret: None,
        server: None,
        version: rcc_version.clone(),
        result: Err(String::new()),
    };
    let Some(reference) = r.spec.cluster_access_secret.as_ref() else {
        rc.result = Err(format!(
            "remoteclusterconfiguration {name} has no clusterAccessSecret; only Secret-based RCCs can be read (inline datastore fields are not supported)"
        ));
        return rc;
    };
    let namespace = if reference.namespace.is_empty() { "default" } else { reference.namespace.as_str() };
    let object = format!("{namespace}/{}", reference.name);
    rc.secret = Some(object.clone());
    let secrets: Api<Secret> = Api::namespaced(local.client.clone(), namespace);
    let secret = match secrets.get_opt(&reference.name).await {
        Ok(Some(s)) => s,
        Ok(None) => {
            rc.result = Err(format!("secret {object} named by remoteclusterconfiguration {name} does not exist"));
            return rc;
        }
        Err(e) => {
            rc.result = Err(format!("cluster {}: get secret {object}: {}", local.context, error_chain(&e)));
            return rc;
        }
    };
    rc.version = format!("{rcc_version}/{}", secret.metadata.resource_version.clone().unwrap_or_default());
    match client_from_secret(&secret, timeouts).await {
        Ok((client, server)) => {
            rc.server = server;
            rc.result = Ok(client);
        }
        Err(message) => rc.result = Err(format!("secret {object}: {message}")),
    }
    rc
}

/// The stored kubeconfig text of a remote-cluster Secret (`datastoreType` must be `kubernetes`
/// when present).
///
/// # Errors
/// A message (without any of the Secret's content) when the Secret holds no usable kubeconfig.
pub fn stored_kubeconfig(secret: &Secret) -> std::result::Result<String, String> {
    let data = secret.data.as_ref();
    let get = |k: &str| data.and_then(|d| d.get(k)).map(|v| String::from_utf8_lossy(&v.0).into_owned());
    if let Some(t) = get("datastoreType").filter(|t| t.trim() != "kubernetes") {
        let t: String = t.chars().take(20).collect();
        return Err(format!("datastoreType is {t:?}; only \"kubernetes\" remotes can be read"));
    }
    get("kubeconfig").filter(|k| !k.trim().is_empty()).ok_or_else(|| "no kubeconfig key".to_owned())
}

/// Builds a client from a remote-cluster Secret; returns it with the server URL.
///
/// # Errors
/// A message (without any of the Secret's content) when the kubeconfig is missing, does not
/// parse, or cannot be turned into a client.
pub async fn client_from_secret(
    secret: &Secret,
    timeouts: ClientTimeouts,
) -> std::result::Result<(kube::Client, Option<String>), String> {
    let text = stored_kubeconfig(secret)?;
    // The parse error's cause may quote the text, so only the fact is reported.
    let stored = crate::kubeconfig::inspect(&text).map_err(|_| "the stored kubeconfig does not parse".to_owned())?;
    let config = kube::Config::from_custom_kubeconfig(stored.kubeconfig, &KubeConfigOptions::default())
        .await
        .map_err(|_| "the stored kubeconfig cannot be used (no current context, cluster or user)".to_owned())?;
    let timeouts = crate::cluster::Timeouts { connect: timeouts.connect, request: timeouts.read };
    let client = crate::cluster::client_from_config(config, timeouts)
        .map_err(|e| format!("cannot build a client: {}", error_chain(&e)))?;
    Ok((client, stored.server))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::ByteString;
    use std::collections::BTreeMap;

    fn secret(pairs: &[(&str, &str)]) -> Secret {
        Secret {
            data: Some(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), ByteString(v.as_bytes().to_vec())))
                    .collect::<BTreeMap<_, _>>(),
            ),
            ..Default::default()
        }
    }

    #[test]
    fn the_stored_kubeconfig_is_read_like_calico_reads_it() {
        assert_eq!(stored_kubeconfig(&secret(&[("datastoreType", "kubernetes"), ("kubeconfig", "x")])), Ok("x".into()));
        assert_eq!(stored_kubeconfig(&secret(&[("kubeconfig", "x")])), Ok("x".into()));
        assert!(
            stored_kubeconfig(&secret(&[("datastoreType", "etcdv3"), ("kubeconfig", "x")]))
                .is_err_and(|e| e.contains("etcdv3"))
        );
        assert_eq!(stored_kubeconfig(&secret(&[("datastoreType", "kubernetes")])), Err("no kubeconfig key".into()));
        assert_eq!(stored_kubeconfig(&Secret::default()), Err("no kubeconfig key".into()));
    }

    #[tokio::test]
    async fn errors_never_quote_the_secret() {
        let token = "eyJhbGciOiJSUzI1NiJ9.secret-token-value";
        let bad = format!("apiVersion: v1\nusers: [{{name: u, user: {{token: [{token}]}}}}]\n");
        let err = client_from_secret(&secret(&[("kubeconfig", &bad)]), ClientTimeouts::default())
            .await
            .err()
            .expect("refused");
        assert!(!err.contains(token), "{err}");
        let long_type = format!("etcdv3-{token}");
        let err =
            stored_kubeconfig(&secret(&[("datastoreType", &long_type), ("kubeconfig", "x")])).expect_err("refused");
        assert!(!err.contains("secret-token-value"), "{err}");
    }

    /// A throwaway self-signed CA (no key kept), only parsed, never trusted for anything.
    const TEST_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIBezCCASGgAwIBAgIUfoU9tORHcYPIop1vwyeU7uPExQcwCgYIKoZIzj0EAwIw\nEjEQMA4GA1UEAwwHdGVzdC1jYTAgFw0yNjExMjMyMDE1NDVaGA8yMTI2MTAzMDIw\nMTU0NVowEjEQMA4GA1UEAwwHdGVzdC1jYTBZMBMGByqGSM49AgEGCCqGSM49AwEH\nA0IABIIp1uepTEQ5zyrZTsSgnhaP2sHUk0nHAobX6hN6/0F26urGrAiM/sYtNT69\nsB5imxyt4MAVxuHwW7HQHUvY8ZWjUzBRMB0GA1UdDgQWBBR9u012bV5pMrJjz/q2\nXzCcoWlAZDAfBgNVHSMEGDAWgBR9u012bV5pMrJjz/q2XzCcoWlAZDAPBgNVHRMB\nAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDecMnSADqaP2XeQcCwVEOWkzfx\nTZzsZJBfMUY5Tnu83QIgTpe5J9sEItGKNgET4jZbMg0envQuvX/G4vjkoUdYM5M=\n-----END CERTIFICATE-----\n";

    #[tokio::test]
    async fn a_minted_kubeconfig_gives_a_client() {
        crate::tls::ensure_crypto_provider();
        let text =
            crate::kubeconfig::mint("https://127.0.0.1:6443", TEST_CA.as_bytes(), &crate::redact::Sensitive::new("t"))
                .expect("mint");
        let (_, server) = client_from_secret(
            &secret(&[("datastoreType", "kubernetes"), ("kubeconfig", text.expose())]),
            ClientTimeouts::all(Some(Duration::from_secs(1))),
        )
        .await
        .expect("client");
        assert_eq!(server.as_deref(), Some("https://127.0.0.1:6443"));
    }
}

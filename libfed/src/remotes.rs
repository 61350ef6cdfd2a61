//! Clients for a local cluster's remote clusters, reached exactly as Calico reaches them: each
//! RemoteClusterConfiguration names a Secret (`spec.clusterAccessSecret`) whose `kubeconfig` key
//! holds a self-contained kubeconfig (spec/federation.md §3c), or carries it inline
//! (`spec.kubeconfigInline`). Any command that reads remotes (`svc`, `eval`, the controller)
//! uses this; every client is built by [`crate::stored`], the one way from stored data to a client.
//!
//! Nothing read here is ever printed: errors name the local cluster, the RCC, the Secret and the
//! field, never their content.

use std::time::Duration;

use k8s_openapi::api::core::v1::Secret;
use kube::Api;

use crate::calico::rcc::{self, RemoteClusterConfiguration};
use crate::cluster::Cluster;
use crate::federate::error_chain;
use crate::redact::Sensitive;
use crate::stored::{self, SafeKubeconfig, source::Connection};
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
    let cluster = &local.context;
    let hint = format!(
        "hint: re-create the link with `kubectl federate join {name} --context {cluster}` (it stores a self-contained kubeconfig)"
    );
    let refuse = |rc: &mut RemoteClient, object: &str, why: &str| {
        rc.result = Err(format!("cluster {cluster}: remoteclusterconfiguration {name}{object}: {why}; {hint}"));
    };
    if r.invalid {
        refuse(&mut rc, "", "its spec does not have the RemoteClusterConfiguration shape (a field of the wrong type)");
        return rc;
    }
    let text = match stored::source::rcc_connection(&r.spec) {
        Err(refusal) => {
            refuse(&mut rc, "", &refusal.to_string());
            return rc;
        }
        Ok(Connection::Inline(text)) => {
            rc.version = format!("{rcc_version}/inline");
            text
        }
        Ok(Connection::Secret(reference)) => {
            let namespace = if reference.namespace.is_empty() { "default" } else { reference.namespace.as_str() };
            let object = format!("{namespace}/{}", reference.name);
            rc.secret = Some(object.clone());
            let secrets: Api<Secret> = Api::namespaced(local.client.clone(), namespace);
            let secret = match secrets.get_opt(&reference.name).await {
                Ok(Some(s)) => s,
                Ok(None) => {
                    refuse(&mut rc, &format!(": secret {object}"), "does not exist (Calico: ConfigIncomplete)");
                    return rc;
                }
                Err(e) => {
                    refuse(&mut rc, &format!(": secret {object}"), &format!("cannot be read: {}", error_chain(&e)));
                    return rc;
                }
            };
            rc.version = format!("{rcc_version}/{}", secret.metadata.resource_version.clone().unwrap_or_default());
            match stored::secret_kubeconfig(&secret) {
                Ok(text) => Sensitive::new(text),
                Err(refusal) => {
                    refuse(&mut rc, &format!(": secret {object}"), &refusal.to_string());
                    return rc;
                }
            }
        }
    };
    let object = match &rc.secret {
        Some(s) => format!(": secret {s}: key kubeconfig"),
        None => ": spec.kubeconfigInline".to_string(),
    };
    match safe_kubeconfig(text.expose()) {
        Ok(safe) => match stored::client(&safe, timeouts) {
            Ok(client) => {
                rc.server = Some(safe.server());
                rc.result = Ok(client);
            }
            Err(e) => refuse(&mut rc, &object, &e),
        },
        Err(why) => refuse(&mut rc, &object, &why),
    }
    rc
}

/// Inspects stored kubeconfig text and returns its validated form, or every reason it is refused
/// (fields and positions, never values).
///
/// # Errors
/// The text not parsing or not being self-contained.
pub fn safe_kubeconfig(text: &str) -> std::result::Result<SafeKubeconfig, String> {
    match stored::inspect(text) {
        Err(e) => Err(format!("the stored kubeconfig {e}")),
        Ok(stored) => stored.into_safe().map_err(|problems| format!("refused: {}", problems.join("; "))),
    }
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
    fn errors_never_quote_the_secret() {
        let token = "eyJhbGciOiJSUzI1NiJ9.secret-token-value";
        let bad = format!("apiVersion: v1\nusers: [{{name: u, user: {{token: [{token}]}}}}]\n");
        let err = safe_kubeconfig(&bad).expect_err("refused");
        assert!(!err.contains(token), "{err}");
        let long_type = format!("etcdv3-{token}");
        let err = stored::secret_kubeconfig(&secret(&[("datastoreType", &long_type), ("kubeconfig", "x")]))
            .expect_err("refused");
        assert!(!err.to_string().contains("secret-token-value"), "{err}");
    }

    /// A throwaway self-signed CA (no key kept), only parsed, never trusted for anything.
    const TEST_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIBezCCASGgAwIBAgIUfoU9tORHcYPIop1vwyeU7uPExQcwCgYIKoZIzj0EAwIw\nEjEQMA4GA1UEAwwHdGVzdC1jYTAgFw0yNjExMjMyMDE1NDVaGA8yMTI2MTAzMDIw\nMTU0NVowEjEQMA4GA1UEAwwHdGVzdC1jYTBZMBMGByqGSM49AgEGCCqGSM49AwEH\nA0IABIIp1uepTEQ5zyrZTsSgnhaP2sHUk0nHAobX6hN6/0F26urGrAiM/sYtNT69\nsB5imxyt4MAVxuHwW7HQHUvY8ZWjUzBRMB0GA1UdDgQWBBR9u012bV5pMrJjz/q2\nXzCcoWlAZDAfBgNVHSMEGDAWgBR9u012bV5pMrJjz/q2XzCcoWlAZDAPBgNVHRMB\nAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDecMnSADqaP2XeQcCwVEOWkzfx\nTZzsZJBfMUY5Tnu83QIgTpe5J9sEItGKNgET4jZbMg0envQuvX/G4vjkoUdYM5M=\n-----END CERTIFICATE-----\n";

    #[tokio::test]
    async fn a_minted_kubeconfig_gives_a_client() {
        let text =
            crate::kubeconfig::mint("https://127.0.0.1:6443", TEST_CA.as_bytes(), &crate::redact::Sensitive::new("t"))
                .expect("mint");
        let kubeconfig =
            stored::secret_kubeconfig(&secret(&[("datastoreType", "kubernetes"), ("kubeconfig", text.expose())]))
                .expect("read");
        let safe = safe_kubeconfig(&kubeconfig).expect("safe");
        stored::client(&safe, ClientTimeouts::all(Some(Duration::from_secs(1)))).expect("client");
        assert_eq!(safe.server(), "https://127.0.0.1:6443");
    }
}

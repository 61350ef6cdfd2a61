//! Stored credentials are data, never code. This module is the ONE way to turn what a cluster
//! stores (a RemoteClusterConfiguration, its Secret) into a kube client:
//!
//! 1. [`source`] applies Calico's rules to the RCC and its Secret (`datastoreType`, inline
//!    connection fields) and yields the stored kubeconfig text, or a refusal;
//! 2. [`inspect()`] parses that text with limits ([`yaml`]) and accepts only the self-contained
//!    shape Calico uses: an `https://` server with a host, inline CA data, a static token (or
//!    inline client certificate and key). No exec plugin, no auth-provider, no file path of any
//!    kind, no proxy, no `insecure-skip-tls-verify`;
//! 3. only what passes becomes a [`SafeKubeconfig`] (private fields, no other constructor), and
//!    [`client`] builds the kube client from its validated pieces alone. kube's own kubeconfig
//!    loader, which runs exec plugins and reads files, is never given stored data.
//!
//! Errors and refusals name fields (`users[0].user.exec`), never their values.

pub mod inspect;
pub mod source;
pub mod yaml;

pub use inspect::{StoredKubeconfig, inspect};
pub use source::{Refusal, secret_kubeconfig};
pub use yaml::ParseError;

use crate::redact::Sensitive;
use crate::remotes::ClientTimeouts;

/// A stored kubeconfig that passed [`inspect()`]: an https server, CA certificates, and a static
/// token and/or an inline client identity. Made only by [`inspect()`].
#[derive(Clone)]
pub struct SafeKubeconfig {
    server: http::Uri,
    ca_der: Vec<Vec<u8>>,
    tls_server_name: Option<String>,
    auth: SafeAuth,
}

#[derive(Clone)]
struct SafeAuth {
    token: Option<Sensitive>,
    /// Base64 of the PEM certificate and of the PEM key, as stored.
    identity: Option<(String, Sensitive)>,
}

impl SafeKubeconfig {
    /// The server URL (always `https://` with a host).
    pub fn server(&self) -> String {
        self.server.to_string().trim_end_matches('/').to_string()
    }

    /// The static token, if the credential is one.
    pub fn token(&self) -> Option<&Sensitive> {
        self.auth.token.as_ref()
    }
}

impl std::fmt::Debug for SafeKubeconfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafeKubeconfig")
            .field("server", &self.server())
            .field("ca_certificates", &self.ca_der.len())
            .field("token", &self.auth.token.is_some())
            .field("client_certificate", &self.auth.identity.is_some())
            .finish()
    }
}

/// Builds the client for a validated stored kubeconfig: server, CA, token or client identity,
/// and the timeouts; nothing else (no exec, no files, no proxy).
///
/// # Errors
/// The TLS settings being refused by the client (e.g. a CA that is not a valid certificate).
pub fn client(safe: &SafeKubeconfig, timeouts: ClientTimeouts) -> Result<kube::Client, String> {
    crate::tls::ensure_crypto_provider();
    let mut config = kube::Config::new(safe.server.clone());
    config.root_cert = Some(safe.ca_der.clone());
    config.tls_server_name = safe.tls_server_name.clone();
    config.auth_info = kube::config::AuthInfo {
        token: safe.auth.token.as_ref().map(|t| secrecy::SecretString::from(t.expose().to_owned())),
        client_certificate_data: safe.auth.identity.as_ref().map(|(c, _)| c.clone()),
        client_key_data: safe.auth.identity.as_ref().map(|(_, k)| secrecy::SecretString::from(k.expose().to_owned())),
        ..Default::default()
    };
    let timeouts = crate::cluster::Timeouts { connect: timeouts.connect, request: timeouts.read };
    // kube's error chain names what failed (TLS configuration), never the credential.
    crate::cluster::client_from_config(config, timeouts)
        .map_err(|e| format!("cannot build a client: {}", crate::federate::error_chain(&e)))
}

#[cfg(test)]
mod tests;

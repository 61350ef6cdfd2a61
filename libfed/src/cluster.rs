//! `Cluster`: a kube client plus what a federation link needs to know about the cluster behind it
//! (its context, the name other clusters know it by, its server URL and CA).

use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig};

use crate::kubeconfig::context_target;
use crate::names::sanitize_cluster_name;
use crate::{Error, Result};

/// A cluster reached through a kubeconfig context.
#[derive(Clone)]
pub struct Cluster {
    /// The kubeconfig context.
    pub context: String,
    /// The cluster name: the RCC name other clusters give it, and the prefix of its endpoints.
    pub name: String,
    /// The client (admin credentials of the context).
    pub client: kube::Client,
    /// The API server URL in the kubeconfig.
    pub server: String,
    /// The CA bundle (PEM) of the API server, if the kubeconfig has one.
    pub ca_pem: Option<Vec<u8>>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("context", &self.context)
            .field("name", &self.name)
            .field("server", &self.server)
            .finish()
    }
}

impl Cluster {
    /// Builds a cluster handle from a kubeconfig context. `name` defaults to the context name,
    /// sanitised to a DNS-1123 label. No request is made: a dead cluster fails on first use.
    ///
    /// # Errors
    /// An unknown context, or a kubeconfig entry the client cannot use.
    pub async fn from_kubeconfig(
        kc: &Kubeconfig,
        context: &str,
        name: Option<&str>,
        timeout: Option<Duration>,
    ) -> Result<Cluster> {
        crate::tls::ensure_crypto_provider();
        let target = context_target(kc, Some(context))?;
        let options = KubeConfigOptions { context: Some(context.to_string()), ..Default::default() };
        let mut config = kube::Config::from_custom_kubeconfig(kc.clone(), &options).await.map_err(|e| {
            Error::Kubeconfig { message: format!("context {context:?} cannot be used"), source: Some(Box::new(e)) }
        })?;
        if let Some(t) = timeout.filter(|t| !t.is_zero()) {
            config.connect_timeout = Some(t);
            config.read_timeout = Some(t);
            config.write_timeout = Some(t);
        }
        let client = crate::requests::client(config).map_err(|e| Error::Kubeconfig {
            message: format!("context {context:?}: cannot build a client"),
            source: Some(Box::new(e)),
        })?;
        Ok(Cluster {
            context: context.to_string(),
            name: name.map_or_else(|| sanitize_cluster_name(context), str::to_string),
            client,
            server: target.server,
            ca_pem: target.ca_pem,
        })
    }

    /// A handle for an already-built client (embedders, tests).
    pub fn from_client(
        context: &str,
        name: &str,
        client: kube::Client,
        server: &str,
        ca_pem: Option<Vec<u8>>,
    ) -> Cluster {
        Cluster { context: context.into(), name: name.into(), client, server: server.into(), ca_pem }
    }
}

/// Every context of a kubeconfig, in file order (for `--all-contexts`).
pub fn all_contexts(kc: &Kubeconfig) -> Vec<String> {
    kc.contexts.iter().map(|c| c.name.clone()).collect()
}

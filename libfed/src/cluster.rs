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

/// How long connecting to an API server (TCP and TLS) may take by default: a server that does not
/// even accept a connection is noticed well before the request budget runs out.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The timeouts of a client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timeouts {
    /// Connecting, TLS included (`--connect-timeout`); `None`: no limit of its own.
    pub connect: Option<Duration>,
    /// The budget of each request, from sending it to the end of its response body
    /// (`--request-timeout`); `None` for clients that watch.
    pub request: Option<Duration>,
}

impl Timeouts {
    /// A request budget (zero or `None`: no limit) and the default connect timeout, never longer
    /// than the budget.
    pub fn request(request: Option<Duration>) -> Self {
        Timeouts::new(request, Some(DEFAULT_CONNECT_TIMEOUT))
    }

    /// Both timeouts (zero or `None`: no limit); connecting never gets longer than the budget.
    pub fn new(request: Option<Duration>, connect: Option<Duration>) -> Self {
        let request = request.filter(|t| !t.is_zero());
        let connect = match (connect.filter(|t| !t.is_zero()), request) {
            (Some(c), Some(r)) => Some(c.min(r)),
            (c, r) => c.or(r),
        };
        Timeouts { connect, request }
    }
}

/// Builds the client of a kube `Config` with these timeouts: the one place clients are made, so
/// that every request of every command has the same budget (see [`crate::deadline`]).
///
/// Connecting is bounded by `connect`; each request by `request`, counted from when it is sent (a
/// pooled connection's idle time does not count: that was the cause of healthy links failing with
/// "connection error: timed out" while another cluster hung, see the README).
///
/// # Errors
/// The configuration not yielding a client (bad TLS material …).
pub fn client_from_config(
    mut config: kube::Config,
    timeouts: Timeouts,
) -> std::result::Result<kube::Client, kube::Error> {
    let server = crate::deadline::server_key(&config.cluster_url);
    config.connect_timeout = timeouts.connect;
    config.write_timeout = timeouts.request.or(timeouts.connect);
    config.read_timeout = timeouts.request;
    // Without this, the read timeout counts from when a pooled connection went idle, not from
    // when the request was written on it.
    config.reset_reader_on_write = true;
    let counter = crate::requests::CountLayer::for_server(config.cluster_url.to_string().trim_end_matches('/'));
    let builder = crate::client_stack::client_builder(config)?.with_layer(&counter);
    Ok(match timeouts.request {
        Some(budget) => {
            builder.with_layer(&crate::deadline::DeadlineLayer::new(server, budget, timeouts.connect)).build()
        }
        None => builder.build(),
    })
}

impl Cluster {
    /// Builds a cluster handle from a kubeconfig context. `name` defaults to the context name,
    /// sanitised to a DNS-1123 label. No request is made: a dead cluster fails on first use.
    /// `timeout` is the budget of each request (connecting: [`DEFAULT_CONNECT_TIMEOUT`] at most).
    ///
    /// # Errors
    /// An unknown context, or a kubeconfig entry the client cannot use.
    pub async fn from_kubeconfig(
        kc: &Kubeconfig,
        context: &str,
        name: Option<&str>,
        timeout: Option<Duration>,
    ) -> Result<Cluster> {
        Cluster::with_timeouts(kc, context, name, Timeouts::request(timeout)).await
    }

    /// [`Cluster::from_kubeconfig`] with both timeouts given.
    ///
    /// # Errors
    /// An unknown context, or a kubeconfig entry the client cannot use.
    pub async fn with_timeouts(
        kc: &Kubeconfig,
        context: &str,
        name: Option<&str>,
        timeouts: Timeouts,
    ) -> Result<Cluster> {
        crate::tls::ensure_crypto_provider();
        let target = context_target(kc, Some(context))?;
        let options = KubeConfigOptions { context: Some(context.to_string()), ..Default::default() };
        let config = kube::Config::from_custom_kubeconfig(kc.clone(), &options).await.map_err(|e| {
            Error::Kubeconfig { message: format!("context {context:?} cannot be used"), source: Some(Box::new(e)) }
        })?;
        let client = client_from_config(config, timeouts).map_err(|e| Error::Kubeconfig {
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

    /// The cluster a pod runs in: the API server from `KUBERNETES_SERVICE_HOST`/`PORT`, the
    /// mounted ServiceAccount token and CA. Named `in-cluster`; no request timeout (watches).
    ///
    /// # Errors
    /// Not running in a pod (no service host, no token or CA files), or a client that cannot be
    /// built from them.
    pub fn in_cluster() -> Result<Cluster> {
        crate::tls::ensure_crypto_provider();
        let config = kube::Config::incluster().map_err(|e| Error::Kubeconfig {
            message: "in-cluster configuration (the pod's ServiceAccount token and CA)".into(),
            source: Some(Box::new(e)),
        })?;
        let server = config.cluster_url.to_string();
        let client = client_from_config(config, Timeouts::request(None)).map_err(|e| Error::Kubeconfig {
            message: "in-cluster configuration: cannot build a client".into(),
            source: Some(Box::new(e)),
        })?;
        Ok(Cluster::from_client("in-cluster", "in-cluster", client, &server, None))
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

//! Reading every cluster a local cluster federates with: its own Services and Endpoints and,
//! through its RCC Secrets, each remote's, concurrently. A remote that cannot be read is a
//! [`RemoteProblem`], not an error.

use std::collections::BTreeMap;

use futures::StreamExt;
use k8s_openapi::api::core::v1::{Endpoints, Service};
use kube::Api;
use kube::api::ListParams;
use serde::Serialize;

use crate::cluster::Cluster;
use crate::federate::error_chain;
use crate::federated::endpoints::ClusterObjects;
use crate::remotes::{ClientTimeouts, remote_clients_with};
use crate::{Error, Result};

/// Lists every Service and Endpoints object of a cluster.
///
/// # Errors
/// A list call failing; the error names `cluster`.
pub async fn read_objects(client: &kube::Client, cluster: &str) -> Result<ClusterObjects> {
    let services: Api<Service> = Api::all(client.clone());
    let endpoints: Api<Endpoints> = Api::all(client.clone());
    let lp = ListParams::default();
    let (s, e) = futures::join!(services.list(&lp), endpoints.list(&lp));
    let s = s.map_err(|e| Error::api(cluster, "list", "services", e))?;
    let e = e.map_err(|e| Error::api(cluster, "list", "endpoints", e))?;
    Ok(ClusterObjects::from_lists(s.items, e.items))
}

/// A remote that could not be read (its endpoints are withdrawn, as Calico does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemoteProblem {
    /// The RCC name.
    pub name: String,
    /// Why (never any Secret content).
    pub message: String,
}

/// Every cluster's Services and Endpoints, as seen from one local cluster.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The local cluster's objects.
    pub local: ClusterObjects,
    /// Each readable remote's objects, by RCC name.
    pub remotes: BTreeMap<String, ClusterObjects>,
    /// The remotes that could not be read.
    pub problems: Vec<RemoteProblem>,
}

/// Reads the local cluster and, through its RCC Secrets, every remote, concurrently.
///
/// # Errors
/// The local cluster cannot be read (remotes that cannot be read are [`Snapshot::problems`]).
pub async fn snapshot(local: &Cluster, timeouts: ClientTimeouts) -> Result<Snapshot> {
    let (objects, remotes) =
        futures::join!(read_objects(&local.client, &local.context), remote_clients_with(local, timeouts));
    let local_objects = objects?;
    let remotes = remotes?;
    let reads = futures::stream::iter(remotes)
        .map(|r| async move {
            let result = match r.result {
                Ok(client) => read_objects(&client, &format!("remote {}", r.name)).await.map_err(|e| error_chain(&e)),
                Err(e) => Err(e),
            };
            (r.name, result)
        })
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await;
    let mut snap = Snapshot { local: local_objects, ..Default::default() };
    for (name, result) in reads {
        match result {
            Ok(objects) => {
                snap.remotes.insert(name, objects);
            }
            Err(message) => snap.problems.push(RemoteProblem { name, message }),
        }
    }
    snap.problems.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(snap)
}

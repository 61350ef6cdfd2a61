//! Reading the clusters and writing one local cluster's federated Endpoints and EndpointSlices:
//! the I/O half of `svc sync --once`, `svc list` and `svc show`. Writes are made only where the
//! content differs from what is live, and only while [`Leadership`] says so.
//!
//! One concept per module: `snapshot` reads every cluster, `write` brings one federated Service's
//! objects up to date, `cleanup` removes what this crate wrote for Services no longer federated,
//! and `report` is what a sync did. This module runs them once over a local cluster.

mod cleanup;
mod report;
mod snapshot;
mod write;

use std::collections::BTreeSet;

pub use self::cleanup::{cleanup_service, owned_keys};
pub use self::report::{Outcome, ServiceSync, SyncReport};
pub use self::snapshot::{RemoteProblem, Snapshot, read_objects, snapshot};
pub use self::write::{Cached, Writes, write_service, write_service_cached};

use super::MAX_ENDPOINTS_ADDRESSES;
use super::config::{Federation, federation};
use super::endpoints::compute_capped_from;
use super::leader::Leadership;
use crate::Result;
use crate::cluster::Cluster;
use crate::remotes::ClientTimeouts;

/// Syncs `local` once: every federated Service's objects are brought up to date, and what this
/// crate wrote for Services no longer federated is removed.
///
/// # Errors
/// The local cluster cannot be read (failures of single Services and remotes are in the report).
pub async fn sync_once(local: &Cluster, timeouts: ClientTimeouts, leadership: &Leadership) -> Result<SyncReport> {
    let snap = snapshot(local, timeouts).await?;
    let mut report = SyncReport {
        cluster: local.context.clone(),
        remotes: snap.remotes.keys().cloned().collect(),
        problems: snap.problems.clone(),
        services: Vec::new(),
    };
    let mut federated = BTreeSet::new();
    for (ns, objects) in snap.local.namespaces() {
        for (name, service) in objects.services() {
            match federation(service) {
                Federation::Federated(config) => {
                    federated.insert((ns.to_owned(), name.clone()));
                    let remotes = snap.remotes.iter().map(|(n, o)| (n.as_str(), o));
                    let computed = compute_capped_from(service, &config, &snap.local, remotes, MAX_ENDPOINTS_ADDRESSES);
                    report.services.push(
                        write_service(&local.client, &local.context, service, &config, &computed, leadership).await,
                    );
                }
                Federation::Invalid(why) => {
                    tracing::warn!("{}: service {ns}/{name}: {why}", local.context);
                }
                Federation::NotFederated => {}
            }
        }
    }
    for (ns, name) in owned_keys(&local.client, &local.context, &snap.local).await? {
        if federated.contains(&(ns.clone(), name.clone())) {
            continue;
        }
        if let Some(r) = cleanup_service(&local.client, &local.context, &ns, &name, leadership).await {
            report.services.push(r);
        }
    }
    Ok(report)
}

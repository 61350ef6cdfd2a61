//! Cleaning up after Services that are no longer federated: finding every Service this crate
//! may own objects for, and removing what it wrote (annotated Endpoints, legacy slices).

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Endpoints;
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::Api;
use kube::api::{DeleteParams, ListParams, Preconditions};

use super::write::{delete_slice, is_status};
use super::{Outcome, ServiceSync};
use crate::federate::error_chain;
use crate::federated::endpoints::ClusterObjects;
use crate::federated::leader::Leadership;
use crate::federated::slices::{managed_selector, slice_selector};
use crate::federated::{SERVICE_NAME_LABEL, SERVICE_SELECTOR_ANNOTATION};
use crate::{Error, Result};

/// Removes what this crate wrote for a Service that is not (or no longer) federated: its
/// Endpoints object if it carries the selector annotation (as Calico does), and its slices.
/// Returns `None` when there was nothing to remove.
pub async fn cleanup_service(
    client: &kube::Client,
    cluster: &str,
    namespace: &str,
    name: &str,
    leadership: &Leadership,
) -> Option<ServiceSync> {
    let report = ServiceSync::new(namespace, name, Outcome::Deleted);
    let endpoints: Api<Endpoints> = Api::namespaced(client.clone(), namespace);
    let slices: Api<EndpointSlice> = Api::namespaced(client.clone(), namespace);
    let live = match endpoints.get_opt(name).await {
        Ok(l) => {
            l.filter(|e| e.metadata.annotations.as_ref().is_some_and(|a| a.contains_key(SERVICE_SELECTOR_ANNOTATION)))
        }
        Err(e) => {
            return Some(report.failed(error_chain(&Error::api(
                cluster,
                "get",
                format!("endpoints {namespace}/{name}"),
                e,
            ))));
        }
    };
    let ours = match slices.list(&ListParams::default().labels(&slice_selector(name))).await {
        Ok(l) => l.items,
        Err(e) => {
            return Some(report.failed(error_chain(&Error::api(
                cluster,
                "list",
                format!("endpointslices {namespace}"),
                e,
            ))));
        }
    };
    if live.is_none() && ours.is_empty() {
        return None;
    }
    if !leadership.is_leader() {
        return Some(ServiceSync { outcome: Outcome::Skipped, reason: Some("not the leader".into()), ..report });
    }
    if let Some(e) = live {
        let dp = DeleteParams {
            preconditions: Some(Preconditions {
                uid: e.metadata.uid.clone(),
                resource_version: e.metadata.resource_version.clone(),
            }),
            ..Default::default()
        };
        match endpoints.delete(name, &dp).await {
            Ok(_) => {}
            Err(e) if is_status(&e, 404) || is_status(&e, 409) => {}
            Err(e) => {
                return Some(report.failed(error_chain(&Error::api(
                    cluster,
                    "delete",
                    format!("endpoints {namespace}/{name}"),
                    e,
                ))));
            }
        }
    }
    let mut written = 0;
    for s in &ours {
        if let Err(e) = delete_slice(&slices, s).await {
            let n = s.metadata.name.clone().unwrap_or_default();
            return Some(report.failed(error_chain(&Error::api(
                cluster,
                "delete",
                format!("endpointslice {namespace}/{n}"),
                e,
            ))));
        }
        written += 1;
    }
    Some(ServiceSync { legacy_slices_deleted: written, ..report })
}

/// Every Service this crate may own objects for in `local`: annotated Endpoints objects and
/// managed slices (by namespace and Service name).
///
/// # Errors
/// Listing the slices failing.
pub async fn owned_keys(
    client: &kube::Client,
    cluster: &str,
    local: &ClusterObjects,
) -> Result<BTreeSet<(String, String)>> {
    let mut keys = BTreeSet::new();
    for (ns, objects) in local.namespaces() {
        for (name, e) in &objects.endpoints {
            if e.metadata.annotations.as_ref().is_some_and(|a| a.contains_key(SERVICE_SELECTOR_ANNOTATION)) {
                keys.insert((ns.to_owned(), name.clone()));
            }
        }
    }
    let slices: Api<EndpointSlice> = Api::all(client.clone());
    let list = slices
        .list(&ListParams::default().labels(&managed_selector()))
        .await
        .map_err(|e| Error::api(cluster, "list", "endpointslices", e))?;
    for s in list.items {
        if let (Some(ns), Some(svc)) =
            (s.metadata.namespace.clone(), s.metadata.labels.as_ref().and_then(|l| l.get(SERVICE_NAME_LABEL)))
        {
            keys.insert((ns, svc.clone()));
        }
    }
    Ok(keys)
}

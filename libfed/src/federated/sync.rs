//! Reading the clusters and writing one local cluster's federated Endpoints and EndpointSlices:
//! the I/O half of `svc sync --once`, `svc list` and `svc show`. Writes are made only where the
//! content differs from what is live, and only while [`Leadership`] says so.

use std::collections::{BTreeMap, BTreeSet};

use futures::StreamExt;
use k8s_openapi::api::core::v1::{Endpoints, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::Api;
use kube::api::{DeleteParams, ListParams, PostParams, Preconditions};
use serde::Serialize;

use super::config::{Federation, FederationConfig, federation};
use super::endpoints::{ClusterObjects, Computed, compute};
use super::leader::Leadership;
use super::object::{EndpointsWrite, desired_endpoints, plan_endpoints};
use super::slices::{managed_selector, mirrored_selector, slice_selector};
use super::{SERVICE_NAME_LABEL, SERVICE_SELECTOR_ANNOTATION};
use crate::cluster::Cluster;
use crate::federate::error_chain;
use crate::names::FIELD_MANAGER;
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

/// What happened to a federated Service's objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// The Endpoints object was created.
    Created,
    /// The Endpoints object or some slices were written.
    Updated,
    /// Everything was already right; nothing was written.
    Unchanged,
    /// The objects of a Service that is no longer federated were deleted.
    Deleted,
    /// Nothing was done, on purpose (see the reason).
    Skipped,
    /// A write failed (see the reason).
    Failed,
}

/// The result for one Service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSync {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// What happened.
    pub outcome: Outcome,
    /// Ready addresses computed.
    pub ready: usize,
    /// Not-ready addresses computed.
    pub not_ready: usize,
    /// Slices an earlier version of this crate wrote, deleted now that Kubernetes mirrors the
    /// Endpoints.
    #[serde(skip_serializing_if = "is_zero")]
    pub legacy_slices_deleted: usize,
    /// Why it was skipped or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ServiceSync {
    fn new(namespace: &str, name: &str, outcome: Outcome) -> Self {
        Self {
            namespace: namespace.into(),
            name: name.into(),
            outcome,
            ready: 0,
            not_ready: 0,
            legacy_slices_deleted: 0,
            reason: None,
        }
    }

    /// A failure because the cluster did not answer in time.
    pub fn timed_out(namespace: &str, name: &str, after: std::time::Duration) -> Self {
        Self::new(namespace, name, Outcome::Failed)
            .failed(format!("the API server did not answer within {}s", after.as_secs()))
    }

    fn failed(mut self, reason: String) -> Self {
        self.outcome = Outcome::Failed;
        self.reason = Some(reason);
        self
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn params() -> PostParams {
    PostParams { field_manager: Some(FIELD_MANAGER.into()), ..Default::default() }
}

fn is_status(e: &kube::Error, code: u16) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == code)
}

/// What a long-running caller believes is live for a Service (from its watches): tried first,
/// instead of reading; a conflict or a missing object falls back to fresh reads.
#[derive(Debug, Clone, Default)]
pub struct Cached {
    /// The Endpoints object, if any.
    pub endpoints: Option<Endpoints>,
    /// The slices an earlier version of this crate wrote for the Service.
    pub legacy_slices: Vec<EndpointSlice>,
}

/// The objects a write produced, so that a cache can hold them before the watch events arrive.
#[derive(Debug, Clone, Default)]
pub struct Writes {
    /// The Endpoints object as written.
    pub endpoints: Option<Endpoints>,
    /// Names of legacy slices deleted.
    pub deleted: Vec<String>,
}

/// Writes a federated Service's Endpoints object where it differs from `computed`, and removes
/// the slices an earlier version of this crate wrote for it (Kubernetes mirrors the Endpoints
/// now). An Endpoints object without the selector annotation is not ours and is left alone.
/// Conflicts are retried with fresh reads.
pub async fn write_service(
    client: &kube::Client,
    cluster: &str,
    service: &Service,
    config: &FederationConfig,
    computed: &Computed,
    leadership: &Leadership,
) -> ServiceSync {
    write_service_cached(client, cluster, service, config, computed, leadership, None).await.0
}

/// [`write_service`] planning first against `cached` (a watch cache), and returning what was
/// written.
pub async fn write_service_cached(
    client: &kube::Client,
    cluster: &str,
    service: &Service,
    config: &FederationConfig,
    computed: &Computed,
    leadership: &Leadership,
    cached: Option<&Cached>,
) -> (ServiceSync, Writes) {
    let namespace = service.metadata.namespace.clone().unwrap_or_default();
    let name = service.metadata.name.clone().unwrap_or_default();
    let (ready, not_ready) = computed.counts();
    let mut report = ServiceSync { ready, not_ready, ..ServiceSync::new(&namespace, &name, Outcome::Unchanged) };
    let mut writes = Writes::default();
    let object = format!("endpoints {namespace}/{name}");
    let api: Api<Endpoints> = Api::namespaced(client.clone(), &namespace);
    let desired = desired_endpoints(service, config, &computed.subsets);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let live = match cached.filter(|_| attempts == 1) {
            Some(c) => c.endpoints.clone(),
            None => match api.get_opt(&name).await {
                Ok(l) => l,
                Err(e) => return (report.failed(error_chain(&Error::api(cluster, "get", &object, e))), writes),
            },
        };
        let plan = plan_endpoints(&desired, live.as_ref());
        if !matches!(plan, EndpointsWrite::Unchanged | EndpointsWrite::NotOwned) && !leadership.is_leader() {
            report.outcome = Outcome::Skipped;
            report.reason = Some("not the leader".into());
            return (report, writes);
        }
        let result = match plan {
            EndpointsWrite::Unchanged => break,
            EndpointsWrite::NotOwned => {
                report.outcome = Outcome::Skipped;
                report.reason = Some(format!(
                    "{object} exists without the {SERVICE_SELECTOR_ANNOTATION} annotation: not managed here"
                ));
                return (report, writes);
            }
            EndpointsWrite::Create(e) => api.create(&params(), &e).await.map(|w| (Outcome::Created, w)),
            EndpointsWrite::Update(e) => api.replace(&name, &params(), &e).await.map(|w| (Outcome::Updated, w)),
        };
        match result {
            Ok((outcome, written)) => {
                report.outcome = outcome;
                writes.endpoints = Some(written);
                break;
            }
            Err(e) if (is_status(&e, 409) || is_status(&e, 404)) && attempts < 4 => continue,
            Err(e) => return (report.failed(error_chain(&Error::api(cluster, "write", &object, e))), writes),
        }
    }
    let slices: Api<EndpointSlice> = Api::namespaced(client.clone(), &namespace);
    let legacy = match cached {
        Some(c) => c.legacy_slices.clone(),
        None => match slices.list(&ListParams::default().labels(&slice_selector(&name))).await {
            Ok(l) => l.items,
            Err(e) => {
                let e = Error::api(cluster, "list", format!("endpointslices {namespace}"), e);
                return (report.failed(error_chain(&e)), writes);
            }
        },
    };
    if legacy.is_empty() || !leadership.is_leader() {
        return (report, writes);
    }
    let mirrored = ready + not_ready == 0 || wait_for_mirror(&slices, &name).await;
    if !mirrored {
        tracing::warn!(
            "{cluster}: endpointslices {namespace}/{name}: Kubernetes has not mirrored the Endpoints within {}s; \
             removing the slices an earlier version wrote anyway (is kube-controller-manager running?)",
            MIRROR_WAIT.as_secs()
        );
    }
    for s in &legacy {
        let slice_name = s.metadata.name.clone().unwrap_or_default();
        if let Err(e) = delete_slice(&slices, s).await {
            let e = Error::api(cluster, "delete", format!("endpointslice {namespace}/{slice_name}"), e);
            return (report.failed(error_chain(&e)), writes);
        }
        writes.deleted.push(slice_name);
        report.legacy_slices_deleted += 1;
    }
    if report.outcome == Outcome::Unchanged {
        report.outcome = Outcome::Updated;
    }
    (report, writes)
}

/// How long a legacy slice is kept while Kubernetes' mirroring catches up.
const MIRROR_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Waits (up to [`MIRROR_WAIT`]) until a slice mirrored from Service `name`'s Endpoints exists,
/// so that removing the legacy slices never leaves kube-proxy without any.
async fn wait_for_mirror(api: &Api<EndpointSlice>, name: &str) -> bool {
    let deadline = tokio::time::Instant::now() + MIRROR_WAIT;
    let lp = ListParams::default().labels(&mirrored_selector(name));
    loop {
        if api.list(&lp).await.is_ok_and(|l| !l.items.is_empty()) {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

async fn delete_slice(api: &Api<EndpointSlice>, s: &EndpointSlice) -> std::result::Result<(), kube::Error> {
    let dp = DeleteParams {
        preconditions: Some(Preconditions { uid: s.metadata.uid.clone(), resource_version: None }),
        ..Default::default()
    };
    match api.delete(s.metadata.name.as_deref().unwrap_or_default(), &dp).await {
        Ok(_) => Ok(()),
        Err(e) if is_status(&e, 404) || is_status(&e, 409) => Ok(()),
        Err(e) => Err(e),
    }
}

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

/// The result of one sync of a local cluster.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// The local cluster's context.
    pub cluster: String,
    /// The remotes read, by RCC name.
    pub remotes: Vec<String>,
    /// The remotes that could not be read (their endpoints were withdrawn).
    pub problems: Vec<RemoteProblem>,
    /// One entry per federated Service, and per Service whose objects were removed.
    pub services: Vec<ServiceSync>,
}

impl SyncReport {
    /// Whether a remote could not be read or a write failed.
    pub fn failed(&self) -> bool {
        !self.problems.is_empty() || self.services.iter().any(|s| s.outcome == Outcome::Failed)
    }
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
                    let computed = compute(service, &config, &snap.local, &snap.remotes);
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

//! Writing one federated Service's Endpoints object where it differs from what is computed, and
//! removing the EndpointSlices an earlier version of this crate wrote for it (once Kubernetes has
//! mirrored the Endpoints). Conflicts are retried with fresh reads.

use k8s_openapi::api::core::v1::{Endpoints, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::Api;
use kube::api::{DeleteParams, ListParams, PostParams, Preconditions};

use super::{Outcome, ServiceSync};
use crate::Error;
use crate::federate::error_chain;
use crate::federated::SERVICE_SELECTOR_ANNOTATION;
use crate::federated::config::FederationConfig;
use crate::federated::endpoints::Computed;
use crate::federated::leader::Leadership;
use crate::federated::object::{EndpointsWrite, desired_endpoints_for, plan_endpoints};
use crate::federated::slices::{mirrored_selector, slice_selector};
use crate::names::FIELD_MANAGER;

fn params() -> PostParams {
    PostParams { field_manager: Some(FIELD_MANAGER.into()), ..Default::default() }
}

pub(super) fn is_status(e: &kube::Error, code: u16) -> bool {
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
    let desired = desired_endpoints_for(service, config, computed);
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

pub(super) async fn delete_slice(api: &Api<EndpointSlice>, s: &EndpointSlice) -> std::result::Result<(), kube::Error> {
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

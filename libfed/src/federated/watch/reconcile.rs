//! Reconciling one federated Service: computing its Endpoints from the caches, writing them
//! when they differ from what was last written, cleaning up after Services no longer federated,
//! and the Kubernetes Events and metrics that go with it.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{EndpointSubset, ObjectReference, Service};
use kube::runtime::events::{Event as KubeEvent, EventType};

use super::Controller;
use super::cache::Key;
use super::remote::Transition;
use crate::federated::MAX_ENDPOINTS_ADDRESSES;
use crate::federated::config::Federation;
use crate::federated::endpoints::{Computed, compute_capped_from};
use crate::federated::sync::{Cached, Outcome, ServiceSync, cleanup_service, write_service_cached};

/// The longest the reads and writes for one Service may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

/// What was last written for a Service; the same again needs no read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Written {
    uid: Option<String>,
    expression: String,
    /// The subsets as written (truncated to the Endpoints capacity).
    subsets: Vec<EndpointSubset>,
    /// Ready addresses, before truncation.
    ready: usize,
    /// The clusters contributing addresses (`None`: the local one).
    sources: BTreeSet<Option<String>>,
}

impl Written {
    /// What is written for `service` from `computed` (its subsets moved in, not copied: 1,000
    /// addresses on every change otherwise).
    fn of(service: &Service, expression: &str, computed: Computed) -> Self {
        Self {
            uid: service.metadata.uid.clone(),
            expression: expression.to_owned(),
            ready: computed.counts().0,
            sources: sources(&computed),
            subsets: computed.subsets,
        }
    }

    /// Whether writing `computed` for `service` would write this again.
    fn same(&self, service: &Service, expression: &str, computed: &Computed) -> bool {
        self.uid == service.metadata.uid
            && self.expression == expression
            && self.ready == computed.counts().0
            && self.subsets == computed.subsets
            && self.sources == sources(computed)
    }
}

/// The clusters contributing addresses to `computed` (`None`: the local one).
fn sources(computed: &Computed) -> BTreeSet<Option<String>> {
    computed.backing.iter().filter(|b| b.ready + b.not_ready > 0).map(|b| b.cluster.clone()).collect()
}

/// Whether a change of a Service's endpoints deserves an Event: a cluster started or stopped
/// contributing, or the Service gained its first or lost its last ready address. Pure.
pub(super) fn material(
    before: Option<(&BTreeSet<Option<String>>, usize)>,
    after: (&BTreeSet<Option<String>>, usize),
) -> bool {
    match before {
        None => true,
        Some((sources, ready)) => sources != after.0 || (ready == 0) != (after.1 == 0),
    }
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Created => "created",
        Outcome::Updated => "updated",
        Outcome::Unchanged => "unchanged",
        Outcome::Deleted => "deleted",
        Outcome::Skipped => "skipped",
        Outcome::Failed => "failed",
    }
}

impl Controller {
    /// Reconciles the Services whose batch or retry is due.
    pub(super) async fn reconcile_due(&mut self) {
        let now = Instant::now();
        for k in self.retries.due(now) {
            let d = self.dirty.entry(k).or_insert(super::Dirty { force: true, since: now });
            d.force = true;
        }
        let debounce = self.options.debounce;
        let due: Vec<Key> =
            self.dirty.iter().filter(|(_, d)| d.since + debounce <= now).map(|(k, _)| k.clone()).collect();
        for k in due {
            let Some(d) = self.dirty.remove(&k) else { continue };
            let result = self.reconcile(&k, d.force).await;
            let context = self.cluster.context.clone();
            if let (Some(t), Some(r)) = (&self.options.telemetry, &result) {
                t.reconciled(&context, outcome_word(r.outcome));
                if matches!(r.outcome, Outcome::Created | Outcome::Updated) {
                    t.propagated(d.since.elapsed());
                }
            }
            match result {
                Some(r) if r.outcome == Outcome::Failed => {
                    let (attempt, delay) = self.retries.failed(&k, Instant::now());
                    tracing::warn!(
                        "{context}: {}/{}: {} (retry {attempt} in {}s)",
                        k.0,
                        k.1,
                        r.reason.as_deref().unwrap_or("failed"),
                        delay.as_secs()
                    );
                }
                other => {
                    self.retries.done(&k);
                    if let Some(r) = other.filter(|r| !matches!(r.outcome, Outcome::Unchanged)) {
                        log_outcome(&context, &r);
                    }
                }
            }
        }
    }

    async fn reconcile(&mut self, k: &Key, force: bool) -> Option<ServiceSync> {
        let client = self.cluster.client.clone();
        let context = self.cluster.context.clone();
        let service = self.local.objects.service(&k.0, &k.1);
        match (service, self.federations.get(k)) {
            (Some(service), Some(Federation::Federated(config))) => {
                let service = service.clone();
                let config = config.clone();
                self.known.insert(k.clone());
                let visible =
                    self.remotes.iter().filter(|(_, r)| r.counts()).map(|(n, r)| (n.as_str(), &r.cache.objects));
                let computed =
                    compute_capped_from(&service, &config, &self.local.objects, visible, MAX_ENDPOINTS_ADDRESSES);
                let before = self.written.get(k);
                if !force && before.is_some_and(|w| w.same(&service, &config.expression, &computed)) {
                    return None;
                }
                let before = before.map(|w| (w.sources.clone(), w.ready));
                // Planned against the watch caches; a stale cache costs a conflict and a fresh read.
                let cached = self.legacy.synced.then(|| Cached {
                    endpoints: self.local.objects.endpoints(&k.0, &k.1).cloned(),
                    legacy_slices: self.legacy.of(k),
                });
                // The clients have no read timeout (they watch), so a hung API server is bounded here.
                let write = write_service_cached(
                    &client,
                    &context,
                    &service,
                    &config,
                    &computed,
                    &self.leadership,
                    cached.as_ref(),
                );
                let r = match tokio::time::timeout(WRITE_TIMEOUT, write).await {
                    Ok((r, writes)) => {
                        if let Some(e) = writes.endpoints {
                            self.local.objects.apply_endpoints(e);
                        }
                        self.legacy.forget(k, &writes.deleted);
                        r
                    }
                    Err(_) => ServiceSync::timed_out(&k.0, &k.1, WRITE_TIMEOUT),
                };
                if matches!(r.outcome, Outcome::Created | Outcome::Updated | Outcome::Unchanged) {
                    if let Some(t) = &self.options.telemetry {
                        t.service_endpoints(&context, &k.0, &k.1, Some(computed.counts()));
                    }
                    let written = Written::of(&service, &config.expression, computed);
                    let after = (&written.sources, written.ready);
                    if matches!(r.outcome, Outcome::Created | Outcome::Updated)
                        && material(before.as_ref().map(|(s, n)| (s, *n)), after)
                    {
                        let note = format!(
                            "{} ready, {} not ready, from {}",
                            r.ready,
                            r.not_ready,
                            describe_sources(&written.sources)
                        );
                        self.publish(&service, EventType::Normal, "EndpointsUpdated", "Update", note);
                    }
                    self.written.insert(k.clone(), written);
                } else {
                    self.written.remove(k);
                }
                Some(r)
            }
            (_, federation) => {
                if let Some(Federation::Invalid(why)) = federation
                    && (self.known.contains(k) || force)
                {
                    tracing::warn!("{context}: service {}/{}: {why}", k.0, k.1);
                }
                self.written.remove(k);
                if !self.known.contains(k) && !force {
                    return None;
                }
                if let Some(t) = &self.options.telemetry {
                    t.service_endpoints(&context, &k.0, &k.1, None);
                }
                let cleanup = cleanup_service(&client, &context, &k.0, &k.1, &self.leadership);
                let r = tokio::time::timeout(WRITE_TIMEOUT, cleanup)
                    .await
                    .unwrap_or_else(|_| Some(ServiceSync::timed_out(&k.0, &k.1, WRITE_TIMEOUT)));
                if r.as_ref().is_none_or(|r| r.outcome == Outcome::Deleted) {
                    self.known.remove(k);
                }
                r
            }
        }
    }

    /// Tells every federated Service with endpoints from `remote` what happened to it.
    pub(super) fn remote_event(&self, remote: &str, transition: Transition) {
        let grace = self.options.remote_grace_period.as_secs();
        let (kind, reason, note) = match transition {
            Transition::Failing => (
                EventType::Warning,
                "RemoteClusterUnreachable",
                format!("remote cluster {remote} is unreachable; its endpoints are kept for {grace}s"),
            ),
            Transition::Withdrawn => (
                EventType::Warning,
                "RemoteEndpointsWithdrawn",
                format!("remote cluster {remote} unreachable for {grace}s; its endpoints are withdrawn"),
            ),
            Transition::Recovered { .. } => {
                (EventType::Normal, "RemoteClusterReachable", format!("remote cluster {remote} is reachable again"))
            }
            Transition::None | Transition::Joined => return,
        };
        let source = Some(remote.to_owned());
        for (k, w) in &self.written {
            if !w.sources.contains(&source) {
                continue;
            }
            if let Some(service) = self.local.objects.service(&k.0, &k.1) {
                self.publish(service, kind, reason, "Watch", note.clone());
            }
        }
    }

    /// Publishes an Event about a federated Service, in the background (only the leader does).
    fn publish(&self, service: &Service, type_: EventType, reason: &str, action: &str, note: String) {
        let Some(recorder) = self.recorder.clone() else { return };
        if !self.leadership.is_leader() {
            return;
        }
        let reference = ObjectReference {
            api_version: Some("v1".into()),
            kind: Some("Service".into()),
            name: service.metadata.name.clone(),
            namespace: service.metadata.namespace.clone(),
            uid: service.metadata.uid.clone(),
            ..Default::default()
        };
        let event =
            KubeEvent { type_, reason: reason.into(), note: Some(note), action: action.into(), secondary: None };
        let context = self.cluster.context.clone();
        tokio::spawn(async move {
            if let Err(e) = recorder.publish(&event, &reference).await {
                tracing::debug!("{context}: publishing an event: {}", crate::federate::error_chain(&e));
            }
        });
    }
}

fn describe_sources(sources: &BTreeSet<Option<String>>) -> String {
    if sources.is_empty() {
        return "no cluster".into();
    }
    let names: Vec<String> = sources.iter().map(|s| s.clone().unwrap_or_else(|| "the local cluster".into())).collect();
    names.join(", ")
}

fn log_outcome(context: &str, r: &ServiceSync) {
    let what = match r.outcome {
        Outcome::Created => "endpoints created",
        Outcome::Updated => "endpoints updated",
        Outcome::Deleted => "objects of a no longer federated service deleted",
        Outcome::Skipped => {
            tracing::debug!(
                "{context}: {}/{}: skipped: {}",
                r.namespace,
                r.name,
                r.reason.as_deref().unwrap_or_default()
            );
            return;
        }
        Outcome::Unchanged | Outcome::Failed => return,
    };
    let reason = r.reason.as_deref().map(|x| format!(": {x}")).unwrap_or_default();
    let legacy = if r.legacy_slices_deleted > 0 {
        format!(", {} slices of an earlier version removed", r.legacy_slices_deleted)
    } else {
        String::new()
    };
    tracing::info!(
        "{context}: {}/{}: {what} ({} ready, {} not ready{legacy}){reason}",
        r.namespace,
        r.name,
        r.ready,
        r.not_ready
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_marks_a_cluster_joining_or_leaving_or_the_first_or_last_ready_address() {
        let a: BTreeSet<Option<String>> = [None, Some("b".to_owned())].into();
        let only_local: BTreeSet<Option<String>> = [None].into();
        assert!(material(None, (&a, 3)), "the first write");
        assert!(!material(Some((&a, 3)), (&a, 4)), "one more pod somewhere");
        assert!(material(Some((&a, 3)), (&only_local, 2)), "cluster b left");
        assert!(material(Some((&only_local, 2)), (&a, 3)), "cluster b joined");
        assert!(material(Some((&a, 1)), (&a, 0)), "the last ready address went");
        assert!(material(Some((&a, 0)), (&a, 1)), "the first ready address came");
    }
}

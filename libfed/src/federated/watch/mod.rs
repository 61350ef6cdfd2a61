//! The long-running federated-services controller (`svc sync` without `--once`): watches the
//! local cluster's Services and Endpoints (and the EndpointSlices earlier versions wrote), and
//! every remote's Services and Endpoints (through the RCC Secrets, re-read periodically), and
//! rewrites a federated Service's Endpoints when what they should hold changes. Kubernetes'
//! EndpointSlice mirroring makes the slices (see [`super::slices`]).
//!
//! One concept per module:
//! - `options`: the controller's timeouts and periods ([`WatchOptions`]);
//! - `restart`: a watch kept running, restarted from a full list after any error;
//! - `cache`: what the watches delivered, and each local Service's parsed federation;
//! - `remote`: remote lifecycle, with Calico Enterprise's grace period for failing remotes;
//! - `remote_watches`: each remote's watches started, restarted and dropped, and their events;
//! - `dirty`: the Services waiting to be reconciled, and when work is next due;
//! - `retry`: failed writes tried again with backoff;
//! - `reconcile`: computing and writing one Service, the events and metrics it causes.
//!
//! This module holds the controller's loop and the local cluster's events.
//!
//! Changes are handled as soon as the pending watch events are drained (a burst is one batch); a
//! federated Service is recomputed only when something in its namespace changed, and written
//! only when the result differs from what was last written or its own objects changed (a user
//! edit is put right). Every `resync` period each federated Service is checked against the
//! cluster anyway. Writes happen only while [`Leadership::is_leader`]; a replica that becomes
//! leader checks every Service at once.

mod cache;
mod dirty;
mod options;
mod reconcile;
mod remote;
mod remote_watches;
mod restart;
mod retry;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Endpoints, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::Api;
use kube::runtime::events::Recorder;
use kube::runtime::watcher;
use tokio::sync::{mpsc, watch};

pub use self::options::WatchOptions;

use self::cache::{Change, Federations, Key, KindObject, LegacySlices, Objects};
use self::dirty::Dirty;
use self::reconcile::Written;
use self::remote::Remote;
use self::restart::{Item, spawn_watch};
use self::retry::Retries;
use super::SERVICE_SELECTOR_ANNOTATION;
use super::leader::Leadership;
use super::slices::managed_selector;
use crate::Result;
use crate::cluster::Cluster;

/// The most watch events handled before the Services they touched are reconciled.
const BATCH: usize = 4096;

// Each message is moved once, from a watch task to the controller; boxing would only add an
// allocation per event.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Msg {
    Services(Option<String>, u64, Item<Service>),
    Endpoints(Option<String>, u64, Item<Endpoints>),
    Slices(Item<EndpointSlice>),
}

struct Controller {
    cluster: Cluster,
    options: WatchOptions,
    leadership: Leadership,
    tx: mpsc::UnboundedSender<Msg>,
    local: Objects,
    federations: Federations,
    legacy: LegacySlices,
    remotes: BTreeMap<String, Remote>,
    next_generation: u64,
    /// Services whose objects may be ours: federated ones, and those with annotated Endpoints or
    /// legacy slices.
    known: BTreeSet<Key>,
    written: HashMap<Key, Written>,
    dirty: BTreeMap<Key, Dirty>,
    retries: Retries,
    recorder: Option<Recorder>,
}

/// Runs the controller for `local` until `stop` turns true.
///
/// # Errors
/// Only if the controller cannot start; afterwards every failure is logged and retried.
pub async fn run(
    local: Cluster,
    options: WatchOptions,
    leadership: Leadership,
    mut stop: watch::Receiver<bool>,
) -> Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let recorder = options.events.clone().map(|r| Recorder::new(local.client.clone(), r));
    let mut c = Controller {
        cluster: local,
        options,
        leadership,
        tx,
        local: Objects::default(),
        federations: Federations::default(),
        legacy: LegacySlices::default(),
        remotes: BTreeMap::new(),
        next_generation: 1,
        known: BTreeSet::new(),
        written: HashMap::new(),
        dirty: BTreeMap::new(),
        retries: Retries::default(),
        recorder,
    };
    let local_tasks = c.start_local();
    c.refresh_remotes().await;
    let started = Instant::now();
    let mut ready = false;
    let mut leading = c.leadership.is_leader();
    let mut refresh = tokio::time::interval(c.options.remotes_refresh);
    let mut resync = tokio::time::interval(c.options.resync);
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    refresh.reset();
    resync.reset();
    loop {
        let due = c.next_due(ready);
        let sleep_until =
            due.map_or_else(|| tokio::time::Instant::now() + Duration::from_secs(3600), tokio::time::Instant::from_std);
        tokio::select! {
            biased;
            _ = stop.wait_for(|s| *s) => break,
            () = tokio::time::sleep_until(sleep_until) => {
                c.expire_remotes(Instant::now());
                if ready {
                    c.reconcile_due().await;
                }
            }
            Some(msg) = rx.recv() => {
                c.handle(msg);
                // Drain what is pending, so that a burst is reconciled once.
                let mut n = 1;
                while n < BATCH {
                    let Ok(msg) = rx.try_recv() else { break };
                    c.handle(msg);
                    n += 1;
                }
            }
            _ = refresh.tick() => c.refresh_remotes().await,
            _ = resync.tick() => c.mark_all(true),
            _ = tick.tick() => {
                if let Some(t) = &c.options.telemetry {
                    t.beat();
                }
                let now_leading = c.leadership.is_leader();
                if now_leading && !leading {
                    c.mark_all(true);
                }
                leading = now_leading;
            }
        }
        if !ready && c.settled(started) {
            ready = true;
            let remotes: Vec<&str> = c.remotes.iter().filter(|(_, r)| r.counts()).map(|(n, _)| n.as_str()).collect();
            tracing::info!(
                "{}: in sync with the local cluster and remotes [{}]",
                c.cluster.context,
                remotes.join(", ")
            );
            c.seed_known();
            c.mark_all(true);
            if let Some(t) = &c.options.telemetry {
                t.cluster_ready();
            }
        }
    }
    for t in local_tasks {
        t.abort();
    }
    Ok(())
}

impl Controller {
    fn start_local(&mut self) -> Vec<tokio::task::AbortHandle> {
        let client = self.cluster.client.clone();
        let wc = watcher::Config::default().timeout(self.options.watch_timeout);
        let tx = self.tx.clone();
        vec![
            spawn_watch(Api::<Service>::all(client.clone()), wc.clone(), tx.clone(), |i| Msg::Services(None, 0, i)),
            spawn_watch(Api::<Endpoints>::all(client.clone()), wc.clone(), tx.clone(), |i| Msg::Endpoints(None, 0, i)),
            spawn_watch(Api::<EndpointSlice>::all(client), wc.labels(&managed_selector()), tx, Msg::Slices),
        ]
    }

    fn handle(&mut self, msg: Msg) {
        match msg {
            Msg::Services(None, _, item) => self.handle_local(item, true),
            Msg::Endpoints(None, _, item) => self.handle_local(item, false),
            Msg::Services(Some(r), generation, item) => self.handle_remote(r, generation, item),
            Msg::Endpoints(Some(r), generation, item) => self.handle_remote(r, generation, item),
            Msg::Slices(item) => {
                let synced = self.legacy.synced;
                for owner in self.legacy.apply(item) {
                    if synced || self.legacy.synced {
                        self.known.insert(owner.clone());
                        self.mark(owner, true);
                    }
                }
            }
        }
    }

    fn handle_local<K: KindObject>(&mut self, item: Item<K>, services: bool) {
        let context = self.cluster.context.clone();
        match self.local.apply(item) {
            Change::None => {}
            Change::Relisted => {
                if services {
                    self.federations.rebuild(&self.local.objects);
                }
                self.mark_all(false);
            }
            Change::Failed { message, gone } => {
                if !gone {
                    tracing::warn!("{context}: watch failed: {message}");
                }
            }
            Change::Objects(keys) => {
                for (ns, name) in keys {
                    let k = (ns.clone(), name);
                    if services {
                        // It may have started or stopped being federated.
                        self.federations.update(&k, self.local.objects.service(&k.0, &k.1));
                        self.mark(k, false);
                    } else if self.known.contains(&k) {
                        // A federated Service's own Endpoints: a user edit is put right.
                        self.mark(k, true);
                    }
                    self.mark_namespace(&ns);
                }
            }
        }
    }

    fn settled(&self, started: Instant) -> bool {
        let local = self.local.in_sync() && self.legacy.synced;
        let remotes = self.remotes.values().all(|s| s.settled) || started.elapsed() >= self.options.startup_timeout;
        local && remotes
    }

    /// Every Service with annotated Endpoints or legacy slices may have objects to clean up.
    fn seed_known(&mut self) {
        for (ns, objects) in self.local.objects.namespaces() {
            for (name, e) in &objects.endpoints {
                if e.metadata.annotations.as_ref().is_some_and(|a| a.contains_key(SERVICE_SELECTOR_ANNOTATION)) {
                    self.known.insert((ns.to_owned(), name.clone()));
                }
            }
        }
        self.known.extend(self.legacy.by_service.keys().cloned());
    }
}

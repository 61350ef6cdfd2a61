//! The long-running federated-services controller (`svc sync` without `--once`): watches the
//! local cluster's Services and Endpoints (and the EndpointSlices earlier versions wrote), and
//! every remote's Services and Endpoints (through the RCC Secrets, re-read periodically), and
//! rewrites a federated Service's Endpoints when what they should hold changes. Kubernetes'
//! EndpointSlice mirroring makes the slices (see [`super::slices`]).
//!
//! One concept per module:
//! - `restart`: a watch kept running, restarted from a full list after any error;
//! - `cache`: what the watches delivered, and each local Service's parsed federation;
//! - `remote`: remote lifecycle, with Calico Enterprise's grace period for failing remotes;
//! - `retry`: failed writes tried again with backoff;
//! - `reconcile`: computing and writing one Service, the events and metrics it causes.
//!
//! Changes are handled as soon as the pending watch events are drained (a burst is one batch); a
//! federated Service is recomputed only when something in its namespace changed, and written
//! only when the result differs from what was last written or its own objects changed (a user
//! edit is put right). Every `resync` period each federated Service is checked against the
//! cluster anyway. Writes happen only while [`Leadership::is_leader`]; a replica that becomes
//! leader checks every Service at once.

mod cache;
mod reconcile;
mod remote;
mod restart;
mod retry;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant, SystemTime};

use k8s_openapi::api::core::v1::{Endpoints, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::Api;
use kube::runtime::events::Recorder;
use kube::runtime::watcher;
use tokio::sync::{mpsc, watch};

use self::cache::{Change, Federations, Key, KindObject, LegacySlices, Objects};
use self::reconcile::Written;
use self::remote::{Remote, Transition};
use self::restart::{Item, spawn_watch};
use self::retry::Retries;
use super::SERVICE_SELECTOR_ANNOTATION;
use super::leader::Leadership;
use super::slices::managed_selector;
use super::telemetry::Telemetry;
use crate::Result;
use crate::cluster::Cluster;
use crate::remotes::{ClientTimeouts, remote_clients_with};

/// Options of the controller.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Connect timeout of remote clients (their read timeout is `watch_timeout` plus 5s).
    pub connect_timeout: Option<Duration>,
    /// How long changes are collected before recomputing (0: as soon as the pending watch
    /// events are drained).
    pub debounce: Duration,
    /// How often every federated Service is checked against the cluster regardless.
    pub resync: Duration,
    /// How often the RCCs and their Secrets are re-read for added, removed or changed remotes.
    pub remotes_refresh: Duration,
    /// How long to wait at start for remotes' first lists before writing without them.
    pub startup_timeout: Duration,
    /// Server-side timeout of each watch call (a silently dead connection is noticed after this
    /// plus 5s).
    pub watch_timeout: u32,
    /// How long a remote whose watches fail keeps its endpoints (Calico Enterprise: 60s).
    pub remote_grace_period: Duration,
    /// Metrics and health, if served.
    pub telemetry: Option<Telemetry>,
    /// Who publishes Kubernetes Events (`None`: none are published).
    pub events: Option<kube::runtime::events::Reporter>,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            debounce: Duration::ZERO,
            resync: Duration::from_secs(300),
            remotes_refresh: Duration::from_secs(30),
            startup_timeout: Duration::from_secs(30),
            watch_timeout: 60,
            remote_grace_period: Duration::from_secs(60),
            telemetry: None,
            events: None,
        }
    }
}

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

/// A Service to look at: whether its own objects must be re-read, and since when it waits.
#[derive(Debug, Clone, Copy)]
struct Dirty {
    force: bool,
    since: Instant,
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

    /// Re-reads the RCCs and Secrets; starts, restarts or drops remote watches accordingly.
    async fn refresh_remotes(&mut self) {
        let context = self.cluster.context.clone();
        // A watch call ends by itself after `watch_timeout` (server side); a socket silent for 5s
        // longer belongs to a hung or gone server, and fails the watch (then the grace period).
        let read = Duration::from_secs(u64::from(self.options.watch_timeout) + 5);
        let timeouts = ClientTimeouts { connect: self.options.connect_timeout, read: Some(read) };
        let clients = match remote_clients_with(&self.cluster, timeouts).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("{context}: cannot read remote clusters: {}", crate::federate::error_chain(&e));
                return;
            }
        };
        let names: BTreeSet<String> = clients.iter().map(|c| c.name.clone()).collect();
        let gone: Vec<String> = self.remotes.keys().filter(|n| !names.contains(*n)).cloned().collect();
        for name in gone {
            tracing::info!("{context}: remote {name} removed (its RemoteClusterConfiguration is gone)");
            self.remotes.remove(&name);
            if let Some(t) = &self.options.telemetry {
                t.remote_removed(&context, &name);
            }
            self.mark_all(false);
        }
        for rc in clients {
            let current = self.remotes.get(&rc.name);
            // Same RCC and Secret, and the client was (not) built before as now: the running
            // watches retry by themselves.
            if current.is_some_and(|s| s.version == rc.version && s.tasks.is_empty() == rc.result.is_err()) {
                continue;
            }
            let generation = self.next_generation;
            self.next_generation += 1;
            // A new connection starts from what the old one listed, so that a rotated Secret
            // does not withdraw anything while the new watches list.
            let mut side = self.remotes.remove(&rc.name).unwrap_or_default();
            side.stop();
            side.cache.services.synced = false;
            side.cache.endpoints.synced = false;
            side.version = rc.version.clone();
            side.generation = generation;
            match rc.result {
                Ok(client) => {
                    let wc = watcher::Config::default().timeout(self.options.watch_timeout);
                    let (tx, n1, n2) = (self.tx.clone(), rc.name.clone(), rc.name.clone());
                    side.tasks.push(spawn_watch(
                        Api::<Service>::all(client.clone()),
                        wc.clone(),
                        tx.clone(),
                        move |i| Msg::Services(Some(n1.clone()), generation, i),
                    ));
                    side.tasks.push(spawn_watch(Api::<Endpoints>::all(client), wc, tx, move |i| {
                        Msg::Endpoints(Some(n2.clone()), generation, i)
                    }));
                    side.error = None;
                }
                Err(message) => {
                    tracing::warn!("{context}: remote {}: {message}; its endpoints are not used", rc.name);
                    let withdrawn = side.reach.withdraw(Instant::now()) == Transition::Withdrawn;
                    side.error = Some(message);
                    side.settled = true;
                    if withdrawn {
                        self.mark_all(false);
                    }
                }
            }
            self.remotes.insert(rc.name.clone(), side);
            self.report_remote(&rc.name);
        }
    }

    fn report_remote(&self, name: &str) {
        let (Some(t), Some(r)) = (&self.options.telemetry, self.remotes.get(name)) else { return };
        let status = match r.state() {
            "config-incomplete" => 5,
            "withdrawn" => 0,
            "failing" => 3,
            "in-sync" => 2,
            _ => 1,
        };
        t.remote_state(&self.cluster.context, name, status);
        if let Some(at) = r.last_sync {
            t.remote_synced(&self.cluster.context, name, at);
        }
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

    fn handle_remote<K: KindObject>(&mut self, name: String, generation: u64, item: Item<K>) {
        let context = self.cluster.context.clone();
        let grace = self.options.remote_grace_period;
        let Some(remote) = self.remotes.get_mut(&name).filter(|r| r.generation == generation) else { return };
        let change = remote.cache.apply(item);
        let transition = match &change {
            Change::Relisted if remote.cache.in_sync() => {
                remote.settled = true;
                remote.error = None;
                remote.last_sync = Some(SystemTime::now());
                remote.reach.in_sync()
            }
            Change::Failed { message, gone: false } => {
                remote.settled = true;
                let t = remote.reach.failed(Instant::now());
                if remote.error.as_deref() != Some(message.as_str()) {
                    if t == Transition::Failing {
                        tracing::warn!(
                            "{context}: remote {name} unreachable, its endpoints are kept for {}s: {message}",
                            grace.as_secs()
                        );
                    } else {
                        tracing::debug!("{context}: remote {name}: {message}");
                    }
                }
                remote.error = Some(message.clone());
                if let Some(tel) = &self.options.telemetry {
                    tel.error(&context, "remote");
                }
                t
            }
            _ => Transition::None,
        };
        let counts = remote.counts();
        self.report_remote(&name);
        match transition {
            Transition::Joined => {
                tracing::info!("{context}: remote {name} in sync; its endpoints are included");
                self.mark_all(false);
                return;
            }
            Transition::Recovered { was_withdrawn } => {
                let what = if was_withdrawn { "its endpoints are restored" } else { "its endpoints were kept" };
                tracing::info!("{context}: remote {name} in sync again; {what}");
                self.remote_event(&name, transition);
                self.mark_all(false);
                return;
            }
            Transition::Failing => self.remote_event(&name, transition),
            _ => {}
        }
        if !counts {
            return;
        }
        match change {
            Change::Relisted => self.mark_all(false),
            Change::Objects(keys) => {
                for (ns, _) in keys {
                    self.mark_namespace(&ns);
                }
            }
            Change::None | Change::Failed { .. } => {}
        }
    }

    /// Withdraws the endpoints of remotes unreachable for the grace period.
    fn expire_remotes(&mut self, now: Instant) {
        let grace = self.options.remote_grace_period;
        let mut expired = Vec::new();
        for (name, r) in &mut self.remotes {
            if r.reach.expire(now, grace) == Transition::Withdrawn {
                tracing::warn!(
                    "{}: remote {name} unreachable for {}s, its endpoints are withdrawn: {}",
                    self.cluster.context,
                    grace.as_secs(),
                    r.error.as_deref().unwrap_or("no answer")
                );
                expired.push(name.clone());
            }
        }
        for name in expired {
            self.report_remote(&name);
            self.remote_event(&name, Transition::Withdrawn);
            self.mark_all(false);
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

    fn mark(&mut self, key: Key, force: bool) {
        let now = Instant::now();
        let d = self.dirty.entry(key).or_insert(Dirty { force: false, since: now });
        d.force |= force;
    }

    fn mark_namespace(&mut self, namespace: &str) {
        let keys: Vec<Key> = self.federations.federated_in(namespace).cloned().collect();
        for k in keys {
            self.mark(k, false);
        }
    }

    fn mark_all(&mut self, force: bool) {
        let keys: Vec<Key> = self.known.iter().chain(self.federations.federated()).cloned().collect();
        for k in keys {
            self.mark(k, force);
        }
    }

    /// When something is next due: a batch of changes, a retry, or a grace period running out.
    fn next_due(&self, ready: bool) -> Option<Instant> {
        let grace = self.options.remote_grace_period;
        let expiry = self.remotes.values().filter_map(|r| r.reach.deadline(grace)).min();
        let work = if ready {
            let debounced = self.dirty.values().map(|d| d.since).min().map(|t| t + self.options.debounce);
            [debounced, self.retries.next()].into_iter().flatten().min()
        } else {
            None
        };
        [expiry, work].into_iter().flatten().min()
    }
}

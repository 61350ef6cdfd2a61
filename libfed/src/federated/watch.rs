//! The long-running federated-services controller (`svc sync` without `--once`): watches the
//! local cluster's Services, Endpoints and managed EndpointSlices, and every remote's Services and
//! Endpoints (through the RCC Secrets, re-read periodically), and rewrites a federated Service's
//! objects when what they should hold changes.
//!
//! - A remote whose watch fails (API server gone, credential revoked) has its endpoints withdrawn
//!   at once, as Calico does; its watches restart with backoff and a full re-list, and its
//!   endpoints come back when the re-list completes.
//! - Changes are batched for a short debounce; a federated Service is recomputed only when
//!   something in its namespace changed, and written only when the result differs from what was
//!   last written or its own objects changed (a user edit is put right).
//! - Every `resync` period each federated Service is checked against the cluster anyway.
//! - Writes happen only while [`Leadership::is_leader`]; a replica that becomes leader checks
//!   every Service at once.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::{EndpointSubset, Endpoints, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::runtime::watcher::{self, Event};
use kube::{Api, Resource};
use serde::de::DeserializeOwned;
use tokio::sync::{mpsc, watch};
use tokio::task::AbortHandle;

use super::config::{Federation, federation};
use super::endpoints::{ClusterObjects, compute_from};
use super::leader::Leadership;
use super::slices::managed_selector;
use super::sync::{Cached, Outcome, ServiceSync, Writes, cleanup_service, write_service_cached};
use super::{SERVICE_NAME_LABEL, SERVICE_SELECTOR_ANNOTATION};
use crate::Result;
use crate::cluster::Cluster;
use crate::remotes::{ClientTimeouts, remote_clients_with};

/// Options of the controller.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Connect timeout of remote clients (their reads are unbounded: they watch).
    pub connect_timeout: Option<Duration>,
    /// How long changes are collected before recomputing.
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
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            debounce: Duration::from_millis(50),
            resync: Duration::from_secs(300),
            remotes_refresh: Duration::from_secs(30),
            startup_timeout: Duration::from_secs(30),
            watch_timeout: 60,
        }
    }
}

type Key = (String, String);

/// The longest the reads and writes for one Service may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

/// What one watch reports.
#[derive(Debug)]
enum Item<K> {
    Event(Event<K>),
    Error { message: String, gone: bool },
}

// Each message is moved once, from a watch task to the controller; boxing would only add an
// allocation per event.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Msg {
    Services(Option<String>, u64, Item<Service>),
    Endpoints(Option<String>, u64, Item<Endpoints>),
    Slices(Item<EndpointSlice>),
}

/// Runs one watch forever, restarting it from a full list after any error (so that a remote
/// coming back is always re-listed), with backoff.
fn spawn_watch<K>(
    api: Api<K>,
    config: watcher::Config,
    tx: mpsc::UnboundedSender<Msg>,
    wrap: impl Fn(Item<K>) -> Msg + Send + 'static,
) -> AbortHandle
where
    K: Resource + Clone + DeserializeOwned + Debug + Send + 'static,
    K::DynamicType: Default + Clone + Eq + std::hash::Hash,
{
    tokio::spawn(async move {
        let mut delay = Duration::from_millis(500);
        loop {
            let mut stream = std::pin::pin!(watcher::watcher(api.clone(), config.clone()));
            while let Some(item) = stream.next().await {
                let msg = match item {
                    Ok(event) => {
                        if matches!(event, Event::InitDone) {
                            delay = Duration::from_millis(500);
                        }
                        wrap(Item::Event(event))
                    }
                    Err(e) => {
                        let gone = matches!(&e, watcher::Error::WatchError(s) if s.code == 410);
                        let message = crate::federate::error_chain(&e);
                        if tx.send(wrap(Item::Error { message, gone })).is_err() {
                            return;
                        }
                        break;
                    }
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(10));
        }
    })
    .abort_handle()
}

#[derive(Debug)]
struct KindState<K> {
    synced: bool,
    buffer: Option<Vec<K>>,
}

impl<K> Default for KindState<K> {
    fn default() -> Self {
        Self { synced: false, buffer: None }
    }
}

/// One cluster's watched objects.
#[derive(Debug, Default)]
struct Side {
    objects: ClusterObjects,
    services: KindState<Service>,
    endpoints: KindState<Endpoints>,
    generation: u64,
    version: String,
    tasks: Vec<AbortHandle>,
    /// Why the remote is not in sync, if it is not.
    error: Option<String>,
    /// Whether a first list or a first error was seen (start-up waits for that).
    settled: bool,
}

impl Side {
    fn in_sync(&self) -> bool {
        self.services.synced && self.endpoints.synced
    }

    fn stop(&mut self) {
        for t in self.tasks.drain(..) {
            t.abort();
        }
    }
}

impl Drop for Side {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The key of an object's metadata.
fn key(meta: &kube::api::ObjectMeta) -> Option<Key> {
    Some((meta.namespace.clone()?, meta.name.clone()?))
}

/// What was last written for a Service; the same again needs no read.
#[derive(Debug, Clone, PartialEq)]
struct Written {
    uid: Option<String>,
    expression: String,
    subsets: Vec<EndpointSubset>,
}

struct Controller {
    cluster: Cluster,
    options: WatchOptions,
    leadership: Leadership,
    tx: mpsc::UnboundedSender<Msg>,
    local: Side,
    slices_synced: bool,
    /// Managed slices by Service, then by slice name: the live state slices are planned against.
    slices: BTreeMap<Key, BTreeMap<String, EndpointSlice>>,
    slice_buffer: Option<Vec<EndpointSlice>>,
    remotes: BTreeMap<String, Side>,
    next_generation: u64,
    /// Services whose objects may be ours: federated ones, and those with annotated Endpoints or
    /// managed slices.
    known: BTreeSet<Key>,
    written: HashMap<Key, Written>,
    /// Services to look at, and whether their own objects must be re-read.
    dirty: BTreeMap<Key, bool>,
    dirty_since: Option<Instant>,
    retries: BTreeMap<Key, (Instant, u32)>,
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
    let mut c = Controller {
        cluster: local,
        options,
        leadership,
        tx,
        local: Side::default(),
        slices_synced: false,
        slices: BTreeMap::new(),
        slice_buffer: None,
        remotes: BTreeMap::new(),
        next_generation: 1,
        known: BTreeSet::new(),
        written: HashMap::new(),
        dirty: BTreeMap::new(),
        dirty_since: None,
        retries: BTreeMap::new(),
    };
    c.start_local();
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
        let due = if ready { c.next_due() } else { None };
        let sleep_until =
            due.map_or_else(|| tokio::time::Instant::now() + Duration::from_secs(3600), tokio::time::Instant::from_std);
        tokio::select! {
            _ = stop.wait_for(|s| *s) => break,
            Some(msg) = rx.recv() => c.handle(msg),
            _ = refresh.tick() => c.refresh_remotes().await,
            _ = resync.tick() => c.mark_all(true),
            _ = tick.tick() => {
                let now_leading = c.leadership.is_leader();
                if now_leading && !leading {
                    c.mark_all(true);
                }
                leading = now_leading;
            }
            () = tokio::time::sleep_until(sleep_until) => c.reconcile_due().await,
        }
        if !ready && c.settled(started) {
            ready = true;
            let remotes: Vec<String> = c.remotes.iter().filter(|(_, s)| s.in_sync()).map(|(n, _)| n.clone()).collect();
            tracing::info!(
                "{}: in sync with the local cluster and remotes [{}]",
                c.cluster.context,
                remotes.join(", ")
            );
            c.seed_known();
            c.mark_all(true);
        }
    }
    Ok(())
}

impl Controller {
    fn start_local(&mut self) {
        let client = self.cluster.client.clone();
        let wc = watcher::Config::default().timeout(self.options.watch_timeout);
        let tx = self.tx.clone();
        self.local.tasks.push(spawn_watch(Api::<Service>::all(client.clone()), wc.clone(), tx.clone(), |i| {
            Msg::Services(None, 0, i)
        }));
        self.local.tasks.push(spawn_watch(Api::<Endpoints>::all(client.clone()), wc.clone(), tx.clone(), |i| {
            Msg::Endpoints(None, 0, i)
        }));
        let slices = wc.labels(&managed_selector());
        self.local.tasks.push(spawn_watch(Api::<EndpointSlice>::all(client), slices, tx, Msg::Slices));
    }

    /// Re-reads the RCCs and Secrets; starts, restarts or drops remote watches accordingly.
    async fn refresh_remotes(&mut self) {
        let timeouts = ClientTimeouts { connect: self.options.connect_timeout, read: None };
        let clients = match remote_clients_with(&self.cluster, timeouts).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(
                    "{}: cannot read remote clusters: {}",
                    self.cluster.context,
                    crate::federate::error_chain(&e)
                );
                return;
            }
        };
        let names: BTreeSet<String> = clients.iter().map(|c| c.name.clone()).collect();
        let gone: Vec<String> = self.remotes.keys().filter(|n| !names.contains(*n)).cloned().collect();
        for name in gone {
            tracing::info!("{}: remote {name} removed (its RemoteClusterConfiguration is gone)", self.cluster.context);
            self.remotes.remove(&name);
            self.mark_all(false);
        }
        for rc in clients {
            let current = self.remotes.get(&rc.name);
            // Same RCC and Secret, and the client was (not) built before as now: the running
            // watches retry by themselves.
            if current.is_some_and(|s| s.version == rc.version && s.tasks.is_empty() == rc.result.is_err()) {
                continue;
            }
            let was_in_sync = current.is_some_and(Side::in_sync);
            let generation = self.next_generation;
            self.next_generation += 1;
            let mut side = Side::default();
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
                }
                Err(message) => {
                    tracing::warn!(
                        "{}: remote {}: {message}; its endpoints are withdrawn",
                        self.cluster.context,
                        rc.name
                    );
                    side.error = Some(message);
                    side.settled = true;
                }
            }
            self.remotes.insert(rc.name, side);
            if was_in_sync {
                self.mark_all(false);
            }
        }
    }

    fn side(&mut self, remote: Option<&str>, generation: u64) -> Option<&mut Side> {
        match remote {
            None => Some(&mut self.local),
            Some(name) => self.remotes.get_mut(name).filter(|s| s.generation == generation),
        }
    }

    fn handle(&mut self, msg: Msg) {
        match msg {
            Msg::Services(remote, generation, item) => self.handle_kind(remote, generation, item, true),
            Msg::Endpoints(remote, generation, item) => self.handle_kind(remote, generation, item, false),
            Msg::Slices(item) => self.handle_slices(item),
        }
    }

    fn handle_kind<K: KindObject>(&mut self, remote: Option<String>, generation: u64, item: Item<K>, services: bool) {
        let context = self.cluster.context.clone();
        let Some(side) = self.side(remote.as_deref(), generation) else { return };
        let before = side.in_sync();
        let mut touched: Vec<Key> = Vec::new();
        match item {
            Item::Event(Event::Init) => K::state(side).buffer = Some(Vec::new()),
            Item::Event(Event::InitApply(o)) => {
                if let Some(b) = K::state(side).buffer.as_mut() {
                    b.push(o);
                }
            }
            Item::Event(Event::InitDone) => {
                let items = K::state(side).buffer.take().unwrap_or_default();
                K::replace(&mut side.objects, items);
                K::state(side).synced = true;
                side.error = None;
                if side.in_sync() {
                    side.settled = true;
                }
            }
            Item::Event(Event::Apply(o)) => {
                touched.extend(key(o.meta()));
                K::apply(&mut side.objects, o);
            }
            Item::Event(Event::Delete(o)) => {
                if let Some(k) = key(o.meta()) {
                    K::delete(&mut side.objects, &k);
                    touched.push(k);
                }
            }
            Item::Error { message, gone } => {
                if !gone {
                    K::state(side).synced = false;
                    side.settled = true;
                    if side.error.as_deref() != Some(message.as_str()) {
                        match &remote {
                            Some(r) if before => tracing::warn!(
                                "{context}: remote {r} unreachable, its endpoints are withdrawn: {message}"
                            ),
                            Some(r) => tracing::debug!("{context}: remote {r}: {message}"),
                            None => tracing::warn!("{context}: watch failed: {message}"),
                        }
                    }
                    side.error = Some(message);
                }
            }
        }
        let after = side.in_sync();
        if remote.is_some() && after != before {
            if after {
                tracing::info!(
                    "{context}: remote {} in sync; its endpoints are included",
                    remote.as_deref().unwrap_or_default()
                );
            }
            self.mark_all(false);
            return;
        }
        if !after {
            return;
        }
        if touched.is_empty() {
            // A re-list: anything may have changed.
            self.mark_all(false);
            return;
        }
        for (ns, name) in touched {
            if remote.is_none() {
                // A local Service may have started or stopped being federated; a local Endpoints
                // of a federated Service is ours to check (a user edit is put right).
                let own = self.known.contains(&(ns.clone(), name.clone()));
                if services || own {
                    self.mark((ns.clone(), name.clone()), !services);
                }
            }
            self.mark_namespace(&ns);
        }
    }

    fn handle_slices(&mut self, item: Item<EndpointSlice>) {
        match item {
            Item::Event(Event::Init) => self.slice_buffer = Some(Vec::new()),
            Item::Event(Event::InitApply(s)) => {
                if let Some(b) = self.slice_buffer.as_mut() {
                    b.push(s);
                }
            }
            Item::Event(Event::InitDone) => {
                let previous: Vec<Key> = self.slices.keys().cloned().collect();
                self.slices.clear();
                for s in self.slice_buffer.take().unwrap_or_default() {
                    self.cache_slice(s);
                }
                if self.slices_synced {
                    let owners: Vec<Key> = previous.into_iter().chain(self.slices.keys().cloned()).collect();
                    for o in owners {
                        self.mark(o, true);
                    }
                }
                self.slices_synced = true;
            }
            Item::Event(Event::Apply(s)) => {
                if let Some(o) = self.cache_slice(s)
                    && self.slices_synced
                {
                    self.mark(o, true);
                }
            }
            Item::Event(Event::Delete(s)) => {
                if let (Some(o), Some(name)) = (slice_owner(&s), s.metadata.name.as_ref()) {
                    if let Some(m) = self.slices.get_mut(&o) {
                        m.remove(name);
                    }
                    self.mark(o, true);
                }
            }
            Item::Error { message, .. } => tracing::debug!("{}: slice watch: {message}", self.cluster.context),
        }
    }

    /// Puts a slice in the cache (without managedFields); returns its Service.
    fn cache_slice(&mut self, mut s: EndpointSlice) -> Option<Key> {
        let owner = slice_owner(&s)?;
        let name = s.metadata.name.clone()?;
        s.metadata.managed_fields = None;
        self.slices.entry(owner.clone()).or_default().insert(name, s);
        Some(owner)
    }

    fn settled(&self, started: Instant) -> bool {
        let local = self.local.in_sync() && self.slices_synced;
        let remotes = self.remotes.values().all(|s| s.settled) || started.elapsed() >= self.options.startup_timeout;
        local && remotes
    }

    /// Every Service with annotated Endpoints or managed slices may have objects to clean up.
    fn seed_known(&mut self) {
        for (ns, objects) in self.local.objects.namespaces() {
            for (name, e) in &objects.endpoints {
                if e.metadata.annotations.as_ref().is_some_and(|a| a.contains_key(SERVICE_SELECTOR_ANNOTATION)) {
                    self.known.insert((ns.to_owned(), name.clone()));
                }
            }
        }
        self.known.extend(self.slices.iter().filter(|(_, m)| !m.is_empty()).map(|(k, _)| k.clone()));
    }

    fn mark(&mut self, key: Key, force: bool) {
        let f = self.dirty.entry(key).or_insert(false);
        *f |= force;
        self.dirty_since.get_or_insert_with(Instant::now);
    }

    fn mark_namespace(&mut self, namespace: &str) {
        let keys: Vec<Key> = self
            .local
            .objects
            .namespace(namespace)
            .map(|o| {
                o.services
                    .iter()
                    .filter(|(_, s)| matches!(federation(s), Federation::Federated(_)))
                    .map(|(n, _)| (namespace.to_owned(), n.clone()))
                    .collect()
            })
            .unwrap_or_default();
        for k in keys {
            self.mark(k, false);
        }
    }

    fn mark_all(&mut self, force: bool) {
        let mut keys: Vec<Key> = self.known.iter().cloned().collect();
        for (ns, objects) in self.local.objects.namespaces() {
            for (name, s) in &objects.services {
                if matches!(federation(s), Federation::Federated(_)) {
                    keys.push((ns.to_owned(), name.clone()));
                }
            }
        }
        for k in keys {
            self.mark(k, force);
        }
    }

    fn next_due(&self) -> Option<Instant> {
        let debounced = self.dirty_since.map(|t| t + self.options.debounce);
        let retry = self.retries.values().map(|(t, _)| *t).min();
        match (debounced, retry) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    async fn reconcile_due(&mut self) {
        let now = Instant::now();
        let due_retries: Vec<Key> =
            self.retries.iter().filter(|(_, (t, _))| *t <= now).map(|(k, _)| k.clone()).collect();
        let debounced = self.dirty_since.is_some_and(|t| t + self.options.debounce <= now);
        if !debounced && due_retries.is_empty() {
            return;
        }
        for k in due_retries {
            self.dirty.insert(k, true);
        }
        let batch = std::mem::take(&mut self.dirty);
        self.dirty_since = None;
        for (k, force) in batch {
            let result = self.reconcile(&k, force).await;
            match result {
                Some(r) if r.outcome == Outcome::Failed => {
                    let attempt = self.retries.get(&k).map_or(0, |(_, n)| *n) + 1;
                    let delay = Duration::from_secs(1 << attempt.min(5)).min(Duration::from_secs(30));
                    tracing::warn!(
                        "{}: {}/{}: {} (retry {attempt} in {}s)",
                        self.cluster.context,
                        k.0,
                        k.1,
                        r.reason.as_deref().unwrap_or("failed"),
                        delay.as_secs()
                    );
                    self.retries.insert(k, (Instant::now() + delay, attempt));
                }
                other => {
                    self.retries.remove(&k);
                    if let Some(r) = other.filter(|r| !matches!(r.outcome, Outcome::Unchanged)) {
                        log_outcome(&self.cluster.context, &r);
                    }
                }
            }
        }
    }

    /// Puts what was just written in the caches, ahead of its watch events.
    fn remember(&mut self, k: &Key, writes: Writes) {
        if let Some(e) = writes.endpoints {
            self.local.objects.apply_endpoints(e);
        }
        for s in writes.slices {
            self.cache_slice(s);
        }
        if let Some(m) = self.slices.get_mut(k) {
            for name in &writes.deleted {
                m.remove(name);
            }
        }
    }

    async fn reconcile(&mut self, k: &Key, force: bool) -> Option<ServiceSync> {
        let client = self.cluster.client.clone();
        let context = self.cluster.context.clone();
        let service = self.local.objects.service(&k.0, &k.1).cloned();
        let config = service.as_ref().map(federation);
        if let (Some(service), Some(Federation::Federated(config))) = (service.as_ref(), config.as_ref()) {
            self.known.insert(k.clone());
            let visible = self.remotes.iter().filter(|(_, s)| s.in_sync()).map(|(n, s)| (n.as_str(), &s.objects));
            let computed = compute_from(service, config, &self.local.objects, visible);
            let written = Written {
                uid: service.metadata.uid.clone(),
                expression: config.expression.clone(),
                subsets: computed.subsets.clone(),
            };
            if !force && self.written.get(k) == Some(&written) {
                return None;
            }
            // Planned against the watch caches; a stale cache costs a conflict and a fresh read.
            let cached = self.slices_synced.then(|| Cached {
                endpoints: self.local.objects.endpoints(&k.0, &k.1).cloned(),
                slices: self.slices.get(k).map(|m| m.values().cloned().collect()).unwrap_or_default(),
            });
            // The clients have no read timeout (they watch), so a hung API server is bounded here.
            let write =
                write_service_cached(&client, &context, service, config, &computed, &self.leadership, cached.as_ref());
            let r = match tokio::time::timeout(WRITE_TIMEOUT, write).await {
                Ok((r, writes)) => {
                    self.remember(k, writes);
                    r
                }
                Err(_) => ServiceSync::timed_out(&k.0, &k.1, WRITE_TIMEOUT),
            };
            if matches!(r.outcome, Outcome::Created | Outcome::Updated | Outcome::Unchanged) {
                self.written.insert(k.clone(), written);
            } else {
                self.written.remove(k);
            }
            return Some(r);
        }
        if let Some(Federation::Invalid(why)) = &config
            && (self.known.contains(k) || force)
        {
            tracing::warn!("{context}: service {}/{}: {why}", k.0, k.1);
        }
        self.written.remove(k);
        if !self.known.contains(k) && !force {
            return None;
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

/// The Service a managed slice belongs to.
fn slice_owner(s: &EndpointSlice) -> Option<Key> {
    Some((s.metadata.namespace.clone()?, s.metadata.labels.as_ref()?.get(SERVICE_NAME_LABEL)?.clone()))
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
    tracing::info!(
        "{context}: {}/{}: {what} ({} ready, {} not ready, {} slice writes){reason}",
        r.namespace,
        r.name,
        r.ready,
        r.not_ready,
        r.slices_written
    );
}

/// Services and Endpoints, handled alike.
trait KindObject: Resource<DynamicType = ()> + Sized {
    fn state(side: &mut Side) -> &mut KindState<Self>;
    fn apply(objects: &mut ClusterObjects, o: Self);
    fn delete(objects: &mut ClusterObjects, k: &Key);
    fn replace(objects: &mut ClusterObjects, items: Vec<Self>);
}

impl KindObject for Service {
    fn state(side: &mut Side) -> &mut KindState<Self> {
        &mut side.services
    }
    fn apply(objects: &mut ClusterObjects, o: Self) {
        objects.apply_service(o);
    }
    fn delete(objects: &mut ClusterObjects, k: &Key) {
        objects.delete_service(&k.0, &k.1);
    }
    fn replace(objects: &mut ClusterObjects, items: Vec<Self>) {
        objects.replace_services(items);
    }
}

impl KindObject for Endpoints {
    fn state(side: &mut Side) -> &mut KindState<Self> {
        &mut side.endpoints
    }
    fn apply(objects: &mut ClusterObjects, o: Self) {
        objects.apply_endpoints(o);
    }
    fn delete(objects: &mut ClusterObjects, k: &Key) {
        objects.delete_endpoints(&k.0, &k.1);
    }
    fn replace(objects: &mut ClusterObjects, items: Vec<Self>) {
        objects.replace_endpoints(items);
    }
}

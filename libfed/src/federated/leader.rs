//! Leader election on a `coordination.k8s.io/v1` Lease, as client-go's `leaderelection` does it,
//! so that of several `svc sync` replicas only one writes.
//!
//! Time is never compared across machines: a candidate counts a holder's lease as expired when
//! it has seen the same Lease record, unchanged, for the lease's duration on its own monotonic
//! clock. The leader believes itself leader only until `renew_deadline` after the start of its
//! last successful renewal. With `renew_deadline < lease_duration`, the old leader stops writing
//! before anyone else can take over, even if its renewals start failing.

use std::time::{Duration, Instant};

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use kube::Api;
use kube::api::{ObjectMeta, PostParams};
use tokio::sync::watch;

use crate::names::{MANAGED_BY, MANAGED_BY_LABEL};

/// Where the Lease is and how it is held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseConfig {
    /// Namespace of the Lease.
    pub namespace: String,
    /// Name of the Lease.
    pub name: String,
    /// This candidate's identity (unique per replica: pod name, or host and pid).
    pub identity: String,
    /// How long a lease lasts without renewal before others may take it.
    pub lease_duration: Duration,
    /// How long the leader keeps acting without a successful renewal.
    pub renew_deadline: Duration,
    /// How often candidates try to acquire and the leader renews.
    pub retry_period: Duration,
}

impl LeaseConfig {
    /// A configuration with client-go's defaults: 15s lease, 10s renew deadline, 2s retry.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>, identity: impl Into<String>) -> Self {
        Self {
            namespace: namespace.into(),
            name: name.into(),
            identity: identity.into(),
            lease_duration: Duration::from_secs(15),
            renew_deadline: Duration::from_secs(10),
            retry_period: Duration::from_secs(2),
        }
    }

    /// Checks the timings make the election safe.
    ///
    /// # Errors
    /// A message when `retry_period < renew_deadline < lease_duration` does not hold, the lease
    /// is shorter than a second, or the identity is empty.
    pub fn validate(&self) -> Result<(), String> {
        if self.identity.is_empty() {
            return Err("the leader-election identity is empty".into());
        }
        if self.lease_duration < Duration::from_secs(1) {
            return Err("the lease duration must be at least 1s".into());
        }
        if self.renew_deadline >= self.lease_duration {
            return Err("the renew deadline must be shorter than the lease duration".into());
        }
        if self.retry_period.is_zero() || self.retry_period >= self.renew_deadline {
            return Err("the retry period must be shorter than the renew deadline".into());
        }
        Ok(())
    }
}

/// A default identity: `HOSTNAME_PID` (the pod name in a cluster).
pub fn default_identity() -> String {
    let host = std::env::var("POD_NAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok().map(|s| s.trim().to_owned()))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".into());
    format!("{host}_{}", std::process::id())
}

/// What a candidate does after reading the Lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// It holds the lease: renew it.
    Renew,
    /// Nobody holds it, or the holder's lease expired: take it.
    Acquire,
    /// Someone else holds it: wait.
    Wait {
        /// The holder's identity.
        holder: String,
    },
}

/// The parts of a Lease record whose change shows the holder is alive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    holder: String,
    duration_seconds: i32,
    renew_time: Option<String>,
    acquire_time: Option<String>,
    transitions: i32,
}

impl Record {
    /// The record of a Lease spec.
    pub fn of(spec: &LeaseSpec) -> Self {
        Record {
            holder: spec.holder_identity.clone().unwrap_or_default(),
            duration_seconds: spec.lease_duration_seconds.unwrap_or(0),
            renew_time: spec.renew_time.as_ref().map(|t| t.0.to_string()),
            acquire_time: spec.acquire_time.as_ref().map(|t| t.0.to_string()),
            transitions: spec.lease_transitions.unwrap_or(0),
        }
    }
}

/// Remembers when a candidate last saw the Lease record change.
#[derive(Debug, Clone, Default)]
pub struct Observer {
    last: Option<(Record, Instant)>,
}

impl Observer {
    /// Records that `record` was read at `now`; returns when this exact record was first seen.
    pub fn observe(&mut self, record: Record, now: Instant) -> Instant {
        match &self.last {
            Some((r, at)) if *r == record => *at,
            _ => {
                self.last = Some((record, now));
                now
            }
        }
    }
}

/// Decides from the record read, when it was first seen unchanged, and now (pure).
pub fn decide(record: &Record, identity: &str, first_seen: Instant, now: Instant) -> Decision {
    if record.holder == identity {
        return Decision::Renew;
    }
    if record.holder.is_empty() {
        return Decision::Acquire;
    }
    let duration = Duration::from_secs(u64::try_from(record.duration_seconds).unwrap_or(0));
    if now.saturating_duration_since(first_seen) >= duration {
        Decision::Acquire
    } else {
        Decision::Wait { holder: record.holder.clone() }
    }
}

/// One candidate for the Lease.
#[derive(Debug)]
pub struct LeaderElector {
    api: Api<Lease>,
    config: LeaseConfig,
    observer: Observer,
}

fn micro_now() -> MicroTime {
    MicroTime(jiff::Timestamp::now())
}

fn duration_seconds(d: Duration) -> i32 {
    i32::try_from(d.as_secs().max(1)).unwrap_or(i32::MAX)
}

fn is_conflict(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 409)
}

impl LeaderElector {
    /// A candidate using `client`.
    pub fn new(client: kube::Client, config: LeaseConfig) -> Self {
        let api = Api::namespaced(client, &config.namespace);
        Self { api, config, observer: Observer::default() }
    }

    /// The configuration.
    pub fn config(&self) -> &LeaseConfig {
        &self.config
    }

    /// Reads the Lease and acquires or renews it if this candidate may. Returns whether it holds
    /// the lease now. A conflicting write by another candidate is `Ok(false)`, not an error.
    ///
    /// # Errors
    /// The Lease cannot be read or written (other than a conflict).
    pub async fn try_acquire_or_renew(&mut self) -> Result<bool, kube::Error> {
        let now = Instant::now();
        let Some(mut lease) = self.api.get_opt(&self.config.name).await? else {
            let lease = Lease {
                metadata: ObjectMeta {
                    name: Some(self.config.name.clone()),
                    namespace: Some(self.config.namespace.clone()),
                    labels: Some([(MANAGED_BY_LABEL.to_owned(), MANAGED_BY.to_owned())].into()),
                    ..Default::default()
                },
                spec: Some(self.held_spec(None)),
            };
            return match self.api.create(&PostParams::default(), &lease).await {
                Ok(created) => {
                    self.seen(&created, now);
                    Ok(true)
                }
                Err(e) if is_conflict(&e) => Ok(false),
                Err(e) => Err(e),
            };
        };
        let spec = lease.spec.clone().unwrap_or_default();
        let first_seen = self.observer.observe(Record::of(&spec), now);
        match decide(&Record::of(&spec), &self.config.identity, first_seen, now) {
            Decision::Wait { .. } => Ok(false),
            Decision::Renew => {
                let mut next = spec;
                next.renew_time = Some(micro_now());
                next.lease_duration_seconds = Some(duration_seconds(self.config.lease_duration));
                lease.spec = Some(next);
                self.replace(lease, now).await
            }
            Decision::Acquire => {
                lease.spec = Some(self.held_spec(Some(&spec)));
                self.replace(lease, now).await
            }
        }
    }

    /// Gives the lease up if this candidate holds it, so that another takes over at once.
    ///
    /// # Errors
    /// The Lease cannot be read or written.
    pub async fn release(&mut self) -> Result<(), kube::Error> {
        let Some(mut lease) = self.api.get_opt(&self.config.name).await? else { return Ok(()) };
        let mut spec = lease.spec.clone().unwrap_or_default();
        if spec.holder_identity.as_deref() != Some(self.config.identity.as_str()) {
            return Ok(());
        }
        spec.holder_identity = None;
        spec.lease_duration_seconds = Some(1);
        spec.renew_time = Some(micro_now());
        lease.spec = Some(spec);
        match self.api.replace(&self.config.name, &PostParams::default(), &lease).await {
            Ok(_) => Ok(()),
            Err(e) if is_conflict(&e) => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn held_spec(&self, previous: Option<&LeaseSpec>) -> LeaseSpec {
        let transitions = previous.map_or(0, |p| {
            let changed = p.holder_identity.as_deref().is_some_and(|h| !h.is_empty() && h != self.config.identity);
            p.lease_transitions.unwrap_or(0) + i32::from(changed)
        });
        LeaseSpec {
            holder_identity: Some(self.config.identity.clone()),
            lease_duration_seconds: Some(duration_seconds(self.config.lease_duration)),
            acquire_time: Some(micro_now()),
            renew_time: Some(micro_now()),
            lease_transitions: Some(transitions),
            ..Default::default()
        }
    }

    async fn replace(&mut self, lease: Lease, now: Instant) -> Result<bool, kube::Error> {
        match self.api.replace(&self.config.name, &PostParams::default(), &lease).await {
            Ok(written) => {
                self.seen(&written, now);
                Ok(true)
            }
            Err(e) if is_conflict(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn seen(&mut self, lease: &Lease, now: Instant) {
        if let Some(spec) = &lease.spec {
            self.observer.observe(Record::of(spec), now);
        }
    }

    /// Runs the election until `stop` turns true, then releases the lease. The returned
    /// [`Leadership`] says at any moment whether this candidate may act as leader.
    pub fn spawn(mut self, mut stop: watch::Receiver<bool>) -> (Leadership, tokio::task::JoinHandle<()>) {
        let (tx, rx) = watch::channel(None::<Instant>);
        let handle = tokio::spawn(async move {
            let mut was_leader = false;
            loop {
                let start = Instant::now();
                match self.try_acquire_or_renew().await {
                    Ok(true) => {
                        if !was_leader {
                            tracing::info!(
                                "became leader: lease {}/{} held by {}",
                                self.config.namespace,
                                self.config.name,
                                self.config.identity
                            );
                        }
                        was_leader = true;
                        let _ = tx.send(Some(start + self.config.renew_deadline));
                    }
                    Ok(false) => {
                        if was_leader {
                            tracing::warn!("lost leadership of lease {}/{}", self.config.namespace, self.config.name);
                        }
                        was_leader = false;
                        let _ = tx.send(None);
                    }
                    // The leadership lapses by itself at the deadline.
                    Err(e) => tracing::warn!(
                        "lease {}/{}: {}",
                        self.config.namespace,
                        self.config.name,
                        crate::federate::error_chain(&e)
                    ),
                }
                tokio::select! {
                    () = tokio::time::sleep(self.config.retry_period) => {}
                    _ = stop.wait_for(|s| *s) => break,
                }
            }
            let _ = tx.send(None);
            if let Err(e) = self.release().await {
                tracing::warn!(
                    "releasing lease {}/{}: {}",
                    self.config.namespace,
                    self.config.name,
                    crate::federate::error_chain(&e)
                );
            }
        });
        (Leadership { rx: Some(rx) }, handle)
    }
}

/// Whether this process may act as leader now. Cloneable; cheap to ask.
#[derive(Debug, Clone)]
pub struct Leadership {
    rx: Option<watch::Receiver<Option<Instant>>>,
}

impl Leadership {
    /// No election: always leader (a single `svc sync` run by hand).
    pub fn always() -> Self {
        Self { rx: None }
    }

    /// Whether this process leads right now.
    pub fn is_leader(&self) -> bool {
        match &self.rx {
            None => true,
            Some(rx) => rx.borrow().is_some_and(|until| Instant::now() < until),
        }
    }

    /// Waits until this process leads.
    pub async fn wait(&mut self) {
        let Some(rx) = self.rx.as_mut() else { return };
        loop {
            if rx.borrow_and_update().is_some_and(|until| Instant::now() < until) {
                return;
            }
            if rx.changed().await.is_err() {
                // The election ended; nobody leads any more.
                std::future::pending::<()>().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(holder: &str, secs: i32, renew: &str) -> Record {
        Record {
            holder: holder.into(),
            duration_seconds: secs,
            renew_time: Some(renew.into()),
            acquire_time: None,
            transitions: 0,
        }
    }

    #[test]
    fn decisions() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let cases = [
            ("own lease is renewed", record("me", 15, "a"), t0, t0, Decision::Renew),
            ("own lease is renewed even when old", record("me", 15, "a"), t0, t0 + s(60), Decision::Renew),
            ("a released lease is taken", record("", 1, "a"), t0, t0, Decision::Acquire),
            (
                "a fresh foreign lease is respected",
                record("other", 15, "a"),
                t0,
                t0 + s(14),
                Decision::Wait { holder: "other".into() },
            ),
            (
                "a foreign lease unchanged for its duration is taken",
                record("other", 15, "a"),
                t0,
                t0 + s(15),
                Decision::Acquire,
            ),
            ("a zero duration lease is taken", record("other", 0, "a"), t0, t0, Decision::Acquire),
        ];
        for (name, r, first_seen, now, want) in cases {
            assert_eq!(decide(&r, "me", first_seen, now), want, "{name}");
        }
    }

    #[test]
    fn expiry_counts_from_when_the_record_last_changed_here() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut o = Observer::default();
        assert_eq!(o.observe(record("other", 15, "a"), t0), t0);
        assert_eq!(o.observe(record("other", 15, "a"), t0 + s(10)), t0, "unchanged: first sighting counts");
        // A renewal (new renewTime) restarts the clock, whatever the holder's wall clock says.
        assert_eq!(o.observe(record("other", 15, "b"), t0 + s(12)), t0 + s(12));
        let first = o.observe(record("other", 15, "b"), t0 + s(20));
        assert_eq!(
            decide(&record("other", 15, "b"), "me", first, t0 + s(20)),
            Decision::Wait { holder: "other".into() }
        );
        assert_eq!(decide(&record("other", 15, "b"), "me", first, t0 + s(27)), Decision::Acquire);
    }

    #[test]
    fn unsafe_timings_are_refused() {
        let ok = LeaseConfig::new("ns", "l", "me");
        assert_eq!(ok.validate(), Ok(()));
        let mut c = ok.clone();
        c.renew_deadline = c.lease_duration;
        assert!(c.validate().is_err());
        let mut c = ok.clone();
        c.retry_period = c.renew_deadline;
        assert!(c.validate().is_err());
        let mut c = ok.clone();
        c.identity.clear();
        assert!(c.validate().is_err());
        let mut c = ok;
        c.lease_duration = Duration::from_millis(500);
        assert!(c.validate().is_err());
    }

    #[test]
    fn without_election_this_process_always_leads() {
        assert!(Leadership::always().is_leader());
        let (tx, rx) = watch::channel(None);
        let l = Leadership { rx: Some(rx) };
        assert!(!l.is_leader());
        tx.send(Some(Instant::now() + Duration::from_secs(5))).expect("send");
        assert!(l.is_leader());
        tx.send(Some(Instant::now())).expect("send");
        assert!(!l.is_leader(), "leadership lapses at its deadline without a renewal");
        assert!(default_identity().ends_with(&format!("_{}", std::process::id())));
    }
}

//! Remote lifecycle: whether a remote cluster's endpoints count, with Calico Enterprise's grace
//! period. A remote counts once its Services and Endpoints have been listed. When its watches
//! fail it keeps counting, with what was last listed, until it has been unreachable for the
//! grace period (`--remote-grace-period`, 60s by default as in Calico Enterprise); then its
//! endpoints are withdrawn, and they are restored by the next complete list.
//!
//! Calico Enterprise measures the 60s from the last successful *list* of the failing watch
//! (libcalico-go `watchersyncer/watchercache.go`, `WatchRetryTimeout` in
//! `remotecluster/wrappedcallbacks.go`), so after a long quiet watch it may withdraw at the first
//! failure. Here the period starts at the first failure after the remote was last in sync, which
//! is what the period is for: riding out an API-server restart or a network blip.

use std::time::{Duration, Instant};

use tokio::task::AbortHandle;

use super::cache::Objects;

/// What changed in a remote's reachability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transition {
    /// Nothing to report.
    None,
    /// Listed for the first time: its endpoints start counting.
    Joined,
    /// Its watches failed; its endpoints are kept for the grace period.
    Failing,
    /// Unreachable for the grace period: its endpoints are withdrawn.
    Withdrawn,
    /// Listed again after a failure (its endpoints count again if they were withdrawn).
    Recovered { was_withdrawn: bool },
}

/// A remote's reachability. Pure: time is passed in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Reachability {
    /// Whether it was ever in sync (so its objects are worth keeping).
    listed: bool,
    /// When it started failing, if it is failing.
    failing_since: Option<Instant>,
    /// Whether its endpoints are withdrawn.
    withdrawn: bool,
}

impl Reachability {
    /// Whether its endpoints count.
    pub fn counts(&self) -> bool {
        self.listed && !self.withdrawn
    }

    /// Whether it is failing (kept or withdrawn).
    pub fn failing(&self) -> bool {
        self.failing_since.is_some()
    }

    /// Whether its endpoints are withdrawn.
    pub fn withdrawn(&self) -> bool {
        self.withdrawn
    }

    /// Both kinds are listed again.
    pub fn in_sync(&mut self) -> Transition {
        let first = !self.listed;
        let was_failing = self.failing_since.take().is_some();
        let was_withdrawn = std::mem::take(&mut self.withdrawn);
        self.listed = true;
        if first {
            Transition::Joined
        } else if was_failing || was_withdrawn {
            Transition::Recovered { was_withdrawn }
        } else {
            Transition::None
        }
    }

    /// A watch failed (not an expired resourceVersion: the server answered that).
    pub fn failed(&mut self, now: Instant) -> Transition {
        if self.failing_since.is_some() {
            return Transition::None;
        }
        self.failing_since = Some(now);
        if self.listed { Transition::Failing } else { Transition::None }
    }

    /// When the grace period of a failing remote whose endpoints still count runs out.
    pub fn deadline(&self, grace: Duration) -> Option<Instant> {
        self.failing_since.filter(|_| self.counts()).map(|t| t + grace)
    }

    /// Withdraws the endpoints if the grace period ran out by `now`.
    pub fn expire(&mut self, now: Instant, grace: Duration) -> Transition {
        match self.deadline(grace) {
            Some(d) if d <= now => {
                self.withdrawn = true;
                Transition::Withdrawn
            }
            _ => Transition::None,
        }
    }

    /// Withdraws the endpoints at once (its configuration became unusable, as Calico does).
    pub fn withdraw(&mut self, now: Instant) -> Transition {
        self.failing_since.get_or_insert(now);
        if self.counts() {
            self.withdrawn = true;
            Transition::Withdrawn
        } else {
            Transition::None
        }
    }
}

/// One remote cluster as the controller sees it.
#[derive(Debug, Default)]
pub(super) struct Remote {
    pub cache: Objects,
    pub reach: Reachability,
    /// Tells this connection's messages from an earlier one's.
    pub generation: u64,
    /// The RCC's and Secret's resourceVersions the connection was made from.
    pub version: String,
    pub tasks: Vec<AbortHandle>,
    /// Why it is not in sync, if it is not.
    pub error: Option<String>,
    /// When it was last in sync (for the metrics).
    pub last_sync: Option<std::time::SystemTime>,
    /// Whether a first list or a first error was seen (start-up waits for that).
    pub settled: bool,
}

impl Remote {
    pub fn stop(&mut self) {
        for t in self.tasks.drain(..) {
            t.abort();
        }
    }

    /// Whether its endpoints count.
    pub fn counts(&self) -> bool {
        self.reach.counts()
    }

    /// A word for its state (the metrics' `state` label, `svc` logs).
    pub fn state(&self) -> &'static str {
        if self.tasks.is_empty() {
            "config-incomplete"
        } else if self.reach.withdrawn() {
            "withdrawn"
        } else if self.reach.failing() {
            "failing"
        } else if self.cache.in_sync() {
            "in-sync"
        } else {
            "connecting"
        }
    }
}

impl Drop for Remote {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_remote_counts_for_the_grace_period_then_is_withdrawn_then_restored() {
        let grace = Duration::from_secs(60);
        let t0 = Instant::now();
        let mut r = Reachability::default();
        assert!(!r.counts(), "not before its first list");
        assert_eq!(r.failed(t0), Transition::None, "a remote never listed has nothing to keep");
        assert_eq!(r.deadline(grace), None);
        assert_eq!(r.in_sync(), Transition::Joined);
        assert!(r.counts());

        let t1 = t0 + Duration::from_secs(100);
        assert_eq!(r.failed(t1), Transition::Failing);
        assert_eq!(r.failed(t1 + Duration::from_secs(30)), Transition::None, "the period starts at the first failure");
        assert!(r.counts(), "kept during the grace period");
        assert_eq!(r.deadline(grace), Some(t1 + grace));
        assert_eq!(r.expire(t1 + Duration::from_secs(59), grace), Transition::None);
        assert!(r.counts());
        assert_eq!(r.expire(t1 + grace, grace), Transition::Withdrawn);
        assert!(!r.counts() && r.withdrawn());
        assert_eq!(r.deadline(grace), None, "nothing more to expire");
        assert_eq!(r.expire(t1 + grace * 2, grace), Transition::None);
        assert_eq!(r.in_sync(), Transition::Recovered { was_withdrawn: true });
        assert!(r.counts() && !r.failing());

        // A blip shorter than the period: never withdrawn.
        let t2 = t1 + grace * 3;
        assert_eq!(r.failed(t2), Transition::Failing);
        assert_eq!(r.in_sync(), Transition::Recovered { was_withdrawn: false });
        assert_eq!(r.expire(t2 + grace, grace), Transition::None);
        assert!(r.counts());
        assert_eq!(r.in_sync(), Transition::None);
    }

    #[test]
    fn an_unusable_configuration_withdraws_at_once() {
        let t0 = Instant::now();
        let mut r = Reachability::default();
        assert_eq!(r.withdraw(t0), Transition::None);
        r.in_sync();
        assert_eq!(r.withdraw(t0), Transition::Withdrawn);
        assert!(!r.counts());
    }
}

//! Which Services wait to be reconciled, and when the controller next has something to do: a
//! batch of changes (after the debounce), a retry, or a remote's grace period running out.

use std::time::Instant;

use super::Controller;
use super::cache::Key;

/// A Service to look at: whether its own objects must be re-read, and since when it waits.
#[derive(Debug, Clone, Copy)]
pub(super) struct Dirty {
    pub(super) force: bool,
    pub(super) since: Instant,
}

impl Controller {
    pub(super) fn mark(&mut self, key: Key, force: bool) {
        let now = Instant::now();
        let d = self.dirty.entry(key).or_insert(Dirty { force: false, since: now });
        d.force |= force;
    }

    pub(super) fn mark_namespace(&mut self, namespace: &str) {
        let keys: Vec<Key> = self.federations.federated_in(namespace).cloned().collect();
        for k in keys {
            self.mark(k, false);
        }
    }

    pub(super) fn mark_all(&mut self, force: bool) {
        let keys: Vec<Key> = self.known.iter().chain(self.federations.federated()).cloned().collect();
        for k in keys {
            self.mark(k, force);
        }
    }

    /// When something is next due: a batch of changes, a retry, or a grace period running out.
    pub(super) fn next_due(&self, ready: bool) -> Option<Instant> {
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

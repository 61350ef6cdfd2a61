//! The retry queue: a Service whose write failed is tried again with exponential backoff
//! (2s, 4s, … 30s), until a write succeeds or the Service needs no write any more.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::cache::Key;

/// The longest wait between two tries.
const MAX_DELAY: Duration = Duration::from_secs(30);

/// Services to try again, with when and how many failures so far.
#[derive(Debug, Default)]
pub(super) struct Retries {
    due: BTreeMap<Key, (Instant, u32)>,
}

impl Retries {
    /// Records a failure at `now`; returns the attempt number and the delay.
    pub fn failed(&mut self, k: &Key, now: Instant) -> (u32, Duration) {
        let attempt = self.due.get(k).map_or(0, |(_, n)| *n) + 1;
        let delay = Duration::from_secs(1 << attempt.min(5)).min(MAX_DELAY);
        self.due.insert(k.clone(), (now + delay, attempt));
        (attempt, delay)
    }

    /// Forgets a Service (it succeeded, or is gone).
    pub fn done(&mut self, k: &Key) {
        self.due.remove(k);
    }

    /// The earliest retry.
    pub fn next(&self) -> Option<Instant> {
        self.due.values().map(|(t, _)| *t).min()
    }

    /// The Services due by `now`.
    pub fn due(&self, now: Instant) -> Vec<Key> {
        self.due.iter().filter(|(_, (t, _))| *t <= now).map(|(k, _)| k.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_thirty_seconds_and_success_forgets() {
        let mut r = Retries::default();
        let k = ("ns".to_owned(), "svc".to_owned());
        let t = Instant::now();
        let delays: Vec<u64> = (0..7).map(|_| r.failed(&k, t).1.as_secs()).collect();
        assert_eq!(delays, [2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(r.next(), Some(t + Duration::from_secs(30)));
        assert!(r.due(t).is_empty());
        assert_eq!(r.due(t + Duration::from_secs(30)), std::slice::from_ref(&k));
        r.done(&k);
        assert_eq!(r.next(), None);
        assert!(r.due(t + Duration::from_secs(60)).is_empty());
    }
}

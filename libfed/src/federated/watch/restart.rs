//! Watch restart: one Kubernetes watch kept running forever, restarted from a full list after
//! any error (so that a remote coming back is always re-listed), with backoff.

use std::fmt::Debug;
use std::time::Duration;

use futures::StreamExt;
use kube::runtime::watcher::{self, Event};
use kube::{Api, Resource};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

/// What one watch reports.
#[derive(Debug)]
pub(super) enum Item<K> {
    /// An event of kube's watcher (a list is `Init`, `InitApply`…, `InitDone`).
    Event(Event<K>),
    /// The watch failed; it restarts by itself. `gone` marks an expired resourceVersion (the
    /// server answered: not a connection failure).
    Error { message: String, gone: bool },
}

/// The first delay before a failed watch is restarted.
const FIRST_DELAY: Duration = Duration::from_millis(500);
/// The longest delay between restarts.
const MAX_DELAY: Duration = Duration::from_secs(5);

/// Spawns the watch; every item is sent through `wrap` to `tx`. Stops when `tx` is closed or the
/// returned handle is aborted.
pub(super) fn spawn_watch<K, M>(
    api: Api<K>,
    config: watcher::Config,
    tx: mpsc::UnboundedSender<M>,
    wrap: impl Fn(Item<K>) -> M + Send + 'static,
) -> AbortHandle
where
    K: Resource + Clone + DeserializeOwned + Debug + Send + 'static,
    K::DynamicType: Default + Clone + Eq + std::hash::Hash,
    M: Send + 'static,
{
    tokio::spawn(async move {
        let mut delay = FIRST_DELAY;
        loop {
            let mut stream = std::pin::pin!(watcher::watcher(api.clone(), config.clone()));
            while let Some(item) = stream.next().await {
                let msg = match item {
                    Ok(event) => {
                        if matches!(event, Event::InitDone) {
                            delay = FIRST_DELAY;
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
            delay = (delay * 2).min(MAX_DELAY);
        }
    })
    .abort_handle()
}

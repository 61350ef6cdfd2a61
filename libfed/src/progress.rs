//! Progress of long operations, as events: what is being waited on, and what finished. `libfed`
//! never prints; a caller that wants to show progress passes a [`Progress`] sink (the plugin shows
//! "waiting for cluster-c (4s)…" on a terminal), anyone else leaves the default, which drops them.

use std::future::Future;
use std::sync::Arc;

/// Something worth telling a person watching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A request (or a series of them) to a cluster started; it is waited on until the matching
    /// [`Event::Done`].
    Waiting {
        /// The cluster's context.
        cluster: String,
        /// What is awaited, in words (`checking the RCC API`, `the token controller` …).
        what: String,
    },
    /// What a [`Event::Waiting`] announced ended (answered or failed).
    Done {
        /// The cluster's context.
        cluster: String,
        /// As in the `Waiting` event.
        what: String,
    },
    /// One link finished.
    Link {
        /// The local cluster's context.
        local: String,
        /// The remote's context or name.
        remote: String,
        /// Its outcome in a word or two (`created`, `unchanged`, `✓`, `failed: …`).
        outcome: String,
        /// Whether it went well.
        ok: bool,
    },
}

/// Where events go: nowhere by default.
#[derive(Clone, Default)]
pub struct Progress(Option<Arc<dyn Fn(Event) + Send + Sync>>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Progress(sink)" } else { "Progress(none)" })
    }
}

impl Progress {
    /// Events go to `sink`. It is called from async tasks: it must return quickly.
    pub fn new(sink: impl Fn(Event) + Send + Sync + 'static) -> Self {
        Progress(Some(Arc::new(sink)))
    }

    /// Reports an event.
    pub fn emit(&self, event: Event) {
        if let Some(sink) = &self.0 {
            sink(event);
        }
    }

    /// Runs `f`, reported as waiting on `cluster` for `what` until it ends (or is dropped).
    pub async fn waiting<F: Future>(&self, cluster: &str, what: &str, f: F) -> F::Output {
        let _guard = self.0.as_ref().map(|_| {
            self.emit(Event::Waiting { cluster: cluster.into(), what: what.into() });
            DoneOnDrop { progress: self, cluster: cluster.into(), what: what.into() }
        });
        f.await
    }
}

tokio::task_local! {
    /// The sink of the operation running on this task, for code deep inside it (the token wait).
    static CURRENT: Progress;
}

impl Progress {
    /// Runs `f` with this sink as the current one (see [`waiting_here`]).
    pub async fn scope<F: Future>(&self, f: F) -> F::Output {
        CURRENT.scope(self.clone(), f).await
    }
}

/// [`Progress::waiting`] on the current sink, if an operation set one with [`Progress::scope`].
pub async fn waiting_here<F: Future>(cluster: &str, what: &str, f: F) -> F::Output {
    match CURRENT.try_with(Progress::clone) {
        Ok(p) => p.waiting(cluster, what, f).await,
        Err(_) => f.await,
    }
}

/// Sends [`Event::Done`] when the wait ends, however it ends.
struct DoneOnDrop<'a> {
    progress: &'a Progress,
    cluster: String,
    what: String,
}

impl Drop for DoneOnDrop<'_> {
    fn drop(&mut self) {
        self.progress
            .emit(Event::Done { cluster: std::mem::take(&mut self.cluster), what: std::mem::take(&mut self.what) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[tokio::test]
    async fn a_wait_is_announced_and_ended_even_when_dropped() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let p = Progress::new(move |e| sink.lock().expect("lock").push(e));
        assert_eq!(p.waiting("cluster-c", "listing", async { 7 }).await, 7);
        let never = p.waiting("cluster-d", "listing", std::future::pending::<()>());
        let _ = tokio::time::timeout(std::time::Duration::from_millis(10), never).await;
        let seen = seen.lock().expect("lock").clone();
        let names: Vec<String> = seen
            .iter()
            .map(|e| match e {
                Event::Waiting { cluster, .. } => format!("wait {cluster}"),
                Event::Done { cluster, .. } => format!("done {cluster}"),
                Event::Link { .. } => "link".into(),
            })
            .collect();
        assert_eq!(names, ["wait cluster-c", "done cluster-c", "wait cluster-d", "done cluster-d"]);
        Progress::default().emit(Event::Done { cluster: "x".into(), what: "y".into() });
    }
}

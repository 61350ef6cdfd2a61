//! Progress for people, on stderr: what is being waited on ("waiting for cluster-c (4s)…") and
//! each link as it finishes. Only when stderr is a terminal, and never with `-q` or `-o json|yaml`.
//! libfed reports [`Event`]s; this module turns them into a spinner line (indicatif).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use libfed::progress::{Event, Progress};

use crate::cli::{GlobalFlags, OutputFormat};

/// A wait shorter than this is not worth naming.
const NAME_AFTER: Duration = Duration::from_secs(1);

/// What is outstanding, per cluster.
#[derive(Debug, Default)]
struct Waits {
    /// `(cluster, what, since)`, one entry per outstanding wait.
    open: Vec<(String, String, Instant)>,
    /// Links finished so far.
    links_done: usize,
    /// What to show when nothing is waited on (`status --wait` between checks).
    note: Option<String>,
    /// Finished links are no longer printed (`status --wait` after its first check).
    rows_off: bool,
}

impl Waits {
    fn apply(&mut self, event: &Event, now: Instant) -> Option<String> {
        match event {
            Event::Waiting { cluster, what } => {
                self.open.push((cluster.clone(), what.clone(), now));
                None
            }
            Event::Done { cluster, what } => {
                if let Some(i) = self.open.iter().position(|(c, w, _)| c == cluster && w == what) {
                    self.open.remove(i);
                }
                None
            }
            Event::Link { local, remote, outcome, ok } => {
                self.links_done += 1;
                if self.rows_off {
                    return None;
                }
                Some(format!("{} {local} → {remote}: {outcome}", if *ok { "✓" } else { "✗" }))
            }
        }
    }

    /// The spinner's line: the clusters waited on longest, for how long, and (for one) on what:
    /// the most recent thing asked of it.
    fn line(&self, now: Instant) -> String {
        let mut longest: Vec<(&str, &str, Duration)> = Vec::new();
        for (cluster, what, since) in &self.open {
            let waited = now.saturating_duration_since(*since);
            match longest.iter_mut().find(|(c, _, _)| c == cluster) {
                Some(entry) => {
                    entry.1 = what; // later events are more specific (the token wait within preparing)
                    entry.2 = entry.2.max(waited);
                }
                None => longest.push((cluster, what, waited)),
            }
        }
        longest.retain(|(_, _, d)| *d >= NAME_AFTER);
        longest.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
        let done = if self.links_done > 0 { format!(" ({} links done)", self.links_done) } else { String::new() };
        match longest.as_slice() {
            [] => self.note.clone().unwrap_or_else(|| format!("working…{done}")),
            [(cluster, what, d)] => format!("waiting for {cluster} ({}s): {what}…{done}", d.as_secs()),
            many => {
                let names: Vec<String> = many.iter().map(|(c, _, d)| format!("{c} ({}s)", d.as_secs())).collect();
                format!("waiting for {}…{done}", names.join(", "))
            }
        }
    }
}

/// The progress display of one command; it clears itself when finished or dropped.
#[derive(Debug)]
pub struct Display {
    bar: ProgressBar,
    waits: Arc<Mutex<Waits>>,
    ticker: Option<tokio::task::JoinHandle<()>>,
}

/// Whether progress is shown: stderr is a terminal, not `-q`, not `-o json|yaml`.
pub fn enabled(global: &GlobalFlags) -> bool {
    use std::io::IsTerminal;
    !global.quiet
        && matches!(global.output, OutputFormat::Table | OutputFormat::Wide)
        && std::io::stderr().is_terminal()
}

impl Display {
    /// Starts the display (hidden unless [`enabled`]) and returns the sink libfed reports to.
    pub fn start(global: &GlobalFlags) -> (Display, Progress) {
        let on = enabled(global);
        let target = if on { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let waits = Arc::new(Mutex::new(Waits::default()));
        if !on {
            return (Display { bar, waits, ticker: None }, Progress::default());
        }
        let ticker = {
            let (bar, waits) = (bar.clone(), waits.clone());
            tokio::spawn(async move {
                let mut every = tokio::time::interval(Duration::from_millis(200));
                loop {
                    every.tick().await;
                    let line = waits.lock().map(|w| w.line(Instant::now())).unwrap_or_default();
                    bar.set_message(line);
                    bar.tick();
                }
            })
        };
        let sink = {
            let (bar, waits) = (bar.clone(), waits.clone());
            Progress::new(move |event| {
                let row = waits.lock().ok().and_then(|mut w| w.apply(&event, Instant::now()));
                if let Some(row) = row {
                    bar.println(row);
                }
            })
        };
        (Display { bar, waits, ticker: Some(ticker) }, sink)
    }

    /// Shows a line of its own (e.g. what `status --wait` still waits for) until the next tick.
    pub fn note(&self, line: String) {
        if let Ok(mut w) = self.waits.lock() {
            w.note = Some(line);
            w.rows_off = true; // the rows of each later check would repeat the first
        }
    }

    /// Whether anything is shown.
    pub fn shown(&self) -> bool {
        !self.bar.is_hidden()
    }

    /// Clears the display before the report is written.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(t) = self.ticker.take() {
            t.abort();
        }
        if let Ok(mut w) = self.waits.lock() {
            w.open.clear();
        }
        self.bar.finish_and_clear();
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(cluster: &str, what: &str) -> Event {
        Event::Waiting { cluster: cluster.into(), what: what.into() }
    }

    #[test]
    fn the_line_names_the_cluster_waited_on_longest() {
        let t0 = Instant::now();
        let mut w = Waits::default();
        assert_eq!(w.line(t0), "working…");
        w.apply(&wait("cluster-c", "listing its links"), t0);
        w.apply(&wait("cluster-a", "listing its links"), t0);
        assert_eq!(w.line(t0 + Duration::from_millis(500)), "working…", "short waits are not named");
        w.apply(&Event::Done { cluster: "cluster-a".into(), what: "listing its links".into() }, t0);
        let row = w.apply(
            &Event::Link { local: "cluster-a".into(), remote: "cluster-b".into(), outcome: "created".into(), ok: true },
            t0,
        );
        assert_eq!(row.as_deref(), Some("✓ cluster-a → cluster-b: created"));
        assert_eq!(
            w.line(t0 + Duration::from_secs(4)),
            "waiting for cluster-c (4s): listing its links… (1 links done)"
        );
        w.apply(&wait("cluster-c", "the token controller"), t0 + Duration::from_secs(2));
        assert_eq!(
            w.line(t0 + Duration::from_secs(4)),
            "waiting for cluster-c (4s): the token controller… (1 links done)"
        );
        w.apply(&wait("cluster-d", "preparing"), t0 + Duration::from_secs(1));
        assert_eq!(w.line(t0 + Duration::from_secs(4)), "waiting for cluster-c (4s), cluster-d (3s)… (1 links done)");
    }
}

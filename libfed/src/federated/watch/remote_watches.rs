//! The controller's remote side: starting, restarting and dropping each remote's watches as its
//! RCC and Secret come, change and go, and turning their events into the remote's lifecycle
//! ([`super::remote`]) and the Services to look at again.

use std::collections::BTreeSet;
use std::time::{Duration, Instant, SystemTime};

use k8s_openapi::api::core::v1::{Endpoints, Service};
use kube::Api;
use kube::runtime::watcher;

use super::cache::{Change, KindObject};
use super::remote::Transition;
use super::restart::{Item, spawn_watch};
use super::{Controller, Msg};
use crate::remotes::{ClientTimeouts, remote_clients_with};

impl Controller {
    /// Re-reads the RCCs and Secrets; starts, restarts or drops remote watches accordingly.
    pub(super) async fn refresh_remotes(&mut self) {
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

    pub(super) fn handle_remote<K: KindObject>(&mut self, name: String, generation: u64, item: Item<K>) {
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
    pub(super) fn expire_remotes(&mut self, now: Instant) {
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
}

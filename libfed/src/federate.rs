//! Federating a set of links concurrently: `join` is the links from one local cluster, `mesh` every
//! ordered pair. Each remote's credential is minted once and reused by every local; a failure
//! fails only the links it concerns, never the others.
//!
//! Requests are made per cluster where the answer is the same for every link: the RCC API check
//! per local, the remote objects, token and ServiceAccount per remote, and the local link objects
//! as one list per kind per local ([`crate::known`]). A re-run of `mesh` over N clusters reads
//! 1 + 4 + 1 + 4 = 10 requests per cluster (11 with the token Secret read twice) and writes
//! nothing; what is per link is only what differs per link: the writes of a new or changed link,
//! and a get for an object a list did not hold.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use futures::future::{BoxFuture, FutureExt, Shared};
use futures::stream::{FuturesUnordered, StreamExt};
use serde::Serialize;

use crate::calico::rcc;
use crate::cluster::Cluster;
use crate::jwt::TokenKind;
use crate::known::LocalObjects;
use crate::link::{LinkOptions, LinkReport, Outcome, adopted_note, outcome, plan_link};
use crate::plan::Action;
use crate::plan::Execution;
use crate::progress::{Event, Progress};
use crate::remote::{PreparedRemote, RemoteOptions, prepare_remote_for, verify_remote};
use crate::{Error, Result};

/// One cluster taking part, with what overrides its minted kubeconfig.
#[derive(Debug, Clone)]
pub struct Member {
    /// The cluster handle.
    pub cluster: Cluster,
    /// Server URL to put in kubeconfigs minted for this cluster (`--server NAME=URL`, `--eks`).
    pub server: Option<String>,
    /// CA (PEM) to put in kubeconfigs minted for this cluster (`--eks`).
    pub ca_pem: Option<Vec<u8>>,
}

/// Options for a federation run.
#[derive(Debug, Clone)]
pub struct FederateOptions {
    /// The remote side (namespace, token mode, wait); per-member server and CA come from [`Member`].
    pub remote: RemoteOptions,
    /// The local side.
    pub link: LinkOptions,
    /// Apply, or one of the dry runs.
    pub execution: Execution,
    /// How many links do their own work at once (waiting for a cluster takes no slot).
    pub parallel: usize,
    /// Where progress events go.
    pub progress: Progress,
}

/// What was done in one remote cluster.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteReport {
    /// The remote's context.
    pub context: String,
    /// Its cluster name.
    pub name: String,
    /// The credential's kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_kind: Option<TokenKind>,
    /// When the credential expires (RFC 3339), for TokenRequest tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_expires: Option<String>,
    /// The remote objects.
    pub actions: Vec<Action>,
    /// Warnings (loopback server …).
    pub warnings: Vec<String>,
    /// Why preparing the remote failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl FederateOptions {
    /// Checks the names that end up in request paths, so that an embedder's options are held to
    /// the rules the command line enforces: the remote namespace, the local Secret namespace and
    /// every member's cluster name (the RCC's name).
    ///
    /// # Errors
    /// The first name Kubernetes would refuse.
    pub fn validate(&self, members: &[Member]) -> std::result::Result<(), crate::names::NameError> {
        crate::names::validate_namespace(&self.remote.namespace)?;
        crate::names::validate_namespace(&self.link.secret_namespace)?;
        members.iter().try_for_each(|m| crate::names::validate_cluster_name(&m.cluster.name))
    }
}

/// The result of a federation run.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FederationReport {
    /// Per remote: objects, credential, warnings.
    pub remotes: Vec<RemoteReport>,
    /// Per link, sorted by (local, remote).
    pub links: Vec<LinkReport>,
}

impl FederationReport {
    /// Whether any link failed.
    pub fn failed(&self) -> bool {
        self.links.iter().any(|l| l.outcome == Outcome::Failed)
    }
}

/// An error and its causes on one line, for a report's reason column.
/// A Kubernetes `Status` failure reads as its reason and message, a connection failure as its root
/// cause (see [`crate::error::describe`]).
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = crate::error::describe(err);
    let mut source = if crate::error::ends_chain(err) { None } else { err.source() };
    while let Some(s) = source {
        // kube's wrapper of its middleware's errors adds only noise.
        let text = crate::error::describe(s).trim_start_matches("ServiceError: ").to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = if crate::error::ends_chain(s) { None } else { s.source() };
    }
    out
}

/// Checks that a local cluster serves the RCC API, before anything is written anywhere.
///
/// # Errors
/// Not served ("is Calico Enterprise installed?"), or the cluster not answering.
pub async fn check_local(local: &Cluster) -> Result<()> {
    let served = rcc::is_served(&local.client)
        .await
        .map_err(|e| Error::api(&local.context, "discover", "projectcalico.org/v3", e))?;
    if served {
        Ok(())
    } else {
        Err(Error::Unsupported {
            cluster: local.context.clone(),
            message:
                "does not serve RemoteClusterConfiguration (projectcalico.org/v3): is Calico Enterprise installed?"
                    .into(),
        })
    }
}

/// A remote prepared once and awaited by every link to it: `None` when no local needed it.
type PreparedOnce<'a> = Shared<BoxFuture<'a, Option<std::result::Result<PreparedRemote, String>>>>;

/// Federates the given links (indices into `members`, local then remote).
///
/// Each local cluster is checked once and each remote prepared once, shared by every link that
/// needs them, and every link waits only for its own two clusters: a hung cluster fails its links
/// when its request budget runs out, while the others finish as fast as without it. A remote is
/// prepared (written to) only once a local that needs it passed its check. `parallel` bounds the
/// links doing their own work at once; a link waiting for a cluster holds no permit.
pub async fn federate(members: &[Member], links: &[(usize, usize)], opts: &FederateOptions) -> FederationReport {
    if let Err(e) = opts.validate(members) {
        // Nothing is sent anywhere: every link fails with the name at fault.
        let reason = format!("{e} ({})", e.hint());
        let links = links
            .iter()
            .map(|&(l, r)| LinkReport {
                local: members[l].cluster.context.clone(),
                remote: members[r].cluster.context.clone(),
                name: members[r].cluster.name.clone(),
                outcome: Outcome::Failed,
                reason: Some(reason.clone()),
                actions: Vec::new(),
            })
            .collect();
        return FederationReport { remotes: Vec::new(), links };
    }
    let permits = tokio::sync::Semaphore::new(opts.parallel.max(1));
    let progress = &opts.progress;
    // 1. Locals: the RCC API must be served before their remotes are touched.
    let locals: BTreeSet<usize> = links.iter().map(|(l, _)| *l).collect();
    let local_checks: BTreeMap<usize, Shared<BoxFuture<'_, Option<String>>>> = locals
        .into_iter()
        .map(|i| {
            let cluster = &members[i].cluster;
            let check = async move {
                let checked = progress.waiting(&cluster.context, "checking the RCC API", check_local(cluster)).await;
                checked.err().map(|e| error_chain(&e))
            };
            (i, check.boxed().shared())
        })
        .collect();
    // Once per cluster what every link would otherwise read for itself: each healthy local's
    // managed objects (a list per kind), each prepared remote's ServiceAccount.
    let secret_ns = &opts.link.secret_namespace;
    let known: BTreeMap<usize, Shared<BoxFuture<'_, Option<Arc<LocalObjects>>>>> = local_checks
        .iter()
        .map(|(&i, check)| {
            let check = check.clone();
            let list = async move {
                if check.await.is_some() {
                    return None;
                }
                Some(Arc::new(LocalObjects::list(&members[i].cluster, secret_ns).await))
            };
            (i, list.boxed().shared())
        })
        .collect();
    // 2. Remotes: prepared once each, as soon as one local that needs it passed its check.
    let remotes: BTreeSet<usize> = links.iter().map(|(_, r)| *r).collect();
    let prepared: BTreeMap<usize, PreparedOnce<'_>> = remotes
        .into_iter()
        .map(|i| {
            let needed_by: Vec<_> =
                links.iter().filter(|(_, r)| *r == i).map(|(l, _)| (*l, local_checks[l].clone())).collect();
            let prepare = async move {
                // Every local that will use this remote is recorded on it before its token is
                // read (see `prepare_remote_for`), so all their checks are awaited: a hung local
                // delays this by at most its own request budget and fails only its own links.
                let mut users = Vec::new();
                for (l, check) in needed_by {
                    if check.await.is_none() {
                        users.push(members[l].cluster.name.clone());
                    }
                }
                if users.is_empty() {
                    return None;
                }
                let m = &members[i];
                let ropts = remote_options(opts, m);
                let prepare = prepare_remote_for(&m.cluster, &ropts, opts.execution, &users);
                let prepared =
                    progress.scope(progress.waiting(&m.cluster.context, "preparing the remote side", prepare)).await;
                Some(prepared.map_err(|e| error_chain(&e)))
            };
            (i, prepare.boxed().shared())
        })
        .collect();
    // 3. Links: each as soon as its two clusters are ready.
    let mut reports: Vec<LinkReport> = links
        .iter()
        .map(|&(l, r)| {
            let local = &members[l].cluster;
            let remote = &members[r].cluster;
            let ropts = remote_options(opts, &members[r]);
            let local_check = local_checks[&l].clone();
            let prep = prepared[&r].clone();
            let known = known[&l].clone();
            let permits = &permits;
            async move {
                let fail = |reason: String| LinkReport {
                    local: local.context.clone(),
                    remote: remote.context.clone(),
                    name: remote.name.clone(),
                    outcome: Outcome::Failed,
                    reason: Some(reason),
                    actions: Vec::new(),
                };
                let report = if let Some(e) = local_check.await {
                    fail(e)
                } else {
                    match prep.await {
                        Some(Ok(p)) => {
                            let none = Arc::new(LocalObjects::none());
                            let known = known.await.unwrap_or(none);
                            let _permit = permits.acquire().await;
                            let what = format!("link to {}", remote.context);
                            let run = run_link(local, remote, &p, &ropts, opts, &known);
                            match progress.waiting(&local.context, &what, run).await {
                                Ok(actions) => LinkReport {
                                    local: local.context.clone(),
                                    remote: remote.context.clone(),
                                    name: remote.name.clone(),
                                    outcome: outcome(&actions),
                                    // "changed token mode: request → secret" on every link it
                                    // rewrote; objects used but not made by the tool are named.
                                    reason: adopted_note(p.actions.iter().chain(&actions)).or_else(|| {
                                        p.mode_change.clone().filter(|_| outcome(&actions) != Outcome::Unchanged)
                                    }),
                                    actions,
                                },
                                Err(e) => fail(error_chain(&e)),
                            }
                        }
                        Some(Err(e)) => fail(format!("remote {}: {e}", remote.context)),
                        None => fail("remote not prepared".into()),
                    }
                };
                progress.emit(Event::Link {
                    local: report.local.clone(),
                    remote: report.remote.clone(),
                    outcome: match &report.reason {
                        Some(reason) if report.outcome == Outcome::Failed => format!("failed: {reason}"),
                        _ => format!("{:?}", report.outcome).to_lowercase(),
                    },
                    ok: report.outcome != Outcome::Failed,
                });
                report
            }
        })
        .collect::<FuturesUnordered<_>>()
        .collect()
        .await;
    reports.sort_by(|a, b| (&a.local, &a.remote).cmp(&(&b.local, &b.remote)));
    let mut remote_reports: Vec<RemoteReport> = prepared
        .into_iter()
        .filter_map(|(i, p)| Some((i, p.peek().cloned().flatten()?)))
        .map(|(i, p)| {
            let m = &members[i].cluster;
            match p {
                Ok(p) => RemoteReport {
                    context: m.context.clone(),
                    name: m.name.clone(),
                    token_kind: p.credential.claims.as_ref().map(|c| c.kind),
                    token_expires: p
                        .credential
                        .claims
                        .as_ref()
                        .and_then(|c| c.expires)
                        .and_then(|s| jiff::Timestamp::from_second(s).ok())
                        .map(|t| t.to_string()),
                    actions: p.actions,
                    warnings: p.warnings,
                    error: None,
                },
                Err(e) => RemoteReport {
                    context: m.context.clone(),
                    name: m.name.clone(),
                    token_kind: None,
                    token_expires: None,
                    actions: Vec::new(),
                    warnings: Vec::new(),
                    error: Some(e),
                },
            }
        })
        .collect();
    remote_reports.sort_by(|a, b| a.context.cmp(&b.context));
    FederationReport { remotes: remote_reports, links: reports }
}

fn remote_options(opts: &FederateOptions, m: &Member) -> RemoteOptions {
    let mut ropts = opts.remote.clone();
    ropts.server = m.server.clone().or(ropts.server);
    ropts.ca_pem = m.ca_pem.clone().or(ropts.ca_pem);
    ropts
}

/// Plans, writes and verifies one link. When the remote objects changed meanwhile (a concurrent
/// `unjoin --remote-cleanup` deleted the token, or a local object was made by someone else between
/// read and write), the remote is prepared again and the link re-planned: three attempts.
async fn run_link(
    local: &Cluster,
    remote: &Cluster,
    prep: &PreparedRemote,
    ropts: &RemoteOptions,
    opts: &FederateOptions,
    known: &LocalObjects,
) -> Result<Vec<Action>> {
    let mut fresh: Option<PreparedRemote> = None;
    let mut attempt = 0u64;
    loop {
        let p = fresh.as_ref().unwrap_or(prep);
        // A retry reads every object again: the per-cluster lists predate the change.
        let none = LocalObjects::none();
        let known = if fresh.is_some() { &none } else { known };
        let result = async {
            let plan = plan_link(local, p, &opts.link, known).await?;
            plan.apply(&[local, remote], opts.execution).await?;
            // A link that wrote something checks that what it now refers to still exists; one
            // that wrote nothing refers to what was read after its usage record was written.
            if opts.execution.writes() && plan.changes() {
                verify_remote(remote, ropts, p, &local.name).await?;
            }
            Ok(plan.into_actions())
        }
        .await;
        match result {
            Err(Error::Changed { .. }) if attempt < 3 => {
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100 * attempt)).await;
                fresh =
                    Some(prepare_remote_for(remote, ropts, opts.execution, std::slice::from_ref(&local.name)).await?);
            }
            other => return other,
        }
    }
}

/// Every ordered pair of `n` members: the links of a full mesh, in diagonal order (every local
/// to the member after it, then two after it, …). Links run `parallel` at a time in this order,
/// so the links in flight together have distinct locals and distinct remotes: each API server
/// serves about `parallel / n` links at once instead of one local taking all `parallel`.
pub fn mesh_links(n: usize) -> Vec<(usize, usize)> {
    (1..n).flat_map(|d| (0..n).map(move |l| (l, (l + d) % n))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mesh_has_n_times_n_minus_one_links() {
        assert_eq!(mesh_links(3).len(), 6);
        assert_eq!(mesh_links(6).len(), 30);
        assert!(mesh_links(4).iter().all(|(l, r)| l != r));
        assert!(mesh_links(1).is_empty());
        let mut all = mesh_links(5);
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 20, "every ordered pair once");
    }

    /// An embedder's options are held to the command line's rules: a bad name fails every link
    /// before a request is built (the clusters are closed loopback ports: a request would fail
    /// with a connection error instead).
    #[tokio::test]
    async fn invalid_names_in_options_fail_every_link_without_a_request() {
        crate::tls::ensure_crypto_provider();
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
        let server = format!("https://127.0.0.1:{port}");
        let config = kube::Config::new(server.parse().expect("uri"));
        let client = kube::Client::try_from(config).expect("client");
        let member = |name: &str| Member {
            cluster: Cluster::from_client(name, name, client.clone(), &server, None),
            server: None,
            ca_pem: None,
        };
        let options = |remote_ns: &str, secret_ns: &str| FederateOptions {
            remote: RemoteOptions {
                namespace: remote_ns.into(),
                token: crate::credential::TokenChoice::keep(),
                token_wait: std::time::Duration::from_secs(1),
                server: None,
                ca_pem: None,
                allow_loopback: false,
            },
            link: LinkOptions { secret_namespace: secret_ns.into(), overlay_routing: None },
            execution: Execution::DryRunClient,
            parallel: 4,
            progress: Progress::default(),
        };
        for (members, opts, field) in [
            (vec![member("a"), member("b")], options("../kube-system", "calico-system"), "namespace"),
            (vec![member("a"), member("b")], options("calico-system", "Bad/NS"), "namespace"),
            (vec![member("a"), member("B_ad")], options("calico-system", "calico-system"), "cluster name"),
        ] {
            let report = federate(&members, &mesh_links(2), &opts).await;
            assert_eq!(report.links.len(), 2);
            for link in &report.links {
                assert_eq!(link.outcome, Outcome::Failed);
                let reason = link.reason.as_deref().unwrap_or_default();
                assert!(reason.contains(field) && reason.contains("is not valid"), "{reason}");
            }
        }
        let valid = options("calico-system", "calico-system");
        assert_eq!(valid.validate(&[member("a"), member("b")]), Ok(()));
    }

    #[test]
    fn links_in_flight_together_spread_over_the_clusters() {
        let n = 12;
        let links = mesh_links(n);
        for window in links.chunks(n) {
            let locals: BTreeSet<usize> = window.iter().map(|(l, _)| *l).collect();
            let remotes: BTreeSet<usize> = window.iter().map(|(_, r)| *r).collect();
            assert_eq!((locals.len(), remotes.len()), (n, n), "{window:?}");
        }
    }
}

//! `status`: prove that every federation link works, with the credential Calico will really use.
//!
//! For each local cluster, for each RemoteClusterConfiguration: the Secret it names exists and is
//! well formed, its kubeconfig is self-contained, the token's kind and expiry, the server URL; then
//! with a client built from the stored kubeconfig itself, `/version` and the credential's access
//! (every verb Calico needs allowed, reading Secrets not: one SelfSubjectRulesReview, or one
//! SelfSubjectAccessReview per verb where the server cannot list its rules); and
//! SubjectAccessReviews that Typha may read the Secret. The remote is asked once per distinct
//! stored credential ([`credential`]), not once per link. Every link is checked concurrently;
//! every request is bounded by the request timeout, so a dead remote costs at most that.
//!
//! [`checks`] and [`access`] decide (pure, unit-tested), [`hint`] names the fixing commands,
//! [`fetch`] asks the clusters, [`report`] is what comes out.
//!
//! ```no_run
//! # async fn demo(local: libfed::cluster::Cluster) {
//! use libfed::status::{StatusOptions, check_status};
//! let report = check_status(&[local], &StatusOptions::default()).await;
//! for link in &report.links {
//!     println!("{} -> {}: {:?}", link.local, link.remote, link.outcome);
//! }
//! assert!(report.healthy);
//! # }
//! ```

pub mod access;
pub mod checks;
pub mod credential;
pub mod dot;
pub mod fetch;
pub mod hint;
pub mod report;

use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use kube::config::Kubeconfig;

use self::access::{check_least_privilege, check_permissions, check_typha, required_access};
use self::checks::{
    Failure, check_kubeconfig, check_missing_rcc, check_rcc, check_reachable, check_secret, check_secret_data,
    check_server, check_token, server_host, subject_namespace,
};
use self::hint::{LinkContext, find_remote_context};
pub use self::report::{
    Cell, Check, CheckName, ClusterStatus, LinkStatus, Matrix, MatrixRow, Outcome, StatusReport, Summary, TokenInfo,
    worst,
};
use crate::calico::rcc::RemoteClusterConfiguration;
use crate::cluster::Cluster;
use crate::names::{DEFAULT_SECRET_NAMESPACE, TYPHA_SERVICE_ACCOUNT};
use crate::progress::{Event, Progress};
use crate::stored::source::Connection;

/// How `status` checks.
#[derive(Debug, Clone)]
pub struct StatusOptions {
    /// A token expiring within this is a warning (`--expiry-warning`, default 30 days).
    pub expiry_warning: Duration,
    /// The longest any one request may take, and what a dead remote costs at most.
    pub request_timeout: Duration,
    /// Treat a loopback server URL as fine (every cluster runs on this machine).
    pub allow_loopback: bool,
    /// How many links are checked at once.
    pub parallel: usize,
    /// `(context, server URL)` of every context the user has, to name remotes in hints.
    pub contexts: Vec<(String, String)>,
    /// How long connecting to a remote may take (within the request timeout).
    pub connect_timeout: Duration,
    /// Where progress events go.
    pub progress: Progress,
}

impl Default for StatusOptions {
    fn default() -> Self {
        StatusOptions {
            expiry_warning: Duration::from_secs(30 * 86_400),
            request_timeout: Duration::from_secs(10),
            allow_loopback: false,
            parallel: 16,
            contexts: Vec::new(),
            connect_timeout: crate::cluster::DEFAULT_CONNECT_TIMEOUT,
            progress: Progress::default(),
        }
    }
}

/// `(context, server URL)` of every context of a kubeconfig that has one.
pub fn known_contexts(kc: &Kubeconfig) -> Vec<(String, String)> {
    kc.contexts
        .iter()
        .filter_map(|c| {
            let cluster = &c.context.as_ref()?.cluster;
            let server = kc.clusters.iter().find(|x| &x.name == cluster)?.cluster.as_ref()?.server.clone()?;
            Some((c.name.clone(), server))
        })
        .collect()
}

/// One link to check: an RCC, or a managed Secret whose RCC is gone.
#[derive(Debug, Clone)]
enum Job {
    Rcc(Box<RemoteClusterConfiguration>),
    Orphan { name: String, secret: String },
}

impl Job {
    fn name(&self) -> String {
        match self {
            Job::Rcc(r) => r.metadata.name.clone().unwrap_or_default(),
            Job::Orphan { name, .. } => name.clone(),
        }
    }
}

/// Checks every link of every local cluster, concurrently. Each local cluster lists its links and
/// checks them without waiting for the others, so a hung cluster costs its own rows one request
/// budget and delays no other row. `parallel` bounds the links checked at once.
pub async fn check_status(locals: &[Cluster], opts: &StatusOptions) -> StatusReport {
    crate::tls::ensure_crypto_provider();
    let now = jiff::Timestamp::now();
    let permits = tokio::sync::Semaphore::new(opts.parallel.max(1));
    let permits = &permits;
    // Each distinct stored credential is asked about once; every link storing it shares the answer.
    let credentials = credential::Credentials::default();
    let credentials = &credentials;
    let per_local = locals.iter().enumerate().map(|(i, local)| async move {
        let (status, jobs) = opts.progress.waiting(&local.context, "listing its links", list_jobs(local, opts)).await;
        let links: Vec<(usize, LinkStatus)> = jobs
            .into_iter()
            .map(|job| async move {
                let _permit = permits.acquire().await;
                let link = check_link(local, job, opts, credentials, now.as_second()).await;
                opts.progress.emit(Event::Link {
                    local: link.local.clone(),
                    remote: link.remote.clone(),
                    outcome: match (link.outcome, link.first_problem()) {
                        (Outcome::Error, Some(c)) => c.message.clone(),
                        (Outcome::Warning, Some(c)) => format!("warning: {}", c.message),
                        _ => "ok".to_string(),
                    },
                    ok: !matches!(link.outcome, Outcome::Error),
                });
                (i, link)
            })
            .collect::<FuturesUnordered<_>>()
            .collect()
            .await;
        (status, links)
    });
    let mut clusters = Vec::new();
    let mut links = Vec::new();
    for (status, local_links) in futures::future::join_all(per_local).await {
        clusters.push(status);
        links.extend(local_links);
    }
    links.sort_by(|(a, x), (b, y)| (a, &x.remote).cmp(&(b, &y.remote)));
    StatusReport::new(now.to_string(), clusters, links.into_iter().map(|(_, l)| l).collect())
}

async fn list_jobs(local: &Cluster, opts: &StatusOptions) -> (ClusterStatus, Vec<Job>) {
    let (rccs, secrets) = tokio::join!(
        fetch::list_rccs(&local.client, opts.request_timeout),
        fetch::managed_link_secrets(&local.client, opts.request_timeout)
    );
    let status = |outcome, check, links| ClusterStatus {
        context: local.context.clone(),
        name: local.name.clone(),
        outcome,
        checks: vec![check],
        links,
    };
    match rccs {
        Err(f @ checks::Failure::TimedOut(_)) => {
            let check = Check::error(
                CheckName::ListLinks,
                format!("{}: {f}", local.context),
                checks::unanswered_hint(&local.context),
            );
            (status(Outcome::Error, check, 0), Vec::new())
        }
        Err(f) => {
            let check = Check::error(
                CheckName::ListLinks,
                format!("cannot list RemoteClusterConfigurations: {f}"),
                format!(
                    "check the cluster and that Calico Enterprise serves projectcalico.org/v3: `kubectl --context {} get remoteclusterconfigurations`",
                    local.context
                ),
            );
            (status(Outcome::Error, check, 0), Vec::new())
        }
        Ok(rccs) => {
            let mut jobs: Vec<Job> = rccs.into_iter().map(|r| Job::Rcc(Box::new(r))).collect();
            let names: Vec<String> = jobs.iter().map(Job::name).collect();
            let mut orphans: Vec<Job> = secrets
                .into_iter()
                .filter(|(name, _)| !names.contains(name))
                .map(|(name, secret)| Job::Orphan { name, secret })
                .collect();
            orphans.sort_by_key(Job::name);
            orphans.dedup_by_key(|j| j.name());
            jobs.extend(orphans);
            let check = Check::ok(CheckName::ListLinks, format!("{} RemoteClusterConfigurations", names.len()));
            (status(Outcome::Ok, check, jobs.len()), jobs)
        }
    }
}

/// Checks one link of a local cluster, the RCC `name`, exactly as [`check_status`] does (`rotate`
/// verifies each link it rewrote with this).
pub async fn check_named_link(local: &Cluster, name: &str, opts: &StatusOptions) -> LinkStatus {
    crate::tls::ensure_crypto_provider();
    let now = jiff::Timestamp::now().as_second();
    let api: kube::Api<kube::api::DynamicObject> =
        kube::Api::all_with(local.client.clone(), &crate::calico::rcc::api_resource());
    let fetched = tokio::time::timeout(opts.request_timeout, api.get_opt(name)).await;
    let rcc = match fetched {
        Ok(Ok(Some(obj))) => serde_json::to_value(obj)
            .ok()
            .and_then(|v| serde_json::from_value::<RemoteClusterConfiguration>(v).ok())
            .ok_or_else(|| "it does not parse".to_string()),
        Ok(Ok(None)) => Err("not found".into()),
        Ok(Err(e)) => Err(checks::Failure::from_kube(&e).to_string()),
        Err(_) => Err(checks::Failure::TimedOut(opts.request_timeout).to_string()),
    };
    match rcc {
        Ok(rcc) => check_link(local, Job::Rcc(Box::new(rcc)), opts, &credential::Credentials::default(), now).await,
        Err(why) => {
            let check = Check::error(
                CheckName::Rcc,
                format!("cannot read RemoteClusterConfiguration {name}: {why}"),
                format!("check the cluster: `kubectl --context {} get remoteclusterconfigurations`", local.context),
            );
            LinkStatus {
                local: local.context.clone(),
                local_name: local.name.clone(),
                remote: name.to_string(),
                remote_context: find_remote_context(&opts.contexts, name, None),
                server: None,
                outcome: Outcome::Error,
                token: None,
                checks: vec![check],
            }
        }
    }
}

/// Appends a skipped check for each name, saying why.
fn skip(checks: &mut Vec<Check>, names: &[CheckName], why: &str) {
    checks.extend(names.iter().map(|n| Check::skipped(*n, why)));
}

/// Checks one link.
async fn check_link(
    local: &Cluster,
    job: Job,
    opts: &StatusOptions,
    credentials: &credential::Credentials,
    now: i64,
) -> LinkStatus {
    use CheckName::*;
    let name = job.name();
    let mut ctx = LinkContext {
        local_context: local.context.clone(),
        name: name.clone(),
        remote_context: find_remote_context(&opts.contexts, &name, None),
        secret_namespace: DEFAULT_SECRET_NAMESPACE.into(),
        remote_namespace: None,
    };
    let mut link = LinkStatus {
        local: local.context.clone(),
        local_name: local.name.clone(),
        remote: name.clone(),
        remote_context: ctx.remote_context.clone(),
        server: None,
        outcome: Outcome::Ok,
        token: None,
        checks: Vec::new(),
    };
    let connection = match &job {
        Job::Orphan { secret, .. } => {
            link.checks.push(check_missing_rcc(&ctx, secret));
            None
        }
        Job::Rcc(rcc) => {
            let (check, connection) = check_rcc(&ctx, rcc);
            link.checks.push(check);
            connection
        }
    };
    let reference = match connection {
        None => {
            skip(
                &mut link.checks,
                &[Secret, SecretData, Kubeconfig, Token, Server, Reachable, Permissions, LeastPrivilege, TyphaAccess],
                "no Secret to check",
            );
            link.outcome = worst(&link.checks);
            return link;
        }
        Some(Connection::Inline(text)) => {
            skip(&mut link.checks, &[Secret, SecretData], "the RCC carries its kubeconfig inline");
            kubeconfig_checks(local, text.expose(), &mut ctx, &mut link, opts, credentials, now).await;
            skip(&mut link.checks, &[TyphaAccess], "the RCC carries its kubeconfig inline");
            link.remote_context = ctx.remote_context.clone();
            link.outcome = worst(&link.checks);
            return link;
        }
        Some(Connection::Secret(reference)) => reference,
    };
    ctx.secret_namespace = reference.namespace.clone();
    // Typha's access depends only on the local RBAC: reviewed while the remote is checked.
    let typha = fetch::typha_reviews(&local.client, TYPHA_SERVICE_ACCOUNT, &reference, opts.request_timeout);
    let remote = remote_checks(local, &reference, &mut ctx, &mut link, opts, credentials, now);
    let (typha, ()) = tokio::join!(typha, remote);
    link.checks.push(check_typha(&ctx, &reference, TYPHA_SERVICE_ACCOUNT, &typha));
    link.remote_context = ctx.remote_context.clone();
    link.outcome = worst(&link.checks);
    link
}

/// The checks of the Secret, the stored kubeconfig and the remote through it.
async fn remote_checks(
    local: &Cluster,
    reference: &crate::calico::rcc::SecretReference,
    ctx: &mut LinkContext,
    link: &mut LinkStatus,
    opts: &StatusOptions,
    credentials: &credential::Credentials,
    now: i64,
) {
    use CheckName::*;
    let timeout = opts.request_timeout;
    let (check, secret) = check_secret(ctx, reference, fetch::get_secret(&local.client, reference, timeout).await);
    link.checks.push(check);
    let Some(secret) = secret else {
        return skip(
            &mut link.checks,
            &[SecretData, Kubeconfig, Token, Server, Reachable, Permissions, LeastPrivilege],
            "no Secret",
        );
    };
    let (check, text) = check_secret_data(ctx, &secret);
    link.checks.push(check);
    let Some(text) = text else {
        return skip(
            &mut link.checks,
            &[Kubeconfig, Token, Server, Reachable, Permissions, LeastPrivilege],
            "no kubeconfig",
        );
    };
    kubeconfig_checks(local, &text, ctx, link, opts, credentials, now).await;
}

/// The checks of a stored kubeconfig (from a Secret or inline) and of the remote through it.
async fn kubeconfig_checks(
    _local: &Cluster,
    text: &str,
    ctx: &mut LinkContext,
    link: &mut LinkStatus,
    opts: &StatusOptions,
    credentials: &credential::Credentials,
    now: i64,
) {
    use CheckName::*;
    let timeout = opts.request_timeout;
    let (check, stored) = check_kubeconfig(ctx, text);
    link.checks.push(check);
    let Some(stored) = stored else {
        return skip(
            &mut link.checks,
            &[Token, Server, Reachable, Permissions, LeastPrivilege],
            "the kubeconfig does not parse",
        );
    };
    link.server = stored.server.clone();
    if let Some(c) = stored.server.as_deref().and_then(|s| find_remote_context(&opts.contexts, &ctx.name, Some(s))) {
        ctx.remote_context = Some(c);
    }
    let subject =
        stored.token.as_ref().and_then(|t| crate::jwt::decode_claims(t.expose()).ok()).and_then(|c| c.subject);
    ctx.remote_namespace = subject.as_deref().and_then(subject_namespace).map(str::to_string);
    let (check, token) = check_token(ctx, &stored, now, opts.expiry_warning);
    link.checks.push(check);
    link.token = token;
    let Some(server) = stored.server.clone() else {
        link.checks.push(Check::error(
            Server,
            "the kubeconfig names no usable server (see the kubeconfig check)",
            format!("re-run `{}`", ctx.join("")),
        ));
        return skip(&mut link.checks, &[Reachable, Permissions, LeastPrivilege], "no server");
    };
    let resolution = match server_host(&server) {
        Ok((host, port)) => fetch::resolve(&host, port, timeout.min(Duration::from_secs(5))).await,
        Err(e) => checks::Resolution::Failed(e),
    };
    link.checks.push(check_server(ctx, &server, &resolution, opts.allow_loopback));
    let Some(safe) = stored.safe() else {
        // Only a validated kubeconfig can become a client: an http:// server is never sent the
        // token, and nothing named by stored data is run or opened.
        return skip(
            &mut link.checks,
            &[Reachable, Permissions, LeastPrivilege],
            "the kubeconfig is not self-contained",
        );
    };
    // Asked once per distinct stored credential; every link storing it shares the answer.
    let timeouts = crate::cluster::Timeouts::new(Some(timeout), Some(opts.connect_timeout));
    let answer = credentials.answer(text, safe, timeouts).await;
    if let Some(e) = &answer.client_error {
        link.checks.push(Check::error(
            Reachable,
            format!("cannot build a client from the stored kubeconfig: {e}"),
            format!("re-run `{}`", ctx.join("")),
        ));
        return skip(&mut link.checks, &[Permissions, LeastPrivilege], "no client");
    }
    let reachable = answer.version.clone().unwrap_or_else(|| Err(Failure::Unreachable("not asked".into())));
    link.checks.push(check_reachable(ctx, &server, reachable));
    let Some(access) = &answer.access else {
        return skip(
            &mut link.checks,
            &[Permissions, LeastPrivilege],
            "the remote did not answer with the stored credential",
        );
    };
    let required = required_access().len().min(access.len());
    let (results, over) = access.split_at(required);
    link.checks.push(check_permissions(ctx, results));
    link.checks.push(check_least_privilege(ctx, over));
}

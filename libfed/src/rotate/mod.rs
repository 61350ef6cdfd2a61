//! `rotate`: renew the credentials of remote clusters without downtime (spec/cli.md, `rotate`).
//!
//! Per remote cluster: mint a credential of a new generation (see [`crate::credential`]), rewrite
//! the link Secret of every listed local cluster that stores an older one (only those, and only
//! that Secret: each rewrite restarts Calico's Typha once), verify each rewritten link with the
//! checks of `status`, and only then revoke the older generations by deleting their Secrets. When
//! anything fails, or a cluster recorded as using the remote is not listed, nothing is revoked and
//! the report says which link still uses which generation; a re-run finishes the same generation
//! instead of minting yet another.

mod generations;
mod steps;
pub use generations::*;
use steps::*;

use std::time::Duration;

use futures::StreamExt;
use serde::Serialize;

use crate::cluster::Cluster;
use crate::credential::{
    GenerationSecret, TokenModeKind, generation_secret, generation_secret_name, read_state, record_action,
};
use crate::federate::error_chain;
use crate::jwt::decode_claims;
use crate::link::{LinkReport, Outcome};
use crate::plan::{Action, Execution, Op, apply_action};
use crate::remote::TokenMode;
use crate::resource::Kind;
use crate::status::StatusOptions;

/// How `rotate` runs.
#[derive(Debug, Clone)]
pub struct RotateOptions {
    /// Namespace of the remote ServiceAccount and its generation Secrets.
    pub remote_namespace: String,
    /// How long to wait for the token controller to fill a new token Secret.
    pub token_wait: Duration,
    /// Apply, or plan only. A server dry run is planned like a client one (nothing is sent): a
    /// token cannot be obtained without persisting its Secret.
    pub execution: Execution,
    /// How many remotes rotate at once.
    pub parallel: usize,
    /// How each rewritten link is verified (the options of `status`).
    pub verify: StatusOptions,
}

/// An older generation that was not revoked, and why.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeptGeneration {
    /// The generation.
    pub generation: u64,
    /// Its Secret (deleting it revokes the credential).
    pub secret: String,
}

/// What happened to one remote's credential.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteRotation {
    /// The remote's context.
    pub context: String,
    /// Its cluster name.
    pub name: String,
    /// `secret` or `request`, as recorded on the remote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_mode: Option<TokenModeKind>,
    /// The generation every link holds afterwards (or would, in a dry run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generation: Option<u64>,
    /// When the new credential expires (RFC 3339), for TokenRequest tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_expires: Option<String>,
    /// The older generations revoked (their Secrets deleted), or to be revoked in a dry run.
    pub revoked: Vec<KeptGeneration>,
    /// The older generations still valid, because a link may still use them.
    pub kept: Vec<KeptGeneration>,
    /// Why older generations were kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_because: Option<String>,
    /// The remote objects written (or to be written).
    pub actions: Vec<Action>,
    /// Things worth telling the user.
    pub warnings: Vec<String>,
    /// Why the remote could not be rotated at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The result of `rotate`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RotationReport {
    /// Per remote, sorted by context.
    pub remotes: Vec<RemoteRotation>,
    /// Per link, sorted by (local, remote).
    pub links: Vec<LinkReport>,
}

impl RotationReport {
    /// Whether any link failed.
    pub fn failed(&self) -> bool {
        self.links.iter().any(|l| l.outcome == Outcome::Failed) || self.remotes.iter().any(|r| r.error.is_some())
    }
}

/// Rotates the credential of every listed cluster that another listed cluster links to.
pub async fn rotate(clusters: &[Cluster], opts: &RotateOptions) -> RotationReport {
    crate::tls::ensure_crypto_provider();
    let results: Vec<(RemoteRotation, Vec<LinkReport>)> = futures::stream::iter(0..clusters.len())
        .map(|r| rotate_remote(clusters, r, opts))
        .buffer_unordered(opts.parallel.max(1))
        .collect()
        .await;
    let mut remotes = Vec::new();
    let mut links = Vec::new();
    for (remote, mut l) in results {
        if !l.is_empty() || remote.error.is_some() {
            remotes.push(remote);
        }
        links.append(&mut l);
    }
    remotes.sort_by(|a, b| a.context.cmp(&b.context));
    links.sort_by(|a, b| (&a.local, &a.remote).cmp(&(&b.local, &b.remote)));
    RotationReport { remotes, links }
}

/// One link during a rotation.
struct Row<'a> {
    local: &'a Cluster,
    stored: StoredLink,
    report: LinkReport,
}

fn row_report(local: &Cluster, remote: &Cluster, outcome: Outcome, reason: String) -> LinkReport {
    LinkReport {
        local: local.context.clone(),
        remote: remote.context.clone(),
        name: remote.name.clone(),
        outcome,
        reason: Some(reason),
        actions: Vec::new(),
    }
}

async fn rotate_remote(clusters: &[Cluster], r: usize, opts: &RotateOptions) -> (RemoteRotation, Vec<LinkReport>) {
    let remote = &clusters[r];
    let ns = &opts.remote_namespace;
    let mut report = RemoteRotation {
        context: remote.context.clone(),
        name: remote.name.clone(),
        token_mode: None,
        generation: None,
        token_expires: None,
        revoked: Vec::new(),
        kept: Vec::new(),
        kept_because: None,
        actions: Vec::new(),
        warnings: Vec::new(),
        error: None,
    };
    // 1. Read: the remote's credential state and every listed local's link to it.
    let locals: Vec<&Cluster> = clusters.iter().enumerate().filter(|(i, _)| *i != r).map(|(_, c)| c).collect();
    let (state, stored) = tokio::join!(
        read_state(remote, ns),
        futures::future::join_all(locals.iter().map(|l| read_link(l, &remote.name, ns)))
    );
    let mut rows: Vec<Row> = Vec::new();
    let mut failed: Vec<LinkReport> = Vec::new();
    for (local, link) in locals.iter().zip(stored) {
        match link {
            Ok(Some(stored)) => {
                let report = row_report(local, remote, Outcome::Unchanged, String::new());
                rows.push(Row { local, stored, report });
            }
            Ok(None) => {}
            Err(e) => failed.push(row_report(
                local,
                remote,
                Outcome::Failed,
                format!("cannot read the link in {}: {}; it keeps its credential", local.context, error_chain(&e)),
            )),
        }
    }
    if rows.is_empty() && failed.is_empty() {
        return (report, Vec::new()); // nobody listed links to it
    }
    let state = match state {
        Ok(s) if s.service_account => s,
        Ok(_) => {
            let why = format!(
                "remote {}: no ServiceAccount {ns}/{} to rotate the credential of; run `kubectl federate join` or `mesh` first",
                remote.context,
                crate::names::FEDERATION_REMOTE
            );
            return fail_all(report, rows, failed, why);
        }
        Err(e) => {
            let why = format!("remote {}: {}", remote.context, error_chain(&e));
            return fail_all(report, rows, failed, why);
        }
    };
    let mode = state.mode.unwrap_or(TokenMode::Secret);
    let (target, create) = target_generation(&state, mode);
    let target_secret = generation_secret_name(target);
    report.token_mode = Some(mode.kind());
    report.generation = Some(target);
    if create {
        let desired = generation_secret(ns, target, mode);
        report.actions.push(Action {
            cluster: remote.context.clone(),
            op: Op::Create,
            kind: Kind::Secret,
            namespace: Some(ns.clone()),
            name: target_secret.clone(),
            desired: Some(desired),
            merge_patch: None,
            live: None,
        });
    }
    report.actions.push(record_action(&remote.context, ns, &state, mode, target));
    for row in rows.iter().filter(|r| r.stored.unrevocable_until.is_some()) {
        let until = row
            .stored
            .unrevocable_until
            .and_then(|s| jiff::Timestamp::from_second(s).ok())
            .map_or_else(|| "?".into(), |t| t.to_string());
        report.warnings.push(format!(
            "{} → {}: the token it stores is bound to the ServiceAccount only (minted by an earlier version): no Secret revokes it, it stays valid until {until}",
            row.local.context, remote.context
        ));
    }

    // 2. Mint (unless a dry run), then rewrite the links that hold an older generation.
    let token = if !opts.execution.writes() {
        None
    } else {
        match mint_target(remote, ns, mode, &target_secret, &report.actions, opts).await {
            Ok(t) => Some(t),
            Err(e) => {
                let why = format!("remote {}: {}", remote.context, error_chain(&e));
                return fail_all(report, rows, failed, why);
            }
        }
    };
    if let Some(exp) = token.as_ref().and_then(|t| decode_claims(t.expose()).ok()).and_then(|c| c.expires) {
        report.token_expires = jiff::Timestamp::from_second(exp).ok().map(|t| t.to_string());
    }
    let rewrites = rows.iter_mut().map(|row| rewrite(row, remote, target, token.as_ref(), opts));
    futures::future::join_all(rewrites).await;

    // 3. Revoke the older generations, only when every link took the new one.
    let older: Vec<&GenerationSecret> = state.secrets.iter().filter(|s| s.generation != target && s.managed).collect();
    let bad: Vec<String> = rows
        .iter()
        .map(|r| &r.report)
        .chain(&failed)
        .filter(|l| l.outcome == Outcome::Failed)
        .map(|l| l.local.clone())
        .collect();
    let linked: Vec<String> = rows.iter().map(|r| r.local.name.clone()).collect();
    let to_entry = |s: &&GenerationSecret| KeptGeneration { generation: s.generation, secret: s.name.clone() };
    match may_revoke(&state.used_by, &linked, &bad) {
        Ok(()) => {
            for s in &older {
                let action = Action {
                    cluster: remote.context.clone(),
                    op: Op::Delete,
                    kind: Kind::Secret,
                    namespace: Some(ns.clone()),
                    name: s.name.clone(),
                    desired: None,
                    merge_patch: None,
                    live: None,
                };
                if opts.execution.writes()
                    && let Err(e) = apply_action(&remote.client, &action, Execution::Apply).await
                {
                    report.warnings.push(format!("could not revoke generation {}: {}", s.generation, error_chain(&e)));
                    report.kept.push(to_entry(s));
                    continue;
                }
                report.actions.push(action);
                report.revoked.push(to_entry(s));
            }
        }
        Err(why) => {
            report.kept = older.iter().map(to_entry).collect();
            if !older.is_empty() {
                report.kept_because = Some(why);
            }
        }
    }
    let mut links: Vec<LinkReport> = rows.into_iter().map(|r| r.report).collect();
    links.append(&mut failed);
    (report, links)
}

#[cfg(test)]
mod tests;

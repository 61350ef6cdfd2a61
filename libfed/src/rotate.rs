//! `rotate`: renew the credentials of remote clusters without downtime (spec/cli.md, `rotate`).
//!
//! Per remote cluster: mint a credential of a new generation (see [`crate::credential`]), rewrite
//! the link Secret of every listed local cluster that stores an older one (only those, and only
//! that Secret: each rewrite restarts Calico's Typha once), verify each rewritten link with the
//! checks of `status`, and only then revoke the older generations by deleting their Secrets. When
//! anything fails, or a cluster recorded as using the remote is not listed, nothing is revoked and
//! the report says which link still uses which generation; a re-run finishes the same generation
//! instead of minting yet another.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use futures::StreamExt;
use serde::Serialize;
use serde_json::Value;

use crate::Result;
use crate::cluster::Cluster;
use crate::credential::{
    CredentialState, GenerationSecret, TokenModeKind, generation_secret, generation_secret_name, read_state,
    record_action, token_generation,
};
use crate::federate::error_chain;
use crate::jwt::decode_claims;
use crate::kubeconfig::{StoredKubeconfig, inspect, mint};
use crate::link::{LinkOptions, LinkReport, Outcome, local_objects};
use crate::names::{MANAGED_BY, MANAGED_BY_LABEL, secret_name};
use crate::plan::{Action, Execution, Op, apply_action, decide, read};
use crate::remote::{TokenMode, request_token, wait_token_secret};
use crate::resource::Kind;
use crate::status::{StatusOptions, check_named_link};

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

/// A link's Secret as stored in the local cluster.
#[derive(Debug, Clone)]
pub struct StoredLink {
    /// Namespace and name of the Secret the RCC names.
    pub secret: Option<(String, String)>,
    /// Whether the RCC and the Secret carry the managed-by label (only then is it rewritten).
    pub managed: bool,
    /// The stored kubeconfig, parsed.
    pub kubeconfig: Option<StoredKubeconfig>,
    /// The generation of our credential it holds.
    pub generation: Option<u64>,
    /// Expiry (seconds since the epoch) of a token that no Secret can revoke (bound to the
    /// ServiceAccount only, as earlier versions minted them).
    pub unrevocable_until: Option<i64>,
}

fn managed(obj: &Value) -> bool {
    obj.pointer("/metadata/labels").and_then(|l| l.get(MANAGED_BY_LABEL)).and_then(Value::as_str) == Some(MANAGED_BY)
}

/// Reads the link to remote `name` in `local`: its RCC, the Secret it names, the stored token's
/// generation. `None` when the local cluster has no RCC of that name.
///
/// # Errors
/// A read failing.
pub async fn read_link(local: &Cluster, name: &str, remote_namespace: &str) -> Result<Option<StoredLink>> {
    let Some(rcc) = read(&local.client, &local.context, Kind::RemoteClusterConfiguration, None, name).await? else {
        return Ok(None);
    };
    let reference = rcc
        .pointer("/spec/clusterAccessSecret")
        .and_then(|r| Some((r.get("namespace")?.as_str()?.to_string(), r.get("name")?.as_str()?.to_string())));
    let mut link =
        StoredLink { secret: None, managed: false, kubeconfig: None, generation: None, unrevocable_until: None };
    let Some((ns, secret)) = reference.filter(|(ns, n)| !ns.is_empty() && !n.is_empty()) else { return Ok(Some(link)) };
    let stored = read(&local.client, &local.context, Kind::Secret, Some(&ns), &secret).await?;
    link.managed = managed(&rcc) && stored.as_ref().is_some_and(managed) && secret == secret_name(name);
    link.secret = Some((ns, secret));
    link.kubeconfig = stored
        .as_ref()
        .and_then(|s| s.pointer("/data/kubeconfig"))
        .and_then(Value::as_str)
        .and_then(|b| B64.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|text| inspect(&text).ok());
    let claims = link.kubeconfig.as_ref().and_then(|k| k.token.as_ref()).and_then(|t| decode_claims(t.expose()).ok());
    if let Some(c) = &claims {
        link.generation = token_generation(c, Some(remote_namespace));
        if c.secret.is_none() {
            link.unrevocable_until = c.expires;
        }
    }
    Ok(Some(link))
}

/// The generation a rotation mints from, and whether its Secret must be made (pure). A rotation
/// left unfinished (older managed generations still there) is finished with the current
/// generation; otherwise a new one starts.
pub fn target_generation(state: &CredentialState, mode: TokenMode) -> (u64, bool) {
    let current = state.generation();
    let unfinished = state.secrets.iter().any(|s| s.generation != current && s.managed);
    let wants_token_secret = mode.kind() == TokenModeKind::Secret;
    let usable = state.secret(current).is_some_and(|s| s.token_secret == wants_token_secret && s.managed);
    if unfinished && usable { (current, false) } else { (state.highest() + 1, true) }
}

/// Whether the older generations may be revoked (pure): every listed link of the remote ended
/// well, and every local cluster recorded as using the remote (`used-by`) is one of them.
///
/// # Errors
/// Why they must stay valid, in words for the report.
pub fn may_revoke(used_by: &[String], linked: &[String], failed: &[String]) -> std::result::Result<(), String> {
    if !failed.is_empty() {
        return Err(format!("the links from {} did not take the new credential", failed.join(", ")));
    }
    let missing: Vec<&str> = used_by.iter().filter(|u| !linked.contains(u)).map(String::as_str).collect();
    if !missing.is_empty() {
        return Err(format!(
            "{} also {} this remote but {} not listed; list {} too",
            missing.join(", "),
            if missing.len() == 1 { "uses" } else { "use" },
            if missing.len() == 1 { "is" } else { "are" },
            if missing.len() == 1 { "it" } else { "them" }
        ));
    }
    Ok(())
}

fn generation_word(g: Option<u64>) -> String {
    g.map_or_else(|| "a credential of no generation".into(), |g| format!("generation {g}"))
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

fn fail_all(
    report: RemoteRotation,
    rows: Vec<Row>,
    mut failed: Vec<LinkReport>,
    why: String,
) -> (RemoteRotation, Vec<LinkReport>) {
    let mut report = report;
    for row in rows {
        let mut l = row.report;
        l.outcome = Outcome::Failed;
        l.reason = Some(format!("{why}; it keeps {}", generation_word(row.stored.generation)));
        failed.push(l);
    }
    report.error = Some(why);
    (report, failed)
}

/// Makes the target generation's Secret and records it on the ServiceAccount, then obtains its
/// token.
async fn mint_target(
    remote: &Cluster,
    ns: &str,
    mode: TokenMode,
    secret: &str,
    actions: &[Action],
    opts: &RotateOptions,
) -> Result<crate::redact::Sensitive> {
    for a in actions {
        let a = if a.op == Op::Create {
            // Planned as a create; applied as a server-side apply like every other write.
            let live = read(&remote.client, &remote.context, a.kind, a.namespace.as_deref(), &a.name).await?;
            Action { op: a.desired.as_ref().map_or(Op::Create, |d| decide(d, live.as_ref())), ..a.clone() }
        } else {
            a.clone()
        };
        apply_action(&remote.client, &a, Execution::Apply).await?;
    }
    match mode {
        TokenMode::Secret => wait_token_secret(remote, ns, secret, opts.token_wait).await,
        TokenMode::Request { ttl } => request_token(remote, ns, ttl, secret).await,
    }
}

/// Rewrites one link's Secret with the new token (same server and CA) and verifies the link.
async fn rewrite(
    row: &mut Row<'_>,
    remote: &Cluster,
    target: u64,
    token: Option<&crate::redact::Sensitive>,
    opts: &RotateOptions,
) {
    let from = row.stored.generation;
    if from == Some(target) {
        row.report.reason = Some(format!("already holds generation {target}"));
        return;
    }
    let fail = |row: &mut Row, why: String| {
        row.report.outcome = Outcome::Failed;
        row.report.reason = Some(why);
    };
    let Some((ns, name)) = row.stored.secret.clone() else {
        return fail(
            row,
            "its RemoteClusterConfiguration names no Secret (inline settings are not rotated)".to_string(),
        );
    };
    if !row.stored.managed {
        return fail(
            row,
            format!(
                "secret {ns}/{name} was not made by kubectl-federate: not rewritten; it keeps {}",
                generation_word(from)
            ),
        );
    }
    let change = format!("{} → generation {target}", generation_word(from));
    let server = row.stored.kubeconfig.as_ref().and_then(|k| k.server.clone()).unwrap_or_else(|| remote.server.clone());
    let ca = row.stored.kubeconfig.as_ref().and_then(|k| k.ca_pem.clone()).or_else(|| remote.ca_pem.clone());
    let placeholder = crate::redact::Sensitive::new("<minted when applied>");
    let Some(ca) = ca else {
        return fail(
            row,
            format!(
                "no CA for {} in the stored kubeconfig nor the context; it keeps {}",
                remote.context,
                generation_word(from)
            ),
        );
    };
    let kubeconfig = match mint(&server, &ca, token.unwrap_or(&placeholder)) {
        Ok(k) => k,
        Err(e) => return fail(row, error_chain(&e)),
    };
    let link_opts = LinkOptions { secret_namespace: ns.clone(), overlay_routing: None };
    let Some((kind, desired)) = local_objects(&remote.name, kubeconfig.expose(), &link_opts).into_iter().next() else {
        return fail(row, "no Secret planned".into());
    };
    let action = Action {
        cluster: row.local.context.clone(),
        op: Op::Update,
        kind,
        namespace: Some(ns.clone()),
        name: name.clone(),
        desired: Some(desired),
        merge_patch: None,
        live: None,
    };
    row.report.actions.push(action.clone());
    row.report.outcome = Outcome::Updated;
    if token.is_none() {
        row.report.reason = Some(change); // a dry run: planned, nothing sent
        return;
    }
    if let Err(e) = apply_action(&row.local.client, &action, Execution::Apply).await {
        return fail(row, format!("{}; it keeps {}", error_chain(&e), generation_word(from)));
    }
    // Verify with the checks of `status`, reading the Secret back as Calico would.
    let status = check_named_link(row.local, &remote.name, &opts.verify).await;
    let holds =
        status.token.as_ref().and_then(|t| t.secret.as_deref()) == Some(generation_secret_name(target).as_str());
    match status.first_problem().filter(|c| c.outcome == crate::status::Outcome::Error) {
        None if holds => row.report.reason = Some(format!("{change}, verified")),
        None => fail(row, format!("{change} written, but the Secret read back holds another credential")),
        Some(c) => fail(row, format!("{change} written, but verification failed: {}: {}", c.name.as_str(), c.message)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::credential::state_from;

    fn state(generation: u64, secrets: &[(&str, bool)]) -> CredentialState {
        let sa = json!({"metadata": {"annotations": {
            "federation.kubectl-federate.io/token-mode": "secret",
            "federation.kubectl-federate.io/token-generation": generation.to_string()
        }}});
        let metas: Vec<(String, Value)> = secrets
            .iter()
            .map(|(n, token)| {
                let mut meta = json!({"labels": {MANAGED_BY_LABEL: MANAGED_BY}});
                if *token {
                    meta["annotations"] = json!({"kubernetes.io/service-account.name": "x"});
                }
                ((*n).to_string(), meta)
            })
            .collect();
        state_from(Some(&sa), &metas)
    }

    #[test]
    fn a_clean_state_starts_a_new_generation_an_unfinished_one_is_finished() {
        let g0 = "tigera-federation-remote-cluster";
        let g1 = "tigera-federation-remote-cluster-token-1";
        assert_eq!(target_generation(&state(0, &[(g0, true)]), TokenMode::Secret), (1, true));
        assert_eq!(target_generation(&state(1, &[(g0, true), (g1, true)]), TokenMode::Secret), (1, false));
        assert_eq!(target_generation(&state(1, &[(g1, true)]), TokenMode::Secret), (2, true));
        // The current generation's Secret is gone: start afresh above everything seen.
        assert_eq!(target_generation(&state(1, &[(g0, true)]), TokenMode::Secret), (2, true));
        // A request-mode rotation cannot finish on a token Secret.
        let req = TokenMode::Request { ttl: Duration::from_secs(3600) };
        assert_eq!(target_generation(&state(1, &[(g0, true), (g1, true)]), req), (2, true));
    }

    #[test]
    fn nothing_is_revoked_while_a_user_may_hold_an_older_generation() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_string()).collect::<Vec<_>>();
        assert_eq!(may_revoke(&s(&["a", "b"]), &s(&["a", "b"]), &[]), Ok(()));
        assert_eq!(may_revoke(&[], &s(&["a"]), &[]), Ok(()));
        let failed = may_revoke(&s(&["a", "b"]), &s(&["a", "b"]), &s(&["cluster-b"])).expect_err("kept");
        assert!(failed.contains("cluster-b"), "{failed}");
        let unlisted = may_revoke(&s(&["a", "b", "x"]), &s(&["a", "b"]), &[]).expect_err("kept");
        assert_eq!(unlisted, "x also uses this remote but is not listed; list it too");
    }
}

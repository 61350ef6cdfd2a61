//! The writing steps of a rotation: minting the target generation, rewriting each link, and failing
//! the rows left.

use super::*;
use crate::Result;
use crate::cluster::Cluster;
use crate::credential::generation_secret_name;
use crate::federate::error_chain;
use crate::kubeconfig::mint;
use crate::link::{LinkOptions, LinkReport, Outcome, local_objects};
use crate::plan::{Action, Execution, Op, apply_action, decide, read};
use crate::remote::{TokenMode, request_token, wait_token_secret};
use crate::status::check_named_link;

pub(super) fn fail_all(
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
pub(super) async fn mint_target(
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
pub(super) async fn rewrite(
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

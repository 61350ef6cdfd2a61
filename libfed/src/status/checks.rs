//! The decisions of `status`, one pure function per check: given what was fetched, the outcome,
//! the message and the command that fixes it. No I/O here; `fetch.rs` gathers the inputs. The
//! checks of RBAC are in `access.rs`.

use std::time::Duration;

use k8s_openapi::api::core::v1::Secret;

use super::hint::{LinkContext, shell_word};
use super::report::{Check, CheckName, TokenInfo, human_duration};
use crate::calico::rcc::{RemoteClusterConfiguration, SecretReference};
use crate::jwt::{TokenKind, decode_claims};
use crate::remote::is_loopback_server;
use crate::stored::source::{Connection, rcc_connection};
use crate::stored::{StoredKubeconfig, inspect, secret_kubeconfig};

/// Why a request did not give an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The API server answered with an error status.
    Status {
        /// HTTP code.
        code: u16,
        /// The server's message.
        message: String,
    },
    /// No answer: connection refused, TLS failure, DNS …
    Unreachable(String),
    /// No answer within the request timeout.
    TimedOut(Duration),
}

impl Failure {
    /// Classifies a client error.
    pub fn from_kube(err: &kube::Error) -> Failure {
        if let Some(n) = crate::deadline::find_no_answer(err) {
            return Failure::TimedOut(n.after);
        }
        match err {
            kube::Error::Api(s) => Failure::Status { code: s.code, message: s.message.clone() },
            other => Failure::Unreachable(innermost(other)),
        }
    }

    /// Whether the server answered, only not with what was asked (an HTTP status): then the hint
    /// is about access; otherwise about the server itself.
    pub fn answered(&self) -> bool {
        matches!(self, Failure::Status { .. })
    }
}

/// The hint for a request to the local cluster that got no answer (timed out, refused …): about
/// the API server, never about access rights.
pub fn unanswered_hint(local_context: &str) -> String {
    format!(
        "the API server of {0} did not answer; check that it runs: `kubectl --context {0} get --raw /readyz`",
        shell_word(local_context)
    )
}

/// The last two distinct messages of an error chain: what failed and why, without the layers of
/// client plumbing above (`tcp connect error: Connection refused (os error 111)`).
fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    let mut chain: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if chain.last() != Some(&text) {
            chain.push(text);
        }
        next = e.source();
    }
    chain[chain.len().saturating_sub(2)..].join(": ")
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Status { code, message } if message.is_empty() => write!(f, "HTTP {code}"),
            Failure::Status { code, message } => write!(f, "HTTP {code}: {message}"),
            Failure::Unreachable(m) => f.write_str(m),
            Failure::TimedOut(d) => write!(f, "no answer within {}s", d.as_secs()),
        }
    }
}

/// Where the RCC's connection comes from, by Calico's rules: the Secret it names
/// (`clusterAccessSecret`, how this tool links clusters) or its inline `kubeconfigInline`.
pub fn check_rcc(ctx: &LinkContext, rcc: &RemoteClusterConfiguration) -> (Check, Option<Connection>) {
    if rcc.invalid {
        return (
            Check::error(
                CheckName::Rcc,
                "its spec does not have the RemoteClusterConfiguration shape (a field of the wrong type)",
                ctx.rejoin(),
            ),
            None,
        );
    }
    match rcc_connection(&rcc.spec) {
        Ok(Connection::Secret(r)) if r.namespace.is_empty() => {
            (Check::error(CheckName::Rcc, "spec.clusterAccessSecret lacks a namespace", ctx.rejoin()), None)
        }
        Ok(Connection::Secret(r)) => {
            (Check::ok(CheckName::Rcc, format!("names secret {}/{}", r.namespace, r.name)), Some(Connection::Secret(r)))
        }
        Ok(inline @ Connection::Inline(_)) => {
            (Check::ok(CheckName::Rcc, "carries its kubeconfig inline (spec.kubeconfigInline)"), Some(inline))
        }
        Err(refusal) => (Check::error(CheckName::Rcc, refusal.to_string(), ctx.rejoin()), None),
    }
}

/// A managed Secret exists for a remote, but no RCC: Calico does not use it.
pub fn check_missing_rcc(ctx: &LinkContext, secret: &str) -> Check {
    Check::error(
        CheckName::Rcc,
        format!("RemoteClusterConfiguration {} is missing, but secret {secret} made for it exists", ctx.name),
        format!(
            "{}, or remove the rest with `kubectl federate unjoin {} --context {}`",
            ctx.rejoin(),
            ctx.name,
            shell_word(&ctx.local_context)
        ),
    )
}

/// The Secret the RCC names exists.
pub fn check_secret(
    ctx: &LinkContext,
    reference: &SecretReference,
    fetched: Result<Option<Secret>, Failure>,
) -> (Check, Option<Secret>) {
    let object = format!("secret {}/{}", reference.namespace, reference.name);
    match fetched {
        Ok(Some(s)) => (Check::ok(CheckName::Secret, format!("{object} exists")), Some(s)),
        Ok(None) => (Check::error(CheckName::Secret, format!("{object} not found"), ctx.rejoin()), None),
        Err(f) if !f.answered() => (
            Check::error(CheckName::Secret, format!("{}: {f}", ctx.local_context), unanswered_hint(&ctx.local_context)),
            None,
        ),
        Err(f) => (
            Check::error(
                CheckName::Secret,
                format!("cannot read {object}: {f}"),
                format!(
                    "check your access: `kubectl --context {} auth can-i get secrets -n {}`",
                    shell_word(&ctx.local_context),
                    reference.namespace
                ),
            ),
            None,
        ),
    }
}

/// The Secret has `datastoreType: kubernetes` and a UTF-8 `kubeconfig`; returns the kubeconfig.
pub fn check_secret_data(ctx: &LinkContext, secret: &Secret) -> (Check, Option<String>) {
    match secret_kubeconfig(secret) {
        Ok(text) => (Check::ok(CheckName::SecretData, "datastoreType kubernetes, kubeconfig present"), Some(text)),
        Err(refusal) => (Check::error(CheckName::SecretData, refusal.to_string(), ctx.rejoin()), None),
    }
}

/// The kubeconfig parses (within limits) and is self-contained (https server, inline CA, static
/// token or inline client certificate; no exec, auth-provider, file paths or proxy).
pub fn check_kubeconfig(ctx: &LinkContext, text: &str) -> (Check, Option<StoredKubeconfig>) {
    match inspect(text) {
        Err(e) => (Check::error(CheckName::Kubeconfig, format!("the stored kubeconfig {e}"), ctx.rejoin()), None),
        Ok(stored) if stored.problems.is_empty() => {
            (Check::ok(CheckName::Kubeconfig, "parses and is self-contained"), Some(stored))
        }
        Ok(stored) => (
            Check::error(CheckName::Kubeconfig, format!("refused: {}", stored.problems.join("; ")), ctx.rejoin()),
            Some(stored),
        ),
    }
}

/// The namespace of a ServiceAccount token's subject (`system:serviceaccount:NS:NAME`).
pub fn subject_namespace(subject: &str) -> Option<&str> {
    subject.strip_prefix("system:serviceaccount:")?.split_once(':').map(|(ns, _)| ns)
}

/// The token's kind and expiry: an error once expired, a warning within `warn_within` of expiry.
pub fn check_token(
    ctx: &LinkContext,
    stored: &StoredKubeconfig,
    now: i64,
    warn_within: Duration,
) -> (Check, Option<TokenInfo>) {
    let Some(token) = &stored.token else {
        return (Check::skipped(CheckName::Token, "no static token (a client certificate authenticates)"), None);
    };
    let claims = match decode_claims(token.expose()) {
        Ok(c) => c,
        Err(e) => {
            return (
                Check::warning(
                    CheckName::Token,
                    format!("cannot read the token's claims ({e}); kind and expiry unknown"),
                    ctx.rejoin(),
                ),
                None,
            );
        }
    };
    let left = claims.expires.map(|exp| exp - now);
    let info = TokenInfo {
        kind: claims.kind,
        subject: claims.subject.clone(),
        expires: claims.expires.and_then(|s| jiff::Timestamp::from_second(s).ok()).map(|t| t.to_string()),
        expires_in_seconds: left,
        secret: claims.secret.clone(),
        expiring: left.is_some_and(|l| l <= 0 || (l as u64) < warn_within.as_secs()),
    };
    let who = claims.subject.as_deref().map(|s| format!(" for {s}")).unwrap_or_default();
    let rotate = format!("rotate it (a new token, the old one revoked): `{}`", ctx.rotate());
    let check = match (claims.kind, info.expires_in_seconds) {
        (_, Some(left)) if left <= 0 => Check::error(
            CheckName::Token,
            format!("token{who} expired {} ago ({})", human_duration(-left), info.expires.as_deref().unwrap_or("?")),
            rotate,
        ),
        (_, Some(left)) if (left as u64) < warn_within.as_secs() => Check::warning(
            CheckName::Token,
            format!(
                "token{who} expires in {} ({}), within --expiry-warning {}",
                human_duration(left),
                info.expires.as_deref().unwrap_or("?"),
                human_duration(warn_within.as_secs() as i64)
            ),
            rotate,
        ),
        (TokenKind::Bound, Some(left)) => Check::ok(
            CheckName::Token,
            format!(
                "bound token{who}, expires in {} ({})",
                human_duration(left),
                info.expires.as_deref().unwrap_or("?")
            ),
        ),
        (_, _) => Check::ok(CheckName::Token, format!("legacy token{who}, no expiry (revoked by deleting its Secret)")),
    };
    (check, Some(info))
}

/// How the server's host name resolved from this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The host is an IP address.
    IpLiteral,
    /// It resolved to these addresses.
    Resolved(Vec<std::net::IpAddr>),
    /// It did not resolve.
    Failed(String),
}

/// The host and port of a server URL (port defaulting from the scheme), or why it is not a URL.
///
/// # Errors
/// A URL that does not parse or has no host.
pub fn server_host(server: &str) -> Result<(String, u16), String> {
    let uri: http::Uri = server.parse().map_err(|e| format!("server {server:?} is not a URL: {e}"))?;
    let host = uri.host().filter(|h| !h.is_empty()).ok_or_else(|| format!("server {server:?} has no host"))?;
    let port = uri.port_u16().unwrap_or(if uri.scheme_str() == Some("http") { 80 } else { 443 });
    Ok((host.trim_start_matches('[').trim_end_matches(']').to_string(), port))
}

/// The server URL: https, a host that resolves, and not loopback (unless `allow_loopback`, for
/// clusters that all run on one machine).
pub fn check_server(ctx: &LinkContext, server: &str, resolution: &Resolution, allow_loopback: bool) -> Check {
    let fix_url = |what: &str| format!("{what}: `{}`", ctx.join(&format!("--server {}=https://HOST:PORT", ctx.name)));
    let (host, _) = match server_host(server) {
        Ok(h) => h,
        Err(e) => return Check::error(CheckName::Server, e, fix_url("mint it with a valid URL")),
    };
    if !server.starts_with("https://") {
        return Check::error(
            CheckName::Server,
            format!("{server} is not https"),
            fix_url("mint it with the API server's https URL"),
        );
    }
    let loopback = is_loopback_server(server)
        || matches!(resolution, Resolution::Resolved(ips) if !ips.is_empty() && ips.iter().all(|ip| ip.is_loopback()));
    if let Resolution::Failed(e) = resolution {
        return Check::warning(
            CheckName::Server,
            format!("host {host} of {server} does not resolve from this machine: {e}"),
            fix_url("if the local cluster cannot resolve it either, re-mint with a URL it can reach"),
        );
    }
    if loopback && !allow_loopback {
        return Check::warning(
            CheckName::Server,
            format!("{server} is loopback: other clusters reach it only from this machine"),
            format!(
                "{} (or pass --allow-loopback when every cluster runs on this machine)",
                fix_url("mint it with a URL the local cluster can reach")
            ),
        );
    }
    if loopback {
        return Check::ok(CheckName::Server, format!("{server} is loopback, allowed by --allow-loopback"));
    }
    Check::ok(CheckName::Server, format!("{server} is not loopback"))
}

/// `/version` answered (`Ok` carries the git version) with the stored credential.
pub fn check_reachable(ctx: &LinkContext, server: &str, result: Result<String, Failure>) -> Check {
    let probe = format!("`kubectl --context {} get --raw /version`", ctx.remote());
    match result {
        Ok(version) => {
            Check::ok(CheckName::Reachable, format!("{server} answers /version ({version}) with the stored token"))
        }
        Err(Failure::Status { code: 401, .. }) => Check::error(
            CheckName::Reachable,
            format!(
                "{server} refused the stored token (401 Unauthorized): it was revoked (its token Secret deleted), expired, signed with a key the remote no longer trusts, or belongs to another cluster"
            ),
            // Not `join`: it keeps a token whose Secret still exists, which is what the remote
            // holds after its signing key changed; `rotate` always mints a new generation.
            format!("mint a new one: `{}`", ctx.rotate()),
        ),
        Err(Failure::Status { code, message }) => Check::error(
            CheckName::Reachable,
            format!("{server} answered /version with HTTP {code}: {message}"),
            format!("check the remote API server: {probe}"),
        ),
        Err(f @ (Failure::Unreachable(_) | Failure::TimedOut(_))) => Check::error(
            CheckName::Reachable,
            match f {
                Failure::TimedOut(_) => format!("{} ({server}): {f}", ctx.name),
                _ => format!("{} ({server}) did not answer: {f}", ctx.name),
            },
            format!(
                "check that the remote API server runs ({probe}) and that {server} is reachable from the local cluster; if the URL is wrong, `{}`",
                ctx.join(&format!("--server {}=https://HOST:PORT", ctx.name))
            ),
        ),
    }
}

#[cfg(test)]
#[path = "checks_tests.rs"]
mod tests;

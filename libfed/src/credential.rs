//! Credential generations and the recorded token mode of a remote cluster.
//!
//! A remote has one current credential, minted from a *generation*: generation 0 is the token
//! Secret `tigera-federation-remote-cluster` (the walkthrough's name), generation N ≥ 1 is
//! `tigera-federation-remote-cluster-token-N`. In `secret` mode the generation's Secret is a
//! `kubernetes.io/service-account-token` Secret and the token is its own; in `request` mode it is an
//! empty Secret that the TokenRequest token is bound to (`boundObjectRef`). Either way, deleting the
//! Secret revokes the token, before any expiry. The remote ServiceAccount records the mode, the TTL
//! and the current generation in annotations, so that re-runs of `join`/`mesh` keep them and
//! `rotate` knows what it rotates. Everything here is pure except [`read_state`].

use std::time::Duration;

use k8s_openapi::api::core::v1::Secret;
use kube::api::ListParams;
use serde::Serialize;
use serde_json::{Value, json};

use crate::cluster::Cluster;
use crate::names::{FEDERATION_REMOTE, MANAGED_BY, MANAGED_BY_LABEL, USED_BY_ANNOTATION_PREFIX};
use crate::plan::{Action, Op, read};
use crate::remote::TokenMode;
use crate::resource::Kind;
use crate::{Error, Result};

/// Annotation on the remote ServiceAccount: `secret` or `request`.
pub const TOKEN_MODE_ANNOTATION: &str = "federation.kubectl-federate.io/token-mode";
/// Annotation on the remote ServiceAccount: the TokenRequest lifetime, as `SECONDSs`.
pub const TOKEN_TTL_ANNOTATION: &str = "federation.kubectl-federate.io/token-ttl";
/// Annotation on the remote ServiceAccount: the current credential generation.
pub const GENERATION_ANNOTATION: &str = "federation.kubectl-federate.io/token-generation";
/// The annotation a service-account-token Secret names its ServiceAccount with.
const SERVICE_ACCOUNT_NAME_ANNOTATION: &str = "kubernetes.io/service-account.name";
/// The lifetime of a TokenRequest token when nothing says otherwise (one year).
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(8760 * 3600);
/// Generations above this are not ours (a hostile or mistyped name), so never parsed.
const MAX_GENERATION: u64 = 1_000_000_000;
/// The shortest TokenRequest lifetime the API server accepts.
const MIN_TTL_SECONDS: u64 = 600;
/// The longest lifetime a recorded TTL may claim (ten years).
const MAX_TTL_SECONDS: u64 = 10 * 366 * 86_400;

/// The Secret of a generation: the token Secret (`secret` mode) or the object a TokenRequest token
/// is bound to (`request` mode).
pub fn generation_secret_name(generation: u64) -> String {
    if generation == 0 { FEDERATION_REMOTE.to_string() } else { format!("{FEDERATION_REMOTE}-token-{generation}") }
}

/// The generation a Secret name stands for, if it is one of ours.
pub fn parse_generation_secret(name: &str) -> Option<u64> {
    if name == FEDERATION_REMOTE {
        return Some(0);
    }
    let digits = name.strip_prefix(FEDERATION_REMOTE)?.strip_prefix("-token-")?;
    if digits.is_empty() || digits.len() > 10 || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0')
    {
        return None;
    }
    digits.parse().ok().filter(|g| *g <= MAX_GENERATION)
}

/// The two token modes, without a lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TokenModeKind {
    /// A service-account-token Secret.
    Secret,
    /// A TokenRequest token bound to a Secret.
    Request,
}

impl TokenMode {
    /// `secret` or `request`.
    pub fn kind(self) -> TokenModeKind {
        match self {
            TokenMode::Secret => TokenModeKind::Secret,
            TokenMode::Request { .. } => TokenModeKind::Request,
        }
    }
}

impl std::fmt::Display for TokenModeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TokenModeKind::Secret => "secret",
            TokenModeKind::Request => "request",
        })
    }
}

/// What the user asked of the token: `None` keeps what the remote records (`secret` for a new
/// link, one year for a TokenRequest lifetime).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TokenChoice {
    /// `--token`, when given.
    pub mode: Option<TokenModeKind>,
    /// `--token-ttl`, when given.
    pub ttl: Option<Duration>,
}

impl TokenChoice {
    /// Keep whatever is recorded.
    pub fn keep() -> TokenChoice {
        TokenChoice::default()
    }

    /// Exactly this mode.
    pub fn exactly(mode: TokenMode) -> TokenChoice {
        match mode {
            TokenMode::Secret => TokenChoice { mode: Some(TokenModeKind::Secret), ttl: None },
            TokenMode::Request { ttl } => TokenChoice { mode: Some(TokenModeKind::Request), ttl: Some(ttl) },
        }
    }

    /// The mode to use, given the one recorded (pure).
    pub fn resolve(self, recorded: Option<TokenMode>) -> TokenMode {
        let recorded_ttl = match recorded {
            Some(TokenMode::Request { ttl }) => ttl,
            _ => DEFAULT_TOKEN_TTL,
        };
        let ttl = self.ttl.unwrap_or(recorded_ttl);
        match self.mode.or(recorded.map(TokenMode::kind)) {
            Some(TokenModeKind::Request) => TokenMode::Request { ttl },
            Some(TokenModeKind::Secret) | None => TokenMode::Secret,
        }
    }
}

/// One generation Secret found in the remote namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerationSecret {
    /// Its generation.
    pub generation: u64,
    /// Its name.
    pub name: String,
    /// Whether it is a service-account-token Secret (else a bound-object anchor).
    pub token_secret: bool,
    /// Whether this tool made it (managed-by label): only then is it ever deleted.
    pub managed: bool,
}

/// The credential state of a remote, as its ServiceAccount and generation Secrets record it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialState {
    /// Whether the ServiceAccount exists.
    pub service_account: bool,
    /// The mode: recorded, else inferred (a generation-0 token Secret means `secret`; a
    /// ServiceAccount without one was made by `--token request`).
    pub mode: Option<TokenMode>,
    /// Whether `mode` was recorded (rather than inferred).
    pub mode_recorded: bool,
    /// The recorded current generation.
    pub recorded_generation: Option<u64>,
    /// The generation Secrets, by generation.
    pub secrets: Vec<GenerationSecret>,
    /// The local cluster names recorded as using this remote (`used-by.NAME` annotations).
    pub used_by: Vec<String>,
}

impl CredentialState {
    /// The current generation: recorded, else the highest existing one, else 0.
    pub fn generation(&self) -> u64 {
        self.recorded_generation.or_else(|| self.secrets.iter().map(|s| s.generation).max()).unwrap_or(0)
    }

    /// The Secret of a generation, if it exists.
    pub fn secret(&self, generation: u64) -> Option<&GenerationSecret> {
        self.secrets.iter().find(|s| s.generation == generation)
    }

    /// The highest generation in use or recorded.
    pub fn highest(&self) -> u64 {
        self.secrets.iter().map(|s| s.generation).chain(self.recorded_generation).max().unwrap_or(0)
    }
}

fn parse_ttl(text: &str) -> Option<Duration> {
    let digits = text.strip_suffix('s')?;
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: u64 = digits.parse().ok()?;
    (MIN_TTL_SECONDS..=MAX_TTL_SECONDS).contains(&secs).then(|| Duration::from_secs(secs))
}

/// Reads the state from the ServiceAccount (JSON, as read) and the Secrets' metadata of the
/// namespace (pure). Annotations that do not parse are ignored, as if absent.
pub fn state_from(sa: Option<&Value>, secrets: &[(String, Value)]) -> CredentialState {
    let annotations = sa.and_then(|s| s.pointer("/metadata/annotations")).and_then(Value::as_object);
    let get = |k: &str| annotations.and_then(|a| a.get(k)).and_then(Value::as_str);
    let mut found: Vec<GenerationSecret> = secrets
        .iter()
        .filter_map(|(name, meta)| {
            let generation = parse_generation_secret(name)?;
            let token_secret =
                meta.pointer("/annotations").and_then(|a| a.get(SERVICE_ACCOUNT_NAME_ANNOTATION)).is_some();
            let managed = meta.pointer("/labels").and_then(|l| l.get(MANAGED_BY_LABEL)).and_then(Value::as_str)
                == Some(MANAGED_BY);
            Some(GenerationSecret { generation, name: name.clone(), token_secret, managed })
        })
        .collect();
    found.sort_by_key(|s| s.generation);
    let recorded_generation = get(GENERATION_ANNOTATION)
        .filter(|g| g.len() <= 10)
        .and_then(|g| g.parse::<u64>().ok())
        .filter(|g| *g <= MAX_GENERATION);
    let recorded_mode = match get(TOKEN_MODE_ANNOTATION) {
        Some("secret") => Some(TokenMode::Secret),
        Some("request") => {
            Some(TokenMode::Request { ttl: get(TOKEN_TTL_ANNOTATION).and_then(parse_ttl).unwrap_or(DEFAULT_TOKEN_TTL) })
        }
        _ => None,
    };
    let mut state = CredentialState {
        service_account: sa.is_some(),
        mode: recorded_mode,
        mode_recorded: recorded_mode.is_some(),
        recorded_generation,
        secrets: found,
        used_by: annotations
            .map(|a| a.keys().filter_map(|k| k.strip_prefix(USED_BY_ANNOTATION_PREFIX)).map(str::to_string).collect())
            .unwrap_or_default(),
    };
    if state.mode.is_none() && state.service_account {
        state.mode = Some(match state.secret(state.generation()) {
            Some(s) if !s.token_secret => TokenMode::Request { ttl: DEFAULT_TOKEN_TTL },
            Some(_) => TokenMode::Secret,
            None => TokenMode::Request { ttl: DEFAULT_TOKEN_TTL },
        });
    }
    state
}

/// Reads the credential state of a remote: its ServiceAccount and the metadata (never the data)
/// of the Secrets in its namespace.
///
/// # Errors
/// A read failing.
pub async fn read_state(remote: &Cluster, namespace: &str) -> Result<CredentialState> {
    let sa = read(&remote.client, &remote.context, Kind::ServiceAccount, Some(namespace), FEDERATION_REMOTE).await?;
    let api: kube::Api<Secret> = kube::Api::namespaced(remote.client.clone(), namespace);
    let list = api
        .list_metadata(&ListParams::default())
        .await
        .map_err(|e| Error::api(&remote.context, "list", format!("secrets in namespace {namespace}"), e))?;
    let secrets: Vec<(String, Value)> = list
        .items
        .into_iter()
        .filter_map(|m| {
            let name = m.metadata.name.clone()?;
            Some((name, serde_json::to_value(&m.metadata).ok()?))
        })
        .collect();
    Ok(state_from(sa.as_ref(), &secrets))
}

/// A change of token mode, as the report says it: `request → secret`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModeChange {
    /// The mode recorded before.
    pub from: TokenModeKind,
    /// The mode now.
    pub to: TokenModeKind,
}

impl std::fmt::Display for ModeChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "changed token mode: {} → {}", self.from, self.to)
    }
}

/// Which generation `join`/`mesh` mint from, and in which mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerationPlan {
    /// The mode.
    pub mode: TokenMode,
    /// The generation.
    pub generation: u64,
    /// Set when the mode differs from the one recorded.
    pub change: Option<ModeChange>,
}

/// Decides the mode and generation of a `join`/`mesh` run (pure): the recorded mode unless the
/// user chose one, the current generation unless its Secret has the other mode's type (a Secret's
/// type cannot change), in which case a new generation.
pub fn plan_generation(state: &CredentialState, choice: TokenChoice) -> GenerationPlan {
    let mode = choice.resolve(state.mode);
    let change = state.mode.filter(|m| m.kind() != mode.kind()).map(|m| ModeChange { from: m.kind(), to: mode.kind() });
    let current = state.generation();
    let wants_token_secret = mode.kind() == TokenModeKind::Secret;
    let generation = match state.secret(current) {
        Some(s) if s.token_secret != wants_token_secret => state.highest() + 1,
        _ => current,
    };
    GenerationPlan { mode, generation, change }
}

/// The Secret of a generation (pure): a service-account-token Secret in `secret` mode, an empty
/// Secret for the TokenRequest token to be bound to in `request` mode.
pub fn generation_secret(namespace: &str, generation: u64, mode: TokenMode) -> Value {
    let name = generation_secret_name(generation);
    // Made only by the tool, so marked as created by it: rotate and unjoin may delete it later.
    crate::ownership::mark_created(match mode {
        TokenMode::Secret => json!({
            "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
            "metadata": {
                "name": name, "namespace": namespace,
                "labels": {MANAGED_BY_LABEL: MANAGED_BY},
                "annotations": {SERVICE_ACCOUNT_NAME_ANNOTATION: FEDERATION_REMOTE}
            }
        }),
        TokenMode::Request { .. } => json!({
            "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {
                "name": name, "namespace": namespace,
                "labels": {MANAGED_BY_LABEL: MANAGED_BY},
                "annotations": {
                    "federation.kubectl-federate.io/bound-token":
                        "the federation TokenRequest token of this generation is bound to this Secret: deleting it revokes the token"
                }
            }
        }),
    })
}

/// The annotations recording a mode and generation on the ServiceAccount (pure).
pub fn recorded_annotations(mode: TokenMode, generation: u64) -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    out.insert(TOKEN_MODE_ANNOTATION.into(), Value::String(mode.kind().to_string()));
    out.insert(
        TOKEN_TTL_ANNOTATION.into(),
        match mode {
            TokenMode::Request { ttl } => Value::String(format!("{}s", ttl.as_secs())),
            TokenMode::Secret => Value::Null,
        },
    );
    out.insert(GENERATION_ANNOTATION.into(), Value::String(generation.to_string()));
    out
}

/// The merge patch of the ServiceAccount recording a mode and generation; unchanged when both are
/// already recorded (pure).
pub fn record_action(
    cluster: &str,
    namespace: &str,
    state: &CredentialState,
    mode: TokenMode,
    generation: u64,
) -> Action {
    let same = state.mode_recorded && state.mode == Some(mode) && state.recorded_generation == Some(generation);
    Action {
        cluster: cluster.into(),
        op: if same { Op::Unchanged } else { Op::Update },
        kind: Kind::ServiceAccount,
        namespace: Some(namespace.into()),
        name: FEDERATION_REMOTE.into(),
        desired: None,
        merge_patch: Some(json!({"metadata": {"annotations": recorded_annotations(mode, generation)}})),
        live: None,
    }
}

/// The generation of our credential a token belongs to, from its claims: the Secret it names,
/// provided its subject is the federation ServiceAccount of `namespace` (pure).
pub fn token_generation(claims: &crate::jwt::TokenClaims, namespace: Option<&str>) -> Option<u64> {
    let subject = claims.subject.as_deref()?;
    let (ns, name) = subject.strip_prefix("system:serviceaccount:")?.split_once(':')?;
    if name != FEDERATION_REMOTE || namespace.is_some_and(|n| n != ns) {
        return None;
    }
    parse_generation_secret(claims.secret.as_deref()?)
}

#[cfg(test)]
#[path = "credential_tests.rs"]
mod tests;

//! A link as stored, and the decisions about credential generations: which one to mint, and whether
//! older ones may be revoked.

use crate::Result;
use crate::cluster::Cluster;
use crate::credential::{CredentialState, TokenModeKind, token_generation};
use crate::jwt::decode_claims;
use crate::kubeconfig::{StoredKubeconfig, inspect};
use crate::names::{MANAGED_BY, MANAGED_BY_LABEL, secret_name};
use crate::plan::read;
use crate::remote::TokenMode;
use crate::resource::Kind;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;

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

pub(super) fn managed(obj: &Value) -> bool {
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

pub(super) fn generation_word(g: Option<u64>) -> String {
    g.map_or_else(|| "a credential of no generation".into(), |g| format!("generation {g}"))
}

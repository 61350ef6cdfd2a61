//! Kubeconfigs: loading the user's (several `KUBECONFIG` files merged like kubectl), reading a
//! context's server and CA, and minting the self-contained kubeconfig that a remote cluster's
//! credential is stored as (spec/federation.md §2a). Pure except for [`load`].

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use kube::config::Kubeconfig;
use serde::{Deserialize, Serialize};

use crate::names::{FEDERATION_CONTEXT, FEDERATION_REMOTE};
use crate::redact::Sensitive;
use crate::{Error, Result};

/// Loads the user's kubeconfig: `path` if given; else every file of `KUBECONFIG`, merged the way
/// kubectl merges (the first file to define a value wins; missing files skipped); else
/// `~/.kube/config`. Size-limited, and parse errors never quote the file (see
/// [`crate::kubeconfig_load`]).
///
/// # Errors
/// A file that cannot be read or parsed, named in the error.
pub fn load(path: Option<&Path>) -> Result<Kubeconfig> {
    crate::kubeconfig_load::load(path)
}

/// Where a kubeconfig context points: its cluster's server URL and CA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextTarget {
    /// The context name.
    pub context: String,
    /// The API server URL.
    pub server: String,
    /// The CA bundle (PEM), inline or read from the file the kubeconfig names.
    pub ca_pem: Option<Vec<u8>>,
}

/// Resolves a context (`None`: the current context) to its server and CA.
///
/// # Errors
/// An unknown context or cluster, a missing server, or an unreadable CA file.
pub fn context_target(kc: &Kubeconfig, context: Option<&str>) -> Result<ContextTarget> {
    let name = context.map(str::to_string).or_else(|| kc.current_context.clone()).ok_or_else(|| {
        Error::kubeconfig("no context given and the kubeconfig has no current-context (pass --context)")
    })?;
    let ctx = kc.contexts.iter().find(|c| c.name == name).and_then(|c| c.context.as_ref()).ok_or_else(|| {
        Error::kubeconfig(format!("context {name:?} not found (`kubectl config get-contexts` lists them)"))
    })?;
    let cluster =
        kc.clusters.iter().find(|c| c.name == ctx.cluster).and_then(|c| c.cluster.as_ref()).ok_or_else(|| {
            Error::kubeconfig(format!("context {name:?} names cluster {:?}, which is not defined", ctx.cluster))
        })?;
    let server = cluster
        .server
        .clone()
        .ok_or_else(|| Error::kubeconfig(format!("cluster of context {name:?} has no server")))?;
    let ca_pem = if let Some(data) = &cluster.certificate_authority_data {
        Some(B64.decode(data.trim()).map_err(|e| Error::Kubeconfig {
            message: format!("context {name:?}: certificate-authority-data is not base64"),
            source: Some(Box::new(e)),
        })?)
    } else if let Some(file) = &cluster.certificate_authority {
        Some(crate::input::read_bytes(Path::new(file), crate::input::MAX_INPUT_BYTES).map_err(|e| {
            Error::Kubeconfig { message: format!("context {name:?}: certificate-authority"), source: Some(Box::new(e)) }
        })?)
    } else {
        None
    };
    Ok(ContextTarget { context: name, server, ca_pem })
}

#[derive(Serialize, Deserialize)]
struct Minted {
    #[serde(rename = "apiVersion")]
    api_version: String,
    kind: String,
    users: Vec<Named<MintedUser>>,
    clusters: Vec<Named<MintedCluster>>,
    contexts: Vec<Named<MintedContext>>,
    #[serde(rename = "current-context")]
    current_context: String,
}

#[derive(Serialize, Deserialize)]
struct Named<T> {
    name: String,
    #[serde(flatten)]
    inner: T,
}

#[derive(Serialize, Deserialize)]
struct MintedUser {
    user: MintedUserInner,
}
#[derive(Serialize, Deserialize)]
struct MintedUserInner {
    token: String,
}
#[derive(Serialize, Deserialize)]
struct MintedCluster {
    cluster: MintedClusterInner,
}
#[derive(Serialize, Deserialize)]
struct MintedClusterInner {
    #[serde(rename = "certificate-authority-data")]
    certificate_authority_data: String,
    server: String,
}
#[derive(Serialize, Deserialize)]
struct MintedContext {
    context: MintedContextInner,
}
#[derive(Serialize, Deserialize)]
struct MintedContextInner {
    cluster: String,
    user: String,
}

/// Mints the self-contained kubeconfig Calico reads a remote cluster with: inline CA data, a
/// static token, no exec or auth-provider, no file paths; names as in spec/federation.md §2a.
///
/// # Errors
/// Only if YAML serialisation fails, which it does not for these types.
pub fn mint(server: &str, ca_pem: &[u8], token: &Sensitive) -> Result<Sensitive> {
    let doc = Minted {
        api_version: "v1".into(),
        kind: "Config".into(),
        users: vec![Named {
            name: FEDERATION_REMOTE.into(),
            inner: MintedUser { user: MintedUserInner { token: token.expose().into() } },
        }],
        clusters: vec![Named {
            name: FEDERATION_REMOTE.into(),
            inner: MintedCluster {
                cluster: MintedClusterInner { certificate_authority_data: B64.encode(ca_pem), server: server.into() },
            },
        }],
        contexts: vec![Named {
            name: FEDERATION_CONTEXT.into(),
            inner: MintedContext {
                context: MintedContextInner { cluster: FEDERATION_REMOTE.into(), user: FEDERATION_REMOTE.into() },
            },
        }],
        current_context: FEDERATION_CONTEXT.into(),
    };
    serde_saphyr::to_string(&doc).map(Sensitive::new).map_err(|e| Error::Kubeconfig {
        message: "cannot render the minted kubeconfig".into(),
        source: Some(Box::new(e)),
    })
}

pub use crate::stored::{StoredKubeconfig, inspect};

#[cfg(test)]
mod tests {
    use super::*;

    const CA: &[u8] = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    #[test]
    fn minted_kubeconfig_is_self_contained_and_named_like_calico_expects() {
        let text = mint("https://10.0.0.1:6443", CA, &Sensitive::new("tok.en")).expect("mint");
        let stored = inspect(text.expose()).expect("parses");
        assert!(stored.problems.is_empty(), "{:?}", stored.problems);
        assert_eq!(stored.server.as_deref(), Some("https://10.0.0.1:6443"));
        assert_eq!(stored.ca_pem.as_deref(), Some(CA));
        assert_eq!(stored.token.as_ref().map(Sensitive::expose), Some("tok.en"));
        assert!(stored.safe().is_some());
        assert!(text.expose().contains(&format!("current-context: {FEDERATION_CONTEXT}")));
        assert!(!text.expose().contains("exec"), "no exec user");
    }

    #[test]
    fn kubeconfigs_that_calico_cannot_use_are_flagged() {
        let exec = "apiVersion: v1\nkind: Config\ncurrent-context: x\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: 'https://h', certificate-authority: /etc/ca.crt}}]\nusers: [{name: u, user: {exec: {command: aws, apiVersion: client.authentication.k8s.io/v1beta1}}}]\n";
        let stored = inspect(exec).expect("parses");
        let all = stored.problems.join("; ");
        assert!(all.contains("clusters[0].cluster.certificate-authority: a file path"), "{all}");
        assert!(all.contains("users[0].user.exec: runs a program"), "{all}");
        assert!(stored.token.is_none());
        assert!(inspect("not: [a kubeconfig").is_err());
    }

    #[test]
    fn context_target_reads_server_and_inline_ca() {
        let text = mint("https://127.0.0.1:1", CA, &Sensitive::new("t")).expect("mint");
        let kc = Kubeconfig::from_yaml(text.expose()).expect("kc");
        let t = context_target(&kc, None).expect("current context");
        assert_eq!(t.server, "https://127.0.0.1:1");
        assert_eq!(t.ca_pem.as_deref(), Some(CA));
        assert!(context_target(&kc, Some("nope")).is_err());
    }
}

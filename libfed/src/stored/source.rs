//! Calico's rules for where a remote's connection comes from (spec/federation.md §3b, §3c):
//! the Secret an RCC names (`datastoreType`, `kubeconfig`), or the RCC's own inline fields.
//! Pure; the refusals name fields, never their values.

use k8s_openapi::api::core::v1::Secret;

use crate::calico::rcc::{RemoteClusterConfigurationSpec, SecretReference};

/// Why a remote is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Calico leaves the RCC `ConfigIncomplete` and does not use it either.
    ConfigIncomplete(String),
    /// Calico can use it, but this tool does not read it (an etcdv3 datastore).
    Unreadable(String),
    /// The stored kubeconfig does not parse, or is not self-contained: refused, never used.
    Unsafe(String),
}

impl Refusal {
    /// The message alone.
    pub fn message(&self) -> &str {
        match self {
            Refusal::ConfigIncomplete(m) | Refusal::Unreadable(m) | Refusal::Unsafe(m) => m,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::ConfigIncomplete(m) => write!(f, "{m} (Calico: ConfigIncomplete, the remote is not used)"),
            Refusal::Unreadable(m) | Refusal::Unsafe(m) => f.write_str(m),
        }
    }
}

/// The datastore type Calico validates (`^(etcdv3|kubernetes)$`).
fn datastore(value: Option<&[u8]>, field: &str, default_etcd: bool) -> Result<(), Refusal> {
    match value.map(|v| std::str::from_utf8(v).map(str::trim)) {
        Some(Ok("kubernetes")) => Ok(()),
        Some(Ok("etcdv3")) => {
            Err(Refusal::Unreadable(format!("{field} is etcdv3: this tool reads only kubernetes datastores")))
        }
        None if default_etcd => Err(Refusal::Unreadable(format!(
            "{field} is not set, so Calico uses etcdv3: this tool reads only kubernetes datastores"
        ))),
        None => Err(Refusal::ConfigIncomplete(format!("no {field}"))),
        Some(_) => Err(Refusal::ConfigIncomplete(format!("{field} is neither kubernetes nor etcdv3"))),
    }
}

/// The kubeconfig text of a remote-cluster Secret, read as Calico reads it (`data` only):
/// `datastoreType` must be `kubernetes` (Calico: required, `kubernetes` or `etcdv3`).
///
/// # Errors
/// A refusal naming the key at fault.
pub fn secret_kubeconfig(secret: &Secret) -> Result<String, Refusal> {
    let data = secret.data.as_ref();
    let get = |k: &str| data.and_then(|d| d.get(k)).map(|v| v.0.as_slice());
    datastore(get("datastoreType"), "datastoreType key", false)?;
    let text = get("kubeconfig").ok_or_else(|| Refusal::ConfigIncomplete("no kubeconfig key".into()))?;
    let text = std::str::from_utf8(text).map_err(|_| Refusal::Unsafe("kubeconfig key: not UTF-8 text".into()))?;
    if text.trim().is_empty() {
        return Err(Refusal::ConfigIncomplete("no kubeconfig: the key is empty".into()));
    }
    Ok(text.to_owned())
}

/// Where an RCC's connection comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    /// `spec.clusterAccessSecret`: the Secret to read.
    Secret(SecretReference),
    /// `spec.kubeconfigInline`: the kubeconfig text itself.
    Inline(crate::redact::Sensitive),
}

/// Decides where an RCC's connection comes from, by Calico's rules: `clusterAccessSecret` alone
/// (no other connection field beside it), or inline fields with `datastoreType: kubernetes`
/// (unset means etcdv3). Of the inline fields only `kubeconfigInline` can be self-contained: the
/// others are file paths on Typha's machine (`kubeconfig`, `k8sCAFile`, `k8sCertFile`,
/// `k8sKeyFile`), or carry no CA at all (`k8sAPIEndpoint` with `k8sAPIToken`).
///
/// # Errors
/// A refusal naming the field at fault.
pub fn rcc_connection(spec: &RemoteClusterConfigurationSpec) -> Result<Connection, Refusal> {
    let inline = spec.inline_fields();
    if let Some(reference) = &spec.cluster_access_secret {
        if let Some(field) = inline.first() {
            return Err(Refusal::ConfigIncomplete(format!(
                "spec.clusterAccessSecret is set together with spec.{field}; Calico's validator allows no other connection field beside it"
            )));
        }
        if reference.name.is_empty() {
            return Err(Refusal::ConfigIncomplete("spec.clusterAccessSecret has no name".into()));
        }
        // Both end up in a request path: a hostile `../..` must never reach one.
        crate::names::validate_object_name("spec.clusterAccessSecret.name", &reference.name)
            .map_err(|e| Refusal::Unsafe(e.to_string()))?;
        if !reference.namespace.is_empty() {
            crate::names::validate_namespace(&reference.namespace)
                .map_err(|e| Refusal::Unsafe(format!("spec.clusterAccessSecret.{e}")))?;
        }
        return Ok(Connection::Secret(reference.clone()));
    }
    if inline.is_empty() {
        return Err(Refusal::ConfigIncomplete(
            "neither spec.clusterAccessSecret nor inline connection fields are set".into(),
        ));
    }
    datastore(spec.datastore_type.as_deref().map(str::as_bytes), "spec.datastoreType", true)?;
    if let Some(text) = spec.kubeconfig_inline.as_ref().filter(|t| !t.expose().trim().is_empty()) {
        // Calico builds the client from the inline kubeconfig alone (k8s* overrides unused).
        return Ok(Connection::Inline(text.clone()));
    }
    const PATH: &str = "a file path on Typha's machine; this tool never opens local files named by stored data: use spec.kubeconfigInline or a Secret";
    for (field, set) in [
        ("kubeconfig", spec.kubeconfig.is_some()),
        ("k8sCAFile", spec.k8s_ca_file.is_some()),
        ("k8sCertFile", spec.k8s_cert_file.is_some()),
        ("k8sKeyFile", spec.k8s_key_file.is_some()),
    ] {
        if set {
            return Err(Refusal::Unsafe(format!("spec.{field}: {PATH}")));
        }
    }
    if spec.k8s_insecure_skip_tls_verify == Some(true) {
        return Err(Refusal::Unsafe("spec.k8sInsecureSkipTLSVerify: turns TLS verification off".into()));
    }
    if spec.k8s_api_endpoint.is_none() {
        return Err(Refusal::ConfigIncomplete("spec has neither kubeconfigInline nor k8sAPIEndpoint".into()));
    }
    Err(Refusal::Unsafe(
        "spec.k8sAPIEndpoint: the k8s* fields carry no inline CA, so the server cannot be verified: use spec.kubeconfigInline (with certificate-authority-data) or a Secret".into(),
    ))
}

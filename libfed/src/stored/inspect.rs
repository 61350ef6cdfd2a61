//! The inspector: reads stored kubeconfig text as data and decides whether it has the
//! self-contained shape Calico uses. Only what passes becomes a [`SafeKubeconfig`].

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Map, Value};

use super::yaml::{self, ParseError};
use super::{SafeAuth, SafeKubeconfig};
use crate::redact::Sensitive;

/// The longest server URL accepted.
const MAX_SERVER_LEN: usize = 2048;
/// The longest bearer token accepted.
const MAX_TOKEN_LEN: usize = 16 * 1024;

/// What a stored kubeconfig holds, and what stops it from being used.
#[derive(Debug, Clone)]
pub struct StoredKubeconfig {
    /// Server of the current context, when it is a URL fit to show (no user:password part).
    pub server: Option<String>,
    /// Inline CA data (PEM) of the current context's cluster.
    pub ca_pem: Option<Vec<u8>>,
    /// The static token of the current context's user.
    pub token: Option<Sensitive>,
    /// Why it is refused, each as `field: reason` (never the field's value). Empty when usable.
    pub problems: Vec<String>,
    safe: Option<SafeKubeconfig>,
}

impl StoredKubeconfig {
    /// The validated connection, when there are no problems.
    pub fn safe(&self) -> Option<&SafeKubeconfig> {
        self.safe.as_ref()
    }

    /// The validated connection, or every problem.
    ///
    /// # Errors
    /// The problems (`field: reason`) when the kubeconfig is not self-contained.
    pub fn into_safe(self) -> Result<SafeKubeconfig, Vec<String>> {
        self.safe.ok_or(self.problems)
    }
}

/// Reads stored kubeconfig text and lists what makes it unusable: anything but an `https://`
/// server with a host, inline CA data, and a static token or inline client certificate, in the
/// current context. Nothing is executed, no file is opened, no value is quoted.
///
/// # Errors
/// Text that does not parse (its position only) or is over the size limit.
pub fn inspect(text: &str) -> Result<StoredKubeconfig, ParseError> {
    let doc = yaml::parse(text)?;
    let mut problems = Vec::new();
    let mut out = StoredKubeconfig { server: None, ca_pem: None, token: None, problems: Vec::new(), safe: None };
    let Some(root) = doc.as_object() else {
        out.problems.push("(document): not a mapping, so not a kubeconfig".into());
        return Ok(out);
    };
    let current = match root.get("current-context") {
        Some(Value::String(s)) if !s.is_empty() => Some(s.as_str()),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            problems.push("current-context: not set".to_string());
            None
        }
        Some(_) => {
            problems.push("current-context: not a string".to_string());
            None
        }
    };
    let context = current.and_then(|name| named(root, "contexts", "context", name, &mut problems));
    let (cluster_ref, user_ref) = match &context {
        Some((path, ctx)) => {
            (string_field(ctx, path, "cluster", &mut problems), string_field(ctx, path, "user", &mut problems))
        }
        None => (None, None),
    };
    let cluster = cluster_ref.and_then(|n| named(root, "clusters", "cluster", n, &mut problems));
    let user = user_ref.and_then(|n| named(root, "users", "user", n, &mut problems));

    let mut server_uri = None;
    let mut ca_der = None;
    let mut tls_server_name = None;
    if let Some((path, c)) = cluster {
        for (key, value) in c {
            let field = format!("{path}.{}", shown_key(key));
            match key.as_str() {
                "server" => match value {
                    Value::String(s) => match check_server(s) {
                        Ok(uri) => {
                            out.server = Some(s.clone());
                            server_uri = Some(uri);
                        }
                        Err((reason, showable)) => {
                            if showable {
                                out.server = Some(s.clone());
                            }
                            problems.push(format!("{field}: {reason}"));
                        }
                    },
                    _ => problems.push(format!("{field}: not a string")),
                },
                "certificate-authority-data" => match value {
                    Value::String(s) => match decode_pem(s, "CERTIFICATE") {
                        Ok((pem, ders)) => {
                            out.ca_pem = Some(pem);
                            ca_der = Some(ders);
                        }
                        Err(reason) => problems.push(format!("{field}: {reason}")),
                    },
                    _ => problems.push(format!("{field}: not a string")),
                },
                "tls-server-name" => match value {
                    Value::String(s) if !s.is_empty() && s.len() <= 253 => tls_server_name = Some(s.clone()),
                    _ => problems.push(format!("{field}: not a host name")),
                },
                "insecure-skip-tls-verify" => match value {
                    Value::Bool(false) | Value::Null => {}
                    _ => problems.push(format!(
                        "{field}: turns TLS verification off, so anyone on the path could take the token"
                    )),
                },
                "certificate-authority" => problems.push(format!("{field}: {FILE_PATH}")),
                "proxy-url" => problems
                    .push(format!("{field}: a proxy set by stored data would see every request; connect directly")),
                "disable-compression" | "extensions" => {}
                _ => problems.push(format!("{field}: {NOT_SELF_CONTAINED}")),
            }
        }
        if !c.contains_key("server") {
            problems.push(format!("{path}.server: missing"));
        }
        if !c.contains_key("certificate-authority-data") {
            problems.push(format!("{path}.certificate-authority-data: missing; the CA must be inline"));
        }
    }

    let mut cert = None;
    let mut key = None;
    if let Some((path, u)) = user {
        for (k, value) in u {
            let field = format!("{path}.{}", shown_key(k));
            match k.as_str() {
                "token" => match value {
                    Value::String(s) => {
                        out.token = Some(Sensitive::new(s.clone()));
                        if s.is_empty() || s.len() > MAX_TOKEN_LEN || !s.bytes().all(|b| b.is_ascii_graphic()) {
                            problems.push(format!("{field}: not a bearer token (empty, too long, or not printable ASCII)"));
                        }
                    }
                    _ => problems.push(format!("{field}: not a string")),
                },
                "client-certificate-data" => match value {
                    Value::String(s) => match decode_pem(s, "CERTIFICATE") {
                        Ok(_) => cert = Some(s.trim().to_string()),
                        Err(reason) => problems.push(format!("{field}: {reason}")),
                    },
                    _ => problems.push(format!("{field}: not a string")),
                },
                "client-key-data" => match value {
                    Value::String(s) => match decode_pem(s, "PRIVATE KEY") {
                        Ok(_) => key = Some(Sensitive::new(s.trim())),
                        Err(reason) => problems.push(format!("{field}: {reason}")),
                    },
                    _ => problems.push(format!("{field}: not a string")),
                },
                "exec" => problems.push(format!(
                    "{field}: runs a program; this tool never runs programs named by stored data (Calico cannot either): store a static token"
                )),
                "auth-provider" => problems.push(format!(
                    "{field}: an auth-provider may run a program (cmd-path) or refresh tokens; store a static token"
                )),
                "tokenFile" | "client-certificate" | "client-key" => problems.push(format!("{field}: {FILE_PATH}")),
                "username" | "password" => {
                    problems.push(format!("{field}: basic authentication is not supported; store a static token"))
                }
                "as" | "as-uid" | "as-groups" | "as-user-extra" => {
                    problems.push(format!("{field}: impersonation is not part of a stored credential"))
                }
                "extensions" => {}
                _ => problems.push(format!("{field}: {NOT_SELF_CONTAINED}")),
            }
        }
        if cert.is_some() != key.is_some() && !problems.iter().any(|p| p.contains("client-")) {
            problems.push(format!("{path}: client-certificate-data and client-key-data go together"));
        }
        if !(u.contains_key("token") || u.contains_key("client-certificate-data") && u.contains_key("client-key-data"))
        {
            problems.push(format!("{path}: no token (nor client-certificate-data with client-key-data)"));
        }
    }
    problems.dedup();
    out.problems = problems;
    if out.problems.is_empty()
        && let (Some(server), Some(ca_der)) = (server_uri, ca_der)
    {
        let identity = cert.zip(key);
        let token = out.token.clone();
        if token.is_some() || identity.is_some() {
            out.safe = Some(SafeKubeconfig { server, ca_der, tls_server_name, auth: SafeAuth { token, identity } });
        }
    }
    if out.safe.is_none() && out.problems.is_empty() {
        out.problems.push("(document): incomplete".into());
    }
    Ok(out)
}

const FILE_PATH: &str = "a file path; this tool never opens local files named by stored data (Calico could not read them either): store the content inline (…-data)";
const NOT_SELF_CONTAINED: &str = "not a field of a self-contained kubeconfig";

/// A mapping key as a refusal may show it: a key is stored data too, and a malformed document can
/// turn a token or key into one (a value that lost its `token:`). Only what looks like a kubeconfig
/// field name is shown: at most 40 ASCII letters and dashes, starting with a lowercase letter, with
/// at most 3 capitals (`tokenFile`). Anything else is named by its shape alone.
fn shown_key(key: &str) -> std::borrow::Cow<'_, str> {
    let looks_like_a_field = key.len() <= 40
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        && key.chars().filter(char::is_ascii_uppercase).count() <= 3;
    if looks_like_a_field {
        key.into()
    } else {
        format!("<a key of {} bytes, not shown: it does not look like a field name>", key.len()).into()
    }
}

/// The entry of `list` (e.g. `clusters`) whose `name` is `name`, as (path, inner mapping).
fn named<'a>(
    root: &'a Map<String, Value>,
    list: &str,
    inner: &str,
    name: &str,
    problems: &mut Vec<String>,
) -> Option<(String, &'a Map<String, Value>)> {
    let items = match root.get(list) {
        Some(Value::Array(a)) => a,
        None | Some(Value::Null) => {
            problems.push(format!("{list}: missing"));
            return None;
        }
        Some(_) => {
            problems.push(format!("{list}: not a list"));
            return None;
        }
    };
    for (i, item) in items.iter().enumerate() {
        let Some(entry) = item.as_object() else {
            problems.push(format!("{list}[{i}]: not a mapping"));
            continue;
        };
        if entry.get("name").and_then(Value::as_str) != Some(name) {
            continue;
        }
        let path = format!("{list}[{i}].{inner}");
        return match entry.get(inner) {
            Some(Value::Object(m)) => Some((path, m)),
            Some(_) => {
                problems.push(format!("{path}: not a mapping"));
                None
            }
            None => {
                problems.push(format!("{path}: missing"));
                None
            }
        };
    }
    let what = if list == "contexts" { "current-context" } else { "contexts[].context" };
    problems.push(format!("{list}: no entry has the name {what} refers to"));
    None
}

fn string_field<'a>(m: &'a Map<String, Value>, path: &str, key: &str, problems: &mut Vec<String>) -> Option<&'a str> {
    match m.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            problems.push(format!("{path}.{key}: missing"));
            None
        }
        Some(_) => {
            problems.push(format!("{path}.{key}: not a string"));
            None
        }
    }
}

/// An `https://` URL with a host, no user:password, no query. On refusal: the reason, and
/// whether the value may be shown (it parses and holds no credentials).
pub(crate) fn check_server(s: &str) -> Result<http::Uri, (&'static str, bool)> {
    if s.len() > MAX_SERVER_LEN {
        return Err(("longer than any server URL", false));
    }
    let uri: http::Uri = s.parse().map_err(|_| ("not a URL; write https://HOST:PORT", false))?;
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(("holds a user:password part; credentials belong in the user entry", false));
    }
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") => {
            return Err(("http:// would send the token in clear text; an https:// server is required", true));
        }
        None => return Err(("has no scheme; write https://HOST:PORT", false)),
        Some(_) => return Err(("not an https:// URL", false)),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(("has no host", false));
    }
    if uri.query().is_some() {
        return Err(("has a query string; a server URL has none", true));
    }
    Ok(uri)
}

/// Base64 → PEM → the DER blocks with `tag` (`PRIVATE KEY` matches every private key kind).
fn decode_pem(data: &str, tag: &str) -> Result<(Vec<u8>, Vec<Vec<u8>>), &'static str> {
    let pem_bytes = B64.decode(data.trim()).map_err(|_| "not base64")?;
    let blocks = pem::parse_many(&pem_bytes).map_err(|_| "not PEM after base64 decoding")?;
    let ders: Vec<Vec<u8>> =
        blocks.into_iter().filter(|b| b.tag().ends_with(tag)).map(pem::Pem::into_contents).collect();
    if ders.is_empty() {
        return Err(if tag == "CERTIFICATE" { "holds no PEM certificate" } else { "holds no PEM private key" });
    }
    Ok((pem_bytes, ders))
}

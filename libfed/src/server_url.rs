//! API server URLs, validated where they enter the tool (`--server NAME=URL`, `clusters.yaml`,
//! EKS DescribeCluster, the user's context server a kubeconfig is minted with, stored
//! kubeconfigs): `https://` with a host. A URL without a scheme would make the kube client panic
//! later (`SchemeMissing`), and a plain `http://` one would carry a bearer token unencrypted, so
//! both are refused here, before anything is written.
//!
//! Parsing is `http::Uri`'s, the type the kube client itself builds its base URI with, so a URL
//! accepted here is one the client accepts.

use std::str::FromStr;

/// Longest URL shown in an error; a hostile one may be huge.
const SHOWN_MAX: usize = 200;

/// Why a server URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServerUrlError {
    /// Nothing was given.
    #[error("the server URL is empty")]
    Empty,
    /// `cluster-b.example:6443`, `notaurl`: no `scheme://`.
    #[error("server URL {} has no scheme (https://)", shown(.0))]
    NoScheme(String),
    /// `http://…`, refused unless explicitly allowed.
    #[error("server URL {} is plain http: the token would cross the network unencrypted", shown(.0))]
    Http(String),
    /// `ftp://…`, `unix://…`.
    #[error("server URL {} has scheme {scheme:?}; only https is accepted", shown(.url))]
    UnsupportedScheme {
        /// The URL.
        url: String,
        /// Its scheme.
        scheme: String,
    },
    /// `https://`, `https://:6443`.
    #[error("server URL {} has no host", shown(.0))]
    NoHost(String),
    /// `https://user:password@host`: the URL is not echoed, it may hold a password.
    #[error("the server URL holds a user name or password, which kubeconfigs never carry in the URL")]
    UserInfo,
    /// `https://host/?a=b`, `https://host/#x`.
    #[error("server URL {} has a query or fragment", shown(.0))]
    QueryOrFragment(String),
    /// Spaces, control characters, a bad port, anything `http::Uri` refuses.
    #[error("server URL {} is not a valid URL ({reason})", shown(.url))]
    Invalid {
        /// The URL.
        url: String,
        /// What the parser said.
        reason: String,
    },
}

impl ServerUrlError {
    /// What to write instead, e.g. `https://cluster-b.example:6443` for `cluster-b.example:6443`.
    pub fn hint(&self) -> String {
        match self {
            Self::NoScheme(url) => format!("write the URL with its scheme: https://{}", truncate(url.trim())),
            Self::Http(url) => format!(
                "use https://{} (API servers serve https); plain http only with the explicit insecure flag",
                truncate(url.split_once("://").map_or(url.as_str(), |(_, rest)| rest))
            ),
            _ => "write the API server URL as https://HOST[:PORT], e.g. https://10.0.0.2:6443".into(),
        }
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() <= SHOWN_MAX {
        return s.to_string();
    }
    let mut out: String = s.chars().take(SHOWN_MAX).collect();
    out.push('…');
    out
}

/// The URL as an error shows it: quoted, escaped, at most [`SHOWN_MAX`] characters.
fn shown(s: &str) -> String {
    format!("{:?}", truncate(s))
}

/// Checks that `input` is an `https://` URL with a host (plain `http://` too when `allow_http`),
/// without user info, query or fragment; a path is allowed (API servers behind a proxy prefix).
///
/// # Errors
/// [`ServerUrlError`] saying what is wrong; [`ServerUrlError::hint`] says what to write instead.
pub fn validate_server_url(input: &str, allow_http: bool) -> Result<http::Uri, ServerUrlError> {
    if input.trim().is_empty() {
        return Err(ServerUrlError::Empty);
    }
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ServerUrlError::Invalid {
            url: input.to_string(),
            reason: "it contains spaces or control characters".into(),
        });
    }
    let Some((scheme, rest)) = input.split_once("://") else {
        return Err(ServerUrlError::NoScheme(input.to_string()));
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" if allow_http => {}
        "http" => return Err(ServerUrlError::Http(input.to_string())),
        "" => return Err(ServerUrlError::NoScheme(input.to_string())),
        other => {
            return Err(ServerUrlError::UnsupportedScheme { url: input.to_string(), scheme: other.to_string() });
        }
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.starts_with(':') {
        return Err(ServerUrlError::NoHost(input.to_string()));
    }
    if authority.contains('@') {
        return Err(ServerUrlError::UserInfo);
    }
    if input.contains(['?', '#']) {
        return Err(ServerUrlError::QueryOrFragment(input.to_string()));
    }
    let uri = http::Uri::from_str(input)
        .map_err(|e| ServerUrlError::Invalid { url: input.to_string(), reason: e.to_string() })?;
    let host = uri.host().unwrap_or("");
    if host.is_empty() || host == "[]" {
        return Err(ServerUrlError::NoHost(input.to_string()));
    }
    // `http::Uri` accepts a non-numeric port (and then reports none), so check the text.
    let host_port = authority.rsplit_once(']').map_or(authority, |(_, after)| after);
    let bad_port = host_port.rsplit_once(':').is_some_and(|(_, port)| !matches!(port.parse::<u16>(), Ok(1..)));
    if bad_port {
        return Err(ServerUrlError::Invalid {
            url: input.to_string(),
            reason: "the port is not a number from 1 to 65535".into(),
        });
    }
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_urls_with_a_host_are_accepted() {
        for url in [
            "https://10.0.0.2:6443",
            "https://cluster-b.example",
            "https://ABC.gr7.us-west-2.eks.amazonaws.com",
            "https://[fd00::1]:6443",
            "https://127.0.0.1:6443/",
            "https://rancher.example/k8s/clusters/c-abc",
            "HTTPS://upper.example",
        ] {
            let uri = validate_server_url(url, false).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(uri.host().is_some(), "{url}");
        }
    }

    #[test]
    fn urls_without_a_scheme_are_refused_with_the_https_form_as_hint() {
        for (url, hint) in [
            ("notaurl", "https://notaurl"),
            ("cluster-b.example:6443", "https://cluster-b.example:6443"),
            ("10.0.0.2:6443", "https://10.0.0.2:6443"),
            ("://host", "https://://host"),
        ] {
            let err = validate_server_url(url, true).expect_err(url);
            assert!(matches!(err, ServerUrlError::NoScheme(_)), "{url}: {err:?}");
            assert!(err.hint().contains(hint), "{url}: {}", err.hint());
        }
    }

    #[test]
    fn plain_http_is_refused_unless_allowed() {
        let err = validate_server_url("http://10.0.0.2:8080", false).expect_err("http");
        assert_eq!(err, ServerUrlError::Http("http://10.0.0.2:8080".into()));
        assert!(err.hint().contains("https://10.0.0.2:8080"), "{}", err.hint());
        assert!(validate_server_url("http://10.0.0.2:8080", true).is_ok());
        assert!(validate_server_url("HTTP://h", false).is_err());
    }

    #[test]
    fn other_malformed_urls_are_refused() {
        for (url, check) in [
            ("", ServerUrlError::Empty),
            ("   ", ServerUrlError::Empty),
            ("ftp://h", ServerUrlError::UnsupportedScheme { url: "ftp://h".into(), scheme: "ftp".into() }),
            ("https://", ServerUrlError::NoHost("https://".into())),
            ("https://h/?watch=1", ServerUrlError::QueryOrFragment("https://h/?watch=1".into())),
            ("https://h#x", ServerUrlError::QueryOrFragment("https://h#x".into())),
        ] {
            assert_eq!(validate_server_url(url, false), Err(check), "{url:?}");
        }
        for url in [
            "https://:6443",
            "https://h:notaport",
            "https://h:99999",
            "https://h:",
            "https://h:0",
            "https://h x",
            "https://h\n",
            "https://a b@c",
        ] {
            assert!(validate_server_url(url, false).is_err(), "{url:?} should be refused");
        }
    }

    #[test]
    fn user_info_is_refused_without_echoing_it() {
        let err = validate_server_url("https://admin:hunter2@h:6443", false).expect_err("userinfo");
        assert_eq!(err, ServerUrlError::UserInfo);
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn huge_urls_are_shown_truncated() {
        let url = format!("x{}", "a".repeat(100_000));
        let err = validate_server_url(&url, false).expect_err("no scheme");
        assert!(err.to_string().len() < 400, "{}", err.to_string().len());
        assert!(err.hint().len() < 400);
    }
}

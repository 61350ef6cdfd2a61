//! Reading (not verifying) a ServiceAccount token's claims: what kind of token it is and when it
//! expires. The API server verifies; we only report.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// The kind of a ServiceAccount token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TokenKind {
    /// A TokenRequest token: bound to an audience and an expiry.
    Bound,
    /// A legacy token from a `kubernetes.io/service-account-token` Secret: no expiry, revoked by
    /// deleting the Secret.
    Legacy,
}

/// What a token says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenClaims {
    /// Bound or legacy.
    pub kind: TokenKind,
    /// The subject, e.g. `system:serviceaccount:calico-system:tigera-federation-remote-cluster`.
    pub subject: Option<String>,
    /// The issuer.
    pub issuer: Option<String>,
    /// Expiry, seconds since the epoch (`exp`); legacy tokens have none.
    pub expires: Option<i64>,
    /// Issued at, seconds since the epoch (`iat`).
    pub issued: Option<i64>,
    /// The Secret the token belongs to: a legacy token's own Secret, or the object a TokenRequest
    /// token is bound to (`boundObjectRef` of kind Secret). Deleting it revokes the token.
    pub secret: Option<String>,
}

#[derive(Deserialize)]
struct RawClaims {
    sub: Option<String>,
    iss: Option<String>,
    exp: Option<i64>,
    iat: Option<i64>,
    #[serde(rename = "kubernetes.io/serviceaccount/secret.name")]
    legacy_secret: Option<String>,
    /// The private claims of a TokenRequest token; only `secret.name` is read, and any other shape
    /// is taken as "bound to no Secret" rather than failing the whole token.
    #[serde(rename = "kubernetes.io")]
    bound: Option<serde_json::Value>,
}

/// Decodes a JWT's payload without verifying it.
///
/// # Errors
/// A token that is not three base64url parts with a JSON payload.
pub fn decode_claims(token: &str) -> Result<TokenClaims, String> {
    let mut parts = token.trim().split('.');
    let (Some(_), Some(payload), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err("not a JWT (expected three dot-separated parts)".into());
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| format!("JWT payload is not base64url: {e}"))?;
    let raw: RawClaims = serde_json::from_slice(&bytes).map_err(|e| format!("JWT payload is not JSON claims: {e}"))?;
    let kind = if raw.legacy_secret.is_some() || raw.exp.is_none() { TokenKind::Legacy } else { TokenKind::Bound };
    let bound_secret = raw
        .bound
        .as_ref()
        .and_then(|b| b.pointer("/secret/name"))
        .and_then(serde_json::Value::as_str)
        .map(str::to_string);
    let secret = raw.legacy_secret.or(bound_secret);
    Ok(TokenClaims { kind, subject: raw.sub, issuer: raw.iss, expires: raw.exp, issued: raw.iat, secret })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        format!("eyJhbGciOiJSUzI1NiJ9.{}.c2ln", URL_SAFE_NO_PAD.encode(claims))
    }

    #[test]
    fn bound_and_legacy_tokens_are_told_apart() {
        let bound = decode_claims(&jwt(
            r#"{"sub":"system:serviceaccount:a:b","exp":1700000000,"iat":1690000000,"kubernetes.io":{}}"#,
        ))
        .expect("bound");
        assert_eq!(bound.kind, TokenKind::Bound);
        assert_eq!(bound.expires, Some(1_700_000_000));
        let legacy = decode_claims(&jwt(
            r#"{"sub":"system:serviceaccount:a:b","kubernetes.io/serviceaccount/secret.name":"b-token"}"#,
        ))
        .expect("legacy");
        assert_eq!(legacy.kind, TokenKind::Legacy);
        assert_eq!(legacy.expires, None);
        assert_eq!(legacy.secret.as_deref(), Some("b-token"));
        assert_eq!(bound.secret, None, "bound to the ServiceAccount only");
    }

    #[test]
    fn the_secret_a_token_is_bound_to_is_read() {
        let bound = decode_claims(&jwt(
            r#"{"sub":"system:serviceaccount:a:b","exp":1700000000,"kubernetes.io":{"namespace":"a","secret":{"name":"b-token-3","uid":"u"},"serviceaccount":{"name":"b","uid":"v"}}}"#,
        ))
        .expect("bound");
        assert_eq!(bound.kind, TokenKind::Bound);
        assert_eq!(bound.secret.as_deref(), Some("b-token-3"));
        // Other shapes are not a panic, nor do they hide the rest of the claims.
        assert_eq!(decode_claims(&jwt(r#"{"exp":1,"kubernetes.io":{"secret":7}}"#)).expect("ok").secret, None);
        assert_eq!(decode_claims(&jwt(r#"{"exp":1,"kubernetes.io":[1]}"#)).expect("ok").secret, None);
        assert_eq!(decode_claims(&jwt(r#"{"exp":1,"kubernetes.io":{"secret":{}}}"#)).expect("ok").secret, None);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(decode_claims("abc").is_err());
        assert!(decode_claims("a.!!!.c").is_err());
        assert!(decode_claims(&format!("a.{}.c", URL_SAFE_NO_PAD.encode("[1]"))).is_err());
    }
}

//! The EKS bearer token (`aws eks get-token`): a presigned STS GetCallerIdentity URL that the
//! cluster's authenticator replays to learn who is calling.
//!
//! Pure: credentials and the time come in as arguments, so the test vector of aws-iam-authenticator
//! reproduces byte for byte.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign};
use aws_sigv4::sign::v4;
use base64::Engine;
use serde::Serialize;

use crate::{Error, Result};

/// The prefix of every EKS token.
pub const TOKEN_PREFIX: &str = "k8s-aws-v1.";
/// The header naming the cluster, signed into the URL so a token is good for one cluster only.
pub const CLUSTER_ID_HEADER: &str = "x-k8s-aws-id";
/// `X-Amz-Expires`: a legacy value STS ignores (it honours 15 minutes after `X-Amz-Date`), kept
/// because the authenticator checks it is within 0..=900.
const PRESIGN_EXPIRES: Duration = Duration::from_secs(60);
/// Clients report the token as expiring one minute before STS stops accepting it.
const TOKEN_LIFETIME: Duration = Duration::from_secs(14 * 60);
/// The ExecCredential version used when kubectl does not say which it wants.
pub const DEFAULT_EXEC_API_VERSION: &str = "client.authentication.k8s.io/v1beta1";

/// An EKS bearer token and when clients should stop using it.
#[derive(Clone, PartialEq, Eq)]
pub struct EksToken {
    /// `k8s-aws-v1.` followed by the base64url (unpadded) presigned URL.
    pub token: String,
    /// Time of signing plus 14 minutes.
    pub expiration: jiff::Timestamp,
}

impl std::fmt::Debug for EksToken {
    // The token is a credential: keep it out of logs and panics.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EksToken").field("token", &"<redacted>").field("expiration", &self.expiration).finish()
    }
}

/// The regional STS host the CLI presigns against (`sts.REGION.amazonaws.com`, `.com.cn` in China).
pub fn sts_host(region: &str) -> String {
    let suffix = if region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" };
    format!("sts.{region}.{suffix}")
}

/// Builds the token for a cluster from credentials, a region and the signing time.
///
/// # Errors
/// [`Error::Invalid`] when the region or cluster name cannot go into a URL or header, or signing
/// fails.
pub fn presign_token(credentials: &Credentials, region: &str, cluster: &str, now: SystemTime) -> Result<EksToken> {
    if region.is_empty() || !region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(Error::Invalid(format!("invalid AWS region {region:?}")));
    }
    let invalid =
        |what: &str, e: &dyn std::fmt::Display| Error::Invalid(format!("cannot sign the EKS token {what}: {e}"));
    let url = format!("https://{}/?Action=GetCallerIdentity&Version=2011-06-15", sts_host(region));
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(PRESIGN_EXPIRES);
    let identity = credentials.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("sts")
        .time(now)
        .settings(settings)
        .build()
        .map_err(|e| invalid("parameters", &e))?
        .into();
    // An empty body hashes to SHA-256(""), which is what aws-iam-authenticator and the CLI sign;
    // UNSIGNED-PAYLOAD would give a different signature.
    let request = SignableRequest::new(
        "GET",
        url.as_str(),
        std::iter::once((CLUSTER_ID_HEADER, cluster)),
        SignableBody::Bytes(&[]),
    )
    .map_err(|e| invalid("request", &e))?;
    let (instructions, _signature) = sign(request, &params).map_err(|e| invalid("request", &e))?.into_parts();
    let mut presigned = url;
    for (name, value) in instructions.params() {
        presigned.push('&');
        presigned.push_str(name);
        presigned.push('=');
        presigned.push_str(&percent_encode(value));
    }
    let token = format!("{TOKEN_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(presigned));
    let signed_at = jiff::Timestamp::try_from(now).map_err(|e| invalid("time", &e))?;
    let expiration = signed_at
        .checked_add(jiff::SignedDuration::try_from(TOKEN_LIFETIME).map_err(|e| invalid("time", &e))?)
        .map_err(|e| invalid("time", &e))?;
    Ok(EksToken { token, expiration })
}

/// Percent-encodes a query value the way SigV4 canonicalises it (RFC 3986 unreserved kept).
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `ExecCredential` a kubectl exec plugin prints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecCredential {
    /// Always `ExecCredential`.
    pub kind: &'static str,
    /// The version kubectl asked for.
    pub api_version: String,
    /// Always empty.
    pub spec: serde_json::Map<String, serde_json::Value>,
    /// The token and its expiry.
    pub status: ExecCredentialStatus,
}

/// The `status` of an [`ExecCredential`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecCredentialStatus {
    /// RFC 3339 in UTC, whole seconds (`2023-04-28T00:14:00Z`).
    pub expiration_timestamp: String,
    /// The bearer token.
    pub token: String,
}

impl std::fmt::Debug for ExecCredentialStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecCredentialStatus")
            .field("expiration_timestamp", &self.expiration_timestamp)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// Wraps a token in an `ExecCredential`. `exec_info` is the `KUBERNETES_EXEC_INFO` kubectl sets;
/// its `apiVersion` is echoed, else `client.authentication.k8s.io/v1beta1`.
pub fn exec_credential(token: &EksToken, exec_info: Option<&str>) -> ExecCredential {
    let api_version = exec_info
        .and_then(|info| serde_json::from_str::<serde_json::Value>(info).ok())
        .and_then(|v| v.get("apiVersion").and_then(|a| a.as_str()).map(str::to_string))
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_EXEC_API_VERSION.to_string());
    ExecCredential {
        kind: "ExecCredential",
        api_version,
        spec: serde_json::Map::new(),
        status: ExecCredentialStatus {
            expiration_timestamp: token.expiration.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            token: token.token.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // aws-iam-authenticator pkg/token/token_test.go TestGetWithSTS (fake credentials).
    const EXPECTED: &str = "k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtd2VzdC0yLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZWZXJzaW9uPTIwMTEtMDYtMTUmWC1BbXotQWxnb3JpdGhtPUFXUzQtSE1BQy1TSEEyNTYmWC1BbXotQ3JlZGVudGlhbD1BU0lBUjJURzQ0VjZBUzNaWkU3QyUyRjIwMjMwNDI4JTJGdXMtd2VzdC0yJTJGc3RzJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyMzA0MjhUMDAwMDAwWiZYLUFtei1FeHBpcmVzPTYwJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCUzQngtazhzLWF3cy1pZCZYLUFtei1TaWduYXR1cmU9ZTIxMWRiYTc3YWJhOWRjNDRiMGI2YmUzOGI4ZWFhZDA5MjU5OWM1MTU3ZjYzMTQ0NDRjNWI5ZDg1NzQ3ZjVjZQ";

    fn vector_credentials(session: Option<&str>) -> Credentials {
        Credentials::new(
            "ASIAR2TG44V6AS3ZZE7C",
            "4KD5cntGcVmLWRdF5wvNRuzNL5Qxmp6OKVY6Fz/Q",
            session.map(str::to_string),
            None,
            "test",
        )
    }

    fn vector_time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_682_640_000)
    }

    fn decode(token: &str) -> String {
        let raw = token.strip_prefix(TOKEN_PREFIX).expect("prefix");
        String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(raw).expect("base64url"))
            .expect("utf-8")
    }

    #[test]
    fn aws_iam_authenticator_test_vector_reproduces_byte_for_byte() {
        let token =
            presign_token(&vector_credentials(None), "us-west-2", "test-cluster", vector_time()).expect("token");
        assert_eq!(token.token, EXPECTED);
        assert_eq!(token.expiration.to_string(), "2023-04-28T00:14:00Z");
    }

    #[test]
    fn session_credentials_add_the_security_token_and_change_the_signature() {
        let token =
            presign_token(&vector_credentials(Some("SESSION/TOKEN+x")), "us-west-2", "test-cluster", vector_time())
                .expect("token");
        let url = decode(&token.token);
        assert!(url.contains("&X-Amz-Security-Token=SESSION%2FTOKEN%2Bx"), "{url}");
        assert_ne!(token.token, EXPECTED);
    }

    #[test]
    fn token_passes_the_authenticator_checks() {
        // The server-side checks of aws-iam-authenticator's Verify, spec/federation.md §9.
        let token =
            presign_token(&vector_credentials(Some("tok")), "eu-central-1", "prod", vector_time()).expect("token");
        assert!(token.token.len() <= 4096);
        let url = decode(&token.token);
        let rest = url.strip_prefix("https://sts.eu-central-1.amazonaws.com/?").expect("https, STS host, path /");
        let allowed = [
            "action",
            "version",
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
            "x-amz-expires",
            "x-amz-security-token",
            "x-amz-signature",
            "x-amz-signedheaders",
        ];
        let mut seen = std::collections::BTreeSet::new();
        let mut get = std::collections::BTreeMap::new();
        for pair in rest.split('&') {
            let (k, v) = pair.split_once('=').expect("key=value");
            let k = k.to_ascii_lowercase();
            assert!(allowed.contains(&k.as_str()), "unexpected query key {k}");
            assert!(seen.insert(k.clone()), "duplicate query key {k}");
            get.insert(k, v.to_string());
        }
        assert_eq!(get["action"], "GetCallerIdentity");
        assert!(get["x-amz-signedheaders"].split("%3B").any(|h| h == CLUSTER_ID_HEADER));
        assert_eq!(get["x-amz-expires"], "60");
        assert_eq!(get["x-amz-date"], "20230428T000000Z");
    }

    #[test]
    fn china_regions_use_the_com_cn_domain() {
        assert_eq!(sts_host("cn-north-1"), "sts.cn-north-1.amazonaws.com.cn");
        assert_eq!(sts_host("us-east-1"), "sts.us-east-1.amazonaws.com");
    }

    #[test]
    fn a_bad_region_is_refused() {
        let err = presign_token(&vector_credentials(None), "us-west-2/../x", "c", vector_time()).expect_err("refused");
        assert!(err.to_string().contains("invalid AWS region"), "{err}");
    }

    #[test]
    fn exec_credential_echoes_the_requested_api_version() {
        let token = EksToken { token: "k8s-aws-v1.x".into(), expiration: "2023-04-28T00:14:00Z".parse().expect("ts") };
        let default = serde_json::to_value(exec_credential(&token, None)).expect("json");
        assert_eq!(
            default,
            serde_json::json!({"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1beta1", "spec": {},
                "status": {"expirationTimestamp": "2023-04-28T00:14:00Z", "token": "k8s-aws-v1.x"}})
        );
        let info =
            r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
        assert_eq!(exec_credential(&token, Some(info)).api_version, "client.authentication.k8s.io/v1");
        assert_eq!(exec_credential(&token, Some("not json")).api_version, DEFAULT_EXEC_API_VERSION);
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let token =
            presign_token(&vector_credentials(None), "us-west-2", "test-cluster", vector_time()).expect("token");
        assert!(!format!("{token:?}").contains("k8s-aws-v1"));
        assert!(!format!("{:?}", exec_credential(&token, None)).contains("k8s-aws-v1"));
    }
}

//! The remote's token: read from its service-account-token Secret, waited for while the token
//! controller fills it, or requested (TokenRequest).

use crate::cluster::Cluster;
use crate::names::FEDERATION_REMOTE;
use crate::plan::read;
use crate::redact::Sensitive;
use crate::resource::{Kind, describe};
use crate::{Error, Result};
use k8s_openapi::api::authentication::v1::{BoundObjectReference, TokenRequest, TokenRequestSpec};
use k8s_openapi::api::core::v1::{Secret, ServiceAccount};
use kube::api::PostParams;
use std::time::{Duration, Instant};

/// The token and CA of a service-account-token Secret, once the token controller filled it.
///
/// # Errors
/// The read failing.
pub async fn read_token_secret(
    remote: &Cluster,
    namespace: &str,
    name: &str,
) -> Result<Option<(Sensitive, Option<Vec<u8>>)>> {
    Ok(token_secret(remote, namespace, name).await?.flatten())
}

/// [`read_token_secret`], telling a missing Secret (`None`) from an unfilled one (`Some(None)`).
async fn token_secret(
    remote: &Cluster,
    namespace: &str,
    name: &str,
) -> Result<Option<Option<(Sensitive, Option<Vec<u8>>)>>> {
    let Some(value) = read(&remote.client, &remote.context, Kind::Secret, Some(namespace), name).await? else {
        return Ok(None);
    };
    let secret: Secret = serde_json::from_value(value).map_err(|_| Error::Data {
        location: format!("cluster {}", remote.context),
        object: crate::resource::describe(Kind::Secret, Some(namespace), name),
        problem: "not a Secret this client can read".into(),
    })?;
    let data = secret.data.unwrap_or_default();
    let token = data.get("token").and_then(|t| String::from_utf8(t.0.clone()).ok()).filter(|t| !t.is_empty());
    Ok(Some(token.map(|t| (Sensitive::new(t), data.get("ca.crt").map(|c| c.0.clone())))))
}

/// Waits for the token controller to fill a service-account-token Secret.
///
/// # Errors
/// A read failing, the Secret being deleted meanwhile ([`Error::Changed`]), or no token within
/// `wait`.
pub async fn wait_token_secret(remote: &Cluster, namespace: &str, name: &str, wait: Duration) -> Result<Sensitive> {
    crate::progress::waiting_here(&remote.context, "the token controller to fill the token Secret", async {
        wait_token_secret_loop(remote, namespace, name, wait).await
    })
    .await
}

pub(super) async fn wait_token_secret_loop(
    remote: &Cluster,
    namespace: &str,
    name: &str,
    wait: Duration,
) -> Result<Sensitive> {
    let deadline = Instant::now() + wait;
    // The token controller usually fills a new Secret within tens of milliseconds: poll soon,
    // then back off to 200ms.
    let mut pause = Duration::from_millis(25);
    loop {
        match token_secret(remote, namespace, name).await? {
            Some(Some((token, _))) => return Ok(token),
            Some(None) => {}
            // Gone (not just unfilled): deleted meanwhile, e.g. by a concurrent unjoin
            // --remote-cleanup, or by the token controller because its ServiceAccount was. Prepare
            // again. (This once read generation 0's Secret whatever `name` was, so a rotation
            // after one that had revoked generation 0 failed whenever its token came late.)
            None => {
                return Err(Error::Changed {
                    cluster: remote.context.clone(),
                    object: describe(Kind::Secret, Some(namespace), name),
                    what: "deleted while waiting for its token".into(),
                });
            }
        }
        if Instant::now() >= deadline {
            return Err(Error::Timeout {
                cluster: remote.context.clone(),
                what: format!(
                    "the token controller to fill {} (is kube-controller-manager running? or use --token request)",
                    describe(Kind::Secret, Some(namespace), name)
                ),
                seconds: wait.as_secs(),
            });
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

/// A TokenRequest token valid for `ttl`, bound to the Secret `bound_to` (which must exist): deleting
/// that Secret revokes the token before it expires.
///
/// # Errors
/// The request failing, or the API server returning no token.
pub async fn request_token(remote: &Cluster, namespace: &str, ttl: Duration, bound_to: &str) -> Result<Sensitive> {
    let api: kube::Api<ServiceAccount> = kube::Api::namespaced(remote.client.clone(), namespace);
    let secrets: kube::Api<Secret> = kube::Api::namespaced(remote.client.clone(), namespace);
    let anchor = secrets
        .get(bound_to)
        .await
        .map_err(|e| Error::api(&remote.context, "get", describe(Kind::Secret, Some(namespace), bound_to), e))?;
    let request = TokenRequest {
        spec: TokenRequestSpec {
            expiration_seconds: Some(ttl.as_secs() as i64),
            bound_object_ref: Some(BoundObjectReference {
                api_version: Some("v1".into()),
                kind: Some("Secret".into()),
                name: Some(bound_to.into()),
                uid: anchor.metadata.uid,
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let response =
        api.create_token_request(FEDERATION_REMOTE, &PostParams::default(), &request).await.map_err(|e| {
            Error::api(
                &remote.context,
                "create token for",
                describe(Kind::ServiceAccount, Some(namespace), FEDERATION_REMOTE),
                e,
            )
        })?;
    let token = response.status.map(|s| s.token).filter(|t| !t.is_empty()).ok_or_else(|| Error::Data {
        location: format!("cluster {}", remote.context),
        object: format!("serviceaccount {namespace}/{FEDERATION_REMOTE} token"),
        problem: "the TokenRequest answer holds no token".into(),
    })?;
    Ok(Sensitive::new(token))
}

//! The I/O of `status`: every request it makes, each bounded by the request timeout, each turning
//! its error into a [`Failure`] for the pure checks to judge.

use std::future::Future;
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec, SelfSubjectRulesReview,
    SelfSubjectRulesReviewSpec, SubjectAccessReview, SubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Secret;
use kube::api::{ListParams, PostParams};
use tokio::time::Instant;

use super::access::{Access, RULES_NAMESPACE, decide_by_rules};
use super::checks::{Failure, Resolution};
use crate::calico::rcc::{self, RemoteClusterConfiguration, SecretReference};
use crate::names::REMOTE_CLUSTER_LABEL;
use crate::stored::SafeKubeconfig;

/// How many reviews of one link are in flight at once.
const REVIEWS_IN_FLIGHT: usize = 8;

/// Runs a request with a deadline.
async fn before<T>(deadline: Instant, f: impl Future<Output = Result<T, kube::Error>>) -> Result<T, Failure> {
    let budget = deadline.saturating_duration_since(Instant::now());
    match tokio::time::timeout_at(deadline, f).await {
        Ok(r) => r.map_err(|e| Failure::from_kube(&e)),
        Err(_) => Err(Failure::TimedOut(budget)),
    }
}

/// Runs a request with a timeout.
async fn within<T>(timeout: Duration, f: impl Future<Output = Result<T, kube::Error>>) -> Result<T, Failure> {
    before(Instant::now() + timeout, f).await
}

/// Every RCC of a local cluster.
pub async fn list_rccs(client: &kube::Client, timeout: Duration) -> Result<Vec<RemoteClusterConfiguration>, Failure> {
    within(timeout, rcc::list(client)).await
}

/// The managed link Secrets of a local cluster, as `(remote name, "ns/name")`, read as metadata
/// only (no Secret data crosses the wire). Empty when they cannot be listed: the check is a bonus.
pub async fn managed_link_secrets(client: &kube::Client, timeout: Duration) -> Vec<(String, String)> {
    let api: kube::Api<Secret> = kube::Api::all(client.clone());
    let lp = ListParams::default().labels(REMOTE_CLUSTER_LABEL);
    match within(timeout, api.list_metadata(&lp)).await {
        Ok(list) => list
            .items
            .into_iter()
            .filter_map(|m| {
                let remote = m.metadata.labels.as_ref()?.get(REMOTE_CLUSTER_LABEL)?.clone();
                Some((remote, format!("{}/{}", m.metadata.namespace?, m.metadata.name?)))
            })
            .collect(),
        Err(e) => {
            tracing::debug!("cannot list managed link secrets: {e}");
            Vec::new()
        }
    }
}

/// The Secret an RCC names (with the local admin's credential).
pub async fn get_secret(
    client: &kube::Client,
    reference: &SecretReference,
    timeout: Duration,
) -> Result<Option<Secret>, Failure> {
    let api: kube::Api<Secret> = kube::Api::namespaced(client.clone(), &reference.namespace);
    within(timeout, api.get_opt(&reference.name)).await
}

/// Resolves a host from this machine (IP literals are not looked up).
pub async fn resolve(host: &str, port: u16, timeout: Duration) -> Resolution {
    if host.parse::<std::net::IpAddr>().is_ok() {
        return Resolution::IpLiteral;
    }
    let target = format!("{host}:{port}");
    let lookup = tokio::task::spawn_blocking(move || {
        std::net::ToSocketAddrs::to_socket_addrs(&target).map(|a| a.map(|s| s.ip()).collect::<Vec<_>>())
    });
    match tokio::time::timeout(timeout, lookup).await {
        Ok(Ok(Ok(ips))) if !ips.is_empty() => Resolution::Resolved(ips),
        Ok(Ok(Ok(_))) => Resolution::Failed("no addresses".into()),
        Ok(Ok(Err(e))) => Resolution::Failed(e.to_string()),
        Ok(Err(e)) => Resolution::Failed(e.to_string()),
        Err(_) => Resolution::Failed(format!("no answer within {}s", timeout.as_secs())),
    }
}

/// A client from the validated stored kubeconfig, built by [`crate::stored::client`] (no exec,
/// no files, no proxy can be reached from here).
///
/// # Errors
/// The client library refusing the TLS settings.
pub fn stored_client(safe: &SafeKubeconfig, timeouts: crate::cluster::Timeouts) -> Result<kube::Client, String> {
    crate::stored::client(safe, crate::remotes::ClientTimeouts { connect: timeouts.connect, read: timeouts.request })
}

/// `/version`, returning the git version.
pub async fn version(client: &kube::Client, deadline: Instant) -> Result<String, Failure> {
    before(deadline, client.apiserver_version()).await.map(|info| info.git_version)
}

/// SelfSubjectAccessReviews of the client's own credential, cluster-wide, one per access.
pub async fn self_reviews(
    client: &kube::Client,
    access: &[Access],
    deadline: Instant,
) -> Vec<(Access, Result<bool, Failure>)> {
    let api: kube::Api<SelfSubjectAccessReview> = kube::Api::all(client.clone());
    futures::stream::iter(access.iter().cloned())
        .map(|a| {
            let api = api.clone();
            async move {
                let review = SelfSubjectAccessReview {
                    spec: SelfSubjectAccessReviewSpec {
                        resource_attributes: Some(ResourceAttributes {
                            group: Some(a.group.clone()),
                            resource: Some(a.resource.clone()),
                            verb: Some(a.verb.clone()),
                            ..Default::default()
                        }),
                        ..Default::default()
                    },
                    ..Default::default()
                };
                let r = before(deadline, api.create(&PostParams::default(), &review)).await;
                (a, r.map(|r| r.status.is_some_and(|s| s.allowed)))
            }
        })
        .buffered(REVIEWS_IN_FLIGHT)
        .collect()
        .await
}

/// Whether the client's own credential has each access, cluster-wide: one SelfSubjectRulesReview
/// when the server can list every rule that applies (RBAC, Node), else one
/// SelfSubjectAccessReview per access (an authorizer such as a webhook reports the rules as
/// incomplete; a server refusing the rules review is asked the same way).
pub async fn access_reviews(
    client: &kube::Client,
    access: &[Access],
    deadline: Instant,
) -> Vec<(Access, Result<bool, Failure>)> {
    let api: kube::Api<SelfSubjectRulesReview> = kube::Api::all(client.clone());
    let review = SelfSubjectRulesReview {
        spec: SelfSubjectRulesReviewSpec { namespace: Some(RULES_NAMESPACE.to_string()) },
        ..Default::default()
    };
    match before(deadline, api.create(&PostParams::default(), &review)).await {
        Ok(SelfSubjectRulesReview { status: Some(status), .. }) => {
            if let Some(decided) = decide_by_rules(&status, access) {
                return decided;
            }
        }
        // Unanswered: every access fails the same way, no second round against a dead server.
        Err(f @ (Failure::Unreachable(_) | Failure::TimedOut(_))) => {
            return access.iter().map(|a| (a.clone(), Err(f.clone()))).collect();
        }
        Ok(_) | Err(Failure::Status { .. }) => {}
    }
    self_reviews(client, access, deadline).await
}

/// SubjectAccessReviews (as the local admin): may the ServiceAccount `typha` get, list and watch
/// the Secret, by name?
pub async fn typha_reviews(
    client: &kube::Client,
    typha: (&str, &str),
    reference: &SecretReference,
    timeout: Duration,
) -> Vec<(String, Result<bool, Failure>)> {
    let api: kube::Api<SubjectAccessReview> = kube::Api::all(client.clone());
    let deadline = Instant::now() + timeout;
    let user = format!("system:serviceaccount:{}:{}", typha.0, typha.1);
    let groups = vec![
        "system:serviceaccounts".to_string(),
        format!("system:serviceaccounts:{}", typha.0),
        "system:authenticated".into(),
    ];
    let reviews = ["get", "list", "watch"].map(|verb| {
        let review = SubjectAccessReview {
            spec: SubjectAccessReviewSpec {
                user: Some(user.clone()),
                groups: Some(groups.clone()),
                resource_attributes: Some(ResourceAttributes {
                    namespace: Some(reference.namespace.clone()),
                    group: Some(String::new()),
                    resource: Some("secrets".into()),
                    name: Some(reference.name.clone()),
                    verb: Some(verb.into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        let api = api.clone();
        async move {
            let r = before(deadline, api.create(&PostParams::default(), &review)).await;
            (verb.to_string(), r.map(|r| r.status.is_some_and(|s| s.allowed)))
        }
    });
    futures::future::join_all(reviews).await
}

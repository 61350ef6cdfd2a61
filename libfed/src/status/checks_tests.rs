use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use k8s_openapi::ByteString;

use super::*;
use crate::calico::rcc::RemoteClusterConfigurationSpec;
use crate::kubeconfig::mint;
use crate::redact::Sensitive;
use crate::status::report::Outcome;

const NOW: i64 = 1_750_000_000;
const CA: &[u8] = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const DAY: Duration = Duration::from_secs(86_400);

fn ctx() -> LinkContext {
    LinkContext {
        local_context: "cluster-a".into(),
        name: "cluster-b".into(),
        remote_context: Some("cluster-b".into()),
        secret_namespace: "calico-system".into(),
        remote_namespace: Some("calico-system".into()),
    }
}

fn jwt(claims: &str) -> String {
    format!("eyJhbGciOiJFUzI1NiJ9.{}.c2lnbmF0dXJl", URL_SAFE_NO_PAD.encode(claims))
}

fn bound(exp: i64) -> String {
    jwt(&format!(
        r#"{{"sub":"system:serviceaccount:calico-system:tigera-federation-remote-cluster","exp":{exp},"iat":{},"kubernetes.io":{{}}}}"#,
        exp - 600
    ))
}

fn stored_with(token: &str) -> StoredKubeconfig {
    let text = mint("https://10.0.0.2:6443", CA, &Sensitive::new(token)).expect("mint");
    inspect(text.expose()).expect("inspect")
}

fn secret(data: &[(&str, &str)]) -> Secret {
    let map: BTreeMap<String, ByteString> =
        data.iter().map(|(k, v)| ((*k).to_string(), ByteString(v.as_bytes().to_vec()))).collect();
    Secret { data: Some(map), ..Default::default() }
}

fn reference() -> SecretReference {
    SecretReference { name: "remote-cluster-secret-cluster-b".into(), namespace: "calico-system".into(), kind: None }
}

#[test]
fn an_expired_token_is_an_error_with_a_rotation_hint() {
    // The API server refuses TokenRequests shorter than 600 s, so an expired token cannot be made
    // in the integration tests; this crafted one stands in.
    let token = bound(NOW - 3600);
    let (check, info) = check_token(&ctx(), &stored_with(&token), NOW, 30 * DAY);
    assert_eq!(check.outcome, Outcome::Error, "{check:?}");
    assert!(check.message.contains("expired 1h ago"), "{}", check.message);
    let hint = check.hint.expect("hint");
    assert!(hint.contains("`kubectl federate rotate cluster-a cluster-b`"), "{hint}");
    let info = info.expect("info");
    assert!(info.expiring, "an expired token is marked");
    assert_eq!(info.kind, TokenKind::Bound);
    assert_eq!(info.expires_in_seconds, Some(-3600));
    assert!(!check.message.contains(&token) && !hint.contains(&token), "the token never appears");
}

#[test]
fn a_token_expiring_inside_the_window_is_a_warning_outside_it_ok() {
    let soon = bound(NOW + 600);
    let (warn, _) = check_token(&ctx(), &stored_with(&soon), NOW, Duration::from_secs(3600));
    assert_eq!(warn.outcome, Outcome::Warning, "{warn:?}");
    assert!(warn.message.contains("expires in 10m"), "{}", warn.message);
    assert!(
        warn.hint.as_deref().is_some_and(|h| h.contains("kubectl federate rotate cluster-a cluster-b")),
        "{warn:?}"
    );
    let (ok, info) = check_token(&ctx(), &stored_with(&soon), NOW, Duration::from_secs(300));
    assert!(!info.expect("info").expiring, "outside the window: not marked");
    assert_eq!(ok.outcome, Outcome::Ok, "{ok:?}");
    assert!(ok.message.starts_with("bound token"), "{}", ok.message);
}

#[test]
fn legacy_tokens_never_expire_and_unreadable_tokens_are_a_warning() {
    let legacy = jwt(
        r#"{"sub":"system:serviceaccount:kube-system:tigera-federation-remote-cluster","kubernetes.io/serviceaccount/secret.name":"x"}"#,
    );
    let (check, info) = check_token(&ctx(), &stored_with(&legacy), NOW, 30 * DAY);
    assert_eq!(check.outcome, Outcome::Ok);
    assert!(check.message.contains("legacy"), "{}", check.message);
    let info = info.expect("info");
    assert_eq!((info.kind, info.expires_in_seconds), (TokenKind::Legacy, None));
    assert_eq!(subject_namespace(info.subject.as_deref().expect("sub")), Some("kube-system"));
    let (opaque, info) = check_token(&ctx(), &stored_with("not-a-jwt"), NOW, 30 * DAY);
    assert_eq!(opaque.outcome, Outcome::Warning);
    assert!(info.is_none());
}

#[test]
fn the_rcc_must_name_its_secret() {
    let mut rcc = RemoteClusterConfiguration { metadata: Default::default(), spec: Default::default(), invalid: false };
    let (check, r) = check_rcc(&ctx(), &rcc);
    assert_eq!((check.outcome, r), (Outcome::Error, None));
    rcc.spec = RemoteClusterConfigurationSpec { cluster_access_secret: Some(reference()), ..Default::default() };
    let (check, r) = check_rcc(&ctx(), &rcc);
    assert_eq!(check.outcome, Outcome::Ok);
    assert_eq!(r, Some(crate::stored::source::Connection::Secret(reference())));
    let orphan = check_missing_rcc(&ctx(), "calico-system/remote-cluster-secret-cluster-b");
    assert_eq!(orphan.outcome, Outcome::Error);
    assert!(orphan.hint.expect("hint").contains("kubectl federate unjoin cluster-b --context cluster-a"));
}

#[test]
fn a_missing_or_unreadable_secret_is_an_error() {
    let (found, s) = check_secret(&ctx(), &reference(), Ok(Some(secret(&[]))));
    assert_eq!(found.outcome, Outcome::Ok);
    assert!(s.is_some());
    let (gone, s) = check_secret(&ctx(), &reference(), Ok(None));
    assert_eq!(gone.outcome, Outcome::Error);
    assert!(gone.message.contains("secret calico-system/remote-cluster-secret-cluster-b not found"));
    assert_eq!(gone.hint.as_deref(), Some("re-run `kubectl federate join cluster-b --context cluster-a`"));
    assert!(s.is_none());
    let (denied, _) =
        check_secret(&ctx(), &reference(), Err(Failure::Status { code: 403, message: "forbidden".into() }));
    assert_eq!(denied.outcome, Outcome::Error);
    assert!(denied.message.contains("HTTP 403"), "{}", denied.message);
}

#[test]
fn the_secret_needs_a_kubernetes_datastore_and_a_kubeconfig() {
    let (ok, text) =
        check_secret_data(&ctx(), &secret(&[("datastoreType", "kubernetes"), ("kubeconfig", "apiVersion: v1")]));
    assert_eq!(ok.outcome, Outcome::Ok);
    assert_eq!(text.as_deref(), Some("apiVersion: v1"));
    for (data, needle) in [
        (vec![("kubeconfig", "x")], "no datastoreType"),
        (vec![("datastoreType", "kubernetes")], "no kubeconfig"),
        (vec![("datastoreType", "kubernetes"), ("kubeconfig", " ")], "no kubeconfig"),
        (vec![("datastoreType", "etcdv3"), ("kubeconfig", "x")], "etcdv3"),
    ] {
        let (check, text) = check_secret_data(&ctx(), &secret(&data));
        assert_eq!(check.outcome, Outcome::Error, "{data:?}");
        assert!(check.message.contains(needle), "{data:?}: {}", check.message);
        assert!(text.is_none());
    }
}

#[test]
fn kubeconfigs_must_parse_and_be_self_contained() {
    let minted = mint("https://10.0.0.2:6443", CA, &Sensitive::new("t")).expect("mint");
    let (ok, stored) = check_kubeconfig(&ctx(), minted.expose());
    assert_eq!(ok.outcome, Outcome::Ok);
    assert!(stored.is_some());
    let exec = "apiVersion: v1\nkind: Config\ncurrent-context: x\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: 'https://h'}}]\nusers: [{name: u, user: {exec: {command: aws, apiVersion: client.authentication.k8s.io/v1beta1}}}]\n";
    let (bad, stored) = check_kubeconfig(&ctx(), exec);
    assert_eq!(bad.outcome, Outcome::Error);
    assert!(
        bad.message.contains("users[0].user.exec: runs a program")
            && bad.message.contains("certificate-authority-data: missing"),
        "{}",
        bad.message
    );
    assert!(stored.is_some(), "still returned, so the token and server can be reported");
    let (garbage, stored) = check_kubeconfig(&ctx(), "not: [a kubeconfig\ntoken: SECRET");
    assert_eq!(garbage.outcome, Outcome::Error);
    assert!(garbage.message.contains("line") && !garbage.message.contains("SECRET"), "{}", garbage.message);
    assert!(stored.is_none());
}

#[test]
fn server_urls_are_checked_for_scheme_loopback_and_resolution() {
    let c = ctx();
    let ip = Resolution::IpLiteral;
    assert_eq!(check_server(&c, "https://10.0.0.2:6443", &ip, false).outcome, Outcome::Ok);
    let lo = check_server(&c, "https://127.0.0.1:6443", &ip, false);
    assert_eq!(lo.outcome, Outcome::Warning);
    assert!(lo.hint.expect("hint").contains("--server cluster-b=https://HOST:PORT"));
    assert_eq!(check_server(&c, "https://127.0.0.1:6443", &ip, true).outcome, Outcome::Ok);
    let to_loopback = Resolution::Resolved(vec!["127.0.0.1".parse().expect("ip")]);
    assert_eq!(check_server(&c, "https://api.local:6443", &to_loopback, false).outcome, Outcome::Warning);
    let public = Resolution::Resolved(vec!["203.0.113.7".parse().expect("ip")]);
    assert_eq!(check_server(&c, "https://api.example.com", &public, false).outcome, Outcome::Ok);
    let nx = check_server(&c, "https://nope.invalid", &Resolution::Failed("no such host".into()), false);
    assert_eq!(nx.outcome, Outcome::Warning);
    assert!(nx.message.contains("does not resolve"), "{}", nx.message);
    assert_eq!(check_server(&c, "http://10.0.0.2", &ip, false).outcome, Outcome::Error);
    assert_eq!(check_server(&c, "https://", &ip, false).outcome, Outcome::Error);
    assert_eq!(server_host("https://[::1]:6443"), Ok(("::1".into(), 6443)));
    assert_eq!(server_host("https://api.example.com"), Ok(("api.example.com".into(), 443)));
}

#[test]
fn a_refused_token_and_a_dead_server_are_told_apart() {
    let c = ctx();
    let ok = check_reachable(&c, "https://10.0.0.2", Ok("v1.33.1".into()));
    assert_eq!(ok.outcome, Outcome::Ok);
    let revoked =
        check_reachable(&c, "https://10.0.0.2", Err(Failure::Status { code: 401, message: "Unauthorized".into() }));
    assert_eq!(revoked.outcome, Outcome::Error);
    assert!(revoked.message.contains("revoked"), "{}", revoked.message);
    assert!(revoked.hint.expect("hint").contains("`kubectl federate rotate cluster-a cluster-b`"));
    let dead = check_reachable(&c, "https://10.0.0.2", Err(Failure::Unreachable("connection refused".into())));
    assert_eq!(dead.outcome, Outcome::Error);
    assert!(dead.message.contains("did not answer: connection refused"), "{}", dead.message);
    assert!(dead.hint.expect("hint").contains("kubectl --context cluster-b get --raw /version"));
    let slow = check_reachable(&c, "https://10.0.0.2", Err(Failure::TimedOut(Duration::from_secs(5))));
    assert!(slow.message.contains("cluster-b (https://10.0.0.2): no answer within 5s"), "{}", slow.message);
}

#[test]
fn a_local_cluster_that_does_not_answer_gets_no_access_hint() {
    let c = ctx();
    let reference = SecretReference { name: "s".into(), namespace: "calico-system".into(), kind: None };
    let (timed_out, _) = check_secret(&c, &reference, Err(Failure::TimedOut(Duration::from_secs(5))));
    assert_eq!(timed_out.message, "cluster-a: no answer within 5s");
    let hint = timed_out.hint.expect("hint");
    assert!(!hint.contains("can-i"), "{hint}");
    assert!(hint.contains("kubectl --context cluster-a get --raw /readyz"), "{hint}");
    let (forbidden, _) = check_secret(&c, &reference, Err(Failure::Status { code: 403, message: "forbidden".into() }));
    assert!(forbidden.hint.expect("hint").contains("auth can-i get secrets"));
}

#[test]
fn connection_failures_keep_only_what_failed_and_why() {
    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);
    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }
    impl std::error::Error for Layer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|l| l as _)
        }
    }
    let refused = Layer("Connection refused (os error 111)", None);
    let chain = Layer(
        "ServiceError: client error (Connect)",
        Some(Box::new(Layer(
            "client error (Connect)",
            Some(Box::new(Layer("tcp connect error", Some(Box::new(refused))))),
        ))),
    );
    assert_eq!(innermost(&chain), "tcp connect error: Connection refused (os error 111)");
    assert_eq!(innermost(&Layer("alone", None)), "alone");
}

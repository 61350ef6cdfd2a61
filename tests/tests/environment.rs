//! The test environment is real: distinct clusters, TokenRequest, the token controller, RBAC and
//! EndpointSlice mirroring all behave as on a real cluster. Each test here fails if the environment
//! were a fake or a single shared cluster.

use std::time::Duration;

use k8s_openapi::api::authentication::v1::{TokenRequest, TokenRequestSpec};
use k8s_openapi::api::core::v1::{ConfigMap, Endpoints, Namespace, Pod, Secret, Service, ServiceAccount};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::api::{ListParams, ObjectMeta, PostParams};
use kube::{Api, Client};
use serde_json::json;

async fn namespace(client: &Client, prefix: &str) -> String {
    let name = testenv::unique_name(prefix);
    let ns =
        Namespace { metadata: ObjectMeta { name: Some(name.clone()), ..Default::default() }, ..Default::default() };
    Api::<Namespace>::all(client.clone()).create(&PostParams::default(), &ns).await.expect("create namespace");
    name
}

async fn eventually<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn bearer_client(env: &testenv::Env, context: &str, token: &str) -> Client {
    let ca = std::fs::read(env.dir().join(context).join("ca.crt")).expect("ca");
    let yaml = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {}\n    certificate-authority-data: {}\nusers:\n- name: u\n  user:\n    token: {token}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n",
        env.server_url(context),
        base64_encode(&ca)
    );
    let kc = kube::config::Kubeconfig::from_yaml(&yaml).expect("kubeconfig");
    let config =
        futures::executor::block_on(kube::Config::from_custom_kubeconfig(kc, &Default::default())).expect("config");
    Client::try_from(config).expect("client")
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn clusters_are_distinct() {
    let env = testenv::shared().await;
    assert_eq!(env.contexts(), ["cluster-a", "cluster-b", "cluster-c"]);
    let a = env.client("cluster-a").await.expect("client a");
    let b = env.client("cluster-b").await.expect("client b");
    let name = testenv::unique_name("only-in-a");
    let cm =
        ConfigMap { metadata: ObjectMeta { name: Some(name.clone()), ..Default::default() }, ..Default::default() };
    Api::<ConfigMap>::namespaced(a.clone(), "default").create(&PostParams::default(), &cm).await.expect("create in a");
    assert!(Api::<ConfigMap>::namespaced(a, "default").get_opt(&name).await.expect("get a").is_some());
    assert!(
        Api::<ConfigMap>::namespaced(b, "default").get_opt(&name).await.expect("get b").is_none(),
        "cluster-b sees cluster-a's object"
    );
    // Each cluster has its own API server and CA.
    assert_ne!(env.server_url("cluster-a"), env.server_url("cluster-b"));
}

#[tokio::test]
async fn token_request_tokens_are_accepted_and_rbac_is_enforced() {
    let env = testenv::shared().await;
    let admin = env.client("cluster-b").await.expect("client");
    let ns = namespace(&admin, "tokenreq").await;
    let sa = ServiceAccount {
        metadata: ObjectMeta { name: Some("reader".into()), ..Default::default() },
        ..Default::default()
    };
    let sas: Api<ServiceAccount> = Api::namespaced(admin.clone(), &ns);
    sas.create(&PostParams::default(), &sa).await.expect("create sa");
    let tr = TokenRequest {
        spec: TokenRequestSpec { expiration_seconds: Some(600), ..Default::default() },
        ..Default::default()
    };
    let token = sas.create_token_request("reader", &PostParams::default(), &tr).await.expect("token request");
    let token = token.status.expect("status").token;

    let sa_client = bearer_client(env, "cluster-b", &token);
    // Authenticated (a bad token would be 401), but without bindings RBAC forbids listing pods.
    let err =
        Api::<Pod>::namespaced(sa_client.clone(), &ns).list(&ListParams::default()).await.expect_err("no RBAC yet");
    match err {
        kube::Error::Api(s) => assert_eq!(s.code, 403, "expected forbidden, got {s:?}"),
        other => panic!("expected an API error, got {other:?}"),
    }
    // The same token is not valid on another cluster: each has its own signing key.
    let elsewhere = bearer_client(env, "cluster-a", &token);
    match Api::<Pod>::namespaced(elsewhere, "default").list(&ListParams::default()).await {
        Err(kube::Error::Api(s)) => assert_eq!(s.code, 401),
        other => panic!("cluster-a accepted cluster-b's token: {other:?}"),
    }
}

#[tokio::test]
async fn service_account_token_secrets_get_their_token() {
    let env = testenv::shared().await;
    let admin = env.client("cluster-c").await.expect("client");
    let ns = namespace(&admin, "tokensecret").await;
    let sa = ServiceAccount {
        metadata: ObjectMeta { name: Some("holder".into()), ..Default::default() },
        ..Default::default()
    };
    Api::<ServiceAccount>::namespaced(admin.clone(), &ns).create(&PostParams::default(), &sa).await.expect("sa");
    let secret: Secret = serde_json::from_value(json!({
        "metadata": {"name": "holder-token", "annotations": {"kubernetes.io/service-account.name": "holder"}},
        "type": "kubernetes.io/service-account-token"
    }))
    .expect("secret");
    let secrets: Api<Secret> = Api::namespaced(admin.clone(), &ns);
    secrets.create(&PostParams::default(), &secret).await.expect("create secret");
    let data = eventually("the token controller to fill the secret", || async {
        let s = secrets.get("holder-token").await.ok()?;
        let data = s.data?;
        (data.contains_key("token") && data.contains_key("ca.crt")).then_some(data)
    })
    .await;
    let token = String::from_utf8(data["token"].0.clone()).expect("utf8 token");
    // The filled token authenticates: a SelfSubjectReview says who it is.
    let client = bearer_client(env, "cluster-c", &token);
    let req = http::Request::post("/apis/authentication.k8s.io/v1/selfsubjectreviews")
        .header("content-type", "application/json")
        .body(
            serde_json::to_vec(&json!({"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}))
                .expect("json"),
        )
        .expect("request");
    let review: serde_json::Value = client.request(req).await.expect("self subject review");
    assert_eq!(review["status"]["userInfo"]["username"], format!("system:serviceaccount:{ns}:holder"));
}

#[tokio::test]
async fn selectorless_service_endpoints_are_mirrored_to_endpointslices() {
    let env = testenv::shared().await;
    let admin = env.client("cluster-a").await.expect("client");
    let ns = namespace(&admin, "mirror").await;
    let svc: Service = serde_json::from_value(json!({
        "metadata": {"name": "manual"},
        "spec": {"ports": [{"name": "http", "port": 80, "protocol": "TCP"}]}
    }))
    .expect("svc");
    Api::<Service>::namespaced(admin.clone(), &ns).create(&PostParams::default(), &svc).await.expect("svc");
    let ep: Endpoints = serde_json::from_value(json!({
        "metadata": {"name": "manual"},
        "subsets": [{"addresses": [{"ip": "10.1.2.3"}, {"ip": "10.1.2.4"}], "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}]
    }))
    .expect("ep");
    Api::<Endpoints>::namespaced(admin.clone(), &ns).create(&PostParams::default(), &ep).await.expect("endpoints");
    let slices: Api<EndpointSlice> = Api::namespaced(admin, &ns);
    let slice = eventually("the mirroring controller", || async {
        let list = slices.list(&ListParams::default().labels("kubernetes.io/service-name=manual")).await.ok()?;
        list.items.into_iter().find(|s| s.endpoints.len() == 2)
    })
    .await;
    let labels = slice.metadata.labels.unwrap_or_default();
    assert_eq!(
        labels.get("endpointslice.kubernetes.io/managed-by").map(String::as_str),
        Some("endpointslicemirroring-controller.k8s.io")
    );
    let mut ips: Vec<String> = slice.endpoints.iter().flat_map(|e| e.addresses.clone()).collect();
    ips.sort();
    assert_eq!(ips, ["10.1.2.3", "10.1.2.4"]);
    assert_eq!(slice.ports.unwrap_or_default()[0].port, Some(8080));
}

#[tokio::test]
async fn calico_enterprise_stand_ins_are_served() {
    let env = testenv::shared().await;
    for ctx in env.contexts() {
        let client = env.client(&ctx).await.expect("client");
        let gvk = kube::api::GroupVersionKind::gvk("projectcalico.org", "v3", "RemoteClusterConfiguration");
        let (_, caps) = kube::discovery::pinned_kind(&client, &gvk).await.expect("RCC served");
        assert_eq!(caps.scope, kube::discovery::Scope::Cluster, "{ctx}: RCC must be cluster-scoped");
        let typha =
            Api::<ServiceAccount>::namespaced(client, "calico-system").get_opt("calico-typha").await.expect("get");
        assert!(typha.is_some(), "{ctx}: calico-system/calico-typha missing");
    }
}

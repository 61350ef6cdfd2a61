//! `mesh`, `join` and `unjoin` against real clusters. One private three-cluster environment (this
//! file stops clusters, so it does not use the shared one), driven through the real binary.

use std::collections::BTreeMap;
use std::path::Path;

use k8s_openapi::api::core::v1::{Namespace, Pod, Secret, Service, ServiceAccount};
use kube::api::{DynamicObject, ListParams, ObjectMeta, PostParams};
use kube::{Api, Client};
use libfed::calico::rcc;
use libfed::names::{FEDERATION_REMOTE, MANAGED_BY_LABEL};
use testenv::federate::run;
use tokio::sync::OnceCell;

async fn env() -> &'static testenv::Env {
    static ENV: OnceCell<testenv::Env> = OnceCell::const_new();
    ENV.get_or_init(|| async {
        libfed::tls::ensure_crypto_provider();
        let dir = testenv::private_dir("fed-mesh-test-");
        testenv::Env::start(3, &dir, testenv::Lifetime::Owned).await.expect("private environment")
    })
    .await
}

/// Serialises the tests of this file: they share one private environment and assert exact state.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn text(o: &std::process::Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

async fn rccs(client: &Client) -> Vec<DynamicObject> {
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &rcc::api_resource());
    api.list(&ListParams::default()).await.expect("list rccs").items
}

async fn managed_secrets(client: &Client, ns: &str) -> Vec<Secret> {
    let lp = ListParams::default().labels(&format!("{MANAGED_BY_LABEL}=kubectl-federate"));
    Api::<Secret>::namespaced(client.clone(), ns).list(&lp).await.expect("list secrets").items
}

/// resourceVersions of every object the tool manages in a cluster, to prove nothing was written.
async fn versions(client: &Client) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for r in rccs(client).await {
        out.insert(
            format!("rcc/{}", r.metadata.name.unwrap_or_default()),
            r.metadata.resource_version.unwrap_or_default(),
        );
    }
    for s in managed_secrets(client, "calico-system").await {
        out.insert(
            format!("secret/{}", s.metadata.name.unwrap_or_default()),
            s.metadata.resource_version.unwrap_or_default(),
        );
    }
    if let Some(sa) =
        Api::<ServiceAccount>::namespaced(client.clone(), "calico-system").get_opt(FEDERATION_REMOTE).await.expect("sa")
    {
        out.insert("sa".into(), sa.metadata.resource_version.unwrap_or_default());
    }
    out
}

fn stored_client(kubeconfig: &str) -> Client {
    let stored = libfed::kubeconfig::inspect(kubeconfig).expect("stored kubeconfig parses");
    assert!(stored.problems.is_empty(), "stored kubeconfig not self-contained: {:?}", stored.problems);
    let safe = stored.into_safe().expect("self-contained");
    libfed::stored::client(&safe, libfed::remotes::ClientTimeouts::default()).expect("client")
}

/// Removes every link (and the remote objects) among the three clusters.
fn unfederate_all(kc: &Path) {
    for local in ["cluster-a", "cluster-b", "cluster-c"] {
        let mut args = vec!["unjoin", "--context", local, "--remote-cleanup"];
        args.extend(["cluster-a", "cluster-b", "cluster-c"].into_iter().filter(|r| *r != local));
        assert_eq!(run(kc, &args).status.code(), Some(0), "unjoin from {local}");
    }
}

fn mesh(kubeconfig: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["mesh", "cluster-a", "cluster-b", "cluster-c"];
    args.extend_from_slice(extra);
    run(kubeconfig, &args)
}

#[tokio::test]
async fn dry_runs_change_nothing_then_mesh_creates_two_links_per_cluster_and_converges() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    let clients = [
        env.client("cluster-a").await.expect("a"),
        env.client("cluster-b").await.expect("b"),
        env.client("cluster-c").await.expect("c"),
    ];
    // Start unfederated whatever ran before (the tests of this file run in any order).
    unfederate_all(&kc);
    for c in &clients {
        assert!(rccs(c).await.is_empty(), "not unfederated");
    }
    let before: Vec<_> = futures::future::join_all(clients.iter().map(versions)).await;

    for dry in ["--dry-run=client", "--dry-run=server"] {
        let out = mesh(&kc, &[dry, "-o", "yaml"]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{dry}: {stderr}");
        assert!(stdout.contains("kind: RemoteClusterConfiguration"), "{dry} -o yaml shows the objects:\n{stdout}");
        assert!(stdout.contains("<redacted>"), "{dry}: secret values are redacted");
        let after: Vec<_> = futures::future::join_all(clients.iter().map(versions)).await;
        assert_eq!(before, after, "{dry} changed something");
    }

    let out = mesh(&kc, &["-o", "json"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "mesh failed: {stderr}\n{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("json report");
    let links = report["links"].as_array().expect("links");
    assert_eq!(links.len(), 6);
    assert!(links.iter().all(|l| l["outcome"] == "created"), "{stdout}");

    for (i, client) in clients.iter().enumerate() {
        let names: Vec<String> = rccs(client).await.into_iter().filter_map(|r| r.metadata.name).collect();
        assert_eq!(names.len(), 2, "cluster {i} holds exactly two RCCs: {names:?}");
        let secrets: Vec<String> = managed_secrets(client, "calico-system")
            .await
            .into_iter()
            .filter(|s| s.type_.as_deref() == Some("Opaque"))
            .filter_map(|s| s.metadata.name)
            .collect();
        assert_eq!(secrets.len(), 2, "cluster {i} holds exactly two link Secrets: {secrets:?}");
    }

    // A second mesh writes nothing: every resourceVersion stays.
    let settled: Vec<_> = futures::future::join_all(clients.iter().map(versions)).await;
    let out = mesh(&kc, &["-o", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(report["links"].as_array().expect("links").iter().all(|l| l["outcome"] == "unchanged"));
    let again: Vec<_> = futures::future::join_all(clients.iter().map(versions)).await;
    assert_eq!(settled, again, "a second mesh wrote something");
}

#[tokio::test]
async fn stored_kubeconfigs_read_their_remote_and_nothing_more() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    assert_eq!(mesh(&kc, &[]).status.code(), Some(0));
    let a = env.client("cluster-a").await.expect("a");
    let secret =
        Api::<Secret>::namespaced(a, "calico-system").get("remote-cluster-secret-cluster-b").await.expect("secret");
    let data = secret.data.expect("data");
    assert_eq!(data["datastoreType"].0, b"kubernetes");
    let kubeconfig = String::from_utf8(data["kubeconfig"].0.clone()).expect("utf8");
    let stored = stored_client(&kubeconfig);

    // It really is cluster-b: an object only cluster-b has is visible through it.
    let b = env.client("cluster-b").await.expect("b");
    let marker = testenv::unique_name("only-in-b");
    let ns =
        Namespace { metadata: ObjectMeta { name: Some(marker.clone()), ..Default::default() }, ..Default::default() };
    Api::<Namespace>::all(b).create(&PostParams::default(), &ns).await.expect("create ns");
    assert!(Api::<Namespace>::all(stored.clone()).get_opt(&marker).await.expect("get ns via stored").is_some());

    let lp = ListParams::default().limit(1);
    Api::<Pod>::all(stored.clone()).list(&lp).await.expect("list pods");
    Api::<Service>::all(stored.clone()).list(&lp).await.expect("list services");
    Api::<k8s_openapi::api::core::v1::Endpoints>::all(stored.clone()).list(&lp).await.expect("list endpoints");
    Api::<Namespace>::all(stored.clone()).list(&lp).await.expect("list namespaces");
    Api::<k8s_openapi::api::core::v1::Node>::all(stored.clone()).list(&lp).await.expect("list nodes");
    Api::<ServiceAccount>::all(stored.clone()).list(&lp).await.expect("list serviceaccounts");

    let forbidden = |r: Result<_, kube::Error>| matches!(r, Err(kube::Error::Api(s)) if s.code == 403);
    assert!(
        forbidden(Api::<Secret>::namespaced(stored.clone(), "calico-system").list(&lp).await.map(|_| ())),
        "reading secrets must be forbidden"
    );
    let cm = k8s_openapi::api::core::v1::ConfigMap {
        metadata: ObjectMeta { name: Some("nope".into()), ..Default::default() },
        ..Default::default()
    };
    assert!(
        forbidden(
            Api::<k8s_openapi::api::core::v1::ConfigMap>::namespaced(stored.clone(), "default")
                .create(&PostParams::default(), &cm)
                .await
                .map(|_| ())
        ),
        "writes must be forbidden"
    );
    assert!(
        forbidden(Api::<Namespace>::all(stored).delete(&marker, &Default::default()).await.map(|_| ())),
        "deletes must be forbidden"
    );
}

#[tokio::test]
async fn tokens_never_reach_the_terminal_without_show_secrets() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    assert_eq!(mesh(&kc, &[]).status.code(), Some(0));
    let b = env.client("cluster-b").await.expect("b");
    let token_secret =
        Api::<Secret>::namespaced(b, "calico-system").get(FEDERATION_REMOTE).await.expect("token secret");
    let token = String::from_utf8(token_secret.data.expect("data")["token"].0.clone()).expect("token");
    assert!(token.len() > 100);
    for args in [
        vec!["-o", "yaml", "--dry-run=client"],
        vec!["-o", "json", "--dry-run=client"],
        vec!["-o", "wide"],
        vec!["-o", "json", "-v", "-v", "-v"],
    ] {
        let (stdout, stderr) = text(&mesh(&kc, &args));
        assert!(!stdout.contains(&token) && !stderr.contains(&token), "token leaked with {args:?}");
        assert!(!stdout.contains(&token[..40]) && !stderr.contains(&token[..40]), "token prefix leaked with {args:?}");
    }
    let (stdout, _) = text(&run(
        &kc,
        &["join", "cluster-b", "--context", "cluster-a", "--dry-run=client", "-o", "yaml", "--show-secrets"],
    ));
    assert!(stdout.contains(&token), "--show-secrets shows the minted kubeconfig");
}

#[tokio::test]
async fn a_dead_cluster_fails_only_its_own_links_and_a_rerun_converges() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    assert_eq!(mesh(&kc, &[]).status.code(), Some(0));
    env.stop_cluster("cluster-c").expect("stop c");
    let out = mesh(&kc, &["-o", "json", "--request-timeout", "5s"]);
    let (stdout, stderr) = text(&out);
    env.start_cluster("cluster-c").await.expect("restart c");
    assert_eq!(out.status.code(), Some(1), "a failed link exits 1: {stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    for l in report["links"].as_array().expect("links") {
        let involves_c = l["local"] == "cluster-c" || l["remote"] == "cluster-c";
        if involves_c {
            assert_eq!(l["outcome"], "failed", "{l}");
            assert!(
                l["reason"].as_str().unwrap_or_default().contains("cluster-c"),
                "the reason names the dead cluster: {l}"
            );
        } else {
            assert_ne!(l["outcome"], "failed", "{l}");
        }
    }
    assert!(stderr.contains("2 of 6 links failed") || stderr.contains("4 of 6 links failed"), "{stderr}");
    let out = mesh(&kc, &["-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "after restart the mesh converges: {}", text(&out).1);
}

#[tokio::test]
async fn unjoin_with_remote_cleanup_leaves_no_managed_object_behind() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    assert_eq!(mesh(&kc, &[]).status.code(), Some(0));
    for local in ["cluster-a", "cluster-b", "cluster-c"] {
        let remotes: Vec<&str> = ["cluster-a", "cluster-b", "cluster-c"].into_iter().filter(|r| *r != local).collect();
        let mut args = vec!["unjoin", "--context", local, "--remote-cleanup"];
        args.extend(remotes);
        let out = run(&kc, &args);
        assert_eq!(out.status.code(), Some(0), "unjoin from {local}: {}", text(&out).1);
    }
    for ctx in ["cluster-a", "cluster-b", "cluster-c"] {
        let c = env.client(ctx).await.expect("client");
        assert!(rccs(&c).await.is_empty(), "{ctx}: RCCs left");
        assert!(managed_secrets(&c, "calico-system").await.is_empty(), "{ctx}: managed secrets left");
        let sa =
            Api::<ServiceAccount>::namespaced(c.clone(), "calico-system").get_opt(FEDERATION_REMOTE).await.expect("sa");
        assert!(sa.is_none(), "{ctx}: remote ServiceAccount left");
        let lp = ListParams::default().labels(&format!("{MANAGED_BY_LABEL}=kubectl-federate"));
        let roles = Api::<k8s_openapi::api::rbac::v1::Role>::namespaced(c.clone(), "calico-system")
            .list(&lp)
            .await
            .expect("roles");
        assert!(roles.items.is_empty(), "{ctx}: roles left");
        let crbs = Api::<k8s_openapi::api::rbac::v1::ClusterRoleBinding>::all(c).list(&lp).await.expect("crbs");
        assert!(crbs.items.is_empty(), "{ctx}: cluster role bindings left");
    }
}

#[tokio::test]
async fn join_without_the_rcc_api_fails_before_touching_the_remote() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    let c = env.client("cluster-c").await.expect("c");
    let crds: Api<k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition> =
        Api::all(c.clone());
    crds.delete("remoteclusterconfigurations.projectcalico.org", &Default::default()).await.expect("delete crd");
    // Wait until discovery no longer serves it.
    for _ in 0..100 {
        if !rcc::is_served(&c).await.expect("discovery") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let ns = testenv::unique_name("remote-ns");
    let out = run(&kc, &["join", "cluster-a", "--context", "cluster-c", "--remote-namespace", &ns]);
    testenv::env::apply_dev_manifests(&c).await.expect("restore the CRD");
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is Calico Enterprise installed?"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
    let a = env.client("cluster-a").await.expect("a");
    let sa = Api::<ServiceAccount>::namespaced(a, &ns).get_opt(FEDERATION_REMOTE).await;
    assert!(matches!(sa, Ok(None) | Err(_)), "the remote was touched");
}

/// The kubeconfig stored for `remote` in `local`'s link Secret.
async fn stored_kubeconfig(env: &testenv::Env, local: &str, remote: &str) -> String {
    let client = env.client(local).await.expect("client");
    let secret = Api::<Secret>::namespaced(client, "calico-system")
        .get(&format!("remote-cluster-secret-{remote}"))
        .await
        .expect("link secret");
    String::from_utf8(secret.data.expect("data")["kubeconfig"].0.clone()).expect("utf8")
}

#[tokio::test]
async fn with_eks_each_remote_server_and_ca_come_from_describe_cluster() {
    use base64::Engine;
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    unfederate_all(&kc);
    let admin = kube::config::Kubeconfig::read_from(&kc).expect("test kubeconfig");
    let ca_data = |ctx: &str| {
        admin
            .clusters
            .iter()
            .find(|c| c.name == ctx)
            .and_then(|c| c.cluster.as_ref())
            .and_then(|c| c.certificate_authority_data.clone())
            .expect("the test kubeconfig inlines its CA")
    };
    // EKS (moto on loopback) knows the clusters by `localhost` URLs, which the test serving
    // certificates also name, while the kubeconfig says 127.0.0.1: a kubeconfig minted from
    // DescribeCluster is told apart from one minted from the context.
    let eks_url = |ctx: &str| env.server_url(ctx).replace("127.0.0.1", "localhost");
    let clusters: serde_json::Map<String, serde_json::Value> = ["cluster-a", "cluster-b", "cluster-c"]
        .iter()
        .map(|c| ((*c).to_string(), serde_json::json!({"endpoint": eks_url(c), "caData": ca_data(c)})))
        .collect();
    let moto = testenv::moto::Moto::start(&serde_json::Value::Object(clusters));
    let with_moto = |args: &[&str]| {
        let mut cmd = testenv::federate::command(&kc);
        moto.env(&mut cmd);
        cmd.args(args).output().expect("run kubectl-federate")
    };
    let clients = [
        env.client("cluster-a").await.expect("a"),
        env.client("cluster-b").await.expect("b"),
        env.client("cluster-c").await.expect("c"),
    ];
    let before: Vec<_> = futures::future::join_all(clients.iter().map(versions)).await;

    // A cluster EKS does not know: the command fails naming it, before anything is written.
    let out = with_moto(&["join", "nosuch=cluster-c", "--context", "cluster-a", "--eks"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("nosuch") && stderr.contains("hint:"), "{stderr}");
    assert!(!stderr.contains("Some(") && !stderr.contains(" {"), "no debug text: {stderr}");
    let after: Vec<_> = futures::future::join_all(clients.iter().map(versions)).await;
    assert_eq!(before, after, "a failed --eks join wrote something");

    // join --eks: the remote's kubeconfig holds EKS's endpoint and CA.
    let out = with_moto(&["join", "cluster-c", "--context", "cluster-a", "--eks", "--allow-loopback"]);
    assert_eq!(out.status.code(), Some(0), "join --eks: {}", text(&out).1);
    // mesh --eks: every minted kubeconfig does.
    let out = with_moto(&["mesh", "cluster-a", "cluster-b", "--eks", "--allow-loopback", "-o", "json"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "mesh --eks: {stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("json report");
    assert_eq!(report["links"].as_array().expect("links").len(), 2, "{stdout}");
    assert!(!stderr.contains("is loopback"), "--allow-loopback silences the loopback warning: {stderr}");

    for (local, remote) in [("cluster-a", "cluster-c"), ("cluster-a", "cluster-b"), ("cluster-b", "cluster-a")] {
        let stored = kube::config::Kubeconfig::from_yaml(&stored_kubeconfig(env, local, remote).await)
            .expect("stored kubeconfig parses");
        let cluster = stored.clusters[0].cluster.as_ref().expect("cluster");
        assert_eq!(cluster.server.as_deref(), Some(eks_url(remote).as_str()), "{local} -> {remote}: server from EKS");
        let stored_ca = base64::engine::general_purpose::STANDARD
            .decode(cluster.certificate_authority_data.as_deref().expect("ca data"))
            .expect("base64");
        let eks_ca = base64::engine::general_purpose::STANDARD.decode(ca_data(remote)).expect("base64");
        assert_eq!(stored_ca, eks_ca, "{local} -> {remote}: CA from EKS");
    }
    // And the stored credentials work through the EKS endpoint.
    let stored = stored_client(&stored_kubeconfig(env, "cluster-a", "cluster-b").await);
    Api::<Namespace>::all(stored)
        .list(&ListParams::default().limit(1))
        .await
        .expect("list namespaces via EKS endpoint");
    unfederate_all(&kc);
}

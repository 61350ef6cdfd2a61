//! Ownership: the tool rewrites and deletes only what it created; unjoin by link name, with the
//! remote gone; prune cleans its remote records; unjoin racing join. One private three-cluster
//! environment for this file (hand-made ClusterRoles and ClusterRoleBindings are cluster-wide, so
//! they must not leak into the shared environment), tests serialised; the dead-apiserver test
//! starts a private environment of its own.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use k8s_openapi::api::core::v1::{Namespace, Secret, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use kube::api::{DeleteParams, DynamicObject, ListParams, ObjectMeta, PostParams};
use kube::{Api, Client};
use libfed::calico::rcc;
use libfed::names::{CREATED_BY_ANNOTATION, FEDERATION_REMOTE, MANAGED_BY_LABEL};
use serde_json::{Value, json};
use testenv::federate::run;
use tokio::sync::OnceCell;

/// Starts a private environment of `clusters` clusters; a controller manager may give up waiting for
/// its API server on a loaded machine, so up to
/// three tries.
async fn start_private(clusters: usize, prefix: &str) -> testenv::Env {
    libfed::tls::ensure_crypto_provider();
    let mut last = None;
    for attempt in 0..3 {
        let dir = testenv::private_dir(&format!("{prefix}-")).join(attempt.to_string());
        match testenv::Env::start(clusters, &dir, testenv::Lifetime::Owned).await {
            Ok(env) => return env,
            Err(e) => last = Some(e),
        }
    }
    panic!("private environment: {:#}", last.expect("an error"))
}

async fn env() -> &'static testenv::Env {
    static ENV: OnceCell<testenv::Env> = OnceCell::const_new();
    ENV.get_or_init(|| start_private(3, "fed-ownership-test")).await
}

/// Serialises the tests of this file: the ClusterRole and ClusterRoleBinding names are fixed.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

fn ok(o: &Output, what: &str) -> (String, String) {
    let (stdout, stderr) = text(o);
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert_eq!(o.status.code(), Some(0), "{what}:\n{stdout}\n{stderr}");
    (stdout, stderr)
}

async fn namespace(client: &Client, name: &str) {
    let ns = Namespace { metadata: ObjectMeta { name: Some(name.into()), ..Default::default() }, ..Default::default() };
    Api::<Namespace>::all(client.clone()).create(&PostParams::default(), &ns).await.expect("create namespace");
}

fn meta(name: &str, ns: Option<&str>) -> ObjectMeta {
    ObjectMeta { name: Some(name.into()), namespace: ns.map(str::to_string), ..Default::default() }
}

/// The federation rules, as the walkthrough applies them by hand.
fn walkthrough_role() -> ClusterRole {
    serde_json::from_value(json!({
        "metadata": {"name": FEDERATION_REMOTE},
        "rules": [
            {"apiGroups": [""], "resources": ["namespaces", "serviceaccounts", "services", "endpoints", "pods", "nodes"], "verbs": ["get", "list", "watch"]},
            {"apiGroups": ["crd.projectcalico.org"], "resources": ["hostendpoints", "ipamblocks", "ippools"], "verbs": ["get", "list", "watch"]}
        ]
    }))
    .expect("role")
}

fn binding(subject_ns: &str) -> ClusterRoleBinding {
    serde_json::from_value(json!({
        "metadata": {"name": FEDERATION_REMOTE},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": FEDERATION_REMOTE},
        "subjects": [{"kind": "ServiceAccount", "name": FEDERATION_REMOTE, "namespace": subject_ns}]
    }))
    .expect("binding")
}

/// The walkthrough's hand-made remote objects, without any label, in `ns`; waits for the token.
async fn hand_made_remote(client: &Client, ns: &str) {
    let sa = ServiceAccount { metadata: meta(FEDERATION_REMOTE, Some(ns)), ..Default::default() };
    Api::<ServiceAccount>::namespaced(client.clone(), ns).create(&PostParams::default(), &sa).await.expect("sa");
    let mut secret_meta = meta(FEDERATION_REMOTE, Some(ns));
    secret_meta.annotations =
        Some([("kubernetes.io/service-account.name".to_string(), FEDERATION_REMOTE.to_string())].into());
    let secret = Secret {
        metadata: secret_meta,
        type_: Some("kubernetes.io/service-account-token".into()),
        ..Default::default()
    };
    Api::<Secret>::namespaced(client.clone(), ns).create(&PostParams::default(), &secret).await.expect("token secret");
    Api::<ClusterRole>::all(client.clone()).create(&PostParams::default(), &walkthrough_role()).await.expect("role");
    Api::<ClusterRoleBinding>::all(client.clone()).create(&PostParams::default(), &binding(ns)).await.expect("crb");
    for _ in 0..300 {
        let s = Api::<Secret>::namespaced(client.clone(), ns).get(FEDERATION_REMOTE).await.expect("get token secret");
        if s.data.as_ref().is_some_and(|d| d.contains_key("token")) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the token controller never filled the hand-made token Secret");
}

/// Removes the cluster-wide objects of a test, whoever made them.
async fn remove_cluster_rbac(client: &Client) {
    let _ = Api::<ClusterRoleBinding>::all(client.clone()).delete(FEDERATION_REMOTE, &DeleteParams::default()).await;
    let _ = Api::<ClusterRole>::all(client.clone()).delete(FEDERATION_REMOTE, &DeleteParams::default()).await;
}

async fn remove_namespace(client: &Client, ns: &str) {
    let _ = Api::<Namespace>::all(client.clone()).delete(ns, &DeleteParams::default()).await;
}

/// (resourceVersion, labels, annotations) of the four remote objects, `None` for an absent one.
async fn remote_state(client: &Client, ns: &str) -> Vec<Option<(String, Value, Value)>> {
    let state = |m: Option<ObjectMeta>| {
        m.map(|m| {
            (
                m.resource_version.unwrap_or_default(),
                serde_json::to_value(m.labels.unwrap_or_default()).expect("labels"),
                serde_json::to_value(m.annotations.unwrap_or_default()).expect("annotations"),
            )
        })
    };
    vec![
        state(
            Api::<ServiceAccount>::namespaced(client.clone(), ns)
                .get_opt(FEDERATION_REMOTE)
                .await
                .expect("sa")
                .map(|o| o.metadata),
        ),
        state(
            Api::<Secret>::namespaced(client.clone(), ns)
                .get_opt(FEDERATION_REMOTE)
                .await
                .expect("secret")
                .map(|o| o.metadata),
        ),
        state(
            Api::<ClusterRole>::all(client.clone()).get_opt(FEDERATION_REMOTE).await.expect("role").map(|o| o.metadata),
        ),
        state(
            Api::<ClusterRoleBinding>::all(client.clone())
                .get_opt(FEDERATION_REMOTE)
                .await
                .expect("crb")
                .map(|o| o.metadata),
        ),
    ]
}

async fn rcc_names(client: &Client) -> Vec<String> {
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &rcc::api_resource());
    api.list(&ListParams::default())
        .await
        .expect("list rccs")
        .items
        .into_iter()
        .filter_map(|r| r.metadata.name)
        .collect()
}

/// The stored kubeconfig of link `name` in `local`, or `None` when the Secret is absent.
async fn stored_kubeconfig(local: &Client, name: &str) -> Option<String> {
    let s = Api::<Secret>::namespaced(local.clone(), "calico-system")
        .get_opt(&format!("remote-cluster-secret-{name}"))
        .await
        .expect("get link secret")?;
    Some(String::from_utf8(s.data.expect("data")["kubeconfig"].0.clone()).expect("utf8"))
}

/// Whether a stored kubeconfig's credential really works: it lists namespaces of its remote.
async fn credential_works(kubeconfig: &str) -> bool {
    let stored = libfed::kubeconfig::inspect(kubeconfig).expect("stored kubeconfig parses");
    let safe = stored.into_safe().expect("self-contained");
    let client = libfed::stored::client(&safe, libfed::remotes::ClientTimeouts::default()).expect("client");
    Api::<Namespace>::all(client).list(&ListParams::default().limit(1)).await.is_ok()
}

fn used_by(annotations: &Value, local: &str) -> bool {
    annotations.get(format!("federation.kubectl-federate.io/used-by.{local}")).is_some()
}

#[tokio::test]
async fn hand_made_walkthrough_objects_are_adopted_untouched_and_survive_unjoin_cleanup() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    let (a, c) = (env.client("cluster-a").await.expect("a"), env.client("cluster-c").await.expect("c"));
    let ns = testenv::unique_name("walkthrough");
    namespace(&c, &ns).await;
    hand_made_remote(&c, &ns).await;
    let before = remote_state(&c, &ns).await;
    assert!(before.iter().all(Option::is_some));

    let out = run(&kc, &["join", "cluster-c", "--context", "cluster-a", "--remote-namespace", &ns, "-o", "json"]);
    let (stdout, _) = ok(&out, "join over hand-made objects");
    let report: Value = serde_json::from_str(&stdout).expect("json");
    let remote_ops: Vec<&str> =
        report["remotes"][0]["actions"].as_array().expect("actions").iter().filter_map(|a| a["op"].as_str()).collect();
    assert_eq!(remote_ops, ["adopted"; 4], "{stdout}");
    let link = &report["links"][0];
    assert_eq!(link["outcome"], "created", "{stdout}");
    assert!(link["reason"].as_str().unwrap_or_default().contains("adopted: not managed"), "{stdout}");
    let table = text(&run(&kc, &["join", "cluster-c", "--context", "cluster-a", "--remote-namespace", &ns])).0;
    assert!(
        table.contains("adopted: not managed:") && table.contains("clusterrole tigera-federation-remote-cluster"),
        "{table}"
    );

    assert_eq!(remote_state(&c, &ns).await, before, "a hand-made object was relabelled or rewritten");
    // The link uses the hand-made token, and it works.
    let kubeconfig = stored_kubeconfig(&a, "cluster-c").await.expect("link secret");
    let token = Api::<Secret>::namespaced(c.clone(), &ns)
        .get(FEDERATION_REMOTE)
        .await
        .expect("token")
        .data
        .expect("data")["token"]
        .0
        .clone();
    assert!(kubeconfig.contains(&String::from_utf8(token).expect("utf8")), "the adopted token is the one stored");
    assert!(credential_works(&kubeconfig).await);
    // Using a legacy token makes the API server label its Secret (kubernetes.io/legacy-token-last-used):
    // that write is Kubernetes', so the baseline is taken again, and the tool's markers must be absent.
    let before = remote_state(&c, &ns).await;
    for (_, labels, annotations) in before.iter().flatten() {
        assert!(labels.get(MANAGED_BY_LABEL).is_none() && annotations.get(CREATED_BY_ANNOTATION).is_none());
    }

    let out =
        run(&kc, &["unjoin", "cluster-c", "--context", "cluster-a", "--remote-cleanup", "--remote-namespace", &ns]);
    ok(&out, "unjoin --remote-cleanup");
    assert!(!rcc_names(&a).await.contains(&"cluster-c".to_string()), "the local link is removed");
    assert!(stored_kubeconfig(&a, "cluster-c").await.is_none());
    assert_eq!(remote_state(&c, &ns).await, before, "unjoin --remote-cleanup touched a hand-made object");

    remove_cluster_rbac(&c).await;
    remove_namespace(&c, &ns).await;
}

#[tokio::test]
async fn an_incompatible_cluster_role_or_binding_is_refused_with_a_hint_and_nothing_is_written() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    let (a, c) = (env.client("cluster-a").await.expect("a"), env.client("cluster-c").await.expect("c"));
    let ns = testenv::unique_name("refused");
    let name = testenv::unique_name("refused");
    namespace(&c, &ns).await;

    // A ClusterRole of the name that lacks what federation needs (an old manifest: no nodes).
    let mut old = walkthrough_role();
    old.rules = Some(vec![
        serde_json::from_value(json!({"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]})).expect("rule"),
    ]);
    Api::<ClusterRole>::all(c.clone()).create(&PostParams::default(), &old).await.expect("role");
    let before = remote_state(&c, &ns).await;
    let out = run(&kc, &["join", &format!("{name}=cluster-c"), "--context", "cluster-a", "--remote-namespace", &ns]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    for needle in [
        "cluster-c",
        "clusterrole tigera-federation-remote-cluster",
        "not created by kubectl-federate",
        "get namespaces",
        "hint:",
    ] {
        assert!(stdout.contains(needle) || stderr.contains(needle), "{needle:?} missing:\n{stdout}\n{stderr}");
    }
    assert!(!stdout.contains("panicked") && !stderr.contains("Api {"), "{stderr}");
    assert_eq!(remote_state(&c, &ns).await, before, "something was written in the remote");
    assert!(!rcc_names(&a).await.contains(&name), "something was written in the local cluster");
    assert!(stored_kubeconfig(&a, &name).await.is_none());

    // A compatible role but a binding to another subject.
    remove_cluster_rbac(&c).await;
    Api::<ClusterRole>::all(c.clone()).create(&PostParams::default(), &walkthrough_role()).await.expect("role");
    Api::<ClusterRoleBinding>::all(c.clone())
        .create(&PostParams::default(), &binding("kube-system"))
        .await
        .expect("crb");
    let before = remote_state(&c, &ns).await;
    let out = run(&kc, &["join", &format!("{name}=cluster-c"), "--context", "cluster-a", "--remote-namespace", &ns]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("clusterrolebinding tigera-federation-remote-cluster")
            && stdout.contains("kube-system/tigera-federation-remote-cluster"),
        "{stdout}"
    );
    assert!(stdout.contains("hint:"), "{stdout}");
    assert_eq!(remote_state(&c, &ns).await, before, "something was written in the remote");
    assert!(!rcc_names(&a).await.contains(&name));

    remove_cluster_rbac(&c).await;
    remove_namespace(&c, &ns).await;
}

#[tokio::test]
async fn hand_made_local_rcc_and_secret_are_never_overwritten() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    let a = env.client("cluster-a").await.expect("a");
    let ns = testenv::unique_name("local");
    namespace(&env.client("cluster-b").await.expect("b"), &ns).await;
    let rcc_api: Api<DynamicObject> = Api::all_with(a.clone(), &rcc::api_resource());

    // A hand-made RCC of the link's name that reads another Secret.
    let name = testenv::unique_name("hand-rcc");
    let hand: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "projectcalico.org/v3", "kind": "RemoteClusterConfiguration",
        "metadata": {"name": name},
        "spec": {"clusterAccessSecret": {"name": "my-own-secret", "namespace": "calico-system", "kind": "Secret"}}
    }))
    .expect("rcc");
    let created = rcc_api.create(&PostParams::default(), &hand).await.expect("create rcc");
    let out = run(&kc, &["join", &format!("{name}=cluster-b"), "--context", "cluster-a", "--remote-namespace", &ns]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("remoteclusterconfiguration {name}")) && stdout.contains("my-own-secret"),
        "{stdout}"
    );
    assert!(stdout.contains("hint:"), "{stdout}");
    let after = rcc_api.get(&name).await.expect("rcc still there");
    assert_eq!(after.metadata.resource_version, created.metadata.resource_version, "the hand-made RCC was rewritten");
    assert!(!after.metadata.labels.unwrap_or_default().contains_key(MANAGED_BY_LABEL));
    // unjoin leaves it alone and says so.
    let out = run(&kc, &["unjoin", &name, "--context", "cluster-a"]);
    let (_, stderr) = ok(&out, "unjoin of a hand-made link");
    assert!(stderr.contains("not created by kubectl-federate"), "{stderr}");
    assert!(rcc_api.get_opt(&name).await.expect("get").is_some(), "unjoin deleted a hand-made RCC");
    rcc_api.delete(&name, &DeleteParams::default()).await.expect("cleanup");

    // A hand-made Secret of the link's name holding a kubeconfig for another server.
    let name = testenv::unique_name("hand-secret");
    let foreign = libfed::kubeconfig::mint(
        "https://127.0.0.1:1",
        b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        &libfed::redact::Sensitive::new("hand-made-token"),
    )
    .expect("mint");
    let secret = Secret {
        metadata: meta(&format!("remote-cluster-secret-{name}"), Some("calico-system")),
        string_data: Some(
            [
                ("datastoreType".to_string(), "kubernetes".to_string()),
                ("kubeconfig".to_string(), foreign.expose().to_string()),
            ]
            .into(),
        ),
        ..Default::default()
    };
    let secrets = Api::<Secret>::namespaced(a.clone(), "calico-system");
    let created = secrets.create(&PostParams::default(), &secret).await.expect("secret");
    let out = run(&kc, &["join", &format!("{name}=cluster-b"), "--context", "cluster-a", "--remote-namespace", &ns]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("secret calico-system/remote-cluster-secret-{name}"))
            && stdout.contains("127.0.0.1:1"),
        "{stdout}"
    );
    assert!(!stdout.contains("hand-made-token") && !stderr.contains("hand-made-token"), "a secret was echoed");
    let after = secrets.get(&format!("remote-cluster-secret-{name}")).await.expect("secret still there");
    assert_eq!(
        after.metadata.resource_version, created.metadata.resource_version,
        "the hand-made Secret was rewritten"
    );
    assert!(!rcc_names(&a).await.contains(&name), "no RCC may point at a Secret the tool did not write");
    secrets.delete(&format!("remote-cluster-secret-{name}"), &DeleteParams::default()).await.expect("cleanup");
    ok(
        &run(&kc, &["unjoin", "cluster-b", "--context", "cluster-a", "--remote-cleanup", "--remote-namespace", &ns]),
        "cleanup",
    );
    let b = env.client("cluster-b").await.expect("b");
    remove_namespace(&b, &ns).await;
}

#[tokio::test]
async fn unjoin_finds_a_link_by_its_rcc_name_or_its_remote_context_and_warns_when_nothing_matches() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    let (a, c) = (env.client("cluster-a").await.expect("a"), env.client("cluster-c").await.expect("c"));
    let ns = testenv::unique_name("byname");
    let name = testenv::unique_name("east");
    assert!(!rcc_names(&a).await.contains(&"cluster-c".to_string()), "a link cluster-a → cluster-c is left over");
    namespace(&c, &ns).await;

    ok(&run(&kc, &["join", &format!("{name}=cluster-c"), "--context", "cluster-a", "--remote-namespace", &ns]), "join");
    let state = remote_state(&c, &ns).await;
    assert!(state.iter().all(Option::is_some), "{state:?}");
    assert!(used_by(&state[0].as_ref().expect("sa").2, "cluster-a"));
    // By the RCC name: the remote's context is found from the stored server.
    let out = run(
        &kc,
        &["unjoin", &name, "--context", "cluster-a", "--remote-cleanup", "--remote-namespace", &ns, "-o", "json"],
    );
    let (stdout, _) = ok(&out, "unjoin by RCC name");
    let report: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(report["links"][0]["outcome"], "removed", "{stdout}");
    assert_eq!(report["links"][0]["remote"], "cluster-c", "{stdout}");
    assert!(!rcc_names(&a).await.contains(&name));
    assert_eq!(
        remote_state(&c, &ns).await,
        vec![None, None, None, None],
        "the remote objects it made and no one uses are gone"
    );

    // By the remote's context: the link whose stored server is that context's.
    ok(
        &run(&kc, &["join", &format!("{name}=cluster-c"), "--context", "cluster-a", "--remote-namespace", &ns]),
        "join again",
    );
    let out = run(&kc, &["unjoin", "cluster-c", "--context", "cluster-a", "-o", "json"]);
    let (stdout, _) = ok(&out, "unjoin by context");
    let report: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(report["links"][0]["name"], name.as_str(), "{stdout}");
    assert_eq!(report["links"][0]["outcome"], "removed", "{stdout}");
    assert!(!rcc_names(&a).await.contains(&name));

    // Nothing left to match: a warning, not "unchanged".
    let out = run(&kc, &["unjoin", &name, "--context", "cluster-a"]);
    let (stdout, stderr) = ok(&out, "unjoin of nothing");
    assert!(stderr.contains("warning:") && stderr.contains("nothing to remove"), "{stderr}");
    assert!(stdout.contains("not found") && !stdout.contains("unchanged"), "{stdout}");

    ok(
        &run(
            &kc,
            &[
                "unjoin",
                &format!("{name}=cluster-c"),
                "--context",
                "cluster-a",
                "--remote-cleanup",
                "--remote-namespace",
                &ns,
            ],
        ),
        "cleanup",
    );
    remove_namespace(&c, &ns).await;
}

/// A copy of the kubeconfig without `context` (as after a cluster was decommissioned).
fn kubeconfig_without(kc: &Path, context: &str, dir: &Path) -> PathBuf {
    let mut config = kube::config::Kubeconfig::read_from(kc).expect("kubeconfig");
    config.contexts.retain(|c| c.name != context);
    let path = dir.join("kubeconfig-without");
    testenv::env::write_private(&path, &serde_json::to_string(&config).expect("json")).expect("write");
    path
}

#[tokio::test]
async fn unjoin_with_the_remote_context_gone_removes_the_local_side_and_says_how_to_finish() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    let (a, c) = (env.client("cluster-a").await.expect("a"), env.client("cluster-c").await.expect("c"));
    let ns = testenv::unique_name("gone");
    let name = testenv::unique_name("gone");
    namespace(&c, &ns).await;
    ok(&run(&kc, &["join", &format!("{name}=cluster-c"), "--context", "cluster-a", "--remote-namespace", &ns]), "join");
    let tmp = tempfile::tempdir().expect("tmp");
    let without_c = kubeconfig_without(&kc, "cluster-c", tmp.path());

    let out =
        run(&without_c, &["unjoin", &name, "--context", "cluster-a", "--remote-cleanup", "--remote-namespace", &ns]);
    let (stdout, stderr) = ok(&out, "unjoin with the remote context gone");
    assert!(stdout.contains("removed"), "{stdout}");
    assert!(stderr.contains("remote cleanup skipped"), "{stderr}");
    let finish =
        format!("kubectl federate unjoin {name}=CONTEXT --context cluster-a --remote-cleanup --remote-namespace {ns}");
    assert!(stderr.contains(&finish), "{stderr}");
    assert!(!rcc_names(&a).await.contains(&name), "the local RCC is removed");
    assert!(stored_kubeconfig(&a, &name).await.is_none(), "the local Secret is removed");
    let sa = remote_state(&c, &ns).await[0].clone().expect("the remote side is left for later");
    assert!(used_by(&sa.2, "cluster-a"));

    // The printed command, with the context filled in, finishes it.
    let out = run(
        &kc,
        &[
            "unjoin",
            &format!("{name}=cluster-c"),
            "--context",
            "cluster-a",
            "--remote-cleanup",
            "--remote-namespace",
            &ns,
        ],
    );
    let (stdout, _) = ok(&out, "finishing the remote side");
    assert!(stdout.contains("removed"), "{stdout}");
    assert_eq!(remote_state(&c, &ns).await, vec![None, None, None, None]);
    remove_namespace(&c, &ns).await;
}

#[tokio::test]
async fn unjoin_with_the_remote_apiserver_killed_removes_the_local_side_and_says_how_to_finish() {
    // Serialised with the others too: two environments starting at once overload a small machine.
    let _serial = SERIAL.lock().await;
    let env = start_private(2, "fed-ownership-killed").await;
    let kc = env.kubeconfig_path();
    let a = env.client("cluster-a").await.expect("a");
    ok(&run(&kc, &["join", "far=cluster-b", "--context", "cluster-a"]), "join");
    // SIGKILL cluster-b's API server: pids are etcd, then (apiserver, controller manager) per cluster.
    let pid = env.pids()[3];
    let killed = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status().expect("kill");
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(300)).await;

    let started = std::time::Instant::now();
    let out = run(&kc, &["unjoin", "far", "--context", "cluster-a", "--remote-cleanup", "--request-timeout", "5s"]);
    let (stdout, stderr) = ok(&out, "unjoin with the remote dead");
    assert!(started.elapsed() < Duration::from_secs(60), "unjoin waited {:?}", started.elapsed());
    assert!(stdout.contains("removed"), "{stdout}");
    assert!(stderr.contains("remote cleanup skipped") && stderr.contains("cluster-b does not answer"), "{stderr}");
    assert!(stderr.contains("kubectl federate unjoin far=cluster-b --context cluster-a --remote-cleanup"), "{stderr}");
    assert!(rcc_names(&a).await.is_empty(), "the local RCC is removed");
    assert!(stored_kubeconfig(&a, "far").await.is_none(), "the local Secret is removed");
    env.stop();
}

#[tokio::test]
async fn prune_removes_its_used_by_records_and_the_remote_objects_no_one_uses() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    let (a, b, c) = (
        env.client("cluster-a").await.expect("a"),
        env.client("cluster-b").await.expect("b"),
        env.client("cluster-c").await.expect("c"),
    );
    let ns = testenv::unique_name("prune");
    for cl in [&a, &b, &c] {
        namespace(cl, &ns).await;
    }
    // In cluster-c the ClusterRole is hand-made: prune must never delete it.
    Api::<ClusterRole>::all(c.clone()).create(&PostParams::default(), &walkthrough_role()).await.expect("role");
    ok(&run(&kc, &["mesh", "cluster-a", "cluster-b", "cluster-c", "--remote-namespace", &ns]), "mesh");
    let on_c = remote_state(&c, &ns).await;
    let sa = on_c[0].as_ref().expect("sa");
    assert!(used_by(&sa.2, "cluster-a") && used_by(&sa.2, "cluster-b"), "{sa:?}");
    // Another user of cluster-c's objects, recorded by hand: the objects must stay for it.
    let sa_api = Api::<ServiceAccount>::namespaced(c.clone(), &ns);
    let patch = json!({"metadata": {"annotations": {"federation.kubectl-federate.io/used-by.cluster-z": "true"}}});
    sa_api.patch(FEDERATION_REMOTE, &Default::default(), &kube::api::Patch::Merge(&patch)).await.expect("record z");

    let out = run(&kc, &["mesh", "cluster-a", "cluster-b", "--prune", "--remote-namespace", &ns, "-o", "json"]);
    let (stdout, _) = ok(&out, "mesh --prune");
    let report: Value = serde_json::from_str(&stdout).expect("json");
    let removed: Vec<&Value> =
        report["links"].as_array().expect("links").iter().filter(|l| l["outcome"] == "removed").collect();
    assert_eq!(removed.len(), 2, "{stdout}");
    for cl in [&a, &b] {
        assert!(!rcc_names(cl).await.contains(&"cluster-c".to_string()), "the link to cluster-c is pruned");
    }
    let on_c = remote_state(&c, &ns).await;
    let sa = on_c[0].as_ref().expect("cluster-z still uses the ServiceAccount");
    assert!(!used_by(&sa.2, "cluster-a") && !used_by(&sa.2, "cluster-b"), "the pruned links' records are gone: {sa:?}");
    assert!(used_by(&sa.2, "cluster-z"));

    // Without the other user, a second prune deletes what the tool made in cluster-c, not the rest.
    let patch = json!({"metadata": {"annotations": {"federation.kubectl-federate.io/used-by.cluster-z": null}}});
    sa_api.patch(FEDERATION_REMOTE, &Default::default(), &kube::api::Patch::Merge(&patch)).await.expect("unrecord z");
    // Re-create the pruned links' records as an interrupted prune would leave them.
    let out = run(&kc, &["join", "cluster-c", "--context", "cluster-a", "--remote-namespace", &ns]);
    ok(&out, "join again");
    ok(&run(&kc, &["mesh", "cluster-a", "cluster-b", "--prune", "--remote-namespace", &ns]), "prune again");
    let on_c = remote_state(&c, &ns).await;
    assert!(
        on_c[0].is_none() && on_c[1].is_none() && on_c[3].is_none(),
        "the tool's objects in cluster-c are gone: {on_c:?}"
    );
    let role = on_c[2].as_ref().expect("the hand-made ClusterRole stays");
    assert!(role.1.get(MANAGED_BY_LABEL).is_none() && role.2.get(CREATED_BY_ANNOTATION).is_none());
    // Links from cluster-c (not in the list) are not prune's to touch.
    assert_eq!(rcc_names(&c).await.len(), 2);

    for local in ["cluster-a", "cluster-b", "cluster-c"] {
        let mut args = vec!["unjoin", "--context", local, "--remote-cleanup", "--remote-namespace", &ns];
        args.extend(["cluster-a", "cluster-b", "cluster-c"].into_iter().filter(|r| *r != local));
        ok(&run(&kc, &args), "cleanup");
    }
    remove_cluster_rbac(&c).await;
    for cl in [&a, &b, &c] {
        remove_namespace(cl, &ns).await;
    }
}

#[tokio::test]
async fn unjoin_remote_cleanup_racing_join_never_leaves_an_rcc_without_its_token() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    let a = env.client("cluster-a").await.expect("a");
    let ns = testenv::unique_name("race");
    namespace(&env.client("cluster-c").await.expect("c"), &ns).await;
    let join_a = ["join", "cluster-c", "--context", "cluster-a", "--remote-namespace", &ns];
    let join_b = ["join", "cluster-c", "--context", "cluster-b", "--remote-namespace", &ns];
    let unjoin_a = ["unjoin", "cluster-c", "--context", "cluster-a", "--remote-cleanup", "--remote-namespace", &ns];
    let unjoin_b = ["unjoin", "cluster-c", "--context", "cluster-b", "--remote-cleanup", "--remote-namespace", &ns];
    for round in 0..5 {
        // cluster-b is the only user of cluster-c's objects; cluster-a joins while cluster-b leaves.
        ok(&run(&kc, &join_b), "join b");
        let kcj = kc.clone();
        let kcu = kc.clone();
        let join_args: Vec<String> = join_a.iter().map(|s| s.to_string()).collect();
        let unjoin_args: Vec<String> = unjoin_b.iter().map(|s| s.to_string()).collect();
        let join = std::thread::spawn(move || run(&kcj, &join_args.iter().map(String::as_str).collect::<Vec<_>>()));
        let unjoin = std::thread::spawn(move || run(&kcu, &unjoin_args.iter().map(String::as_str).collect::<Vec<_>>()));
        let (join, unjoin) = (join.join().expect("join thread"), unjoin.join().expect("unjoin thread"));
        ok(&unjoin, &format!("round {round}: unjoin"));
        ok(&join, &format!("round {round}: join racing an unjoin"));
        match stored_kubeconfig(&a, "cluster-c").await {
            Some(kubeconfig) => assert!(
                credential_works(&kubeconfig).await,
                "round {round}: cluster-a's RCC holds a token that no longer works"
            ),
            None => assert!(
                !rcc_names(&a).await.contains(&"cluster-c".to_string()),
                "round {round}: an RCC without its Secret"
            ),
        }
        // A re-run converges: the link works.
        ok(&run(&kc, &join_a), "re-run");
        let kubeconfig = stored_kubeconfig(&a, "cluster-c").await.expect("secret after re-run");
        assert!(credential_works(&kubeconfig).await, "round {round}: the re-run did not repair the link");
        ok(&run(&kc, &unjoin_a), "reset");
    }
    remove_namespace(&env.client("cluster-c").await.expect("c"), &ns).await;
}

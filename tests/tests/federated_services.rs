//! Federated services against real clusters: `svc create|list|show|delete|sync`, the watching
//! controller, cluster outages, leader election between two real processes, and the in-cluster
//! manifest's RBAC. One private three-cluster environment for the whole file (it stops clusters,
//! so it does not use the shared one), meshed once; each test works in its own namespace.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{EndpointSubset, Endpoints, Namespace, Service, ServiceAccount};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::api::{ListParams, ObjectMeta, PostParams};
use kube::{Api, Client};
use libfed::federated::slices::MIRRORED_BY;
use libfed::federated::{SERVICE_SELECTOR_ANNOTATION, SKIP_MIRROR_LABEL, SLICE_MANAGED_BY_LABEL};
use serde_json::json;
use testenv::federate::run;
use testenv::pods;
use tokio::sync::OnceCell;

const CONTEXTS: [&str; 3] = ["cluster-a", "cluster-b", "cluster-c"];

/// The private environment, meshed once.
async fn env() -> &'static testenv::Env {
    static ENV: OnceCell<testenv::Env> = OnceCell::const_new();
    ENV.get_or_init(|| async {
        libfed::tls::ensure_crypto_provider();
        let dir = testenv::private_dir("fed-svc-test-");
        let env = testenv::Env::start(3, &dir, testenv::Lifetime::Owned).await.expect("private environment");
        let out = run(&env.kubeconfig_path(), &["mesh", "cluster-a", "cluster-b", "cluster-c"]);
        assert_eq!(out.status.code(), Some(0), "mesh: {}", text(&out).1);
        env
    })
    .await
}

/// Serialises the tests of this file: they share one environment, and some stop clusters or run
/// controllers that act on every namespace.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The environment with every cluster up (a test that failed mid-outage may have left one down).
async fn up_env() -> &'static testenv::Env {
    let env = env().await;
    for ctx in CONTEXTS {
        let healthy = match env.client(ctx).await {
            Ok(c) => c.apiserver_version().await.is_ok(),
            Err(_) => false,
        };
        if !healthy {
            env.start_cluster(ctx).await.expect("restart a cluster left down");
        }
    }
    env
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

async fn clients(env: &testenv::Env) -> Vec<Client> {
    let mut out = Vec::new();
    for ctx in CONTEXTS {
        out.push(env.client(ctx).await.expect("client"));
    }
    out
}

async fn create_namespace(client: &Client, name: &str) {
    let ns = Namespace { metadata: ObjectMeta { name: Some(name.into()), ..Default::default() }, ..Default::default() };
    match Api::<Namespace>::all(client.clone()).create(&PostParams::default(), &ns).await {
        Ok(_) => {}
        Err(kube::Error::Api(s)) if s.code == 409 => {}
        Err(e) => panic!("create namespace {name}: {e}"),
    }
}

async fn create<K>(client: &Client, ns: &str, value: serde_json::Value) -> K
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + serde::de::DeserializeOwned
        + serde::Serialize
        + std::fmt::Debug,
{
    let object: K = serde_json::from_value(value).expect("object");
    Api::<K>::namespaced(client.clone(), ns).create(&PostParams::default(), &object).await.expect("create")
}

/// The walkthrough's my-app in one cluster: a ClusterIP Service labelled `run: my-app` over pods
/// `app: my-app` (created directly on a node, made ready with IPs from the cluster's range).
async fn deploy_my_app(client: &Client, ns: &str, cluster: usize, replicas: std::ops::Range<usize>) {
    if replicas.start == 0 {
        create::<Service>(
            client,
            ns,
            json!({"metadata": {"name": "my-app", "labels": {"run": "my-app"}},
                   "spec": {"selector": {"app": "my-app"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}),
        )
        .await;
    }
    let labels = BTreeMap::from([("app".to_owned(), "my-app".to_owned())]);
    let node = format!("{}-node", CONTEXTS[cluster]);
    pods::create_pods(client, ns, "my-app", &labels, replicas, &node).await.expect("pods");
    let cidr: pods::Cidr = format!("10.{}.0.0/16", cluster + 1).parse().expect("cidr");
    pods::ready_pods(client, ns, "app=my-app", &cidr, &node).await.expect("ready pods");
}

/// Polls an Endpoints object until `ok` holds.
async fn wait_endpoints(
    client: &Client,
    ns: &str,
    name: &str,
    what: &str,
    ok: impl Fn(&Endpoints) -> bool,
) -> Endpoints {
    let api: Api<Endpoints> = Api::namespaced(client.clone(), ns);
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let got = api.get_opt(name).await.ok().flatten();
        if let Some(e) = got.as_ref().filter(|e| ok(e)) {
            return e.clone();
        }
        assert!(Instant::now() < deadline, "timed out waiting for endpoints {ns}/{name}: {what}; last: {got:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// (ready, not ready) `ip target` strings of an Endpoints object, sorted.
fn addresses(e: &Endpoints) -> (Vec<String>, Vec<String>) {
    let list = |f: fn(&EndpointSubset) -> &Option<Vec<k8s_openapi::api::core::v1::EndpointAddress>>| {
        let mut v: Vec<String> = e
            .subsets
            .iter()
            .flatten()
            .flat_map(|s| f(s).iter().flatten())
            .map(|a| format!("{} {}", a.ip, a.target_ref.as_ref().and_then(|t| t.name.clone()).unwrap_or_default()))
            .collect();
        v.sort();
        v
    };
    (list(|s| &s.addresses), list(|s| &s.not_ready_addresses))
}

fn ready_count(e: &Endpoints) -> usize {
    addresses(e).0.len()
}

/// Every EndpointSlice of a Service, whoever made it.
async fn slices(client: &Client, ns: &str, service: &str) -> Vec<EndpointSlice> {
    let lp = ListParams::default().labels(&format!("kubernetes.io/service-name={service}"));
    Api::<EndpointSlice>::namespaced(client.clone(), ns).list(&lp).await.expect("slices").items
}

/// The addresses of a Service's slices, sorted.
fn slice_addresses(slices: &[EndpointSlice]) -> Vec<String> {
    let mut v: Vec<String> = slices.iter().flat_map(|s| s.endpoints.iter().flat_map(|e| e.addresses.clone())).collect();
    v.sort();
    v
}

/// Polls a Service's slices until `ok` holds (Kubernetes mirrors the Endpoints asynchronously).
async fn wait_slices(
    client: &Client,
    ns: &str,
    service: &str,
    what: &str,
    ok: impl Fn(&[EndpointSlice]) -> bool,
) -> Vec<EndpointSlice> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = slices(client, ns, service).await;
        if ok(&got) {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for the slices of {ns}/{service}: {what}; last: {:?}",
            slice_addresses(&got)
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn resource_versions(client: &Client, ns: &str, name: &str) -> Vec<String> {
    let e = Api::<Endpoints>::namespaced(client.clone(), ns).get(name).await.expect("endpoints");
    let mut v = vec![e.metadata.resource_version.unwrap_or_default()];
    v.extend(slices(client, ns, name).await.into_iter().map(|s| s.metadata.resource_version.unwrap_or_default()));
    v
}

/// A `kubectl-federate` child process whose stderr is collected, killed when dropped.
struct Background {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Background {
    fn start(kubeconfig: &Path, args: &[&str]) -> Background {
        let mut child = testenv::federate::command(kubeconfig)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kubectl-federate");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().expect("log").push(line);
            }
        });
        Background { child, log }
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().expect("log").clone()
    }

    fn writes(&self) -> usize {
        self.log().iter().filter(|l| l.contains("endpoints created") || l.contains("endpoints updated")).count()
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, as Kubernetes stops a pod; waits for the exit.
    fn terminate(&mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        let _ = std::process::Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.kill();
        None
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.kill();
    }
}

fn svc(kubeconfig: &Path, args: &[&str]) -> Output {
    let mut all = vec!["svc"];
    all.extend_from_slice(args);
    run(kubeconfig, &all)
}

/// my-app in every cluster (two ready pods each) and my-app-federated created by `svc create`.
async fn walkthrough(env: &testenv::Env, ns: &str) -> Vec<Client> {
    let clients = clients(env).await;
    for (i, c) in clients.iter().enumerate() {
        create_namespace(c, ns).await;
        deploy_my_app(c, ns, i, 0..2).await;
    }
    for c in &clients {
        wait_endpoints(c, ns, "my-app", "two ready pods", |e| ready_count(e) == 2).await;
    }
    let out = svc(
        &env.kubeconfig_path(),
        &[
            "create",
            "my-app-federated",
            "--selector",
            "run == \"my-app\"",
            "--port",
            "http:80",
            "-n",
            ns,
            "--all-contexts",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "svc create: {:?}", text(&out));
    clients
}

#[tokio::test]
async fn walkthrough_gives_each_cluster_six_addresses_and_a_second_sync_writes_nothing() {
    let _serial = SERIAL.lock().await;
    let env = up_env().await;
    let kc = env.kubeconfig_path();
    let ns = testenv::unique_name("walk");
    let clients = walkthrough(env, &ns).await;

    for ctx in CONTEXTS {
        let out = svc(&kc, &["sync", "--once", "--context", ctx, "-o", "json"]);
        assert_eq!(out.status.code(), Some(0), "sync {ctx}: {:?}", text(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let ours = report["clusters"][0]["services"]
            .as_array()
            .expect("services")
            .iter()
            .find(|s| s["namespace"] == ns.as_str())
            .cloned()
            .expect("my-app-federated synced");
        assert_eq!((ours["outcome"].as_str(), ours["ready"].as_u64()), (Some("created"), Some(6)), "{ours}");
    }

    for (i, c) in clients.iter().enumerate() {
        let e =
            Api::<Endpoints>::namespaced(c.clone(), &ns).get("my-app-federated").await.expect("federated endpoints");
        let (ready, not_ready) = addresses(&e);
        assert_eq!(ready.len(), 6, "{}: {ready:?}", CONTEXTS[i]);
        assert!(not_ready.is_empty());
        for (j, other) in CONTEXTS.iter().enumerate() {
            let from = ready.iter().filter(|a| a.starts_with(&format!("10.{}.", j + 1))).collect::<Vec<_>>();
            assert_eq!(from.len(), 2, "{}: two addresses from {other}: {ready:?}", CONTEXTS[i]);
            for a in from {
                let target = a.split(' ').nth(1).expect("target");
                if i == j {
                    assert!(target.starts_with("my-app-") && !target.contains('/'), "local pods are not prefixed: {a}");
                } else {
                    assert!(target.starts_with(&format!("{other}/my-app-")), "remote pods are CLUSTER/POD: {a}");
                }
            }
        }
        let ports: Vec<(Option<String>, i32)> = e
            .subsets
            .iter()
            .flatten()
            .flat_map(|s| s.ports.iter().flatten())
            .map(|p| (p.name.clone(), p.port))
            .collect();
        assert_eq!(ports, [(Some("http".to_owned()), 8080)], "the backing port number");
        assert!(
            e.metadata.labels.as_ref().is_none_or(|l| !l.contains_key(SKIP_MIRROR_LABEL)),
            "mirrored by Kubernetes"
        );
        assert_eq!(
            e.metadata.annotations.as_ref().and_then(|a| a.get(SERVICE_SELECTOR_ANNOTATION)).map(String::as_str),
            Some("run == \"my-app\"")
        );
        // Kubernetes' mirroring controller makes the slices, as for Calico Enterprise's Endpoints.
        let s =
            wait_slices(c, &ns, "my-app-federated", "six mirrored endpoints", |s| slice_addresses(s).len() == 6).await;
        for slice in &s {
            assert_eq!(
                slice.metadata.labels.as_ref().and_then(|l| l.get(SLICE_MANAGED_BY_LABEL)).map(String::as_str),
                Some(MIRRORED_BY),
                "only mirrored slices"
            );
        }
        let ips: Vec<String> = ready.iter().map(|a| a.split(' ').next().unwrap_or_default().to_owned()).collect();
        let mut ips = ips;
        ips.sort();
        assert_eq!(slice_addresses(&s), ips);
    }

    // Nothing changed, so a second sync writes nothing anywhere.
    let mut before = Vec::new();
    for c in &clients {
        before.push(resource_versions(c, &ns, "my-app-federated").await);
    }
    for ctx in CONTEXTS {
        let out = svc(&kc, &["sync", "--once", "--context", ctx, "-o", "json"]);
        assert_eq!(out.status.code(), Some(0));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let s = report["clusters"][0]["services"].as_array().expect("services");
        assert!(s.iter().filter(|s| s["namespace"] == ns.as_str()).all(|s| s["outcome"] == "unchanged"), "{report}");
    }
    for (c, b) in clients.iter().zip(&before) {
        assert_eq!(&resource_versions(c, &ns, "my-app-federated").await, b, "a second sync wrote something");
    }

    // list and show agree: six ready, backing 1 local / 2 remote, no drift.
    let out = svc(&kc, &["list", "-n", &ns, "--all-contexts", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = list["services"].as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    for r in rows {
        assert_eq!(
            (r["ready"].as_u64(), r["backingLocal"].as_u64(), r["backingRemote"].as_u64()),
            (Some(6), Some(1), Some(2)),
            "{r}"
        );
        assert_eq!(r["inSync"], true);
        assert_eq!(r["ports"], json!(["http:80/TCP"]));
    }
    let out = svc(&kc, &["show", "my-app-federated", "-n", &ns, "--context", "cluster-b", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let show: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(show["computed"].as_array().map(Vec::len), Some(6));
    assert_eq!(show["drift"], json!({"missing": [], "extra": []}));
    // A user's edit shows as drift, and the next sync puts it right.
    let a = &clients[0];
    let api: Api<Endpoints> = Api::namespaced(a.clone(), &ns);
    let mut edited = api.get("my-app-federated").await.expect("get");
    edited.subsets = Some(vec![EndpointSubset {
        addresses: Some(vec![k8s_openapi::api::core::v1::EndpointAddress {
            ip: "10.9.9.9".into(),
            ..Default::default()
        }]),
        ports: Some(vec![k8s_openapi::api::core::v1::EndpointPort {
            name: Some("http".into()),
            port: 1,
            ..Default::default()
        }]),
        ..Default::default()
    }]);
    edited.metadata.annotations.get_or_insert_default().insert("team".into(), "shop".into());
    let edited = api.replace("my-app-federated", &PostParams::default(), &edited).await.expect("user edit");
    assert!(edited.metadata.managed_fields.is_some_and(|m| !m.is_empty()), "the API server tracks the user's edit");
    let out = svc(&kc, &["show", "my-app-federated", "-n", &ns, "--context", "cluster-a"]);
    let (stdout, stderr) = text(&out);
    assert!(stdout.contains("drift: 6 missing, 1 extra"), "{stdout}");
    assert_eq!(out.status.code(), Some(1), "drift is a failed check: {stderr}");
    assert!(stderr.contains("hint: `kubectl federate svc sync --once --context cluster-a`"), "{stderr}");
    assert!(stdout.contains("extra") && stdout.contains("10.9.9.9"), "{stdout}");
    let out = svc(&kc, &["sync", "--once", "--context", "cluster-a"]);
    assert_eq!(out.status.code(), Some(0));
    let e = api.get("my-app-federated").await.expect("get");
    assert_eq!(ready_count(&e), 6, "the edit was overwritten");
    // Updates clear the field-ownership record, so that the API server skips tracking it.
    assert_eq!(e.metadata.managed_fields, None, "managedFields cleared by the sync's update");
    assert_eq!(
        e.metadata.annotations.as_ref().and_then(|a| a.get("team")).map(String::as_str),
        Some("shop"),
        "other annotations kept"
    );

    // delete removes the Service, its Endpoints and its slices.
    let out = svc(&kc, &["delete", "my-app-federated", "-n", &ns, "--context", "cluster-c"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let c = &clients[2];
    assert!(Api::<Service>::namespaced(c.clone(), &ns).get_opt("my-app-federated").await.expect("get").is_none());
    assert!(Api::<Endpoints>::namespaced(c.clone(), &ns).get_opt("my-app-federated").await.expect("get").is_none());
    wait_slices(c, &ns, "my-app-federated", "mirrored slices gone with the Endpoints", <[EndpointSlice]>::is_empty)
        .await;
    let out = svc(&kc, &["delete", "my-app", "-n", &ns, "--context", "cluster-c"]);
    assert_eq!(out.status.code(), Some(1), "a Service that is not federated is refused");
    assert!(Api::<Service>::namespaced(c.clone(), &ns).get_opt("my-app").await.expect("get").is_some());
}

#[tokio::test]
async fn svc_create_refuses_a_bad_selector_with_a_caret_before_touching_a_cluster() {
    // No environment needed: the selector is checked first (a missing kubeconfig proves it).
    let out = run(
        Path::new("/nonexistent/kubeconfig"),
        &["svc", "create", "x", "--selector", "run == 'a' && tier = 'db'", "--port", "http:80"],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("invalid --selector: expected '==' at position 19"), "{stderr}");
    assert!(stderr.contains("    run == 'a' && tier = 'db'\n                       ^"), "{stderr}");
    let out = run(
        Path::new("/nonexistent/kubeconfig"),
        &["svc", "create", "x", "--selector", "all()", "--port", "80", "--port", "https:443"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).1.contains("every port needs a name"), "{}", text(&out).1);
}

#[tokio::test]
async fn watch_mode_follows_scaling_and_edits_and_withdraws_a_stopped_cluster_until_it_returns() {
    let _serial = SERIAL.lock().await;
    let env = up_env().await;
    let kc = env.kubeconfig_path();
    let ns = testenv::unique_name("watch");
    let clients = walkthrough(env, &ns).await;
    let a = &clients[0];
    let mut controller =
        Background::start(&kc, &["svc", "sync", "--context", "cluster-a", "-v", "--remote-grace-period", "2s"]);
    wait_endpoints(a, &ns, "my-app-federated", "six addresses from the first sync", |e| ready_count(e) == 6).await;

    // Scaling my-app in cluster-b to three pods reaches cluster-a.
    deploy_my_app(&clients[1], &ns, 1, 2..3).await;
    let e =
        wait_endpoints(a, &ns, "my-app-federated", "seven addresses after scaling cluster-b", |e| ready_count(e) == 7)
            .await;
    assert_eq!(addresses(&e).0.iter().filter(|a| a.contains(" cluster-b/")).count(), 3);

    // A pod turning not ready in cluster-b moves to notReadyAddresses.
    pods::set_ready(&clients[1], &ns, "my-app-0", false).await.expect("not ready");
    let e = wait_endpoints(a, &ns, "my-app-federated", "one not-ready address", |e| addresses(e).1.len() == 1).await;
    assert!(addresses(&e).1[0].ends_with(" cluster-b/my-app-0"), "{:?}", addresses(&e));
    pods::set_ready(&clients[1], &ns, "my-app-0", true).await.expect("ready again");
    wait_endpoints(a, &ns, "my-app-federated", "ready again", |e| ready_count(e) == 7 && addresses(e).1.is_empty())
        .await;

    // A user's edit of the federated Endpoints is put right.
    let api: Api<Endpoints> = Api::namespaced(a.clone(), &ns);
    let mut edited = api.get("my-app-federated").await.expect("get");
    edited.subsets = None;
    api.replace("my-app-federated", &PostParams::default(), &edited).await.expect("user edit");
    wait_endpoints(a, &ns, "my-app-federated", "the edit overwritten", |e| ready_count(e) == 7).await;

    // cluster-c's API server stops: after the grace period its two addresses are withdrawn; when
    // it returns, restored.
    env.stop_cluster("cluster-c").expect("stop cluster-c");
    let stopped = Instant::now();
    let e = wait_endpoints(a, &ns, "my-app-federated", "cluster-c withdrawn", |e| ready_count(e) == 5).await;
    let withdrawn_after = stopped.elapsed();
    assert!(addresses(&e).0.iter().all(|a| !a.contains(" cluster-c/")), "{:?}", addresses(&e));
    wait_slices(a, &ns, "my-app-federated", "five mirrored", |s| slice_addresses(s).len() == 5).await;
    env.start_cluster("cluster-c").await.expect("restart cluster-c");
    let restarted = Instant::now();
    wait_endpoints(a, &ns, "my-app-federated", "cluster-c restored", |e| ready_count(e) == 7).await;
    eprintln!(
        "cluster-c withdrawn {:.1}s after its API server stopped, restored {:.1}s after it was ready again",
        withdrawn_after.as_secs_f64(),
        restarted.elapsed().as_secs_f64()
    );
    let log = controller.log().join("\n");
    assert!(log.contains("remote cluster-c unreachable, its endpoints are kept for 2s"), "{log}");
    assert!(log.contains("remote cluster-c unreachable for 2s, its endpoints are withdrawn"), "{log}");
    assert!(log.contains("remote cluster-c in sync again; its endpoints are restored"), "{log}");
    assert_eq!(controller.terminate(), Some(0), "SIGTERM stops the controller cleanly");
}

#[tokio::test]
async fn a_service_with_selector_and_annotation_and_unrelated_endpoints_are_left_alone() {
    let _serial = SERIAL.lock().await;
    let env = up_env().await;
    let kc = env.kubeconfig_path();
    let ns = testenv::unique_name("alone");
    let a = env.client("cluster-a").await.expect("a");
    create_namespace(&a, &ns).await;
    deploy_my_app(&a, &ns, 0, 0..2).await;
    // Annotated, but with a spec.selector: Kubernetes' endpoints controller owns its Endpoints.
    create::<Service>(
        &a,
        &ns,
        json!({"metadata": {"name": "both", "annotations": {SERVICE_SELECTOR_ANNOTATION: "run == \"my-app\""}},
               "spec": {"selector": {"app": "my-app"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}),
    )
    .await;
    // Selector-less, without the annotation, with hand-written Endpoints: not ours either.
    create::<Service>(
        &a,
        &ns,
        json!({"metadata": {"name": "manual"}, "spec": {"ports": [{"name": "http", "port": 80}]}}),
    )
    .await;
    create::<Endpoints>(
        &a,
        &ns,
        json!({"metadata": {"name": "manual"},
               "subsets": [{"addresses": [{"ip": "192.0.2.10"}], "ports": [{"name": "http", "port": 9999}]}]}),
    )
    .await;
    let both = wait_endpoints(&a, &ns, "both", "the endpoints controller's two pods", |e| ready_count(e) == 2).await;
    let manual = Api::<Endpoints>::namespaced(a.clone(), &ns).get("manual").await.expect("manual");
    // A real federated Service next to them, so the sync has work in this namespace.
    let out =
        svc(&kc, &["create", "fed", "--selector", "all()", "--port", "http:80", "-n", &ns, "--context", "cluster-a"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));

    let out = svc(&kc, &["sync", "--once", "--context", "cluster-a", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let here: Vec<&serde_json::Value> = report["clusters"][0]["services"]
        .as_array()
        .expect("services")
        .iter()
        .filter(|s| s["namespace"] == ns.as_str())
        .collect();
    assert_eq!(here.len(), 1, "only the federated service is synced: {here:?}");
    assert_eq!(here[0]["name"], "fed");
    // `all()` picks my-app and manual (and not `both` or `fed`, which carry the annotation).
    let fed = Api::<Endpoints>::namespaced(a.clone(), &ns).get("fed").await.expect("fed");
    let ips: Vec<String> =
        addresses(&fed).0.into_iter().map(|a| a.split(' ').next().unwrap_or_default().to_owned()).collect();
    assert_eq!(ips.len(), 3, "{ips:?}");
    assert!(ips.contains(&"192.0.2.10".to_owned()));

    for (name, before) in [("both", &both), ("manual", &manual)] {
        let now = Api::<Endpoints>::namespaced(a.clone(), &ns).get(name).await.expect("get");
        assert_eq!(now.metadata.resource_version, before.metadata.resource_version, "{name} was written");
        assert!(now.metadata.labels.as_ref().is_none_or(|l| !l.contains_key(SKIP_MIRROR_LABEL)), "{name}");
        let lp = ListParams::default().labels(&libfed::federated::slices::slice_selector(name));
        let ours = Api::<EndpointSlice>::namespaced(a.clone(), &ns).list(&lp).await.expect("slices").items;
        assert!(ours.is_empty(), "no slices of ours for {name}");
    }
    // Watch mode leaves them alone too.
    let mut controller = Background::start(&kc, &["svc", "sync", "--context", "cluster-a", "-v"]);
    tokio::time::sleep(Duration::from_secs(8)).await;
    controller.kill();
    for (name, before) in [("both", &both), ("manual", &manual)] {
        let now = Api::<Endpoints>::namespaced(a.clone(), &ns).get(name).await.expect("get");
        assert_eq!(now.metadata.resource_version, before.metadata.resource_version, "{name} was written by watch mode");
    }
    assert!(
        !controller.log().iter().any(|l| l.contains(&format!("{ns}/both")) && l.contains("endpoints")),
        "{:?}",
        controller.log()
    );
}

async fn lease_holder(client: &Client, ns: &str) -> Option<String> {
    Api::<Lease>::namespaced(client.clone(), ns)
        .get_opt("test-lease")
        .await
        .ok()
        .flatten()
        .and_then(|l| l.spec?.holder_identity)
        .filter(|h| !h.is_empty())
}

#[tokio::test]
async fn two_sync_processes_elect_one_writer_and_the_other_takes_over_when_it_dies() {
    let _serial = SERIAL.lock().await;
    let env = up_env().await;
    let kc = env.kubeconfig_path();
    let ns = testenv::unique_name("lead");
    let clients = walkthrough(env, &ns).await;
    let a = &clients[0];
    let args = |id: &str| -> Vec<String> {
        let list = [
            "svc",
            "sync",
            "--context",
            "cluster-a",
            "-v",
            "--leader-elect",
            "--lease-name",
            "test-lease",
            "--lease-namespace",
            &ns,
            "--lease-duration",
            "6s",
            "--renew-deadline",
            "4s",
            "--retry-period",
            "1s",
            "--identity",
            id,
        ];
        list.iter().map(|s| (*s).to_owned()).collect()
    };
    let start = |id: &str| {
        let a = args(id);
        Background::start(&kc, &a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let mut p1 = start("p1");
    let mut p2 = start("p2");
    wait_endpoints(a, &ns, "my-app-federated", "written by the leader", |e| ready_count(e) == 6).await;
    let leader = lease_holder(a, &ns).await.expect("a leader");
    // The leadership is stable while both live, and only the leader writes.
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(lease_holder(a, &ns).await.as_deref(), Some(leader.as_str()), "leadership flapped");
    }
    deploy_my_app(&clients[1], &ns, 1, 2..3).await;
    wait_endpoints(a, &ns, "my-app-federated", "seven after scaling", |e| ready_count(e) == 7).await;
    let (lead, follow) = if leader == "p1" { (&mut p1, &mut p2) } else { (&mut p2, &mut p1) };
    assert!(lead.writes() >= 1, "the leader wrote: {:?}", lead.log());
    assert_eq!(follow.writes(), 0, "the follower never writes: {:?}", follow.log());
    assert!(lead.log().iter().any(|l| l.contains("became leader")));
    assert!(!follow.log().iter().any(|l| l.contains("became leader")));

    // The leader dies without releasing the lease (SIGKILL): the other takes over after the
    // lease expires, and writes the next change.
    lead.kill();
    let killed = Instant::now();
    let follower_id = if leader == "p1" { "p2" } else { "p1" };
    let deadline = Instant::now() + Duration::from_secs(30);
    while lease_holder(a, &ns).await.as_deref() != Some(follower_id) {
        assert!(Instant::now() < deadline, "no take-over: {:?}", follow.log());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let took_over = killed.elapsed();
    assert!(took_over >= Duration::from_secs(5), "a live-looking lease was taken early ({took_over:?})");
    deploy_my_app(&clients[2], &ns, 2, 2..3).await;
    wait_endpoints(a, &ns, "my-app-federated", "eight after the take-over", |e| ready_count(e) == 8).await;
    assert!(follow.writes() >= 1, "the new leader writes: {:?}", follow.log());
    eprintln!("take-over {:.1}s after the leader was killed", took_over.as_secs_f64());

    // A leader stopped gracefully releases the lease at once.
    assert_eq!(follow.terminate(), Some(0));
    assert_eq!(lease_holder(a, &ns).await, None, "released on SIGTERM");
}

#[tokio::test]
async fn the_controller_manifest_rbac_is_enough_to_sync_and_to_hold_the_lease() {
    let _serial = SERIAL.lock().await;
    let env = up_env().await;
    let ns = testenv::unique_name("rbac");
    let clients = walkthrough(env, &ns).await;
    let a = &clients[0];
    let manifest =
        std::fs::read_to_string(testenv::binaries::repo_root().join("manifests/federated-services-controller.yaml"))
            .expect("manifest");
    testenv::env::apply_yaml(a, &manifest).await.expect("apply the controller manifest");
    // A kubeconfig holding the controller ServiceAccount's token, as the pod would have.
    let request: k8s_openapi::api::authentication::v1::TokenRequest =
        serde_json::from_value(json!({"spec": {"audiences": [], "expirationSeconds": 3600}})).expect("token request");
    let token = Api::<ServiceAccount>::namespaced(a.clone(), "kubectl-federate")
        .create_token_request("federated-services-controller", &PostParams::default(), &request)
        .await
        .expect("token")
        .status
        .expect("status")
        .token;
    let ca = std::fs::read(env.dir().join("cluster-a/ca.crt")).expect("ca");
    let kubeconfig =
        libfed::kubeconfig::mint(&env.server_url("cluster-a"), &ca, &libfed::redact::Sensitive::new(token))
            .expect("mint");
    let path = env.dir().join(format!("{ns}.kubeconfig"));
    testenv::env::write_private(&path, kubeconfig.expose()).expect("write kubeconfig");

    let out = svc(&path, &["sync", "--once", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "sync as the controller's ServiceAccount: {:?}", text(&out));
    let e =
        wait_endpoints(a, &ns, "my-app-federated", "written with the manifest's RBAC", |e| ready_count(e) == 6).await;
    assert_eq!(ready_count(&e), 6);
    let mut controller = Background::start(
        &path,
        &["svc", "sync", "--leader-elect", "--lease-namespace", "kubectl-federate", "--identity", "pod-1", "-v"],
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let holder = Api::<Lease>::namespaced(a.clone(), "kubectl-federate")
            .get_opt(libfed::federated::DEFAULT_LEASE_NAME)
            .await
            .expect("lease")
            .and_then(|l| l.spec?.holder_identity);
        if holder.as_deref() == Some("pod-1") {
            break;
        }
        assert!(Instant::now() < deadline, "the ServiceAccount could not take the lease: {:?}", controller.log());
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(!controller.log().iter().any(|l| l.contains("forbidden") || l.contains("403")), "{:?}", controller.log());
    assert_eq!(controller.terminate(), Some(0));
    // Least privilege: the ServiceAccount cannot read Secrets outside calico-system, nor list them.
    let sa = {
        let stored = libfed::kubeconfig::inspect(kubeconfig.expose()).expect("stored");
        let safe = stored.into_safe().expect("self-contained");
        libfed::stored::client(&safe, libfed::remotes::ClientTimeouts::default()).expect("client")
    };
    let forbidden = |r: Result<(), kube::Error>| matches!(r, Err(kube::Error::Api(s)) if s.code == 403);
    let secrets = Api::<k8s_openapi::api::core::v1::Secret>::namespaced(sa.clone(), "calico-system");
    assert!(forbidden(secrets.list(&ListParams::default()).await.map(|_| ())), "listing secrets");
    let elsewhere = Api::<k8s_openapi::api::core::v1::Secret>::namespaced(sa, "default");
    assert!(forbidden(elsewhere.get("anything").await.map(|_| ())), "secrets outside calico-system");
}

//! The federated-services controller's life with real clusters: Calico Enterprise's grace
//! period for a remote that is killed or hangs (SIGSTOP), and a clean handover in both directions
//! between this controller and a writer that behaves like Calico Enterprise's (it updates the
//! Endpoints and keeps their labels), checked on the EndpointSlices Kubernetes serves.
//!
//! One private two-cluster environment for the file (it stops and pauses a cluster), meshed once;
//! the tests run one at a time, each in its own namespace.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Endpoints, Namespace, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::api::{ListParams, ObjectMeta, PostParams};
use kube::{Api, Client};
use libfed::federated::slices::MIRRORED_BY;
use libfed::federated::{SERVICE_SELECTOR_ANNOTATION, SKIP_MIRROR_LABEL, SLICE_MANAGED_BY_LABEL};
use serde_json::json;
use testenv::federate::run;
use testenv::pods;
use tokio::sync::OnceCell;

const CONTEXTS: [&str; 2] = ["cluster-a", "cluster-b"];
const FED: &str = "my-app-federated";

async fn env() -> &'static testenv::Env {
    static ENV: OnceCell<testenv::Env> = OnceCell::const_new();
    ENV.get_or_init(|| async {
        libfed::tls::ensure_crypto_provider();
        let dir = testenv::private_dir("fed-lifecycle-test-");
        let env = testenv::Env::start(2, &dir, testenv::Lifetime::Owned).await.expect("private environment");
        let out = run(&env.kubeconfig_path(), &["mesh", "cluster-a", "cluster-b"]);
        assert_eq!(out.status.code(), Some(0), "mesh: {}", String::from_utf8_lossy(&out.stderr));
        env
    })
    .await
}

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The environment with both clusters up and running (a failed test may have left one down or
/// paused).
async fn up_env() -> &'static testenv::Env {
    let env = env().await;
    for ctx in CONTEXTS {
        if let Ok(pid) = env.apiserver_pid(ctx) {
            signal(pid, "CONT");
        }
        let healthy = match env.client(ctx).await {
            Ok(c) => {
                tokio::time::timeout(Duration::from_secs(10), c.apiserver_version()).await.is_ok_and(|r| r.is_ok())
            }
            Err(_) => false,
        };
        if !healthy {
            env.stop_cluster(ctx).expect("stop a cluster left unhealthy");
            env.start_cluster(ctx).await.expect("restart a cluster left down");
        }
    }
    env
}

fn signal(pid: u32, sig: &str) {
    let _ = std::process::Command::new("kill").args([&format!("-{sig}"), &pid.to_string()]).status();
}

/// Resumes a paused API server however the test ends.
struct Paused(u32);

impl Drop for Paused {
    fn drop(&mut self) {
        signal(self.0, "CONT");
    }
}

async fn create_namespace(client: &Client, name: &str) {
    let ns = Namespace { metadata: ObjectMeta { name: Some(name.into()), ..Default::default() }, ..Default::default() };
    match Api::<Namespace>::all(client.clone()).create(&PostParams::default(), &ns).await {
        Ok(_) => {}
        Err(kube::Error::Api(s)) if s.code == 409 => {}
        Err(e) => panic!("create namespace {name}: {e}"),
    }
}

/// my-app (Service `run: my-app` over two ready pods) in both clusters, and the federated Service
/// in cluster-a. Returns the clients of cluster-a and cluster-b.
async fn setup(env: &testenv::Env, ns: &str) -> (Client, Client) {
    let a = env.client("cluster-a").await.expect("a");
    let b = env.client("cluster-b").await.expect("b");
    for (i, c) in [&a, &b].into_iter().enumerate() {
        create_namespace(c, ns).await;
        let svc: Service = serde_json::from_value(json!({
            "metadata": {"name": "my-app", "labels": {"run": "my-app"}},
            "spec": {"selector": {"app": "my-app"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}))
        .expect("service");
        Api::<Service>::namespaced(c.clone(), ns).create(&PostParams::default(), &svc).await.expect("my-app");
        let labels = BTreeMap::from([("app".to_owned(), "my-app".to_owned())]);
        let node = format!("{}-node", CONTEXTS[i]);
        pods::create_pods(c, ns, "my-app", &labels, 0..2, &node).await.expect("pods");
        let cidr: pods::Cidr = format!("10.{}.0.0/16", i + 1).parse().expect("cidr");
        pods::ready_pods(c, ns, "app=my-app", &cidr, &node).await.expect("ready pods");
    }
    let out = run(
        &env.kubeconfig_path(),
        &[
            "svc",
            "create",
            FED,
            "--selector",
            "run == \"my-app\"",
            "--port",
            "http:80",
            "-n",
            ns,
            "--context",
            "cluster-a",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "svc create: {}", String::from_utf8_lossy(&out.stderr));
    (a, b)
}

async fn endpoints(client: &Client, ns: &str) -> Option<Endpoints> {
    Api::<Endpoints>::namespaced(client.clone(), ns).get_opt(FED).await.ok().flatten()
}

fn ready_ips(e: &Endpoints) -> Vec<String> {
    let mut v: Vec<String> =
        e.subsets.iter().flatten().flat_map(|s| s.addresses.iter().flatten()).map(|a| a.ip.clone()).collect();
    v.sort();
    v
}

async fn wait_endpoints(client: &Client, ns: &str, what: &str, ok: impl Fn(&Endpoints) -> bool) -> Endpoints {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let got = endpoints(client, ns).await;
        if let Some(e) = got.as_ref().filter(|e| ok(e)) {
            return e.clone();
        }
        assert!(Instant::now() < deadline, "timed out waiting for {ns}/{FED}: {what}; last: {got:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Every slice Kubernetes serves for the federated Service.
async fn slices(client: &Client, ns: &str) -> Vec<EndpointSlice> {
    let lp = ListParams::default().labels(&format!("kubernetes.io/service-name={FED}"));
    Api::<EndpointSlice>::namespaced(client.clone(), ns).list(&lp).await.expect("slices").items
}

fn slice_ips(slices: &[EndpointSlice]) -> Vec<String> {
    let mut v: Vec<String> = slices.iter().flat_map(|s| s.endpoints.iter().flat_map(|e| e.addresses.clone())).collect();
    v.sort();
    v
}

/// Waits until the slices Kubernetes serves hold exactly `want` (sorted).
async fn wait_slice_ips(client: &Client, ns: &str, want: &[String]) -> Vec<EndpointSlice> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = slices(client, ns).await;
        if slice_ips(&got) == want {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "the slices of {ns}/{FED} hold {:?}, not {want:?}: {:?}",
            slice_ips(&got),
            got.iter().map(|s| &s.metadata.labels).collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A `kubectl-federate` process whose stderr is collected; killed when dropped.
struct Background {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Background {
    fn start(kubeconfig: &Path, args: &[&str]) -> Background {
        let mut cmd = testenv::federate::command(kubeconfig);
        cmd.args(args);
        Self::spawn(cmd)
    }

    fn spawn(mut cmd: std::process::Command) -> Background {
        let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("start kubectl-federate");
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

    fn log(&self) -> String {
        self.log.lock().expect("log").join("\n")
    }

    fn terminate(&mut self) -> Option<i32> {
        signal(self.child.id(), "TERM");
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        None
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Watches the federated Endpoints from `since` until the remote's two addresses are gone;
/// returns how long that took, failing if the count ever went anywhere but 4 or 2.
async fn time_until_withdrawn(a: &Client, ns: &str, since: Instant) -> Duration {
    let deadline = since + Duration::from_secs(120);
    loop {
        if let Some(e) = endpoints(a, ns).await {
            match ready_ips(&e).len() {
                4 => {}
                2 => return since.elapsed(),
                n => panic!("{n} ready addresses: {:?}", ready_ips(&e)),
            }
        }
        assert!(Instant::now() < deadline, "the remote's endpoints were never withdrawn");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_killed_or_hung_remote_keeps_its_endpoints_for_the_grace_period_then_they_go_and_come_back() {
    let _serial = SERIAL.lock().await;
    let env = up_env().await;
    let kc = env.kubeconfig_path();
    let ns = testenv::unique_name("grace");
    let (a, _b) = setup(env, &ns).await;
    let grace = Duration::from_secs(5);
    let mut controller = Background::start(
        &kc,
        &["svc", "sync", "--context", "cluster-a", "-v", "--remote-grace-period", "5s", "--watch-timeout", "2s"],
    );
    let all = wait_endpoints(&a, &ns, "both clusters' addresses", |e| ready_ips(e).len() == 4).await;
    let all = ready_ips(&all);
    let local: Vec<String> = all.iter().filter(|ip| ip.starts_with("10.1.")).cloned().collect();
    wait_slice_ips(&a, &ns, &all).await;

    // Killed: connection refused at once; kept for the grace period, then withdrawn.
    // The clock starts before the kill: stopping returns only once the process is gone, and the
    // controller may notice the refused connections before that.
    let killed = Instant::now();
    env.stop_cluster("cluster-b").expect("stop cluster-b");
    let took = time_until_withdrawn(&a, &ns, killed).await;
    assert!(took >= grace, "withdrawn {took:?} after the kill, within the {grace:?} grace period");
    wait_slice_ips(&a, &ns, &local).await;
    env.start_cluster("cluster-b").await.expect("restart cluster-b");
    wait_endpoints(&a, &ns, "restored after the restart", |e| ready_ips(e) == all).await;
    wait_slice_ips(&a, &ns, &all).await;
    eprintln!("killed remote withdrawn after {:.1}s", took.as_secs_f64());

    // Hung (SIGSTOP): nothing answers, nothing fails fast; noticed at the watch timeout, then the
    // grace period; restored when it resumes.
    let pid = env.apiserver_pid("cluster-b").expect("pid");
    let stopped = Instant::now();
    signal(pid, "STOP");
    let paused = Paused(pid);
    let took = time_until_withdrawn(&a, &ns, stopped).await;
    assert!(took >= grace, "withdrawn {took:?} after the pause, within the grace period");
    drop(paused);
    wait_endpoints(&a, &ns, "restored after the resume", |e| ready_ips(e) == all).await;
    eprintln!("hung remote withdrawn after {:.1}s", took.as_secs_f64());

    let log = controller.log();
    assert!(log.contains("remote cluster-b unreachable, its endpoints are kept for 5s"), "{log}");
    assert!(log.contains("remote cluster-b unreachable for 5s, its endpoints are withdrawn"), "{log}");
    assert!(log.contains("remote cluster-b in sync again; its endpoints are restored"), "{log}");
    assert_eq!(controller.terminate(), Some(0));
}

#[tokio::test]
async fn a_remote_restart_shorter_than_the_grace_period_never_empties_the_service() {
    let _serial = SERIAL.lock().await;
    let env = up_env().await;
    let kc = env.kubeconfig_path();
    let ns = testenv::unique_name("blip");
    let (a, _b) = setup(env, &ns).await;
    // The default grace period: 60s, as Calico Enterprise.
    let mut controller = Background::start(&kc, &["svc", "sync", "--context", "cluster-a", "-v"]);
    let all = ready_ips(&wait_endpoints(&a, &ns, "both clusters", |e| ready_ips(e).len() == 4).await);
    env.stop_cluster("cluster-b").expect("stop cluster-b");
    let stopped = Instant::now();
    // Wait until the controller noticed, so the restart below really is within the period.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !controller.log().contains("remote cluster-b unreachable, its endpoints are kept for 60s") {
        assert!(Instant::now() < deadline, "the failure was not noticed: {}", controller.log());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let restart = env.start_cluster("cluster-b");
    let watch = async {
        while stopped.elapsed() < Duration::from_secs(300) {
            let e = endpoints(&a, &ns).await.expect("endpoints");
            assert_eq!(ready_ips(&e), all, "an address went during a restart of {:?}", stopped.elapsed());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    tokio::select! {
        r = restart => r.expect("restart cluster-b"),
        () = watch => {}
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while !controller.log().contains("remote cluster-b in sync again; its endpoints were kept") {
        let e = endpoints(&a, &ns).await.expect("endpoints");
        assert_eq!(ready_ips(&e), all, "an address went while cluster-b came back");
        assert!(Instant::now() < deadline, "never in sync again: {}", controller.log());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(stopped.elapsed() < Duration::from_secs(60), "the restart took longer than the grace period");
    assert!(!controller.log().contains("withdrawn"), "{}", controller.log());
    assert_eq!(controller.terminate(), Some(0));
}

/// What Calico Enterprise's controller does to a federated Endpoints object it owns: replaces
/// the subsets, merges its annotation, keeps every label (fedderatedservices_controller.go).
async fn calico_like_write(client: &Client, ns: &str, ips: &[&str]) {
    let api: Api<Endpoints> = Api::namespaced(client.clone(), ns);
    let mut e = api.get(FED).await.expect("endpoints");
    let addresses: Vec<serde_json::Value> = ips.iter().map(|ip| json!({"ip": ip})).collect();
    e.subsets = Some(vec![
        serde_json::from_value(
            json!({"addresses": addresses, "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}),
        )
        .expect("subset"),
    ]);
    e.metadata
        .annotations
        .get_or_insert_default()
        .insert(SERVICE_SELECTOR_ANNOTATION.into(), "run == \"my-app\"".into());
    e.metadata.managed_fields = None;
    api.replace(FED, &PostParams::default(), &e).await.expect("calico-like write");
}

#[tokio::test]
async fn handing_over_to_a_calico_like_controller_and_back_leaves_kube_proxy_no_stale_address() {
    let _serial = SERIAL.lock().await;
    let env = up_env().await;
    let kc = env.kubeconfig_path();
    let ns = testenv::unique_name("handover");
    let (a, _b) = setup(env, &ns).await;

    // This controller writes; Kubernetes mirrors.
    let mut ours = Background::start(&kc, &["svc", "sync", "--context", "cluster-a", "-v"]);
    let e = wait_endpoints(&a, &ns, "written by this controller", |e| ready_ips(e).len() == 4).await;
    let computed = ready_ips(&e);
    assert!(e.metadata.labels.as_ref().is_none_or(|l| !l.contains_key(SKIP_MIRROR_LABEL)), "{:?}", e.metadata);
    let served = wait_slice_ips(&a, &ns, &computed).await;
    for s in &served {
        let by = s.metadata.labels.as_ref().and_then(|l| l.get(SLICE_MANAGED_BY_LABEL)).map(String::as_str);
        assert_eq!(by, Some(MIRRORED_BY), "every slice is Kubernetes' mirror");
    }
    assert_eq!(ours.terminate(), Some(0));

    // Calico Enterprise's controller takes over and writes other addresses: the slices follow.
    calico_like_write(&a, &ns, &["10.77.0.1", "10.77.0.2", "10.77.0.3"]).await;
    wait_slice_ips(&a, &ns, &["10.77.0.1".to_owned(), "10.77.0.2".to_owned(), "10.77.0.3".to_owned()]).await;

    // And back: this controller puts its addresses, the slices follow again.
    let mut ours = Background::start(&kc, &["svc", "sync", "--context", "cluster-a", "-v"]);
    wait_endpoints(&a, &ns, "this controller's addresses again", |e| ready_ips(e) == computed).await;
    wait_slice_ips(&a, &ns, &computed).await;
    assert_eq!(ours.terminate(), Some(0));

    // An earlier version of this controller left skip-mirror and a slice of its own: the first
    // write removes the label, and the old slice goes once Kubernetes mirrors.
    let api: Api<Endpoints> = Api::namespaced(a.clone(), &ns);
    let mut e = api.get(FED).await.expect("endpoints");
    e.metadata.labels.get_or_insert_default().insert(SKIP_MIRROR_LABEL.into(), "true".into());
    e.metadata.managed_fields = None;
    api.replace(FED, &PostParams::default(), &e).await.expect("legacy label");
    let legacy: EndpointSlice = serde_json::from_value(json!({
        "metadata": {"name": format!("{FED}-legacy"), "labels": {
            "kubernetes.io/service-name": FED, SLICE_MANAGED_BY_LABEL: "kubectl-federate"}},
        "addressType": "IPv4",
        "endpoints": [{"addresses": ["10.99.0.9"], "conditions": {"ready": true}}],
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}))
    .expect("slice");
    Api::<EndpointSlice>::namespaced(a.clone(), &ns)
        .create(&PostParams::default(), &legacy)
        .await
        .expect("legacy slice");
    calico_like_write(&a, &ns, &["10.77.0.1"]).await;
    wait_slice_ips(&a, &ns, &["10.99.0.9".to_owned()]).await;
    let mut ours = Background::start(&kc, &["svc", "sync", "--context", "cluster-a", "-v"]);
    let e = wait_endpoints(&a, &ns, "the legacy label removed", |e| {
        ready_ips(e) == computed && e.metadata.labels.as_ref().is_none_or(|l| !l.contains_key(SKIP_MIRROR_LABEL))
    })
    .await;
    assert!(e.metadata.labels.as_ref().is_none_or(|l| !l.contains_key(SKIP_MIRROR_LABEL)));
    wait_slice_ips(&a, &ns, &computed).await;
    let log = ours.log();
    assert!(log.contains("slices of an earlier version removed"), "{log}");
    assert_eq!(ours.terminate(), Some(0));
}

/// Applies manifest documents with server-side apply (`dry_run`: nothing is stored), skipping
/// the kinds in `skip`.
async fn apply(client: &Client, docs: &[kube::api::DynamicObject], dry_run: bool, skip: &[&str]) {
    use kube::api::{Patch, PatchParams};
    use kube::discovery::Scope;
    for doc in docs {
        let tm = doc.types.clone().expect("apiVersion and kind");
        if skip.contains(&tm.kind.as_str()) {
            continue;
        }
        let gvk = kube::api::GroupVersionKind::try_from(&tm).expect("gvk");
        let (ar, caps) = kube::discovery::pinned_kind(client, &gvk).await.expect("discovery");
        let name = doc.metadata.name.clone().expect("name");
        let api: Api<kube::api::DynamicObject> = match (caps.scope, doc.metadata.namespace.as_deref()) {
            (Scope::Namespaced, Some(ns)) => Api::namespaced_with(client.clone(), ns, &ar),
            (Scope::Namespaced, None) => Api::default_namespaced_with(client.clone(), &ar),
            (Scope::Cluster, _) => Api::all_with(client.clone(), &ar),
        };
        let mut pp = PatchParams::apply("kubectl-federate-test").force();
        if dry_run {
            pp = pp.dry_run();
        }
        if let Err(e) = api.patch(&name, &pp, &Patch::Apply(doc)).await {
            panic!("server-side apply (dry run: {dry_run}) of {} {name}: {e}", tm.kind);
        }
    }
}

/// A plain HTTP/1.0 GET on loopback: (status, body).
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    Some((status, body))
}

async fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn the_manifest_dry_runs_and_the_controller_runs_as_its_pod_would_with_probes_metrics_events_and_json_logs() {
    use k8s_openapi::api::coordination::v1::Lease;
    use k8s_openapi::api::core::v1::ServiceAccount;
    let _serial = SERIAL.lock().await;
    let env = up_env().await;
    let ns = testenv::unique_name("incluster");
    let (a, _b) = setup(env, &ns).await;
    let text =
        std::fs::read_to_string(testenv::binaries::repo_root().join("manifests/federated-services-controller.yaml"))
            .expect("manifest");
    let docs: Vec<kube::api::DynamicObject> = serde_saphyr::from_multiple(&text).expect("manifest documents");

    // Server-side dry run of every document (the namespace must exist for the objects in it).
    create_namespace(&a, "kubectl-federate").await;
    apply(&a, &docs, true, &[]).await;
    let deployments: Api<k8s_openapi::api::apps::v1::Deployment> = Api::namespaced(a.clone(), "kubectl-federate");
    assert!(
        deployments.get_opt("federated-services-controller").await.expect("get").is_none(),
        "a dry run stores nothing"
    );

    // Everything but the Deployment for real (no kubelet here): the pod is this process instead.
    apply(&a, &docs, false, &["Deployment"]).await;
    let deployment =
        docs.iter().find(|d| d.types.as_ref().is_some_and(|t| t.kind == "Deployment")).expect("deployment");
    let container = &deployment.data["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], "ghcr.io/kubectl-federate/kubectl-federate:0.1.0");
    assert!(container.get("command").is_none(), "the image's entrypoint runs the binary");
    let (health, metrics) = (testenv::ports::free_port().expect("port"), testenv::ports::free_port().expect("port"));
    let args: Vec<String> = container["args"]
        .as_array()
        .expect("args")
        .iter()
        .map(|a| {
            let a = a.as_str().expect("string arg");
            // Loopback only in tests (the pod listens on every interface of its own network).
            a.replace("--health-probe-bind-address=:8081", &format!("--health-probe-bind-address=127.0.0.1:{health}"))
                .replace("--metrics-bind-address=:8080", &format!("--metrics-bind-address=127.0.0.1:{metrics}"))
        })
        .collect();
    assert!(
        args.iter().any(|a| a.contains(&health.to_string())) && args.iter().any(|a| a.contains(&metrics.to_string()))
    );

    // The mounted ServiceAccount directory, as the kubelet makes it.
    let request: k8s_openapi::api::authentication::v1::TokenRequest =
        serde_json::from_value(json!({"spec": {"audiences": [], "expirationSeconds": 3600}})).expect("token request");
    let token = Api::<ServiceAccount>::namespaced(a.clone(), "kubectl-federate")
        .create_token_request("federated-services-controller", &PostParams::default(), &request)
        .await
        .expect("token")
        .status
        .expect("status")
        .token;
    let sa = tempfile::tempdir().expect("tempdir");
    testenv::env::write_private(&sa.path().join("token"), &token).expect("token file");
    std::fs::copy(env.dir().join("cluster-a/ca.crt"), sa.path().join("ca.crt")).expect("ca.crt");
    std::fs::write(sa.path().join("namespace"), "kubectl-federate").expect("namespace file");
    let home = tempfile::tempdir().expect("home");
    let port = env.server_url("cluster-a").rsplit(':').next().expect("port").to_owned();

    // kube reads /var/run/secrets/kubernetes.io/serviceaccount, a fixed path: the binary runs in
    // a private mount namespace where that directory is the one above, as in a pod.
    let script = r#"r=$(readlink -f /var/run) && mount -t tmpfs tmpfs "$r" && mkdir -p "$r/secrets/kubernetes.io/serviceaccount" && mount --bind "$1" "$r/secrets/kubernetes.io/serviceaccount" && shift && exec "$@""#;
    let mut cmd = std::process::Command::new("unshare");
    cmd.args(["--mount", "--propagation", "private", "sh", "-c", script, "sh"])
        .arg(sa.path())
        .arg(testenv::federate::binary())
        .args(&args)
        .env_remove("KUBECONFIG")
        .env("HOME", home.path())
        .env("KUBERNETES_SERVICE_HOST", "127.0.0.1")
        .env("KUBERNETES_SERVICE_PORT", &port)
        .env("POD_NAME", "federated-services-controller-test-0")
        .env("POD_NAMESPACE", "kubectl-federate")
        .env("NO_COLOR", "1");
    let mut pod = Background::spawn(cmd);

    let (status, _) = wait_for("the controller answers /healthz", || get(health, "/healthz")).await;
    assert_eq!(status, 200, "{}", pod.log());
    wait_for("ready", || get(health, "/readyz").filter(|(s, _)| *s == 200)).await;
    wait_endpoints(&a, &ns, "written by the pod-like controller", |e| ready_ips(e).len() == 4).await;
    let service_line = format!(
        r#"federated_services_endpoints{{cluster="in-cluster",namespace="{ns}",service="{FED}",ready="true"}} 4"#
    );
    let body = wait_for("the metrics of the service", || {
        get(metrics, "/metrics").map(|(_, b)| b).filter(|b| b.contains(&service_line))
    })
    .await;
    for want in [
        r#"remote_cluster_connection_status{cluster="in-cluster",remote_cluster_name="cluster-b"} 2"#,
        r#"federated_services_reconciles_total{cluster="in-cluster",outcome="created"}"#,
        "federated_services_remote_last_sync_timestamp_seconds{",
        "federated_services_propagation_seconds_bucket{le=",
    ] {
        assert!(body.contains(want), "{want} in\n{body}");
    }
    assert_eq!(get(metrics, "/healthz").map(|(s, _)| s), Some(404), "probes only on their own address");

    // The lease is held under the pod's name, and an Event tells of the new endpoints.
    let leases: Api<Lease> = Api::namespaced(a.clone(), "kubectl-federate");
    let holder = || async {
        leases
            .get_opt(libfed::federated::DEFAULT_LEASE_NAME)
            .await
            .ok()
            .flatten()
            .and_then(|l| l.spec?.holder_identity)
            .filter(|h| !h.is_empty())
    };
    // The identity is the pod's name and the process id, unique across restarts of the pod.
    assert!(
        holder().await.is_some_and(|h| h.starts_with("federated-services-controller-test-0_")),
        "{:?}",
        holder().await
    );
    let events: Api<k8s_openapi::api::events::v1::Event> = Api::namespaced(a.clone(), &ns);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let list = events.list(&ListParams::default()).await.expect("events").items;
        if let Some(e) = list.iter().find(|e| e.regarding.as_ref().and_then(|r| r.name.as_deref()) == Some(FED)) {
            assert_eq!(e.reason.as_deref(), Some("EndpointsUpdated"));
            assert_eq!(e.reporting_controller.as_deref(), Some("kubectl-federate-federated-services"));
            assert!(e.note.as_deref().is_some_and(|n| n.contains("4 ready") && n.contains("cluster-b")), "{e:?}");
            break;
        }
        assert!(Instant::now() < deadline, "no event on {ns}/{FED}: {list:?}\n{}", pod.log());
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // Logs are JSON, one object a line; nothing was forbidden.
    let log = pod.log();
    assert!(!log.contains("forbidden"), "{log}");
    for line in log.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(v["level"].is_string() && v["timestamp"].is_string(), "{line}");
    }
    assert!(log.contains("became leader"), "{log}");

    // SIGTERM, as the kubelet stops a pod: exit 0, the lease released at once.
    assert_eq!(pod.terminate(), Some(0), "{}", pod.log());
    assert_eq!(holder().await, None, "the lease is released on SIGTERM");
}

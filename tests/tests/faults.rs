//! Fault injection on real clusters: one API server hung (SIGSTOP) or killed (SIGKILL) before or
//! during `mesh`, `join`, `status`, `eval` and `svc sync --once`; a remote that accepts TCP and
//! never answers; the tool itself killed mid-mesh; two meshes at once.
//!
//! Each case asserts the time bound (the request timeout plus a margin: the machine is shared),
//! that every link not involving the faulty cluster succeeded, the exit code, and that after
//! recovery a re-run converges and a second one writes nothing. The cases stop clusters, so they
//! share one private three-cluster environment of their own and run one at a time; each leaves it
//! healthy.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::Api;
use kube::api::{DeleteParams, ListParams, PostParams};
use serde_json::Value;
use tokio::sync::OnceCell;

/// The request timeout every case gives the tool.
const TIMEOUT: Duration = Duration::from_secs(5);
/// What the machine's load may add to a bound (2 shared cores, other tests running).
const MARGIN: Duration = Duration::from_secs(3);
const CLUSTERS: [&str; 3] = ["cluster-a", "cluster-b", "cluster-c"];
/// The cluster the faults hit.
const FAULTY: &str = "cluster-c";

const DIR_PREFIX: &str = "fed-faults-test-";

async fn env() -> &'static testenv::Env {
    static ENV: OnceCell<testenv::Env> = OnceCell::const_new();
    ENV.get_or_init(|| async {
        libfed::tls::ensure_crypto_provider();
        let dir = testenv::private_dir(DIR_PREFIX);
        let env = testenv::Env::start(3, &dir, testenv::Lifetime::Owned).await.expect("private environment");
        let out = federate(&env.kubeconfig_path(), &["mesh", "cluster-a", "cluster-b", "cluster-c"]).await;
        assert_eq!(out.status.code(), Some(0), "first mesh: {}", both(&out));
        env
    })
    .await
}

/// The cases share one environment and each breaks and repairs it: one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn both(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn args_with_timeout(args: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
    all.extend(["--request-timeout".to_string(), format!("{}s", TIMEOUT.as_secs())]);
    all
}

/// Runs the binary off the async runtime.
async fn federate(kubeconfig: &Path, args: &[&str]) -> Output {
    let kubeconfig = kubeconfig.to_path_buf();
    let args: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
    tokio::task::spawn_blocking(move || testenv::federate::command(&kubeconfig).args(&args).output().expect("run"))
        .await
        .expect("run kubectl-federate")
}

/// A command started in the background; `finish` waits for it and says how long it ran.
struct Running {
    child: Child,
    started: Instant,
    what: String,
}

impl Running {
    fn start(kubeconfig: &Path, args: &[String]) -> Running {
        let child = testenv::federate::command(kubeconfig)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kubectl-federate");
        Running { child, started: Instant::now(), what: args.join(" ") }
    }

    /// Waits (off the runtime) for the command; returns its output and how long it ran.
    async fn finish(mut self) -> (Output, Duration, String) {
        let started = self.started;
        let what = std::mem::take(&mut self.what);
        let (out, took) = tokio::task::spawn_blocking(move || {
            // Read both pipes while waiting, so a full pipe never blocks the child.
            let mut out_pipe = self.child.stdout.take().expect("stdout");
            let mut err_pipe = self.child.stderr.take().expect("stderr");
            let reader = std::thread::spawn(move || {
                let mut buf = Vec::new();
                let _ = err_pipe.read_to_end(&mut buf);
                buf
            });
            let mut stdout = Vec::new();
            let _ = out_pipe.read_to_end(&mut stdout);
            let status = self.child.wait().expect("wait");
            let took = started.elapsed();
            let stderr = reader.join().unwrap_or_default();
            (Output { status, stdout, stderr }, took)
        })
        .await
        .expect("wait for kubectl-federate");
        (out, took, what)
    }
}

/// The pid of a cluster's API server, as the environment recorded it.
fn apiserver_pid(env: &testenv::Env, cluster: &str) -> i32 {
    i32::try_from(env.apiserver_pid(cluster).expect("cluster in state")).expect("pid")
}

fn signal(pid: i32, sig: libc::c_int) {
    // SAFETY: kill(2) on a process this test's environment started.
    #[allow(unsafe_code)]
    let rc = unsafe { libc::kill(pid, sig) };
    assert_eq!(rc, 0, "kill({pid}, {sig})");
}

/// A hung API server (SIGSTOP) that is resumed (SIGCONT) when dropped, even by a failed assertion.
struct Hung(i32);

impl Hung {
    fn now(env: &testenv::Env, cluster: &str) -> Hung {
        let pid = apiserver_pid(env, cluster);
        signal(pid, libc::SIGSTOP);
        Hung(pid)
    }
}

impl Drop for Hung {
    fn drop(&mut self) {
        signal(self.0, libc::SIGCONT);
    }
}

/// Kills a cluster's API server with SIGKILL (and its controller manager, so that it can be
/// started again as a whole).
fn kill_apiserver(env: &testenv::Env, cluster: &str) {
    signal(apiserver_pid(env, cluster), libc::SIGKILL);
}

async fn restart(env: &testenv::Env, cluster: &str) {
    env.stop_cluster(cluster).expect("stop the rest of the cluster");
    env.start_cluster(cluster).await.expect("start the cluster again");
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("JSON on stdout ({e}): {}", both(out)))
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// Asserts the bound: the command took at most `bound` (plus the margin).
fn within(took: Duration, bound: Duration, what: &str, out: &Output) {
    assert!(
        took <= bound + MARGIN,
        "`{what}` took {:.1}s, more than {:.0}s + {:.0}s margin: {}",
        took.as_secs_f64(),
        bound.as_secs_f64(),
        MARGIN.as_secs_f64(),
        both(out)
    );
}

/// A mesh or join report (`-o json`): every link not involving `faulty` succeeded; a link
/// involving it that failed names it and (when it hung) says it did not answer, never with an
/// access hint. With `must_fail`, every link involving it failed.
fn assert_links_isolated(report: &Value, faulty: &str, hung: bool, must_fail: bool) {
    let links = report["links"].as_array().expect("links");
    assert!(!links.is_empty(), "{report:#}");
    for l in links {
        let involved = l["local"] == faulty || l["remote"] == faulty;
        let failed = l["outcome"] == "failed";
        if !involved {
            assert!(!failed, "a link not involving {faulty} failed: {l:#}");
            continue;
        }
        if must_fail {
            assert!(failed, "a link involving {faulty} did not fail: {l:#}");
        }
        if failed {
            let reason = text(&l["reason"]);
            assert!(reason.contains(faulty), "the reason names the cluster: {l:#}");
            if hung {
                assert!(reason.contains("no answer within"), "a hung cluster is a timeout: {l:#}");
            }
            assert!(!reason.contains("can-i"), "no access hint for a cluster that does not answer: {l:#}");
        }
    }
}

/// A status report (`-o json`): links not involving `faulty` are ok; those involving it that are
/// in error name it and have no access hint.
fn assert_status_isolated(report: &Value, faulty: &str, hung: bool, must_fail: bool) {
    let links = report["links"].as_array().expect("links");
    for l in links {
        let involved = l["local"] == faulty || l["remote"] == faulty;
        if !involved {
            assert_eq!(l["outcome"], "ok", "a link not involving {faulty} is not ok: {l:#}");
            continue;
        }
        if must_fail {
            assert_eq!(l["outcome"], "error", "{l:#}");
        }
        for c in l["checks"].as_array().expect("checks") {
            assert!(!text(&c["hint"]).contains("can-i"), "no access hint for a cluster that does not answer: {c:#}");
            if c["outcome"] == "error" && hung {
                assert!(text(&c["message"]).contains("no answer within"), "{c:#}");
                assert!(text(&c["message"]).contains(faulty), "{c:#}");
            }
        }
    }
    // The healthy local clusters checked list their links, and each has one to the other.
    let checked = |c: &str| report["clusters"].as_array().is_some_and(|a| a.iter().any(|x| x["context"] == c));
    for (local, remote) in [("cluster-a", "cluster-b"), ("cluster-b", "cluster-a")] {
        if checked(local) {
            assert!(links.iter().any(|l| l["local"] == local && l["remote"] == remote), "{local} -> {remote} checked");
        }
    }
}

/// After recovery: a mesh converges (exit 0), and a second one writes nothing anywhere.
async fn converges(env: &testenv::Env) {
    let kc = env.kubeconfig_path();
    let mut all = vec!["mesh"];
    all.extend(CLUSTERS);
    all.extend(["-o", "json"]);
    let out = federate(&kc, &all).await;
    assert_eq!(out.status.code(), Some(0), "the re-run converges: {}", both(&out));
    let out = federate(&kc, &all).await;
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let report = json(&out);
    for l in report["links"].as_array().expect("links") {
        assert_eq!(l["outcome"], "unchanged", "a second run writes nothing: {l:#}");
    }
    for r in report["remotes"].as_array().expect("remotes") {
        for a in r["actions"].as_array().expect("actions") {
            assert_eq!(a["op"], "unchanged", "a second run writes nothing: {a:#}");
        }
    }
}

/// The five commands, as started in the background against the environment.
fn commands() -> Vec<(&'static str, Vec<String>)> {
    vec![
        ("mesh", args_with_timeout(&["mesh", "cluster-a", "cluster-b", "cluster-c", "-o", "json"])),
        ("status", args_with_timeout(&["status", "--all-contexts", "--allow-loopback", "-o", "json"])),
        ("join", args_with_timeout(&["join", "cluster-b", "cluster-c", "--context", "cluster-a", "-o", "json"])),
        ("eval", args_with_timeout(&["eval", "all()", "--context", "cluster-a"])),
        ("sync", args_with_timeout(&["svc", "sync", "--once", "--context", "cluster-a", "-o", "json"])),
    ]
}

/// A namespace in every cluster with a federated service, so that `svc sync` reads every remote.
async fn federated_service(env: &testenv::Env) -> String {
    static NS: OnceCell<String> = OnceCell::const_new();
    NS.get_or_init(|| async {
        let ns = testenv::unique_name("faults");
        for c in CLUSTERS {
            let client = env.client(c).await.expect("client");
            let object: Namespace = serde_json::from_value(serde_json::json!({"metadata": {"name": ns}})).expect("ns");
            Api::<Namespace>::all(client).create(&PostParams::default(), &object).await.expect("create namespace");
        }
        let out = federate(
            &env.kubeconfig_path(),
            &["svc", "create", "fault-svc", "--selector", "all()", "--port", "http:80", "-n", &ns, "--all-contexts"],
        )
        .await;
        assert_eq!(out.status.code(), Some(0), "svc create: {}", both(&out));
        ns
    })
    .await
    .clone()
}

/// Checks one command's result with `faulty` hung or dead since before (`must_fail`) or from
/// some moment during it.
fn check_command(name: &str, out: &Output, took: Duration, bound: Duration, what: &str, hung: bool, must_fail: bool) {
    within(took, bound, what, out);
    let code = out.status.code();
    match name {
        "mesh" | "join" => {
            let report = json(out);
            assert_links_isolated(&report, FAULTY, hung, must_fail);
            let failed = report["links"].as_array().expect("links").iter().any(|l| l["outcome"] == "failed");
            assert_eq!(code, Some(if failed { 1 } else { 0 }), "`{what}`: {}", both(out));
            if must_fail {
                assert_eq!(code, Some(1));
            }
        }
        "status" => {
            let report = json(out);
            assert_status_isolated(&report, FAULTY, hung, must_fail);
            assert_eq!(code, Some(if report["healthy"] == true { 0 } else { 1 }), "`{what}`: {}", both(out));
            if must_fail {
                assert_eq!(code, Some(1));
            }
        }
        "eval" => {
            let err = stderr(out);
            assert!(!err.contains("RemoteClusterConfiguration(cluster-b)"), "the healthy remote is read: {err}");
            if must_fail {
                assert_eq!(code, Some(1), "`{what}`: {}", both(out));
                assert!(err.contains("RemoteClusterConfiguration(cluster-c)"), "{err}");
                if hung {
                    assert!(err.contains("no answer within"), "{err}");
                }
            } else {
                assert!(matches!(code, Some(0 | 1)), "`{what}`: {}", both(out));
            }
        }
        "sync" => {
            let err = stderr(out);
            assert!(!err.contains("remote cluster-b "), "the healthy remote is read: {}", both(out));
            if must_fail {
                assert_eq!(code, Some(1), "`{what}`: {}", both(out));
                assert!(err.contains(FAULTY), "{}", both(out));
            } else {
                assert!(matches!(code, Some(0 | 1)), "`{what}`: {}", both(out));
            }
            assert!(!out.stdout.is_empty(), "the healthy part is still reported: {}", both(out));
        }
        other => unreachable!("{other}"),
    }
}

/// Runs the five commands one after the other with the fault in place, each within its bound.
async fn each_command_with_the_fault_in_place(env: &testenv::Env, hung: bool) {
    federated_service(env).await;
    let kc = env.kubeconfig_path();
    for (name, args) in commands() {
        let (out, took, what) = Running::start(&kc, &args).finish().await;
        // A killed server refuses at once; a hung one costs one budget.
        check_command(name, &out, took, TIMEOUT, &what, hung, true);
    }
    // A link that does not involve the faulty cluster is made as if it were not there.
    let args = args_with_timeout(&["join", "cluster-b", "--context", "cluster-a", "-o", "json"]);
    let (out, took, what) = Running::start(&kc, &args).finish().await;
    assert_eq!(out.status.code(), Some(0), "`{what}`: {}", both(&out));
    within(took, Duration::from_secs(1), &what, &out);
}

/// Starts the five commands together, brings the fault about while they run, and checks each
/// finished within its bound (counted from the fault).
async fn each_command_with_the_fault_arriving(env: &testenv::Env, fault: impl FnOnce() -> Option<Hung>) {
    federated_service(env).await;
    let kc = env.kubeconfig_path();
    let running: Vec<(&str, Running)> =
        commands().into_iter().map(|(name, args)| (name, Running::start(&kc, &args))).collect();
    let started = Instant::now();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let hung = fault();
    let at = started.elapsed();
    for (name, r) in running {
        let (out, took, what) = r.finish().await;
        check_command(name, &out, took, at + TIMEOUT, &what, hung.is_some(), false);
    }
    drop(hung);
}

#[tokio::test]
async fn a_hung_api_server_fails_only_its_own_links_within_one_request_timeout() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    federated_service(env).await;
    {
        let _hung = Hung::now(env, FAULTY);
        each_command_with_the_fault_in_place(env, true).await;
    }
    converges(env).await;
}

#[tokio::test]
async fn a_killed_api_server_fails_only_its_own_links() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    federated_service(env).await;
    kill_apiserver(env, FAULTY);
    each_command_with_the_fault_in_place(env, false).await;
    restart(env, FAULTY).await;
    converges(env).await;
}

#[tokio::test]
async fn an_api_server_hung_during_the_commands_costs_them_one_request_timeout() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    each_command_with_the_fault_arriving(env, || Some(Hung::now(env, FAULTY))).await;
    converges(env).await;
}

#[tokio::test]
async fn an_api_server_killed_during_the_commands_fails_only_its_own_links() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    each_command_with_the_fault_arriving(env, || {
        kill_apiserver(env, FAULTY);
        None
    })
    .await;
    restart(env, FAULTY).await;
    converges(env).await;
}

/// A TCP listener on loopback that accepts connections (the kernel completes the handshake) and
/// never reads or answers.
fn black_hole() -> (std::net::TcpListener, u16) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    (listener, port)
}

/// A copy of the environment's kubeconfig with a context `cluster-x` whose server is `server`
/// (credentials and CA of cluster-c).
fn kubeconfig_with_black_hole(env: &testenv::Env, server: &str) -> (tempfile::TempDir, PathBuf) {
    let mut kc: Value =
        serde_saphyr::from_str(&std::fs::read_to_string(env.kubeconfig_path()).expect("read kubeconfig"))
            .expect("kubeconfig");
    let find = |list: &Value, name: &str| {
        list.as_array().expect("list").iter().find(|e| e["name"] == name).cloned().expect("entry")
    };
    let mut context = find(&kc["contexts"], FAULTY);
    let mut cluster = find(&kc["clusters"], text(&context["context"]["cluster"]));
    cluster["name"] = "cluster-x".into();
    cluster["cluster"]["server"] = server.into();
    context["name"] = "cluster-x".into();
    context["context"]["cluster"] = "cluster-x".into();
    kc["clusters"].as_array_mut().expect("clusters").push(cluster);
    kc["contexts"].as_array_mut().expect("contexts").push(context);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kubeconfig");
    testenv::env::write_private(&path, &serde_json::to_string(&kc).expect("json")).expect("write kubeconfig");
    (dir, path)
}

#[tokio::test]
async fn a_remote_that_accepts_tcp_and_never_answers_costs_the_connect_timeout() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let (_listener, port) = black_hole();
    let server = format!("https://127.0.0.1:{port}");
    let (_dir, kc) = kubeconfig_with_black_hole(env, &server);
    let connect = Duration::from_secs(2);

    // As a cluster of a mesh: its links fail once the connect timeout passes; the others are made.
    let mut args = args_with_timeout(&["mesh", "cluster-a", "cluster-b", "cluster-x", "-o", "json"]);
    args.extend(["--connect-timeout".into(), "2s".into()]);
    let (out, took, what) = Running::start(&kc, &args).finish().await;
    within(took, connect, &what, &out);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let report = json(&out);
    assert_links_isolated(&report, "cluster-x", true, true);
    for l in report["links"].as_array().expect("links").iter().filter(|l| l["outcome"] == "failed") {
        assert!(text(&l["reason"]).contains("no answer within 2s"), "the connect timeout ran out: {l:#}");
    }

    // As the server a stored kubeconfig names: status reports it unreachable within the bound.
    let join = ["join", "cluster-c", "--context", "cluster-a", "--server", &format!("cluster-c={server}")];
    let out = federate(&kc, &join).await;
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let mut args = args_with_timeout(&["status", "--context", "cluster-a", "--allow-loopback", "-o", "json"]);
    args.extend(["--connect-timeout".into(), "2s".into()]);
    let (out, took, what) = Running::start(&kc, &args).finish().await;
    within(took, connect, &what, &out);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let report = json(&out);
    assert_status_isolated(&report, "cluster-c", true, true);
    let reachable = report["links"]
        .as_array()
        .expect("links")
        .iter()
        .find(|l| l["remote"] == "cluster-c")
        .and_then(|l| l["checks"].as_array().expect("checks").iter().find(|c| c["name"] == "reachable").cloned())
        .expect("reachable check");
    assert!(text(&reachable["message"]).contains("no answer within 2s"), "{reachable:#}");

    converges(env).await;
}

/// Deletes the link Secrets in every cluster, so that the next mesh has writing to do.
async fn delete_link_secrets(env: &testenv::Env) {
    for c in CLUSTERS {
        let client = env.client(c).await.expect("client");
        let api: Api<Secret> = Api::namespaced(client, libfed::names::DEFAULT_SECRET_NAMESPACE);
        let lp = ListParams::default().labels(libfed::names::REMOTE_CLUSTER_LABEL);
        for s in api.list_metadata(&lp).await.expect("list").items {
            let name = s.metadata.name.unwrap_or_default();
            api.delete(&name, &DeleteParams::default()).await.expect("delete");
        }
    }
}

#[tokio::test]
async fn the_tool_killed_mid_mesh_then_a_rerun_converges() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    for delay_ms in [60, 200] {
        delete_link_secrets(env).await;
        let mut r = Running::start(&kc, &args_with_timeout(&["mesh", "cluster-a", "cluster-b", "cluster-c"]));
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        let _ = r.child.kill(); // SIGKILL
        let (out, _, _) = r.finish().await;
        assert_ne!(out.status.code(), Some(2), "{}", both(&out));
        converges(env).await;
    }
}

#[tokio::test]
async fn two_meshes_at_once_both_succeed_and_converge() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let kc = env.kubeconfig_path();
    delete_link_secrets(env).await;
    let args = args_with_timeout(&["mesh", "cluster-a", "cluster-b", "cluster-c", "-o", "json"]);
    let (first, second) = (Running::start(&kc, &args), Running::start(&kc, &args));
    for r in [first, second] {
        let (out, took, what) = r.finish().await;
        assert_eq!(out.status.code(), Some(0), "`{what}` beside another: {}", both(&out));
        within(took, TIMEOUT, &what, &out);
    }
    converges(env).await;
}

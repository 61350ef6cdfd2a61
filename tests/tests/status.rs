//! `status` against real clusters: one failure class per test, each proved through the real binary
//! and undone by running the hint the report gives. The tests break things, so they share one
//! private three-cluster environment (started once for this file) and run one at a time.
//!
//! An expired token is not made here: the API server refuses TokenRequests shorter than 600 s, so
//! the expiry decision is unit-tested on a crafted expired JWT instead
//! (`libfed::status::checks::tests::an_expired_token_is_an_error_with_a_rotation_hint`).

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role};
use kube::api::{DeleteParams, DynamicObject, PostParams};
use kube::{Api, Client};
use libfed::calico::rcc;
use libfed::names::FEDERATION_REMOTE;
use serde_json::{Value, json};
use testenv::federate::run;
use tokio::sync::OnceCell;

async fn env() -> &'static testenv::Env {
    static ENV: OnceCell<testenv::Env> = OnceCell::const_new();
    ENV.get_or_init(|| async {
        libfed::tls::ensure_crypto_provider();
        let dir = testenv::private_dir(DIR_PREFIX);
        testenv::Env::start(3, &dir, testenv::Lifetime::Owned).await.expect("private environment")
    })
    .await
}

const DIR_PREFIX: &str = "fed-status-test-";

/// The tests share one environment and each breaks and repairs it: one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Runs the binary off the async runtime (it can take seconds).
async fn federate(kubeconfig: &Path, args: &[&str]) -> Output {
    let kubeconfig = kubeconfig.to_path_buf();
    let args: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&kubeconfig, &args)
    })
    .await
    .expect("run kubectl-federate")
}

/// Every link of the environment, healthy (mesh converges whatever an earlier test left).
async fn healthy_mesh(env: &testenv::Env) {
    let out = federate(&env.kubeconfig_path(), &["mesh", "cluster-a", "cluster-b", "cluster-c"]).await;
    assert_eq!(out.status.code(), Some(0), "mesh: {}{}", stdout(&out), stderr(&out));
}

/// `status ARGS -o json`: the exit code and the report.
async fn status_json(env: &testenv::Env, args: &[&str]) -> (Option<i32>, Value, String) {
    let mut all = vec!["status", "-o", "json"];
    all.extend_from_slice(args);
    let out = federate(&env.kubeconfig_path(), &all).await;
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("status -o json is JSON ({e}): {}{}", stdout(&out), stderr(&out)));
    (out.status.code(), report, stderr(&out))
}

fn link<'a>(report: &'a Value, local: &str, remote: &str) -> &'a Value {
    report["links"]
        .as_array()
        .expect("links")
        .iter()
        .find(|l| l["local"] == local && l["remote"] == remote)
        .unwrap_or_else(|| panic!("no link {local} -> {remote} in {report:#}"))
}

fn check<'a>(link: &'a Value, name: &str) -> &'a Value {
    link["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name} in {link:#}"))
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// Runs the `kubectl federate …` command a hint names, as the user would paste it.
async fn run_hint(env: &testenv::Env, hint: &str) {
    let cmd = hint
        .split('`')
        .find(|s| s.starts_with("kubectl federate "))
        .unwrap_or_else(|| panic!("no command in hint {hint:?}"));
    let args: Vec<&str> = cmd.trim_start_matches("kubectl federate ").split_whitespace().collect();
    let out = federate(&env.kubeconfig_path(), &args).await;
    assert_eq!(out.status.code(), Some(0), "`{cmd}` failed: {}{}", stdout(&out), stderr(&out));
}

/// Asserts `local -> remote` has `name` failing with `outcome`, the others of its checks ok or
/// skipped, and returns the failing check.
fn failing<'a>(report: &'a Value, local: &str, remote: &str, name: &str, outcome: &str) -> &'a Value {
    let l = link(report, local, remote);
    assert_eq!(l["outcome"], outcome, "{l:#}");
    let c = check(l, name);
    assert_eq!(c["outcome"], outcome, "{l:#}");
    assert!(!text(&c["hint"]).is_empty(), "a failed check has a hint: {c:#}");
    c
}

async fn client(env: &testenv::Env, ctx: &str) -> Client {
    env.client(ctx).await.expect("client")
}

#[tokio::test]
async fn a_healthy_mesh_is_all_green_and_exits_zero() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    healthy_mesh(env).await;

    let (code, report, err) = status_json(env, &["--all-contexts", "--allow-loopback"]).await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(report["healthy"], true);
    let links = report["links"].as_array().expect("links");
    assert_eq!(links.len(), 6, "{report:#}");
    for l in links {
        for c in l["checks"].as_array().expect("checks") {
            assert_eq!(c["outcome"], "ok", "{} -> {}: {c:#}", l["local"], l["remote"]);
        }
        assert_eq!(l["token"]["kind"], "legacy");
    }
    assert_eq!(report["summary"], json!({"links": 6, "ok": 6, "warning": 0, "error": 0, "unreachableClusters": 0}));

    // Without --allow-loopback the loopback URLs of this environment are the only warning.
    let (code, report, _) = status_json(env, &["--all-contexts"]).await;
    assert_eq!(code, Some(0), "warnings do not fail status");
    for l in report["links"].as_array().expect("links") {
        assert_eq!(l["outcome"], "warning");
        let bad: Vec<&Value> =
            l["checks"].as_array().expect("checks").iter().filter(|c| c["outcome"] != "ok").collect();
        assert_eq!(bad.len(), 1, "{bad:#?}");
        assert_eq!(bad[0]["name"], "server");
        assert!(text(&bad[0]["message"]).contains("is loopback"), "{bad:#?}");
    }

    // The table: a row per link and, with several clusters, the matrix.
    let out = federate(&env.kubeconfig_path(), &["status", "--all-contexts", "--allow-loopback"]).await;
    assert_eq!(out.status.code(), Some(0));
    let table = stdout(&out);
    assert!(table.starts_with("LOCAL "), "{table}");
    assert!(table.contains("cluster-a   cluster-b   ✓ ok     legacy   all 10 checks passed"), "{table}");
    assert!(table.contains("LOCAL \\ REMOTE   cluster-a   cluster-b   cluster-c\n"), "{table}");
    assert!(table.contains("\ncluster-b        ✓           -           ✓\n"), "{table}");
    assert!(!table.contains('\x1b'), "no colour when not a terminal or NO_COLOR");
    for secret_material in ["eyJ", "token:", "certificate-authority-data"] {
        assert!(!table.contains(secret_material), "{secret_material} in output");
    }

    // -o dot: a graph Graphviz (Debian's, installed by `make deps`) renders, one edge per link.
    let out = federate(&env.kubeconfig_path(), &["status", "--all-contexts", "--allow-loopback", "-o", "dot"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dot = stdout(&out);
    assert_eq!(dot.matches(" -> ").count(), 6, "{dot}");
    assert!(dot.contains("\"cluster-a\" -> \"cluster-b\" [color=forestgreen"), "{dot}");
    let mut graphviz = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("Graphviz's dot (make deps installs it)");
    std::io::Write::write_all(&mut graphviz.stdin.take().expect("stdin"), dot.as_bytes()).expect("write");
    let svg = graphviz.wait_with_output().expect("dot -Tsvg");
    assert!(svg.status.success() && svg.stderr.is_empty(), "dot: {}", String::from_utf8_lossy(&svg.stderr));
    let svg = String::from_utf8_lossy(&svg.stdout);
    assert!(svg.contains("<svg") && svg.contains(">cluster&#45;c</text>"), "{svg}");
    assert_eq!(svg.matches("class=\"edge\"").count(), 6, "{svg}");
    // Only status draws.
    let out = federate(&env.kubeconfig_path(), &["eval", "all()", "-o", "dot"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("only status"), "{}", stderr(&out));
}

#[tokio::test]
async fn a_deleted_secret_is_an_error_and_the_hint_fixes_it() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    healthy_mesh(env).await;
    let a = client(env, "cluster-a").await;
    Api::<Secret>::namespaced(a, "calico-system")
        .delete("remote-cluster-secret-cluster-b", &DeleteParams::default())
        .await
        .expect("delete secret");

    let (code, report, err) = status_json(env, &["--context", "cluster-a"]).await;
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(report["healthy"], false);
    let c = failing(&report, "cluster-a", "cluster-b", "secret", "error");
    assert!(text(&c["message"]).contains("secret calico-system/remote-cluster-secret-cluster-b not found"), "{c:#}");
    assert_eq!(text(&c["hint"]), "re-run `kubectl federate join cluster-b --context cluster-a`");
    assert_eq!(check(link(&report, "cluster-a", "cluster-b"), "reachable")["outcome"], "skipped");
    assert_ne!(link(&report, "cluster-a", "cluster-c")["outcome"], "error", "the other link is unaffected");
    assert!(err.contains("error: 1 of 2 links unhealthy"), "{err}");

    run_hint(env, text(&c["hint"])).await;
    let (code, _, err) = status_json(env, &["--context", "cluster-a"]).await;
    assert_eq!(code, Some(0), "healthy again after the hint: {err}");
}

#[tokio::test]
async fn a_stopped_remote_api_server_fails_within_the_request_timeout() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    healthy_mesh(env).await;
    env.stop_cluster("cluster-c").expect("stop cluster-c");

    let started = Instant::now();
    let (code, report, err) = status_json(env, &["--all-contexts", "--request-timeout", "5s"]).await;
    let took = started.elapsed();
    let table = federate(&env.kubeconfig_path(), &["status", "--all-contexts", "--request-timeout", "5s"]).await;
    env.start_cluster("cluster-c").await.expect("start cluster-c again");

    assert_eq!(code, Some(1), "{err}");
    for local in ["cluster-a", "cluster-b"] {
        let c = failing(&report, local, "cluster-c", "reachable", "error");
        assert!(text(&c["message"]).contains("did not answer"), "{c:#}");
        assert!(text(&c["hint"]).contains("kubectl --context cluster-c get --raw /version"), "{c:#}");
        assert_eq!(check(link(&report, local, "cluster-c"), "permissions")["outcome"], "skipped");
    }
    assert_eq!(link(&report, "cluster-a", "cluster-b")["outcome"], "warning", "only loopback: {report:#}");
    // As a local cluster, cluster-c cannot be read at all.
    let c = report["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .find(|c| c["context"] == "cluster-c")
        .expect("cluster-c");
    assert_eq!(c["outcome"], "error", "{c:#}");
    assert!(
        text(&c["checks"][0]["hint"]).contains("kubectl --context cluster-c get remoteclusterconfigurations"),
        "{c:#}"
    );
    assert_eq!(report["summary"]["unreachableClusters"], 1);
    assert!(err.contains("2 of 4 links unhealthy, 1 cluster could not be read"), "{err}");
    assert!(stdout(&table).contains("\ncluster-c        ?           ?           -\n"), "{}", stdout(&table));
    assert!(took < Duration::from_secs(5 + 5), "a dead remote costs at most the request timeout, took {took:?}");
}

#[tokio::test]
async fn a_revoked_token_is_refused_and_the_hinted_rotate_mints_another() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    healthy_mesh(env).await;
    // Deleting the token Secret revokes the legacy token it held (the Secret its claims name: the
    // generation-0 one unless an earlier test changed the token mode, which starts a generation).
    let a = client(env, "cluster-a").await;
    let stored =
        Api::<Secret>::namespaced(a, "calico-system").get("remote-cluster-secret-cluster-b").await.expect("link");
    let kubeconfig = String::from_utf8(stored.data.expect("data")["kubeconfig"].0.clone()).expect("utf8");
    let token = libfed::kubeconfig::inspect(&kubeconfig).expect("parses").token.expect("token");
    let claims = libfed::jwt::decode_claims(token.expose()).expect("claims");
    let secret = claims.secret.unwrap_or_else(|| FEDERATION_REMOTE.to_string());
    assert!(secret.starts_with(FEDERATION_REMOTE), "{secret}");
    let b = client(env, "cluster-b").await;
    Api::<Secret>::namespaced(b, "calico-system")
        .delete(&secret, &DeleteParams::default())
        .await
        .expect("delete token");

    // The API server caches a successful token authentication for up to 10 s.
    let deadline = Instant::now() + Duration::from_secs(30);
    let (report, err) = loop {
        let (code, report, err) = status_json(env, &["--context", "cluster-a"]).await;
        // Checks run concurrently, so for a while some requests hit the cache and some do not:
        // wait until /version itself is refused.
        let refused =
            code == Some(1) && check(link(&report, "cluster-a", "cluster-b"), "reachable")["outcome"] == "error";
        if refused || Instant::now() > deadline {
            assert_eq!(code, Some(1), "{err}");
            break (report, err);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    let c = failing(&report, "cluster-a", "cluster-b", "reachable", "error");
    assert!(text(&c["message"]).contains("refused the stored token (401 Unauthorized)"), "{c:#}\n{err}");
    assert!(text(&c["hint"]).contains("`kubectl federate rotate cluster-a cluster-b`"), "{c:#}");
    assert_eq!(
        check(link(&report, "cluster-a", "cluster-b"), "token")["outcome"],
        "ok",
        "the token itself still decodes"
    );

    run_hint(env, text(&c["hint"])).await;
    let (code, _, err) = status_json(env, &["--context", "cluster-a"]).await;
    assert_eq!(code, Some(0), "{err}");
}

#[tokio::test]
async fn a_removed_cluster_role_binding_names_the_missing_verbs() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    healthy_mesh(env).await;
    let b = client(env, "cluster-b").await;
    Api::<ClusterRoleBinding>::all(b).delete(FEDERATION_REMOTE, &DeleteParams::default()).await.expect("delete crb");

    let (code, report, err) = status_json(env, &["--context", "cluster-c"]).await;
    assert_eq!(code, Some(1), "{err}");
    let c = failing(&report, "cluster-c", "cluster-b", "permissions", "error");
    let message = text(&c["message"]);
    for verb in
        ["get namespaces", "list pods", "watch endpoints", "list nodes", "watch services", "get serviceaccounts"]
    {
        assert!(message.contains(verb), "{verb} not named: {message}");
    }
    assert_eq!(
        check(link(&report, "cluster-c", "cluster-b"), "reachable")["outcome"],
        "ok",
        "authenticated, just not allowed"
    );

    run_hint(env, text(&c["hint"])).await;
    let (code, _, err) = status_json(env, &["--context", "cluster-c"]).await;
    assert_eq!(code, Some(0), "{err}");
}

#[tokio::test]
async fn an_over_broad_binding_is_a_warning_and_still_exits_zero() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    healthy_mesh(env).await;
    let c = client(env, "cluster-c").await;
    let name = testenv::unique_name("too-broad");
    let role: ClusterRole = serde_json::from_value(json!({
        "metadata": {"name": name},
        "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]}]
    }))
    .expect("role");
    let binding: ClusterRoleBinding = serde_json::from_value(json!({
        "metadata": {"name": name},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
        "subjects": [{"kind": "ServiceAccount", "name": FEDERATION_REMOTE, "namespace": "calico-system"}]
    }))
    .expect("binding");
    Api::<ClusterRole>::all(c.clone()).create(&PostParams::default(), &role).await.expect("role");
    Api::<ClusterRoleBinding>::all(c.clone()).create(&PostParams::default(), &binding).await.expect("binding");

    let (code, report, err) = status_json(env, &["--context", "cluster-a", "--allow-loopback"]).await;
    let _ = Api::<ClusterRoleBinding>::all(c.clone()).delete(&name, &DeleteParams::default()).await;
    let _ = Api::<ClusterRole>::all(c).delete(&name, &DeleteParams::default()).await;

    assert_eq!(code, Some(0), "over-privilege is a warning: {err}");
    let w = failing(&report, "cluster-a", "cluster-c", "least-privilege", "warning");
    assert!(text(&w["message"]).contains("can get secrets, list secrets"), "{w:#}");
    assert!(text(&w["hint"]).contains("kubectl --context cluster-c get clusterrolebindings,rolebindings"), "{w:#}");
    assert_eq!(link(&report, "cluster-a", "cluster-b")["outcome"], "ok");
}

#[tokio::test]
async fn a_removed_typha_role_is_an_error() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    healthy_mesh(env).await;
    let a = client(env, "cluster-a").await;
    Api::<Role>::namespaced(a, "calico-system")
        .delete("remote-cluster-secret-access-cluster-c", &DeleteParams::default())
        .await
        .expect("delete role");

    let (code, report, err) = status_json(env, &["--context", "cluster-a"]).await;
    assert_eq!(code, Some(1), "{err}");
    let c = failing(&report, "cluster-a", "cluster-c", "typha-access", "error");
    assert!(
        text(&c["message"]).contains("system:serviceaccount:calico-system:calico-typha cannot get, list, watch secret calico-system/remote-cluster-secret-cluster-c"),
        "{c:#}"
    );
    assert_eq!(check(link(&report, "cluster-a", "cluster-c"), "permissions")["outcome"], "ok");

    run_hint(env, text(&c["hint"])).await;
    let (code, _, err) = status_json(env, &["--context", "cluster-a"]).await;
    assert_eq!(code, Some(0), "{err}");
}

#[tokio::test]
async fn a_soon_expiring_request_token_is_a_warning() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    healthy_mesh(env).await;
    let kc = env.kubeconfig_path();
    // 10m is the shortest lifetime the API server grants (expirationSeconds >= 600).
    let out =
        federate(&kc, &["join", "cluster-b", "--context", "cluster-a", "--token", "request", "--token-ttl", "10m"])
            .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let (code, report, err) =
        status_json(env, &["--context", "cluster-a", "--expiry-warning", "1h", "--allow-loopback"]).await;
    assert_eq!(code, Some(0), "a warning does not fail status: {err}");
    let w = failing(&report, "cluster-a", "cluster-b", "token", "warning");
    assert!(text(&w["message"]).contains("within --expiry-warning 1h"), "{w:#}");
    assert!(text(&w["hint"]).contains("`kubectl federate rotate cluster-a cluster-b`"), "{w:#}");
    let token = &link(&report, "cluster-a", "cluster-b")["token"];
    assert_eq!(token["kind"], "bound");
    let left = token["expiresInSeconds"].as_i64().expect("expiry");
    assert!((1..=600).contains(&left), "{token:#}");
    assert_eq!(check(link(&report, "cluster-a", "cluster-b"), "permissions")["outcome"], "ok", "the bound token works");

    // Outside the window the same token is fine.
    let (code, report, _) =
        status_json(env, &["--context", "cluster-a", "--expiry-warning", "5m", "--allow-loopback"]).await;
    assert_eq!(code, Some(0));
    assert_eq!(check(link(&report, "cluster-a", "cluster-b"), "token")["outcome"], "ok");

    // Back to the legacy token the other tests expect: the recorded mode changes only with the flag.
    let out = federate(&kc, &["join", "cluster-b", "--context", "cluster-a", "--token", "secret"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[tokio::test]
async fn a_deleted_rcc_leaves_an_orphan_secret_that_is_reported() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    healthy_mesh(env).await;
    let b = client(env, "cluster-b").await;
    Api::<DynamicObject>::all_with(b, &rcc::api_resource())
        .delete("cluster-a", &DeleteParams::default())
        .await
        .expect("delete rcc");

    let (code, report, err) = status_json(env, &["--context", "cluster-b"]).await;
    assert_eq!(code, Some(1), "{err}");
    let c = failing(&report, "cluster-b", "cluster-a", "rcc", "error");
    assert!(text(&c["message"]).contains("RemoteClusterConfiguration cluster-a is missing"), "{c:#}");
    assert!(text(&c["hint"]).contains("kubectl federate unjoin cluster-a --context cluster-b"), "{c:#}");
    run_hint(env, text(&c["hint"])).await;
    let (code, _, err) = status_json(env, &["--context", "cluster-b"]).await;
    assert_eq!(code, Some(0), "{err}");
}

#[tokio::test]
async fn wait_polls_until_healthy_or_times_out_naming_what_still_fails() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    healthy_mesh(env).await;
    let a = client(env, "cluster-a").await;
    let secrets: Api<Secret> = Api::namespaced(a, "calico-system");
    secrets.delete("remote-cluster-secret-cluster-c", &DeleteParams::default()).await.expect("delete secret");

    let started = Instant::now();
    let out =
        federate(&env.kubeconfig_path(), &["status", "--context", "cluster-a", "--wait", "--timeout", "3s"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(started.elapsed() >= Duration::from_secs(3), "it waited");
    let err = stderr(&out);
    assert!(err.contains("timed out after 3s") && err.contains("cluster-a → cluster-c (secret)"), "{err}");

    // Fixed while status waits: it notices and exits 0.
    let kc = env.kubeconfig_path();
    let waiting = tokio::spawn(async move {
        federate(&kc, &["status", "--context", "cluster-a", "--wait", "--timeout", "90s"]).await
    });
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(!waiting.is_finished(), "still waiting while the link is broken");
    let out = federate(&env.kubeconfig_path(), &["join", "cluster-c", "--context", "cluster-a"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = waiting.await.expect("status --wait");
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
}

#[tokio::test]
async fn usage_errors_exit_two() {
    let env = env().await;
    let kc = env.kubeconfig_path();
    for args in [
        vec!["status", "--timeout", "5s"],
        vec!["status", "no-such-context"],
        vec!["status", "--expiry-warning", "soon"],
        vec!["status", "cluster-a", "--all-contexts"],
    ] {
        let out = federate(&kc, &args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

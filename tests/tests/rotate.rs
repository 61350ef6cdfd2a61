//! The credential lifecycle against real clusters: the token mode kept across re-runs, `rotate`
//! renewing every stored token and revoking the old one (proved by the real API server answering
//! 401), a rotation with a local cluster down keeping the old credential valid until a re-run
//! finishes it, and the CronJob recipe accepted by the API server. One private three-cluster
//! environment (the tests stop clusters and mesh all three, which would disturb the shared one),
//! driven through the real binary, one test at a time.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Namespace, Secret};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use kube::api::{DynamicObject, ListParams, Patch, PatchParams};
use kube::{Api, Client};
use libfed::calico::rcc;
use libfed::jwt::{TokenKind, decode_claims};
use libfed::names::{FEDERATION_REMOTE, MANAGED_BY_LABEL};
use serde_json::Value;
use testenv::federate::run;
use tokio::sync::OnceCell;

const CLUSTERS: [&str; 3] = ["cluster-a", "cluster-b", "cluster-c"];

async fn env() -> &'static testenv::Env {
    static ENV: OnceCell<testenv::Env> = OnceCell::const_new();
    ENV.get_or_init(|| async {
        libfed::tls::ensure_crypto_provider();
        let mut attempt = 0;
        let env = loop {
            // A fresh directory per attempt: a failed start leaves etcd data that would pass for ready.
            let dir = testenv::private_dir("fed-rotate-test-").join(attempt.to_string());
            match testenv::Env::start(3, &dir, testenv::Lifetime::Owned).await {
                Ok(env) => break env,
                Err(e) if attempt < 2 => eprintln!("private environment, attempt {attempt}: {e:#}"),
                Err(e) => panic!("private environment: {e:#}"),
            }
            attempt += 1;
        };
        // On a loaded machine a kube-controller-manager may give up waiting for its API server's
        // /healthz and exit; without it no token Secret is ever filled. Restart such a cluster.
        for _ in 0..3 {
            let pids = env.pids();
            let dead: Vec<&str> = CLUSTERS
                .iter()
                .enumerate()
                .filter(|(i, _)| !testenv::process::alive(pids[2 + 2 * i]))
                .map(|(_, c)| *c)
                .collect();
            if dead.is_empty() {
                break;
            }
            for c in dead {
                env.stop_cluster(c).expect("stop");
                env.start_cluster(c).await.expect("restart");
            }
        }
        env
    })
    .await
}

/// The tests share one environment and assert exact state: one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Runs the binary off the async runtime (it takes seconds).
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

/// Runs and parses `-o json` output, asserting the exit code.
async fn federate_json(env: &testenv::Env, args: &[&str], code: i32) -> Value {
    let mut all = args.to_vec();
    all.extend(["-o", "json"]);
    let out = federate(&env.kubeconfig_path(), &all).await;
    assert_eq!(out.status.code(), Some(code), "{args:?}:\n{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?} -o json ({e}):\n{}", text(&out)))
}

async fn clients(env: &testenv::Env) -> Vec<Client> {
    let mut out = Vec::new();
    for c in CLUSTERS {
        out.push(env.client(c).await.expect("client"));
    }
    out
}

/// No links, no remote objects: unjoin everything with remote cleanup.
async fn unfederated(env: &testenv::Env) {
    for local in CLUSTERS {
        let mut args = vec!["unjoin", "--context", local, "--remote-cleanup"];
        args.extend(CLUSTERS.into_iter().filter(|r| *r != local));
        let out = federate(&env.kubeconfig_path(), &args).await;
        assert_eq!(out.status.code(), Some(0), "unjoin from {local}: {}", text(&out));
    }
    // Every credential generation a rotation made is gone with the rest.
    for (ctx, c) in CLUSTERS.iter().zip(clients(env).await) {
        let lp = ListParams::default().labels(&format!("{MANAGED_BY_LABEL}=kubectl-federate"));
        let left: Vec<String> = Api::<Secret>::namespaced(c, "calico-system")
            .list(&lp)
            .await
            .expect("secrets")
            .items
            .into_iter()
            .filter_map(|s| s.metadata.name)
            .collect();
        assert!(left.is_empty(), "{ctx}: unjoin --remote-cleanup left {left:?}");
    }
}

/// The kubeconfig stored in `local` for `remote`.
async fn stored_kubeconfig(client: &Client, remote: &str) -> String {
    let secret = Api::<Secret>::namespaced(client.clone(), "calico-system")
        .get(&format!("remote-cluster-secret-{remote}"))
        .await
        .expect("link secret");
    String::from_utf8(secret.data.expect("data")["kubeconfig"].0.clone()).expect("utf8")
}

fn stored_token(kubeconfig: &str) -> String {
    let stored = libfed::kubeconfig::inspect(kubeconfig).expect("parses");
    stored.token.expect("token").expose().to_string()
}

/// Every stored kubeconfig, by `local -> remote`.
async fn stored_all(env: &testenv::Env) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (local, client) in CLUSTERS.iter().zip(clients(env).await) {
        for remote in CLUSTERS.iter().filter(|r| *r != local) {
            out.insert(format!("{local} -> {remote}"), stored_kubeconfig(&client, remote).await);
        }
    }
    out
}

/// resourceVersions of what a rotation must not touch (RCCs, Roles, RoleBindings, the remote
/// ClusterRole and ClusterRoleBinding), and separately of the link Secrets it rewrites.
async fn versions(env: &testenv::Env) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut untouched = BTreeMap::new();
    let mut secrets = BTreeMap::new();
    let lp = ListParams::default().labels(&format!("{MANAGED_BY_LABEL}=kubectl-federate"));
    for (ctx, c) in CLUSTERS.iter().zip(clients(env).await) {
        let mut put = |kind: &str, name: Option<String>, rv: Option<String>| {
            untouched.insert(format!("{ctx} {kind} {}", name.unwrap_or_default()), rv.unwrap_or_default());
        };
        let rccs: Api<DynamicObject> = Api::all_with(c.clone(), &rcc::api_resource());
        for o in rccs.list(&ListParams::default()).await.expect("rccs").items {
            put("rcc", o.metadata.name, o.metadata.resource_version);
        }
        for o in Api::<Role>::namespaced(c.clone(), "calico-system").list(&lp).await.expect("roles").items {
            put("role", o.metadata.name, o.metadata.resource_version);
        }
        for o in Api::<RoleBinding>::namespaced(c.clone(), "calico-system").list(&lp).await.expect("rbs").items {
            put("rolebinding", o.metadata.name, o.metadata.resource_version);
        }
        let cr = Api::<ClusterRole>::all(c.clone()).get(FEDERATION_REMOTE).await.expect("clusterrole");
        put("clusterrole", cr.metadata.name, cr.metadata.resource_version);
        let crb = Api::<ClusterRoleBinding>::all(c.clone()).get(FEDERATION_REMOTE).await.expect("crb");
        put("clusterrolebinding", crb.metadata.name, crb.metadata.resource_version);
        for s in Api::<Secret>::namespaced(c, "calico-system").list(&lp).await.expect("secrets").items {
            let name = s.metadata.name.unwrap_or_default();
            if name.starts_with("remote-cluster-secret-") {
                secrets.insert(format!("{ctx} {name}"), s.metadata.resource_version.unwrap_or_default());
            }
        }
    }
    (untouched, secrets)
}

/// A client exactly as the tool builds one from stored data (libfed's only path for it).
fn client_of(kubeconfig: &str) -> Client {
    let stored = libfed::kubeconfig::inspect(kubeconfig).expect("stored kubeconfig parses");
    let safe = stored.into_safe().expect("self-contained");
    libfed::stored::client(&safe, libfed::remotes::ClientTimeouts::default()).expect("client")
}

/// Whether the API server accepts the credential of a stored kubeconfig (a list of namespaces,
/// which the federation role allows), or refuses it with 401.
async fn accepted(kubeconfig: &str) -> Result<(), u16> {
    let client = client_of(kubeconfig);
    match Api::<Namespace>::all(client).list(&ListParams::default().limit(1)).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(s)) => Err(s.code),
        Err(e) => panic!("no answer: {e}"),
    }
}

/// Waits until the API server refuses a credential: the kube-apiserver caches successful token
/// authentications for 10 s, so a revoked token may pass that long.
async fn assert_revoked(what: &str, kubeconfig: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match accepted(kubeconfig).await {
            Err(401) => return,
            other if Instant::now() > deadline => panic!("{what}: still {other:?} a minute after rotate"),
            _ => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
}

fn links(report: &Value) -> &Vec<Value> {
    report["links"].as_array().expect("links")
}

async fn healthy_status(env: &testenv::Env) {
    let report = federate_json(env, &["status", "--all-contexts", "--allow-loopback"], 0).await;
    assert_eq!(report["healthy"], true, "{report:#}");
    assert_eq!(report["summary"]["links"], 6);
}

#[tokio::test]
async fn the_token_mode_is_kept_across_plain_reruns_and_changed_only_by_the_flag() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    unfederated(env).await;
    let a = env.client("cluster-a").await.expect("a");
    let kind = |kc: &str| decode_claims(&stored_token(kc)).expect("claims").kind;

    let made = federate_json(
        env,
        &["mesh", "cluster-a", "cluster-b", "cluster-c", "--token", "request", "--token-ttl", "2h"],
        0,
    )
    .await;
    assert!(links(&made).iter().all(|l| l["outcome"] == "created"), "{made:#}");
    let first = stored_kubeconfig(&a, "cluster-b").await;
    let claims = decode_claims(&stored_token(&first)).expect("claims");
    assert_eq!(claims.kind, TokenKind::Bound);
    assert_eq!(claims.secret.as_deref(), Some(FEDERATION_REMOTE), "bound to the generation-0 Secret, so revocable");

    // Plain re-runs, of mesh and of join: nothing rewritten, still a bound token.
    for args in [&["mesh", "cluster-a", "cluster-b", "cluster-c"][..], &["join", "cluster-b", "--context", "cluster-a"]]
    {
        let report = federate_json(env, args, 0).await;
        assert!(links(&report).iter().all(|l| l["outcome"] == "unchanged"), "{args:?} changed something: {report:#}");
        assert_eq!(stored_kubeconfig(&a, "cluster-b").await, first, "{args:?} rewrote the Secret");
    }

    // Only the flag changes it, and the report says so.
    let changed = federate_json(env, &["mesh", "cluster-a", "cluster-b", "cluster-c", "--token", "secret"], 0).await;
    for l in links(&changed) {
        assert_eq!(l["outcome"], "updated", "{l}");
        assert_eq!(l["reason"], "changed token mode: request → secret", "{l}");
    }
    let out =
        federate(&env.kubeconfig_path(), &["mesh", "cluster-a", "cluster-b", "cluster-c", "--token", "request"]).await;
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("changed token mode: secret → request"), "the table says it too:\n{}", text(&out));
    assert_eq!(kind(&stored_kubeconfig(&a, "cluster-b").await), TokenKind::Bound);
    federate_json(env, &["mesh", "cluster-a", "cluster-b", "cluster-c", "--token", "secret"], 0).await;
    let legacy = stored_kubeconfig(&a, "cluster-b").await;
    assert_eq!(kind(&legacy), TokenKind::Legacy);
    let report = federate_json(env, &["join", "cluster-b", "--context", "cluster-a"], 0).await;
    assert!(links(&report).iter().all(|l| l["outcome"] == "unchanged"), "{report:#}");
    assert_eq!(stored_kubeconfig(&a, "cluster-b").await, legacy);
}

async fn rotate_renews_every_token_and_revokes_the_old_ones(mode: &str) {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    unfederated(env).await;
    federate_json(env, &["mesh", "cluster-a", "cluster-b", "cluster-c", "--token", mode], 0).await;
    let before = stored_all(env).await;
    let (untouched, secrets) = versions(env).await;
    assert_eq!(secrets.len(), 6);

    // A dry run says what would change and writes nothing.
    let plan = federate_json(env, &["rotate", "cluster-a", "cluster-b", "cluster-c", "--dry-run"], 0).await;
    assert_eq!(plan["dryRun"], "client");
    assert_eq!(links(&plan).len(), 6);
    assert!(
        links(&plan).iter().all(|l| l["outcome"] == "updated" && l["reason"] == "generation 0 → generation 1"),
        "{plan:#}"
    );
    assert!(!plan.to_string().contains(&stored_token(&before["cluster-a -> cluster-b"])[..40]), "no token in the plan");
    assert_eq!(versions(env).await, (untouched.clone(), secrets.clone()), "--dry-run wrote something");
    assert_eq!(stored_all(env).await, before);

    let report = federate_json(env, &["rotate", "cluster-a", "cluster-b", "cluster-c"], 0).await;
    assert_eq!(links(&report).len(), 6, "{report:#}");
    for l in links(&report) {
        assert_eq!(l["outcome"], "updated", "{l}");
        assert_eq!(l["reason"], "generation 0 → generation 1, verified", "{l}");
    }
    for r in report["remotes"].as_array().expect("remotes") {
        assert_eq!(r["generation"], 1, "{r}");
        assert_eq!(r["revoked"][0]["secret"], FEDERATION_REMOTE, "{r}");
        assert!(r["kept"].as_array().expect("kept").is_empty(), "{r}");
    }
    // Every stored token changed; nothing but the six link Secrets was written locally.
    let after = stored_all(env).await;
    for (link, old) in &before {
        assert_ne!(stored_token(old), stored_token(&after[link]), "{link}: token not renewed");
        let claims = decode_claims(&stored_token(&after[link])).expect("claims");
        assert_eq!(claims.secret.as_deref(), Some("tigera-federation-remote-cluster-token-1"), "{link}");
    }
    let (untouched_after, secrets_after) = versions(env).await;
    assert_eq!(untouched, untouched_after, "rotate wrote more than the link Secrets");
    for (name, rv) in &secrets {
        assert_ne!(rv, &secrets_after[name], "{name} was not rewritten");
    }
    healthy_status(env).await;
    // The old credentials are revoked: the real API server refuses them.
    for (link, old) in &before {
        assert_revoked(link, old).await;
    }
    for (link, new) in &after {
        assert_eq!(accepted(new).await, Ok(()), "{link}: the new credential works");
    }
    // A plain mesh afterwards keeps the new generation and writes nothing.
    let again = federate_json(env, &["mesh", "cluster-a", "cluster-b", "cluster-c"], 0).await;
    assert!(links(&again).iter().all(|l| l["outcome"] == "unchanged"), "{again:#}");
}

#[tokio::test]
async fn rotate_renews_every_legacy_token_and_revokes_the_old_ones() {
    rotate_renews_every_token_and_revokes_the_old_ones("secret").await;
}

#[tokio::test]
async fn rotate_renews_every_bound_token_and_revokes_the_old_ones() {
    rotate_renews_every_token_and_revokes_the_old_ones("request").await;
}

#[tokio::test]
async fn a_local_cluster_down_keeps_the_old_credential_valid_until_a_rerun_finishes() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    unfederated(env).await;
    federate_json(env, &["mesh", "cluster-a", "cluster-b", "cluster-c"], 0).await;
    let before = stored_all(env).await;

    env.stop_cluster("cluster-c").expect("stop c");
    let out = federate(
        &env.kubeconfig_path(),
        &["rotate", "cluster-a", "cluster-b", "cluster-c", "-o", "json", "--request-timeout", "5s"],
    )
    .await;
    let partial: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("json ({e}): {}", text(&out)));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    // Checks on the live state before cluster-c returns.
    let a = env.client("cluster-a").await.expect("a");
    let a_to_b = stored_kubeconfig(&a, "cluster-b").await;
    let old_b = before["cluster-c -> cluster-b"].clone();
    let old_b_accepted = accepted(&old_b).await;
    let status_a = federate_json(env, &["status", "cluster-a", "cluster-b", "--allow-loopback"], 1).await;
    env.start_cluster("cluster-c").await.expect("restart c");

    assert_eq!(out.status.code(), Some(1), "a failed link exits 1: {}", text(&out));
    for l in links(&partial) {
        let involves_c = l["local"] == "cluster-c" || l["remote"] == "cluster-c";
        if involves_c {
            assert_eq!(l["outcome"], "failed", "{l}");
            assert!(l["reason"].as_str().unwrap_or_default().contains("cluster-c"), "{l}");
        } else {
            assert_eq!(l["reason"], "generation 0 → generation 1, verified", "{l}");
        }
    }
    for r in partial["remotes"].as_array().expect("remotes") {
        if r["context"] == "cluster-c" {
            assert!(r["error"].is_string(), "{r}");
            continue;
        }
        assert_eq!(r["kept"][0]["secret"], FEDERATION_REMOTE, "the old credential stays valid: {r}");
        assert!(r["revoked"].as_array().expect("revoked").is_empty(), "{r}");
        assert!(r["keptBecause"].as_str().unwrap_or_default().contains("cluster-c"), "{r}");
    }
    assert!(stderr.contains("kept 0 (tigera-federation-remote-cluster) valid"), "{stderr}");
    assert_eq!(old_b_accepted, Ok(()), "cluster-c's stored credential for cluster-b still works");
    assert_ne!(stored_token(&a_to_b), stored_token(&before["cluster-a -> cluster-b"]), "a -> b was rotated");
    // The links between the live clusters work; only those to the dead one fail.
    for l in status_a["links"].as_array().expect("links") {
        let to_c = l["remote"] == "cluster-c";
        assert_eq!(l["outcome"] == "error", to_c, "{l}");
    }

    // After recovery, the same command finishes: cluster-c takes the new credentials, its own is
    // rotated, and every old one is revoked.
    let done = federate_json(env, &["rotate", "cluster-a", "cluster-b", "cluster-c"], 0).await;
    for l in links(&done) {
        if l["local"] == "cluster-c" || l["remote"] == "cluster-c" {
            assert_eq!(l["reason"], "generation 0 → generation 1, verified", "{l}");
        } else {
            assert_eq!(l["outcome"], "unchanged", "not rewritten twice: {l}");
            assert_eq!(l["reason"], "already holds generation 1", "{l}");
        }
    }
    for r in done["remotes"].as_array().expect("remotes") {
        assert_eq!(r["generation"], 1, "the unfinished generation is finished, not a new one minted: {r}");
        assert_eq!(r["revoked"][0]["secret"], FEDERATION_REMOTE, "{r}");
    }
    healthy_status(env).await;
    for (link, old) in &before {
        assert_revoked(link, old).await;
    }
}

#[tokio::test]
async fn the_rotation_cronjob_manifest_is_accepted_by_the_api_server() {
    let env = env().await;
    let client = env.client("cluster-a").await.expect("a");
    let text = std::fs::read_to_string(testenv::binaries::repo_root().join("manifests/rotate-cronjob.yaml"))
        .expect("manifest");
    let docs: Vec<DynamicObject> = serde_saphyr::from_multiple(&text).expect("the manifest parses");
    let kinds: Vec<String> = docs.iter().filter_map(|d| d.types.as_ref().map(|t| t.kind.clone())).collect();
    assert_eq!(kinds, ["Namespace", "ServiceAccount", "CronJob"]);
    let mut params = PatchParams::apply("rotate-test").force();
    params.dry_run = true;
    for doc in &docs {
        let tm = doc.types.clone().expect("types");
        let gvk = kube::api::GroupVersionKind::try_from(&tm).expect("gvk");
        let (ar, caps) = kube::discovery::pinned_kind(&client, &gvk).await.expect("served");
        let name = doc.metadata.name.clone().expect("name");
        // A dry run does not create the Namespace, so namespaced objects are checked in one that
        // exists.
        let mut doc = doc.clone();
        let api: Api<DynamicObject> = match caps.scope {
            kube::discovery::Scope::Namespaced => {
                assert!(doc.metadata.namespace.is_some(), "{name}: namespaced object without a namespace");
                doc.metadata.namespace = Some("default".into());
                Api::namespaced_with(client.clone(), "default", &ar)
            }
            kube::discovery::Scope::Cluster => Api::all_with(client.clone(), &ar),
        };
        let applied = api
            .patch(&name, &params, &Patch::Apply(&doc))
            .await
            .unwrap_or_else(|e| panic!("{} {name} refused by the API server: {e}", tm.kind));
        if tm.kind == "CronJob" {
            let spec = &applied.data["spec"];
            assert_eq!(spec["concurrencyPolicy"], "Forbid");
            let pod = &spec["jobTemplate"]["spec"]["template"]["spec"];
            assert_eq!(pod["containers"][0]["args"][0], "rotate");
            assert_eq!(pod["volumes"][0]["secret"]["defaultMode"], 288);
        }
    }
    let ns = Api::<Namespace>::all(client).get_opt("kubectl-federate").await.expect("get");
    assert!(ns.is_none(), "a dry run creates nothing");
}

/// Waiting for a generation's token reads that generation's Secret only. It once also read
/// generation 0's Secret, so a `rotate` after one that had revoked generation 0 failed with
/// "deleted while waiting for its token" whenever the token controller was slower than the first
/// read. Here, with no generation 0 Secret: an unfilled generation 7 Secret (Opaque, so never
/// filled) is waited for until the timeout, and only its own deletion reads as "changed".
#[tokio::test]
async fn waiting_for_a_token_reads_that_generations_secret_only() {
    let _serial = SERIAL.lock().await;
    let env = env().await;
    let client = env.client("cluster-b").await.expect("client");
    let ns = "token-wait";
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let namespace: Namespace = serde_json::from_value(serde_json::json!({"metadata": {"name": ns}})).expect("ns");
    namespaces.create(&Default::default(), &namespace).await.expect("namespace");
    let secrets: Api<Secret> = Api::namespaced(client.clone(), ns);
    assert!(secrets.get_opt(FEDERATION_REMOTE).await.expect("read").is_none(), "no generation 0 Secret");
    let name = libfed::credential::generation_secret_name(7);
    let unfilled: Secret = serde_json::from_value(serde_json::json!({"metadata": {"name": name}})).expect("secret");
    secrets.create(&Default::default(), &unfilled).await.expect("secret");
    let cluster = libfed::cluster::Cluster::from_client("cluster-b", "cluster-b", client.clone(), "", None);

    let waited = libfed::remote::wait_token_secret(&cluster, ns, &name, Duration::from_millis(600)).await;
    match waited {
        Err(libfed::Error::Timeout { .. }) => {}
        other => panic!("an unfilled Secret is waited for until the timeout, got {:?}", other.map(|_| "a token")),
    }

    secrets.delete(&name, &Default::default()).await.expect("delete");
    let waited = libfed::remote::wait_token_secret(&cluster, ns, &name, Duration::from_secs(5)).await;
    match waited {
        Err(libfed::Error::Changed { object, .. }) => assert_eq!(object, format!("secret {ns}/{name}")),
        other => panic!("a deleted Secret is a change, got {:?}", other.map(|_| "a token")),
    }
    namespaces.delete(ns, &Default::default()).await.expect("cleanup");
}

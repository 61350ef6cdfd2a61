//! Snapshots of every output shape of the real binary, from live runs against a private
//! three-cluster environment: the status table (one cluster; several, with the matrix and its
//! legend; with the details of a broken link; with a cluster down), `-o wide|json|yaml|dot`;
//! eval's calicoq text and JSON; the federated-service views; the reports of mesh, join, unjoin,
//! rotate and svc (dry runs, applied, unchanged, failed); aws-auth and access-entry changes; eks
//! kubeconfig; version; completion candidates; and errors for people.
//!
//! Each snapshot is the exit code, stdout and stderr of one command. What differs between runs
//! (ports, times, uids, resourceVersions, generated names, temporary paths) is normalised by
//! `testenv::normalise`, and every output is checked for secret material before it is compared:
//! no snapshot holds a token, a kubeconfig or CA data. Tables go to a pipe, so they are never cut
//! to a terminal's width (the cut is unit-tested in the binary).
//!
//! Snapshots named `mutating_*` are the reports of commands that write; they are expected to
//! change with the `Plan` redesign, the read-only views should not. Review and accept changes with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test -p fed-tests --test output_snapshots`).
//!
//! The tests share one environment and run one at a time; each sets up what it needs, so they
//! pass in any order and on an environment an earlier run left behind (`FEDERATE_SNAPSHOT_ENV_DIR`
//! names one started with `testenv up --clusters 3`, to iterate without starting clusters).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::Duration;

use k8s_openapi::api::core::v1::{ConfigMap, Endpoints, Namespace, Pod, Secret, Service};
use kube::api::{DeleteParams, ListParams, ObjectMeta, Patch, PatchParams, PostParams};
use kube::{Api, Client};
use serde_json::json;
use testenv::moto::{ACCOUNT, Moto};
use testenv::normalise::{Normaliser, secret_markers};
use testenv::output::assert_clean;
use tokio::sync::OnceCell;

const A: &str = "cluster-a";
const B: &str = "cluster-b";
const C: &str = "cluster-c";
const CONTEXTS: [&str; 3] = [A, B, C];
const LOOPBACK: &str = "--allow-loopback";

/// Takes snapshots: normalises outputs, and keeps the raw ones to check for real secrets.
struct Shooter {
    normaliser: Normaliser,
    seen: Mutex<Vec<String>>,
}

/// The environment and its shooter.
struct Snapshots {
    env: testenv::Env,
    shooter: Shooter,
}

async fn snapshots() -> &'static Snapshots {
    static SNAPSHOTS: OnceCell<Snapshots> = OnceCell::const_new();
    SNAPSHOTS
        .get_or_init(|| async {
            libfed::tls::ensure_crypto_provider();
            let env = match std::env::var_os("FEDERATE_SNAPSHOT_ENV_DIR") {
                Some(dir) => testenv::Env::attach(Path::new(&dir)).expect("attach to FEDERATE_SNAPSHOT_ENV_DIR"),
                None => {
                    let dir = testenv::private_dir(DIR_PREFIX);
                    testenv::Env::start(3, &dir, testenv::Lifetime::Owned).await.expect("private environment")
                }
            };
            let mut normaliser = Normaliser::new().literal(env.dir().display().to_string(), "[env]");
            for ctx in CONTEXTS {
                normaliser = normaliser.literal(env.server_url(ctx), format!("https://127.0.0.1:[port of {ctx}]"));
            }
            Snapshots { env, shooter: Shooter::new(normaliser) }
        })
        .await
}

const DIR_PREFIX: &str = "fed-snapshots-test-";

/// One test at a time: they share the environment's links and aws-auth.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Shooter {
    fn new(normaliser: Normaliser) -> Self {
        Self { normaliser, seen: Mutex::new(Vec::new()) }
    }

    /// Runs `cmd` (described as `what`) and snapshots exit code, stdout and stderr as `name`.
    #[track_caller]
    fn shot_command(&self, name: &str, what: &str, mut cmd: Command) -> Output {
        let out = cmd.output().expect("run kubectl-federate");
        assert_clean(&out, what);
        let raw = render(&out);
        let markers = secret_markers(&raw);
        assert!(markers.is_empty(), "{what}: secret material ({markers:?}) in the output:\n{raw}");
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).push(raw.clone());
        let text = self.normaliser.apply(&raw);
        insta::with_settings!({
            description => format!("kubectl federate {}", self.normaliser.apply(what)),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, text);
        });
        out
    }
}

impl Snapshots {
    fn kubeconfig(&self) -> PathBuf {
        self.env.kubeconfig_path()
    }

    /// The binary on the environment's kubeconfig, at a fixed width, without colour or logs.
    fn command(&self) -> Command {
        let mut cmd = testenv::federate::command(&self.kubeconfig());
        cmd.env("COLUMNS", "100").env_remove("RUST_LOG");
        cmd
    }

    /// Runs `args` on the environment and snapshots the result as `name`.
    #[track_caller]
    fn shot(&self, name: &str, args: &[&str]) -> Output {
        let mut cmd = self.command();
        cmd.args(args);
        self.shooter.shot_command(name, &args.join(" "), cmd)
    }
    /// Runs `args` without a snapshot (setup), asserting the exit code.
    #[track_caller]
    fn must(&self, args: &[&str], code: i32) -> Output {
        let out = self.command().args(args).output().expect("run kubectl-federate");
        assert_eq!(out.status.code(), Some(code), "{}:\n{}", args.join(" "), render(&out));
        out
    }

    async fn client(&self, ctx: &str) -> Client {
        self.env.client(ctx).await.expect("client")
    }

    /// Every link between the three clusters, whatever ran before.
    fn mesh(&self) {
        self.must(&["mesh", A, B, C], 0);
    }

    /// No link anywhere, and no remote object left (the tests run in any order).
    fn unfederate(&self) {
        for local in CONTEXTS {
            let mut args = vec!["unjoin", "--context", local, "--remote-cleanup"];
            args.extend(CONTEXTS.into_iter().filter(|r| *r != local));
            self.must(&args, 0);
        }
    }

    /// No output seen so far holds a real token of the environment or its clusters' CA.
    async fn assert_no_real_secret_seen(&self) {
        let mut secrets = Vec::new();
        for ctx in CONTEXTS {
            let api: Api<Secret> = Api::all(self.client(ctx).await);
            for s in api.list(&ListParams::default()).await.expect("list secrets").items {
                for (key, value) in s.data.unwrap_or_default() {
                    if ["token", "kubeconfig", "ca.crt"].contains(&key.as_str()) {
                        secrets.push(String::from_utf8_lossy(&value.0).into_owned());
                    }
                }
            }
            let ca = std::fs::read_to_string(self.env.dir().join(ctx).join("ca.crt")).expect("ca.crt");
            secrets.extend(ca.lines().filter(|l| l.len() > 40).map(str::to_owned));
        }
        secrets.retain(|s| s.len() >= 20);
        let seen = self.shooter.seen.lock().unwrap_or_else(|e| e.into_inner());
        for text in seen.iter() {
            for s in &secrets {
                assert!(!text.contains(s.as_str()), "a real secret reached the output:\n{text}");
            }
        }
    }
}

fn render(out: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().map_or_else(|| "signal".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

async fn create_namespace(client: &Client, name: &str) {
    let ns = Namespace { metadata: ObjectMeta { name: Some(name.into()), ..Default::default() }, ..Default::default() };
    match Api::<Namespace>::all(client.clone()).create(&PostParams::default(), &ns).await {
        Ok(_) => {}
        Err(kube::Error::Api(s)) if s.code == 409 => {}
        Err(e) => panic!("create namespace {name}: {e}"),
    }
}

/// Creates `value` in `ns` unless an object of that name exists.
async fn create_once<K>(client: &Client, ns: &str, value: serde_json::Value)
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + serde::de::DeserializeOwned
        + serde::Serialize
        + std::fmt::Debug,
{
    let object: K = serde_json::from_value(value).expect("object");
    // The ServiceAccount admission plugin needs the namespace's `default` ServiceAccount, which the
    // controller manager creates shortly after the namespace.
    for attempt in 0.. {
        match Api::<K>::namespaced(client.clone(), ns).create(&PostParams::default(), &object).await {
            Ok(_) => return,
            Err(kube::Error::Api(s)) if s.code == 409 => return,
            Err(_) if attempt < 100 => tokio::time::sleep(Duration::from_millis(100)).await,
            Err(e) => panic!("create in {ns}: {e}"),
        }
    }
}

// ---- links: mesh, status, join, unjoin, rotate ------------------------------------------------

#[tokio::test]
async fn federation_reports_and_status() {
    let _turn = SERIAL.lock().await;
    let s = snapshots().await;
    s.unfederate();
    // Every cluster runs on this machine: `--allow-loopback` keeps the loopback warning out of all
    // but the snapshots that show it.

    s.shot("status_without_links", &["status", "--context", A, LOOPBACK]);
    s.shot("mutating_mesh_dry_run_table", &["mesh", A, B, C, "--dry-run", LOOPBACK]);
    s.shot("mutating_mesh_dry_run_wide", &["mesh", A, B, C, "--dry-run", "-o", "wide", LOOPBACK]);
    s.shot("mutating_mesh_dry_run_json", &["mesh", A, B, "--dry-run", "-o", "json", LOOPBACK]);
    s.shot("mutating_mesh_server_dry_run_yaml", &["mesh", A, B, "--dry-run=server", "-o", "yaml", LOOPBACK]);
    s.shot("mutating_mesh_created_table", &["mesh", A, B, C]);
    s.shot("mutating_mesh_unchanged_wide", &["mesh", A, B, C, "-o", "wide", LOOPBACK]);
    s.shot("mutating_mesh_unchanged_json", &["mesh", A, B, C, "-o", "json", LOOPBACK]);
    s.shot("mutating_mesh_unchanged_yaml", &["mesh", A, B, C, "-o", "yaml", LOOPBACK]);

    s.shot("status_one_cluster_table", &["status", "--context", A]);
    s.shot("status_matrix_table", &["status", "--all-contexts", LOOPBACK]);
    s.shot("status_matrix_wide", &["status", "--all-contexts", "-o", "wide", LOOPBACK]);
    s.shot("status_json", &["status", "--all-contexts", "-o", "json", LOOPBACK]);
    s.shot("status_yaml", &["status", "--context", A, "-o", "yaml", LOOPBACK]);
    s.shot("status_dot", &["status", "--all-contexts", "-o", "dot", LOOPBACK]);

    // A broken link: the details (check, message, hint) under the table and the matrix.
    let secrets: Api<Secret> = Api::namespaced(s.client(C).await, "calico-system");
    secrets.delete("remote-cluster-secret-cluster-a", &DeleteParams::default()).await.expect("delete secret");
    s.shot("status_broken_link_table", &["status", "--all-contexts", LOOPBACK]);
    s.shot("status_broken_link_json", &["status", "--context", C, "-o", "json", LOOPBACK]);
    s.shot("mutating_join_dry_run_table", &["join", A, "--context", C, "--dry-run", LOOPBACK]);
    s.shot("mutating_join_dry_run_yaml", &["join", A, "--context", C, "--dry-run", "-o", "yaml", LOOPBACK]);
    s.shot("mutating_join_repair_table", &["join", A, "--context", C, LOOPBACK]);
    s.shot("mutating_join_unchanged_json", &["join", A, "--context", C, "-o", "json", LOOPBACK]);

    s.shot("mutating_unjoin_dry_run_table", &["unjoin", C, "--context", A, "--dry-run"]);
    s.shot("mutating_unjoin_dry_run_json", &["unjoin", C, "--context", A, "--dry-run", "-o", "json"]);
    s.shot("mutating_unjoin_table", &["unjoin", C, "--context", A]);
    s.shot("mutating_unjoin_not_found_yaml", &["unjoin", C, "--context", A, "-o", "yaml"]);
    s.shot("mutating_join_created_wide", &["join", C, "--context", A, "-o", "wide", LOOPBACK]);

    s.shot("mutating_rotate_dry_run_table", &["rotate", A, B, C, "--dry-run"]);
    s.shot("mutating_rotate_dry_run_json", &["rotate", A, B, C, "--dry-run", "-o", "json"]);
    // One real rotation: a second one right after may find the first one's revoked Secret still
    // being deleted (reported as a failed link), which is not an output shape.
    s.shot("mutating_rotate_yaml", &["rotate", A, B, C, "-o", "yaml"]);

    // A cluster down: its links fail, the others do not; status names the unreadable cluster.
    s.env.stop_cluster(C).expect("stop cluster-c");
    let failed = s.shot("mutating_mesh_failed_links_table", &["mesh", A, B, C, "--request-timeout", "5s"]);
    let status =
        s.shot("status_cluster_down_table", &["status", "--all-contexts", "--request-timeout", "5s", LOOPBACK]);
    s.env.start_cluster(C).await.expect("restart cluster-c");
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(status.status.code(), Some(1));
    s.assert_no_real_secret_seen().await;
}

// ---- eval ------------------------------------------------------------------------------------

#[tokio::test]
async fn eval_outputs() {
    let _turn = SERIAL.lock().await;
    let s = snapshots().await;
    s.mesh();
    // Addresses outside the range the service test draws from, so the two never meet.
    for (ctx, pods) in [
        (A, vec![("web-a", "node-a1", "10.9.1.5", "web")]),
        (B, vec![("web-b", "node-b1", "10.9.2.5", "web"), ("db-b", "node-b2", "10.9.2.6", "db")]),
        (C, vec![("web-c", "node-c1", "10.9.3.5", "web")]),
    ] {
        let client = s.client(ctx).await;
        create_namespace(&client, "eval-shop").await;
        for (name, node, ip, app) in pods {
            create_once::<Pod>(
                &client,
                "eval-shop",
                json!({"metadata": {"name": name, "labels": {"app": app}},
                       "spec": {"nodeName": node, "containers": [{"name": "c", "image": "registry.invalid/app:1"}]}}),
            )
            .await;
            let status = json!({"status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}]}});
            Api::<Pod>::namespaced(client.clone(), "eval-shop")
                .patch_status(name, &PatchParams::default(), &Patch::Merge(&status))
                .await
                .expect("pod status");
        }
    }
    let web = "app == 'web' && projectcalico.org/namespace == 'eval-shop'";
    s.shot("eval_text", &["eval", web, "--context", A]);
    s.shot("eval_json", &["eval", web, "--context", A, "-o", "json"]);
    s.shot("eval_yaml", &["eval", "projectcalico.org/namespace == 'eval-shop'", "--context", B, "-o", "yaml"]);
    s.shot("eval_no_match_json", &["eval", "app == 'nothing'", "--context", A, "-o", "json"]);
    s.shot("eval_no_match_text", &["eval", "app == 'nothing'", "--context", A]);
    s.shot("error_eval_invalid_selector", &["eval", "app == 'web' && && x", "--context", A]);
    s.assert_no_real_secret_seen().await;
}

// ---- federated services ----------------------------------------------------------------------

/// my-app in one cluster: a Service labelled `run: my-app` over `replicas` ready pods.
async fn deploy_my_app(client: &Client, cluster: usize, replicas: usize) {
    create_once::<Service>(
        client,
        "shop",
        json!({"metadata": {"name": "my-app", "labels": {"run": "my-app"}},
               "spec": {"selector": {"app": "my-app"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}),
    )
    .await;
    let labels = BTreeMap::from([("app".to_owned(), "my-app".to_owned())]);
    let node = format!("{}-node", CONTEXTS[cluster]);
    let pods: Api<Pod> = Api::namespaced(client.clone(), "shop");
    let have = pods.list(&ListParams::default().labels("app=my-app")).await.expect("pods").items.len();
    if have < replicas {
        testenv::pods::create_pods(client, "shop", "my-app", &labels, have..replicas, &node).await.expect("pods");
    }
    let cidr: testenv::pods::Cidr = format!("10.{}.0.0/16", cluster + 1).parse().expect("cidr");
    testenv::pods::ready_pods(client, "shop", "app=my-app", &cidr, &node).await.expect("ready pods");
    // Kubernetes' endpoints controller fills the backing Service's Endpoints.
    let endpoints: Api<Endpoints> = Api::namespaced(client.clone(), "shop");
    for _ in 0..300 {
        let ready =
            endpoints.get_opt("my-app").await.ok().flatten().map_or(0, |e| {
                e.subsets.iter().flatten().map(|s| s.addresses.as_ref().map_or(0, Vec::len)).sum::<usize>()
            });
        if ready == replicas {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the endpoints of shop/my-app in {} never held {replicas} addresses", CONTEXTS[cluster]);
}

#[tokio::test]
async fn federated_service_outputs() {
    let _turn = SERIAL.lock().await;
    let s = snapshots().await;
    s.mesh();
    for (i, replicas) in [(0, 2), (1, 1)] {
        let client = s.client(CONTEXTS[i]).await;
        create_namespace(&client, "shop").await;
        deploy_my_app(&client, i, replicas).await;
    }
    // Start from no federated service (an earlier run may have left one).
    let a = s.client(A).await;
    let _ = Api::<Service>::namespaced(a.clone(), "shop").delete("my-app-federated", &DeleteParams::default()).await;
    let _ = Api::<Endpoints>::namespaced(a.clone(), "shop").delete("my-app-federated", &DeleteParams::default()).await;

    let create = ["svc", "create", "my-app-federated", "--selector", "run == 'my-app'", "--port", "http:80"];
    let on_a = ["-n", "shop", "--contexts", A];
    let args = |extra: &[&'static str]| -> Vec<&str> { create.iter().chain(&on_a).chain(extra).copied().collect() };
    s.shot("mutating_svc_create_dry_run_table", &args(&["--dry-run"]));
    s.shot("mutating_svc_create_dry_run_yaml", &args(&["--dry-run", "-o", "yaml"]));
    s.shot("mutating_svc_create_table", &args(&[]));
    s.shot("mutating_svc_create_unchanged_json", &args(&["-o", "json"]));

    s.shot("svc_show_drift_text", &["svc", "show", "my-app-federated", "-n", "shop", "--context", A]);
    s.shot("mutating_svc_sync_table", &["svc", "sync", "--once", "--context", A]);
    s.shot("mutating_svc_sync_unchanged_json", &["svc", "sync", "--once", "--context", A, "-o", "json"]);
    s.shot("mutating_svc_sync_unchanged_yaml", &["svc", "sync", "--once", "--context", A, "-o", "yaml"]);

    s.shot("svc_list_table", &["svc", "list", "-A", "--context", A]);
    s.shot("svc_list_wide", &["svc", "list", "-A", "--context", A, "-o", "wide"]);
    s.shot("svc_list_json", &["svc", "list", "-A", "--context", A, "-o", "json"]);
    s.shot("svc_list_yaml", &["svc", "list", "-n", "shop", "--context", A, "-o", "yaml"]);
    s.shot("svc_list_empty", &["svc", "list", "-n", "shop", "--context", C]);
    s.shot("svc_show_text", &["svc", "show", "my-app-federated", "-n", "shop", "--context", A]);
    s.shot("svc_show_json", &["svc", "show", "my-app-federated", "-n", "shop", "--context", A, "-o", "json"]);
    s.shot("svc_show_yaml", &["svc", "show", "my-app-federated", "-n", "shop", "--context", A, "-o", "yaml"]);
    s.shot("error_svc_show_not_found", &["svc", "show", "nothing-here", "-n", "shop", "--context", A]);

    let delete = ["svc", "delete", "my-app-federated", "-n", "shop", "--contexts", A];
    s.shot("mutating_svc_delete_dry_run_table", &[&delete[..], &["--dry-run"]].concat());
    s.shot("mutating_svc_delete_dry_run_json", &[&delete[..], &["--dry-run", "-o", "json"]].concat());
    s.assert_no_real_secret_seen().await;
}

// ---- aws-auth and EKS ------------------------------------------------------------------------

const NODE_ROLE: &str = "arn:aws:iam::111122223333:role/NodeInstanceRole";
const ADMIN_ROLE: &str = "arn:aws:iam::111122223333:role/Admin";
const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

#[tokio::test]
async fn aws_auth_outputs() {
    let _turn = SERIAL.lock().await;
    let s = snapshots().await;
    let api: Api<ConfigMap> = Api::namespaced(s.client(B).await, "kube-system");
    let _ = api.delete("aws-auth", &DeleteParams::default()).await;
    let on_b = |args: &[&'static str]| -> Vec<&'static str> { [&["--context", B][..], args].concat() };

    s.shot("aws_auth_show_absent", &on_b(&["aws-auth", "show"]));
    s.shot("mutating_aws_auth_add_node_role_dry_run", &on_b(&["aws-auth", "add-node-role", NODE_ROLE, "--dry-run"]));
    s.shot("mutating_aws_auth_add_node_role", &on_b(&["aws-auth", "add-node-role", NODE_ROLE]));
    s.shot(
        "mutating_aws_auth_add_role_json",
        &on_b(&["aws-auth", "add-role", ADMIN_ROLE, "--username", "admin", "--group", "system:masters", "-o", "json"]),
    );
    s.shot(
        "mutating_aws_auth_add_user_yaml",
        &on_b(&["aws-auth", "add-user", ALICE, "--group", "devs,ops", "-o", "yaml"]),
    );
    s.shot("mutating_aws_auth_unchanged", &on_b(&["aws-auth", "add-user", ALICE, "--group", "devs,ops"]));
    s.shot("aws_auth_show_table", &on_b(&["aws-auth", "show"]));
    s.shot("aws_auth_show_json", &on_b(&["aws-auth", "show", "-o", "json"]));
    s.shot("aws_auth_show_yaml", &on_b(&["aws-auth", "show", "-o", "yaml"]));
    s.shot("mutating_aws_auth_remove_dry_run", &on_b(&["aws-auth", "remove", ALICE, "--dry-run"]));
    s.shot(
        "error_aws_auth_different_mapping",
        &on_b(&["aws-auth", "add-role", ADMIN_ROLE, "--username", "viewer", "--group", "view"]),
    );
    s.shot("error_aws_auth_locks_nodes_out", &on_b(&["aws-auth", "remove", NODE_ROLE]));
}

/// A kubeconfig whose context's user runs `kubectl-federate eks token --cluster CLUSTER` (so
/// `--access-entries` finds the cluster name). Its loopback server is never contacted.
fn eks_context_kubeconfig(dir: &Path, cluster: &str) -> PathBuf {
    let path = dir.join(format!("kubeconfig-{cluster}"));
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: eks\nclusters:\n- name: eks\n  cluster: {{server: 'https://127.0.0.1:9'}}\n\
         contexts:\n- name: eks\n  context: {{cluster: eks, user: eks}}\nusers:\n- name: eks\n  user:\n    exec:\n      \
         apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubectl-federate\n      \
         args: [eks, token, --cluster, {cluster}, --region, {}]\n",
        testenv::moto::REGION
    );
    std::fs::write(&path, text).expect("kubeconfig");
    path
}

/// The binary pointed at `moto` (and nothing else of AWS), on `kubeconfig`.
fn aws_command(moto: &Moto, kubeconfig: &Path) -> Command {
    let mut cmd = Command::new(testenv::federate::binary());
    moto.env(&mut cmd);
    cmd.arg("--kubeconfig").arg(kubeconfig).env("COLUMNS", "100").env_remove("RUST_LOG");
    cmd
}

#[tokio::test]
async fn access_entry_and_eks_kubeconfig_outputs() {
    let ca = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJmYWtlCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K";
    let moto = Moto::start(&json!({
        "api": {"endpoint": "https://127.0.0.1:6443", "caData": ca, "authenticationMode": "API_AND_CONFIG_MAP"},
    }));
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Shooter::new(Normaliser::new().literal(dir.path().display().to_string(), "[dir]"));
    let kc = eks_context_kubeconfig(dir.path(), "api");
    let admin = format!("arn:aws:iam::{ACCOUNT}:role/Admin");
    let shot = |name: &str, args: &[&str]| {
        let mut cmd = aws_command(&moto, &kc);
        cmd.args(args);
        s.shot_command(name, &args.join(" "), cmd)
    };
    let add = ["aws-auth", "add-role", admin.as_str(), "--username", "admin", "--group", "devs,system:masters"];
    let with = |extra: &[&'static str]| -> Vec<&str> { add.iter().copied().chain(extra.iter().copied()).collect() };
    shot("mutating_access_entry_dry_run", &with(&["--access-entries", "--dry-run"]));
    shot("mutating_access_entry_dry_run_json", &with(&["--access-entries", "--dry-run", "-o", "json"]));
    shot("mutating_access_entry_created", &with(&["--access-entries"]));
    shot("mutating_access_entry_unchanged_yaml", &with(&["--access-entries", "-o", "yaml"]));

    let config = dir.path().join("config");
    let config = config.to_str().expect("utf-8 path");
    let kubeconfig = ["eks", "kubeconfig", "--cluster", "api", "--alias", "api"];
    let mut cmd = aws_command(&moto, Path::new(config));
    cmd.args(kubeconfig);
    s.shot_command("eks_kubeconfig_added", &format!("--kubeconfig [dir]/config {}", kubeconfig.join(" ")), cmd);
    let mut cmd = aws_command(&moto, Path::new(config));
    cmd.args(kubeconfig).args(["-o", "json"]);
    s.shot_command("eks_kubeconfig_unchanged_json", "eks kubeconfig --cluster api --alias api -o json", cmd);
    let mut cmd = aws_command(&moto, Path::new(config));
    cmd.args(kubeconfig).args(["-o", "yaml"]);
    s.shot_command("eks_kubeconfig_unchanged_yaml", "eks kubeconfig --cluster api --alias api -o yaml", cmd);
}

// ---- version, completion, errors -------------------------------------------------------------

#[tokio::test]
async fn version_completion_and_error_outputs() {
    let _turn = SERIAL.lock().await;
    let s = snapshots().await;
    s.shot("version_table", &["version"]);
    s.shot("version_json", &["version", "-o", "json"]);
    s.shot("version_yaml", &["version", "-o", "yaml"]);
    // What kubectl (>= 1.26) reads from `kubectl_complete-federate`: candidates, then the directive.
    s.shot("completion_subcommands", &["__complete", "--", ""]);
    // kubectl passes the words after `kubectl federate`, `--kubeconfig` among them when given.
    let kc = s.kubeconfig().display().to_string();
    s.shot("completion_contexts", &["__complete", "--", "--kubeconfig", &kc, "join", ""]);
    s.shot("completion_named_remote", &["__complete", "--", "--kubeconfig", &kc, "join", "b=cluster-"]);
    s.shot("completion_output_formats", &["__complete", "--", "status", "-o", ""]);
    s.shot("completion_flags", &["__complete", "--", "mesh", "--p"]);
    // A `--kubeconfig` before `__complete` (the harness passes one) is read too, not only one
    // among the words.
    let given_before = testenv::federate::run(&s.kubeconfig(), &["__complete", "--", "join", ""]);
    let among_words = testenv::federate::run(&s.kubeconfig(), &["__complete", "--", "--kubeconfig", &kc, "join", ""]);
    assert!(String::from_utf8_lossy(&given_before.stdout).contains("cluster-b\n"), "{given_before:?}");
    assert_eq!(given_before.stdout, among_words.stdout);
    s.shot("error_unknown_context", &["status", "--context", "nosuch"]);
    s.shot("error_context_on_mesh", &["mesh", A, B, "--context", A]);
}

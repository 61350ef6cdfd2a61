//! Hostile stored kubeconfigs (issue 13): whoever can write an RCC and a Secret in a local
//! cluster must not be able to make `kubectl federate` run a program, open a local file, send a
//! token in clear text, print a secret or panic. Every reading command (`status`, `eval`,
//! `svc list`, `svc show`, `svc sync --once`) runs through the real binary over a local cluster
//! holding all the hostile RCCs at once, beside two healthy links, and the test proves:
//!
//! - no process ran: `exec` and `cmd-path` name a marker script that appends to a file;
//! - no local file was opened: every file path names a FIFO that nobody writes; a watcher counts
//!   every open of one (a reader blocked in `open` is seen by a non-blocking writer), and each
//!   command runs under a deadline, so a read would also hang and fail the test;
//! - no connection reached a trap listener (http:// server, proxy, OIDC issuer);
//! - no secret value appears on stdout or stderr, no panic or debug dump ([`assert_clean`]);
//! - each hostile link has its own error naming the field, the exit code is 1, and the healthy
//!   links (one through a Secret, one inline) still work.
//!
//! RCCs are cluster-scoped and every reader reads them all, so this file has a private
//! two-cluster environment.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::TcpListener;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::{Endpoints, Namespace, Secret, Service};
use kube::api::{DynamicObject, ObjectMeta, PostParams};
use kube::{Api, Client};
use serde_json::{Value, json};
use testenv::output::{assert_clean, leaked};
use testenv::pods;

/// Where the hostile Secrets live.
const NS: &str = "hostile";
/// Where the federated service lives.
const APP_NS: &str = "shop";
/// How long one command may take before it counts as hung.
const DEADLINE: Duration = Duration::from_secs(120);

/// Traps: a marker script, FIFOs, and a listener, each counting what reaches it.
struct Traps {
    dir: tempfile::TempDir,
    marker: PathBuf,
    port: u16,
    connections: Arc<AtomicUsize>,
    opens: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Traps {
    fn new() -> Traps {
        let dir = tempfile::tempdir().expect("dir");
        let marker = dir.path().join("marker.sh");
        let log = dir.path().join("executions");
        std::fs::write(&marker, format!("#!/bin/sh\necho \"$0 $*\" >> '{}'\nexit 1\n", log.display())).expect("marker");
        std::fs::set_permissions(&marker, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let fifos: Vec<PathBuf> = ["ca", "token", "cert", "key", "kubeconfig", "k8s-ca"]
            .iter()
            .map(|n| {
                let p = dir.path().join(format!("{n}.fifo"));
                let made = std::process::Command::new("mkfifo").arg("-m").arg("600").arg(&p).status().expect("mkfifo");
                assert!(made.success(), "mkfifo {}", p.display());
                p
            })
            .collect();
        let listener = TcpListener::bind("127.0.0.1:0").expect("listener");
        let port = listener.local_addr().expect("addr").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let connections = Arc::new(AtomicUsize::new(0));
        let opens = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        {
            let (connections, stop) = (connections.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((mut s, _)) => {
                            connections.fetch_add(1, Ordering::Relaxed);
                            let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
                            let _ = s.read(&mut [0u8; 4096]);
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            });
        }
        {
            let (opens, stop) = (opens.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    for f in &fifos {
                        // A non-blocking open for writing succeeds only while a reader has the
                        // FIFO open (or is blocked opening it): that is a file open by the tool.
                        // Dropping the writer at once gives the reader EOF, so it does not hang.
                        if std::fs::OpenOptions::new().write(true).custom_flags(libc::O_NONBLOCK).open(f).is_ok() {
                            opens.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
            });
        }
        Traps { dir, marker, port, connections, opens, stop }
    }

    fn fifo(&self, name: &str) -> String {
        self.dir.path().join(format!("{name}.fifo")).display().to_string()
    }

    fn executions(&self) -> usize {
        std::fs::read_to_string(self.dir.path().join("executions")).map(|t| t.lines().count()).unwrap_or(0)
    }
}

impl Drop for Traps {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Where a hostile connection is stored.
enum Stored {
    /// A Secret (`datastoreType`, `kubeconfig`, …) named by the RCC.
    Secret(Vec<(&'static str, Vec<u8>)>),
    /// The RCC's own spec fields.
    Inline(Value),
}

struct Case {
    name: &'static str,
    stored: Stored,
    /// What the error must name (a field, or the kind of parse failure).
    needle: &'static str,
}

fn token(case: &str) -> String {
    format!("HOSTILE-{case}-TOKEN-VALUE")
}

/// Base64 of a PEM block with a recognisable body (never valid: nothing may get that far).
fn pem_b64(tag: &str, marker: &str) -> String {
    B64.encode(format!("-----BEGIN {tag}-----\n{}\n-----END {tag}-----\n", B64.encode(marker)))
}

const CA_MARKER: &str = "HOSTILE-CA-MARKER";
const KEY_MARKER: &str = "HOSTILE-KEY-MARKER";

/// A kubeconfig with one context; `cluster` and `user` are YAML mappings' bodies at 4 spaces.
fn kubeconfig(cluster: &str, user: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: x\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\nclusters:\n- name: c\n  cluster:\n{cluster}users:\n- name: u\n  user:\n{user}"
    )
}

fn secret_kc(text: String) -> Stored {
    Stored::Secret(vec![("datastoreType", b"kubernetes".to_vec()), ("kubeconfig", text.into_bytes())])
}

/// Every hostile case; `server`/`ca` are cluster-b's real https URL and CA (base64), so a
/// kubeconfig that got as far as a client would really reach a cluster.
fn cases(t: &Traps, server: &str, ca: &str) -> Vec<Case> {
    let good_cluster = format!("    server: {server}\n    certificate-authority-data: {ca}\n");
    let tok = |c: &str| format!("    token: {}\n", token(c));
    let marker = t.marker.display().to_string();
    let trap = format!("http://127.0.0.1:{}", t.port);
    let mut bomb =
        String::from("a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for i in 0..9 {
        let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
        bomb.push_str(&format!("l{i}: &l{i} [{}]\n", vec![format!("*{prev}"); 9].join(", ")));
    }
    bomb.push_str(&format!("users: [{{name: u, user: {{token: {}}}}}]\n", token("alias-bomb")));
    let huge =
        format!("users: [{{name: u, user: {{token: {}}}}}]\npadding: [{}0]\n", token("huge"), "0,".repeat(440_000));
    let deep = format!(
        "users: [{{name: u, user: {{token: {}}}}}]\nx: {}{}\n",
        token("deep"),
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    vec![
        Case {
            name: "h-exec",
            stored: secret_kc(kubeconfig(
                &good_cluster,
                &format!(
                    "    exec: {{command: '{marker}', args: [exec], apiVersion: client.authentication.k8s.io/v1beta1}}\n"
                ),
            )),
            needle: "users[0].user.exec",
        },
        Case {
            name: "h-auth-provider-cmd",
            stored: secret_kc(kubeconfig(
                &good_cluster,
                &format!(
                    "    auth-provider: {{name: gcp, config: {{cmd-path: '{marker}', cmd-args: cmd-path, token-key: '{{.token}}'}}}}\n"
                ),
            )),
            needle: "users[0].user.auth-provider",
        },
        Case {
            name: "h-auth-provider-oidc",
            stored: secret_kc(kubeconfig(
                &good_cluster,
                &format!(
                    "    auth-provider: {{name: oidc, config: {{client-id: x, idp-issuer-url: '{trap}', id-token: {}, refresh-token: {}}}}}\n",
                    token("oidc"),
                    token("oidc-refresh")
                ),
            )),
            needle: "users[0].user.auth-provider",
        },
        Case {
            name: "h-token-file",
            stored: secret_kc(kubeconfig(&good_cluster, &format!("    tokenFile: '{}'\n", t.fifo("token")))),
            needle: "users[0].user.tokenFile",
        },
        Case {
            name: "h-client-key-file",
            stored: secret_kc(kubeconfig(
                &good_cluster,
                &format!("    client-certificate: '{}'\n    client-key: '{}'\n", t.fifo("cert"), t.fifo("key")),
            )),
            needle: "users[0].user.client-key",
        },
        Case {
            name: "h-ca-file",
            stored: secret_kc(kubeconfig(
                &format!("    server: {server}\n    certificate-authority: '{}'\n", t.fifo("ca")),
                &tok("ca-file"),
            )),
            needle: "clusters[0].cluster.certificate-authority:",
        },
        Case {
            name: "h-proxy",
            stored: secret_kc(kubeconfig(&format!("{good_cluster}    proxy-url: '{trap}'\n"), &tok("proxy"))),
            needle: "clusters[0].cluster.proxy-url",
        },
        Case {
            name: "h-http",
            stored: secret_kc(kubeconfig(
                &format!("    server: '{trap}'\n    certificate-authority-data: {ca}\n"),
                &tok("http"),
            )),
            needle: "http:// would send the token",
        },
        Case {
            name: "h-no-scheme",
            stored: secret_kc(kubeconfig(
                &format!("    server: '127.0.0.1:{}'\n    certificate-authority-data: {ca}\n", t.port),
                &tok("no-scheme"),
            )),
            needle: "clusters[0].cluster.server",
        },
        Case {
            name: "h-notaurl",
            stored: secret_kc(kubeconfig(
                &format!("    server: notaurl\n    certificate-authority-data: {ca}\n"),
                &tok("notaurl"),
            )),
            needle: "has no scheme",
        },
        Case {
            name: "h-insecure",
            stored: secret_kc(kubeconfig(
                &format!("    server: {server}\n    insecure-skip-tls-verify: true\n"),
                &tok("insecure"),
            )),
            needle: "insecure-skip-tls-verify",
        },
        Case {
            name: "h-userinfo",
            stored: secret_kc(kubeconfig(
                &format!(
                    "    server: 'https://admin:{}@{}'\n    certificate-authority-data: {ca}\n",
                    token("userinfo-password"),
                    server.trim_start_matches("https://")
                ),
                &tok("userinfo"),
            )),
            needle: "user:password",
        },
        Case { name: "h-huge", stored: secret_kc(huge), needle: "does not parse" },
        Case { name: "h-deep", stored: secret_kc(deep), needle: "does not parse" },
        Case { name: "h-alias-bomb", stored: secret_kc(bomb), needle: "does not parse" },
        Case {
            name: "h-malformed",
            stored: secret_kc(format!(
                "clusters:\n- name: c\n  cluster:\n    certificate-authority-data: {}\nusers:\n- name: u\n  user:\n    token: {}\n    client-key-data: {}: [\n   bad\n",
                pem_b64("CERTIFICATE", CA_MARKER),
                token("malformed"),
                pem_b64("PRIVATE KEY", KEY_MARKER)
            )),
            needle: "does not parse",
        },
        Case {
            name: "h-malformed-json",
            stored: secret_kc(format!(
                "{{\"users\": [{{\"name\": \"u\", \"user\": {{\"token\": \"{}\", \"client-key-data\": \"{}\"}}]}}",
                token("json"),
                pem_b64("PRIVATE KEY", KEY_MARKER)
            )),
            needle: "does not parse",
        },
        Case {
            name: "h-wrong-types",
            stored: secret_kc(format!(
                "current-context: x\ncontexts: [{{name: x, context: {{cluster: 7, user: [u]}}}}]\nclusters: {{c: 5}}\nusers: {{u: {{token: {}}}}}\n",
                token("wrong-types")
            )),
            needle: "contexts[0].context.cluster: not a string",
        },
        Case {
            name: "h-token-list",
            stored: secret_kc(kubeconfig(&good_cluster, &format!("    token: [{}]\n", token("token-list")))),
            needle: "users[0].user.token: not a string",
        },
        Case {
            name: "h-basic-auth",
            stored: secret_kc(kubeconfig(
                &good_cluster,
                &format!("    username: admin\n    password: {}\n", token("basic-password")),
            )),
            needle: "basic authentication",
        },
        Case {
            name: "h-bad-key-data",
            stored: secret_kc(kubeconfig(
                &good_cluster,
                &format!(
                    "    client-certificate-data: {}\n    client-key-data: '{}!!'\n",
                    pem_b64("CERTIFICATE", CA_MARKER),
                    B64.encode(KEY_MARKER)
                ),
            )),
            needle: "users[0].user.client-key-data: not base64",
        },
        Case {
            name: "h-no-datastore",
            stored: Stored::Secret(vec![("kubeconfig", kubeconfig(&good_cluster, &tok("no-datastore")).into_bytes())]),
            needle: "no datastoreType key",
        },
        Case {
            name: "h-etcd",
            stored: Stored::Secret(vec![
                ("datastoreType", b"etcdv3".to_vec()),
                ("etcdEndpoints", trap.clone().into_bytes()),
                ("etcdPassword", token("etcd-password").into_bytes()),
            ]),
            needle: "etcdv3",
        },
        Case {
            name: "h-bogus-datastore",
            stored: Stored::Secret(vec![
                ("datastoreType", token("datastore").into_bytes()),
                ("kubeconfig", kubeconfig(&good_cluster, &tok("bogus-datastore")).into_bytes()),
            ]),
            needle: "neither kubernetes nor etcdv3",
        },
        Case {
            name: "h-not-utf8",
            stored: Stored::Secret(vec![
                ("datastoreType", b"kubernetes".to_vec()),
                ("kubeconfig", [b"token: ".as_slice(), token("utf8").as_bytes(), &[0xff, 0xfe, 0x00]].concat()),
            ]),
            needle: "not UTF-8",
        },
        Case {
            name: "h-inline-exec",
            stored: Stored::Inline(json!({
                "datastoreType": "kubernetes",
                "kubeconfigInline": kubeconfig(&good_cluster, &format!("    exec: {{command: '{marker}', args: [inline]}}\n")),
            })),
            needle: "users[0].user.exec",
        },
        Case {
            name: "h-inline-path",
            stored: Stored::Inline(json!({"datastoreType": "kubernetes", "kubeconfig": t.fifo("kubeconfig")})),
            needle: "spec.kubeconfig:",
        },
        Case {
            name: "h-inline-k8s",
            stored: Stored::Inline(json!({
                "datastoreType": "kubernetes",
                "k8sAPIEndpoint": server,
                "k8sAPIToken": token("inline-k8s"),
                "k8sCAFile": t.fifo("k8s-ca"),
            })),
            needle: "spec.k8sCAFile",
        },
        Case {
            name: "h-inline-no-datastore",
            stored: Stored::Inline(json!({"kubeconfigInline": kubeconfig(&good_cluster, &tok("inline-etcd"))})),
            needle: "spec.datastoreType is not set",
        },
    ]
}

/// Every secret value the hostile cases hold.
fn secrets(cases: &[Case]) -> Vec<String> {
    let mut out: Vec<String> = cases.iter().map(|c| token(c.name)).collect();
    for extra in [
        "oidc",
        "oidc-refresh",
        "userinfo-password",
        "basic-password",
        "etcd-password",
        "datastore",
        "utf8",
        "alias-bomb",
        "huge",
        "deep",
        "malformed",
        "json",
        "wrong-types",
        "token-list",
        "inline-k8s",
        "inline-etcd",
        "no-datastore",
        "bogus-datastore",
        "ca-file",
        "proxy",
        "http",
        "no-scheme",
        "notaurl",
        "insecure",
        "userinfo",
    ] {
        out.push(token(extra));
    }
    out.push(B64.encode(CA_MARKER));
    out.push(B64.encode(KEY_MARKER));
    out.push(CA_MARKER.into());
    out.push(KEY_MARKER.into());
    out
}

async fn create_case(client: &Client, case: &Case) {
    let rccs: Api<DynamicObject> = Api::all_with(client.clone(), &libfed::calico::rcc::api_resource());
    let spec = match &case.stored {
        Stored::Secret(data) => {
            let secret = Secret {
                metadata: ObjectMeta { name: Some(case.name.into()), namespace: Some(NS.into()), ..Default::default() },
                data: Some(
                    data.iter().map(|(k, v)| ((*k).to_string(), ByteString(v.clone()))).collect::<BTreeMap<_, _>>(),
                ),
                ..Default::default()
            };
            Api::<Secret>::namespaced(client.clone(), NS)
                .create(&PostParams::default(), &secret)
                .await
                .unwrap_or_else(|e| panic!("secret {}: {e}", case.name));
            json!({"clusterAccessSecret": {"name": case.name, "namespace": NS, "kind": "Secret"}})
        }
        Stored::Inline(spec) => spec.clone(),
    };
    let rcc: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "projectcalico.org/v3", "kind": "RemoteClusterConfiguration",
        "metadata": {"name": case.name}, "spec": spec,
    }))
    .expect("rcc");
    rccs.create(&PostParams::default(), &rcc).await.unwrap_or_else(|e| panic!("rcc {}: {e}", case.name));
}

/// Runs the binary with a deadline: a command still running after it is killed and reported (a
/// read of a FIFO would block forever).
fn run_bounded(kubeconfig: &Path, args: &[&str]) -> Output {
    let mut child = testenv::federate::command(kubeconfig)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kubectl-federate");
    // Drained while it runs, so a large output cannot block it on a full pipe.
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{args:?} hung for {DEADLINE:?} (a FIFO read?)\n{}",
                String::from_utf8_lossy(&stderr.join().unwrap_or_default())
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: stdout.join().expect("stdout"), stderr: stderr.join().expect("stderr") }
}

async fn run(kubeconfig: &Path, args: &[&str]) -> Output {
    let kubeconfig = kubeconfig.to_path_buf();
    let args: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_bounded(&kubeconfig, &args)
    })
    .await
    .expect("run")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

async fn namespace(client: &Client, name: &str) {
    let ns = Namespace { metadata: ObjectMeta { name: Some(name.into()), ..Default::default() }, ..Default::default() };
    Api::<Namespace>::all(client.clone()).create(&PostParams::default(), &ns).await.expect("namespace");
}

#[tokio::test]
async fn hostile_stored_kubeconfigs_are_data_never_code() {
    libfed::tls::ensure_crypto_provider();
    let dir = tempfile::tempdir().expect("dir");
    let env = testenv::Env::start(2, dir.path(), testenv::Lifetime::Owned).await.expect("environment");
    let kc = env.kubeconfig_path();
    let out = run(&kc, &["mesh", "cluster-a", "cluster-b"]).await;
    assert_eq!(out.status.code(), Some(0), "mesh: {}", text(&out));
    let a = env.client("cluster-a").await.expect("a");
    let b = env.client("cluster-b").await.expect("b");

    // The healthy link's stored kubeconfig: its token must not leak either, and it is copied
    // into an inline RCC (a second healthy link, `inline-b`).
    let stored = Api::<Secret>::namespaced(a.clone(), "calico-system")
        .get("remote-cluster-secret-cluster-b")
        .await
        .expect("stored secret");
    let healthy = String::from_utf8(stored.data.expect("data")["kubeconfig"].0.clone()).expect("utf8");
    let inspected = libfed::stored::inspect(&healthy).expect("healthy kubeconfig");
    let healthy_token = inspected.token.as_ref().expect("token").expose().to_string();
    let server = env.server_url("cluster-b");
    let ca = B64.encode(inspected.ca_pem.as_ref().expect("ca"));

    // A federated service backed by my-app in cluster-b.
    namespace(&a, APP_NS).await;
    namespace(&b, APP_NS).await;
    let svc: Service = serde_json::from_value(json!({
        "metadata": {"name": "my-app", "labels": {"run": "my-app"}},
        "spec": {"selector": {"app": "my-app"}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}
    }))
    .expect("service");
    Api::<Service>::namespaced(b.clone(), APP_NS).create(&PostParams::default(), &svc).await.expect("service");
    let labels = BTreeMap::from([("app".to_owned(), "my-app".to_owned())]);
    pods::create_pods(&b, APP_NS, "my-app", &labels, 0..2, "cluster-b-node").await.expect("pods");
    let cidr: pods::Cidr = "10.2.0.0/16".parse().expect("cidr");
    let ips: Vec<String> = pods::ready_pods(&b, APP_NS, "app=my-app", &cidr, "cluster-b-node")
        .await
        .expect("ready")
        .into_iter()
        .map(|(_, ip)| ip.to_string())
        .collect();
    let out = run(
        &kc,
        &[
            "svc",
            "create",
            "my-app-federated",
            "--selector",
            "run == \"my-app\"",
            "--port",
            "http:80",
            "-n",
            APP_NS,
            "--context",
            "cluster-a",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "svc create: {}", text(&out));
    // Wait until cluster-b's controller manager has built my-app's Endpoints.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let e = Api::<Endpoints>::namespaced(b.clone(), APP_NS).get_opt("my-app").await.expect("endpoints");
        let ready = e
            .and_then(|e| e.subsets)
            .unwrap_or_default()
            .iter()
            .flat_map(|s| s.addresses.clone().unwrap_or_default())
            .count();
        if ready == 2 {
            break;
        }
        assert!(Instant::now() < deadline, "my-app endpoints in cluster-b");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // The hostile RCCs and Secrets, and the inline healthy link.
    let traps = Traps::new();
    namespace(&a, NS).await;
    let cases = cases(&traps, &server, &ca);
    assert!(cases.len() >= 15, "{} cases", cases.len());
    for case in &cases {
        create_case(&a, case).await;
    }
    let inline_b = Case {
        name: "inline-b",
        stored: Stored::Inline(json!({"datastoreType": "kubernetes", "kubeconfigInline": healthy})),
        needle: "",
    };
    create_case(&a, &inline_b).await;

    let mut secrets = secrets(&cases);
    secrets.push(healthy_token.clone());
    let secret_refs: Vec<&str> = secrets.iter().map(String::as_str).collect();

    let commands: Vec<Vec<&str>> = vec![
        vec!["status", "--context", "cluster-a", "--allow-loopback"],
        vec!["status", "--context", "cluster-a", "--allow-loopback", "-o", "json"],
        vec!["eval", "all()", "--context", "cluster-a"],
        vec!["eval", "all()", "--context", "cluster-a", "-o", "json"],
        vec!["svc", "list", "-n", APP_NS, "--context", "cluster-a"],
        vec!["svc", "show", "my-app-federated", "-n", APP_NS, "--context", "cluster-a"],
        vec!["svc", "sync", "--once", "--context", "cluster-a"],
    ];
    let mut failures = Vec::new();
    let mut leaks = 0;
    for args in &commands {
        let mut full = args.clone();
        full.extend_from_slice(&["--request-timeout", "20s"]);
        let out = run(&kc, &full).await;
        let all = text(&out);
        // No panic, no debug dump, no crash: fails at once, with the output.
        assert_clean(&out, &format!("{args:?}"));
        let leaked = leaked(&out, &secret_refs);
        leaks += leaked.len();
        if !leaked.is_empty() {
            failures.push(format!("{args:?} printed secrets {leaked:?}"));
        }
        if out.status.code() != Some(1) {
            failures.push(format!("{args:?} exited {:?}, not 1", out.status.code()));
        }
        // Each hostile link has its own error, naming the field at fault.
        let per_link = |all: &str| {
            let mut missing = Vec::new();
            for c in &cases {
                let line = all.lines().filter(|l| l.contains(c.name)).collect::<Vec<_>>().join("\n");
                if args[0] == "status" {
                    // status: one row per link; the reason is in its checks.
                    if !all.contains(c.name) {
                        missing.push(format!("{}: not reported", c.name));
                    }
                } else if !line.contains(c.needle) {
                    missing.push(format!("{}: no error naming {:?} (got {line:?})", c.name, c.needle));
                }
            }
            missing
        };
        let missing = per_link(&all);
        if !missing.is_empty() {
            failures.push(format!("{args:?}: {}\n{all}", missing.join("; ")));
        }
        match (args[0], args.get(1).copied()) {
            ("status", _) if args.contains(&"json") => {
                let report: Value = serde_json::from_slice(&out.stdout).expect("status json");
                for link in report["links"].as_array().expect("links") {
                    let remote = link["remote"].as_str().unwrap_or_default();
                    let outcome = link["outcome"].as_str().unwrap_or_default();
                    if let Some(c) = cases.iter().find(|c| c.name == remote) {
                        let shown = link.to_string();
                        if outcome != "error" || !shown.contains(&c.needle.replace('"', "\\\"")) {
                            failures.push(format!("status: {remote} is {outcome}, needle {:?}: {shown}", c.needle));
                        }
                    } else if outcome == "error" {
                        failures.push(format!("status: healthy link {remote} fails: {link}"));
                    }
                }
                for healthy in ["cluster-b", "inline-b"] {
                    if !report["links"].as_array().expect("links").iter().any(|l| l["remote"] == healthy) {
                        failures.push(format!("status: no link to {healthy}"));
                    }
                }
            }
            ("eval", _) if !args.contains(&"json") => {
                for prefix in [
                    "cluster-b/cluster-b-node/k8s/shop.my-app-0/eth0",
                    "inline-b/cluster-b-node/k8s/shop.my-app-1/eth0",
                ] {
                    if !String::from_utf8_lossy(&out.stdout).contains(prefix) {
                        failures.push(format!("eval: healthy endpoint {prefix} missing: {all}"));
                    }
                }
            }
            ("svc", Some("show")) => {
                for ip in &ips {
                    if !all.contains(ip.as_str()) {
                        failures.push(format!("svc show: cluster-b's {ip} missing: {all}"));
                    }
                }
            }
            _ => {}
        }
    }
    // The controller (watch mode, what the federated-services Deployment runs), for a while.
    let mut controller = testenv::federate::command(&kc)
        .args(["svc", "sync", "--context", "cluster-a", "--remotes-refresh", "2s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("controller");
    tokio::time::sleep(Duration::from_secs(12)).await;
    // SIGTERM to the child we spawned: it stops as it does in a pod.
    let term = std::process::Command::new("kill").arg("-TERM").arg(controller.id().to_string()).status();
    assert!(term.is_ok_and(|s| s.success()), "kill -TERM");
    let out = tokio::task::spawn_blocking(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        while controller.try_wait().expect("wait").is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = controller.kill();
        controller.wait_with_output().expect("output")
    })
    .await
    .expect("controller output");
    assert_clean(&out, "svc sync (controller)");
    let leaked_now = leaked(&out, &secret_refs);
    leaks += leaked_now.len();
    if !leaked_now.is_empty() {
        failures.push(format!("svc sync (controller) printed secrets {leaked_now:?}"));
    }

    // svc sync wrote the healthy remotes' addresses into cluster-a.
    let e = Api::<Endpoints>::namespaced(a.clone(), APP_NS).get_opt("my-app-federated").await.expect("endpoints");
    let written = serde_json::to_string(&e).unwrap_or_default();
    for ip in &ips {
        if !written.contains(ip.as_str()) {
            failures.push(format!("svc sync --once: {ip} not written: {written}"));
        }
    }

    let executions = traps.executions();
    let opens = traps.opens.load(Ordering::Relaxed);
    let connections = traps.connections.load(Ordering::Relaxed);
    eprintln!(
        "hostile cases: {}, commands: {} + the controller, case-command pairs: {}; executions: {executions}, file opens: {opens}, trap connections: {connections}, panics/debug dumps: 0 (assert_clean), leaked values: {leaks}",
        cases.len(),
        commands.len(),
        cases.len() * (commands.len() + 1)
    );
    assert_eq!(executions, 0, "a stored kubeconfig ran a program");
    assert_eq!(opens, 0, "a stored kubeconfig made the tool open a local file");
    assert_eq!(connections, 0, "a stored kubeconfig made the tool connect to an http:// server or proxy");
    assert_eq!(leaks, 0, "secret values printed");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

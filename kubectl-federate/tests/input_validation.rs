//! Input entering the tool is validated where it enters, from the real binary: server URLs
//! (`--server`, `clusters.yaml`, the context server a kubeconfig is minted with), file sizes and
//! parse-error positions (`mesh -f`), names and namespaces, and the user's own kubeconfig
//! (`KUBECONFIG` lists with missing files, parse errors that never show a key).
//!
//! No cluster is needed: every cluster of these kubeconfigs is a loopback listener that records
//! whether anything connected, so "refused before any request" is checked, not assumed.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kubectl-federate");

/// A loopback port that accepts nothing by itself: after a command, [`Listener::connected`] says
/// whether the command tried to reach it.
struct Listener(TcpListener);

impl Listener {
    fn new() -> Self {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        l.set_nonblocking(true).expect("nonblocking");
        Listener(l)
    }

    fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}", self.0.local_addr().expect("addr").port())
    }

    fn connected(&self) -> bool {
        self.0.accept().is_ok()
    }
}

/// A kubeconfig with contexts `cluster-a` and `cluster-b` whose servers are `servers`.
fn kubeconfig(dir: &Path, name: &str, servers: [&str; 2]) -> PathBuf {
    let mut text = String::from("apiVersion: v1\nkind: Config\ncurrent-context: cluster-a\nclusters:\n");
    for (n, s) in ["cluster-a", "cluster-b"].iter().zip(servers) {
        text.push_str(&format!("- name: {n}\n  cluster:\n    server: {s}\n    insecure-skip-tls-verify: true\n"));
    }
    text.push_str("contexts:\n");
    for n in ["cluster-a", "cluster-b"] {
        text.push_str(&format!("- name: {n}\n  context: {{cluster: {n}, user: admin}}\n"));
    }
    text.push_str("users:\n- name: admin\n  user: {token: admin-token}\n");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write kubeconfig");
    path
}

/// Runs the binary (with a deadline: a command that hangs fails the test instead of hanging it).
fn run(args: &[&str], envs: &[(&str, &std::ffi::OsStr)]) -> Output {
    let home = tempfile::tempdir().expect("home");
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env("HOME", home.path())
        .env_remove("KUBECONFIG")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run kubectl-federate");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("kubectl-federate {args:?} did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit 2, nothing on stdout, an `error:` and a `hint:` on stderr, and no panic.
fn assert_usage_error(out: &Output, what: &str) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{what}: exit code\n{err}");
    assert!(out.stdout.is_empty(), "{what}: stdout {:?}", String::from_utf8_lossy(&out.stdout));
    assert!(err.contains("error"), "{what}: {err}");
    assert!(err.contains("hint:"), "{what}: no hint\n{err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    err
}

#[test]
fn join_with_a_server_without_scheme_is_a_usage_error_and_reaches_no_cluster() {
    let (a, b) = (Listener::new(), Listener::new());
    let dir = tempfile::tempdir().expect("tmp");
    let kc = kubeconfig(dir.path(), "config", [&a.url("https"), &b.url("https")]);
    let kc = kc.to_str().expect("utf8");
    for bad in ["notaurl", "cluster-b.example:6443"] {
        let server = format!("cluster-b={bad}");
        let out = run(&["--kubeconfig", kc, "join", "cluster-b", "--context", "cluster-a", "--server", &server], &[]);
        let err = assert_usage_error(&out, bad);
        assert!(err.contains("has no scheme"), "{err}");
        assert!(err.contains(&format!("https://{bad}")), "the hint shows the https form: {err}");
    }
    let out = run(&["--kubeconfig", kc, "mesh", "cluster-a", "cluster-b", "--server", "cluster-b=notaurl"], &[]);
    assert_usage_error(&out, "mesh");
    assert!(!a.connected() && !b.connected(), "a request was sent before the URL was refused");
}

#[test]
fn plain_http_servers_are_refused_unless_the_insecure_flag_is_given() {
    let (a, b) = (Listener::new(), Listener::new());
    let dir = tempfile::tempdir().expect("tmp");
    let kc = kubeconfig(dir.path(), "config", [&a.url("https"), &b.url("https")]);
    let kc = kc.to_str().expect("utf8");
    let http = format!("cluster-b={}", b.url("http"));
    let out = run(&["--kubeconfig", kc, "join", "cluster-b", "--context", "cluster-a", "--server", &http], &[]);
    let err = assert_usage_error(&out, "--server http://");
    assert!(err.contains("plain http"), "{err}");
    assert!(err.contains("--insecure-allow-http-server"), "the hint names the flag: {err}");
    assert!(!a.connected() && !b.connected(), "a request was sent before the URL was refused");

    // The context's own server is what gets minted when there is no --server.
    let kc_http = kubeconfig(dir.path(), "config-http", [&a.url("https"), &b.url("http")]);
    let out =
        run(&["--kubeconfig", kc_http.to_str().expect("utf8"), "join", "cluster-b", "--context", "cluster-a"], &[]);
    let err = assert_usage_error(&out, "http context server");
    assert!(err.contains("context cluster-b: server") && err.contains("plain http"), "{err}");
    assert!(!a.connected() && !b.connected(), "a request was sent before the URL was refused");

    // With the flag the URL is accepted and the command goes on to the clusters.
    let out = run(
        &[
            "--kubeconfig",
            kc,
            "--request-timeout",
            "2s",
            "join",
            "cluster-b",
            "--context",
            "cluster-a",
            "--server",
            &http,
            "--insecure-allow-http-server",
        ],
        &[],
    );
    let err = stderr(&out);
    assert!(!err.contains("plain http"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(a.connected(), "with the flag, join goes on to check the local cluster: {err}");
}

#[test]
fn bad_namespaces_and_names_are_usage_errors_before_any_request() {
    let (a, b) = (Listener::new(), Listener::new());
    let dir = tempfile::tempdir().expect("tmp");
    let kc = kubeconfig(dir.path(), "config", [&a.url("https"), &b.url("https")]);
    let kc = kc.to_str().expect("utf8");
    for args in [
        &["join", "cluster-b", "--context", "cluster-a", "--secret-namespace", "Bad/NS"][..],
        &["join", "cluster-b", "--context", "cluster-a", "--remote-namespace", "../x"],
        &["mesh", "cluster-a", "cluster-b", "--secret-namespace", "Bad/NS"],
        &["unjoin", "cluster-b", "--context", "cluster-a", "--secret-namespace", "a/b"],
        &["svc", "list", "-n", "Bad/NS"],
        &["svc", "show", "Bad/Name", "-n", "default"],
        &["join", "Bad_Name=cluster-b", "--context", "cluster-a"],
    ] {
        let mut full = vec!["--kubeconfig", kc];
        full.extend_from_slice(args);
        let out = run(&full, &[]);
        let err = assert_usage_error(&out, &args.join(" "));
        assert!(err.contains("DNS-1") && err.contains("is not valid"), "{args:?}: {err}");
    }
    let out =
        run(&["--kubeconfig", kc, "join", "cluster-b", "--context", "cluster-a", "--secret-namespace", "Bad/NS"], &[]);
    assert!(stderr(&out).contains("\"bad-ns\""), "the hint suggests a valid namespace: {}", stderr(&out));
    assert!(!a.connected() && !b.connected(), "a request was sent with an invalid name");
}

#[test]
fn a_context_namespace_that_is_not_a_label_is_a_usage_error_naming_the_context() {
    let (a, b) = (Listener::new(), Listener::new());
    let dir = tempfile::tempdir().expect("tmp");
    let path = kubeconfig(dir.path(), "config", [&a.url("https"), &b.url("https")]);
    let text = std::fs::read_to_string(&path).expect("read").replace(
        "context: {cluster: cluster-a, user: admin}",
        "context: {cluster: cluster-a, user: admin, namespace: \"../../api/v1/secrets\"}",
    );
    std::fs::write(&path, text).expect("write");
    let kc = path.to_str().expect("utf8");
    for args in [&["svc", "list"][..], &["svc", "show", "web"], &["svc", "delete", "web"]] {
        let mut full = vec!["--kubeconfig", kc];
        full.extend_from_slice(args);
        let err = assert_usage_error(&run(&full, &[]), &args.join(" "));
        assert!(err.contains("context cluster-a") && err.contains("namespace"), "{args:?}: {err}");
    }
    let ok = run(&["--kubeconfig", kc, "svc", "list", "-n", "default", "--request-timeout", "1s"], &[]);
    assert!(!stderr(&ok).contains("is not valid"), "-n overrides the context's namespace: {}", stderr(&ok));
    assert!(!b.connected(), "a request was sent to a cluster the command does not target");
}

#[test]
fn context_is_refused_where_it_names_nothing_and_allow_loopback_is_accepted_where_judged() {
    let (a, b) = (Listener::new(), Listener::new());
    let dir = tempfile::tempdir().expect("tmp");
    let kc = kubeconfig(dir.path(), "config", [&a.url("https"), &b.url("https")]);
    let kc = kc.to_str().expect("utf8");
    for command in ["mesh", "rotate"] {
        let out = run(&["--kubeconfig", kc, command, "cluster-a", "cluster-b", "--context", "cluster-a"], &[]);
        let err = assert_usage_error(&out, command);
        assert!(err.contains(&format!("kubectl federate {command} cluster-a OTHER")), "{command}: {err}");
    }
    // Accepted (not clap's "unexpected argument") by every command that judges loopback servers.
    for args in [
        &["join", "cluster-b", "--context", "cluster-a", "--allow-loopback", "--dry-run", "--request-timeout", "1s"][..],
        &["mesh", "cluster-a", "cluster-b", "--allow-loopback", "--dry-run", "--request-timeout", "1s"],
        &["status", "--allow-loopback", "--request-timeout", "1s"],
    ] {
        let mut full = vec!["--kubeconfig", kc];
        full.extend_from_slice(args);
        let err = stderr(&run(&full, &[]));
        assert!(!err.contains("unexpected argument"), "{args:?}: {err}");
    }
}

#[test]
fn mesh_file_from_dev_zero_fails_fast_with_the_limit() {
    let dir = tempfile::tempdir().expect("tmp");
    let kc = kubeconfig(dir.path(), "config", ["https://127.0.0.1:1", "https://127.0.0.1:1"]);
    let out = run(&["--kubeconfig", kc.to_str().expect("utf8"), "mesh", "-f", "/dev/zero"], &[]);
    let err = assert_usage_error(&out, "mesh -f /dev/zero");
    assert!(err.contains("/dev/zero is larger than the 1 MiB limit"), "{err}");

    let big = dir.path().join("big.yaml");
    std::fs::write(&big, format!("clusters: []\n#{}\n", "x".repeat(1024 * 1024))).expect("big");
    let out = run(&["--kubeconfig", kc.to_str().expect("utf8"), "mesh", "-f", big.to_str().expect("utf8")], &[]);
    assert!(assert_usage_error(&out, "big file").contains("larger than the 1 MiB limit"));
}

#[test]
fn mesh_file_errors_name_the_field_and_its_line_and_column() {
    let dir = tempfile::tempdir().expect("tmp");
    let kc = kubeconfig(dir.path(), "config", ["https://127.0.0.1:1", "https://127.0.0.1:1"]);
    let kc = kc.to_str().expect("utf8");
    let file = dir.path().join("clusters.yaml");
    std::fs::write(&file, "clusters:\n- name: a\n  context: cluster-a\n- name: b\n  contxt: cluster-b\n")
        .expect("write");
    let out = run(&["--kubeconfig", kc, "mesh", "-f", file.to_str().expect("utf8")], &[]);
    let err = assert_usage_error(&out, "typo");
    assert!(err.contains("line 5 column 3"), "the real position: {err}");
    assert!(err.contains("unknown field `contxt`"), "the field: {err}");

    std::fs::write(&file, "clusters:\n- name: a\n  context: cluster-a\n- name: b\n  context: cluster-b\n  server: cluster-b.example:6443\n").expect("write");
    let out = run(&["--kubeconfig", kc, "mesh", "-f", file.to_str().expect("utf8")], &[]);
    let err = assert_usage_error(&out, "server without scheme");
    assert!(err.contains("cluster b: server") && err.contains("https://cluster-b.example:6443"), "{err}");
}

#[test]
fn a_kubeconfig_list_with_a_missing_file_works_like_kubectl() {
    let (a, b) = (Listener::new(), Listener::new());
    let dir = tempfile::tempdir().expect("tmp");
    let kc = kubeconfig(dir.path(), "config", [&a.url("https"), &b.url("https")]);
    let list = std::env::join_paths([dir.path().join("missing"), kc]).expect("join paths");
    // Completion lists the contexts of the merged files.
    let out = run(&["__complete", "--", "status", "--context", ""], &[("KUBECONFIG", &list)]);
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("cluster-a") && listed.contains("cluster-b"), "{listed}");
    // A command gets past loading the kubeconfig (to the next check, which refuses the server).
    let out = run(
        &["join", "cluster-b", "--context", "cluster-a", "--server", "cluster-b=notaurl"],
        &[("KUBECONFIG", &list)],
    );
    let err = assert_usage_error(&out, "KUBECONFIG list");
    assert!(err.contains("has no scheme") && !err.contains("kubeconfig"), "{err}");
}

#[test]
fn a_missing_explicit_kubeconfig_is_named_once_without_doubled_quotes() {
    let dir = tempfile::tempdir().expect("tmp");
    let missing = dir.path().join("nope");
    let out = run(&["--kubeconfig", missing.to_str().expect("utf8"), "status"], &[]);
    let err = assert_usage_error(&out, "missing --kubeconfig");
    assert!(err.contains(&format!("cannot read {}", missing.display())), "{err}");
    assert!(!err.contains("'\"") && !err.contains("\"'"), "doubled quotes: {err}");
}

#[test]
fn a_malformed_kubeconfig_never_shows_key_or_token_bytes() {
    const KEY: &str = "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2Z0lCQURBTkJna3Foa2lHOXcwQkFRRUZBQVND";
    const TOKEN: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6IlNFQ1JFVFRPS0VOIn0.c2VjcmV0cGF5bG9hZA";
    let dir = tempfile::tempdir().expect("tmp");
    let base = "apiVersion: v1\nkind: Config\ncurrent-context: a\nclusters:\n- name: a\n  cluster: {server: 'https://127.0.0.1:1'}\ncontexts:\n- name: a\n  context: {cluster: a, user: a}\n";
    for (i, user) in [
        format!("users:\n- name: a\n  user:\n    client-key-data: {KEY}\n   token: [\n"),
        format!("users:\n- name: a\n  user:\n    client-key-data: {KEY}: x\n    token: {TOKEN}\n"),
        format!("users:\n- name: a\n  user:\n    token: \"{TOKEN}\n    client-key-data: {KEY}\n"),
        format!("users:\n- name: a\n  user:\n    token: {TOKEN}\n    client-key-data: [{KEY}\n"),
        format!("users:\n- name: a\n  user: {TOKEN}\n"),
    ]
    .iter()
    .enumerate()
    {
        let path = dir.path().join(format!("config-{i}"));
        std::fs::write(&path, format!("{base}{user}")).expect("write");
        for args in [&["status"][..], &["join", "b"], &["eval", "all()"], &["aws-auth", "show"]] {
            let mut full = vec!["--kubeconfig", path.to_str().expect("utf8")];
            full.extend_from_slice(args);
            let out = run(&full, &[]);
            let err = assert_usage_error(&out, &format!("{user} / {args:?}"));
            for secret in [&KEY[10..30], &KEY[40..60], "MIIEvgIBADANBgkq", &TOKEN[..20], &TOKEN[40..60]] {
                assert!(!err.contains(secret), "{args:?} printed part of a secret:\n{user}\n=> {err}");
            }
            assert!(err.contains("line "), "a position: {err}");
        }
    }
}

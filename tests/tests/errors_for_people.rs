//! Every command's common failures, through the real binary on the shared environment: a missing
//! namespace, a missing context, a forbidden request, an object that is not there, a cluster that
//! does not answer. Each ends with `error:` naming what failed, a `hint:`, the exit code kubectl
//! users expect, and no Rust debug text (`Status {`, `Some(` …, see `testenv::output::FORBIDDEN`).

use std::path::Path;
use std::process::Output;

use testenv::federate::run;
use testenv::output::assert_clean;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A kubeconfig with the shared environment's contexts, plus `nobody` (a user the API servers do
/// not know: every request is 401) and `dead` (a closed loopback port).
fn kubeconfig_with_failures(env: &testenv::Env, dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(env.kubeconfig_path()).expect("kubeconfig");
    let mut kc: serde_json::Value = serde_saphyr::from_str(&text).expect("parse kubeconfig");
    // Below the ephemeral range: no connection of anyone's can be on it, so it refuses every time.
    let closed = testenv::ports::free_port().expect("port");
    let a_cluster = kc["contexts"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == "cluster-a"))
        .map(|c| c["context"]["cluster"].clone())
        .expect("cluster-a");
    kc["users"]
        .as_array_mut()
        .expect("users")
        .push(serde_json::json!({"name": "nobody", "user": {"token": "not-a-token"}}));
    kc["clusters"].as_array_mut().expect("clusters").push(serde_json::json!({
        "name": "dead",
        "cluster": {"server": format!("https://127.0.0.1:{closed}"), "insecure-skip-tls-verify": true}
    }));
    let contexts = kc["contexts"].as_array_mut().expect("contexts");
    contexts.push(serde_json::json!({"name": "nobody", "context": {"cluster": a_cluster, "user": "nobody"}}));
    contexts.push(serde_json::json!({"name": "dead", "context": {"cluster": "dead", "user": "nobody"}}));
    let path = dir.join("kubeconfig");
    std::fs::write(&path, serde_json::to_string(&kc).expect("json")).expect("write");
    path
}

#[tokio::test]
async fn common_failures_read_as_words_with_a_hint_and_no_debug_text() {
    let env = testenv::shared().await;
    let dir = tempfile::tempdir().expect("dir");
    let kc = kubeconfig_with_failures(env, dir.path());
    let cases: &[(&[&str], i32, &[&str])] = &[
        // A namespace that does not exist: the row names it, in the API server's words.
        (
            &[
                "svc",
                "create",
                "web",
                "--selector",
                "app == 'web'",
                "--port",
                "http:80",
                "-n",
                "nosuchns",
                "--context",
                "cluster-a",
            ],
            1,
            &["NotFound", "nosuchns"],
        ),
        (&["svc", "show", "web", "-n", "nosuchns", "--context", "cluster-a"], 1, &["nosuchns"]),
        // A context that is not in the kubeconfig.
        (&["status", "--context", "no-such-context"], 2, &["no-such-context"]),
        (&["join", "cluster-b", "--context", "no-such-context"], 2, &["no-such-context"]),
        (&["eval", "all()", "--context", "no-such-context"], 2, &["no-such-context"]),
        // A user the API server refuses.
        (&["eval", "all()", "--context", "nobody"], 1, &["nobody"]),
        (&["svc", "list", "--context", "nobody"], 1, &["nobody"]),
        (&["aws-auth", "show", "--context", "nobody"], 1, &["nobody"]),
        // Not there.
        (&["svc", "delete", "no-such-svc", "--context", "cluster-a"], 1, &["no-such-svc", "not found"]),
        // A cluster that does not answer.
        (&["eval", "all()", "--context", "dead", "--request-timeout", "3s"], 1, &["dead"]),
        (&["svc", "list", "--context", "dead", "--request-timeout", "3s"], 1, &["dead"]),
    ];
    for (args, code, names) in cases {
        let out = run(&kc, args);
        let what = args.join(" ");
        let err = stderr(&out);
        assert_clean(&out, &what);
        assert_eq!(out.status.code(), Some(*code), "{what}: exit code\n{err}");
        assert!(err.contains("hint:"), "{what}: no hint\n{err}");
        let shown = format!("{}{err}", String::from_utf8_lossy(&out.stdout));
        for name in *names {
            assert!(shown.contains(name), "{what}: {name:?} is not named\n{shown}");
        }
    }
}

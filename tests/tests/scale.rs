//! A federation larger than the usual three: a private environment of six clusters (started
//! throttled, as `testenv up --clusters 16` is), meshed (30 links) and every link checked with
//! `status`. The API request counts `-v` prints are held to their formulas in N (they grow with
//! the clusters, not with the links), and a credential shared by many links is still judged per
//! link where the links differ.

use std::path::Path;
use std::process::Output;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::{Value, json};
use testenv::federate::run;

const N: usize = 6;
const LINKS: usize = N * (N - 1);

fn stdout_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}); stderr:\n{}", String::from_utf8_lossy(&o.stderr));
    })
}

/// `api requests: 864 (792 reads, 72 writes) …` from `-v`: (total, reads, writes).
fn requests(o: &Output) -> (usize, usize, usize) {
    let err = String::from_utf8_lossy(&o.stderr);
    let line = err.lines().find(|l| l.starts_with("api requests: ")).unwrap_or_else(|| panic!("no count in:\n{err}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("number"))
        .collect();
    (numbers[0], numbers[1], numbers[2])
}

async fn run_async(kubeconfig: &Path, args: &[&str]) -> Output {
    let kubeconfig = kubeconfig.to_path_buf();
    let args: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&kubeconfig, &args)
    })
    .await
    .expect("join")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_clusters_mesh_and_every_link_checks_out() {
    libfed::tls::ensure_crypto_provider();
    let dir = tempfile::tempdir().expect("tempdir");
    let env = testenv::Env::start(N, dir.path(), testenv::Lifetime::Owned).await.expect("six clusters");
    let kc = env.kubeconfig_path();
    let (costs, _) = env.costs();
    assert_eq!(costs.len(), N);
    assert!(costs.iter().all(|c| c.startup.is_some() && c.apiserver_rss > 0), "{costs:?}");

    // First run: every link made.
    let first = run_async(&kc, &["mesh", "--all-contexts", "-o", "json", "-v"]).await;
    assert!(first.status.success(), "mesh failed:\n{}", String::from_utf8_lossy(&first.stderr));
    let report = stdout_json(&first);
    let links = report["links"].as_array().expect("links");
    assert_eq!(links.len(), LINKS);
    assert!(links.iter().all(|l| l["outcome"] == "created"), "{links:#?}");

    // Re-run: nothing written, and the requests are per cluster: 12 per cluster (11, plus the list
    // of the remote's credential generations that rotate added), none per link.
    let again = run_async(&kc, &["mesh", "--all-contexts", "-o", "json", "-v"]).await;
    assert!(again.status.success(), "mesh re-run failed:\n{}", String::from_utf8_lossy(&again.stderr));
    let report = stdout_json(&again);
    assert!(report["links"].as_array().expect("links").iter().all(|l| l["outcome"] == "unchanged"));
    let (total, _, writes) = requests(&again);
    assert_eq!(writes, 0, "a re-run writes nothing");
    assert!(total <= 12 * N, "mesh re-run made {total} requests for {N} clusters; the formula is 12·N = {}", 12 * N);

    // Every link healthy, checked with its own stored credential; each distinct credential is
    // asked about once: 2 per local, 4 per link (its Secret, Typha's three reviews), 2 per
    // credential (/version, one SelfSubjectRulesReview).
    let status = run_async(&kc, &["status", "--all-contexts", "--allow-loopback", "-o", "json", "-v"]).await;
    assert!(status.status.success(), "status failed:\n{}", String::from_utf8_lossy(&status.stderr));
    let report = stdout_json(&status);
    assert_eq!(report["healthy"], true);
    let checked = report["links"].as_array().expect("links");
    assert_eq!(checked.len(), LINKS);
    for l in checked {
        let names: Vec<&str> =
            l["checks"].as_array().expect("checks").iter().filter_map(|c| c["name"].as_str()).collect();
        for needed in ["reachable", "permissions", "least-privilege", "typha-access"] {
            assert!(names.contains(&needed), "{needed} not checked for {l}");
        }
        assert!(l["checks"].as_array().expect("checks").iter().all(|c| c["outcome"] == "ok"), "{l:#}");
    }
    let (total, _, _) = requests(&status);
    let formula = 2 * N + 4 * LINKS + 2 * N;
    assert!(total <= formula, "status made {total} requests; the formula is 4·N + 4·N·(N−1) = {formula}");

    // One local's copy of a shared credential goes bad: that link alone fails, the other N−2
    // links storing the same remote's credential still pass.
    let a = env.client("cluster-a").await.expect("client");
    let secrets: Api<Secret> = Api::namespaced(a, "calico-system");
    let name = "remote-cluster-secret-cluster-b";
    let secret = secrets.get(name).await.expect("secret");
    let text = String::from_utf8(secret.data.expect("data")["kubeconfig"].0.clone()).expect("utf8");
    let stored = libfed::kubeconfig::inspect(&text).expect("parses");
    let token = stored.token.expect("token");
    let broken = text.replace(token.expose(), "not-a-valid-token");
    assert_ne!(broken, text);
    let patch = json!({"data": {"kubeconfig": ByteString(broken.into_bytes())}});
    secrets.patch(name, &PatchParams::default(), &Patch::Merge(&patch)).await.expect("patch");
    let status = run_async(&kc, &["status", "--all-contexts", "--allow-loopback", "-o", "json"]).await;
    assert_eq!(status.status.code(), Some(1));
    let report = stdout_json(&status);
    let failing: Vec<(String, String)> = report["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter(|l| l["outcome"] == "error")
        .map(|l| (l["local"].as_str().unwrap_or("").to_string(), l["remote"].as_str().unwrap_or("").to_string()))
        .collect();
    assert_eq!(failing, [("cluster-a".to_string(), "cluster-b".to_string())]);
    drop(env);
}

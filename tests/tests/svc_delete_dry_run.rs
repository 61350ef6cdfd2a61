//! `svc delete --dry-run[=client|server]` says what it would delete, in kubectl's dry-run words,
//! and deletes nothing; without the flag it deletes. On the shared environment, in a namespace of
//! its own.

use k8s_openapi::api::core::v1::{Namespace, Service};
use kube::Api;
use kube::api::{ObjectMeta, PostParams};
use testenv::federate::run;
use testenv::output::assert_clean;

#[tokio::test]
async fn a_dry_run_delete_names_the_service_and_leaves_it() {
    let env = testenv::shared().await;
    let kc = env.kubeconfig_path();
    let client = env.client("cluster-a").await.expect("client");
    let ns = testenv::unique_name("svc-dry");
    let namespace =
        Namespace { metadata: ObjectMeta { name: Some(ns.clone()), ..Default::default() }, ..Default::default() };
    Api::<Namespace>::all(client.clone()).create(&PostParams::default(), &namespace).await.expect("namespace");
    let create = run(
        &kc,
        &[
            "svc",
            "create",
            "web",
            "--selector",
            "app == 'web'",
            "--port",
            "http:80",
            "-n",
            &ns,
            "--context",
            "cluster-a",
        ],
    );
    assert_eq!(create.status.code(), Some(0), "{}", String::from_utf8_lossy(&create.stderr));
    let services: Api<Service> = Api::namespaced(client, &ns);

    for (flag, word) in [("--dry-run", "deleted (dry run)"), ("--dry-run=server", "deleted (server dry run)")] {
        let out = run(&kc, &["svc", "delete", "web", "-n", &ns, "--context", "cluster-a", flag]);
        assert_clean(&out, flag);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{flag}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains(word), "{flag}: {stdout}");
        assert!(services.get_opt("web").await.expect("get").is_some(), "{flag} deleted the Service");
        let json = run(&kc, &["svc", "delete", "web", "-n", &ns, "--context", "cluster-a", flag, "-o", "json"]);
        let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
        assert_eq!(doc["services"][0]["outcome"], "deleted", "{flag}: {doc}");
        assert!(doc["dryRun"].is_string(), "{flag}: {doc}");
    }
    let out = run(&kc, &["svc", "delete", "web", "-n", &ns, "--context", "cluster-a"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(services.get_opt("web").await.expect("get").is_none(), "deleted without the flag");
}

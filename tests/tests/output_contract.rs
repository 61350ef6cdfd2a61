//! The `-o json|yaml` contract: every document names its `apiVersion` and `kind` first, in JSON
//! and YAML alike (`eval` keeps calicoq's shape, a list, on purpose). On the shared environment;
//! nothing is written (dry runs only).

use serde_json::Value;
use testenv::federate::run;
use testenv::output::assert_clean;

const API_VERSION: &str = "federate.kubectl.io/v1alpha1";

#[tokio::test]
async fn every_document_names_its_api_version_and_kind() {
    let env = testenv::shared().await;
    let kc = env.kubeconfig_path();
    let cases: &[(&[&str], &str)] = &[
        (&["version"], "Version"),
        (&["status", "--context", "cluster-a"], "StatusReport"),
        (&["mesh", "cluster-a", "cluster-b", "--dry-run"], "FederationReport"),
        (&["join", "cluster-c", "--context", "cluster-a", "--dry-run"], "FederationReport"),
        (&["unjoin", "cluster-c", "--context", "cluster-a", "--dry-run"], "FederationReport"),
        (&["rotate", "cluster-a", "cluster-b", "--dry-run"], "RotationReport"),
        (&["svc", "list", "-A", "--context", "cluster-a"], "ServiceList"),
        (
            &["svc", "delete", "nothing-here", "--context", "cluster-a", "--dry-run", "--ignore-not-found"],
            "ServiceChangeList",
        ),
        (&["aws-auth", "show", "--context", "cluster-a"], "AwsAuthMappings"),
    ];
    for (args, kind) in cases {
        for format in ["json", "yaml"] {
            let mut full = args.to_vec();
            full.extend(["-o", format]);
            let out = run(&kc, &full);
            let what = full.join(" ");
            assert_clean(&out, &what);
            let text = String::from_utf8_lossy(&out.stdout);
            let doc: Value = if format == "json" {
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}):\n{text}"))
            } else {
                serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{what}: not YAML ({e}):\n{text}"))
            };
            assert_eq!(doc["apiVersion"], API_VERSION, "{what}:\n{text}");
            assert_eq!(doc["kind"], *kind, "{what}:\n{text}");
            let first: Vec<&str> = text.lines().take(3).collect();
            assert!(
                first.iter().any(|l| l.contains("apiVersion")) && first.iter().any(|l| l.contains("kind")),
                "{what}: apiVersion and kind come first:\n{text}"
            );
        }
    }
    // eval is calicoq's contract: a list of one result.
    let out = run(&kc, &["eval", "all()", "--context", "cluster-a", "-o", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("eval JSON");
    assert!(doc.is_array(), "{doc}");
}

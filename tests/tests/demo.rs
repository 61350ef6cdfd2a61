//! The README's first command must not rot: run the demo non-interactively and check what it shows.

use std::process::Command;

#[test]
fn the_demo_federates_three_clusters_end_to_end() {
    let root = testenv::binaries::repo_root();
    // The demo uses the built binaries; `make test` builds them (tests never run cargo).
    let _ = testenv::federate::binary();
    let out = Command::new("bash")
        .arg(root.join("scripts/demo.sh"))
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the demo");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "demo failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}");
    // Six links created by one mesh.
    // Rows of the mesh table: LOCAL REMOTE NAME RESULT REASON.
    let created = stdout
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|f| f.len() == 5 && f[0].starts_with("cluster-") && f[3] == "created" && f[4] == "-")
        .count();
    assert_eq!(created, 6, "{stdout}");
    // Each cluster: two RCCs, six federated addresses, four of them remote.
    for c in ["a", "b", "c"] {
        let line = format!("cluster-{c}: 2 RCCs, 6 federated addresses (4 remote)");
        assert!(stdout.contains(&line), "missing {line:?}\n{stdout}");
    }
    // Remote endpoints are prefixed with the cluster name, local ones are not.
    assert!(stdout.contains("Workload endpoint cluster-b/"), "{stdout}");
    // ready-pods puts cluster-X's pods on node cluster-X-node: unprefixed on cluster-a itself.
    assert!(
        stdout.lines().any(|l| l.starts_with("  Workload endpoint cluster-a-node/k8s/default.my-app-")),
        "{stdout}"
    );
    assert!(stdout.lines().any(|l| l.starts_with("  Workload endpoint cluster-a/cluster-a-node/")), "{stdout}");
    // Printed commands paste into a shell as they are: the selector keeps its quotes.
    assert!(stdout.contains(r#" eval 'app == "my-app"' --context cluster-a"#), "{stdout}");
    // The walkthrough's manual steps are named for each step.
    assert!(stdout.matches("replaces:").count() >= 5, "{stdout}");
}

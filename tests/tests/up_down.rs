//! `testenv up` then `testenv down` leaves no process behind, and kubectl works against the result.

use std::process::Command;

/// The environment variables process `pid` started with.
fn environ(pid: u32) -> Vec<String> {
    let raw = std::fs::read(format!("/proc/{pid}/environ")).expect("environ");
    raw.split(|b| *b == 0).filter(|v| !v.is_empty()).map(|v| String::from_utf8_lossy(v).into_owned()).collect()
}

/// `up --no-memory-limit` (benchmarks) starts the control plane with Go's default garbage
/// collection: no `GOMEMLIMIT`, still at most two threads running Go code.
#[test]
fn up_without_memory_limits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = env!("CARGO_BIN_EXE_testenv");
    let up = Command::new(bin)
        .args(["up", "--clusters", "1", "--no-memory-limit", "--dir"])
        .arg(dir.path())
        .env_remove("GOMEMLIMIT")
        .output()
        .expect("run up");
    let down = || Command::new(bin).args(["down", "--dir"]).arg(dir.path()).output().expect("run down");
    if !up.status.success() {
        down();
        panic!("up failed: {}", String::from_utf8_lossy(&up.stderr));
    }
    let state = testenv::env::State::read(dir.path()).expect("state");
    let c = &state.clusters[0];
    let (apiserver, controller_manager) = (environ(c.apiserver.pid), environ(c.controller_manager.pid));
    down();
    for env in [&apiserver, &controller_manager] {
        assert!(!env.iter().any(|v| v.starts_with("GOMEMLIMIT=")), "{env:?}");
        assert!(env.contains(&"GOMAXPROCS=2".to_owned()), "{env:?}");
    }
}

#[test]
fn up_then_down_leaves_nothing_running() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = env!("CARGO_BIN_EXE_testenv");
    let up = Command::new(bin)
        .args(["up", "--clusters", "2", "--dir"])
        .arg(dir.path())
        .env_remove("GOMEMLIMIT")
        .output()
        .expect("run up");
    assert!(up.status.success(), "up failed: {}", String::from_utf8_lossy(&up.stderr));
    let kubeconfig = String::from_utf8(up.stdout).expect("utf8");
    assert_eq!(kubeconfig.trim(), dir.path().canonicalize().expect("canon").join("kubeconfig").display().to_string());

    let state = testenv::env::State::read(dir.path()).expect("state");
    let pids: Vec<u32> = state.processes().into_iter().map(|(_, pid)| pid).collect();
    assert_eq!(pids.len(), 5);
    assert!(pids.iter().all(|p| testenv::process::alive(*p)), "every process runs after up");
    for c in &state.clusters {
        assert!(environ(c.apiserver.pid).contains(&"GOMEMLIMIT=350MiB".to_owned()), "tests keep the memory limit");
        assert!(environ(c.controller_manager.pid).iter().any(|v| v.starts_with("GOMEMLIMIT=")));
    }

    let kubectl = Command::new("kubectl")
        .args(["--kubeconfig", kubeconfig.trim(), "--context", "cluster-b", "get", "namespaces", "-o", "name"])
        .output()
        .expect("kubectl");
    assert!(kubectl.status.success(), "kubectl failed: {}", String::from_utf8_lossy(&kubectl.stderr));
    assert!(String::from_utf8_lossy(&kubectl.stdout).contains("namespace/calico-system"));

    let down = Command::new(bin).args(["down", "--dir"]).arg(dir.path()).output().expect("run down");
    assert!(down.status.success(), "down failed: {}", String::from_utf8_lossy(&down.stderr));
    let left: Vec<u32> = pids.into_iter().filter(|p| testenv::process::alive(*p)).collect();
    assert!(left.is_empty(), "still running after down: {left:?}");
}

//! Running the real `kubectl-federate` binary from tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::binaries::repo_root;

/// The `kubectl-federate` binary of this workspace, built (once per test process) if needed so a
/// test never runs a stale one.
///
/// # Panics
/// If the build fails.
pub fn binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--quiet", "-p", "kubectl-federate"])
            .current_dir(repo_root())
            .status()
            .expect("run cargo build -p kubectl-federate");
        assert!(status.success(), "cargo build -p kubectl-federate failed");
        target_dir().join("debug/kubectl-federate")
    })
}

/// The workspace's target directory.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"))
}

/// A `kubectl-federate` command with `--kubeconfig` set and a clean environment for colour.
pub fn command(kubeconfig: &Path) -> Command {
    let mut cmd = Command::new(binary());
    cmd.arg("--kubeconfig").arg(kubeconfig).env("NO_COLOR", "1").env_remove("KUBECONFIG");
    cmd
}

/// Runs `kubectl-federate ARGS` against `kubeconfig` and returns its output.
pub fn run(kubeconfig: &Path, args: &[&str]) -> Output {
    command(kubeconfig).args(args).output().expect("run kubectl-federate")
}

//! Running the real `kubectl-federate` binary from tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use std::sync::OnceLock;

use crate::binaries::repo_root;

/// The `kubectl-federate` binary of this workspace (`FEDERATE_BIN` overrides).
///
/// Tests never run cargo themselves (a nested cargo waits on the build lock of the one running the
/// tests): `make test` builds the binary first. A binary older than its sources is refused, so a
/// test never passes or fails on stale code.
///
/// # Panics
/// If the binary is missing or stale, saying which command builds it.
pub fn binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("FEDERATE_BIN") {
            return PathBuf::from(bin);
        }
        let bin = target_dir().join("debug/kubectl-federate");
        let built = std::fs::metadata(&bin).and_then(|m| m.modified()).unwrap_or_else(|_| {
            panic!("{} is missing: run `cargo build -p kubectl-federate` (make test does)", bin.display())
        });
        let newest =
            ["kubectl-federate/src", "libfed/src"].iter().filter_map(|d| newest_mtime(&repo_root().join(d))).max();
        if let Some(newest) = newest {
            assert!(
                newest <= built,
                "{} is older than its sources: run `cargo build -p kubectl-federate` (make test does)",
                bin.display()
            );
        }
        bin
    })
}

fn newest_mtime(dir: &Path) -> Option<std::time::SystemTime> {
    let mut newest = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let t = if path.is_dir() { newest_mtime(&path) } else { entry.metadata().and_then(|m| m.modified()).ok() };
        newest = newest.max(t);
    }
    newest
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

//! Where the control-plane binaries come from: `tests/gobin/build.sh` builds them from the Go
//! module proxy once per machine and caches them by version; `KUBEBUILDER_ASSETS` points at
//! existing ones instead.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use anyhow::{Context, bail};

/// The directory holding `etcd`, `kube-apiserver` and `kube-controller-manager`.
#[derive(Debug, Clone)]
pub struct Binaries {
    pub dir: PathBuf,
}

impl Binaries {
    /// Path of one binary.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// Builds the binaries if missing (slow only the first time on a machine) and returns where they are.
pub fn ensure() -> anyhow::Result<Binaries> {
    static CACHED: OnceLock<PathBuf> = OnceLock::new();
    if let Some(dir) = CACHED.get() {
        return Ok(Binaries { dir: dir.clone() });
    }
    let script = repo_root().join("tests/gobin/build.sh");
    let dir = run_build_script(&script)?;
    for b in ["etcd", "kube-apiserver", "kube-controller-manager"] {
        if !dir.join(b).is_file() {
            bail!("{} reported {} but {b} is not there", script.display(), dir.display());
        }
    }
    let _ = CACHED.set(dir.clone());
    Ok(Binaries { dir })
}

/// The root of the repository (the tests crate lives in `tests/`).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new("."))
}

/// The directory `tests/calico-selector/build.sh` fills from Calico's Go module (built once per
/// machine and version): `calico-selector` (a program over Calico's own selector package),
/// `calico-tests.jsonl` (the strings of Calico's tokenizer and parser tests) and
/// `crd.projectcalico.org_hostendpoints.yaml` (Calico's HostEndpoint CRD).
pub fn calico_dir() -> anyhow::Result<PathBuf> {
    static CACHED: OnceLock<PathBuf> = OnceLock::new();
    if let Some(dir) = CACHED.get() {
        return Ok(dir.clone());
    }
    let dir = run_build_script(&repo_root().join("tests/calico-selector/build.sh"))?;
    let _ = CACHED.set(dir.clone());
    Ok(dir)
}

/// Runs one of the build scripts that cache tools outside the work tree; returns the directory it
/// prints (its progress goes to stderr).
fn run_build_script(script: &Path) -> anyhow::Result<PathBuf> {
    let output = Command::new("bash")
        .arg(script)
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("running {}", script.display()))?;
    if !output.status.success() {
        bail!("{} failed ({}); see its output above", script.display(), output.status);
    }
    Ok(PathBuf::from(String::from_utf8(output.stdout)?.trim()))
}

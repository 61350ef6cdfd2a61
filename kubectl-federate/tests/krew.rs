//! `kubectl krew install` of the archive and manifest that `scripts/release.sh` makes, offline, with
//! the real krew (built from the Go module proxy by `tests/gobin/krew.sh`, cached by version).
//!
//! To stay fast inside `make test`, this packs the debug binary cargo built for the tests
//! (`scripts/release.sh --binary`) rather than doing a release build: the archive layout, the
//! manifest template and the sha256 krew verifies are the same.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_kubectl-federate");

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn check(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The directory holding `kubectl-krew` (built on first use; `KREW_BIN_DIR` overrides).
fn krew_dir() -> PathBuf {
    let out =
        Command::new("bash").arg(repo_root().join("tests/gobin/krew.sh")).output().expect("run tests/gobin/krew.sh");
    check(&out, "tests/gobin/krew.sh (builds krew from the Go module proxy)");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// Packs this build's binary into `dist` with scripts/release.sh.
fn pack(dist: &Path) {
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/release.sh"))
        .args(["--binary", BIN, "--dist"])
        .arg(dist)
        .output()
        .expect("run scripts/release.sh");
    check(&out, "scripts/release.sh --binary");
}

fn path_with(dirs: &[&Path]) -> String {
    let mut parts: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    parts.push(std::env::var("PATH").unwrap_or_default());
    parts.join(":")
}

fn krew_install(krew: &Path, root: &Path, manifest: &Path, archive: &Path) -> Output {
    Command::new("kubectl")
        .args(["krew", "install"])
        .arg(format!("--manifest={}", manifest.display()))
        .arg(format!("--archive={}", archive.display()))
        .env("KREW_ROOT", root)
        .env("KREW_NO_UPGRADE_CHECK", "1")
        .env("KREW_OS", "linux")
        .env("KREW_ARCH", "amd64")
        .env("PATH", path_with(&[krew]))
        .output()
        .expect("run kubectl krew")
}

#[test]
fn krew_installs_the_release_archive_offline_and_kubectl_runs_the_plugin() {
    let krew = krew_dir();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dist = tmp.path().join("dist");
    pack(&dist);
    let manifest = dist.join("federate.yaml");
    let archive = dist.join("kubectl-federate_linux_amd64.tar.gz");
    let root = tmp.path().join("krew-root");

    check(&krew_install(&krew, &root, &manifest, &archive), "kubectl krew install --manifest --archive");

    let store = root.join(format!("store/federate/v{}", env!("CARGO_PKG_VERSION")));
    for file in ["kubectl-federate", "kubectl_complete-federate", "LICENSE"] {
        assert!(store.join(file).is_file(), "{file} not installed in {}", store.display());
    }
    let out = Command::new("kubectl")
        .args(["federate", "version"])
        .env("PATH", path_with(&[&root.join("bin")]))
        .env("KUBECONFIG", tmp.path().join("none"))
        .output()
        .expect("run kubectl");
    check(&out, "kubectl federate version (installed by krew)");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("kubectl-federate v{}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn krew_refuses_an_archive_whose_sha256_is_not_the_manifests() {
    let krew = krew_dir();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dist = tmp.path().join("dist");
    pack(&dist);
    let manifest = std::fs::read_to_string(dist.join("federate.yaml")).expect("read manifest");
    let sha = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("sha256: \"")?.strip_suffix('"'))
        .expect("a sha256 line")
        .to_owned();
    assert!(sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{sha}");
    let tampered = dist.join("tampered.yaml");
    std::fs::write(&tampered, manifest.replace(&sha, &"0".repeat(64))).expect("write manifest");
    let out = krew_install(
        &krew,
        &tmp.path().join("krew-root"),
        &tampered,
        &dist.join("kubectl-federate_linux_amd64.tar.gz"),
    );
    assert!(!out.status.success(), "krew installed an archive whose sha256 does not match");
}

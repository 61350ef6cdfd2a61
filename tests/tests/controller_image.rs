//! The controller's OCI image archive (`make image`, scripts/image.sh): a valid OCI layout whose
//! one image runs the static binary as a non-root user with no shell, with the same digest on
//! every build of the same inputs.
//!
//! Uses the static binary `make image` built (target x86_64-unknown-linux-musl, profile
//! release-image), and runs the script three more times with it. `make test` builds the image
//! first; run alone, `make test-image` does both.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn musl_binary() -> PathBuf {
    let bin = testenv::federate::target_dir().join("x86_64-unknown-linux-musl/release-image/kubectl-federate");
    assert!(bin.exists(), "{} is missing: run `make image` (make test does)", bin.display());
    bin
}

/// Runs scripts/image.sh with `epoch`; returns (archive path, digest printed).
fn build(dir: &Path, name: &str, epoch: &str) -> (PathBuf, String) {
    let out = dir.join(name);
    let run = Command::new("bash")
        .arg(testenv::binaries::repo_root().join("scripts/image.sh"))
        .arg("--binary")
        .arg(musl_binary())
        .arg("--out")
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .expect("run scripts/image.sh");
    assert!(run.status.success(), "scripts/image.sh: {}", String::from_utf8_lossy(&run.stderr));
    (out, String::from_utf8_lossy(&run.stdout).trim().to_owned())
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().expect("sha256sum");
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().expect("sum").to_owned()
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json")
}

fn blob(layout: &Path, digest: &str) -> PathBuf {
    let hex = digest.strip_prefix("sha256:").expect("a sha256 digest");
    let p = layout.join("blobs/sha256").join(hex);
    assert_eq!(sha256(&p), hex, "blob {digest} matches its digest");
    p
}

#[test]
fn make_image_writes_a_valid_reproducible_oci_archive_of_the_static_binary_as_non_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (first, digest) = build(dir.path(), "first.tar", "1700000000");
    let (second, again) = build(dir.path(), "second.tar", "1700000000");
    assert!(digest.starts_with("sha256:"), "{digest}");
    assert_eq!(digest, again, "same inputs, same image digest");
    assert_eq!(sha256(&first), sha256(&second), "same inputs, same archive bytes");
    let (_, later) = build(dir.path(), "later.tar", "1800000000");
    assert_ne!(digest, later, "SOURCE_DATE_EPOCH is what the timestamps come from");

    // A valid OCI layout: oci-layout, index.json, every blob named by its digest.
    let layout = dir.path().join("layout");
    std::fs::create_dir(&layout).expect("mkdir");
    let untar = Command::new("tar").arg("-xf").arg(&first).arg("-C").arg(&layout).status().expect("tar");
    assert!(untar.success());
    assert_eq!(json(&layout.join("oci-layout"))["imageLayoutVersion"], "1.0.0");
    let index = json(&layout.join("index.json"));
    assert_eq!(index["mediaType"], "application/vnd.oci.image.index.v1+json");
    let entry = &index["manifests"][0];
    assert_eq!(index["manifests"].as_array().map(Vec::len), Some(1));
    assert_eq!(entry["digest"], digest.as_str());
    assert_eq!(entry["annotations"]["io.containerd.image.name"], "ghcr.io/kubectl-federate/kubectl-federate:0.1.0");
    let manifest_path = blob(&layout, &digest);
    assert_eq!(entry["size"].as_u64(), std::fs::metadata(&manifest_path).ok().map(|m| m.len()));
    let manifest = json(&manifest_path);
    assert_eq!(manifest["mediaType"], "application/vnd.oci.image.manifest.v1+json");
    let config = json(&blob(&layout, manifest["config"]["digest"].as_str().expect("config digest")));
    assert_eq!((config["os"].as_str(), config["architecture"].as_str()), (Some("linux"), Some("amd64")));
    assert_eq!(config["config"]["Entrypoint"], serde_json::json!(["/usr/local/bin/kubectl-federate"]));
    let user = config["config"]["User"].as_str().expect("a user");
    assert!(!user.is_empty() && !user.starts_with("0") && !user.starts_with("root"), "non-root: {user}");

    // One layer: the binary and its directories, nothing else (no shell).
    let layers = manifest["layers"].as_array().expect("layers");
    assert_eq!(layers.len(), 1);
    let layer = blob(&layout, layers[0]["digest"].as_str().expect("layer digest"));
    let list = Command::new("tar").arg("-tzf").arg(&layer).output().expect("tar -t");
    let files: Vec<String> = String::from_utf8_lossy(&list.stdout).lines().map(str::to_owned).collect();
    assert_eq!(files, ["usr/", "usr/local/", "usr/local/bin/", "usr/local/bin/kubectl-federate"]);

    // The entrypoint runs on its own: static, no libc needed.
    let root = dir.path().join("rootfs");
    std::fs::create_dir(&root).expect("mkdir");
    assert!(Command::new("tar").arg("-xzf").arg(&layer).arg("-C").arg(&root).status().expect("tar").success());
    let version = Command::new(root.join("usr/local/bin/kubectl-federate")).arg("--version").output().expect("run");
    assert!(version.status.success() && String::from_utf8_lossy(&version.stdout).contains("0.1.0"));
    let file = Command::new("file").arg(root.join("usr/local/bin/kubectl-federate")).output();
    if let Ok(f) = file {
        let what = String::from_utf8_lossy(&f.stdout);
        assert!(what.contains("statically linked") || what.contains("static-pie"), "{what}");
    }
    eprintln!("image {digest}, archive {} bytes", std::fs::metadata(&first).map(|m| m.len()).unwrap_or(0));
}

//! A moto server on loopback (`tests/moto/launcher.py`, which adds the EKS behaviour moto lacks)
//! and the environment that points a command at it and at nothing else: static fake credentials,
//! empty AWS config files, no profile, no instance metadata. Nothing reaches real AWS.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The fake access key every command signs with.
pub const ACCESS_KEY: &str = "AKIDFEDERATETEST";
/// The fake secret key that goes with [`ACCESS_KEY`].
pub const SECRET_KEY: &str = "fake/secret+key";
/// The region of every call.
pub const REGION: &str = "us-east-1";
/// The account moto answers STS GetCallerIdentity with.
pub const ACCOUNT: &str = "444455556666";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate sits in the workspace").to_path_buf()
}

/// A moto server started by `tests/moto/launcher.py`; killed when dropped.
#[derive(Debug)]
pub struct Moto {
    child: Child,
    /// The server's URL (`http://127.0.0.1:PORT`).
    pub url: String,
    /// Empty AWS config and credentials files, so nothing from the machine leaks in.
    pub dir: tempfile::TempDir,
}

impl Moto {
    /// Starts the launcher with the given `MOTO_EKS_CLUSTERS` (a JSON object of cluster name to
    /// `endpoint`, `caData`, `authenticationMode`; created at startup).
    ///
    /// # Panics
    /// If the launcher cannot be started or does not say it is ready.
    pub fn start(clusters: &serde_json::Value) -> Moto {
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let mut child = Command::new(python)
            .arg(repo_root().join("tests/moto/launcher.py"))
            .args(["--port", "0"])
            .env("MOTO_EKS_CLUSTERS", clusters.to_string())
            .env("MOTO_ACCOUNT_ID", ACCOUNT)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tests/moto/launcher.py (moto is in tests/python/requirements.txt)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the launcher's ready line");
        let url = line
            .trim()
            .strip_prefix("ready ")
            .unwrap_or_else(|| panic!("launcher did not start: {line:?}"))
            .to_string();
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("config"), "").expect("aws config");
        std::fs::write(dir.path().join("credentials"), "").expect("aws credentials");
        Moto { child, url, dir }
    }

    /// Points a command at the emulator and nothing else.
    pub fn env(&self, cmd: &mut Command) {
        hermetic_aws_env(cmd, self.dir.path());
        cmd.env("AWS_ENDPOINT_URL", &self.url);
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Clears every AWS (and kubeconfig) variable the machine may carry, then sets the fake
/// credentials, the region and empty config files under `dir`.
pub fn hermetic_aws_env(cmd: &mut Command, dir: &Path) {
    for var in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_EKS",
        "AWS_ENDPOINT_URL_STS",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "KUBERNETES_EXEC_INFO",
        "KUBECONFIG",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
        .env("NO_COLOR", "1");
}

//! A closed stdout is success: `kubectl federate ... | head -c 10` exits 0 with nothing on stderr,
//! in every output mode (ripgrep's rule). The reader end of the pipe is closed before the binary
//! writes, so every write fails with EPIPE.

use std::io::Read;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_kubectl-federate");

/// Runs the binary with stdout a pipe nobody reads; returns the exit code and stderr.
fn run_with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let home = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .env("HOME", home.path())
        .env("KUBECONFIG", home.path().join("no-kubeconfig"))
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kubectl-federate");
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("read stderr");
    let status = child.wait().expect("wait");
    (status.code(), stderr)
}

#[test]
fn a_closed_stdout_is_success_in_every_output_mode() {
    for args in [
        &["version"][..],
        &["version", "-o", "json"],
        &["version", "-o", "yaml"],
        &["completion", "bash"],
        &["completion", "zsh"],
        &["--help"],
    ] {
        let (code, stderr) = run_with_closed_stdout(args);
        assert_eq!(code, Some(0), "{args:?}: stderr {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

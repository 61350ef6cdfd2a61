//! Through the real kubectl (≥ 1.26): plugin discovery (`kubectl federate`) and plugin completion
//! (`kubectl __complete federate ...` → `kubectl_complete-federate` → `kubectl-federate __complete`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_kubectl-federate");

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// A PATH directory holding only this build's plugin and the checked-in completion script.
fn plugin_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(BIN, dir.path().join("kubectl-federate")).expect("link binary");
    std::os::unix::fs::symlink(
        repo_root().join("completions/kubectl_complete-federate"),
        dir.path().join("kubectl_complete-federate"),
    )
    .expect("link completion script");
    dir
}

/// Runs kubectl with `dir` first on PATH and, when given, `kubeconfig` as KUBECONFIG.
fn kubectl(dir: &Path, kubeconfig: Option<&Path>, args: &[&str]) -> Output {
    let path = format!("{}:{}", dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = Command::new("kubectl");
    cmd.args(args).env("PATH", path).env("NO_COLOR", "1");
    match kubeconfig {
        Some(kc) => cmd.env("KUBECONFIG", kc),
        None => cmd.env("KUBECONFIG", dir.join("no-kubeconfig")),
    };
    cmd.output().expect("kubectl must be installed (>= 1.26) for these tests")
}

/// The candidate words (description after a tab dropped) and the directive line.
fn candidates(out: &Output) -> (Vec<String>, String) {
    assert!(out.status.success(), "kubectl __complete failed: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut lines: Vec<&str> = stdout.lines().collect();
    let directive = lines.pop().unwrap_or_default().to_owned();
    (lines.iter().map(|l| l.split('\t').next().unwrap_or_default().to_owned()).collect(), directive)
}

#[test]
fn kubectl_finds_the_plugin() {
    let dir = plugin_dir();
    let out = kubectl(dir.path(), None, &["federate", "version"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("kubectl-federate v{}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn kubectl_completes_subcommands() {
    let dir = plugin_dir();
    let (words, directive) = candidates(&kubectl(dir.path(), None, &["__complete", "federate", ""]));
    for want in ["join", "unjoin", "mesh", "status", "eval", "svc", "completion", "version"] {
        assert!(words.iter().any(|w| w == want), "{want} not offered: {words:?}");
    }
    assert!(!words.iter().any(|w| w.starts_with("__")), "a hidden command is offered: {words:?}");
    assert_eq!(directive, ":4");
}

#[test]
fn kubectl_completes_flags_of_a_subcommand() {
    let dir = plugin_dir();
    let (words, directive) = candidates(&kubectl(dir.path(), None, &["__complete", "federate", "mesh", "--cont"]));
    assert_eq!(words, vec!["--context"]);
    assert_eq!(directive, ":4");
}

fn two_context_kubeconfig(dir: &Path) -> PathBuf {
    let path = dir.join("kubeconfig");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\n\
         users:\n- name: u\n  user: {token: x}\ncontexts:\n\
         - name: east-1\n  context: {cluster: c, user: u}\n- name: west-2\n  context: {cluster: c, user: u}\n\
         current-context: east-1\n",
    )
    .expect("write kubeconfig");
    path
}

#[test]
fn kubectl_completes_context_names_from_kubeconfig() {
    let dir = plugin_dir();
    let kc = two_context_kubeconfig(dir.path());
    let (words, directive) =
        candidates(&kubectl(dir.path(), Some(&kc), &["__complete", "federate", "status", "--context", ""]));
    assert_eq!(words, vec!["east-1", "west-2"]);
    assert_eq!(directive, ":4");
    // Positional contexts of mesh, and a prefix.
    let (words, _) = candidates(&kubectl(dir.path(), Some(&kc), &["__complete", "federate", "mesh", "east-1", "w"]));
    assert_eq!(words, vec!["west-2"]);
}

#[test]
fn kubectl_completion_reads_the_kubeconfig_flag_on_the_line() {
    let dir = plugin_dir();
    let kc = two_context_kubeconfig(dir.path());
    let kc_arg = kc.display().to_string();
    // KUBECONFIG names a file that does not exist; --kubeconfig on the line wins.
    let (words, _) = candidates(&kubectl(
        dir.path(),
        None,
        &["__complete", "federate", "join", "--kubeconfig", &kc_arg, "--context", "e"],
    ));
    assert_eq!(words, vec!["east-1"]);
}

#[test]
fn kubectl_completion_survives_a_global_flag_needing_a_value_before_the_subcommand() {
    // Without the `--` in kubectl_complete-federate clap rejects `-o ""` and kubectl shows nothing.
    let dir = plugin_dir();
    let (words, directive) = candidates(&kubectl(dir.path(), None, &["__complete", "federate", "-o", ""]));
    assert_eq!(words, vec!["table", "wide", "json", "yaml", "dot"]);
    assert_eq!(directive, ":4");
}

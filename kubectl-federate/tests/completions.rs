//! The shell completion scripts checked in under `completions/` are exactly what the binary
//! generates, and the bash one completes through a real bash.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_kubectl-federate");

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn generate(shell: &str) -> String {
    let out = Command::new(BIN).args(["completion", shell]).output().expect("run kubectl-federate");
    assert!(out.status.success(), "completion {shell} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 script")
}

fn assert_checked_in(shell: &str) {
    let path = repo_root().join(format!("completions/kubectl-federate.{shell}"));
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = generate(shell);
    assert!(
        checked_in == generated,
        "{} is not what `kubectl-federate completion {shell}` prints now (a flag, command or help text changed).\n\
         Regenerate all three with: scripts/gen-completions.sh\n\
         (or: cargo run -p kubectl-federate -- completion {shell} > completions/kubectl-federate.{shell})",
        path.display()
    );
}

#[test]
fn checked_in_bash_script_is_current() {
    assert_checked_in("bash");
}

#[test]
fn checked_in_zsh_script_is_current() {
    assert_checked_in("zsh");
}

#[test]
fn checked_in_fish_script_is_current() {
    assert_checked_in("fish");
}

/// Runs the bash script's completion function for `words` (the last one partial) in a real bash.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let script = repo_root().join("completions/kubectl-federate.bash");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'\nCOMP_WORDS=(kubectl-federate {})\nCOMP_CWORD={}\n\
         _kubectl_federate kubectl-federate '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len(),
        words.last().copied().unwrap_or(""),
        if words.len() > 1 { words[words.len() - 2] } else { "kubectl-federate" },
    );
    let out = Command::new("bash").arg("-c").arg(program).output().expect("run bash");
    assert!(out.status.success(), "bash: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

#[test]
fn bash_script_completes_subcommands_and_their_flags() {
    assert_eq!(bash_complete(&["me"]), vec!["mesh"]);
    let flags = bash_complete(&["mesh", "--par"]);
    assert_eq!(flags, vec!["--parallel"]);
    assert!(bash_complete(&["completion", ""]).contains(&"zsh".to_owned()));
    assert!(!bash_complete(&[""]).iter().any(|w| w.starts_with("__")), "a hidden command is offered");
}

//! Snapshots of what people read most: `--help` of every top-level command and the common usage
//! errors, each with stdout, stderr and the exit code, from the real binary.
//!
//! Help texts change with the commands: review and accept with `cargo insta review`, or
//! `INSTA_UPDATE=always cargo test -p kubectl-federate --test cli_snapshots`.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_kubectl-federate");

/// Runs the binary with a fixed width and no colour, outside any kubeconfig, and renders exit
/// code, stdout and stderr as one snapshot.
fn run(args: &[&str]) -> String {
    let home = tempfile::tempdir().expect("temp dir");
    let out = Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("HOME", home.path())
        .env("KUBECONFIG", home.path().join("no-kubeconfig"))
        .env_remove("RUST_LOG")
        .output()
        .expect("run kubectl-federate");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().map_or_else(|| "signal".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

macro_rules! snapshot {
    ($name:ident, $($arg:expr),+) => {
        #[test]
        fn $name() {
            let args = [$($arg),+];
            insta::with_settings!({ description => format!("kubectl-federate {}", args.join(" ")), omit_expression => true }, {
                insta::assert_snapshot!(stringify!($name), run(&args));
            });
        }
    };
}

snapshot!(help, "--help");
snapshot!(help_join, "join", "--help");
snapshot!(help_unjoin, "unjoin", "--help");
snapshot!(help_mesh, "mesh", "--help");
snapshot!(help_rotate, "rotate", "--help");
snapshot!(help_status, "status", "--help");
snapshot!(help_eval, "eval", "--help");
snapshot!(help_svc, "svc", "--help");
snapshot!(help_aws_auth, "aws-auth", "--help");
snapshot!(help_eks, "eks", "--help");
snapshot!(help_version, "version", "--help");
snapshot!(help_completion, "completion", "--help");
snapshot!(help_svc_create, "svc", "create", "--help");
snapshot!(help_svc_list, "svc", "list", "--help");
snapshot!(help_svc_show, "svc", "show", "--help");
snapshot!(help_svc_delete, "svc", "delete", "--help");
snapshot!(help_svc_sync, "svc", "sync", "--help");
snapshot!(help_aws_auth_show, "aws-auth", "show", "--help");
snapshot!(help_aws_auth_add_role, "aws-auth", "add-role", "--help");
snapshot!(help_aws_auth_add_node_role, "aws-auth", "add-node-role", "--help");
snapshot!(help_aws_auth_add_user, "aws-auth", "add-user", "--help");
snapshot!(help_aws_auth_remove, "aws-auth", "remove", "--help");
snapshot!(help_aws_auth_apply, "aws-auth", "apply", "--help");
snapshot!(help_eks_token, "eks", "token", "--help");
snapshot!(help_eks_kubeconfig, "eks", "kubeconfig", "--help");

snapshot!(error_no_command, "--context", "a");
snapshot!(error_unknown_command, "federate");
snapshot!(error_unknown_flag, "mesh", "--bogus", "a", "b");
snapshot!(error_missing_remote, "join");
snapshot!(error_bad_dry_run_value, "join", "b", "--dry-run=maybe");
snapshot!(error_bad_request_timeout, "--request-timeout", "5parsecs", "status");
snapshot!(error_bad_expiry_warning, "status", "--expiry-warning", "soon");
snapshot!(error_bad_output_format, "status", "-o", "xml");
snapshot!(error_completion_unknown_shell, "completion", "powershell");

#[test]
fn usage_errors_exit_2_and_write_nothing_to_stdout() {
    // Independent of the snapshots' wording: the contract kubectl users script against.
    for args in
        [&["mesh", "--bogus"][..], &["join"], &["join", "b", "--dry-run=maybe"], &["--request-timeout", "x", "status"]]
    {
        let text = run(args);
        assert!(text.starts_with("exit: 2\n--- stdout\n--- stderr\nerror: "), "{args:?}:\n{text}");
    }
}

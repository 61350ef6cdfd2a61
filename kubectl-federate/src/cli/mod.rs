//! The command line: every clap type, and nothing that runs a command. `commands` depends on this
//! module, never the reverse. Raw global flags become settings in `settings.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub mod aws_auth;
pub mod completion;
pub mod eks;
pub mod eval;
pub mod federation;
pub mod join;
pub mod mesh;
pub mod parse;
pub mod rotate;
pub mod status;
pub mod svc;
pub mod unjoin;

/// Federate Kubernetes clusters for Calico Enterprise.
///
/// Replaces the manual federation walkthrough: remote RBAC, token digging, hand-written
/// kubeconfigs, and one Secret and RemoteClusterConfiguration per ordered pair of clusters.
#[derive(Debug, Parser)]
#[command(name = "kubectl-federate", bin_name = "kubectl federate", version, propagate_version = true)]
#[command(
    after_help = "Examples:\n  kubectl federate mesh cluster-a cluster-b cluster-c\n  kubectl federate status --all-contexts\n  kubectl federate eval 'all()' --context cluster-a"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalFlags,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes, named as kubectl names them.
#[derive(Debug, Clone, Args)]
pub struct GlobalFlags {
    /// Path to the kubeconfig file (default: KUBECONFIG, several files merged like kubectl, else ~/.kube/config).
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// The kubeconfig context of the local cluster (default: the current context).
    #[arg(long, global = true, value_name = "NAME", add = CompletesContexts)]
    pub context: Option<String>,
    /// Output format.
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit.
    #[arg(long, global = true, value_name = "DURATION", default_value = "30s", value_parser = crate::cli::parse::parse_duration)]
    pub request_timeout: std::time::Duration,
    /// How long connecting to an API server (TCP and TLS) may take, within --request-timeout; 0 means no limit of its own.
    #[arg(long, global = true, value_name = "DURATION", default_value = "5s", value_parser = crate::cli::parse::parse_duration)]
    pub connect_timeout: std::time::Duration,
    /// More logs on stderr: -v info, -vv (or -v=2) debug, -v=3 and above trace; kubectl's -v=N, -v N and -vN work.
    #[arg(short = 'v', long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Print only data and errors.
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,
    /// Never colour output (also: the NO_COLOR environment variable).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Format of the logs on stderr: text for people, json (one object a line, with a timestamp)
    /// for log collectors.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// How logs are written on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Plain lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// How a report is rendered on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A table for people.
    Table,
    /// A table with more columns.
    Wide,
    /// JSON: the stable contract.
    Json,
    /// YAML.
    Yaml,
    /// Graphviz DOT (status only): `status -A -o dot | dot -Tsvg > federation.svg`.
    Dot,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Give the local cluster (--context) read access to each REMOTE: RBAC and a token in REMOTE,
    /// a Secret and RemoteClusterConfiguration in LOCAL.
    Join(join::JoinArgs),
    /// Remove the links to each REMOTE that join or mesh made.
    Unjoin(unjoin::UnjoinArgs),
    /// Federate every listed cluster with every other, both ways, concurrently.
    Mesh(mesh::MeshArgs),
    /// Renew the listed clusters' credentials: a new token stored in every linked cluster, verified,
    /// then the old one revoked.
    Rotate(rotate::RotateArgs),
    /// Show or edit kube-system/aws-auth (or EKS access entries) without losing entries.
    #[command(name = "aws-auth")]
    AwsAuth(aws_auth::AwsAuthArgs),
    /// EKS bearer tokens and kubeconfig contexts, without the aws CLI.
    Eks(eks::EksArgs),
    /// Workload endpoints of the local cluster and its remotes matching a Calico selector (like calicoq eval).
    Eval(eval::EvalArgs),
    /// Prove every federation link works, with the credential Calico will use; --wait polls until healthy.
    Status(status::StatusArgs),
    /// Federated services: create, list, show, delete, and sync their endpoints across clusters.
    Svc(svc::SvcArgs),
    /// Print the version of kubectl-federate.
    #[command(after_help = "Examples:\n  kubectl federate version\n  kubectl federate version -o json")]
    Version,
    /// Print a shell completion script (bash, zsh or fish) for kubectl-federate.
    Completion(completion::CompletionArgs),
    /// Cobra-format completion candidates for kubectl (run by kubectl_complete-federate).
    #[command(name = "__complete", hide = true, disable_help_flag = true)]
    Complete(completion::CompleteArgs),
}

/// The highest verbosity `-v=N` can ask for; kubectl's scale ends at 10.
const MAX_VERBOSITY: u8 = 10;

/// Rewrites kubectl's verbosity forms (`-v=6`, `-v6`, `-v 6`, `--v=6`, `--verbose=6`) into `N`
/// repetitions of `-v`, which clap counts, so `-v`, `-vv` and kubectl's habits all work. A bare
/// number right after `-v` is a level, as in kubectl. Nothing after `--` is touched.
pub fn normalize_verbosity<I, T>(args: I) -> Vec<std::ffi::OsString>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString>,
{
    let level = |s: &str| s.parse::<u8>().ok().map(|n| n.min(MAX_VERBOSITY));
    let mut out = Vec::new();
    let mut args = args.into_iter().map(Into::into).peekable();
    let repeat = |out: &mut Vec<std::ffi::OsString>, n: u8| out.extend((0..n).map(|_| "-v".into()));
    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str() else {
            out.push(arg);
            continue;
        };
        if text == "--" {
            out.push(arg);
            out.extend(args.by_ref());
            break;
        }
        let value = ["-v=", "--v=", "--verbose=", "-v"]
            .iter()
            .find_map(|prefix| text.strip_prefix(prefix).filter(|rest| !rest.is_empty()).and_then(level));
        if let Some(n) = value {
            repeat(&mut out, n);
        } else if matches!(text, "-v" | "--v" | "--verbose")
            && let Some(n) = args.peek().and_then(|next| next.to_str()).and_then(level)
        {
            args.next();
            repeat(&mut out, n);
        } else if text == "--v" {
            out.push("-v".into());
        } else {
            out.push(arg);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    /// Every command and subcommand a user can call shows examples under its help.
    #[test]
    fn every_command_has_examples() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for sub in cmd.get_subcommands().filter(|c| !c.is_hide_set() && c.get_name() != "help") {
                let path = format!("{path} {}", sub.get_name());
                let help = sub.get_after_help().map(ToString::to_string).unwrap_or_default();
                if !help.contains("Examples:") || !help.contains("kubectl federate") {
                    missing.push(path.clone());
                }
                walk(sub, &path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&<Cli as clap::CommandFactory>::command(), "kubectl federate", &mut missing);
        assert!(missing.is_empty(), "no examples in the help of: {missing:?}");
    }

    use super::*;

    fn normalized(args: &[&str]) -> Vec<String> {
        normalize_verbosity(args.iter().copied()).into_iter().map(|a| a.into_string().expect("utf-8")).collect()
    }

    #[test]
    fn kubectl_verbosity_forms_become_counted_flags() {
        let three = ["kubectl-federate", "-v", "-v", "-v", "status"];
        for form in [&["-v=3"][..], &["-v3"], &["-v", "3"], &["--v=3"], &["--v", "3"], &["--verbose=3"]] {
            let mut args = vec!["kubectl-federate"];
            args.extend_from_slice(form);
            args.push("status");
            assert_eq!(normalized(&args), three, "{form:?}");
        }
        assert_eq!(normalized(&["x", "-v=0", "status"]), ["x", "status"]);
        assert_eq!(normalized(&["x", "-v=99"]).len(), 1 + usize::from(MAX_VERBOSITY));
    }

    #[test]
    fn other_arguments_are_left_alone() {
        for args in [
            &["x", "-v", "status"][..],
            &["x", "-vv", "status"],
            &["x", "--verbose", "status"],
            &["x", "eval", "--", "-v=3"],
            &["x", "-v", "--", "3"],
            &["x", "svc", "create", "-v1x"],
        ] {
            assert_eq!(normalized(args), args, "{args:?}");
        }
    }

    #[test]
    fn the_parsed_count_is_the_level() {
        let cli = Cli::try_parse_from(normalize_verbosity(["kubectl-federate", "-v=6", "version"])).expect("parses");
        assert_eq!(cli.global.verbose, 6);
        let cli = Cli::try_parse_from(normalize_verbosity(["kubectl-federate", "version", "-v", "2"])).expect("parses");
        assert_eq!(cli.global.verbose, 2);
    }
}

/// Marks an argument whose values are kubeconfig context names (a list item, or the CONTEXT of
/// NAME=CONTEXT): `#[arg(add = CompletesContexts)]`. `__complete` reads this typed mark, never an
/// argument's name or value name, so renaming either cannot break completion. (Paths need no
/// mark: an argument parsed into a `PathBuf` completes file names.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompletesContexts;

impl clap::builder::ArgExt for CompletesContexts {}

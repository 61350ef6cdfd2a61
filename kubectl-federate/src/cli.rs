//! The command line: clap types only. Raw flags become validated settings in `settings.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
    /// Output format.
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// How long to wait for a single API request (e.g. 10s, 1m); 0 means no limit.
    #[arg(long, global = true, value_name = "DURATION", default_value = "30s", value_parser = crate::settings::parse_duration)]
    pub request_timeout: std::time::Duration,
    /// More logs on stderr (repeat for more).
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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Give the local cluster (--context) read access to each REMOTE: RBAC and a token in REMOTE,
    /// a Secret and RemoteClusterConfiguration in LOCAL.
    Join(crate::commands::join::JoinArgs),
    /// Remove the links to each REMOTE that join or mesh made.
    Unjoin(crate::commands::unjoin::UnjoinArgs),
    /// Federate every listed cluster with every other, both ways, concurrently.
    Mesh(crate::commands::mesh::MeshArgs),
    /// Show or edit kube-system/aws-auth (or EKS access entries) without losing entries.
    #[command(name = "aws-auth")]
    AwsAuth(crate::commands::aws_auth::AwsAuthArgs),
    /// EKS bearer tokens and kubeconfig contexts, without the aws CLI.
    Eks(crate::commands::eks::EksArgs),
    /// Workload endpoints of the local cluster and its remotes matching a Calico selector (like calicoq eval).
    Eval(crate::commands::eval::EvalArgs),
    /// Prove every federation link works, with the credential Calico will use; --wait polls until healthy.
    Status(crate::commands::status::StatusArgs),
    /// Federated services: create, list, show, delete, and sync their endpoints across clusters.
    Svc(crate::commands::svc::SvcArgs),
    /// Print the version of kubectl-federate.
    Version,
    /// Print a shell completion script (bash, zsh or fish) for kubectl-federate.
    Completion(crate::commands::completion::CompletionArgs),
    /// Cobra-format completion candidates for kubectl (run by kubectl_complete-federate).
    #[command(name = "__complete", hide = true, disable_help_flag = true)]
    Complete(crate::commands::completion::CompleteArgs),
}

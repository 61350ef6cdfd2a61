//! The command line of `federation`: its clap types.

use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::cli::parse::{parse_duration, parse_namespace};

/// How the remote credential is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenArg {
    /// A service-account-token Secret (no expiry; revoked by deleting the Secret).
    Secret,
    /// A TokenRequest token valid for --token-ttl.
    Request,
}

/// `--dry-run` values, as kubectl has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DryRun {
    /// Print the plan; send nothing.
    Client,
    /// Send every write with dryRun=All.
    Server,
    /// Really write (same as omitting the flag).
    None,
}

/// `--overlay-routing` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OverlayArg {
    Enabled,
    Disabled,
}

#[derive(Debug, Clone, Args)]
pub struct FederationFlags {
    /// How the remote credential is made [default: what the remote records; secret for a new link].
    /// Changing the recorded mode needs this flag, and the report says so.
    #[arg(long, value_enum)]
    pub token: Option<TokenArg>,
    /// Lifetime of a --token request token [default: what the remote records, else 8760h].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub token_ttl: Option<Duration>,
    /// How long to wait for the token controller to fill the token Secret.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub token_wait: Duration,
    /// API server URL to put in the kubeconfig minted for cluster NAME (repeatable).
    #[arg(long = "server", value_name = "NAME=URL", value_delimiter = ',')]
    pub servers: Vec<String>,
    /// Namespace of the remote ServiceAccount and token (kube-system for Calico Enterprise <= 3.20).
    #[arg(long, value_name = "NS", default_value = libfed::names::DEFAULT_REMOTE_NAMESPACE, value_parser = parse_namespace)]
    pub remote_namespace: String,
    /// Namespace of the local Secret, Role and RoleBinding.
    #[arg(long, value_name = "NS", default_value = libfed::names::DEFAULT_SECRET_NAMESPACE, value_parser = parse_namespace)]
    pub secret_namespace: String,
    /// Set the RCC's spec.syncOptions.overlayRoutingMode.
    #[arg(long, value_enum)]
    pub overlay_routing: Option<OverlayArg>,
    /// Print the plan (client) or send writes with dryRun=All (server); nothing is changed.
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "client", require_equals = true)]
    pub dry_run: Option<DryRun>,
    /// Show tokens and kubeconfigs in --dry-run -o yaml|json output.
    #[arg(long)]
    pub show_secrets: bool,
    /// Take the server URL and CA of minted kubeconfigs from EKS DescribeCluster (the EKS cluster
    /// name and region come from the context's ARN, else the cluster NAME and the AWS config).
    #[arg(long)]
    pub eks: bool,
    /// The AWS profile and role for --eks.
    #[command(flatten)]
    pub aws: crate::cli::eks::AwsFlags,
    /// How many links do their own work at once (a link waiting for a cluster takes no slot).
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub parallel: usize,
    /// Every cluster runs on this machine (e.g. the test environment): a loopback server URL in a
    /// minted kubeconfig is no warning.
    #[arg(long)]
    pub allow_loopback: bool,
    /// DANGEROUS: accept plain http:// server URLs, so that Calico sends the stored token
    /// unencrypted. Only for a test cluster on a private network.
    #[arg(long)]
    pub insecure_allow_http_server: bool,
}

//! Flags shared by `join` and `mesh`, turned into libfed options once.

use std::time::Duration;

use clap::{Args, ValueEnum};
use libfed::calico::rcc::OverlayRoutingMode;
use libfed::credential::{TokenChoice, TokenModeKind};
use libfed::federate::FederateOptions;
use libfed::link::LinkOptions;
use libfed::plan::Execution;
use libfed::remote::RemoteOptions;

use crate::report_error::Hinted;
use crate::settings::{parse_duration, parse_namespace};

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

/// The execution mode a `--dry-run` value asks for (shared by every command that takes the flag).
pub fn execution(dry_run: Option<DryRun>) -> Execution {
    match dry_run {
        Some(DryRun::Client) => Execution::DryRunClient,
        Some(DryRun::Server) => Execution::DryRunServer,
        Some(DryRun::None) | None => Execution::Apply,
    }
}

/// `client` or `server` for a dry run, as reports name it.
pub fn dry_run_name(execution: Execution) -> Option<&'static str> {
    match execution {
        Execution::DryRunClient => Some("client"),
        Execution::DryRunServer => Some("server"),
        Execution::Apply => None,
    }
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
    pub aws: super::eks::AwsFlags,
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

impl FederationFlags {
    /// The execution mode.
    pub fn execution(&self) -> Execution {
        execution(self.dry_run)
    }

    /// `client` or `server` for a dry run, for the report.
    pub fn dry_run_name(&self) -> Option<&'static str> {
        dry_run_name(self.execution())
    }

    /// `--server NAME=URL` pairs, each URL validated (https with a host, unless
    /// `--insecure-allow-http-server` allows http).
    pub fn server_overrides(&self) -> anyhow::Result<Vec<(String, String)>> {
        self.servers
            .iter()
            .map(|s| {
                let (name, url) = s.split_once('=').ok_or_else(|| {
                    Hinted::usage(
                        format!("--server {s:?} is not NAME=URL"),
                        "write --server cluster-b=https://10.0.0.2:6443",
                    )
                })?;
                self.check_server(url, &format!("--server {name}=…"))?;
                Ok((name.to_string(), url.to_string()))
            })
            .collect()
    }

    /// Validates a server URL a kubeconfig is minted with; `source` says where it came from.
    pub fn check_server(&self, url: &str, source: &str) -> anyhow::Result<()> {
        crate::clusters::check_server_url(url, self.insecure_allow_http_server, source)
    }
    /// libfed options.
    pub fn options(&self) -> FederateOptions {
        let token = TokenChoice {
            mode: self.token.map(|t| match t {
                TokenArg::Secret => TokenModeKind::Secret,
                TokenArg::Request => TokenModeKind::Request,
            }),
            ttl: self.token_ttl,
        };
        FederateOptions {
            remote: RemoteOptions {
                namespace: self.remote_namespace.clone(),
                token,
                token_wait: self.token_wait,
                server: None,
                ca_pem: None,
                allow_loopback: self.allow_loopback,
            },
            link: LinkOptions {
                secret_namespace: self.secret_namespace.clone(),
                overlay_routing: self.overlay_routing.map(|o| match o {
                    OverlayArg::Enabled => OverlayRoutingMode::Enabled,
                    OverlayArg::Disabled => OverlayRoutingMode::Disabled,
                }),
            },
            execution: self.execution(),
            parallel: self.parallel,
            progress: libfed::progress::Progress::default(),
        }
    }
}

//! Flags shared by `join` and `mesh`, turned into libfed options once.

use libfed::calico::rcc::OverlayRoutingMode;
use libfed::credential::{TokenChoice, TokenModeKind};
use libfed::federate::FederateOptions;
use libfed::link::LinkOptions;
use libfed::plan::Execution;
use libfed::remote::RemoteOptions;

use crate::cli::federation::{DryRun, FederationFlags, OverlayArg, TokenArg};
use crate::report_error::Hinted;

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

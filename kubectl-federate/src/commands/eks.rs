//! `kubectl federate eks token` and `kubectl federate eks kubeconfig`: `aws eks get-token` and
//! `aws eks update-kubeconfig` without the aws CLI.

use std::io::Write;
use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::Context as _;
use aws_credential_types::provider::ProvideCredentials as _;
use libfed::aws::eks_kubeconfig::{EksKubeconfigEntry, kubeconfig_chain, update_kubeconfig};
use serde::Serialize;

use crate::cli::GlobalFlags;
use crate::cli::eks::{AwsFlags, EksArgs, EksCommand, KubeconfigArgs, TokenArgs};
use crate::report_error::Hinted;
use crate::{exit, output};

impl AwsFlags {
    /// The same flags for a command this one writes into a kubeconfig (`eks token`).
    pub fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(p) = &self.profile {
            args.extend(["--profile".to_owned(), p.clone()]);
        }
        if let Some(r) = &self.role_arn {
            args.extend(["--role-arn".to_owned(), r.clone()]);
        }
        args
    }
}

/// Loads the AWS configuration the way the aws CLI does (environment, profile, SSO, IMDS …), with
/// `--profile` chosen and `--role-arn` assumed.
pub async fn load_aws_config(region: Option<&str>, aws: &AwsFlags) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(region) = region {
        loader = loader.region(aws_config::Region::new(region.to_string()));
    }
    if let Some(profile) = &aws.profile {
        // As with `aws --profile`, the named profile's credentials win over the environment's.
        let credentials = aws_config::profile::ProfileFileCredentialsProvider::builder().profile_name(profile).build();
        loader = loader.profile_name(profile).credentials_provider(credentials);
    }
    let base = loader.load().await;
    let Some(role) = &aws.role_arn else { return base };
    let assumed = aws_config::sts::AssumeRoleProvider::builder(role)
        .session_name("kubectl-federate")
        .configure(&base)
        .build()
        .await;
    base.into_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(assumed))
        .build()
}

/// The region of a loaded AWS configuration, or a usage error saying how to set one.
pub fn require_region(config: &aws_config::SdkConfig) -> anyhow::Result<String> {
    config.region().map(|r| r.to_string()).ok_or_else(|| {
        Hinted::usage("no AWS region is configured", "pass --region, or set AWS_REGION (or region in ~/.aws/config)")
    })
}

/// An error carrying a hint, with `err`'s causes kept as `Caused by:` lines of its message.
///
/// `report_error` looks for a [`Hinted`] among the chain's elements, and an anyhow `context` is
/// not one of them, so the hint is the error and the causes it would have wrapped are written
/// out (repeated messages, as the AWS SDK's nesting produces, once).
pub fn with_hint(err: impl Into<anyhow::Error>, hinted: Hinted) -> anyhow::Error {
    let err: anyhow::Error = err.into();
    let mut message = hinted.message;
    let mut last = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        // The SDK wraps its errors in layers that say nothing ("service error").
        if text == last || text == "service error" {
            continue;
        }
        message.push_str("\n  Caused by: ");
        message.push_str(&text);
        last = text;
    }
    anyhow::Error::new(Hinted { message, ..hinted })
}

/// A hint for a failed EKS call.
pub fn eks_hint(cluster: &str) -> String {
    format!(
        "check the cluster name and region (`aws eks list-clusters --region REGION`) and that the AWS credentials may call eks:DescribeCluster on {cluster}"
    )
}

/// Runs `eks token` or `eks kubeconfig`.
pub async fn run(args: EksArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<u8> {
    match args.command {
        EksCommand::Token(a) => token(a, out).await,
        EksCommand::Kubeconfig(a) => kubeconfig(a, global, out).await,
    }
}

async fn token(args: TokenArgs, out: &mut impl Write) -> anyhow::Result<u8> {
    let config = load_aws_config(args.region.as_deref(), &args.aws).await;
    let region = require_region(&config)?;
    let provider = config.credentials_provider().ok_or_else(|| {
        Hinted::failed(
            "no AWS credentials provider is configured",
            "set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
        )
    })?;
    let credentials = provider.provide_credentials().await.map_err(|e| {
        with_hint(
            e,
            Hinted {
                message: "cannot load AWS credentials".into(),
                hint: "`aws sts get-caller-identity` shows what the AWS configuration resolves to".into(),
                code: exit::FAILED,
            },
        )
    })?;
    let token = libfed::aws::presign_token(&credentials, &region, &args.cluster, SystemTime::now())?;
    let exec_info = std::env::var("KUBERNETES_EXEC_INFO").ok();
    let credential = libfed::aws::exec_credential(&token, exec_info.as_deref());
    // The token is this command's data: it goes to stdout (kubectl reads it) and nowhere else.
    serde_json::to_writer(&mut *out, &credential)?;
    writeln!(out)?;
    Ok(exit::OK)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct KubeconfigReport {
    context: String,
    cluster: String,
    user: String,
    server: String,
    /// `added`, `updated` or `unchanged`.
    action: &'static str,
    context_file: PathBuf,
    files_written: Vec<PathBuf>,
}

async fn kubeconfig(args: KubeconfigArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<u8> {
    let config = load_aws_config(args.region.as_deref(), &args.aws).await;
    let region = require_region(&config)?;
    let cluster = libfed::aws::describe_cluster(&config, &args.cluster).await.map_err(|e| {
        with_hint(
            e,
            Hinted {
                message: format!("cannot describe EKS cluster {} in {region}", args.cluster),
                hint: eks_hint(&args.cluster),
                code: exit::FAILED,
            },
        )
    })?;
    let mut entry = EksKubeconfigEntry::new(
        &args.cluster,
        cluster.arn.as_deref(),
        &cluster.endpoint,
        &cluster.ca_data,
        args.alias.as_deref(),
        Some(&region),
    );
    entry.exec_args.extend(args.aws.args());
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let env = std::env::var("KUBECONFIG").ok();
    let chain = kubeconfig_chain(global.kubeconfig.as_deref(), env.as_deref(), home.as_deref())?;
    let merge =
        update_kubeconfig(&chain, global.kubeconfig.is_some(), &entry).context("cannot write the kubeconfig")?;
    for (path, mode) in &merge.tightened {
        eprintln!(
            "warning: {} was mode {mode:04o} (others could read its credentials); it is now 0600",
            path.display()
        );
    }
    let existed = merge.context_existed;
    let action = match (existed, merge.writes.is_empty()) {
        (_, true) => "unchanged",
        (true, false) => "updated",
        (false, false) => "added",
    };
    let report = KubeconfigReport {
        context: entry.context_name.clone(),
        cluster: entry.entry_name.clone(),
        user: entry.entry_name.clone(),
        server: entry.server.clone(),
        action,
        context_file: merge.context_file.clone(),
        files_written: merge.writes.iter().map(|w| w.path.clone()).collect(),
    };
    if !output::write_document(out, global.output, "EksKubeconfigReport", &report)? {
        let verb = match action {
            "added" => "Added new context",
            "updated" => "Updated context",
            _ => "Context unchanged:",
        };
        let prep = if action == "added" { "to" } else { "in" };
        writeln!(out, "{verb} {} {prep} {}", report.context, report.context_file.display())?;
    }
    Ok(exit::OK)
}

//! `kubectl federate eks token` and `kubectl federate eks kubeconfig`: `aws eks get-token` and
//! `aws eks update-kubeconfig` without the aws CLI.

use std::io::Write;
use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::Context as _;
use aws_credential_types::provider::ProvideCredentials as _;
use libfed::aws::eks_kubeconfig::{EksKubeconfigEntry, kubeconfig_chain, update_kubeconfig};
use serde::Serialize;

use crate::aws_setup::{eks_hint, load_aws_config, require_region, with_hint};
use crate::cli::GlobalFlags;
use crate::cli::eks::{EksArgs, EksCommand, KubeconfigArgs, TokenArgs};
use crate::exit::ExitStatus;
use crate::output;
use crate::report_error::Hinted;

/// Runs `eks token` or `eks kubeconfig`.
pub async fn run(args: EksArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    match args.command {
        EksCommand::Token(a) => token(a, out).await,
        EksCommand::Kubeconfig(a) => kubeconfig(a, global, out).await,
    }
}

async fn token(args: TokenArgs, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
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
                code: ExitStatus::Failed,
            },
        )
    })?;
    let token = libfed::aws::presign_token(&credentials, &region, &args.cluster, SystemTime::now())?;
    let exec_info = std::env::var("KUBERNETES_EXEC_INFO").ok();
    let credential = libfed::aws::exec_credential(&token, exec_info.as_deref());
    // The token is this command's data: it goes to stdout (kubectl reads it) and nowhere else.
    serde_json::to_writer(&mut *out, &credential)?;
    writeln!(out)?;
    Ok(ExitStatus::Ok)
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

async fn kubeconfig(args: KubeconfigArgs, global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let config = load_aws_config(args.region.as_deref(), &args.aws).await;
    let region = require_region(&config)?;
    let cluster = libfed::aws::describe_cluster(&config, &args.cluster).await.map_err(|e| {
        with_hint(
            e,
            Hinted {
                message: format!("cannot describe EKS cluster {} in {region}", args.cluster),
                hint: eks_hint(&args.cluster),
                code: ExitStatus::Failed,
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
    Ok(ExitStatus::Ok)
}

//! AWS for the commands that call it: the SDK configuration from `--region`, `--profile` and
//! `--role-arn`, and errors from AWS turned into messages with hints.

use libfed::aws::sdk_config::{AwsIdentity, sdk_config};

use crate::cli::eks::AwsFlags;
use crate::report_error::Hinted;

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
/// `--profile` chosen and `--role-arn` assumed (libfed's [`sdk_config`]).
pub async fn load_aws_config(region: Option<&str>, aws: &AwsFlags) -> aws_config::SdkConfig {
    let identity =
        AwsIdentity { region: region.map(str::to_owned), profile: aws.profile.clone(), role_arn: aws.role_arn.clone() };
    sdk_config(&identity).await
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

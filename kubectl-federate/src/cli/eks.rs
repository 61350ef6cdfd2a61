//! The command line of `eks`: its clap types.

use clap::{Args, Subcommand};

/// EKS helpers: bearer tokens and kubeconfig entries.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate eks kubeconfig --cluster prod --region us-west-2   # add a context\n  \
    kubectl federate eks token --cluster prod                           # what that context's user runs")]
pub struct EksArgs {
    #[command(subcommand)]
    pub command: EksCommand,
}

/// The `eks` subcommands.
#[derive(Debug, Subcommand)]
pub enum EksCommand {
    /// Print an ExecCredential with an EKS bearer token (what a kubeconfig exec user runs).
    Token(TokenArgs),
    /// Add or update a kubeconfig context for an EKS cluster whose user runs `eks token`.
    Kubeconfig(KubeconfigArgs),
}

/// Flags of `eks token`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate eks token --cluster prod --region us-west-2\n\n\
    Usually run by kubectl itself, as the exec user `eks kubeconfig` writes.")]
pub struct TokenArgs {
    /// The EKS cluster name (signed into the token as x-k8s-aws-id).
    #[arg(long, value_name = "NAME")]
    pub cluster: String,
    /// The AWS region whose STS endpoint the token is signed for (default: the AWS config's).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    #[command(flatten)]
    pub aws: AwsFlags,
}

/// Flags of `eks kubeconfig`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate eks kubeconfig --cluster prod --region us-west-2\n  \
    kubectl federate eks kubeconfig --cluster prod --alias prod --kubeconfig ~/.kube/eks")]
pub struct KubeconfigArgs {
    /// The EKS cluster name.
    #[arg(long, value_name = "NAME")]
    pub cluster: String,
    /// The context name (default: the cluster ARN, as `aws eks update-kubeconfig` names it).
    #[arg(long, value_name = "NAME")]
    pub alias: Option<String>,
    /// The AWS region of the cluster (default: the AWS config's); written into the token command.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// --profile and --role-arn are written into the token command too.
    #[command(flatten)]
    pub aws: AwsFlags,
}

/// `--profile` and `--role-arn`, as the aws CLI and eksctl have them, on every command that calls
/// AWS.
#[derive(Debug, Clone, Default, Args)]
pub struct AwsFlags {
    /// The AWS profile (as `aws --profile`; default: AWS_PROFILE, else `default`).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Assume this IAM role (STS AssumeRole) with the profile's credentials, and call AWS as it.
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<String>,
}

//! The command line of `aws_auth`: its clap types.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::cli::federation::DryRun;

/// Show or edit the aws-auth ConfigMap (or EKS access entries).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    kubectl federate aws-auth show --context prod\n  \
    kubectl federate aws-auth add-node-role arn:aws:iam::111122223333:role/nodes\n  \
    kubectl federate aws-auth add-role arn:aws:iam::111122223333:role/admin --username admin --group system:masters\n  \
    kubectl federate aws-auth remove arn:aws:iam::111122223333:role/old --dry-run\n  \
    kubectl federate aws-auth apply -f manifests/aws-auth-cm.yaml     # ACCOUNTID filled in from STS")]
pub struct AwsAuthArgs {
    #[command(subcommand)]
    pub command: AwsAuthCommand,
}

/// The `aws-auth` subcommands.
#[derive(Debug, Subcommand)]
pub enum AwsAuthCommand {
    /// Print the role, user and account mappings.
    #[command(after_help = "Examples:\n  \
        kubectl federate aws-auth show --context prod\n  \
        kubectl federate aws-auth show -o json")]
    Show,
    /// Map an IAM role to a Kubernetes username and groups.
    #[command(after_help = "Examples:\n  \
        kubectl federate aws-auth add-role arn:aws:iam::111122223333:role/admin --username admin --group system:masters\n  \
        kubectl federate aws-auth add-role arn:aws:iam::111122223333:role/ci --username ci --group ci --dry-run")]
    AddRole {
        /// The role ARN, without an IAM path (arn:aws:iam::ACCOUNT:role/NAME).
        arn: String,
        #[command(flatten)]
        mapping: MappingFlags,
        #[command(flatten)]
        write: WriteFlags,
    },
    /// Map a node group's instance role (username system:node:{{EC2PrivateDNSName}}, groups
    /// system:bootstrappers, system:nodes).
    #[command(after_help = "Examples:\n  \
        kubectl federate aws-auth add-node-role arn:aws:iam::111122223333:role/nodes")]
    AddNodeRole {
        /// The instance role ARN (not the instance profile).
        arn: String,
        #[command(flatten)]
        mapping: MappingFlags,
        #[command(flatten)]
        write: WriteFlags,
    },
    /// Map an IAM user to a Kubernetes username (default: the IAM user name) and groups.
    #[command(after_help = "Examples:\n  \
        kubectl federate aws-auth add-user arn:aws:iam::111122223333:user/alice --group system:masters")]
    AddUser {
        /// The user ARN.
        arn: String,
        #[command(flatten)]
        mapping: MappingFlags,
        #[command(flatten)]
        write: WriteFlags,
    },
    /// Remove every mapping of a role ARN, user ARN or account ID (absent: no change).
    #[command(after_help = "Examples:\n  \
        kubectl federate aws-auth remove arn:aws:iam::111122223333:role/old --dry-run\n  \
        kubectl federate aws-auth remove arn:aws:iam::111122223333:role/nodes --force   # even the nodes' mapping")]
    Remove {
        /// The role ARN, user ARN or 12-digit account ID.
        arn: String,
        #[command(flatten)]
        write: WriteFlags,
    },
    /// Merge an aws-auth manifest (such as manifests/aws-auth-cm.yaml) into the ConfigMap,
    /// filling in ACCOUNTID from STS GetCallerIdentity.
    #[command(after_help = "Examples:\n  \
        kubectl federate aws-auth apply -f manifests/aws-auth-cm.yaml\n  \
        cat aws-auth.yaml | kubectl federate aws-auth apply -f - --replace")]
    Apply {
        /// The manifest (`-` for stdin).
        #[arg(short = 'f', long = "filename", value_name = "FILE")]
        file: PathBuf,
        /// Overwrite existing mappings of the same ARNs that differ.
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        write: WriteFlags,
    },
}

/// What an identity maps to.
#[derive(Debug, Clone, Args)]
pub struct MappingFlags {
    /// The Kubernetes username (templates such as {{SessionName}} allowed).
    #[arg(long, value_name = "NAME")]
    pub username: Option<String>,
    /// A Kubernetes group (repeat, or separate with commas).
    #[arg(long = "group", value_name = "GROUP", value_delimiter = ',')]
    pub groups: Vec<String>,
    /// Overwrite an existing, different mapping of the same ARN.
    #[arg(long)]
    pub replace: bool,
}

/// How an edit is carried out.
#[derive(Debug, Clone, Args)]
pub struct WriteFlags {
    /// Print what would change (a diff of the ConfigMap, or the EKS calls) and write nothing
    /// (client), or also send the ConfigMap write with dryRun=All (server; the EKS calls are
    /// never sent in a dry run).
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "client", require_equals = true)]
    pub dry_run: Option<DryRun>,
    /// Make an edit that would lock nodes (system:nodes, system:bootstrappers) or the last
    /// system:masters mapping out of the cluster.
    #[arg(long)]
    pub force: bool,
    /// Use EKS access entries (CreateAccessEntry, AssociateAccessPolicy) instead of aws-auth.
    #[arg(long)]
    pub access_entries: bool,
    /// The EKS cluster name for --access-entries (default: read from the context's
    /// `aws eks get-token` / `kubectl-federate eks token` exec arguments).
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,
    /// The AWS region (default: the context's exec arguments, else the AWS config's).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// An EKS access policy to associate with --access-entries, cluster-wide (name or ARN,
    /// repeatable), e.g. AmazonEKSViewPolicy.
    #[arg(long = "access-policy", value_name = "POLICY", value_delimiter = ',')]
    pub access_policies: Vec<String>,
    #[command(flatten)]
    pub aws: crate::cli::eks::AwsFlags,
}

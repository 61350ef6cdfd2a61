//! AWS and EKS: aws-auth edits, EKS access entries, EKS bearer tokens and kubeconfigs.
//!
//! What needs the AWS SDK (DescribeCluster, access entries, STS, signing tokens) is compiled only
//! with the `aws` feature. The aws-auth ConfigMap edits and the kubeconfig merge need only
//! Kubernetes and are always compiled, so an embedder without AWS credentials can still manage
//! aws-auth.

#[cfg(feature = "aws")]
pub mod access_entry_edits;
pub mod aws_auth;
mod aws_auth_arn;
pub mod aws_auth_configmap;
pub mod aws_auth_guard;
mod aws_auth_manifest;
mod aws_auth_seq;
pub mod eks_kubeconfig;

#[cfg(feature = "aws")]
pub mod eks;
#[cfg(feature = "aws")]
mod eks_access_entry;
#[cfg(feature = "aws")]
mod eks_access_entry_calls;
#[cfg(feature = "aws")]
pub mod eks_endpoint;
#[cfg(feature = "aws")]
pub mod eks_token;
#[cfg(feature = "aws")]
pub mod sdk_config;
#[cfg(feature = "aws")]
pub mod sts;

pub use aws_auth::{AwsAuth, AwsAuthError, Change, ChangeAction, Edit, MapRole, MapUser};
pub use aws_auth_configmap::{AwsAuthUpdate, read_aws_auth, update_aws_auth};
pub use aws_auth_guard::{AccessLoss, access_losses};
#[cfg(feature = "aws")]
pub use eks::{AuthenticationMode, EksCluster, describe_cluster};
#[cfg(feature = "aws")]
pub use eks_token::{EksToken, exec_credential, presign_token};

//! Where a federation member's API server is, according to EKS: the server URL and CA that go
//! into the kubeconfig minted for it (`join --eks`, `mesh --eks`).

use aws_config::SdkConfig;
use base64::Engine;

use super::eks::describe_cluster;
use crate::{Error, Result};

/// The EKS cluster name and region a kubeconfig context stands for: both from a context named by
/// its ARN (`arn:aws:eks:REGION:ACCOUNT:cluster/NAME`, as `aws eks update-kubeconfig` names
/// them), else `name` and the configured region (pure).
pub fn eks_target(context: &str, name: &str) -> (String, Option<String>) {
    let parts: Vec<&str> = context.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "eks", region, _, rest] if rest.starts_with("cluster/") && !region.is_empty() => {
            (rest.trim_start_matches("cluster/").to_string(), Some((*region).to_string()))
        }
        _ => (name.to_string(), None),
    }
}

/// The API server URL and CA (PEM) of EKS cluster `name` (DescribeCluster).
///
/// # Errors
/// [`Error::Aws`] when DescribeCluster fails (no such cluster, no credentials); [`Error::Data`]
/// when its CA is not base64.
pub async fn eks_endpoint(config: &SdkConfig, name: &str) -> Result<(String, Vec<u8>)> {
    let cluster = describe_cluster(config, name).await?;
    let pem = base64::engine::general_purpose::STANDARD.decode(cluster.ca_data.trim()).map_err(|_| Error::Data {
        location: "aws".into(),
        object: format!("eks cluster {name}"),
        problem: "its certificateAuthority data is not base64".into(),
    })?;
    Ok((cluster.endpoint, pem))
}

#[cfg(test)]
mod tests {
    use super::eks_target;

    #[test]
    fn eks_cluster_and_region_come_from_a_context_arn() {
        assert_eq!(
            eks_target("arn:aws:eks:us-west-2:111122223333:cluster/prod", "prod"),
            ("prod".to_string(), Some("us-west-2".to_string()))
        );
        assert_eq!(eks_target("cluster-b", "east"), ("east".to_string(), None));
        assert_eq!(eks_target("arn:aws:iam::111122223333:role/x", "x"), ("x".to_string(), None));
    }
}

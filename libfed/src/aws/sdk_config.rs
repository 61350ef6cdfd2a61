//! The AWS SDK configuration every AWS-using operation starts from, chosen as the aws CLI
//! chooses it: the default chain (environment, config and credentials files, instance or
//! container roles), a named profile, and optionally a role assumed on top.

use aws_config::SdkConfig;

/// Which AWS identity to act as.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsIdentity {
    /// The region; `None`: the AWS config's.
    pub region: Option<String>,
    /// A named profile (`aws --profile`): its credentials win over the environment's.
    pub profile: Option<String>,
    /// A role to assume with STS (`AssumeRole`, session `kubectl-federate`) after the
    /// credentials above are found.
    pub role_arn: Option<String>,
}

/// Loads the SDK configuration for `identity`. Nothing is called until a client uses it (the
/// role is assumed lazily, on the first call).
pub async fn sdk_config(identity: &AwsIdentity) -> SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(region) = &identity.region {
        loader = loader.region(aws_config::Region::new(region.clone()));
    }
    if let Some(profile) = &identity.profile {
        let credentials = aws_config::profile::ProfileFileCredentialsProvider::builder().profile_name(profile).build();
        loader = loader.profile_name(profile).credentials_provider(credentials);
    }
    let base = loader.load().await;
    let Some(role) = &identity.role_arn else { return base };
    let assumed = aws_config::sts::AssumeRoleProvider::builder(role)
        .session_name("kubectl-federate")
        .configure(&base)
        .build()
        .await;
    base.into_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(assumed))
        .build()
}

//! STS: who the configured AWS credentials belong to.

use aws_config::SdkConfig;

use crate::{Error, Result};

/// The caller as STS GetCallerIdentity reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    /// The 12-digit account ID.
    pub account: String,
    /// The caller's ARN (a user, or an assumed-role session).
    pub arn: String,
}

/// Calls STS GetCallerIdentity.
///
/// # Errors
/// [`Error::Aws`] when the call fails (no credentials, expired credentials, no network …);
/// [`Error::Data`] when the answer has no account.
pub async fn caller_identity(config: &SdkConfig) -> Result<CallerIdentity> {
    let sts = aws_sdk_sts::Client::new(config);
    let out = sts.get_caller_identity().send().await.map_err(|e| Error::Aws {
        action: "sts GetCallerIdentity",
        resource: String::new(),
        source: Box::new(e),
    })?;
    let account = out.account().filter(|a| !a.is_empty()).ok_or_else(|| Error::Data {
        location: "aws".into(),
        object: "sts GetCallerIdentity".into(),
        problem: "the answer names no account".into(),
    })?;
    Ok(CallerIdentity { account: account.to_string(), arn: out.arn().unwrap_or_default().to_string() })
}

//! IAM ARNs and account IDs as aws-auth can match them: the validators of what an edit maps.

use super::aws_auth::AwsAuthError;

/// Splits `arn:PARTITION:iam::ACCOUNT:TYPE/REST`, returning (account, type, rest).
pub(crate) fn split_iam_arn(arn: &str) -> Option<(&str, &str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if partition.is_empty() {
        return None;
    }
    let (kind, rest) = resource.split_once('/')?;
    Some((account, kind, rest))
}

pub(crate) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn invalid(kind: &'static str, value: &str, reason: impl Into<String>) -> AwsAuthError {
    AwsAuthError::Invalid { kind, value: value.to_string(), reason: reason.into() }
}

/// Checks that a role ARN can be matched by the authenticator.
///
/// # Errors
/// [`AwsAuthError::Invalid`] when it is not `arn:PARTITION:iam::ACCOUNT:role/NAME`, in particular
/// when it has an IAM path (aws-auth cannot match those) or is an STS session ARN; the reason
/// names the ARN to use instead.
pub fn validate_role_arn(arn: &str) -> Result<(), AwsAuthError> {
    const KIND: &str = "role ARN";
    if let Some(rest) = arn.split_once(":sts::").map(|(_, r)| r)
        && let Some((account, session)) = rest.split_once(":assumed-role/")
    {
        let role = session.split('/').next().unwrap_or_default();
        let partition = arn.split(':').nth(1).unwrap_or("aws");
        return Err(invalid(
            KIND,
            arn,
            format!(
                "an STS session ARN never matches; map the role itself: arn:{partition}:iam::{account}:role/{role}"
            ),
        ));
    }
    let Some((account, kind, name)) = split_iam_arn(arn) else {
        return Err(invalid(KIND, arn, "expected arn:aws:iam::ACCOUNT:role/NAME"));
    };
    if kind != "role" {
        return Err(invalid(KIND, arn, format!("this is a {kind} ARN, not a role ARN")));
    }
    if !is_account_id(account) {
        return Err(invalid(KIND, arn, format!("the account {account:?} is not a 12-digit account ID")));
    }
    if name.is_empty() {
        return Err(invalid(KIND, arn, "the role name is empty"));
    }
    if let Some((_, last)) = name.rsplit_once('/') {
        let without = arn.replacen(name, last, 1);
        return Err(invalid(KIND, arn, format!("aws-auth role ARNs cannot include an IAM path; use {without}")));
    }
    Ok(())
}

/// Checks the shape of a user ARN (user paths are allowed: STS reports them).
///
/// # Errors
/// [`AwsAuthError::Invalid`] when it is not `arn:PARTITION:iam::ACCOUNT:user/[PATH/]NAME`.
pub fn validate_user_arn(arn: &str) -> Result<(), AwsAuthError> {
    const KIND: &str = "user ARN";
    let Some((account, kind, name)) = split_iam_arn(arn) else {
        return Err(invalid(KIND, arn, "expected arn:aws:iam::ACCOUNT:user/NAME"));
    };
    if kind != "user" {
        return Err(invalid(KIND, arn, format!("this is a {kind} ARN, not a user ARN")));
    }
    if !is_account_id(account) {
        return Err(invalid(KIND, arn, format!("the account {account:?} is not a 12-digit account ID")));
    }
    if name.is_empty() || name.ends_with('/') {
        return Err(invalid(KIND, arn, "the user name is empty"));
    }
    Ok(())
}

/// Checks an account ID for `mapAccounts`.
///
/// # Errors
/// [`AwsAuthError::Invalid`] unless it is 12 digits.
pub fn validate_account(id: &str) -> Result<(), AwsAuthError> {
    if is_account_id(id) { Ok(()) } else { Err(invalid("account ID", id, "expected 12 digits")) }
}

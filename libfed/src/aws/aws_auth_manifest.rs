//! aws-auth manifests (`aws-auth apply -f`) as edits, and the diff a dry run prints.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::aws_auth::{AwsAuth, AwsAuthError, Edit};
use super::aws_auth_arn::validate_account;

/// The placeholder for the AWS account ID in aws-auth templates such as `manifests/aws-auth-cm.yaml`.
pub const ACCOUNT_PLACEHOLDER: &str = "ACCOUNTID";

/// Reads an aws-auth ConfigMap manifest into the edits that merge it: every role, user and
/// account it maps becomes an add, with `ACCOUNTID` replaced by `account_id` first.
///
/// # Errors
/// [`AwsAuthError::Manifest`] when the text is not a ConfigMap named `aws-auth` (in `kube-system`
/// when a namespace is given), or still holds the placeholder and no account was given;
/// [`AwsAuthError::Parse`] when its keys do not parse.
pub fn edits_from_manifest(text: &str, account_id: Option<&str>, replace: bool) -> Result<Vec<Edit>, AwsAuthError> {
    #[derive(Deserialize)]
    struct Meta {
        name: Option<String>,
        namespace: Option<String>,
    }
    #[derive(Deserialize)]
    struct Manifest {
        kind: Option<String>,
        metadata: Option<Meta>,
        #[serde(default)]
        data: BTreeMap<String, String>,
    }
    let text = match account_id {
        Some(id) => {
            validate_account(id)?;
            text.replace(ACCOUNT_PLACEHOLDER, id)
        }
        None => text.to_string(),
    };
    let m: Manifest =
        serde_saphyr::from_str(&text).map_err(|e| AwsAuthError::Manifest(format!("not a ConfigMap: {e}")))?;
    if m.kind.as_deref() != Some("ConfigMap") {
        return Err(AwsAuthError::Manifest(format!("kind is {:?}, not ConfigMap", m.kind.unwrap_or_default())));
    }
    let meta = m.metadata.unwrap_or(Meta { name: None, namespace: None });
    if meta.name.as_deref() != Some("aws-auth") || meta.namespace.as_deref().is_some_and(|ns| ns != "kube-system") {
        return Err(AwsAuthError::Manifest(format!(
            "the ConfigMap is {}/{}, not kube-system/aws-auth",
            meta.namespace.unwrap_or_default(),
            meta.name.unwrap_or_default()
        )));
    }
    if m.data.values().any(|v| v.contains(ACCOUNT_PLACEHOLDER)) {
        return Err(AwsAuthError::Manifest(format!("the {ACCOUNT_PLACEHOLDER} placeholder is not filled in")));
    }
    let parsed = AwsAuth::parse(&m.data)?;
    let mut edits: Vec<Edit> = Vec::new();
    edits.extend(parsed.roles().into_iter().map(|role| Edit::AddRole { role, replace }));
    edits.extend(parsed.users().into_iter().map(|user| Edit::AddUser { user, replace }));
    edits.extend(parsed.accounts().into_iter().map(Edit::AddAccount));
    Ok(edits)
}

/// A unified diff of the ConfigMap data keys that differ, `--- data.KEY` / `+++ data.KEY`; empty
/// when nothing differs.
pub fn diff_data(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> String {
    let keys: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut out = String::new();
    for key in keys {
        let (a, b) = (old.get(key), new.get(key));
        if a == b {
            continue;
        }
        let (a, b) = (a.map_or("", String::as_str), b.map_or("", String::as_str));
        let diff = similar::TextDiff::from_lines(a, b);
        let text =
            diff.unified_diff().context_radius(3).header(&format!("data.{key}"), &format!("data.{key}")).to_string();
        out.push_str(&text);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

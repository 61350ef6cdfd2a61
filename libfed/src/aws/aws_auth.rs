//! The `kube-system/aws-auth` ConfigMap as data, and edits of it that never lose what they were
//! not asked to change.
//!
//! The ConfigMap holds YAML inside strings (`mapRoles`, `mapUsers`, `mapAccounts`). eksctl parses
//! them, appends, and re-marshals everything, losing comments and formatting. Here each key is
//! split into the source text of its entries, so an edit rewrites only the entries it adds,
//! replaces or removes; a key the edit does not touch keeps its string byte for byte, and other
//! data keys are never looked at. When the text cannot be split safely (flow style, anchors
//! shared between entries …) the edited key is re-rendered from the parsed entries instead, which
//! keeps every entry and field but not the formatting.
//!
//! Duplicates follow eksctl's `--no-duplicate-arns` rules made safe: an identical mapping is no
//! change; the same ARN with a different mapping is an error unless the edit says `replace`.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The ConfigMap key holding IAM role mappings.
pub const MAP_ROLES: &str = "mapRoles";
/// The ConfigMap key holding IAM user mappings.
pub const MAP_USERS: &str = "mapUsers";
/// The ConfigMap key holding AWS account IDs whose IAM identities map to themselves.
pub const MAP_ACCOUNTS: &str = "mapAccounts";

/// eksctl's username for node roles (`RoleNodeGroupUsername`).
pub const NODE_USERNAME: &str = "system:node:{{EC2PrivateDNSName}}";
/// eksctl's groups for Linux node roles (`RoleNodeGroupGroups`).
pub const NODE_GROUPS: [&str; 2] = ["system:bootstrappers", "system:nodes"];

/// One entry of `mapRoles`: an IAM role and the Kubernetes identity it maps to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapRole {
    /// The role ARN, without an IAM path (the authenticator canonicalises session ARNs to
    /// `arn:…:iam::ACCOUNT:role/NAME`).
    pub rolearn: String,
    /// The Kubernetes username; may hold templates such as `{{SessionName}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The Kubernetes groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Fields this tool does not interpret (for example `sso`), kept as they were.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// One entry of `mapUsers`: an IAM user and the Kubernetes identity it maps to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapUser {
    /// The user ARN.
    pub userarn: String,
    /// The Kubernetes username.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The Kubernetes groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Fields this tool does not interpret, kept as they were.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl MapRole {
    /// A role mapping with a username and groups.
    pub fn new(rolearn: impl Into<String>, username: Option<String>, groups: Vec<String>) -> Self {
        Self { rolearn: rolearn.into(), username, groups, extra: BTreeMap::new() }
    }

    /// The mapping eksctl writes for a Linux node group's instance role.
    pub fn node(rolearn: impl Into<String>) -> Self {
        Self::new(rolearn, Some(NODE_USERNAME.into()), NODE_GROUPS.iter().map(|g| (*g).to_string()).collect())
    }
}

impl MapUser {
    /// A user mapping with a username and groups.
    pub fn new(userarn: impl Into<String>, username: Option<String>, groups: Vec<String>) -> Self {
        Self { userarn: userarn.into(), username, groups, extra: BTreeMap::new() }
    }
}

/// What an identity maps to, compared without regard to the order or repetition of groups
/// (group order means nothing to the authenticator).
fn same_mapping(
    a: (&Option<String>, &[String], &BTreeMap<String, serde_json::Value>),
    b: (&Option<String>, &[String], &BTreeMap<String, serde_json::Value>),
) -> bool {
    let groups = |g: &[String]| g.iter().cloned().collect::<std::collections::BTreeSet<_>>();
    a.0 == b.0 && groups(a.1) == groups(b.1) && a.2 == b.2
}

/// One change to make to aws-auth.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Map a role; an existing mapping of the same role ARN that differs is an error unless
    /// `replace`.
    AddRole {
        /// The mapping to add.
        role: MapRole,
        /// Overwrite a different mapping of the same ARN.
        replace: bool,
    },
    /// Map a user; an existing different mapping of the same ARN is an error unless `replace`.
    AddUser {
        /// The mapping to add.
        user: MapUser,
        /// Overwrite a different mapping of the same ARN.
        replace: bool,
    },
    /// Add an account ID to `mapAccounts`.
    AddAccount(String),
    /// Remove every mapping of a role ARN, user ARN or account ID. Removing something that is not
    /// there is no change, so that a removal can be repeated.
    Remove(String),
}

/// What an edit did (or, for a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// `role`, `user` or `account`.
    pub kind: &'static str,
    /// The ARN or account ID.
    pub arn: String,
    /// What happened to it.
    pub action: ChangeAction,
}

/// The outcome of one edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeAction {
    /// A new mapping was added.
    Added,
    /// A different mapping of the same ARN was overwritten.
    Replaced,
    /// Mappings were removed.
    Removed,
    /// The mapping was already there exactly as asked.
    Unchanged,
    /// Removal of something that was not there.
    NotFound,
}

impl Change {
    /// Whether the change alters the ConfigMap.
    pub fn is_write(&self) -> bool {
        matches!(self.action, ChangeAction::Added | ChangeAction::Replaced | ChangeAction::Removed)
    }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.action {
            ChangeAction::Added => "added",
            ChangeAction::Replaced => "replaced",
            ChangeAction::Removed => "removed",
            ChangeAction::Unchanged => "unchanged",
            ChangeAction::NotFound => "not found (nothing to remove)",
        };
        write!(f, "{} {} {what}", self.kind, self.arn)
    }
}

/// Why aws-auth could not be read or edited.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AwsAuthError {
    /// A key holds text that is not the YAML list it must be.
    #[error("cannot parse data key {key}")]
    Parse {
        /// `mapRoles`, `mapUsers` or `mapAccounts`.
        key: &'static str,
        /// The YAML error, with its position (boxed: it is large).
        #[source]
        source: Box<serde_saphyr::Error>,
    },
    /// An entry has a field of the wrong shape (an account ID that is neither text nor a number …).
    #[error("data key {key}, entry {index}: {message}")]
    Entry {
        /// The ConfigMap key.
        key: &'static str,
        /// The 0-based position of the entry.
        index: usize,
        /// What is wrong.
        message: String,
    },
    /// The same ARN is already mapped to a different identity.
    #[error(
        "{kind} {arn} is already mapped to {existing}; the requested mapping is {requested} (replace it explicitly)"
    )]
    Conflict {
        /// `role` or `user`.
        kind: &'static str,
        /// The ARN.
        arn: String,
        /// The existing mapping, as YAML flow text.
        existing: String,
        /// The mapping asked for.
        requested: String,
    },
    /// An ARN or account ID given to an edit is not valid for aws-auth.
    #[error("invalid {kind} {value:?}: {reason}")]
    Invalid {
        /// `role ARN`, `user ARN` or `account ID`.
        kind: &'static str,
        /// The value given.
        value: String,
        /// Why it is refused, with the fix where there is one.
        reason: String,
    },
    /// The edit would lock nodes or the last administrators out of the cluster, and was not
    /// forced.
    #[error("refusing to edit aws-auth: {}", losses.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    WouldLoseAccess {
        /// Who would lose which groups.
        losses: Vec<super::aws_auth_guard::AccessLoss>,
    },
    /// A manifest given to `apply` is not an aws-auth ConfigMap.
    #[error("manifest: {0}")]
    Manifest(String),
    /// A rendered key did not parse back to the entries it was rendered from (a bug, caught
    /// before anything is written).
    #[error("internal error: rendering {key} did not round-trip")]
    RoundTrip {
        /// The ConfigMap key.
        key: &'static str,
    },
}

use super::aws_auth_seq::{Item, Seq};

/// The aws-auth ConfigMap's data, parsed, with the edits made so far.
#[derive(Debug, Clone)]
pub struct AwsAuth {
    data: BTreeMap<String, String>,
    roles: Seq<MapRole>,
    users: Seq<MapUser>,
    accounts: Seq<Account>,
}

/// An account ID in `mapAccounts`: IAMAUTH says to quote them, but unquoted numbers are read too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
struct Account(#[serde(deserialize_with = "account_id")] String);

fn account_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an account ID")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        // A 12-digit ID read as a number has lost its leading zeros; put them back.
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(format!("{v:012}"))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            u64::try_from(v)
                .map(|v| format!("{v:012}"))
                .map_err(|_| E::custom("a negative number is not an account ID"))
        }
    }
    // Asking for a string gives the scalar's text as written, so `- 012345678901` keeps its zero.
    d.deserialize_str(Visitor)
}

impl AwsAuth {
    /// Parses the `data` of an aws-auth ConfigMap. Keys other than the three mapping keys are kept
    /// as they are and never parsed.
    ///
    /// # Errors
    /// [`AwsAuthError::Parse`] naming the key, when `mapRoles`, `mapUsers` or `mapAccounts` is not
    /// a YAML list of the right entries.
    pub fn parse(data: &BTreeMap<String, String>) -> Result<Self, AwsAuthError> {
        Ok(Self {
            roles: Seq::parse(MAP_ROLES, data.get(MAP_ROLES).map(String::as_str))?,
            users: Seq::parse(MAP_USERS, data.get(MAP_USERS).map(String::as_str))?,
            accounts: Seq::parse(MAP_ACCOUNTS, data.get(MAP_ACCOUNTS).map(String::as_str))?,
            data: data.clone(),
        })
    }

    /// The role mappings, in order.
    pub fn roles(&self) -> Vec<MapRole> {
        self.roles.values().cloned().collect()
    }

    /// The user mappings, in order.
    pub fn users(&self) -> Vec<MapUser> {
        self.users.values().cloned().collect()
    }

    /// The account IDs, in order.
    pub fn accounts(&self) -> Vec<String> {
        self.accounts.values().map(|a| a.0.clone()).collect()
    }

    /// Makes one edit.
    ///
    /// # Errors
    /// [`AwsAuthError::Conflict`] when the ARN is already mapped differently and the edit does not
    /// say `replace`; [`AwsAuthError::Invalid`] for an ARN or account ID aws-auth cannot hold. On
    /// error nothing has been changed.
    pub fn apply(&mut self, edit: &Edit) -> Result<Change, AwsAuthError> {
        match edit {
            Edit::AddRole { role, replace } => {
                validate_role_arn(&role.rolearn)?;
                let change = add(&mut self.roles, role, *replace, "role", &role.rolearn, |r| {
                    r.rolearn.eq_ignore_ascii_case(&role.rolearn)
                })?;
                Ok(change)
            }
            Edit::AddUser { user, replace } => {
                validate_user_arn(&user.userarn)?;
                add(&mut self.users, user, *replace, "user", &user.userarn, |u| u.userarn == user.userarn)
            }
            Edit::AddAccount(id) => {
                validate_account(id)?;
                let account = Account(id.clone());
                add(&mut self.accounts, &account, false, "account", id, |a| a.0 == *id)
            }
            Edit::Remove(target) => Ok(self.remove(target)),
        }
    }

    /// Makes several edits in order; all or nothing.
    ///
    /// # Errors
    /// The first edit's error; `self` is then left as it was.
    pub fn apply_all(&mut self, edits: &[Edit]) -> Result<Vec<Change>, AwsAuthError> {
        let mut next = self.clone();
        let changes = edits.iter().map(|e| next.apply(e)).collect::<Result<Vec<_>, _>>()?;
        *self = next;
        Ok(changes)
    }

    fn remove(&mut self, target: &str) -> Change {
        fn removed_from<T>(seq: &mut Seq<T>, matches: &dyn Fn(&T) -> bool) -> bool {
            let before = seq.items.len();
            seq.items.retain(|i| !matches(&i.value));
            let removed = seq.items.len() != before;
            seq.dirty |= removed;
            removed
        }
        let (kind, removed) = if target.contains(":role/") {
            ("role", removed_from(&mut self.roles, &|r: &MapRole| r.rolearn.eq_ignore_ascii_case(target)))
        } else if target.contains(":user/") {
            ("user", removed_from(&mut self.users, &|u: &MapUser| u.userarn == target))
        } else if target.starts_with("arn:") {
            // Neither form: look in both lists, roles first.
            let r = removed_from(&mut self.roles, &|r: &MapRole| r.rolearn == target);
            let u = removed_from(&mut self.users, &|u: &MapUser| u.userarn == target);
            (if u && !r { "user" } else { "role" }, r || u)
        } else {
            ("account", removed_from(&mut self.accounts, &|a: &Account| a.0 == target))
        };
        let action = if removed { ChangeAction::Removed } else { ChangeAction::NotFound };
        Change { kind, arn: target.to_string(), action }
    }

    /// The ConfigMap data after the edits: edited keys rewritten, every other key as it was.
    ///
    /// # Errors
    /// [`AwsAuthError::RoundTrip`] if a rewritten key would not read back as the entries it holds.
    pub fn to_data(&self) -> Result<BTreeMap<String, String>, AwsAuthError> {
        let mut data = self.data.clone();
        for (key, text) in [
            (MAP_ROLES, self.roles.render()?),
            (MAP_USERS, self.users.render()?),
            (MAP_ACCOUNTS, self.accounts.render()?),
        ] {
            if let Some(text) = text {
                data.insert(key.to_string(), text);
            }
        }
        Ok(data)
    }
}

/// Mappings that can be compared as "the same identity".
trait Mapping {
    fn mapping(&self) -> (&Option<String>, &[String], &BTreeMap<String, serde_json::Value>);
}

impl Mapping for MapRole {
    fn mapping(&self) -> (&Option<String>, &[String], &BTreeMap<String, serde_json::Value>) {
        (&self.username, &self.groups, &self.extra)
    }
}

impl Mapping for MapUser {
    fn mapping(&self) -> (&Option<String>, &[String], &BTreeMap<String, serde_json::Value>) {
        (&self.username, &self.groups, &self.extra)
    }
}

static NO_EXTRA: std::sync::LazyLock<BTreeMap<String, serde_json::Value>> = std::sync::LazyLock::new(BTreeMap::new);

impl Mapping for Account {
    fn mapping(&self) -> (&Option<String>, &[String], &BTreeMap<String, serde_json::Value>) {
        (&None, &[], &NO_EXTRA)
    }
}

fn describe<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "?".into())
}

fn add<T: Clone + PartialEq + Serialize + DeserializeOwned + Mapping>(
    seq: &mut Seq<T>,
    new: &T,
    replace: bool,
    kind: &'static str,
    arn: &str,
    same_arn: impl Fn(&T) -> bool,
) -> Result<Change, AwsAuthError> {
    let change = |action| Change { kind, arn: arn.to_string(), action };
    let positions: Vec<usize> =
        seq.items.iter().enumerate().filter(|(_, i)| same_arn(&i.value)).map(|(n, _)| n).collect();
    // The authenticator keeps the last entry of an ARN, so that is the one in effect.
    let Some(&effective) = positions.last() else {
        seq.items.push(Item { value: new.clone(), text: None });
        seq.dirty = true;
        return Ok(change(ChangeAction::Added));
    };
    if positions.iter().all(|&n| same_mapping(seq.items[n].value.mapping(), new.mapping())) {
        return Ok(change(ChangeAction::Unchanged));
    }
    if !replace {
        return Err(AwsAuthError::Conflict {
            kind,
            arn: arn.to_string(),
            existing: describe(&seq.items[effective].value),
            requested: describe(new),
        });
    }
    // Replace in place of the first entry and drop the shadowed duplicates, so exactly one
    // mapping of the ARN remains.
    let first = positions[0];
    seq.items[first] = Item { value: new.clone(), text: None };
    for &n in positions[1..].iter().rev() {
        seq.items.remove(n);
    }
    seq.dirty = true;
    Ok(change(ChangeAction::Replaced))
}

pub use super::aws_auth_arn::{validate_account, validate_role_arn, validate_user_arn};
pub use super::aws_auth_manifest::{ACCOUNT_PLACEHOLDER, diff_data, edits_from_manifest};

#[cfg(test)]
#[path = "aws_auth_tests.rs"]
mod tests;

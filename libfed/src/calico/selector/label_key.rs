//! [`LabelKey`]: a label name as a selector holds it, with its id in the shared key table
//! looked up once, when the selector is parsed.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use super::key_interner::{self, KeyId};

/// A label name and its id in the process-wide key table, found once (selectors hold their
/// label names this way, so that evaluation compares ids, never text).
///
/// Equality, ordering and hashing are the name's.
#[derive(Clone)]
pub struct LabelKey {
    id: Option<KeyId>,
    name: Box<str>,
}

impl LabelKey {
    /// The key for label `name`, adding `name` to the key table if there is room.
    pub fn new(name: &str) -> Self {
        Self { id: key_interner::intern(name), name: name.into() }
    }

    /// The label name.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The id, or `None` when the table had no room: then no map laid out by ids holds the name.
    #[inline]
    pub(crate) fn id(&self) -> Option<KeyId> {
        self.id
    }
}

impl PartialEq for LabelKey {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for LabelKey {}

impl Hash for LabelKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl PartialOrd for LabelKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for LabelKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.name.cmp(&other.name)
    }
}

impl fmt::Debug for LabelKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.name, f)
    }
}

impl fmt::Display for LabelKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

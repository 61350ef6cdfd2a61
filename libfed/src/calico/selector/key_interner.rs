//! The process-wide table of label names that [`LabelMap`](super::LabelMap)s and selectors share:
//! each name interned gets a small id once, so that a lookup compares ids and never text.
//!
//! Append-only and bounded: label names come from clusters and may be hostile, so the table
//! takes at most [`MAX_KEYS`] (32,767) names holding at most [`MAX_KEY_BYTES`] bytes in all, and no name
//! longer than [`MAX_LABEL_LENGTH`] (no selector can name a longer one). A name it refuses is
//! refused for good: the table only grows, so a name that did not fit once never fits later.
//! That is what makes ids safe to compare: a name that has an id has had it since before any
//! [`LabelMap`](super::LabelMap) holding it was built, and a name without one is in no map laid
//! out by ids (such a map falls back to text; see there).
//!
//! Interning reads under a shared lock and writes only for a name not seen before, so label maps
//! built on several threads at once (one per cluster in `eval`) wait for each other only while
//! new names are added. Names are hashed with std's randomly seeded SipHash, so hostile names
//! cannot be chosen to collide.

use std::collections::HashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

use super::lexer::MAX_LABEL_LENGTH;

/// How many names the table takes: ids are below this, so they have 15 bits (what
/// [`LabelMap`](super::LabelMap)'s lookup counts four at a time in a `u64` needs).
pub(crate) const MAX_KEYS: usize = 0x7FFF;

/// How many bytes of names the table takes, all names together.
pub(crate) const MAX_KEY_BYTES: usize = 4 << 20;

/// A label name's id in the table.
pub(crate) type KeyId = u16;

/// Names and their ids, with the bounds they are held to.
struct Table {
    ids: HashMap<&'static str, KeyId>,
    names: Vec<&'static str>,
    bytes: usize,
    max_keys: usize,
    max_bytes: usize,
}

impl Table {
    fn new(max_keys: usize, max_bytes: usize) -> Self {
        Self { ids: HashMap::new(), names: Vec::new(), bytes: 0, max_keys, max_bytes }
    }

    /// The id of `name`, added if it is new and fits.
    fn insert(&mut self, name: &str) -> Option<KeyId> {
        if let Some(&id) = self.ids.get(name) {
            return Some(id);
        }
        if name.len() > MAX_LABEL_LENGTH
            || self.names.len() >= self.max_keys
            || self.bytes + name.len() > self.max_bytes
        {
            return None;
        }
        let id = KeyId::try_from(self.names.len()).ok()?;
        // Leaked on purpose: the table lives as long as the process and is bounded (see the
        // module documentation), and names handed out as `&'static str` let a map list its
        // labels without holding the lock.
        let name: &'static str = Box::leak(name.into());
        self.names.push(name);
        self.ids.insert(name, id);
        self.bytes += name.len();
        Some(id)
    }
}

static TABLE: LazyLock<RwLock<Table>> = LazyLock::new(|| RwLock::new(Table::new(MAX_KEYS, MAX_KEY_BYTES)));

/// The id of `name`, adding it to the table if it is new and fits; `None` if it does not, now
/// and for the rest of the process.
pub(crate) fn intern(name: &str) -> Option<KeyId> {
    if let Some(id) = lookup(name) {
        return Some(id);
    }
    if name.len() > MAX_LABEL_LENGTH {
        return None;
    }
    TABLE.write().unwrap_or_else(PoisonError::into_inner).insert(name)
}

/// The id of `name` if it has one.
pub(crate) fn lookup(name: &str) -> Option<KeyId> {
    TABLE.read().unwrap_or_else(PoisonError::into_inner).ids.get(name).copied()
}

/// The names of `ids`, in the same order (an id the table never handed out is `""`).
pub(crate) fn names(ids: impl Iterator<Item = KeyId>) -> Vec<&'static str> {
    let table = TABLE.read().unwrap_or_else(PoisonError::into_inner);
    ids.map(|id| table.names.get(usize::from(id)).copied().unwrap_or_default()).collect()
}

#[cfg(test)]
mod tests {
    use super::{MAX_LABEL_LENGTH, Table, intern, lookup, names};

    #[test]
    fn a_name_keeps_its_id() {
        let id = intern("key-interner-test/a").expect("room for a name");
        assert_eq!(intern("key-interner-test/a"), Some(id));
        assert_eq!(lookup("key-interner-test/a"), Some(id));
        assert_ne!(intern("key-interner-test/b"), Some(id));
        assert_eq!(names([id].into_iter()), ["key-interner-test/a"]);
    }

    #[test]
    fn names_no_selector_can_name_are_not_taken() {
        let long = "k".repeat(MAX_LABEL_LENGTH + 1);
        assert_eq!(intern(&long), None);
        assert_eq!(lookup(&long), None);
        assert!(intern(&long[..MAX_LABEL_LENGTH]).is_some());
    }

    #[test]
    fn a_full_table_refuses_new_names_for_good() {
        let mut table = Table::new(3, 10);
        assert_eq!(table.insert("aaaa"), Some(0));
        assert_eq!(table.insert("bbbbbb"), Some(1));
        // All 10 bytes taken: no new name fits, and none ever will …
        assert_eq!(table.insert("c"), None);
        assert_eq!(table.insert("aaaa"), Some(0));
        let mut table = Table::new(2, 100);
        assert_eq!(table.insert("a"), Some(0));
        assert_eq!(table.insert("b"), Some(1));
        // … nor does a name past the count, while names already there keep their ids.
        assert_eq!(table.insert("c"), None);
        assert_eq!(table.insert("b"), Some(1));
        assert_eq!(table.names, ["a", "b"]);
    }

    #[test]
    fn unknown_names_have_no_id() {
        assert_eq!(lookup("key-interner-test/never interned"), None);
    }
}

//! [`LabelMap`]: the label representation for hot paths, and [`LabelKey`], a label name whose
//! hash a selector computes once, when it is parsed.
//!
//! A `LabelMap` is two allocations however many labels it holds: the keys and values back to
//! back in one string, and a small table of (hash of the key, end of the key, end of the value)
//! sorted by key. A lookup through a [`LabelKey`] compares 8-byte hashes in that table (a linear
//! scan, in cache, for the few labels pods carry; a binary search on keys past
//! [`LINEAR_SCAN_MAX`]) and touches the text only to confirm the key and return the value: no
//! hashing at evaluation time and no pointer chasing per label, which is where a
//! `HashMap<String, String>` (SipHash over long `projectcalico.org/…` keys, one allocation per
//! string) spends its time.

use std::fmt;
use std::hash::BuildHasher;

use super::labels::Labels;

/// Up to this many labels, a lookup scans the hash table; past it, it binary-searches the keys.
pub const LINEAR_SCAN_MAX: usize = 16;

/// The hash of a label name, the same for a [`LabelKey`] and a [`LabelMap`] entry.
fn hash(key: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(0x6b75_6265_6665_6421).hash_one(key)
}

/// A label name and its hash, computed once (selectors hold their label names this way).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LabelKey {
    hash: u64,
    name: Box<str>,
}

impl LabelKey {
    /// The key for label `name`.
    pub fn new(name: &str) -> Self {
        Self { hash: hash(name), name: name.into() }
    }

    /// The label name.
    pub fn as_str(&self) -> &str {
        &self.name
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    hash: u64,
    /// The key is `text[previous value_end..key_end]`.
    key_end: usize,
    /// The value is `text[key_end..value_end]`.
    value_end: usize,
}

/// An immutable set of labels laid out for fast lookup (see the module documentation).
///
/// Built from any `(key, value)` pairs; a key given twice keeps its last value, as when
/// collecting into a map. Iterates in key order.
///
/// ```
/// use libfed::calico::selector::{LabelMap, Labels, Selector};
///
/// let labels: LabelMap = [("app", "web"), ("projectcalico.org/namespace", "shop")].into_iter().collect();
/// assert_eq!(labels.get("app"), Some("web"));
/// assert!(Selector::parse("app == 'web' && has(projectcalico.org/namespace)")?.matches(&labels));
/// # Ok::<(), libfed::calico::selector::ParseError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct LabelMap {
    entries: Box<[Entry]>,
    text: Box<str>,
}

impl LabelMap {
    /// The number of labels.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no labels.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The labels in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        (0..self.entries.len()).map(|i| self.pair(i))
    }

    fn key_start(&self, i: usize) -> usize {
        if i == 0 { 0 } else { self.entries[i - 1].value_end }
    }

    fn key(&self, i: usize) -> &str {
        &self.text[self.key_start(i)..self.entries[i].key_end]
    }

    fn pair(&self, i: usize) -> (&str, &str) {
        let e = self.entries[i];
        (&self.text[self.key_start(i)..e.key_end], &self.text[e.key_end..e.value_end])
    }

    fn find(&self, hash: u64, key: &str) -> Option<&str> {
        let i = if self.entries.len() <= LINEAR_SCAN_MAX {
            self.entries.iter().enumerate().position(|(i, e)| e.hash == hash && self.key(i) == key)?
        } else {
            let mut lo = 0;
            let mut hi = self.entries.len();
            loop {
                if lo >= hi {
                    return None;
                }
                let mid = lo + (hi - lo) / 2;
                match self.key(mid).cmp(key) {
                    std::cmp::Ordering::Less => lo = mid + 1,
                    std::cmp::Ordering::Greater => hi = mid,
                    std::cmp::Ordering::Equal => break mid,
                }
            }
        };
        Some(self.pair(i).1)
    }
}

impl Labels for LabelMap {
    fn get(&self, key: &str) -> Option<&str> {
        self.find(hash(key), key)
    }

    fn get_key(&self, key: &LabelKey) -> Option<&str> {
        self.find(key.hash, &key.name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for LabelMap {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let pairs: Vec<(K, V)> = iter.into_iter().collect();
        let mut order: Vec<usize> = (0..pairs.len()).collect();
        // Stable: among equal keys the last given comes last, and is the one kept.
        order.sort_by(|&a, &b| pairs[a].0.as_ref().cmp(pairs[b].0.as_ref()));
        order.dedup_by(|later, earlier| {
            let same = pairs[*later].0.as_ref() == pairs[*earlier].0.as_ref();
            if same {
                *earlier = *later;
            }
            same
        });
        let size = order.iter().map(|&i| pairs[i].0.as_ref().len() + pairs[i].1.as_ref().len()).sum();
        let mut text = String::with_capacity(size);
        let mut entries = Vec::with_capacity(order.len());
        for i in order {
            let (k, v) = (pairs[i].0.as_ref(), pairs[i].1.as_ref());
            text.push_str(k);
            let key_end = text.len();
            text.push_str(v);
            entries.push(Entry { hash: hash(k), key_end, value_end: text.len() });
        }
        Self { entries: entries.into_boxed_slice(), text: text.into_boxed_str() }
    }
}

impl<'a, K: AsRef<str>, V: AsRef<str>> From<&'a std::collections::BTreeMap<K, V>> for LabelMap {
    fn from(map: &'a std::collections::BTreeMap<K, V>) -> Self {
        map.iter().collect()
    }
}

impl fmt::Debug for LabelMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{LINEAR_SCAN_MAX, LabelKey, LabelMap};
    use crate::calico::selector::Labels;

    #[test]
    fn looks_up_like_a_btree_map() {
        for n in [0, 1, 2, LINEAR_SCAN_MAX, LINEAR_SCAN_MAX + 1, 100] {
            let btree: BTreeMap<String, String> =
                (0..n).map(|i| (format!("k{i}.example.com/x"), format!("value-{i}"))).collect();
            let map = LabelMap::from(&btree);
            assert_eq!(map.len(), n);
            for i in 0..n + 3 {
                let key = format!("k{i}.example.com/x");
                let want = btree.get(&key).map(String::as_str);
                assert_eq!(map.get(&key), want, "{n} labels, key {key}");
                assert_eq!(map.get_key(&LabelKey::new(&key)), want, "{n} labels, key {key}");
            }
            assert!(map.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).eq(btree.clone()));
        }
    }

    #[test]
    fn last_value_of_a_repeated_key_wins() {
        let map: LabelMap = [("a", "1"), ("b", ""), ("a", "2"), ("", "empty key")].into_iter().collect();
        assert_eq!(map.get("a"), Some("2"));
        assert_eq!(map.get("b"), Some(""));
        assert_eq!(map.get(""), Some("empty key"));
        assert_eq!(map.get("c"), None);
        assert_eq!(format!("{map:?}"), r#"{"": "empty key", "a": "2", "b": ""}"#);
    }
}

//! [`LabelMap`]: the label representation for hot paths (`eval` over every pod, the
//! federated-services computation over every Service).
//!
//! A `LabelMap` is one allocation, and holds no key text: each key is an id from the
//! process-wide key table ([`key_interner`](super::key_interner)), which selectors resolve their
//! label names against once, when they are parsed. The allocation is, little-endian:
//!
//! ```text
//! n: u16 | ids: [u16; n], ascending, padded with PAD to a multiple of 16 | ends: [u32; n + 1] | values
//! ```
//!
//! (value `i` is `values[ends[i]..ends[i + 1]]`, `ends[0]` is 0). The padding makes the id
//! count's loop run the same number of times for every map of up to 16 labels (a loop whose
//! length changes from map to map costs a mispredicted branch per lookup, about as much as the
//! rest of the lookup). A pod's dozen labels take about 160 bytes,
//! two or three cache lines, against about 600 in two allocations for a layout with the key text
//! and hashes. A lookup counts the ids below the one it wants, four at a time in a `u64` (ids
//! have 15 bits, so each lane has a spare bit to subtract into: no branch, no unsafe SIMD), or
//! binary-searches them past [`LINEAR_SCAN_MAX`] labels; so an absent key or `has()` touches
//! only the id array, and a present one reads its value next to it.
//!
//! When a key has no id (the table is full, or the key is longer than any selector can name),
//! the map keeps its labels as text pairs sorted by key instead: slower, and the same answers.
//! A selector key without an id is in no map laid out by ids (see the key table), so a lookup
//! through it answers `None` there without comparing anything.
//!
//! The text lives in the same allocation as the ids, so lookups hand out values as bytes:
//! selectors compare bytes, which for UTF-8 text is the same as comparing strings.

use std::fmt;

use super::key_interner::{self, KeyId};
use super::label_key::LabelKey;
use super::labels::Labels;

/// Up to this many labels, a lookup counts the smaller ids; past it, it binary-searches them.
pub const LINEAR_SCAN_MAX: usize = 32;

/// An immutable set of labels laid out for fast lookup (see the module documentation).
///
/// Built from any `(key, value)` pairs (or deserialized from a JSON object of strings); a key
/// given twice keeps its last value, as when collecting into a map.
///
/// ```
/// use libfed::calico::selector::{LabelMap, Labels, Selector};
///
/// let labels: LabelMap = [("app", "web"), ("projectcalico.org/namespace", "shop")].into_iter().collect();
/// assert_eq!(labels.get("app"), Some("web"));
/// assert!(Selector::parse("app == 'web' && has(projectcalico.org/namespace)")?.matches(&labels));
/// # Ok::<(), libfed::calico::selector::ParseError>(())
/// ```
#[derive(Clone, Default)]
pub struct LabelMap {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    /// Every key has an id: the layout of the module documentation (empty for no labels).
    Packed(Box<[u8]>),
    /// Some key has none: the pairs, sorted by key.
    Text(Box<[(Box<str>, Box<str>)]>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Packed(Box::default())
    }
}

/// Pads the id array to whole blocks: above every id, so never counted as below one.
const PAD: KeyId = key_interner::MAX_KEYS as KeyId;

/// The parts of a packed map.
struct Packed<'a> {
    /// `n` ids, then padding to whole blocks of 16.
    blocks: &'a [[u8; 32]],
    n: usize,
    ends: &'a [[u8; 4]],
    values: &'a [u8],
}

impl<'a> Packed<'a> {
    #[inline]
    fn split(bytes: &'a [u8]) -> Option<Self> {
        let (n, rest) = bytes.split_first_chunk::<2>()?;
        let n = usize::from(u16::from_le_bytes(*n));
        let (blocks, rest) = rest.split_at_checked(32 * n.div_ceil(16))?;
        let (ends, values) = rest.split_at_checked(4 * (n + 1))?;
        Some(Self { blocks: blocks.as_chunks().0, n, ends: ends.as_chunks().0, values })
    }

    #[inline]
    fn id(&self, i: usize) -> Option<KeyId> {
        let block = self.blocks.get(i / 16)?;
        let lane = 2 * (i % 16);
        Some(u16::from_le_bytes([block[lane], block[lane + 1]]))
    }

    /// The position of `id`, if the map has it.
    #[inline]
    fn position(&self, id: KeyId) -> Option<usize> {
        let i = if self.n <= LINEAR_SCAN_MAX {
            // Plain loops over fixed-size blocks: straight-line code for a map of up to 16
            // labels (an iterator adapter here was left out of line).
            let mut i = 0;
            for block in self.blocks {
                let mut at_or_above = 0;
                for word in block.as_chunks::<8>().0 {
                    at_or_above += lanes_at_or_above(u64::from_le_bytes(*word), id);
                }
                i += 16 - lane_sum(at_or_above);
            }
            i
        } else {
            self.search(id)?
        };
        (i < self.n && self.id(i)? == id).then_some(i)
    }

    /// How many ids are below `id`, by binary search (maps of many labels).
    #[cold]
    #[inline(never)]
    fn search(&self, id: KeyId) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.id(mid)? < id { lo = mid + 1 } else { hi = mid }
        }
        Some(lo)
    }

    #[inline]
    fn value(&self, i: usize) -> Option<&'a [u8]> {
        let end = |i: usize| Some(u32::from_le_bytes(*self.ends.get(i)?) as usize);
        self.values.get(end(i)?..end(i + 1)?)
    }
}

const LANES: u64 = 0x0001_0001_0001_0001;

/// Per 15-bit lane of `word`, 1 if the lane is at or above `id`, else 0.
#[inline]
fn lanes_at_or_above(word: u64, id: KeyId) -> u64 {
    const HIGH: u64 = 0x8000_8000_8000_8000;
    // Per lane, (lane | 0x8000) - id keeps its top bit exactly when lane >= id, and never
    // borrows from the next lane (both are below 0x8000).
    (((word | HIGH) - u64::from(id) * LANES) & HIGH) >> 15
}

/// The sum of the four 16-bit lanes of `lanes` (which must not exceed 16 bits): the
/// multiplication adds them all up in the top lane.
#[inline]
fn lane_sum(lanes: u64) -> usize {
    (lanes.wrapping_mul(LANES) >> 48) as usize
}

/// The value of `id` in a packed map.
#[inline]
fn packed_value(bytes: &[u8], id: KeyId) -> Option<&[u8]> {
    let packed = Packed::split(bytes)?;
    packed.value(packed.position(id)?)
}

fn text_value<'a>(pairs: &'a [(Box<str>, Box<str>)], key: &str) -> Option<&'a str> {
    let i = pairs.binary_search_by(|(k, _)| (**k).cmp(key)).ok()?;
    Some(&*pairs[i].1)
}

/// A value as text: every value was copied in whole from a `&str`, so this never fails.
fn as_text(value: &[u8]) -> Option<&str> {
    std::str::from_utf8(value).ok()
}

impl LabelMap {
    /// The number of labels.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Packed(bytes) => Packed::split(bytes).map_or(0, |p| p.n),
            Repr::Text(pairs) => pairs.len(),
        }
    }

    /// Whether there are no labels.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The labels in key order. (This sorts them: listing is not what the layout is for.)
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        let mut pairs: Vec<(&str, &str)> = match &self.repr {
            Repr::Packed(bytes) => match Packed::split(bytes) {
                Some(p) => {
                    let names = key_interner::names((0..p.n).filter_map(|i| p.id(i)));
                    names.into_iter().enumerate().filter_map(|(i, name)| Some((name, as_text(p.value(i)?)?))).collect()
                }
                None => Vec::new(),
            },
            Repr::Text(pairs) => pairs.iter().map(|(k, v)| (&**k, &**v)).collect(),
        };
        pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
        pairs.into_iter()
    }

    /// Lays out `pairs`, the last of equal keys winning.
    fn build<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Self {
        let mut order = Vec::with_capacity(pairs.len());
        for (i, (k, _)) in pairs.iter().enumerate() {
            match key_interner::intern(k.as_ref()) {
                Some(id) => order.push((id, i)),
                None => return Self::text(pairs),
            }
        }
        // Stable: among equal keys the last given comes last, and is the one kept.
        order.sort_by_key(|&(id, _)| id);
        keep_last(&mut order, |a, b| a.0 == b.0);
        let values: usize = order.iter().map(|&(_, i)| pairs[i].1.as_ref().len()).sum();
        let (Ok(n), Ok(_)) = (u16::try_from(order.len()), u32::try_from(values)) else {
            return Self::text(pairs);
        };
        if n == 0 {
            return Self::default();
        }
        let lanes = 16 * order.len().div_ceil(16);
        let mut bytes = Vec::with_capacity(2 + 2 * lanes + 4 * (order.len() + 1) + values);
        bytes.extend_from_slice(&n.to_le_bytes());
        for &(id, _) in &order {
            bytes.extend_from_slice(&id.to_le_bytes());
        }
        for _ in order.len()..lanes {
            bytes.extend_from_slice(&PAD.to_le_bytes());
        }
        let mut end = 0u32;
        bytes.extend_from_slice(&end.to_le_bytes());
        for &(_, i) in &order {
            // Cannot wrap: the sum of the lengths fits in a u32 (checked above).
            end = end.wrapping_add(pairs[i].1.as_ref().len() as u32);
            bytes.extend_from_slice(&end.to_le_bytes());
        }
        for &(_, i) in &order {
            bytes.extend_from_slice(pairs[i].1.as_ref().as_bytes());
        }
        Self { repr: Repr::Packed(bytes.into_boxed_slice()) }
    }

    /// Keeps `pairs` as text, sorted by key.
    fn text<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Self {
        let mut sorted: Vec<(Box<str>, Box<str>)> =
            pairs.iter().map(|(k, v)| (k.as_ref().into(), v.as_ref().into())).collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        keep_last(&mut sorted, |a, b| a.0 == b.0);
        Self { repr: Repr::Text(sorted.into_boxed_slice()) }
    }
}

/// Removes all but the last of each run of `same` items.
fn keep_last<T>(items: &mut Vec<T>, same: impl Fn(&T, &T) -> bool) {
    items.dedup_by(|later, earlier| {
        let dup = same(later, earlier);
        if dup {
            std::mem::swap(later, earlier);
        }
        dup
    });
}

impl Labels for LabelMap {
    #[inline]
    fn get(&self, key: &str) -> Option<&str> {
        match &self.repr {
            Repr::Packed(bytes) => as_text(packed_value(bytes, key_interner::lookup(key)?)?),
            Repr::Text(pairs) => text_value(pairs, key),
        }
    }

    #[inline]
    fn lookup(&self, key: &LabelKey) -> Option<&[u8]> {
        match &self.repr {
            Repr::Packed(bytes) => packed_value(bytes, key.id()?),
            Repr::Text(pairs) => text_value(pairs, key.as_str()).map(str::as_bytes),
        }
    }
}

impl PartialEq for LabelMap {
    fn eq(&self, other: &Self) -> bool {
        match (&self.repr, &other.repr) {
            // Both layouts are canonical: one per set of labels.
            (Repr::Packed(a), Repr::Packed(b)) => a == b,
            (Repr::Text(a), Repr::Text(b)) => a == b,
            _ => self.len() == other.len() && self.iter().eq(other.iter()),
        }
    }
}

impl Eq for LabelMap {}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for LabelMap {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self::build(&iter.into_iter().collect::<Vec<_>>())
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

impl<'de> serde::Deserialize<'de> for LabelMap {
    /// Reads a JSON object of strings (`metadata.labels`) straight into the layout.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = LabelMap;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of label names to string values")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<LabelMap, A::Error> {
                // The size hint comes from the input: never trust it for an allocation.
                let mut pairs: Vec<(String, String)> = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(LabelMap::build(&pairs))
            }
        }

        deserializer.deserialize_map(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{LINEAR_SCAN_MAX, LabelMap, PAD, Repr, lane_sum, lanes_at_or_above};
    use crate::calico::selector::{LabelKey, Labels, MAX_LABEL_LENGTH};

    fn assert_like(map: &LabelMap, btree: &BTreeMap<String, String>, probes: &[String]) {
        assert_eq!(map.len(), btree.len());
        for key in btree.keys().chain(probes) {
            let want = btree.get(key).map(String::as_str);
            assert_eq!(map.get(key), want, "key {key}");
            assert_eq!(map.lookup(&LabelKey::new(key)), want.map(str::as_bytes), "key {key}");
        }
        assert!(map.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).eq(btree.clone()));
    }

    #[test]
    fn counts_the_lanes_at_or_above_an_id() {
        let word = |lanes: [u16; 4]| lanes.iter().rev().fold(0u64, |w, &l| (w << 16) | u64::from(l));
        let lanes = [0, 7, 0x7FFE, PAD];
        for (id, want) in [(0, 4), (1, 3), (7, 3), (8, 2), (0x7FFE, 2)] {
            assert_eq!(lane_sum(lanes_at_or_above(word(lanes), id)), want, "id {id}");
        }
        assert_eq!(lane_sum(lanes_at_or_above(word([PAD; 4]), 0x7FFE)), 4);
        assert_eq!(lane_sum(lanes_at_or_above(word([3, 3, 3, 3]), 0x7FFE)), 0);
        // Four words' lanes added up before the sum, as a lookup does: up to 16.
        assert_eq!(lane_sum(4 * lanes_at_or_above(word([PAD; 4]), 0)), 16);
    }

    #[test]
    fn looks_up_like_a_btree_map() {
        for n in [0, 1, 2, 3, 4, 5, 8, 15, 16, 17, LINEAR_SCAN_MAX, LINEAR_SCAN_MAX + 1, 100] {
            let btree: BTreeMap<String, String> =
                (0..n).map(|i| (format!("k{i}.example.com/x"), format!("value-{i}"))).collect();
            let map = LabelMap::from(&btree);
            assert!(matches!(map.repr, Repr::Packed(_)), "{n} labels are laid out by id");
            let probes: Vec<String> = (n..n + 3).map(|i| format!("k{i}.example.com/x")).collect();
            assert_like(&map, &btree, &probes);
        }
    }

    #[test]
    fn a_key_without_an_id_keeps_the_labels_as_text() {
        let long = "k".repeat(MAX_LABEL_LENGTH + 1);
        let btree: BTreeMap<String, String> =
            [(long.clone(), "long".to_owned()), ("app".to_owned(), "web".to_owned())].into();
        let map = LabelMap::from(&btree);
        assert!(matches!(map.repr, Repr::Text(_)));
        assert_like(&map, &btree, &["tier".to_owned(), long[..MAX_LABEL_LENGTH].to_owned()]);
        let packed = LabelMap::from_iter([("app", "web")]);
        assert_ne!(map, packed);
        assert_eq!(packed, LabelMap::build(&[("app", "web")]));
        let text = LabelMap::text(&[("app", "web")]);
        assert_eq!(text, packed, "the same labels in either layout are equal");
        assert_eq!(packed, text);
    }

    #[test]
    fn last_value_of_a_repeated_key_wins() {
        let pairs = [("a", "1"), ("b", ""), ("a", "2"), ("", "empty key")];
        for map in [pairs.into_iter().collect(), LabelMap::text(&pairs)] {
            assert_eq!(map.get("a"), Some("2"));
            assert_eq!(map.get("b"), Some(""));
            assert_eq!(map.get(""), Some("empty key"));
            assert_eq!(map.get("c"), None);
            assert_eq!(format!("{map:?}"), r#"{"": "empty key", "a": "2", "b": ""}"#);
        }
    }

    #[test]
    fn deserializes_from_a_json_object() {
        let map: LabelMap =
            serde_json::from_str(r#"{"app": "web", "tier": "db\u00fc", "app": "api"}"#).expect("labels");
        assert_eq!(format!("{map:?}"), r#"{"app": "api", "tier": "dbü"}"#);
        assert!(serde_json::from_str::<LabelMap>(r#"{"app": 1}"#).is_err());
        assert!(serde_json::from_str::<LabelMap>(r#"["app"]"#).is_err());
        assert!(serde_json::from_str::<LabelMap>("{}").expect("no labels").is_empty());
    }
}

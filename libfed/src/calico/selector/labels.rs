//! [`Labels`]: anything a selector can look label values up in.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};

use super::label_key::LabelKey;

/// A set of labels a [`Selector`](super::Selector) is evaluated against: one value per key.
///
/// Implemented for maps (`BTreeMap`, `HashMap`, with `String` or `&str` keys), slices, arrays and
/// vectors of `(key, value)` pairs (the first pair with the key wins), `Option` (`None` has no
/// labels, as a Kubernetes object without `metadata.labels`), references, and pairs of label
/// sets, where the first one's value wins. Pairs layer labels without copying, as Calico layers
/// profile labels under an endpoint's own labels:
///
/// ```
/// use std::collections::BTreeMap;
/// use libfed::calico::selector::{Labels, Selector};
///
/// let pod = BTreeMap::from([("app".to_owned(), "web".to_owned())]);
/// let implicit = [("projectcalico.org/namespace", "shop")];
/// let both = (&pod, &implicit);
/// assert_eq!(both.get("app"), Some("web"));
/// let sel: Selector = "app == 'web' && projectcalico.org/namespace == 'shop'".parse()?;
/// assert!(sel.matches(&both));
/// # Ok::<(), libfed::calico::selector::ParseError>(())
/// ```
pub trait Labels {
    /// The value of label `key`, or `None` when the label is absent.
    fn get(&self, key: &str) -> Option<&str>;

    /// The value of the label a selector names, as bytes: what selector evaluation calls.
    ///
    /// A [`LabelKey`] carries the name's id in the key table, found when the selector was parsed,
    /// so label sets laid out by id ([`LabelMap`](super::LabelMap)) answer without looking at
    /// text; the default looks the name up with [`get`](Labels::get). Bytes, because a
    /// `LabelMap` keeps its values next to binary data (selectors compare bytes, which for UTF-8
    /// is comparing text). Wrappers should forward it.
    fn lookup(&self, key: &LabelKey) -> Option<&[u8]> {
        self.get(key.as_str()).map(str::as_bytes)
    }
}

impl<T: Labels + ?Sized> Labels for &T {
    fn get(&self, key: &str) -> Option<&str> {
        (**self).get(key)
    }

    #[inline]
    fn lookup(&self, key: &LabelKey) -> Option<&[u8]> {
        (**self).lookup(key)
    }
}

impl<K: Borrow<str> + Ord, V: AsRef<str>> Labels for BTreeMap<K, V> {
    fn get(&self, key: &str) -> Option<&str> {
        BTreeMap::get(self, key).map(AsRef::as_ref)
    }
}

impl<K: Borrow<str> + Hash + Eq, V: AsRef<str>, S: BuildHasher> Labels for HashMap<K, V, S> {
    fn get(&self, key: &str) -> Option<&str> {
        HashMap::get(self, key).map(AsRef::as_ref)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Labels for [(K, V)] {
    fn get(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| k.as_ref() == key).map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Labels for [(K, V); N] {
    fn get(&self, key: &str) -> Option<&str> {
        Labels::get(self.as_slice(), key)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Labels for Vec<(K, V)> {
    fn get(&self, key: &str) -> Option<&str> {
        Labels::get(self.as_slice(), key)
    }
}

impl<L: Labels> Labels for Option<L> {
    fn get(&self, key: &str) -> Option<&str> {
        self.as_ref().and_then(|labels| labels.get(key))
    }

    #[inline]
    fn lookup(&self, key: &LabelKey) -> Option<&[u8]> {
        self.as_ref().and_then(|labels| labels.lookup(key))
    }
}

/// The first set's value wins; the second is looked at only for keys the first lacks.
impl<A: Labels, B: Labels> Labels for (A, B) {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).or_else(|| self.1.get(key))
    }

    #[inline]
    fn lookup(&self, key: &LabelKey) -> Option<&[u8]> {
        self.0.lookup(key).or_else(|| self.1.lookup(key))
    }
}

#[cfg(test)]
mod tests {
    use super::Labels;
    use std::collections::{BTreeMap, HashMap};

    fn lookups(labels: &dyn Labels) -> [Option<&str>; 3] {
        [labels.get("a"), labels.get("b"), labels.get("missing")]
    }

    #[test]
    fn every_impl_looks_up_the_same() {
        let want = [Some("1"), Some(""), None];
        let owned: Vec<(String, String)> = vec![("a".into(), "1".into()), ("b".into(), String::new())];
        let btree: BTreeMap<String, String> = owned.iter().cloned().collect();
        let btree_str: BTreeMap<&str, &str> = [("a", "1"), ("b", "")].into();
        let hash: HashMap<String, String> = owned.iter().cloned().collect();
        let array = [("a", "1"), ("b", "")];
        assert_eq!(lookups(&btree), want);
        assert_eq!(lookups(&btree_str), want);
        assert_eq!(lookups(&hash), want);
        assert_eq!(lookups(&array), want);
        assert_eq!(lookups(&&array[..]), want);
        assert_eq!(lookups(&owned), want);
        assert_eq!(lookups(&Some(&btree)), want);
        assert_eq!(lookups(&(&btree, [("x", "y")])), want);
    }

    #[test]
    fn none_has_no_labels() {
        let none: Option<BTreeMap<String, String>> = None;
        assert_eq!(lookups(&none), [None, None, None]);
    }

    #[test]
    fn pair_prefers_first_and_falls_back_to_second() {
        let layered = ([("a", "top"), ("c", "")], [("a", "bottom"), ("b", "2")]);
        assert_eq!(layered.get("a"), Some("top"));
        assert_eq!(layered.get("b"), Some("2"));
        // An empty value is a present label: it shadows the second set.
        assert_eq!(layered.get("c"), Some(""));
        assert_eq!(layered.get("d"), None);
    }

    #[test]
    fn slice_first_pair_wins() {
        let pairs = [("a", "first"), ("a", "second")];
        assert_eq!(pairs.get("a"), Some("first"));
    }
}

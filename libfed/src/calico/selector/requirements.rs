//! What a selector requires of every label set it matches, one label at a time: the leaves among
//! the operands of its top-level `&&` (of its normal form, so `!(a == "x" || has(b))` requires
//! `a` not `x` and `b` absent). A caller that can test such a condition more cheaply elsewhere
//! (a Kubernetes API server's label selector) may keep only what meets them, then evaluate the
//! selector itself on the rest: the result is the same, since every requirement is implied by
//! the selector.

use std::slice;

use super::Selector;
use super::ast::{CompareOp, Node, SetOp};
use super::normal_form::Eval;

/// One condition on one label that every label set a [`Selector`] matches meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement<'a> {
    /// The label is present.
    Present(&'a str),
    /// The label is absent.
    Absent(&'a str),
    /// The label is present and its value is one of these (none: never met).
    OneOf(&'a str, &'a [Box<str>]),
    /// The label is absent, or its value is none of these.
    NoneOf(&'a str, &'a [Box<str>]),
    /// Never met: the selector matches nothing (`!all()`).
    Nothing,
}

impl Selector {
    /// Conditions on single labels that every label set this selector matches meets. Not all of
    /// what the selector requires: operands of an `||` and negated `contains`/`starts with`/
    /// `ends with` tests are left out, and `all()` requires nothing (an empty list).
    ///
    /// ```
    /// use libfed::calico::selector::{Requirement, Selector};
    ///
    /// let sel = Selector::parse("app == 'web' && version ends with '-stable' && (a == 'x' || has(b))")?;
    /// let values: Vec<Box<str>> = vec!["web".into()];
    /// assert_eq!(sel.requirements(), [Requirement::OneOf("app", &values), Requirement::Present("version")]);
    /// # Ok::<(), libfed::calico::selector::ParseError>(())
    /// ```
    pub fn requirements(&self) -> Vec<Requirement<'_>> {
        match &self.root.eval {
            Eval::Const(true) | Eval::Or(_) => Vec::new(),
            Eval::Const(false) => vec![Requirement::Nothing],
            leaf @ Eval::Leaf { .. } => of_leaf(leaf).into_iter().collect(),
            Eval::And(operands) => operands.iter().filter_map(of_leaf).collect(),
        }
    }
}

/// The requirement a leaf of the normal form states, if it is one on a single label.
fn of_leaf(e: &Eval) -> Option<Requirement<'_>> {
    let Eval::Leaf { leaf, negated } = e else { return None };
    let negated = *negated;
    Some(match leaf {
        Node::Has(label) if negated => Requirement::Absent(label.as_str()),
        Node::Has(label) => Requirement::Present(label.as_str()),
        Node::Compare { label, op, value } => {
            let (label, value) = (label.as_str(), slice::from_ref(value));
            match (op, negated) {
                (CompareOp::Eq, false) | (CompareOp::Ne, true) => Requirement::OneOf(label, value),
                (CompareOp::Eq, true) | (CompareOp::Ne, false) => Requirement::NoneOf(label, value),
                // A substring test needs the label; its negation does not.
                (CompareOp::Contains | CompareOp::StartsWith | CompareOp::EndsWith, false) => {
                    Requirement::Present(label)
                }
                (CompareOp::Contains | CompareOp::StartsWith | CompareOp::EndsWith, true) => return None,
            }
        }
        Node::Set { label, op, values } => match (op, negated) {
            (SetOp::In, false) | (SetOp::NotIn, true) => Requirement::OneOf(label.as_str(), values),
            (SetOp::In, true) | (SetOp::NotIn, false) => Requirement::NoneOf(label.as_str(), values),
        },
        Node::All | Node::Global | Node::Not(_) | Node::And(_) | Node::Or(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    /// Whether `labels` meet `r`, by the definitions above.
    fn meets(r: &Requirement<'_>, labels: &BTreeMap<String, String>) -> bool {
        match *r {
            Requirement::Present(k) => labels.contains_key(k),
            Requirement::Absent(k) => !labels.contains_key(k),
            Requirement::OneOf(k, values) => labels.get(k).is_some_and(|v| values.iter().any(|x| **x == **v)),
            Requirement::NoneOf(k, values) => labels.get(k).is_none_or(|v| values.iter().all(|x| **x != **v)),
            Requirement::Nothing => false,
        }
    }

    #[test]
    fn each_kind_of_leaf_states_its_requirement() {
        let one = |v: &str| vec![Box::<str>::from(v)];
        let sel = |s: &str| Selector::parse(s).expect("valid");
        let (x, ab) = (one("x"), vec![Box::<str>::from("a"), "b".into()]);
        for (text, want) in [
            ("has(k)", vec![Requirement::Present("k")]),
            ("!has(k)", vec![Requirement::Absent("k")]),
            ("k == 'x'", vec![Requirement::OneOf("k", &x)]),
            ("!(k != 'x')", vec![Requirement::OneOf("k", &x)]),
            ("k != 'x'", vec![Requirement::NoneOf("k", &x)]),
            ("k in {'b', 'a'}", vec![Requirement::OneOf("k", &ab)]),
            ("!(k in {'a', 'b'})", vec![Requirement::NoneOf("k", &ab)]),
            ("k not in {'a', 'b'}", vec![Requirement::NoneOf("k", &ab)]),
            ("k starts with 'x'", vec![Requirement::Present("k")]),
            ("!(k contains 'x')", vec![]),
            ("all()", vec![]),
            ("!all()", vec![Requirement::Nothing]),
            ("a == 'x' || has(b)", vec![]),
            (
                "!(k == 'x' || has(b)) && (c == 'x' || has(d))",
                vec![Requirement::NoneOf("k", &x), Requirement::Absent("b")],
            ),
        ] {
            assert_eq!(sel(text).requirements(), want, "{text}");
        }
    }

    const KEYS: &[&str] = &["a", "app", "tier"];
    const VALUES: &[&str] = &["x", "web", ""];

    fn leaf() -> impl Strategy<Value = String> {
        let k = || prop::sample::select(KEYS);
        let v = || prop::sample::select(VALUES);
        prop_oneof![
            k().prop_map(|k| format!("has({k})")),
            (k(), v()).prop_map(|(k, v)| format!("{k} == '{v}'")),
            (k(), v()).prop_map(|(k, v)| format!("{k} != '{v}'")),
            (k(), v()).prop_map(|(k, v)| format!("{k} starts with '{v}'")),
            (k(), v(), v()).prop_map(|(k, v, w)| format!("{k} in {{'{v}', '{w}'}}")),
            (k(), v()).prop_map(|(k, v)| format!("{k} not in {{'{v}'}}")),
            Just("all()".to_owned()),
        ]
    }

    fn selector() -> impl Strategy<Value = String> {
        leaf().prop_recursive(3, 16, 3, |inner| {
            prop_oneof![
                inner.clone().prop_map(|s| format!("!({s})")),
                prop::collection::vec(inner.clone(), 2..4).prop_map(|v| format!("({})", v.join(" && "))),
                prop::collection::vec(inner, 2..4).prop_map(|v| format!("({})", v.join(" || "))),
            ]
        })
    }

    fn label_set() -> impl Strategy<Value = BTreeMap<String, String>> {
        prop::collection::btree_map(
            prop::sample::select(KEYS).prop_map(str::to_owned),
            prop::sample::select(VALUES).prop_map(str::to_owned),
            0..3,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Sound: a label set the selector matches meets every requirement (so filtering on them
        /// first never loses a match).
        #[test]
        fn every_match_meets_every_requirement(text in selector(), labels in label_set()) {
            let sel = Selector::parse(&text).expect("generated selectors are valid");
            if sel.matches(&labels) {
                for r in sel.requirements() {
                    prop_assert!(meets(&r, &labels), "{text} matches {labels:?} but {r:?} is not met");
                }
            }
        }
    }
}

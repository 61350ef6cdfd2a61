//! The selector tree and its evaluation, mirroring Calico's `parser/ast.go` node types.

use super::label_key::LabelKey;
use super::labels::Labels;

/// A comparison between a label's value and a literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum CompareOp {
    /// `==`: the label is present and equal.
    Eq,
    /// `!=`: the label is absent or different.
    Ne,
    /// `contains`: the label is present and contains the literal.
    Contains,
    /// `starts with`: the label is present and starts with the literal.
    StartsWith,
    /// `ends with`: the label is present and ends with the literal.
    EndsWith,
}

/// A set membership test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SetOp {
    /// `in {…}`: the label is present and its value is in the set.
    In,
    /// `not in {…}`: the label is absent or its value is not in the set.
    NotIn,
}

/// One node of a parsed selector.
///
/// Two selectors are equal when their trees are; the parser keeps parentheses as nesting (as
/// Calico does), sorts and de-duplicates sets, and never builds `Not(Not(_))`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Node {
    /// `all()`, and the empty selector.
    All,
    /// `global()`: true here; its meaning (non-namespaced resources) is up to the caller.
    Global,
    /// `has(label)`.
    Has(LabelKey),
    /// `label <op> "value"`.
    Compare { label: LabelKey, op: CompareOp, value: Box<str> },
    /// `label in {…}` / `label not in {…}`; `values` sorted and unique for binary search.
    Set { label: LabelKey, op: SetOp, values: Box<[Box<str>]> },
    /// `!operand`.
    Not(Box<Node>),
    /// Two or more operands joined by `&&`.
    And(Box<[Node]>),
    /// Two or more operands joined by `||`.
    Or(Box<[Node]>),
}

impl Node {
    /// Negates `self`, cancelling a negation already there.
    ///
    /// Calico's parser builds `Not(Not(x))` for `!(!x)` and prints it as `!!x`, which its own
    /// parser reads back as `x`: cancelling here keeps `parse(display(s)) == s`.
    pub(crate) fn negate(self) -> Node {
        match self {
            Node::Not(inner) => *inner,
            other => Node::Not(Box::new(other)),
        }
    }

    /// A set node with `values` sorted and de-duplicated.
    pub(crate) fn set(label: &str, op: SetOp, values: impl IntoIterator<Item = impl Into<Box<str>>>) -> Node {
        let mut values: Vec<Box<str>> = values.into_iter().map(Into::into).collect();
        values.sort_unstable();
        values.dedup();
        Node::Set { label: LabelKey::new(label), op, values: values.into_boxed_slice() }
    }

    /// Whether labels satisfy this node. Walks the tree, short-circuits `&&`/`||`, never allocates.
    /// Selectors evaluate their normal form (`normal_form`); this walk is the reference the tests
    /// hold it to.
    /// Values compare as bytes, which for UTF-8 text is comparing strings (`contains` included).
    pub(crate) fn matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        match self {
            Node::Not(operand) => !operand.operand_matches(labels),
            Node::And(operands) => operands.iter().all(|n| n.operand_matches(labels)),
            Node::Or(operands) => operands.iter().any(|n| n.operand_matches(labels)),
            leaf => leaf.leaf_matches(labels),
        }
    }

    /// [`matches`](Node::matches) for an operand of `!`, `&&` or `||`: a leaf, or a negated
    /// leaf, is decided here, without a recursive call (one per tree level was a good part of
    /// the cost of a selector like Calico's own benchmark one).
    #[inline(always)]
    fn operand_matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        match self {
            Node::And(_) | Node::Or(_) => self.matches(labels),
            Node::Not(operand) => match &**operand {
                Node::Not(_) | Node::And(_) | Node::Or(_) => !operand.matches(labels),
                leaf => !leaf.leaf_matches(labels),
            },
            leaf => leaf.leaf_matches(labels),
        }
    }

    /// A node without operands.
    #[inline(always)]
    pub(crate) fn leaf_matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        match self {
            Node::All | Node::Global => true,
            Node::Has(label) => labels.lookup(label).is_some(),
            Node::Compare { label, op, value } => {
                let value = value.as_bytes();
                match (op, labels.lookup(label)) {
                    (CompareOp::Eq, Some(got)) => got == value,
                    (CompareOp::Ne, Some(got)) => got != value,
                    (CompareOp::Ne, None) => true,
                    (CompareOp::Contains, Some(got)) => memchr::memmem::find(got, value).is_some(),
                    (CompareOp::StartsWith, Some(got)) => got.starts_with(value),
                    (CompareOp::EndsWith, Some(got)) => got.ends_with(value),
                    (CompareOp::Eq | CompareOp::Contains | CompareOp::StartsWith | CompareOp::EndsWith, None) => false,
                }
            }
            Node::Set { label, op, values } => {
                let member = labels.lookup(label).map(|got| is_member(values, got));
                match op {
                    SetOp::In => member == Some(true),
                    SetOp::NotIn => member != Some(true),
                }
            }
            // Not reached: callers pass leaves only; the walk is the answer all the same.
            Node::Not(_) | Node::And(_) | Node::Or(_) => self.matches(labels),
        }
    }
}

/// Up to this many values, set membership compares lengths first, one value after the other
/// (most values differ in length, so most comparisons never call `memcmp`); past it, binary search.
const SET_SCAN_MAX: usize = 8;

/// Whether `got` is one of `values` (sorted).
fn is_member(values: &[Box<str>], got: &[u8]) -> bool {
    if values.len() <= SET_SCAN_MAX {
        values.iter().any(|v| v.len() == got.len() && v.as_bytes() == got)
    } else {
        values.binary_search_by(|v| v.as_bytes().cmp(got)).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::{LabelKey, Node, SET_SCAN_MAX, SetOp, is_member};

    #[test]
    fn membership_scans_small_sets_and_searches_large_ones() {
        for n in [0, 1, 2, SET_SCAN_MAX, SET_SCAN_MAX + 1, 40] {
            let Node::Set { values, .. } = Node::set("k", SetOp::In, (0..n).map(|i| format!("v{i}"))) else {
                panic!("not a set");
            };
            for i in 0..n + 2 {
                let got = format!("v{i}");
                assert_eq!(is_member(&values, got.as_bytes()), i < n, "{n} values, {got}");
            }
            assert!(!is_member(&values, b"v"));
        }
    }

    #[test]
    fn negate_cancels_a_negation() {
        let has = Node::Has(LabelKey::new("a"));
        assert_eq!(has.clone().negate(), Node::Not(Box::new(has.clone())));
        assert_eq!(has.clone().negate().negate(), has);
    }

    #[test]
    fn set_values_are_sorted_and_unique() {
        let node = Node::set("k", SetOp::In, ["b", "a", "b", ""]);
        let Node::Set { values, .. } = node else { panic!("not a set: {node:?}") };
        let values: Vec<&str> = values.iter().map(|v| &**v).collect();
        assert_eq!(values, ["", "a", "b"]);
    }
}

//! The form a selector is evaluated in: its tree in negation normal form, flattened, with
//! duplicate operands dropped. Built once when the selector is parsed; the parsed tree stays what
//! is displayed and compared.
//!
//! - `!` is pushed down to the leaves (De Morgan: `!(a && b)` is `!a || !b`), where it is a flag
//!   on the leaf, so no evaluation step is a negation of a subtree;
//! - an `&&` inside an `&&` (and an `||` inside an `||`) is spliced into it;
//! - an operand equal to an earlier one of the same `&&`/`||` is dropped (`x || x` is `x`);
//! - `all()` and `global()` are constants, folded away (`x && all()` is `x`).
//!
//! Every step is boolean algebra over leaves that only read labels, so the verdict is the parsed
//! tree's on every input (`Node::matches`, kept for the tests, is the reference; a proptest and
//! the differential test against Calico's Go check it). Calico's own benchmark selector,
//! `!(a == "b" && !c != "d") || !(a == "b" && !c != "d")`, is `x || x`: here it is evaluated as
//! `a != "b" || c != "d"`.

use std::collections::HashSet;

use super::ast::Node;
use super::labels::Labels;

/// A selector ready for evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Eval {
    /// Decided without labels (`all()`, `global()`, and what folds to them).
    Const(bool),
    /// A leaf of the parsed tree (never `Not`, `And` or `Or`), its verdict inverted if `negated`.
    Leaf { leaf: Node, negated: bool },
    /// Two or more operands, none an `And`, all true.
    And(Box<[Eval]>),
    /// Two or more operands, none an `Or`, one true.
    Or(Box<[Eval]>),
}

impl Eval {
    /// The evaluation form of a parsed tree.
    pub(crate) fn of(node: &Node) -> Eval {
        compile(node, false)
    }

    /// Whether `labels` satisfy it. Short-circuits, never allocates.
    pub(crate) fn matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        match self {
            Eval::And(operands) => operands.iter().all(|o| o.operand_matches(labels)),
            Eval::Or(operands) => operands.iter().any(|o| o.operand_matches(labels)),
            other => other.operand_matches(labels),
        }
    }

    /// A leaf or a constant decided in line; a subtree by a call.
    #[inline(always)]
    fn operand_matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        match self {
            Eval::Leaf { leaf, negated } => leaf.leaf_matches(labels) != *negated,
            Eval::Const(value) => *value,
            Eval::And(_) | Eval::Or(_) => self.matches(labels),
        }
    }
}

/// `node`, negated if `negate`, in evaluation form.
fn compile(node: &Node, negate: bool) -> Eval {
    match node {
        Node::All | Node::Global => Eval::Const(!negate),
        Node::Not(operand) => compile(operand, !negate),
        // De Morgan: a negated `&&` is an `||` of negated operands, and the reverse.
        Node::And(operands) => junction(operands, negate, !negate),
        Node::Or(operands) => junction(operands, negate, negate),
        leaf => Eval::Leaf { leaf: leaf.clone(), negated: negate },
    }
}

/// An `&&` (`all` true) or `||` of `operands`, each negated if `negate`: nested ones of the same
/// kind spliced in, constants folded, duplicates dropped.
fn junction(operands: &[Node], negate: bool, all: bool) -> Eval {
    let mut out: Vec<Eval> = Vec::with_capacity(operands.len());
    for operand in operands {
        match compile(operand, negate) {
            // The identity of the junction (true for `&&`, false for `||`) changes nothing.
            Eval::Const(value) if value == all => {}
            // Its absorbing value decides it.
            Eval::Const(value) => return Eval::Const(value),
            Eval::And(inner) if all => out.extend(inner),
            Eval::Or(inner) if !all => out.extend(inner),
            other => out.push(other),
        }
    }
    // Linear in the operands' size (hashing), so a selector of thousands of operands from an
    // annotation cannot make this quadratic.
    let mut seen = HashSet::with_capacity(out.len());
    let first: Vec<bool> = out.iter().map(|o| seen.insert(o)).collect();
    drop(seen);
    let mut keep = first.into_iter();
    out.retain(|_| keep.next().unwrap_or(true));
    match out.len() {
        0 => Eval::Const(all),
        1 => out.pop().unwrap_or(Eval::Const(all)),
        _ if all => Eval::And(out.into_boxed_slice()),
        _ => Eval::Or(out.into_boxed_slice()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Selector;
    use super::*;

    fn form(s: &str) -> Eval {
        Eval::of(&Selector::parse(s).expect("parses").root.node)
    }

    #[test]
    fn calicos_benchmark_selector_is_one_disjunction_of_two_leaves() {
        let got = form("! (a == \"b\"&&! c != \"d\") || !(a == \"b\" && !c != \"d\")");
        assert_eq!(got, form("!(a == \"b\") || c != \"d\""));
        let Eval::Or(operands) = got else { panic!("not an Or") };
        assert_eq!(operands.len(), 2);
    }

    #[test]
    fn nesting_is_flattened_and_constants_fold() {
        let Eval::And(ops) = form("a == 'x' && (b == 'y' && (c == 'z' && all()))") else { panic!("not an And") };
        assert_eq!(ops.len(), 3);
        assert_eq!(form("a == 'x' || all()"), Eval::Const(true));
        assert_eq!(form("!all()"), Eval::Const(false));
        assert_eq!(form("!(a == 'x' || !all())"), form("!(a == 'x')"));
        assert_eq!(form("has(a) && has(a) && has(a)"), form("has(a)"));
        assert_eq!(form("!!has(a)"), form("has(a)"));
    }

    #[test]
    fn thousands_of_duplicate_operands_are_one() {
        let text = vec!["a == 'x'"; 20_000].join(" || ");
        assert_eq!(form(&text), form("a == 'x'"));
    }
}

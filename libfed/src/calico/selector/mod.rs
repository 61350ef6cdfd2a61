//! Calico's selector language: parse a selector, match it against labels, print its canonical
//! form.
//!
//! This is a port of `libcalico-go/lib/selector` (tokenizer, parser, AST) at the version that
//! the differential test (`tests/calico-selector`, run against Calico's own Go package) pins, so that `kubectl federate` accepts exactly the
//! selectors Calico accepts and selects exactly the endpoints Calico selects:
//!
//! | selector | true when |
//! |---|---|
//! | `all()` (or the empty selector) | always |
//! | `global()` | always (the caller gives it its meaning: non-namespaced resources) |
//! | `has(k)` / `!has(k)` | label `k` is present / absent |
//! | `k == "v"` | `k` is present and equal to `v` |
//! | `k != "v"` | `k` is absent or not equal to `v` |
//! | `k in {"a", "b"}` | `k` is present and one of the values (`k in {}` is never true) |
//! | `k not in {"a", "b"}` | `k` is absent or none of the values |
//! | `k contains "s"`, `k starts with "s"`, `k ends with "s"` | `k` is present and matches |
//! | `!e`, `e && e`, `e \|\| e`, `(e)` | as usual; `!` binds tighter than `&&`, `&&` than `\|\|` |
//!
//! Lexical rules that differ from what one might guess, all as in Calico:
//! - between tokens only space and tab are whitespace (a newline there is an error), but inside
//!   `has( … )`, `all( )`, `global( )` and between the words of `starts with`, `ends with` and
//!   `not in` whitespace is Go's `\s`, `[\t\n\f\r ]` (not `\v`): `has(\na)` is valid;
//! - strings use `"…"` or `'…'`, end at the next identical quote and have no escapes, so a value
//!   cannot contain both quote characters;
//! - label keys are `[a-zA-Z0-9_./-]{1,512}`: a longer run is a label of its first
//!   [`MAX_LABEL_LENGTH`] bytes followed by the next token, so 512 × `k` followed by `in {}` is
//!   valid;
//! - the keyword operators (`contains`, `starts with`, `ends with`, `in`, `not in`) are operators
//!   only straight after a label, so `contains contains "x"` is valid; `in` and `not in` must end
//!   at a word boundary (Go's `\b`); `startswith`, `endswith` and `notin` are accepted too;
//! - a run of `!` counts by parity (`!!has(a)` is `has(a)`), and `k in {"a",}` is accepted.
//!
//! Parentheses, and `&&`/`||` groups, may nest at most [`MAX_NESTING`] deep (Calico has no limit;
//! see there why).
//!
//! ```
//! use std::collections::BTreeMap;
//! use libfed::calico::selector::Selector;
//!
//! let sel = Selector::parse("app == 'web' && (tier in {'db', 'cache'} || !has(tier))")?;
//! assert_eq!(sel.to_string(), r#"(app == "web" && (tier in {"cache", "db"} || !has(tier)))"#);
//!
//! let pod = BTreeMap::from([("app".to_owned(), "web".to_owned())]);
//! assert!(sel.matches(&pod));
//! assert!(!sel.matches(&[("app", "web"), ("tier", "front")]));
//! # Ok::<(), libfed::calico::selector::ParseError>(())
//! ```

mod ast;
mod display;
mod error;
mod key_interner;
mod label_key;
mod label_map;
mod labels;
mod lexer;
mod normal_form;
mod parser;
mod requirements;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

pub use error::ParseError;
pub use label_key::LabelKey;
pub use label_map::LabelMap;
pub use labels::Labels;
pub use lexer::MAX_LABEL_LENGTH;
pub use parser::MAX_NESTING;
pub use requirements::Requirement;

/// A parsed Calico selector.
///
/// Cloning is cheap (the tree is shared behind an `Arc`), and matching walks the tree without
/// allocating. Two selectors are equal when they have the same canonical form, that is when they
/// parse to the same tree; `Display` prints that canonical form, which parses back to an equal
/// selector.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Selector {
    root: Arc<Parsed>,
}

/// A parsed tree (what is displayed and compared) and its evaluation form (a function of it).
#[derive(PartialEq, Eq, Hash)]
struct Parsed {
    node: ast::Node,
    eval: normal_form::Eval,
}

impl Selector {
    /// Parses `input` the way Calico does.
    ///
    /// # Errors
    /// A [`ParseError`] with the input, the byte offset of the first problem Calico would report
    /// and a message, when `input` is not a valid selector.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        parser::parse(input).map(Self::from_node)
    }

    /// The selector `all()`, which matches every set of labels.
    pub fn all() -> Self {
        Self::from_node(ast::Node::All)
    }

    /// Whether `labels` satisfy this selector.
    ///
    /// `global()` counts as true here; deciding what it selects is up to the caller.
    #[inline]
    pub fn matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        match &self.root.eval {
            // `all()`, `eval`'s commonest selector and the default, decides without the walk.
            normal_form::Eval::Const(value) => *value,
            eval => eval.matches(labels),
        }
    }

    fn from_node(node: ast::Node) -> Self {
        let eval = normal_form::Eval::of(&node);
        Self { root: Arc::new(Parsed { node, eval }) }
    }
}

impl Default for Selector {
    /// `all()`, like the empty selector.
    fn default() -> Self {
        Self::all()
    }
}

impl FromStr for Selector {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Selector {
    /// The canonical form, as Calico's `String()`: `(a == "b" && !has(c))`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.root.node.fmt(f)
    }
}

impl fmt::Debug for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Selector").field(&format_args!("{self}")).finish()
    }
}

impl serde::Serialize for Selector {
    /// Serializes as the canonical string.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Selector {
    /// Deserializes from a selector string, failing with the parse error's message.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let input = String::deserialize(deserializer)?;
        Self::parse(&input).map_err(serde::de::Error::custom)
    }
}

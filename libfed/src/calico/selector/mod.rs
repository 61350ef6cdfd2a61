//! Calico's selector language: parse a selector, match it against labels, print its canonical
//! form.
//!
//! This is a port of `libcalico-go/lib/selector` (tokenizer, parser, AST) as of the
//! word-boundary tokenizer of December 2024, so that `kubectl federate` accepts exactly the
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
//! - only space and tab are whitespace: a newline is an error;
//! - strings use `"…"` or `'…'`, end at the next identical quote and have no escapes, so a value
//!   cannot contain both quote characters;
//! - label keys are `[a-zA-Z0-9_./-]`, at most [`MAX_LABEL_LENGTH`] bytes;
//! - the keyword operators (`contains`, `starts with`, `ends with`, `in`, `not in`) are operators
//!   only straight after a label and must end at a word boundary, so `contains contains "x"` is
//!   valid; `startswith`, `endswith` and `notin` are accepted too;
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
mod labels;
mod lexer;
mod parser;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

pub use error::ParseError;
pub use labels::Labels;
pub use lexer::MAX_LABEL_LENGTH;
pub use parser::MAX_NESTING;

/// A parsed Calico selector.
///
/// Cloning is cheap (the tree is shared behind an `Arc`), and matching walks the tree without
/// allocating. Two selectors are equal when they have the same canonical form, that is when they
/// parse to the same tree; `Display` prints that canonical form, which parses back to an equal
/// selector.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Selector {
    root: Arc<ast::Node>,
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
    pub fn matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        self.root.matches(labels)
    }

    fn from_node(node: ast::Node) -> Self {
        Self { root: Arc::new(node) }
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
        self.root.fmt(f)
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

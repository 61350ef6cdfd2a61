//! The canonical form, as Calico's `Selector.String()` writes it.
//!
//! `&&`/`||` groups are wrapped in parentheses, operators have single spaces around them, sets
//! print sorted as `{"a", "b"}`, and strings are double-quoted unless they contain `"`, in which
//! case they are single-quoted (a string cannot hold both: the language has no escapes).

use std::fmt;

use super::ast::{CompareOp, Node, SetOp};

/// A string literal with the quote Calico would choose.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quote = if self.0.contains('"') { '\'' } else { '"' };
        write!(f, "{quote}{}{quote}", self.0)
    }
}

impl CompareOp {
    fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Contains => "contains",
            CompareOp::StartsWith => "starts with",
            CompareOp::EndsWith => "ends with",
        }
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::All => f.write_str("all()"),
            Node::Global => f.write_str("global()"),
            Node::Has(label) => write!(f, "has({label})"),
            Node::Compare { label, op, value } => write!(f, "{label} {} {}", op.symbol(), Quoted(value)),
            Node::Set { label, op, values } => {
                let op = match op {
                    SetOp::In => "in",
                    SetOp::NotIn => "not in",
                };
                write!(f, "{label} {op} {{")?;
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", Quoted(value))?;
                }
                f.write_str("}")
            }
            Node::Not(operand) => write!(f, "!{operand}"),
            Node::And(operands) => group(f, operands, " && "),
            Node::Or(operands) => group(f, operands, " || "),
        }
    }
}

fn group(f: &mut fmt::Formatter<'_>, operands: &[Node], joiner: &str) -> fmt::Result {
    f.write_str("(")?;
    for (i, operand) in operands.iter().enumerate() {
        if i > 0 {
            f.write_str(joiner)?;
        }
        write!(f, "{operand}")?;
    }
    f.write_str(")")
}

#[cfg(test)]
mod tests {
    use super::Quoted;

    #[test]
    fn quote_choice() {
        let cases = [("plain", "\"plain\""), ("", "\"\""), ("it's", "\"it's\""), ("say \"hi\"", "'say \"hi\"'")];
        for (value, want) in cases {
            assert_eq!(Quoted(value).to_string(), want, "value {value:?}");
        }
    }
}

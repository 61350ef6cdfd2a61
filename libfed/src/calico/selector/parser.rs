//! The recursive-descent parser, a port of Calico's `parser/parser.go`:
//! `or := and ("||" and)*`, `and := operation ("&&" operation)*`,
//! `operation := "!"* (has(k) | all() | global() | k op "v" | k [not] in {…} | "(" or ")")`.

use super::ast::{CompareOp, Node, SetOp};
use super::error::ParseError;
use super::label_key::LabelKey;
use super::lexer::{Kind, Token, tokenize};

/// How deeply a selector may nest, counted both as parentheses in the input and as `&&`/`||`
/// groups in the tree (each of which the canonical form wraps in parentheses).
///
/// Calico has no limit (Go stacks grow); Rust's do not, and a selector nested this deep is never
/// written by a person, so deeper input is refused instead of overflowing the stack in the
/// parser, in evaluation or when the tree is dropped. Limiting the groups too keeps the canonical
/// form parseable: `(…(a && b)…) && c` with 128 parentheses prints 129 deep.
pub const MAX_NESTING: usize = 128;

/// Parses a whole selector; an empty (or all-blank) selector is `all()`.
pub(crate) fn parse(input: &str) -> Result<Node, ParseError> {
    let tokens = tokenize(input)?;
    let mut parser = Parser { input, tokens: &tokens, next: 0, depth: 0 };
    if parser.peek().kind == Kind::Eof {
        return Ok(Node::All);
    }
    let Grouped { node, .. } = parser.or()?;
    let rest = parser.peek();
    if rest.kind != Kind::Eof {
        return Err(
            parser.error(rest, format!("unexpected {}, expected '&&', '||' or end of selector", rest.kind.describe()))
        );
    }
    Ok(node)
}

/// A subtree and how deeply `&&`/`||` groups nest in it (what its canonical form's parentheses
/// nest to).
struct Grouped {
    node: Node,
    depth: usize,
}

struct Parser<'t, 'a> {
    input: &'a str,
    tokens: &'t [Token<'a>],
    next: usize,
    depth: usize,
}

impl<'a> Parser<'_, 'a> {
    /// The next token; the last token is always `Eof`, and nothing advances past it.
    fn peek(&self) -> Token<'a> {
        self.tokens[self.next.min(self.tokens.len() - 1)]
    }

    fn bump(&mut self) -> Token<'a> {
        let token = self.peek();
        if token.kind != Kind::Eof {
            self.next += 1;
        }
        token
    }

    fn error(&self, at: Token<'_>, message: String) -> ParseError {
        ParseError::new(self.input, at.position, message)
    }

    fn or(&mut self) -> Result<Grouped, ParseError> {
        let start = self.peek();
        let mut operands = vec![self.and()?];
        while self.peek().kind == Kind::Or {
            self.bump();
            operands.push(self.and()?);
        }
        self.join(start, operands, Node::Or)
    }

    fn and(&mut self) -> Result<Grouped, ParseError> {
        let start = self.peek();
        let mut operands = vec![self.operation()?];
        while self.peek().kind == Kind::And {
            self.bump();
            operands.push(self.operation()?);
        }
        self.join(start, operands, Node::And)
    }

    /// One operand as itself; two or more as a group one level deeper than its deepest operand.
    fn join(
        &self,
        start: Token<'_>,
        mut operands: Vec<Grouped>,
        group: fn(Box<[Node]>) -> Node,
    ) -> Result<Grouped, ParseError> {
        if operands.len() == 1 {
            return Ok(operands.swap_remove(0));
        }
        let depth = 1 + operands.iter().map(|o| o.depth).max().unwrap_or(0);
        if depth > MAX_NESTING {
            return Err(self.error(start, format!("'&&'/'||' groups nested more than {MAX_NESTING} deep")));
        }
        Ok(Grouped { node: group(operands.into_iter().map(|o| o.node).collect()), depth })
    }

    fn operation(&mut self) -> Result<Grouped, ParseError> {
        // A run of `!` collapses to its parity, as in Calico: `!!has(a)` is `has(a)`.
        let mut negated = false;
        while self.peek().kind == Kind::Not {
            self.bump();
            negated = !negated;
        }
        let token = self.bump();
        let (node, depth) = match token.kind {
            Kind::Has(label) => (Node::Has(LabelKey::new(label)), 0),
            Kind::All => (Node::All, 0),
            Kind::Global => (Node::Global, 0),
            Kind::Label(label) => (self.label_operation(label)?, 0),
            Kind::LParen => {
                let Grouped { node, depth } = self.group(token)?;
                (node, depth)
            }
            other => return Err(self.error(token, format!("unexpected {}", other.describe()))),
        };
        Ok(Grouped { node: if negated { node.negate() } else { node }, depth })
    }

    fn group(&mut self, open: Token<'_>) -> Result<Grouped, ParseError> {
        if self.depth == MAX_NESTING {
            return Err(self.error(open, format!("parentheses nested more than {MAX_NESTING} deep")));
        }
        self.depth += 1;
        let node = self.or()?;
        self.depth -= 1;
        let close = self.bump();
        if close.kind != Kind::RParen {
            return Err(self.error(close, format!("expected ')', found {}", close.kind.describe())));
        }
        Ok(node)
    }

    fn label_operation(&mut self, label: &'a str) -> Result<Node, ParseError> {
        let op_token = self.bump();
        let op = match op_token.kind {
            Kind::Eq => CompareOp::Eq,
            Kind::Ne => CompareOp::Ne,
            Kind::Contains => CompareOp::Contains,
            Kind::StartsWith => CompareOp::StartsWith,
            Kind::EndsWith => CompareOp::EndsWith,
            Kind::In => return self.set(label, SetOp::In, op_token),
            Kind::NotIn => return self.set(label, SetOp::NotIn, op_token),
            other => {
                return Err(self.error(
                    op_token,
                    format!("expected operator after label \"{label}\", found {}", other.describe()),
                ));
            }
        };
        let value = self.bump();
        match value.kind {
            Kind::String(value) => Ok(Node::Compare { label: LabelKey::new(label), op, value: value.into() }),
            other => Err(self.error(
                value,
                format!("expected string after '{}', found {}", op_token.kind.symbol(), other.describe()),
            )),
        }
    }

    /// `{` then strings separated by commas (a trailing comma is allowed, as in Calico) then `}`.
    fn set(&mut self, label: &'a str, op: SetOp, op_token: Token<'_>) -> Result<Node, ParseError> {
        let open = self.bump();
        if open.kind != Kind::LBrace {
            return Err(self.error(
                open,
                format!("expected set literal after '{}', found {}", op_token.kind.symbol(), open.kind.describe()),
            ));
        }
        let mut values = Vec::new();
        loop {
            let token = self.bump();
            match token.kind {
                Kind::RBrace => break,
                Kind::String(value) => values.push(value),
                other => {
                    return Err(
                        self.error(token, format!("expected string or '}}' in set, found {}", other.describe()))
                    );
                }
            }
            let token = self.bump();
            match token.kind {
                Kind::RBrace => break,
                Kind::Comma => {}
                other => {
                    return Err(self.error(token, format!("expected ',' or '}}' in set, found {}", other.describe())));
                }
            }
        }
        Ok(Node::set(label, op, values))
    }
}

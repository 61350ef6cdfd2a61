//! The tokenizer, a port of Calico's `libcalico-go/lib/selector/tokenizer` (the word-boundary
//! version of December 2024).
//!
//! Calico tokenizes the whole input before parsing, so a tokenizer error anywhere wins over a
//! parser error earlier in the input; this port does the same so both report the same problem.

use super::error::ParseError;

/// The longest label key Calico accepts (`MaxLabelLength`).
pub const MAX_LABEL_LENGTH: usize = 512;

/// What a token is; labels and strings borrow from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind<'a> {
    Label(&'a str),
    String(&'a str),
    LBrace,
    RBrace,
    Comma,
    Eq,
    Ne,
    In,
    Not,
    NotIn,
    Contains,
    StartsWith,
    EndsWith,
    All,
    Has(&'a str),
    LParen,
    RParen,
    And,
    Or,
    Global,
    Eof,
}

impl Kind<'_> {
    /// How an error message names this token.
    pub(crate) fn describe(&self) -> String {
        match self {
            Kind::Label(label) => format!("label \"{label}\""),
            Kind::String(value) => format!("string {}", super::display::Quoted(value)),
            Kind::Has(label) => format!("'has({label})'"),
            Kind::Eof => "end of selector".to_owned(),
            other => format!("'{}'", other.symbol()),
        }
    }

    /// The source text of an operator or punctuation token.
    pub(crate) fn symbol(&self) -> &'static str {
        match self {
            Kind::LBrace => "{",
            Kind::RBrace => "}",
            Kind::Comma => ",",
            Kind::Eq => "==",
            Kind::Ne => "!=",
            Kind::In => "in",
            Kind::Not => "!",
            Kind::NotIn => "not in",
            Kind::Contains => "contains",
            Kind::StartsWith => "starts with",
            Kind::EndsWith => "ends with",
            Kind::All => "all()",
            Kind::LParen => "(",
            Kind::RParen => ")",
            Kind::And => "&&",
            Kind::Or => "||",
            Kind::Global => "global()",
            Kind::Label(_) | Kind::String(_) | Kind::Has(_) | Kind::Eof => "",
        }
    }
}

/// A token and the byte offset where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub(crate) kind: Kind<'a>,
    pub(crate) position: usize,
}

/// Splits `input` into tokens, always ending with [`Kind::Eof`] at `input.len()`.
pub(crate) fn tokenize(input: &str) -> Result<Vec<Token<'_>>, ParseError> {
    Lexer { input, bytes: input.as_bytes(), pos: 0, tokens: Vec::new() }.run()
}

struct Lexer<'a> {
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
    tokens: Vec<Token<'a>>,
}

/// Calico's label-key characters: `[a-zA-Z0-9_./-]`.
pub(crate) fn is_label_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-')
}

impl<'a> Lexer<'a> {
    fn run(mut self) -> Result<Vec<Token<'a>>, ParseError> {
        loop {
            self.skip_whitespace();
            let start = self.pos;
            let Some(&byte) = self.bytes.get(start) else {
                self.push(Kind::Eof, start);
                return Ok(self.tokens);
            };
            let after_label = matches!(self.tokens.last(), Some(Token { kind: Kind::Label(_), .. }));
            let kind = match byte {
                b'(' => self.single(Kind::LParen),
                b')' => self.single(Kind::RParen),
                b'{' => self.single(Kind::LBrace),
                b'}' => self.single(Kind::RBrace),
                b',' => self.single(Kind::Comma),
                b'"' | b'\'' => self.string(byte)?,
                b'=' => self.double(b'=', Kind::Eq, "expected '=='")?,
                b'&' => self.double(b'&', Kind::And, "expected '&&'")?,
                b'|' => self.double(b'|', Kind::Or, "expected '||'")?,
                b'!' if self.bytes.get(start + 1) == Some(&b'=') => {
                    self.pos += 2;
                    Kind::Ne
                }
                b'!' => self.single(Kind::Not),
                _ if after_label => self.operator()?,
                _ => self.word()?,
            };
            self.push(kind, start);
        }
    }

    fn push(&mut self, kind: Kind<'a>, position: usize) {
        self.tokens.push(Token { kind, position });
    }

    fn error(&self, position: usize, message: impl Into<String>) -> ParseError {
        ParseError::new(self.input, position, message)
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    /// Between tokens only space and tab are whitespace (Calico's `strings.TrimLeft(input, " \t")`);
    /// a newline there is an unexpected character.
    fn skip_whitespace(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Inside `has( … )`, `all( )`, `global( )` and between the words of `starts with`,
    /// `ends with` and `not in`, Calico's regular expressions use `\s`, which in Go is
    /// `[\t\n\f\r ]` (not `\v`).
    fn skip_regex_space(&mut self) {
        while self.bytes.get(self.pos).is_some_and(|&b| is_regex_space(b)) {
            self.pos += 1;
        }
    }

    fn single(&mut self, kind: Kind<'a>) -> Kind<'a> {
        self.pos += 1;
        kind
    }

    fn double(&mut self, second: u8, kind: Kind<'a>, message: &str) -> Result<Kind<'a>, ParseError> {
        if self.bytes.get(self.pos + 1) == Some(&second) {
            self.pos += 2;
            Ok(kind)
        } else {
            Err(self.error(self.pos, message))
        }
    }

    /// A literal runs to the next identical quote; there are no escapes.
    fn string(&mut self, quote: u8) -> Result<Kind<'a>, ParseError> {
        let open = self.pos;
        let body = open + 1;
        let Some(len) = self.bytes[body..].iter().position(|&b| b == quote) else {
            return Err(self.error(open, "unterminated string"));
        };
        self.pos = body + len + 1;
        Ok(Kind::String(&self.input[body..body + len]))
    }

    /// A keyword operator; Calico looks for one only straight after a label, trying in order
    /// `^contains`, `^starts\s*with`, `^ends\s*with`, `^not\s*in\b` and `^in\b`. Only the two
    /// `in` forms must end at a word boundary (Go's ASCII `\b`), so `a containsx 'b'` is the
    /// operator `contains` followed by the label `x` (and fails in the parser).
    fn operator(&mut self) -> Result<Kind<'a>, ParseError> {
        let found = if self.cut_words("contains", None, false) {
            Kind::Contains
        } else if self.cut_words("starts", Some("with"), false) {
            Kind::StartsWith
        } else if self.cut_words("ends", Some("with"), false) {
            Kind::EndsWith
        } else if self.cut_words("not", Some("in"), true) {
            Kind::NotIn
        } else if self.cut_words("in", None, true) {
            Kind::In
        } else {
            let label = match self.tokens.last() {
                Some(Token { kind: Kind::Label(label), .. }) => *label,
                _ => "",
            };
            return Err(self.error(self.pos, format!("expected operator after label \"{label}\"")));
        };
        Ok(found)
    }

    /// `first`, then (when given) `\s*` and `second`, then (when `boundary`) a word boundary.
    fn cut_words(&mut self, first: &str, second: Option<&str>, boundary: bool) -> bool {
        let Some(mut rest) = self.rest().strip_prefix(first) else { return false };
        if let Some(second) = second {
            let Some(after) =
                rest.trim_start_matches(|c: char| c.is_ascii() && is_regex_space(c as u8)).strip_prefix(second)
            else {
                return false;
            };
            rest = after;
        }
        if boundary && rest.as_bytes().first().is_some_and(|&b| is_word_char(b)) {
            return false;
        }
        self.pos = self.input.len() - rest.len();
        true
    }

    /// `has(label)`, `all()`, `global()` or a label.
    fn word(&mut self) -> Result<Kind<'a>, ParseError> {
        if let Some(rest) = self.rest().strip_prefix("has(") {
            self.pos = self.input.len() - rest.len();
            self.skip_regex_space();
            let label = self.label()?;
            self.close_paren("has(")?;
            return Ok(Kind::Has(label));
        }
        for (prefix, kind) in [("all(", Kind::All), ("global(", Kind::Global)] {
            if self.rest().starts_with(prefix) {
                self.pos += prefix.len();
                self.close_paren(prefix)?;
                return Ok(kind);
            }
        }
        Ok(Kind::Label(self.label()?))
    }

    fn close_paren(&mut self, after: &str) -> Result<(), ParseError> {
        self.skip_regex_space();
        if self.bytes.get(self.pos) == Some(&b')') {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(self.pos, format!("no closing ')' after {after}")))
        }
    }

    /// Calico's `[a-zA-Z0-9_./-]{1,512}`: a longer run is a label of its first 512 bytes followed
    /// by whatever the rest tokenizes as (`k…k in {}` with 512 `k` before `in` is valid).
    fn label(&mut self) -> Result<&'a str, ParseError> {
        let start = self.pos;
        let len = self.bytes[start..].iter().take(MAX_LABEL_LENGTH).take_while(|&&b| is_label_char(b)).count();
        if len == 0 {
            return Err(self.error(start, "expected label name"));
        }
        self.pos = start + len;
        Ok(&self.input[start..start + len])
    }
}

/// Go's `\s`: `[\t\n\f\r ]`.
fn is_regex_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Go's `\w` (what `\b` separates): `[0-9A-Za-z_]`, ASCII only.
fn is_word_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::{Kind, MAX_LABEL_LENGTH, tokenize};

    fn kinds(input: &str) -> Vec<Kind<'_>> {
        tokenize(input).unwrap_or_else(|e| panic!("{input:?}: {e}")).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn tokens() {
        use Kind::*;
        let cases: &[(&str, &[Kind<'_>])] = &[
            ("", &[Eof]),
            (" \t ", &[Eof]),
            ("a == 'b'", &[Label("a"), Eq, String("b"), Eof]),
            ("a==\"b\"", &[Label("a"), Eq, String("b"), Eof]),
            ("a != 'b'", &[Label("a"), Ne, String("b"), Eof]),
            ("a contains 'b'", &[Label("a"), Contains, String("b"), Eof]),
            ("a contains'b'", &[Label("a"), Contains, String("b"), Eof]),
            ("a starts with 'b'", &[Label("a"), StartsWith, String("b"), Eof]),
            ("a startswith 'b'", &[Label("a"), StartsWith, String("b"), Eof]),
            ("a starts \t with'b'", &[Label("a"), StartsWith, String("b"), Eof]),
            ("a ends with 'b'", &[Label("a"), EndsWith, String("b"), Eof]),
            ("a endswith 'b'", &[Label("a"), EndsWith, String("b"), Eof]),
            ("a in {'b', \"c\"}", &[Label("a"), In, LBrace, String("b"), Comma, String("c"), RBrace, Eof]),
            ("a in{}", &[Label("a"), In, LBrace, RBrace, Eof]),
            ("a not in {}", &[Label("a"), NotIn, LBrace, RBrace, Eof]),
            ("a notin {}", &[Label("a"), NotIn, LBrace, RBrace, Eof]),
            ("a not  in{}", &[Label("a"), NotIn, LBrace, RBrace, Eof]),
            // Inside these tokens whitespace is Go's `\s`: newline, carriage return, form feed too.
            ("has(\na)", &[Has("a"), Eof]),
            ("has(\r\n a \x0c)", &[Has("a"), Eof]),
            ("all(\r)", &[All, Eof]),
            ("global(\n\t)", &[Global, Eof]),
            ("a starts\nwith 'b'", &[Label("a"), StartsWith, String("b"), Eof]),
            ("a ends\r\nwith 'b'", &[Label("a"), EndsWith, String("b"), Eof]),
            ("a not\x0cin {'b'}", &[Label("a"), NotIn, LBrace, String("b"), RBrace, Eof]),
            // Only `in` and `not in` end at a word boundary; `contains`, `starts with` and
            // `ends with` do not, so the label after them fails in the parser.
            ("a containsx 'b'", &[Label("a"), Contains, Label("x"), String("b"), Eof]),
            ("a starts withx 'b'", &[Label("a"), StartsWith, Label("x"), String("b"), Eof]),
            ("a starts with b", &[Label("a"), StartsWith, Label("b"), Eof]),
            ("a not in b", &[Label("a"), NotIn, Label("b"), Eof]),
            // A word boundary is Go's: `-`, `.` and `/` are not word characters.
            ("a in-b", &[Label("a"), In, Label("-b"), Eof]),
            // `in` has no trailing-space trim, so a label after it is a boundary.
            ("a in b", &[Label("a"), In, Label("b"), Eof]),
            ("has(a)", &[Has("a"), Eof]),
            ("has( a.b/c-d_e \t)", &[Has("a.b/c-d_e"), Eof]),
            ("!has(a)", &[Not, Has("a"), Eof]),
            ("all()", &[All, Eof]),
            ("all( )", &[All, Eof]),
            ("global()", &[Global, Eof]),
            ("global(\t)", &[Global, Eof]),
            ("(a) && b || !c", &[LParen, Label("a"), RParen, And, Label("b"), Or, Not, Label("c"), Eof]),
            // Keywords are labels unless they follow a label.
            ("contains contains 'contains'", &[Label("contains"), Contains, String("contains"), Eof]),
            ("in in {}", &[Label("in"), In, LBrace, RBrace, Eof]),
            ("has == 'x'", &[Label("has"), Eq, String("x"), Eof]),
            ("all == 'x'", &[Label("all"), Eq, String("x"), Eof]),
            ("not == 'x'", &[Label("not"), Eq, String("x"), Eof]),
            // Strings end at the same quote and have no escapes.
            ("a == 'say \"hi\"'", &[Label("a"), Eq, String("say \"hi\""), Eof]),
            ("a == \"it's\"", &[Label("a"), Eq, String("it's"), Eof]),
            ("a == '\\'", &[Label("a"), Eq, String("\\"), Eof]),
            ("a == 'line\nbreak'", &[Label("a"), Eq, String("line\nbreak"), Eof]),
            ("a == 'ünïcødé'", &[Label("a"), Eq, String("ünïcødé"), Eof]),
            ("a == ''", &[Label("a"), Eq, String(""), Eof]),
            ("!!a", &[Not, Not, Label("a"), Eof]),
            ("a !b", &[Label("a"), Not, Label("b"), Eof]),
        ];
        for (input, want) in cases {
            assert_eq!(&kinds(input), want, "input {input:?}");
        }
    }

    #[test]
    fn positions() {
        let tokens = tokenize("  a  == 'b' ").expect("valid");
        let got: Vec<usize> = tokens.iter().map(|t| t.position).collect();
        assert_eq!(got, [2, 5, 8, 12]);
    }

    #[test]
    fn errors() {
        let long = "k".repeat(MAX_LABEL_LENGTH + 1);
        let long_has = format!("has({long})");
        let long_message = format!("expected operator after label \"{}\"", &long[..MAX_LABEL_LENGTH]);
        let cases: &[(&str, usize, &str)] = &[
            ("a == 'b", 5, "unterminated string"),
            ("a == \"b'", 5, "unterminated string"),
            ("'", 0, "unterminated string"),
            ("a = 'b'", 2, "expected '=='"),
            ("a =", 2, "expected '=='"),
            ("a & b", 2, "expected '&&'"),
            ("a | b", 2, "expected '||'"),
            ("a b", 2, "expected operator after label \"a\""),
            ("a inx {}", 2, "expected operator after label \"a\""),
            ("a starts 'b'", 2, "expected operator after label \"a\""),
            ("a in_b {}", 2, "expected operator after label \"a\""),
            ("a nothing", 2, "expected operator after label \"a\""),
            ("a has(b)", 2, "expected operator after label \"a\""),
            ("has(a", 5, "no closing ')' after has("),
            ("has(a b)", 6, "no closing ')' after has("),
            ("has()", 4, "expected label name"),
            ("has( )", 5, "expected label name"),
            ("has('a')", 4, "expected label name"),
            ("all(", 4, "no closing ')' after all("),
            ("all(x)", 4, "no closing ')' after all("),
            ("global( x", 8, "no closing ')' after global("),
            // Only space and tab are whitespace.
            ("a == 'b'\n", 8, "expected label name"),
            ("a\n== 'b'", 1, "expected operator after label \"a\""),
            // `\v` is not Go's `\s`.
            ("has(\x0ba)", 4, "expected label name"),
            ("all(\x0b)", 4, "no closing ')' after all("),
            ("a starts\x0bwith 'b'", 2, "expected operator after label \"a\""),
            ("\ra == 'b'", 0, "expected label name"),
            ("a\u{a0}== 'b'", 1, "expected operator after label \"a\""),
            ("é == 'b'", 0, "expected label name"),
            ("a == 'b' && é", 12, "expected label name"),
            ("@", 0, "expected label name"),
            // A label is at most 512 bytes: the 513th starts the next token.
            (&long, 512, &long_message),
            (&long_has, 516, "no closing ')' after has("),
        ];
        for (input, position, message) in cases {
            let err = tokenize(input).expect_err(input);
            assert_eq!((err.position, err.message.as_str()), (*position, *message), "input {input:?}");
        }
    }

    #[test]
    fn label_of_max_length_is_accepted() {
        let label = "k".repeat(MAX_LABEL_LENGTH);
        assert_eq!(kinds(&label), [Kind::Label(&label), Kind::Eof]);
    }

    #[test]
    fn a_longer_run_is_a_label_and_the_rest() {
        let label = "k".repeat(MAX_LABEL_LENGTH);
        let input = format!("{label}in {{}}");
        assert_eq!(kinds(&input), [Kind::Label(&label), Kind::In, Kind::LBrace, Kind::RBrace, Kind::Eof]);
        let input = format!("{label}contains'x'");
        assert_eq!(kinds(&input), [Kind::Label(&label), Kind::Contains, Kind::String("x"), Kind::Eof]);
    }

    #[test]
    fn tokenizer_error_after_parser_error_wins() {
        // Calico tokenizes everything first: the unterminated string is reported, not the `)`.
        let err = tokenize(") 'open").expect_err("unterminated");
        assert_eq!((err.position, err.message.as_str()), (2, "unterminated string"));
    }
}

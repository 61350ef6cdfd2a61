//! [`ParseError`]: why a selector did not parse, and where.

use std::fmt::{self, Write as _};

/// A selector that did not parse: the input, the byte offset of the problem and what was wrong.
///
/// `Display` gives the message and the position (`expected string after '==', found end of
/// selector at position 6`); [`ParseError::caret`] draws the selector with a `^` under the
/// problem, for a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParseError {
    /// The selector as given.
    pub input: String,
    /// Byte offset into `input` of the problem; `input.len()` when input ended too early.
    pub position: usize,
    /// What was wrong, lowercase, without the position (`unterminated string`).
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(input: &str, position: usize, message: impl Into<String>) -> Self {
        debug_assert!(position <= input.len() && input.is_char_boundary(position));
        Self { input: input.to_owned(), position, message: message.into() }
    }

    /// The selector on one line and a `^` under the bad position on the next.
    ///
    /// Newlines and other control characters in the selector are shown escaped (`\n`) so that the
    /// selector stays on one line; tabs are kept on both lines so the caret lines up in a
    /// terminal. There is no trailing newline.
    ///
    /// ```
    /// use libfed::calico::selector::Selector;
    ///
    /// let err = Selector::parse("app == 'web' && tier = 'db'").expect_err("a single '='");
    /// assert_eq!(err.caret(), "app == 'web' && tier = 'db'\n                     ^");
    /// ```
    pub fn caret(&self) -> String {
        let mut line = String::with_capacity(self.input.len());
        let mut under = String::new();
        for (offset, c) in self.input.char_indices() {
            let before = line.chars().count();
            match c {
                '\t' => line.push('\t'),
                c if c.is_control() => {
                    let _ = write!(line, "{}", c.escape_default());
                }
                c => line.push(c),
            }
            if offset < self.position {
                if c == '\t' {
                    under.push('\t');
                } else {
                    let width = line.chars().count() - before;
                    under.extend(std::iter::repeat_n(' ', width));
                }
            }
        }
        under.push('^');
        line.push('\n');
        line.push_str(&under);
        line
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at position {}", self.message, self.position)
    }
}

impl std::error::Error for ParseError {}

#[cfg(test)]
mod tests {
    use super::ParseError;

    #[test]
    fn display_is_message_then_position() {
        let err = ParseError::new("a ==", 4, "expected string after '==', found end of selector");
        assert_eq!(err.to_string(), "expected string after '==', found end of selector at position 4");
    }

    #[test]
    fn caret_lines_up_under_position() {
        let cases: &[(&str, usize, &str)] = &[
            ("a = 'b'", 2, "a = 'b'\n  ^"),
            ("a ==", 4, "a ==\n    ^"),
            ("", 0, "\n^"),
            ("x", 0, "x\n^"),
            // A tab is kept on both lines, so a terminal expands both the same way.
            ("\ta = 'b'", 3, "\ta = 'b'\n\t  ^"),
            // A newline is escaped to two characters and the caret moves past both.
            ("a == 'b'\n&& c", 8, "a == 'b'\\n&& c\n        ^"),
            ("a == 'b'\n&& c", 9, "a == 'b'\\n&& c\n          ^"),
            // Offsets are bytes, columns are characters.
            ("é == 'b' = c", 10, "é == 'b' = c\n         ^"),
        ];
        for (input, position, want) in cases {
            let err = ParseError::new(input, *position, "m");
            assert_eq!(&err.caret(), want, "input {input:?} position {position}");
        }
    }
}

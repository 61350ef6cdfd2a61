//! Parsing stored kubeconfig text with limits, and errors that say where, never what: a parse
//! error over a stored kubeconfig reports the line and column only, since the text around the
//! error may be a token or a key.

use std::fmt;

/// The largest stored kubeconfig read (a minted one is about 3 KiB).
pub const MAX_BYTES: usize = 1024 * 1024;
/// The deepest nesting of mappings and sequences accepted (a kubeconfig needs 5).
pub const MAX_DEPTH: usize = 32;
/// The most YAML nodes accepted (a minted kubeconfig has about 20).
pub const MAX_NODES: usize = 20_000;
/// The most aliases (`*ref`) accepted; kubeconfigs have none, so a few are allowed, not a bomb.
pub const MAX_ALIASES: usize = 64;
/// The most events replayed from aliases: what stops an alias bomb from expanding.
pub const MAX_REPLAYED_EVENTS: usize = 10_000;

/// Why stored text is not a document this tool reads. Holds no part of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Larger than [`MAX_BYTES`].
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
    /// Not YAML (or JSON), or beyond a limit (depth, nodes, aliases).
    Syntax {
        /// 1-based line, when known.
        line: Option<u64>,
        /// 1-based column, when known.
        column: Option<u64>,
        /// A class of the error that quotes nothing from the input.
        kind: &'static str,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::TooLarge { bytes } => {
                write!(f, "{bytes} bytes, over the {} byte limit for a stored kubeconfig", MAX_BYTES)
            }
            ParseError::Syntax { line: Some(l), column: Some(c), kind } => {
                write!(f, "does not parse ({kind}) at line {l}, column {c}")
            }
            ParseError::Syntax { line: Some(l), kind, .. } => write!(f, "does not parse ({kind}) at line {l}"),
            ParseError::Syntax { kind, .. } => write!(f, "does not parse ({kind})"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Parses stored text (YAML or JSON) into a tree, within the limits above.
///
/// # Errors
/// Text over [`MAX_BYTES`], not YAML, or beyond a limit; the error holds no part of the text.
pub fn parse(text: &str) -> Result<serde_json::Value, ParseError> {
    if text.len() > MAX_BYTES {
        return Err(ParseError::TooLarge { bytes: text.len() });
    }
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: MAX_NODES,
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ALIASES,
            max_documents: 1,
            max_events: 4 * MAX_NODES,
            max_total_scalar_bytes: MAX_BYTES,
            max_recorded_anchor_events: MAX_REPLAYED_EVENTS,
            max_recorded_anchor_bytes: MAX_BYTES,
            max_merge_keys: 16,
            flow_nesting_limit: MAX_DEPTH,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
            max_replay_stack_depth: 8,
        },
    };
    serde_saphyr::from_str_with_options::<serde_json::Value>(text, options).map_err(|e| {
        let location = e.location();
        ParseError::Syntax {
            line: location.as_ref().map(|l| l.line()).filter(|l| *l > 0),
            column: location.as_ref().map(|l| l.column()).filter(|c| *c > 0),
            kind: kind(&e),
        }
    })
}

/// A class of a parse error, from its variant only: the messages of serde-saphyr may quote the
/// input, so none of them is shown.
fn kind(e: &serde_saphyr::Error) -> &'static str {
    use serde_saphyr::Error as E;
    match e {
        E::Eof { .. } => "unexpected end",
        E::MultipleDocuments { .. } => "more than one document",
        E::Unexpected { .. }
        | E::UnexpectedSequenceEnd { .. }
        | E::UnexpectedMappingEnd { .. }
        | E::NullIntoString { .. }
        | E::TaggedScalarCannotDeserializeIntoString { .. } => "unexpected value",
        E::MergeValueNotMapOrSeqOfMaps { .. } | E::MergeKeyNotAllowed { .. } => "merge key",
        E::InvalidBinaryBase64 { .. } | E::BinaryNotUtf8 { .. } => "invalid !!binary",
        other => {
            let debug = format!("{other:?}");
            if debug.contains("udget") || debug.contains("limit") || debug.contains("Limit") {
                "a limit was exceeded (size, depth, nodes or aliases)"
            } else {
                "YAML syntax error"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_give_a_position_and_quote_nothing() {
        let text = "apiVersion: v1\nusers:\n- name: u\n  user:\n    token: SECRET-TOKEN-abc\n    client-key-data: KEYDATA-xyz: [\n";
        let err = parse(text).expect_err("malformed");
        let shown = err.to_string();
        assert!(!shown.contains("SECRET") && !shown.contains("KEYDATA"), "{shown}");
        assert!(shown.contains("line"), "{shown}");
    }

    #[test]
    fn limits_hold() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&deep).is_err());
        let huge = "a".repeat(MAX_BYTES + 1);
        assert_eq!(parse(&huge), Err(ParseError::TooLarge { bytes: MAX_BYTES + 1 }));
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            bomb.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(parse(&bomb).is_err());
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
    }
}

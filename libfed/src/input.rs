//! Reading the files the user hands the tool (`mesh -f clusters.yaml`, `aws-auth apply -f`, the
//! kubeconfig files, a CA file a kubeconfig names) with a size limit, and turning YAML parse
//! errors into a position, a field and a message that never quotes the input.
//!
//! Every read stops at the limit plus one byte, so `-f /dev/zero` fails at once with bounded
//! memory instead of growing until the machine runs out.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_saphyr::MessageFormatter;

/// Limit of a file listing clusters or a manifest: 1 MiB, far above any real one.
pub const MAX_INPUT_BYTES: u64 = 1024 * 1024;
/// Limit of one kubeconfig file: 16 MiB. Kubeconfigs of many clusters with inline CA data and
/// client certificates reach a few hundred KiB; kubectl has no limit, so this one is generous.
pub const MAX_KUBECONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// A file that cannot be read as text within its limit.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Missing, unreadable, a directory …
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Larger than the limit (or endless, as `/dev/zero`).
    #[error("{} is larger than the {} limit", .path.display(), human_size(*.limit))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// Not UTF-8 (or UTF-16 with a byte-order mark).
    #[error("{} is not UTF-8 text", .path.display())]
    NotText {
        /// The file.
        path: PathBuf,
    },
}

impl InputError {
    /// Whether the file does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }
}

/// `1 MiB`, `16 MiB`, `512 bytes`.
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads at most `limit` bytes of `reader`.
///
/// # Errors
/// [`InputError::TooLarge`] when there is more; [`InputError::Read`] when reading fails;
/// `path` names the source in both.
pub fn read_limited_from(reader: impl Read, path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Read { path: path.to_path_buf(), source })?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge { path: path.to_path_buf(), limit });
    }
    Ok(bytes)
}

/// Reads a text file of at most `limit` bytes (UTF-8, with or without a byte-order mark, or
/// UTF-16 with one, as kubectl and kube-rs accept kubeconfigs).
///
/// # Errors
/// [`InputError`] naming the file.
pub fn read_text(path: &Path, limit: u64) -> Result<String, InputError> {
    let file = std::fs::File::open(path).map_err(|source| InputError::Read { path: path.to_path_buf(), source })?;
    let bytes = read_limited_from(file, path, limit)?;
    decode_text(bytes).ok_or_else(|| InputError::NotText { path: path.to_path_buf() })
}

/// Reads a binary file (a CA bundle) of at most `limit` bytes.
///
/// # Errors
/// [`InputError`] naming the file.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let file = std::fs::File::open(path).map_err(|source| InputError::Read { path: path.to_path_buf(), source })?;
    read_limited_from(file, path, limit)
}

fn decode_text(bytes: Vec<u8>) -> Option<String> {
    let utf16 = |rest: &[u8], from: fn([u8; 2]) -> u16| {
        if !rest.len().is_multiple_of(2) {
            return None;
        }
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| from([c[0], c[1]])).collect();
        String::from_utf16(&units).ok()
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).ok(),
        _ => String::from_utf8(bytes).ok(),
    }
}

/// A YAML parse error, by position and message only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", position(*.line, *.column))]
pub struct YamlError {
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column, when known.
    pub column: Option<u64>,
    /// What is wrong (with quoted values of the input replaced by `<redacted>` when redacted).
    pub message: String,
}

fn position(line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("line {l} column {c}: "),
        (Some(l), None) => format!("line {l}: "),
        _ => String::new(),
    }
}

/// How much of the input a message may quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// Field names and values (input that holds no secrets: `clusters.yaml`, manifests).
    Values,
    /// Field names only (`unknown field `contxt``); every quoted value is replaced by
    /// `<redacted>`. For kubeconfigs, which hold tokens and keys.
    FieldNamesOnly,
}

/// Longest message kept: parser messages are short, a quoted hostile value may not be.
const MESSAGE_MAX: usize = 300;

impl YamlError {
    /// The position and message of a serde-saphyr error, without the snippet of input that its
    /// `Display` draws (which could show a token or key next to the error).
    pub fn from_saphyr(err: &serde_saphyr::Error, quoting: Quoting) -> Self {
        let inner = err.without_snippet();
        let location = inner.location().or_else(|| err.location());
        let raw: Cow<'_, str> = serde_saphyr::DefaultMessageFormatter.format_message(inner);
        let message = match quoting {
            Quoting::Values => raw.into_owned(),
            Quoting::FieldNamesOnly => redact_quoted(&raw),
        };
        let mut message: String = message.chars().filter(|c| !c.is_control()).take(MESSAGE_MAX).collect();
        if message.is_empty() {
            message = "invalid YAML".into();
        }
        let known = location.filter(|l| l.line() > 0);
        Self { line: known.map(|l| l.line()), column: known.map(|l| l.column()).filter(|c| *c > 0), message }
    }
}

/// Replaces every `"…"` and `'…'` quoted span with `<redacted>`; backtick-quoted field names
/// (serde's `unknown field `x``) stay.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' || c == '\'' {
            let quote = c;
            let mut closed = false;
            let mut escaped = false;
            for d in chars.by_ref() {
                if escaped {
                    escaped = false;
                } else if d == '\\' {
                    escaped = true;
                } else if d == quote {
                    closed = true;
                    break;
                }
            }
            out.push_str("<redacted>");
            if !closed {
                break;
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_at_the_limit_plus_one_byte() {
        let endless = std::io::repeat(0);
        let err = read_limited_from(endless, Path::new("/dev/zero"), 1024).expect_err("endless");
        assert!(matches!(err, InputError::TooLarge { limit: 1024, .. }), "{err}");
        assert_eq!(err.to_string(), "/dev/zero is larger than the 1 KiB limit");
        assert_eq!(read_limited_from(&[1u8; 1024][..], Path::new("x"), 1024).expect("at the limit").len(), 1024);
    }

    #[test]
    fn dev_zero_fails_fast() {
        let path = Path::new("/dev/zero");
        if path.exists() {
            let err = read_text(path, MAX_INPUT_BYTES).expect_err("/dev/zero");
            assert!(err.to_string().contains("larger than the 1 MiB limit"), "{err}");
        }
    }

    #[test]
    fn text_is_decoded_like_kubectl_does() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFa: 1".to_vec()).as_deref(), Some("a: 1"));
        assert_eq!(decode_text(vec![0xFF, 0xFE, b'a', 0, b':', 0]).as_deref(), Some("a:"));
        assert_eq!(decode_text(vec![0xFE, 0xFF, 0, b'a']).as_deref(), Some("a"));
        assert_eq!(decode_text(vec![0xFF, 0xFE, b'a']), None);
        assert_eq!(decode_text(vec![0xC3, 0x28]), None);
    }

    #[test]
    fn missing_files_are_recognised_and_named_once() {
        let err = read_text(Path::new("/nonexistent/kubeconfig"), 10).expect_err("missing");
        assert!(err.is_not_found());
        let text = err.to_string();
        assert!(text.starts_with("cannot read /nonexistent/kubeconfig: "), "{text}");
        assert!(!text.contains('"'), "no doubled quotes: {text}");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        name: String,
        flag: Option<bool>,
    }

    #[test]
    fn parse_errors_give_the_real_position_and_field() {
        let text = "items:\n- name: a\n- name: b\n  contxt: x\n";
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Doc {
            items: Vec<Item>,
        }
        let err = serde_saphyr::from_str::<Doc>(text).expect_err("typo");
        let e = YamlError::from_saphyr(&err, Quoting::Values);
        assert_eq!((e.line, e.column), (Some(4), Some(3)), "{e}");
        assert!(e.message.contains("contxt"), "{e}");
        assert!(!e.to_string().contains('\n'), "one line: {e}");
    }

    #[test]
    fn quoted_values_are_redacted_but_field_names_stay() {
        let err = serde_saphyr::from_str::<Item>("name: a\nflag: \"SECRET-VALUE\"\n").expect_err("bool");
        let e = YamlError::from_saphyr(&err, Quoting::FieldNamesOnly);
        assert!(!e.to_string().contains("SECRET-VALUE"), "{e}");
        assert_eq!(e.line, Some(2), "{e}");
        let err = serde_saphyr::from_str::<Item>("name: a\nSECRETKEY: 1\n").expect_err("unknown");
        let e = YamlError::from_saphyr(&err, Quoting::FieldNamesOnly);
        assert!(e.message.contains("SECRETKEY"), "field names are kept: {e}");
        assert_eq!(redact_quoted(r#"a "b\"c" d 'e' f "open"#), "a <redacted> d <redacted> f <redacted>");
    }
}

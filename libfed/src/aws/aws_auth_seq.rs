//! One list-valued aws-auth key (`mapRoles`, `mapUsers`, `mapAccounts`) kept as the source text of
//! each entry, so that an edit rewrites only the entries it touches.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::aws_auth::AwsAuthError;

/// A list-valued key, kept as the source text of each entry so that untouched entries are
/// written back as they were.
#[derive(Debug, Clone)]
pub(super) struct Seq<T> {
    pub(super) key: &'static str,
    /// Text before the first entry (comments), kept when the key is split.
    pub(super) preamble: String,
    /// Indentation of the entries' `-` in the original text.
    pub(super) indent: usize,
    /// Whether the original text was split into per-entry text.
    pub(super) split: bool,
    pub(super) items: Vec<Item<T>>,
    pub(super) dirty: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Item<T> {
    pub(super) value: T,
    /// The entry's source text (ending in a newline), `None` for new or replaced entries.
    pub(super) text: Option<String>,
}

/// Values of a key that is empty in the authenticator's sense (it skips these).
pub(super) fn is_empty_value(s: &str) -> bool {
    matches!(s.trim(), "" | "``" | "\"\"" | "''")
}

fn parse_list<T: DeserializeOwned>(key: &'static str, text: &str) -> Result<Vec<T>, AwsAuthError> {
    if is_empty_value(text) {
        return Ok(Vec::new());
    }
    let parsed: Option<Vec<T>> =
        serde_saphyr::from_str(text).map_err(|source| AwsAuthError::Parse { key, source: Box::new(source) })?;
    Ok(parsed.unwrap_or_default())
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Whether a line starts a block-sequence entry at `indent`.
fn starts_entry(line: &str, indent: usize) -> bool {
    indent_of(line) == indent && {
        let rest = &line[indent..];
        rest == "-" || rest.starts_with("- ") || rest.starts_with("-\n") || rest.starts_with("-\r\n")
    }
}

impl<T: Clone + PartialEq + Serialize + DeserializeOwned> Seq<T> {
    pub(super) fn parse(key: &'static str, original: Option<&str>) -> Result<Self, AwsAuthError> {
        let mut seq = Self { key, preamble: String::new(), indent: 0, split: false, items: Vec::new(), dirty: false };
        let Some(text) = original else {
            seq.split = true;
            return Ok(seq);
        };
        let values: Vec<T> = parse_list(key, text)?;
        if let Some((preamble, indent, chunks)) = Self::split(text, &values) {
            seq.preamble = preamble;
            seq.indent = indent;
            seq.split = true;
            seq.items = values.into_iter().zip(chunks).map(|(value, t)| Item { value, text: Some(t) }).collect();
        } else {
            seq.items = values.into_iter().map(|value| Item { value, text: None }).collect();
        }
        Ok(seq)
    }

    /// Splits a block sequence into the text of each entry, and checks that each piece parses on
    /// its own to exactly the entry it should be. `None` when that does not hold.
    pub(super) fn split(text: &str, values: &[T]) -> Option<(String, usize, Vec<String>)> {
        if is_empty_value(text) {
            return values.is_empty().then(|| (String::new(), 0, Vec::new()));
        }
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let first = lines.iter().position(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })?;
        let indent = indent_of(lines[first]);
        if !starts_entry(lines[first], indent) {
            return None;
        }
        let preamble: String = lines[..first].concat();
        let mut chunks: Vec<String> = Vec::new();
        for line in &lines[first..] {
            if starts_entry(line, indent) {
                chunks.push(String::new());
            }
            chunks.last_mut()?.push_str(line);
        }
        if chunks.len() != values.len() {
            return None;
        }
        for (chunk, value) in chunks.iter_mut().zip(values) {
            let alone: Vec<T> = serde_saphyr::from_str::<Option<Vec<T>>>(chunk).ok()??;
            if alone.len() != 1 || &alone[0] != value {
                return None;
            }
            if !chunk.ends_with('\n') {
                chunk.push('\n');
            }
        }
        Some((preamble, indent, chunks))
    }

    pub(super) fn values(&self) -> impl Iterator<Item = &T> {
        self.items.iter().map(|i| &i.value)
    }

    /// The key's new string, or `None` when the key stays as it was (absent or untouched).
    pub(super) fn render(&self) -> Result<Option<String>, AwsAuthError> {
        if !self.dirty {
            return Ok(None);
        }
        let values: Vec<T> = self.values().cloned().collect();
        if self.split {
            let mut out = self.preamble.clone();
            for item in &self.items {
                match &item.text {
                    Some(t) => out.push_str(t),
                    None => out.push_str(&indent_lines(&render_entry(self.key, &item.value)?, self.indent)),
                }
            }
            if parse_list::<T>(self.key, &out).ok().as_ref() == Some(&values) {
                return Ok(Some(out));
            }
        }
        // Either the text could not be split, or splicing did not round-trip: write every entry
        // anew, which keeps all entries and fields.
        let mut out = String::new();
        for v in &values {
            out.push_str(&render_entry(self.key, v)?);
        }
        if parse_list::<T>(self.key, &out).ok().as_ref() != Some(&values) {
            return Err(AwsAuthError::RoundTrip { key: self.key });
        }
        Ok(Some(out))
    }
}

pub(super) fn indent_lines(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    text.split_inclusive('\n').map(|l| if l.trim().is_empty() { l.to_string() } else { format!("{pad}{l}") }).collect()
}

/// One entry as a block-sequence item (`- rolearn: …`), in the layout of the aws-auth examples.
pub(super) fn render_entry<T: Serialize>(key: &'static str, value: &T) -> Result<String, AwsAuthError> {
    let text = serde_saphyr::to_string(&[value]).map_err(|e| AwsAuthError::Entry {
        key,
        index: 0,
        message: format!("cannot render entry: {e}"),
    })?;
    Ok(if text.ends_with('\n') { text } else { text + "\n" })
}

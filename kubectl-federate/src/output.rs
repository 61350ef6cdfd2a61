//! Renders `Serialize` reports on stdout: JSON and YAML here; tables by each command, since only
//! it knows its columns.

use std::io::Write;

use serde::Serialize;

use crate::cli::OutputFormat;

/// The `apiVersion` of every `-o json|yaml` document of this tool (except `eval`, which prints
/// calicoq's shape, and dry runs of `svc create`, which print the Kubernetes objects).
pub const API_VERSION: &str = "federate.kubectl.io/v1alpha1";

/// A report with its `apiVersion` and `kind` first.
#[derive(Serialize)]
struct Document<'a, T: Serialize> {
    #[serde(rename = "apiVersion")]
    api_version: &'static str,
    kind: &'a str,
    #[serde(flatten)]
    report: &'a T,
}

/// Writes a report (a struct or map) as a versioned document: `apiVersion`, `kind`, then the
/// report's fields. Returns `false` for table formats, which the caller renders.
pub fn write_document<T: Serialize>(
    out: &mut impl Write,
    format: OutputFormat,
    kind: &str,
    report: &T,
) -> anyhow::Result<bool> {
    write_structured(out, format, &Document { api_version: API_VERSION, kind, report })
}

/// Writes a value as JSON (pretty, newline-terminated) or YAML, as it is. Returns `false` for
/// table formats, which the caller renders.
pub fn write_structured<T: Serialize>(out: &mut impl Write, format: OutputFormat, report: &T) -> anyhow::Result<bool> {
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            writeln!(out)?;
            Ok(true)
        }
        OutputFormat::Yaml => {
            let text = serde_saphyr::to_string(report)?;
            out.write_all(text.as_bytes())?;
            Ok(true)
        }
        OutputFormat::Table | OutputFormat::Wide | OutputFormat::Dot => Ok(false),
    }
}

/// A table in kubectl's style: upper-case headers, no borders, columns padded with spaces.
pub fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::NOTHING)
        .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
        .set_header(header.iter().map(|h| h.to_uppercase()));
    for row in rows {
        t.add_row(row);
    }
    for column in t.column_iter_mut() {
        column.set_padding((0, 3));
    }
    let mut s: String = t.lines().map(|l| l.trim_end().to_string() + "\n").collect();
    if s.is_empty() {
        s.push('\n');
    }
    s
}

/// The width of the terminal stdout is, when it is one; `None` when stdout is a pipe or a file
/// (scripts get every column in full, as from kubectl).
pub fn stdout_width() -> Option<usize> {
    use std::io::IsTerminal;
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    terminal_size::terminal_size_of(&stdout).map(|(w, _)| usize::from(w.0))
}

/// `text` cut to at most `max` characters, ending with `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `text` wrapped at `width` characters, every line after the first indented by `indent`; a span
/// in backticks (a command to paste) is never split.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut in_code = false;
    for word in text.split(' ') {
        match words.last_mut() {
            Some(last) if in_code => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
        in_code ^= word.matches('`').count() % 2 == 1;
    }
    let mut out = String::new();
    let mut line_len = 0;
    for word in words {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            out.push_str(indent);
            line_len = indent.chars().count();
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(&word);
        line_len += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_and_wrapping_keep_commands_whole() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("a longer message", 8), "a longe…");
        let hint = "mint it with a URL: `kubectl federate join b --context a --server b=https://HOST:PORT` (or pass --allow-loopback)";
        let wrapped = wrap(hint, 40, "    ");
        assert_eq!(
            wrapped,
            "mint it with a URL:\n    `kubectl federate join b --context a --server b=https://HOST:PORT`\n    (or pass --allow-loopback)"
        );
        assert_eq!(wrap("one two", 80, "  "), "one two");
    }
}

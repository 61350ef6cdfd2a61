//! Renders `Serialize` reports on stdout: JSON and YAML here; tables by each command, since only
//! it knows its columns.

use std::io::Write;

use serde::Serialize;

use crate::cli::OutputFormat;

/// Writes a report as JSON (pretty, newline-terminated) or YAML. Returns `false` for table formats,
/// which the caller renders.
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
        OutputFormat::Table | OutputFormat::Wide => Ok(false),
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

//! Rendering a status report: per-link rows, the local × remote matrix when there are several
//! local clusters, then each failed check with its hint. JSON and YAML carry the whole report.

use std::io::Write;

use libfed::status::{Cell, LinkStatus, Outcome, StatusReport};

use crate::cli::{GlobalFlags, OutputFormat};
use crate::output;

/// Colours, or none.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.on { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }

    fn outcome(self, o: Outcome, s: &str) -> String {
        match o {
            Outcome::Ok => self.wrap("32", s),
            Outcome::Warning => self.wrap("33", s),
            Outcome::Error => self.wrap("31", s),
            Outcome::Skipped => self.wrap("90", s),
        }
    }
}

/// Colour on stdout: only on a terminal, never with `--no-color` or `NO_COLOR`.
pub fn stdout_paint(global: &GlobalFlags) -> Paint {
    use std::io::IsTerminal;
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Paint { on: !global.no_color && !no_color_env && std::io::stdout().is_terminal() }
}

/// ✓, !, ✗ (and · for a skipped check).
pub fn symbol(o: Outcome) -> &'static str {
    match o {
        Outcome::Ok => "✓",
        Outcome::Warning => "!",
        Outcome::Error => "✗",
        Outcome::Skipped => "·",
    }
}

fn cell(c: Cell) -> (Option<Outcome>, &'static str) {
    match c {
        Cell::Itself => (None, "-"),
        Cell::NoLink => (None, " "),
        Cell::Unknown => (Some(Outcome::Error), "?"),
        Cell::Link(o) => (Some(o), symbol(o)),
    }
}

/// The row's CHECKS cell: which checks failed or warn (their messages and hints are printed once,
/// in the details under the table), else that every check passed.
pub fn checks_cell(l: &LinkStatus) -> String {
    let named = |o: Outcome| {
        let names: Vec<&str> = l.checks.iter().filter(|c| c.outcome == o).map(|c| c.name.as_str()).collect();
        names.join(", ")
    };
    let (failed, warned) = (named(Outcome::Error), named(Outcome::Warning));
    match (failed.is_empty(), warned.is_empty()) {
        (true, true) => {
            let run = l.checks.iter().filter(|c| c.outcome != Outcome::Skipped).count();
            format!("all {run} checks passed")
        }
        (false, true) => format!("failed: {failed}"),
        (true, false) => format!("warning: {warned}"),
        (false, false) => format!("failed: {failed}; warning: {warned}"),
    }
}

/// What is still failing, one entry per unhealthy link or unreadable cluster, by name only (the
/// messages are in the details printed with the report).
pub fn still_failing(report: &StatusReport) -> Vec<String> {
    let clusters =
        report.clusters.iter().filter(|c| c.outcome == Outcome::Error).map(|c| format!("{} (unreadable)", c.context));
    let links = report.unhealthy_links().map(|l| {
        let failed: Vec<&str> =
            l.checks.iter().filter(|c| c.outcome == Outcome::Error).map(|c| c.name.as_str()).collect();
        format!("{} → {} ({})", l.local, l.remote, failed.join(", "))
    });
    clusters.chain(links).collect()
}

/// The marker of a token that expires within `--expiry-warning` (or has expired), in the table
/// and the matrix.
pub const EXPIRING: &str = "*";

/// `legacy`, `bound, 364d left`, and the expiring marker.
fn token_text(l: &LinkStatus) -> String {
    match &l.token {
        None => "-".into(),
        Some(t) if t.expiring => format!("{} {EXPIRING}", t.summary()),
        Some(t) => t.summary(),
    }
}

/// The rows table. With a terminal `width` (and not `wide`), the CHECKS column is cut to fit,
/// ending with `…`; the messages are in the details below the table.
pub fn links_table(report: &StatusReport, wide: bool, paint: Paint, width: Option<usize>) -> String {
    let mut header = vec!["local", "remote", "status", "token"];
    if wide {
        header.extend(["expires", "context", "server"]);
    }
    header.push("checks");
    let rows = report
        .links
        .iter()
        .map(|l| {
            let mut row = vec![l.local.clone(), l.remote.clone(), status_text(l.outcome), token_text(l)];
            if wide {
                row.push(l.token.as_ref().and_then(|t| t.expires.clone()).unwrap_or_else(|| "-".into()));
                row.push(l.remote_context.clone().unwrap_or_else(|| "-".into()));
                row.push(l.server.clone().unwrap_or_else(|| "-".into()));
            }
            row.push(checks_cell(l));
            row
        })
        .collect::<Vec<Vec<String>>>();
    let rows = match width.filter(|_| !wide) {
        Some(width) => fit_last_column(&header, rows, width),
        None => rows,
    };
    let plain = output::table(&header, rows);
    if !paint.on {
        return plain;
    }
    // Coloured after layout: escape codes would otherwise count towards column widths.
    let mut lines = plain.lines();
    let mut s = lines.next().map(|h| format!("{h}\n")).unwrap_or_default();
    for (line, l) in lines.zip(&report.links) {
        let text = status_text(l.outcome);
        s += &line.replacen(&text, &paint.outcome(l.outcome, &text), 1);
        s.push('\n');
    }
    s
}

/// Cuts the last column so that every line fits in `width` (never below 20 characters).
fn fit_last_column(header: &[&str], mut rows: Vec<Vec<String>>, width: usize) -> Vec<Vec<String>> {
    let columns = header.len();
    // Every column but the last, with the 3 spaces of padding after it.
    let before: usize = (0..columns - 1)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).chain([header[i].len()]).max().unwrap_or(0) + 3)
        .sum();
    let room = width.saturating_sub(before).max(20);
    for row in &mut rows {
        if let Some(last) = row.last_mut() {
            *last = output::truncate(last, room);
        }
    }
    rows
}

fn status_text(o: Outcome) -> String {
    format!("{} {}", symbol(o), o.as_str())
}

/// What follows a link's symbol in the matrix: the time a bound token has left (`364d`), and the
/// expiring marker inside `--expiry-warning`.
fn expiry_suffix(report: &StatusReport, local: &str, remote: &str) -> String {
    let link = report.links.iter().find(|l| l.local_name == local && l.remote == remote);
    let Some(t) = link.and_then(|l| l.token.as_ref()) else { return String::new() };
    let marker = if t.expiring { EXPIRING } else { "" };
    match t.expires_in_seconds {
        Some(s) if s <= 0 => format!(" expired{marker}"),
        Some(s) => format!(" {}{marker}", libfed::status::report::human_duration(s)),
        None => String::new(),
    }
}

/// The matrix: rows local, columns remote, ✓/!/✗ (with the time a bound token has left), `-` on
/// the diagonal, `?` when unknown; then the legend of the expiring marker when one is shown.
pub fn matrix(report: &StatusReport, paint: Paint) -> String {
    let m = report.matrix();
    let corner = "LOCAL \\ REMOTE";
    let first = m.rows.iter().map(|r| r.local.chars().count()).chain([corner.len()]).max().unwrap_or(0);
    let texts: Vec<Vec<(Option<Outcome>, String)>> = m
        .rows
        .iter()
        .map(|row| {
            row.cells
                .iter()
                .zip(&m.columns)
                .map(|(c, col)| {
                    let (o, sym) = cell(*c);
                    let suffix =
                        if matches!(c, Cell::Link(_)) { expiry_suffix(report, &row.local, col) } else { String::new() };
                    (o, format!("{sym}{suffix}"))
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = m
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| texts.iter().map(|r| r[i].1.chars().count()).chain([c.chars().count(), 1]).max().unwrap_or(1))
        .collect();
    let mut s = format!("{corner:<first$}");
    for (c, w) in m.columns.iter().zip(&widths) {
        s += &format!("   {c:<w$}");
    }
    s = s.trim_end().to_string() + "\n";
    let mut marked = false;
    for (row, cells) in m.rows.iter().zip(&texts) {
        let mut line = format!("{:<first$}", row.local);
        for ((o, text), w) in cells.iter().zip(&widths) {
            marked |= text.ends_with(EXPIRING);
            let pad = " ".repeat(w.saturating_sub(text.chars().count()));
            let text = o.map_or_else(|| text.clone(), |o| paint.outcome(o, text));
            line += &format!("   {text}{pad}");
        }
        s += line.trim_end();
        s.push('\n');
    }
    s += &format!("{LEGEND}\n");
    if marked {
        s += &format!(
            "{EXPIRING} the token expires within --expiry-warning: renew it with `kubectl federate rotate` (see the hints below)\n"
        );
    }
    s
}

/// What the matrix's marks mean, printed under it.
pub const LEGEND: &str = "✓ ok   ! warning   ✗ error   ? unknown (cluster unreadable)   - itself   blank: no link";

/// Each failed or warning check, with its hint (wrapped at a terminal's `width`, commands kept
/// whole).
pub fn problems(report: &StatusReport, paint: Paint, width: Option<usize>) -> String {
    let hint_line = |h: &str| match width {
        Some(w) => format!("    hint: {}\n", output::wrap(h, w.saturating_sub(10).max(40), "          ")),
        None => format!("    hint: {h}\n"),
    };
    let mut s = String::new();
    for c in report.clusters.iter().filter(|c| c.outcome == Outcome::Error) {
        s += &format!("{}:\n", c.context);
        for k in c.checks.iter().filter(|k| k.outcome >= Outcome::Warning) {
            s += &format!("  {} {}: {}\n", paint.outcome(k.outcome, symbol(k.outcome)), k.name.as_str(), k.message);
            if let Some(h) = &k.hint {
                s += &hint_line(h);
            }
        }
    }
    for l in &report.links {
        let bad: Vec<_> = l.checks.iter().filter(|k| k.outcome >= Outcome::Warning).collect();
        if bad.is_empty() {
            continue;
        }
        s += &format!("{} → {}:\n", l.local, l.remote);
        for k in bad {
            s += &format!("  {} {}: {}\n", paint.outcome(k.outcome, symbol(k.outcome)), k.name.as_str(), k.message);
            if let Some(h) = &k.hint {
                s += &hint_line(h);
            }
        }
    }
    s
}

/// Writes the report on stdout in the chosen format.
pub fn render(out: &mut impl Write, global: &GlobalFlags, report: &StatusReport) -> anyhow::Result<()> {
    if output::write_document(out, global.output, "StatusReport", report)? {
        return Ok(());
    }
    if global.output == OutputFormat::Dot {
        out.write_all(libfed::status::dot::render(report).as_bytes())?;
        return Ok(());
    }
    let paint = stdout_paint(global);
    let width = output::stdout_width();
    out.write_all(links_table(report, global.output == OutputFormat::Wide, paint, width).as_bytes())?;
    if report.clusters.len() > 1 {
        writeln!(out)?;
        out.write_all(matrix(report, paint).as_bytes())?;
    }
    let problems = problems(report, paint, width);
    if !problems.is_empty() {
        writeln!(out)?;
        out.write_all(problems.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use libfed::jwt::TokenKind;
    use libfed::status::{Check, CheckName, ClusterStatus, TokenInfo};

    use super::*;

    fn cluster(name: &str) -> ClusterStatus {
        ClusterStatus {
            context: name.into(),
            name: name.into(),
            outcome: Outcome::Ok,
            checks: vec![Check::ok(CheckName::ListLinks, "2")],
            links: 2,
        }
    }

    fn link(local: &str, remote: &str, checks: Vec<Check>) -> LinkStatus {
        LinkStatus {
            local: local.into(),
            local_name: local.into(),
            remote: remote.into(),
            remote_context: Some(remote.into()),
            server: Some("https://10.0.0.1:6443".into()),
            outcome: libfed::status::worst(&checks),
            token: Some(TokenInfo {
                kind: TokenKind::Legacy,
                subject: None,
                expires: None,
                expires_in_seconds: None,
                secret: None,
                expiring: false,
            }),
            checks,
        }
    }

    fn report() -> StatusReport {
        let ok = vec![Check::ok(CheckName::Rcc, "x"), Check::ok(CheckName::Secret, "y")];
        let broken = vec![
            Check::ok(CheckName::Rcc, "x"),
            Check::error(
                CheckName::Secret,
                "secret calico-system/s not found",
                "re-run `kubectl federate join b --context a`",
            ),
            Check::skipped(CheckName::SecretData, "no Secret"),
        ];
        StatusReport::new(
            "t".into(),
            vec![cluster("a"), cluster("b")],
            vec![link("a", "b", broken), link("b", "a", ok)],
        )
    }

    #[test]
    fn rows_name_the_first_failing_check_and_the_matrix_reads_at_a_glance() {
        let r = report();
        let off = Paint { on: false };
        let table = links_table(&r, false, off, None);
        assert!(table.starts_with("LOCAL   REMOTE   STATUS    TOKEN    CHECKS\n"), "{table}");
        assert!(table.contains("a       b        ✗ error   legacy   failed: secret\n"), "{table}");
        assert!(!table.contains("not found"), "each message is shown once, in the details: {table}");
        assert!(table.contains("b       a        ✓ ok      legacy   all 2 checks passed"), "{table}");
        assert_eq!(
            matrix(&r, off),
            format!("LOCAL \\ REMOTE   a   b\na                -   ✗\nb                ✓   -\n{LEGEND}\n")
        );
        let p = problems(&r, off, None);
        assert_eq!(
            p,
            "a → b:\n  ✗ secret: secret calico-system/s not found\n    hint: re-run `kubectl federate join b --context a`\n"
        );
        assert_eq!(still_failing(&r), ["a → b (secret)"]);
    }

    #[test]
    fn bound_tokens_show_their_time_left_and_expiring_ones_a_marker() {
        let token = |left: i64, expiring: bool| TokenInfo {
            kind: TokenKind::Bound,
            subject: None,
            expires: Some("2026-12-05T00:00:00Z".into()),
            expires_in_seconds: Some(left),
            secret: Some("tigera-federation-remote-cluster-token-2".into()),
            expiring,
        };
        let mut soon = link("a", "b", vec![Check::warning(CheckName::Token, "expires in 9d", "rotate it")]);
        soon.token = Some(token(9 * 86_400, true));
        let mut later = link("b", "a", vec![Check::ok(CheckName::Token, "fine")]);
        later.token = Some(token(364 * 86_400, false));
        let r = StatusReport::new("t".into(), vec![cluster("a"), cluster("b")], vec![soon, later]);
        let off = Paint { on: false };
        assert_eq!(
            matrix(&r, off),
            "LOCAL \\ REMOTE   a        b\n\
             a                -        ! 9d*\n\
             b                ✓ 364d   -\n\
             ✓ ok   ! warning   ✗ error   ? unknown (cluster unreadable)   - itself   blank: no link\n\
             * the token expires within --expiry-warning: renew it with `kubectl federate rotate` (see the hints below)\n"
        );
        let table = links_table(&r, false, off, None);
        assert!(table.contains("bound, 9d left *"), "{table}");
        assert!(table.contains("bound, 364d left "), "{table}");
        let wide = links_table(&r, true, off, Some(40));
        assert!(wide.contains("2026-12-05T00:00:00Z"), "{wide}");
    }

    #[test]
    fn colour_only_when_asked_and_columns_still_align() {
        let r = report();
        let on = links_table(&r, false, Paint { on: true }, None);
        assert!(on.contains("\x1b[31m✗ error\x1b[0m"), "{on:?}");
        let plain = links_table(&r, false, Paint { on: false }, None);
        assert!(!plain.contains('\x1b'));
        let strip = |s: &str| s.replace("\x1b[31m", "").replace("\x1b[32m", "").replace("\x1b[0m", "");
        assert_eq!(strip(&on), plain, "colour does not move a column");
    }

    #[test]
    fn at_a_terminal_width_the_checks_are_cut_and_hints_wrap() {
        let mut r = report();
        r.links[0].checks.push(Check::warning(CheckName::Token, "expires in 9d", "rotate it"));
        r.links[0].checks.push(Check::error(CheckName::Reachable, "refused", "start it"));
        let off = Paint { on: false };
        let table = links_table(&r, false, off, Some(58));
        for line in table.lines() {
            assert!(line.chars().count() <= 58, "{line:?} is wider than 58");
        }
        assert!(table.contains("failed: secret, re") && table.contains('…'), "{table}");
        let full = links_table(&r, true, off, Some(48));
        assert!(full.contains("failed: secret, reachable; warning: token"), "-o wide keeps the whole cell: {full}");
        let p = problems(&r, off, Some(50));
        assert!(p.contains("    hint: re-run\n          `kubectl federate join b --context a`\n"), "{p}");
    }

    /// The one shape a live run through a pipe never shows: the table and the details at a
    /// terminal's width (the other shapes are snapshots of live runs in
    /// `tests/tests/output_snapshots.rs`).
    #[test]
    fn snapshot_at_a_terminal_width() {
        let mut r = report();
        r.links[0].checks.push(Check::warning(CheckName::Token, "expires in 9d", "rotate it"));
        r.links[0].checks.push(Check::error(CheckName::Reachable, "refused", "start it"));
        let off = Paint { on: false };
        let width = Some(58);
        let shown =
            format!("{}\n{}\n{}", links_table(&r, false, off, width), matrix(&r, off), problems(&r, off, width));
        insta::assert_snapshot!("status_at_width_58", shown);
    }
}

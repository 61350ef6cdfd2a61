//! A status report as a Graphviz graph (`status -o dot`): clusters as nodes, links as edges
//! coloured by health, labelled with the token's kind and time left. Pure.
//!
//! Names come from kubeconfigs and from RCCs read from clusters (untrusted): every name and label
//! is a quoted DOT string with `"` and `\` escaped and control characters dropped, so no input
//! can end a string, add an attribute or a statement.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::report::{Outcome, StatusReport, human_duration};

/// Graphviz colours by outcome.
fn colour(o: Outcome) -> &'static str {
    match o {
        Outcome::Ok => "forestgreen",
        Outcome::Warning => "darkorange",
        Outcome::Error => "red3",
        Outcome::Skipped => "gray50",
    }
}

/// `text` as a DOT quoted string.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars().filter(|c| !c.is_control()) {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The report as a `digraph`: one node per cluster (local clusters by name, remotes by RCC name),
/// one edge per link, local → remote.
pub fn render(report: &StatusReport) -> String {
    let mut s = String::from(
        "digraph federation {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    let locals: BTreeSet<&str> = report.clusters.iter().map(|c| c.name.as_str()).collect();
    for c in &report.clusters {
        let attrs = if c.outcome == Outcome::Error {
            format!(" [color={}, penwidth=2, tooltip={}]", colour(Outcome::Error), quote("its links could not be read"))
        } else {
            String::new()
        };
        let _ = writeln!(s, "  {}{attrs};", quote(&c.name));
    }
    let remotes: BTreeSet<&str> =
        report.links.iter().map(|l| l.remote.as_str()).filter(|r| !locals.contains(r)).collect();
    for r in remotes {
        let _ = writeln!(s, "  {} [style=\"rounded,dashed\"];", quote(r));
    }
    for l in &report.links {
        let label = match &l.token {
            None => l.outcome.as_str().to_owned(),
            Some(t) => match t.expires_in_seconds {
                Some(secs) if secs <= 0 => format!("{}, {}", l.outcome.as_str(), "expired"),
                Some(secs) => format!("{}, {} left", l.outcome.as_str(), human_duration(secs)),
                None => format!("{}, {}", l.outcome.as_str(), t.summary()),
            },
        };
        let tooltip = l.first_problem().map_or_else(|| "all checks passed".to_owned(), |c| c.message.clone());
        let _ = writeln!(
            s,
            "  {} -> {} [color={c}, fontcolor={c}, label={}, tooltip={}];",
            quote(&l.local_name),
            quote(&l.remote),
            quote(&label),
            quote(&tooltip),
            c = colour(l.outcome),
        );
    }
    s.push_str("}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::TokenKind;
    use crate::status::report::{Check, CheckName, ClusterStatus, LinkStatus, TokenInfo};

    fn link(local: &str, remote: &str, checks: Vec<Check>, left: Option<i64>) -> LinkStatus {
        LinkStatus {
            local: local.into(),
            local_name: local.into(),
            remote: remote.into(),
            remote_context: Some(remote.into()),
            server: None,
            outcome: crate::status::worst(&checks),
            token: Some(TokenInfo {
                kind: if left.is_some() { TokenKind::Bound } else { TokenKind::Legacy },
                subject: None,
                expires: None,
                expires_in_seconds: left,
                secret: None,
                expiring: false,
            }),
            checks,
        }
    }

    fn cluster(name: &str, outcome: Outcome) -> ClusterStatus {
        ClusterStatus { context: name.into(), name: name.into(), outcome, checks: Vec::new(), links: 1 }
    }

    #[test]
    fn clusters_are_nodes_and_links_coloured_edges() {
        let report = StatusReport::new(
            "t".into(),
            vec![cluster("a", Outcome::Ok), cluster("b", Outcome::Error)],
            vec![
                link("a", "b", vec![Check::ok(CheckName::Rcc, "x")], Some(364 * 86_400)),
                link("a", "c", vec![Check::error(CheckName::Secret, "secret s not found", "join")], None),
            ],
        );
        let dot = render(&report);
        assert!(dot.starts_with("digraph federation {\n"), "{dot}");
        assert!(dot.contains("  \"a\";\n"), "{dot}");
        assert!(dot.contains("  \"b\" [color=red3, penwidth=2"), "{dot}");
        assert!(dot.contains("  \"c\" [style=\"rounded,dashed\"];\n"), "a remote that is not a local cluster: {dot}");
        assert!(
            dot.contains("  \"a\" -> \"b\" [color=forestgreen, fontcolor=forestgreen, label=\"ok, 364d left\""),
            "{dot}"
        );
        assert!(dot.contains("\"a\" -> \"c\" [color=red3") && dot.contains("tooltip=\"secret s not found\""), "{dot}");
        assert!(dot.ends_with("}\n"));
    }

    #[test]
    fn hostile_names_stay_inside_their_strings() {
        assert_eq!(quote(r#"x"; evil [label="y"#), r#""x\"; evil [label=\"y""#);
        assert_eq!(quote("a\\\"\n}"), r#""a\\\"}""#);
        let report = StatusReport::new(
            "t".into(),
            vec![cluster("a", Outcome::Ok)],
            vec![link("a", "b\"];\n}\ndigraph x {", vec![Check::ok(CheckName::Rcc, "x")], None)],
        );
        let dot = render(&report);
        // The newlines are dropped and the quote escaped: the name is one string on one line.
        assert!(dot.contains(r#"  "a" -> "b\"];}digraph x {" [color="#), "{dot}");
        assert_eq!(dot.lines().filter(|l| l.trim() == "}").count(), 1, "{dot}");
        assert_eq!(dot.lines().count(), 8, "{dot}");
    }
}

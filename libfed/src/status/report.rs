//! The status report: per link the checks that ran and their outcomes, per local cluster whether
//! its links could be listed at all, and the local × remote matrix. Pure and serialisable; JSON is
//! the stable contract.

use serde::Serialize;

use crate::jwt::TokenKind;

/// The outcome of one check. Ordered from best to worst, so a link's outcome is its worst check's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// Not run, because an earlier check failed (the message says which).
    Skipped,
    /// Fine.
    Ok,
    /// Works, but worth fixing (over-privilege, a token expiring soon, a loopback server).
    Warning,
    /// Broken: Calico cannot use this link.
    Error,
}

impl Outcome {
    /// `ok`, `warning`, `error` or `skipped`, as JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Skipped => "skipped",
            Outcome::Ok => "ok",
            Outcome::Warning => "warning",
            Outcome::Error => "error",
        }
    }
}

/// What a check is about. The JSON names are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckName {
    /// The RemoteClusterConfiguration exists and names its Secret.
    Rcc,
    /// The Secret the RCC names exists.
    Secret,
    /// The Secret has `datastoreType: kubernetes` and a `kubeconfig`.
    SecretData,
    /// The stored kubeconfig parses and is self-contained.
    Kubeconfig,
    /// The token's kind and expiry.
    Token,
    /// The server URL is usable from other clusters.
    Server,
    /// `/version` answers with the stored credential.
    Reachable,
    /// The stored credential may do everything Calico needs.
    Permissions,
    /// The stored credential may not read Secrets.
    LeastPrivilege,
    /// `calico-system/calico-typha` may read the Secret in the local cluster.
    TyphaAccess,
    /// The local cluster's RemoteClusterConfigurations could be listed.
    ListLinks,
}

impl CheckName {
    /// The name as JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckName::Rcc => "rcc",
            CheckName::Secret => "secret",
            CheckName::SecretData => "secret-data",
            CheckName::Kubeconfig => "kubeconfig",
            CheckName::Token => "token",
            CheckName::Server => "server",
            CheckName::Reachable => "reachable",
            CheckName::Permissions => "permissions",
            CheckName::LeastPrivilege => "least-privilege",
            CheckName::TyphaAccess => "typha-access",
            CheckName::ListLinks => "list-links",
        }
    }
}

/// One check and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    /// What was checked.
    pub name: CheckName,
    /// The outcome.
    pub outcome: Outcome,
    /// What was found, in words (never secret material).
    pub message: String,
    /// For warnings and errors: the command that fixes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Check {
    /// A passed check.
    pub fn ok(name: CheckName, message: impl Into<String>) -> Check {
        Check { name, outcome: Outcome::Ok, message: message.into(), hint: None }
    }

    /// A warning with the command that fixes it.
    pub fn warning(name: CheckName, message: impl Into<String>, hint: impl Into<String>) -> Check {
        Check { name, outcome: Outcome::Warning, message: message.into(), hint: Some(hint.into()) }
    }

    /// An error with the command that fixes it.
    pub fn error(name: CheckName, message: impl Into<String>, hint: impl Into<String>) -> Check {
        Check { name, outcome: Outcome::Error, message: message.into(), hint: Some(hint.into()) }
    }

    /// A check not run, and why.
    pub fn skipped(name: CheckName, why: impl Into<String>) -> Check {
        Check { name, outcome: Outcome::Skipped, message: why.into(), hint: None }
    }
}

/// The stored token, as far as a report may show it: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// Bound (TokenRequest) or legacy (token Secret).
    pub kind: TokenKind,
    /// The subject, `system:serviceaccount:NS:NAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Expiry (RFC 3339); legacy tokens have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Seconds until expiry when checked (negative once expired).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_seconds: Option<i64>,
    /// The Secret whose deletion revokes the token: a legacy token's own Secret, or the Secret a
    /// TokenRequest token is bound to. None for a token bound to its ServiceAccount only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Whether it expires within `--expiry-warning` (or has expired).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub expiring: bool,
}

impl TokenInfo {
    /// `legacy`, `bound, 9m left`, `bound, expired 2h ago`.
    pub fn summary(&self) -> String {
        let kind = match self.kind {
            TokenKind::Bound => "bound",
            TokenKind::Legacy => "legacy",
        };
        match self.expires_in_seconds {
            None => kind.to_string(),
            Some(s) if s <= 0 => format!("{kind}, expired {} ago", human_duration(-s)),
            Some(s) => format!("{kind}, {} left", human_duration(s)),
        }
    }
}

/// A duration in the largest two units that matter: `45s`, `9m`, `3h12m`, `29d4h`, `365d`.
pub fn human_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3_600, (s % 3_600) / 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h{m}m"),
        (d, 0, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d{h}h"),
    }
}

/// One link, local → remote, and every check of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkStatus {
    /// The local cluster's kubeconfig context.
    pub local: String,
    /// The local cluster's name (as other clusters' RCCs name it).
    pub local_name: String,
    /// The remote's name: the RCC name.
    pub remote: String,
    /// The kubeconfig context that reaches the remote, when one matches (for hints).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_context: Option<String>,
    /// The API server URL in the stored kubeconfig.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// The worst outcome of the checks.
    pub outcome: Outcome,
    /// The stored token's kind and expiry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenInfo>,
    /// Every check, in the order they ran.
    pub checks: Vec<Check>,
}

impl LinkStatus {
    /// The first error, else the first warning.
    pub fn first_problem(&self) -> Option<&Check> {
        let first = |o: Outcome| self.checks.iter().find(|c| c.outcome == o);
        first(Outcome::Error).or_else(|| first(Outcome::Warning))
    }

    /// The check of that name, if it is in the report.
    pub fn check(&self, name: CheckName) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

/// The worst outcome of some checks (`Ok` when there are none or all were skipped).
pub fn worst(checks: &[Check]) -> Outcome {
    checks.iter().map(|c| c.outcome).max().filter(|o| *o != Outcome::Skipped).unwrap_or(Outcome::Ok)
}

/// One local cluster: whether its links could be listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterStatus {
    /// The kubeconfig context.
    pub context: String,
    /// The cluster name.
    pub name: String,
    /// Error when its RCCs could not be listed (its links are then unknown).
    pub outcome: Outcome,
    /// The `list-links` check.
    pub checks: Vec<Check>,
    /// How many links it has.
    pub links: usize,
}

/// Link counts by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Every link.
    pub links: usize,
    /// Links whose checks all passed.
    pub ok: usize,
    /// Links that work but have warnings.
    pub warning: usize,
    /// Links Calico cannot use.
    pub error: usize,
    /// Local clusters whose links could not be listed.
    pub unreachable_clusters: usize,
}

/// Everything `status` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport {
    /// True when every local cluster answered and no link has an error (warnings allowed).
    pub healthy: bool,
    /// When the checks ran (RFC 3339).
    pub checked_at: String,
    /// Counts.
    pub summary: Summary,
    /// The local clusters, in the order asked for.
    pub clusters: Vec<ClusterStatus>,
    /// The links, by local cluster (in the order asked for), then remote name.
    pub links: Vec<LinkStatus>,
}

impl StatusReport {
    /// Builds a report, computing `healthy` and the summary.
    pub fn new(checked_at: String, clusters: Vec<ClusterStatus>, links: Vec<LinkStatus>) -> StatusReport {
        let mut summary = Summary { links: links.len(), ..Summary::default() };
        for l in &links {
            match l.outcome {
                Outcome::Ok | Outcome::Skipped => summary.ok += 1,
                Outcome::Warning => summary.warning += 1,
                Outcome::Error => summary.error += 1,
            }
        }
        summary.unreachable_clusters = clusters.iter().filter(|c| c.outcome == Outcome::Error).count();
        let healthy = summary.error == 0 && summary.unreachable_clusters == 0;
        StatusReport { healthy, checked_at, summary, clusters, links }
    }

    /// The links with an error.
    pub fn unhealthy_links(&self) -> impl Iterator<Item = &LinkStatus> {
        self.links.iter().filter(|l| l.outcome == Outcome::Error)
    }

    /// The local × remote matrix: rows are the local clusters in order; columns the local
    /// clusters' names, then any other remote names, sorted.
    pub fn matrix(&self) -> Matrix {
        let mut columns: Vec<String> = self.clusters.iter().map(|c| c.name.clone()).collect();
        let mut extra: Vec<String> =
            self.links.iter().map(|l| l.remote.clone()).filter(|r| !columns.contains(r)).collect();
        extra.sort();
        extra.dedup();
        columns.extend(extra);
        let rows = self
            .clusters
            .iter()
            .map(|c| MatrixRow {
                local: c.name.clone(),
                cells: columns
                    .iter()
                    .map(|col| {
                        if *col == c.name {
                            Cell::Itself
                        } else if c.outcome == Outcome::Error {
                            Cell::Unknown
                        } else {
                            self.links
                                .iter()
                                .find(|l| l.local == c.context && &l.remote == col)
                                .map_or(Cell::NoLink, |l| Cell::Link(l.outcome))
                        }
                    })
                    .collect(),
            })
            .collect();
        Matrix { columns, rows }
    }
}

/// A cell of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Cell {
    /// The diagonal.
    Itself,
    /// No RCC for that remote.
    NoLink,
    /// The local cluster's links could not be listed.
    Unknown,
    /// A link and its outcome.
    Link(Outcome),
}

/// One row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatrixRow {
    /// The local cluster's name.
    pub local: String,
    /// One cell per column.
    pub cells: Vec<Cell>,
}

/// Rows local, columns remote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Matrix {
    /// Remote names.
    pub columns: Vec<String>,
    /// One row per local cluster.
    pub rows: Vec<MatrixRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(local: &str, remote: &str, outcome: Outcome) -> LinkStatus {
        let check = match outcome {
            Outcome::Error => Check::error(CheckName::Secret, "gone", "join"),
            Outcome::Warning => Check::warning(CheckName::Token, "soon", "rotate"),
            _ => Check::ok(CheckName::Secret, "fine"),
        };
        LinkStatus {
            local: local.into(),
            local_name: local.into(),
            remote: remote.into(),
            remote_context: Some(remote.into()),
            server: None,
            outcome,
            token: None,
            checks: vec![Check::ok(CheckName::Rcc, "there"), check],
        }
    }

    fn cluster(name: &str, outcome: Outcome) -> ClusterStatus {
        ClusterStatus { context: name.into(), name: name.into(), outcome, checks: vec![], links: 0 }
    }

    #[test]
    fn the_worst_check_decides_and_skipped_checks_do_not_count() {
        let c = |o| Check { name: CheckName::Rcc, outcome: o, message: String::new(), hint: None };
        assert_eq!(worst(&[]), Outcome::Ok);
        assert_eq!(worst(&[c(Outcome::Skipped)]), Outcome::Ok);
        assert_eq!(worst(&[c(Outcome::Ok), c(Outcome::Warning), c(Outcome::Skipped)]), Outcome::Warning);
        assert_eq!(worst(&[c(Outcome::Warning), c(Outcome::Error), c(Outcome::Ok)]), Outcome::Error);
    }

    #[test]
    fn warnings_are_healthy_errors_and_unreachable_clusters_are_not() {
        let ok = StatusReport::new(
            "t".into(),
            vec![cluster("a", Outcome::Ok), cluster("b", Outcome::Ok)],
            vec![link("a", "b", Outcome::Ok), link("b", "a", Outcome::Warning)],
        );
        assert!(ok.healthy);
        assert_eq!((ok.summary.ok, ok.summary.warning, ok.summary.error), (1, 1, 0));
        let broken =
            StatusReport::new("t".into(), vec![cluster("a", Outcome::Ok)], vec![link("a", "b", Outcome::Error)]);
        assert!(!broken.healthy);
        assert_eq!(broken.unhealthy_links().count(), 1);
        let dead = StatusReport::new("t".into(), vec![cluster("a", Outcome::Error)], vec![]);
        assert!(!dead.healthy, "a local cluster whose links cannot be listed is not healthy");
    }

    #[test]
    fn the_matrix_has_locals_as_rows_remotes_as_columns_and_a_diagonal() {
        let report = StatusReport::new(
            "t".into(),
            vec![cluster("a", Outcome::Ok), cluster("b", Outcome::Ok), cluster("c", Outcome::Error)],
            vec![link("a", "b", Outcome::Ok), link("a", "x", Outcome::Warning), link("b", "a", Outcome::Error)],
        );
        let m = report.matrix();
        assert_eq!(m.columns, ["a", "b", "c", "x"]);
        assert_eq!(
            m.rows[0].cells,
            [Cell::Itself, Cell::Link(Outcome::Ok), Cell::NoLink, Cell::Link(Outcome::Warning)]
        );
        assert_eq!(m.rows[1].cells, [Cell::Link(Outcome::Error), Cell::Itself, Cell::NoLink, Cell::NoLink]);
        assert_eq!(m.rows[2].cells, [Cell::Unknown, Cell::Unknown, Cell::Itself, Cell::Unknown]);
    }

    #[test]
    fn the_first_problem_is_the_first_error_before_any_warning() {
        let mut l = link("a", "b", Outcome::Error);
        l.checks.insert(1, Check::warning(CheckName::Server, "loopback", "--server"));
        assert_eq!(l.first_problem().map(|c| c.name), Some(CheckName::Secret));
        assert_eq!(link("a", "b", Outcome::Warning).first_problem().map(|c| c.name), Some(CheckName::Token));
        assert_eq!(link("a", "b", Outcome::Ok).first_problem(), None);
    }

    #[test]
    fn token_summaries_read_at_a_glance() {
        let t = |kind, left| TokenInfo {
            kind,
            subject: None,
            expires: None,
            expires_in_seconds: left,
            secret: None,
            expiring: false,
        };
        assert_eq!(t(TokenKind::Legacy, None).summary(), "legacy");
        assert_eq!(t(TokenKind::Bound, Some(540)).summary(), "bound, 9m left");
        assert_eq!(t(TokenKind::Bound, Some(-7200)).summary(), "bound, expired 2h ago");
        assert_eq!(human_duration(31_536_000), "365d");
        assert_eq!(human_duration(3 * 3600 + 12 * 60 + 5), "3h12m");
        assert_eq!(human_duration(29 * 86_400 + 4 * 3600), "29d4h");
        assert_eq!(human_duration(45), "45s");
    }
}

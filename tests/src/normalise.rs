//! Command output made comparable across runs, for snapshots: what differs between two runs of
//! the same scenario (ports, times, uids, resourceVersions, token lifetimes, temporary paths) is
//! replaced by a placeholder in brackets. And the check that goes with it: a snapshot holds no
//! secret ([`secret_markers`]).

use regex::Regex;

/// Rewrites output for a snapshot: exact strings first (in the order given, e.g. the test
/// environment's directory and each cluster's server URL), then the patterns of [`RULES`].
#[derive(Debug, Default, Clone)]
pub struct Normaliser {
    literals: Vec<(String, String)>,
}

/// What varies from run to run, and what it becomes.
pub const RULES: &[(&str, &str)] = &[
    // RFC 3339 times (creation times, token expiries, `lastTransitionTime`), and jiff's spans.
    (r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?", "[time]"),
    // Object uids.
    (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[uid]"),
    // resourceVersions in JSON and YAML.
    (r#"("resourceVersion": "|resourceVersion: ['"]?)\d+"#, "${1}[rv]"),
    // Seconds left on a token.
    (r#"("expiresInSeconds": |expiresInSeconds: )\d+"#, "${1}[seconds]"),
    // Loopback ports: every cluster and emulator listens on a free port of the run.
    (r"(127\.0\.0\.1|localhost|\[::1\]):\d{2,5}\b", "${1}:[port]"),
    // Elapsed times (`in 1.25s`, `after 350ms`).
    (r"\b\d+\.\d+s\b", "[duration]"),
    (r"\b\d+ms\b", "[duration]"),
];

impl Normaliser {
    /// A normaliser with only the [`RULES`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Also replaces the exact string `from` with `to` (before any rule).
    #[must_use]
    pub fn literal(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        let from = from.into();
        if !from.is_empty() {
            self.literals.push((from, to.into()));
        }
        self
    }

    /// `text` with every literal and rule applied.
    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (from, to) in &self.literals {
            out = out.replace(from.as_str(), to);
        }
        for (pattern, to) in RULES {
            let re = Regex::new(pattern).expect("a valid rule");
            out = re.replace_all(&out, *to).into_owned();
        }
        out
    }
}

/// Traces of secret material in `text`: a JWT (every Kubernetes token starts `eyJhbGci`), PEM
/// (plain or base64), or kubeconfig fields that hold credentials or CA data. Empty when clean.
pub fn secret_markers(text: &str) -> Vec<&'static str> {
    const MARKERS: &[&str] = &[
        "eyJhbGci",
        "-----BEGIN",
        "LS0tLS1CRUdJTi",
        "certificate-authority-data",
        "certificateAuthorityData",
        "client-key-data",
        "client-certificate-data",
        "k8s-aws-v1.",
    ];
    MARKERS.iter().copied().filter(|m| text.contains(m)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_varies_between_runs_becomes_a_placeholder() {
        let n = Normaliser::new().literal("/tmp/fed-snap-123", "[env]");
        let cases = [
            ("server https://127.0.0.1:40123/version", "server https://127.0.0.1:[port]/version"),
            ("see /tmp/fed-snap-123/kubeconfig", "see [env]/kubeconfig"),
            ("expires 2027-11-26T08:55:59Z (364d left)", "expires [time] (364d left)"),
            ("at 2026-11-26T08:55:59.123456+00:00", "at [time]"),
            ("uid: 0f8fad5b-d9cb-469f-a165-70867728950e", "uid: [uid]"),
            (r#""resourceVersion": "4711","#, r#""resourceVersion": "[rv]","#),
            ("resourceVersion: '4711'", "resourceVersion: '[rv]'"),
            (r#""expiresInSeconds": 31535999,"#, r#""expiresInSeconds": [seconds],"#),
            ("answered in 1.25s, then 350ms", "answered in [duration], then [duration]"),
        ];
        for (input, want) in cases {
            assert_eq!(n.apply(input), want, "{input}");
        }
    }

    #[test]
    fn what_does_not_vary_is_kept() {
        let n = Normaliser::new();
        for kept in [
            "cluster-a   cluster-b   created",
            "--request-timeout 5s",
            "token-ttl 8760h",
            "10.1.0.5:80/TCP",
            "kubectl-federate v0.1.0",
            "https://10.0.0.1:6443",
        ] {
            assert_eq!(n.apply(kept), kept);
        }
    }

    #[test]
    fn secrets_are_found() {
        assert!(secret_markers("links: 2, all checks passed").is_empty());
        assert_eq!(secret_markers("token: eyJhbGciOiJSUzI1NiJ9.e30.sig"), vec!["eyJhbGci"]);
        assert_eq!(
            secret_markers("certificate-authority-data: LS0tLS1CRUdJTiBDRVJU"),
            vec!["LS0tLS1CRUdJTi", "certificate-authority-data"]
        );
        assert_eq!(secret_markers("-----BEGIN CERTIFICATE-----"), vec!["-----BEGIN"]);
    }
}

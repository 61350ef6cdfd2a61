//! The part of a Calico selector a Kubernetes API server can decide while it lists pods: the
//! namespaces `projectcalico.org/namespace` allows and a label selector (`labelSelector=`) for
//! the selector's other requirements on a pod's own labels ([`Selector::requirements`]).
//!
//! The filter is a necessary condition, never the verdict: the pods it lets through are still
//! matched against the whole selector, with Calico's labels. It only saves the server from
//! serializing (and this process from reading) pods that cannot match, which is most of the cost
//! of `eval` on a large cluster. Sound because:
//! - a requirement on a key Calico does not set (not `projectcalico.org/…`, `pcns.…`, `pcsa.…`)
//!   is a requirement on the pod's own label: Calico copies those unchanged;
//! - `projectcalico.org/namespace` is always the pod's namespace;
//! - a requirement is passed on only when every key and value in it is valid in a Kubernetes
//!   label selector (and not empty); anything else is left to the evaluation.

use std::collections::BTreeSet;

use crate::calico::labels::{NAMESPACE, NAMESPACE_PREFIX, SERVICE_ACCOUNT_PREFIX};
use crate::calico::selector::{Requirement, Selector};

/// Namespaces past this many are listed as one cluster-wide list instead of one list each.
const MAX_NAMESPACE_LISTS: usize = 16;

/// The longest label selector sent; requirements past it are left to the evaluation.
const MAX_LABEL_SELECTOR: usize = 4096;

/// Keys Calico sets on a workload endpoint itself (or inherits from profiles).
const CALICO_KEYS: [&str; 3] = ["projectcalico.org/", NAMESPACE_PREFIX, SERVICE_ACCOUNT_PREFIX];

/// Which pods to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PodFilter {
    /// Only pods in these namespaces (`None`: every namespace; empty: no pod at all).
    pub namespaces: Option<BTreeSet<String>>,
    /// A Kubernetes label selector the pods must meet (empty: none).
    pub label_selector: String,
}

impl PodFilter {
    /// Every pod.
    pub fn everything() -> Self {
        Self::default()
    }

    /// What of `selector` the API server can decide (see the module documentation).
    ///
    /// ```
    /// use libfed::calico::selector::Selector;
    /// use libfed::pod_filter::PodFilter;
    ///
    /// let sel = Selector::parse(
    ///     "projectcalico.org/namespace in {'shop', 'cart'} && app == 'web' && version ends with '-stable' && !has(canary)",
    /// )?;
    /// let filter = PodFilter::for_selector(&sel);
    /// assert_eq!(filter.namespaces, Some(["cart".to_owned(), "shop".to_owned()].into()));
    /// assert_eq!(filter.label_selector, "app=web,version,!canary");
    /// # Ok::<(), libfed::calico::selector::ParseError>(())
    /// ```
    pub fn for_selector(selector: &Selector) -> Self {
        let mut filter = Self::everything();
        let mut terms: Vec<String> = Vec::new();
        let mut length = 0;
        for r in selector.requirements() {
            match r {
                Requirement::Nothing | Requirement::OneOf(_, []) => filter.namespaces = Some(BTreeSet::new()),
                Requirement::OneOf(NAMESPACE, values) => {
                    // A value that cannot name a namespace is no pod's namespace.
                    let allowed: BTreeSet<String> = values
                        .iter()
                        .filter(|v| crate::names::validate_namespace(v).is_ok())
                        .map(|v| v.to_string())
                        .collect();
                    filter.namespaces = Some(match filter.namespaces.take() {
                        None => allowed,
                        Some(before) => before.intersection(&allowed).cloned().collect(),
                    });
                }
                other => {
                    if let Some(term) = label_term(&other)
                        && length + term.len() < MAX_LABEL_SELECTOR
                    {
                        length += term.len() + 1;
                        terms.push(term);
                    }
                }
            }
        }
        if filter.namespaces.as_ref().is_some_and(|n| n.len() > MAX_NAMESPACE_LISTS) {
            filter.namespaces = None;
        }
        filter.label_selector = terms.join(",");
        filter
    }

    /// Whether no pod can pass (nothing needs to be listed).
    pub fn selects_nothing(&self) -> bool {
        self.namespaces.as_ref().is_some_and(BTreeSet::is_empty)
    }

    /// The list paths: `/api/v1/pods`, or one per namespace.
    pub(crate) fn paths(&self) -> Vec<String> {
        match &self.namespaces {
            None => vec!["/api/v1/pods".to_owned()],
            Some(namespaces) => namespaces.iter().map(|ns| format!("/api/v1/namespaces/{ns}/pods")).collect(),
        }
    }
}

/// `r` in Kubernetes' label selector syntax, when it is about a pod's own label and every key
/// and value in it is valid there.
fn label_term(r: &Requirement<'_>) -> Option<String> {
    let key = match r {
        Requirement::Present(k) | Requirement::Absent(k) | Requirement::OneOf(k, _) | Requirement::NoneOf(k, _) => *k,
        Requirement::Nothing => return None,
    };
    if CALICO_KEYS.iter().any(|p| key.starts_with(p)) || !is_label_key(key) {
        return None;
    }
    let values = |values: &[Box<str>]| {
        values.iter().all(|v| is_label_value(v)).then(|| values.iter().map(|v| &**v).collect::<Vec<_>>().join(","))
    };
    Some(match r {
        Requirement::Present(_) => key.to_owned(),
        Requirement::Absent(_) => format!("!{key}"),
        Requirement::OneOf(_, [one]) if is_label_value(one) => format!("{key}={one}"),
        Requirement::NoneOf(_, [one]) if is_label_value(one) => format!("{key}!={one}"),
        Requirement::OneOf(_, many) => format!("{key} in ({})", values(many)?),
        Requirement::NoneOf(_, many) => format!("{key} notin ({})", values(many)?),
        Requirement::Nothing => return None,
    })
}

/// A label key Kubernetes accepts: an optional DNS subdomain prefix and `/`, then a name of at
/// most 63 characters, alphanumeric at both ends, `-`, `_`, `.` inside.
fn is_label_key(key: &str) -> bool {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    let prefix_ok = prefix.is_none_or(|p| crate::names::validate_object_name("label key prefix", p).is_ok());
    prefix_ok && !name.is_empty() && is_label_value(name)
}

/// A non-empty label value Kubernetes accepts: at most 63 characters, alphanumeric at both ends,
/// `-`, `_`, `.` inside.
fn is_label_value(value: &str) -> bool {
    let bytes = value.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    bytes.len() <= 63
        && edge(bytes.first())
        && edge(bytes.last())
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(text: &str) -> PodFilter {
        PodFilter::for_selector(&Selector::parse(text).expect("valid"))
    }

    #[test]
    fn each_requirement_on_a_pod_label_becomes_a_term() {
        for (text, want) in [
            ("all()", ""),
            ("has(app)", "app"),
            ("!has(app)", "!app"),
            ("app == 'web'", "app=web"),
            ("app != 'web'", "app!=web"),
            ("app in {'web', 'api'}", "app in (api,web)"),
            ("app not in {'web', 'api'}", "app notin (api,web)"),
            ("example.com/tier contains 'b'", "example.com/tier"),
            ("a == 'x' || b == 'y'", ""),
            ("app == 'web' && (a == 'x' || b == 'y') && !has(canary)", "app=web,!canary"),
        ] {
            let got = filter(text);
            assert_eq!(got.label_selector, want, "{text}");
            assert_eq!(got.namespaces, None, "{text}");
        }
    }

    #[test]
    fn what_kubernetes_cannot_express_or_calico_sets_is_left_to_the_evaluation() {
        for text in [
            // Calico's own labels, not the pod's.
            "projectcalico.org/orchestrator == 'k8s'",
            "pcns.team == 'payments'",
            "pcsa.projectcalico.org/name == 'web'",
            "has(projectcalico.org/serviceaccount)",
            // Keys and values no Kubernetes label has (the server would refuse the selector).
            "Upper.Example/app == 'web'",
            "app == 'two words'",
            "app == ''",
            "app in {'web', '-bad'}",
            "app == '-web'",
            "a/b/c == 'x'",
            "/app == 'x'",
        ] {
            assert_eq!(filter(text), PodFilter::everything(), "{text}");
        }
        let long = "v".repeat(64);
        assert_eq!(filter(&format!("app == '{long}'")), PodFilter::everything());
    }

    #[test]
    fn the_namespace_label_chooses_the_namespaces_listed() {
        let ns = |names: &[&str]| Some(names.iter().map(|n| (*n).to_owned()).collect::<BTreeSet<_>>());
        assert_eq!(filter("projectcalico.org/namespace == 'shop'").namespaces, ns(&["shop"]));
        assert_eq!(
            filter("projectcalico.org/namespace in {'a', 'b'} && projectcalico.org/namespace in {'b', 'c'}").namespaces,
            ns(&["b"])
        );
        // Not a namespace name: no pod is there.
        assert_eq!(filter("projectcalico.org/namespace == 'Shop'").namespaces, ns(&[]));
        assert!(filter("projectcalico.org/namespace == 'Shop'").selects_nothing());
        // Negations and other tests leave every namespace.
        assert_eq!(filter("projectcalico.org/namespace != 'shop'").namespaces, None);
        assert_eq!(filter("projectcalico.org/namespace starts with 'sh'").namespaces, None);
        // Past 16 namespaces, one list of all.
        let many: Vec<String> = (0..17).map(|i| format!("'ns-{i}'")).collect();
        assert_eq!(filter(&format!("projectcalico.org/namespace in {{{}}}", many.join(","))).namespaces, None);
        assert_eq!(filter("projectcalico.org/namespace == 'a'").paths(), ["/api/v1/namespaces/a/pods"]);
        assert_eq!(PodFilter::everything().paths(), ["/api/v1/pods"]);
    }

    #[test]
    fn a_selector_that_matches_nothing_lists_nothing() {
        assert!(filter("!all()").selects_nothing());
        assert!(filter("app in {}").selects_nothing());
        assert!(!filter("app not in {}").selects_nothing());
    }

    #[test]
    fn the_label_selector_stays_short() {
        let values: Vec<String> = (0..2000).map(|i| format!("'value-{i}'")).collect();
        let text = format!("app in {{{}}} && has(tier)", values.join(","));
        let got = filter(&text);
        assert_eq!(got.label_selector, "tier", "the set is too long to send; the rest still is");
    }
}

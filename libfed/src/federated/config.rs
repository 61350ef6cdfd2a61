//! Whether a Service is federated, and the namespace-scoped selector it federates with.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::core::v1::Service;

use super::{REMOTE_CLUSTER_NAME_LABEL, SERVICE_SELECTOR_ANNOTATION};
use crate::calico::labels::NAMESPACE as NAMESPACE_LABEL;
use crate::calico::selector::{LabelKey, Labels, ParseError, Selector};

/// What a Service is to the federated-services controller.
#[derive(Debug, Clone)]
pub enum Federation {
    /// No annotation: an ordinary Service, and a candidate backing Service.
    NotFederated,
    /// Annotated, selector-less and with a valid selector: its Endpoints are computed.
    Federated(FederationConfig),
    /// Annotated but not federatable; its Endpoints are left to others (and it backs nothing).
    Invalid(Invalid),
}

/// Why an annotated Service is not federated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// The Service has a `spec.selector`: Kubernetes' endpoints controller owns its Endpoints.
    HasSpecSelector,
    /// The annotation is not a valid Calico selector.
    Selector(ParseError),
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invalid::HasSpecSelector => f.write_str(
                "the service has a spec.selector as well as the federation annotation, so it is not federated",
            ),
            Invalid::Selector(e) => write!(f, "annotation {SERVICE_SELECTOR_ANNOTATION} is not a valid selector: {e}"),
        }
    }
}

/// A federated Service's selector, as the user wrote it and as scoped to its namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FederationConfig {
    /// The annotation's value, unchanged (it is copied to the Endpoints object).
    pub expression: String,
    /// `projectcalico.org/namespace == 'NS' && (expression)`, as Calico rewrites it.
    pub scoped: Selector,
}

impl FederationConfig {
    /// Parses `expression` for a Service in `namespace`, the way Calico's controller does: the
    /// expression is rewritten as `projectcalico.org/namespace == 'NS' && (EXPR)` (just the
    /// namespace clause when it is empty).
    ///
    /// The expression must also parse on its own. Calico only parses the rewritten text, so
    /// `a == 'x') || (b == 'y'` would escape the namespace clause there; here it is refused.
    ///
    /// # Errors
    /// A [`ParseError`] whose input and position are the user's expression.
    pub fn parse(namespace: &str, expression: &str) -> Result<Self, ParseError> {
        Selector::parse(expression)?;
        let prefix = format!("{NAMESPACE_LABEL} == '{namespace}'");
        let scoped_text = if expression.is_empty() { prefix.clone() } else { format!("{prefix} && ({expression})") };
        let scoped = Selector::parse(&scoped_text).map_err(|e| {
            // Report the rewritten selector's error against the user's text.
            let offset = prefix.len() + " && (".len();
            let position = e.position.saturating_sub(offset).min(expression.len());
            let position = (0..=position).rev().find(|p| expression.is_char_boundary(*p)).unwrap_or(0);
            let mut err = e.clone();
            err.input = expression.to_owned();
            err.position = position;
            err
        })?;
        Ok(Self { expression: expression.to_owned(), scoped })
    }

    /// Whether a Service in `namespace` with `labels` backs this federated Service; `cluster` is
    /// the RCC name for a remote Service, `None` for a local one. Allocates nothing. The labels
    /// may be any [`Labels`]: the computation passes each Service's [`LabelMap`](crate::calico::selector::LabelMap),
    /// built once when the Service is cached, so that a lookup compares key ids, not text.
    pub fn selects<L: Labels + ?Sized>(&self, namespace: &str, cluster: Option<&str>, labels: Option<&L>) -> bool {
        self.scoped.matches(&ServiceLabels::new(namespace, cluster, labels))
    }
}

/// A Service's labels as the controller's selectors see them: the implicit
/// `projectcalico.org/namespace` (and, for a remote Service,
/// `federation.tigera.io/remoteClusterName`) layered over the Service's own labels, which they
/// shadow. No copy is made.
#[derive(Debug, Clone, Copy)]
pub struct ServiceLabels<'a, L: ?Sized = BTreeMap<String, String>> {
    implicit: [(&'a str, &'a str); 2],
    implicit_len: usize,
    own: Option<&'a L>,
}

impl<'a, L: ?Sized> ServiceLabels<'a, L> {
    /// The labels of a Service in `namespace` (of remote cluster `cluster`, if any).
    pub fn new(namespace: &'a str, cluster: Option<&'a str>, own: Option<&'a L>) -> Self {
        match cluster {
            Some(c) => {
                Self { implicit: [(NAMESPACE_LABEL, namespace), (REMOTE_CLUSTER_NAME_LABEL, c)], implicit_len: 2, own }
            }
            None => Self { implicit: [(NAMESPACE_LABEL, namespace), ("", "")], implicit_len: 1, own },
        }
    }

    fn implicit(&self, key: &str) -> Option<&'a str> {
        self.implicit[..self.implicit_len].iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

impl<L: Labels + ?Sized> Labels for ServiceLabels<'_, L> {
    fn get(&self, key: &str) -> Option<&str> {
        // The implicit layer first, then the Service's own labels.
        self.implicit(key).or_else(|| self.own.and_then(|own| own.get(key)))
    }

    #[inline]
    fn lookup(&self, key: &LabelKey) -> Option<&[u8]> {
        self.implicit(key.as_str()).map(str::as_bytes).or_else(|| self.own.and_then(|own| own.lookup(key)))
    }
}

/// Classifies a Service (spec/federation.md §4 "Exclusions").
pub fn federation(service: &Service) -> Federation {
    let Some(expression) = service.metadata.annotations.as_ref().and_then(|a| a.get(SERVICE_SELECTOR_ANNOTATION))
    else {
        return Federation::NotFederated;
    };
    if service.spec.as_ref().and_then(|s| s.selector.as_ref()).is_some_and(|s| !s.is_empty()) {
        return Federation::Invalid(Invalid::HasSpecSelector);
    }
    let namespace = service.metadata.namespace.as_deref().unwrap_or_default();
    match FederationConfig::parse(namespace, expression) {
        Ok(config) => Federation::Federated(config),
        Err(e) => Federation::Invalid(Invalid::Selector(e)),
    }
}

/// Whether a Service may back federated Services: any Service without the annotation (a
/// federated Service, even an invalid one, never does, so federation cannot chain).
pub fn is_backing_candidate(service: &Service) -> bool {
    service.metadata.annotations.as_ref().is_none_or(|a| !a.contains_key(SERVICE_SELECTOR_ANNOTATION))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service(annotation: Option<&str>, selector: Option<serde_json::Value>) -> Service {
        let mut v = json!({"metadata": {"name": "f", "namespace": "ns"}, "spec": {"ports": [{"port": 80}]}});
        if let Some(a) = annotation {
            v["metadata"]["annotations"] = json!({SERVICE_SELECTOR_ANNOTATION: a});
        }
        if let Some(s) = selector {
            v["spec"]["selector"] = s;
        }
        serde_json::from_value(v).expect("service")
    }

    #[test]
    fn classification_follows_the_exclusions() {
        assert!(matches!(federation(&service(None, None)), Federation::NotFederated));
        assert!(matches!(federation(&service(None, Some(json!({"app": "x"})))), Federation::NotFederated));
        assert!(matches!(federation(&service(Some("a == 'b'"), None)), Federation::Federated(_)));
        // An empty selector map is no selector.
        assert!(matches!(federation(&service(Some("a == 'b'"), Some(json!({})))), Federation::Federated(_)));
        assert!(matches!(
            federation(&service(Some("a == 'b'"), Some(json!({"app": "x"})))),
            Federation::Invalid(Invalid::HasSpecSelector)
        ));
        match federation(&service(Some("a = 'b'"), None)) {
            Federation::Invalid(Invalid::Selector(e)) => assert_eq!(e.caret(), "a = 'b'\n  ^"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn annotated_services_never_back_anything() {
        assert!(is_backing_candidate(&service(None, Some(json!({"app": "x"})))));
        assert!(is_backing_candidate(&service(None, None)));
        assert!(!is_backing_candidate(&service(Some("a == 'b'"), None)));
        assert!(!is_backing_candidate(&service(Some("not a selector ((("), None)));
        assert!(!is_backing_candidate(&service(Some(""), Some(json!({"app": "x"})))));
    }

    #[test]
    fn scoped_selector_is_calicos_rewrite() {
        let cases = [
            ("", r#"projectcalico.org/namespace == "ns""#),
            ("run == 'my-app'", r#"(projectcalico.org/namespace == "ns" && run == "my-app")"#),
            ("a == 'x' || b == 'y'", r#"(projectcalico.org/namespace == "ns" && (a == "x" || b == "y"))"#),
        ];
        for (expr, canonical) in cases {
            let c = FederationConfig::parse("ns", expr).expect(expr);
            assert_eq!(c.scoped.to_string(), canonical, "{expr:?}");
            assert_eq!(c.expression, expr);
        }
    }

    #[test]
    fn an_expression_that_would_escape_the_namespace_clause_is_refused() {
        // Calico parses only the rewritten text, where this becomes `ns && (a) || (b)`.
        let err = FederationConfig::parse("ns", "a == 'x') || (b == 'y'").expect_err("refused");
        assert_eq!(err.input, "a == 'x') || (b == 'y'");
        assert_eq!(err.position, 8);
        // Whitespace alone parses on its own but not inside `( )`, as in Calico.
        let err = FederationConfig::parse("ns", "  ").expect_err("empty parentheses");
        assert_eq!(err.input, "  ");
        assert!(err.position <= 2);
    }

    #[test]
    fn implicit_labels_shadow_the_services_own() {
        let own = BTreeMap::from([
            (NAMESPACE_LABEL.to_owned(), "spoofed".to_owned()),
            (REMOTE_CLUSTER_NAME_LABEL.to_owned(), "spoofed".to_owned()),
            ("run".to_owned(), "my-app".to_owned()),
        ]);
        let remote = ServiceLabels::new("ns", Some("cluster-b"), Some(&own));
        assert_eq!(remote.get(NAMESPACE_LABEL), Some("ns"));
        assert_eq!(remote.get(REMOTE_CLUSTER_NAME_LABEL), Some("cluster-b"));
        assert_eq!(remote.get("run"), Some("my-app"));
        let local = ServiceLabels::new("ns", None, Some(&own));
        assert_eq!(local.get(NAMESPACE_LABEL), Some("ns"));
        // Calico adds the cluster label only to remote services; a local one keeps its own.
        assert_eq!(local.get(REMOTE_CLUSTER_NAME_LABEL), Some("spoofed"));
        assert_eq!(ServiceLabels::<BTreeMap<String, String>>::new("ns", None, None).get("run"), None);
    }
}

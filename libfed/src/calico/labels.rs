//! The labels Calico adds to every Kubernetes workload endpoint, which selectors can match.
//!
//! With the Kubernetes datastore, a pod's WorkloadEndpoint carries (CEREPO
//! `libcalico-go/lib/backend/k8s/conversion`):
//! - the pod's labels, with `projectcalico.org/namespace`, `projectcalico.org/orchestrator: k8s`
//!   and, for a service account name shorter than 63 characters,
//!   `projectcalico.org/serviceaccount` written over them;
//! - inherited from the namespace profile `kns.<ns>`: `pcns.<label>` for each namespace label and
//!   `pcns.projectcalico.org/name: <ns>`;
//! - inherited from the service-account profile `ksa.<ns>.<sa>`: `pcsa.<label>` for each
//!   service-account label and `pcsa.projectcalico.org/name: <sa>`.
//!
//! An endpoint's own labels shadow inherited ones (Felix's `endpointData.Get`). Remote-cluster
//! endpoints carry the same labels and no cluster label.

use std::collections::BTreeMap;

use super::selector::{LabelKey, LabelMap, Labels};

/// `projectcalico.org/namespace`: the pod's namespace.
pub const NAMESPACE: &str = "projectcalico.org/namespace";
/// `projectcalico.org/orchestrator`: `k8s` for pods.
pub const ORCHESTRATOR: &str = "projectcalico.org/orchestrator";
/// `projectcalico.org/serviceaccount`: the pod's service account, when its name is short enough.
pub const SERVICE_ACCOUNT: &str = "projectcalico.org/serviceaccount";
/// `projectcalico.org/name`: the name label a namespace or service-account profile adds.
pub const NAME: &str = "projectcalico.org/name";
/// Prefix of labels inherited from the namespace.
pub const NAMESPACE_PREFIX: &str = "pcns.";
/// Prefix of labels inherited from the service account.
pub const SERVICE_ACCOUNT_PREFIX: &str = "pcsa.";
/// The value of [`ORCHESTRATOR`] on pods.
pub const ORCHESTRATOR_K8S: &str = "k8s";

/// Calico sets [`SERVICE_ACCOUNT`] only for names shorter than this, for backwards compatibility.
const SERVICE_ACCOUNT_LABEL_MAX: usize = 63;

/// The labels Calico adds to a pod's workload endpoint in `namespace`, run as `service_account`.
///
/// `namespace_labels` and `sa_labels` are the labels of the Namespace and ServiceAccount objects.
/// `service_account` is `None` (or empty) for a pod without one, which then gets no `pcsa.*`
/// labels. Combine the result (as a [`LabelMap`], built once per namespace and service account)
/// with the pod's labels through [`WorkloadEndpointLabels`], which applies Calico's precedence
/// without copying.
///
/// ```
/// use std::collections::BTreeMap;
/// use libfed::calico::labels::workload_labels;
///
/// let ns = BTreeMap::from([("team".to_owned(), "shop".to_owned())]);
/// let labels = workload_labels("shop", Some("web"), &ns, &BTreeMap::new());
/// assert_eq!(labels["projectcalico.org/namespace"], "shop");
/// assert_eq!(labels["pcns.team"], "shop");
/// assert_eq!(labels["pcsa.projectcalico.org/name"], "web");
/// ```
pub fn workload_labels(
    namespace: &str,
    service_account: Option<&str>,
    namespace_labels: &BTreeMap<String, String>,
    sa_labels: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    let service_account = service_account.filter(|sa| !sa.is_empty());
    labels.insert(NAMESPACE.to_owned(), namespace.to_owned());
    labels.insert(ORCHESTRATOR.to_owned(), ORCHESTRATOR_K8S.to_owned());
    for (k, v) in namespace_labels {
        labels.insert(format!("{NAMESPACE_PREFIX}{k}"), v.clone());
    }
    labels.insert(format!("{NAMESPACE_PREFIX}{NAME}"), namespace.to_owned());
    if let Some(sa) = service_account {
        if sa.len() < SERVICE_ACCOUNT_LABEL_MAX {
            labels.insert(SERVICE_ACCOUNT.to_owned(), sa.to_owned());
        }
        for (k, v) in sa_labels {
            labels.insert(format!("{SERVICE_ACCOUNT_PREFIX}{k}"), v.clone());
        }
        labels.insert(format!("{SERVICE_ACCOUNT_PREFIX}{NAME}"), sa.to_owned());
    }
    labels
}

/// A pod's labels seen the way Calico sees its workload endpoint, without copying either map.
///
/// `projectcalico.org/*` keys come from `implicit` first (Calico writes them over the pod's
/// labels); every other key comes from `pod` first and falls back to `implicit` (the endpoint's
/// own labels shadow the `pcns.*`/`pcsa.*` labels it inherits from its profiles).
#[derive(Debug, Clone, Copy)]
pub struct WorkloadEndpointLabels<'a, P: ?Sized> {
    /// The result of [`workload_labels`] for the pod's namespace and service account.
    pub implicit: &'a LabelMap,
    /// The pod's own labels.
    pub pod: &'a P,
}

impl<P: Labels + ?Sized> Labels for WorkloadEndpointLabels<'_, P> {
    fn get(&self, key: &str) -> Option<&str> {
        if key.starts_with(CALICO_PREFIX) {
            self.implicit.get(key).or_else(|| self.pod.get(key))
        } else {
            self.pod.get(key).or_else(|| self.implicit.get(key))
        }
    }

    #[inline]
    fn lookup(&self, key: &LabelKey) -> Option<&[u8]> {
        if key.as_str().starts_with(CALICO_PREFIX) {
            self.implicit.lookup(key).or_else(|| self.pod.lookup(key))
        } else {
            self.pod.lookup(key).or_else(|| self.implicit.lookup(key))
        }
    }
}

/// Keys Calico writes over a pod's own labels.
const CALICO_PREFIX: &str = "projectcalico.org/";

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{WorkloadEndpointLabels, workload_labels};
    use crate::calico::selector::{LabelKey, LabelMap, Labels, Selector};

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn implicit_labels_of_a_pod() {
        let got = workload_labels(
            "shop",
            Some("web"),
            &map(&[("team", "payments"), ("kubernetes.io/metadata.name", "shop")]),
            &map(&[("role", "frontend")]),
        );
        let want = map(&[
            ("projectcalico.org/namespace", "shop"),
            ("projectcalico.org/orchestrator", "k8s"),
            ("projectcalico.org/serviceaccount", "web"),
            ("pcns.team", "payments"),
            ("pcns.kubernetes.io/metadata.name", "shop"),
            ("pcns.projectcalico.org/name", "shop"),
            ("pcsa.role", "frontend"),
            ("pcsa.projectcalico.org/name", "web"),
        ]);
        assert_eq!(got, want);
    }

    #[test]
    fn no_service_account_means_no_pcsa_labels() {
        for sa in [None, Some("")] {
            let got = workload_labels("ns", sa, &BTreeMap::new(), &map(&[("role", "x")]));
            let want = map(&[
                ("projectcalico.org/namespace", "ns"),
                ("projectcalico.org/orchestrator", "k8s"),
                ("pcns.projectcalico.org/name", "ns"),
            ]);
            assert_eq!(got, want, "service account {sa:?}");
        }
    }

    #[test]
    fn long_service_account_name_gets_no_serviceaccount_label() {
        let long = "s".repeat(63);
        let got = workload_labels("ns", Some(&long), &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(got.get("projectcalico.org/serviceaccount"), None);
        assert_eq!(got.get("pcsa.projectcalico.org/name"), Some(&long));
        let short = "s".repeat(62);
        let got = workload_labels("ns", Some(&short), &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(got.get("projectcalico.org/serviceaccount"), Some(&short));
    }

    #[test]
    fn endpoint_view_applies_calico_precedence() {
        let implicit = LabelMap::from(&workload_labels("shop", None, &map(&[("team", "ns-team")]), &BTreeMap::new()));
        let pod = map(&[
            ("app", "web"),
            // Calico writes its own value over a pod label of the same name …
            ("projectcalico.org/namespace", "spoofed"),
            // … but keeps pod labels it does not set itself …
            ("projectcalico.org/serviceaccount", "pod-value"),
            // … and a pod label shadows an inherited one.
            ("pcns.team", "pod-team"),
        ]);
        let view = WorkloadEndpointLabels { implicit: &implicit, pod: &pod };
        let cases = [
            ("app", Some("web")),
            ("projectcalico.org/namespace", Some("shop")),
            ("projectcalico.org/orchestrator", Some("k8s")),
            ("projectcalico.org/serviceaccount", Some("pod-value")),
            ("pcns.team", Some("pod-team")),
            ("pcns.projectcalico.org/name", Some("shop")),
            ("missing", None),
        ];
        for (key, want) in cases {
            assert_eq!(view.get(key), want, "key {key}");
            assert_eq!(view.lookup(&LabelKey::new(key)), want.map(str::as_bytes), "key {key}");
        }
        let sel = Selector::parse("projectcalico.org/namespace == 'shop' && pcns.team == 'pod-team' && app == 'web'")
            .expect("valid selector");
        assert!(sel.matches(&view));
    }
}

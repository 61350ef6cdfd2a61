//! `calicoq eval` for federation: the workload endpoints of a local cluster and of every remote it
//! reads through its RCC Secrets (exactly as Calico reaches them) whose Calico labels match a
//! selector. Matching is pure ([`match_pods`]); [`eval`] fetches.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use futures::future::join_all;
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use kube::Api;
use kube::api::ListParams;
use serde::Serialize;

use crate::calico::labels::{WorkloadEndpointLabels, workload_labels};
use crate::calico::selector::{LabelMap, Selector};
use crate::cluster::Cluster;
use crate::federate::error_chain;
use crate::pod_filter::PodFilter;
use crate::pod_list::{LIST_PAGE, PodEncoding, list_pods};
use crate::remotes::remote_clients;
use crate::{Error, Result};

/// A Kubernetes workload endpoint as Calico names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct WorkloadEndpoint {
    /// `CLUSTER/NODE` for a remote endpoint, `NODE` for a local one (as calicoq prints it).
    pub node: String,
    /// Always `k8s`.
    pub orchestrator: String,
    /// `NAMESPACE/POD`.
    pub workload: String,
    /// Always `eth0`.
    pub name: String,
}

impl WorkloadEndpoint {
    /// calicoq's line: `NODE/k8s/NS.POD/eth0` (the first `/` of the workload shown as `.`).
    pub fn id(&self) -> String {
        format!("{}/{}/{}/{}", self.node, self.orchestrator, self.workload.replacen('/', ".", 1), self.name)
    }
}

/// A Calico host endpoint as calicoq names it: `NODE/NAME` (`CLUSTER/NODE/NAME` for a remote).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct HostEndpointId {
    /// `CLUSTER/NODE` for a remote endpoint, `NODE` for a local one.
    pub node: String,
    /// The HostEndpoint's name.
    pub name: String,
}

impl HostEndpointId {
    /// calicoq's line: `NODE/NAME`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.node, self.name)
    }
}

/// A remote that could not be read completely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemoteProblem {
    /// The RCC name.
    pub cluster: String,
    /// What went wrong.
    pub message: String,
}

/// The result of an evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// The selector as the user typed it.
    pub selector: String,
    /// Matching workload endpoints, sorted.
    pub endpoints: Vec<WorkloadEndpoint>,
    /// Matching host endpoints, sorted.
    pub host_endpoints: Vec<HostEndpointId>,
    /// Remotes whose endpoints may be missing.
    pub problems: Vec<RemoteProblem>,
}

/// What one cluster holds that endpoint labels are made from.
#[derive(Debug, Clone, Default)]
pub struct ClusterWorkloads {
    /// Pods, as much of each as Calico's workload endpoint uses.
    pub pods: Vec<PodInfo>,
    /// Namespaces (for `pcns.*` labels).
    pub namespaces: Vec<Namespace>,
    /// ServiceAccounts (for `pcsa.*` labels).
    pub service_accounts: Vec<ServiceAccount>,
    /// Calico HostEndpoints (`crd.projectcalico.org/v1`; none where Calico's CRDs are absent).
    pub host_endpoints: Vec<HostEndpoint>,
}

#[cfg(test)]
use crate::workload::{ANNOTATION_AWS_POD_IPS, ANNOTATION_POD_IP, ANNOTATION_POD_IPS};
pub use crate::workload::{
    HostEndpoint, HostEndpointSpec, PodInfo, PodIp, PodMeta, PodSpecInfo, PodStatusInfo, is_calico_workload,
    is_finished, pod_ips,
};

/// The host endpoints of one cluster matching `selector`, by their own labels (a HostEndpoint
/// has no namespace and no implicit labels).
pub fn match_host_endpoints(
    selector: &Selector,
    workloads: &ClusterWorkloads,
    cluster: Option<&str>,
) -> Vec<HostEndpointId> {
    let empty = BTreeMap::new();
    workloads
        .host_endpoints
        .iter()
        .filter_map(|h| {
            let name = h.metadata.name.as_deref()?;
            let node = h.spec.node.as_deref().filter(|n| !n.is_empty())?;
            selector.matches(h.metadata.labels.as_ref().unwrap_or(&empty)).then(|| HostEndpointId {
                node: cluster.map_or_else(|| node.to_owned(), |c| format!("{c}/{node}")),
                name: name.to_owned(),
            })
        })
        .collect()
}

/// The endpoints of one cluster matching `selector` (`cluster` is `None` for the local cluster).
pub fn match_pods(selector: &Selector, workloads: &ClusterWorkloads, cluster: Option<&str>) -> Vec<WorkloadEndpoint> {
    let empty = BTreeMap::new();
    let ns_labels: BTreeMap<&str, &BTreeMap<String, String>> = workloads
        .namespaces
        .iter()
        .filter_map(|n| Some((n.metadata.name.as_deref()?, n.metadata.labels.as_ref().unwrap_or(&empty))))
        .collect();
    let sa_labels: BTreeMap<(&str, &str), &BTreeMap<String, String>> = workloads
        .service_accounts
        .iter()
        .filter_map(|s| {
            Some((
                (s.metadata.namespace.as_deref()?, s.metadata.name.as_deref()?),
                s.metadata.labels.as_ref().unwrap_or(&empty),
            ))
        })
        .collect();
    let mut implicit_labels: HashMap<(&str, Option<&str>), LabelMap> = HashMap::new();
    let no_labels = LabelMap::default();
    let mut out = Vec::new();
    for pod in workloads.pods.iter().filter(|p| is_calico_workload(p)) {
        let (Some(ns), Some(name)) = (pod.metadata.namespace.as_deref(), pod.metadata.name.as_deref()) else {
            continue;
        };
        let sa = pod.spec.service_account_name.as_deref();
        // The implicit labels depend only on the namespace and service account: built once each.
        let implicit = implicit_labels.entry((ns, sa)).or_insert_with(|| {
            LabelMap::from(&workload_labels(
                ns,
                sa,
                ns_labels.get(ns).copied().unwrap_or(&empty),
                sa.and_then(|sa| sa_labels.get(&(ns, sa)).copied()).unwrap_or(&empty),
            ))
        });
        let pod_labels = pod.metadata.labels.as_ref().unwrap_or(&no_labels);
        if selector.matches(&WorkloadEndpointLabels { implicit, pod: pod_labels }) {
            let node = pod.spec.node_name.clone().unwrap_or_default();
            out.push(WorkloadEndpoint {
                node: cluster.map_or_else(|| node.clone(), |c| format!("{c}/{node}")),
                orchestrator: "k8s".into(),
                workload: format!("{ns}/{name}"),
                name: "eth0".into(),
            });
        }
    }
    out
}

/// Lists what endpoint labels are made from: the pods `filter` lets through (see
/// [`PodFilter::for_selector`]), and every namespace, service account and host endpoint.
///
/// # Errors
/// A list failing.
pub async fn fetch_workloads(
    client: &kube::Client,
    filter: &PodFilter,
) -> std::result::Result<ClusterWorkloads, kube::Error> {
    let (pods, namespaces, sas, heps) = futures::join!(
        list_pods(client, PodEncoding::Protobuf, filter),
        list_all(Api::<Namespace>::all(client.clone())),
        list_all(Api::<ServiceAccount>::all(client.clone())),
        list_host_endpoints(client),
    );
    Ok(ClusterWorkloads { pods: pods?, namespaces: namespaces?, service_accounts: sas?, host_endpoints: heps? })
}

/// Every `HostEndpoint` (`crd.projectcalico.org/v1`, what the remote credential may read), none
/// when the cluster does not serve the kind.
async fn list_host_endpoints(client: &kube::Client) -> std::result::Result<Vec<HostEndpoint>, kube::Error> {
    use kube::api::{ApiResource, DynamicObject, GroupVersionKind};
    let gvk = GroupVersionKind::gvk("crd.projectcalico.org", "v1", "HostEndpoint");
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &ApiResource::from_gvk(&gvk));
    let objects = match list_all(api).await {
        Err(kube::Error::Api(s)) if s.code == 404 => return Ok(Vec::new()),
        other => other?,
    };
    // Objects of the wrong shape are not host endpoints Calico could use: skipped.
    Ok(objects
        .into_iter()
        .filter_map(|o| {
            let spec = o.data.get("spec").cloned().unwrap_or_default();
            let spec: HostEndpointSpec = serde_json::from_value(spec).ok()?;
            Some(HostEndpoint { metadata: o.metadata, spec })
        })
        .collect())
}

/// Every object, page by page, without `metadata.managedFields` (never needed here, and the
/// largest part of a pod's metadata).
async fn list_all<K>(api: Api<K>) -> std::result::Result<Vec<K>, kube::Error>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let mut items = Vec::new();
    let mut params = ListParams::default().limit(LIST_PAGE);
    loop {
        let page = api.list(&params).await?;
        items.extend(page.items.into_iter().map(|mut o| {
            o.meta_mut().managed_fields = None;
            o
        }));
        match page.metadata.continue_.filter(|token| !token.is_empty()) {
            Some(token) => params = params.continue_token(&token),
            None => return Ok(items),
        }
    }
}

/// Evaluates `selector` over the local cluster and every remote it has an RCC for. A remote that
/// cannot be read is a problem in the report, not an error.
///
/// # Errors
/// Reading the local cluster failing.
pub async fn eval(
    local: &Cluster,
    selector_text: &str,
    selector: &Selector,
    timeout: Option<Duration>,
) -> Result<EvalReport> {
    // The local cluster is read while the remotes' clients are made and the remotes read: every
    // cluster's lists are in flight at once. The API servers leave out the pods that cannot match.
    let filter = &PodFilter::for_selector(selector);
    let remotes_read = async {
        let remotes = remote_clients(local, timeout).await?;
        let fetched = join_all(remotes.iter().map(|r| async move {
            match &r.result {
                Ok(client) => (r.name.clone(), fetch_workloads(client, filter).await.map_err(|e| error_chain(&e))),
                Err(e) => (r.name.clone(), Err(e.clone())),
            }
        }))
        .await;
        Ok::<_, Error>(fetched)
    };
    let (local_workloads, fetched) = futures::join!(fetch_workloads(&local.client, filter), remotes_read);
    let local_workloads = local_workloads
        .map_err(|e| Error::api(&local.context, "list", "pods, namespaces, serviceaccounts, hostendpoints", e))?;
    let fetched = fetched?;
    let mut endpoints = match_pods(selector, &local_workloads, None);
    let mut host_endpoints = match_host_endpoints(selector, &local_workloads, None);
    let mut problems = Vec::new();
    for (name, result) in fetched {
        match result {
            Ok(w) => {
                endpoints.extend(match_pods(selector, &w, Some(&name)));
                host_endpoints.extend(match_host_endpoints(selector, &w, Some(&name)));
            }
            Err(message) => problems.push(RemoteProblem {
                cluster: name,
                message: format!("connection to remote cluster failed: {message}"),
            }),
        }
    }
    endpoints.sort();
    host_endpoints.sort();
    Ok(EvalReport { selector: selector_text.to_string(), endpoints, host_endpoints, problems })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pod(ns: &str, name: &str, node: Option<&str>, ip: Option<&str>, labels: serde_json::Value) -> PodInfo {
        serde_json::from_value(json!({
            "metadata": {"namespace": ns, "name": name, "labels": labels},
            "spec": {"nodeName": node, "serviceAccountName": "web", "containers": []},
            "status": {"phase": "Running", "podIP": ip}
        }))
        .expect("pod")
    }

    fn workloads() -> ClusterWorkloads {
        ClusterWorkloads {
            pods: vec![
                pod("shop", "web-1", Some("node-1"), Some("10.0.0.1"), json!({"app": "web"})),
                pod("shop", "db-1", Some("node-2"), Some("10.0.0.2"), json!({"app": "db"})),
                pod("shop", "pending", None, None, json!({"app": "web"})),
                pod("shop", "no-ip", Some("node-1"), None, json!({"app": "web"})),
                pod("other", "web-2", Some("node-1"), Some("10.0.0.3"), json!({"app": "web"})),
            ],
            namespaces: vec![
                serde_json::from_value(json!({"metadata": {"name": "shop", "labels": {"team": "retail"}}}))
                    .expect("ns"),
            ],
            service_accounts: vec![
                serde_json::from_value(
                    json!({"metadata": {"namespace": "shop", "name": "web", "labels": {"tier": "front"}}}),
                )
                .expect("sa"),
            ],
            host_endpoints: vec![
                hep("eth0", Some("node-1"), json!({"role": "edge"})),
                hep("bond0", Some("node-2"), json!({"role": "core"})),
                hep("no-node", None, json!({"role": "edge"})),
            ],
        }
    }

    fn hep(name: &str, node: Option<&str>, labels: serde_json::Value) -> HostEndpoint {
        HostEndpoint {
            metadata: serde_json::from_value(json!({"name": name, "labels": labels})).expect("meta"),
            spec: HostEndpointSpec { node: node.map(str::to_owned) },
        }
    }

    /// A scheduled pod from JSON fragments: metadata additions and its status.
    fn raw_pod(meta: serde_json::Value, status: serde_json::Value) -> PodInfo {
        let mut v =
            json!({"metadata": {"namespace": "shop", "name": "p"}, "spec": {"nodeName": "n", "containers": []}});
        v["metadata"].as_object_mut().expect("object").extend(meta.as_object().expect("object").clone());
        v["status"] = status;
        serde_json::from_value(v).expect("pod")
    }

    fn ids(sel: &str, cluster: Option<&str>) -> Vec<String> {
        let s = Selector::parse(sel).expect("selector");
        let mut v: Vec<String> = match_pods(&s, &workloads(), cluster).iter().map(WorkloadEndpoint::id).collect();
        v.sort();
        v
    }

    #[test]
    fn only_scheduled_pods_with_an_ip_are_endpoints() {
        assert_eq!(
            ids("all()", None),
            ["node-1/k8s/other.web-2/eth0", "node-1/k8s/shop.web-1/eth0", "node-2/k8s/shop.db-1/eth0"]
        );
    }

    #[test]
    fn pod_ips_are_read_in_calicos_order_and_finished_pods_have_none() {
        let running = json!({"phase": "Running"});
        let ann = |a: serde_json::Value| json!({"annotations": a});
        let cases = [
            (
                "podIPs first",
                raw_pod(
                    json!({}),
                    json!({"phase": "Running", "podIP": "10.0.0.1", "podIPs": [{"ip": "10.0.0.1"}, {"ip": "fd00::1"}]}),
                ),
                Some(vec!["10.0.0.1", "fd00::1"]),
            ),
            ("podIP", raw_pod(json!({}), json!({"phase": "Running", "podIP": "10.0.0.2"})), Some(vec!["10.0.0.2"])),
            (
                "plural annotation",
                raw_pod(
                    ann(json!({ANNOTATION_POD_IPS: "10.0.0.3/32,fd00::3/128", ANNOTATION_POD_IP: "10.9.9.9"})),
                    running.clone(),
                ),
                Some(vec!["10.0.0.3/32", "fd00::3/128"]),
            ),
            (
                "singular annotation",
                raw_pod(ann(json!({ANNOTATION_POD_IP: "10.0.0.4"})), running.clone()),
                Some(vec!["10.0.0.4"]),
            ),
            (
                "aws annotation",
                raw_pod(ann(json!({ANNOTATION_AWS_POD_IPS: "10.0.0.5"})), running.clone()),
                Some(vec!["10.0.0.5"]),
            ),
            ("none", raw_pod(json!({}), running.clone()), Some(vec![])),
            ("malformed", raw_pod(ann(json!({ANNOTATION_POD_IP: "10.0.0.300"})), running.clone()), None),
            ("bad prefix", raw_pod(ann(json!({ANNOTATION_POD_IP: "10.0.0.6/33"})), running.clone()), None),
        ];
        for (what, pod, want) in &cases {
            assert_eq!(pod_ips(pod), *want, "{what}");
            assert_eq!(is_calico_workload(pod), want.as_ref().is_some_and(|v| !v.is_empty()), "{what}");
        }
        let deleting = |a: serde_json::Value| {
            raw_pod(
                json!({"deletionTimestamp": "2026-01-01T00:00:00Z", "annotations": a}),
                json!({"phase": "Running", "podIP": "10.0.0.7"}),
            )
        };
        assert!(is_finished(&deleting(json!({ANNOTATION_POD_IP: ""}))), "the CNI released the IP");
        assert!(is_finished(&deleting(json!({ANNOTATION_AWS_POD_IPS: ""}))), "the AWS CNI released the IP");
        assert!(!is_finished(&deleting(json!({ANNOTATION_POD_IP: "10.0.0.7"}))), "still in its grace period");
        assert!(!is_finished(&deleting(json!({}))), "no CNI annotation: the phase decides");
        assert!(is_calico_workload(&deleting(json!({}))));
        for phase in ["Succeeded", "Failed", "Completed"] {
            let pod = raw_pod(json!({}), json!({"phase": phase, "podIP": "10.0.0.8"}));
            assert!(is_finished(&pod) && !is_calico_workload(&pod), "{phase}");
        }
        let mut host = raw_pod(json!({}), json!({"phase": "Running", "podIP": "10.0.0.9"}));
        host.spec.host_network = Some(true);
        assert!(!is_calico_workload(&host), "host-networked");
    }

    /// What the API sends is read into a PodInfo directly; a Pod an embedder holds converts to the
    /// same value; only Calico's IP annotations are kept, whatever the others hold.
    #[test]
    fn pod_info_reads_the_api_json_and_keeps_only_what_calico_uses() {
        let json = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": "shop", "labels": {"app": "web"},
                         "deletionTimestamp": "2026-01-01T00:00:00Z",
                         "annotations": {ANNOTATION_POD_IP: "10.0.0.1/32", "kubectl.kubernetes.io/last-applied-configuration": "x".repeat(10_000)},
                         "managedFields": [{"manager": "kubelet", "fieldsV1": {"f:status": {}}}]},
            "spec": {"nodeName": "n", "serviceAccountName": "sa", "hostNetwork": false,
                     "containers": [{"name": "c", "image": "i", "env": [{"name": "A", "value": "b"}]}]},
            "status": {"phase": "Running", "podIP": "10.0.0.1", "podIPs": [{"ip": "10.0.0.1"}],
                       "conditions": [{"type": "Ready", "status": "True"}]}
        });
        let info: PodInfo = serde_json::from_value(json.clone()).expect("PodInfo");
        assert_eq!(
            info.metadata.annotations,
            Some(BTreeMap::from([(ANNOTATION_POD_IP.to_owned(), "10.0.0.1/32".to_owned())]))
        );
        assert_eq!(info.spec.service_account_name.as_deref(), Some("sa"));
        assert_eq!(pod_ips(&info), Some(vec!["10.0.0.1"]));
        let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(json).expect("Pod");
        let from_pod = PodInfo::from(&pod);
        assert_eq!(from_pod.metadata.annotations, info.metadata.annotations);
        assert_eq!((from_pod.spec, from_pod.status), (info.spec.clone(), info.status.clone()));
        assert!(from_pod.metadata.deletion_timestamp.is_some() && info.metadata.deletion_timestamp.is_some());
        // An annotation of the wrong type is dropped, not an error for the whole list.
        let odd: PodInfo =
            serde_json::from_value(json!({"metadata": {"annotations": {ANNOTATION_POD_IP: 5}}})).expect("odd");
        assert_eq!(odd.metadata.annotations, Some(BTreeMap::new()));
    }

    #[test]
    fn host_endpoints_match_on_their_own_labels_and_are_named_like_calicoq() {
        let s = Selector::parse("role == 'edge'").expect("selector");
        let ids = |cluster| {
            match_host_endpoints(&s, &workloads(), cluster).iter().map(HostEndpointId::id).collect::<Vec<_>>()
        };
        assert_eq!(ids(None), ["node-1/eth0"], "a HostEndpoint without a node is not one");
        assert_eq!(ids(Some("cluster-b")), ["cluster-b/node-1/eth0"]);
        let all = Selector::parse("all()").expect("all");
        assert_eq!(match_host_endpoints(&all, &workloads(), None).len(), 2);
        let implicit = Selector::parse("has(projectcalico.org/namespace)").expect("implicit");
        assert!(match_host_endpoints(&implicit, &workloads(), None).is_empty(), "no implicit labels");
    }

    #[test]
    fn remote_endpoints_are_prefixed_with_the_cluster_name() {
        assert_eq!(ids("app == 'db'", Some("cluster-b")), ["cluster-b/node-2/k8s/shop.db-1/eth0"]);
    }

    #[test]
    fn implicit_calico_labels_match() {
        assert_eq!(ids("projectcalico.org/namespace == 'other'", None), ["node-1/k8s/other.web-2/eth0"]);
        assert_eq!(ids("pcns.team == 'retail' && app == 'web'", None), ["node-1/k8s/shop.web-1/eth0"]);
        assert_eq!(ids("pcsa.tier == 'front' && app == 'db'", None), ["node-2/k8s/shop.db-1/eth0"]);
        assert_eq!(ids("projectcalico.org/orchestrator == 'k8s' && app == 'nope'", None), Vec::<String>::new());
    }
}

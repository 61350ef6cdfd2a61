//! `calicoq eval` for federation: the workload endpoints of a local cluster and of every remote it
//! reads through its RCC Secrets (exactly as Calico reaches them) whose Calico labels match a
//! selector. Matching is pure ([`match_pods`]); [`eval`] fetches.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use futures::future::join_all;
use k8s_openapi::api::core::v1::{Namespace, Pod, ServiceAccount};
use kube::Api;
use kube::api::ListParams;
use serde::Serialize;

use crate::calico::labels::{WorkloadEndpointLabels, workload_labels};
use crate::calico::selector::{LabelMap, Selector};
use crate::cluster::Cluster;
use crate::federate::error_chain;
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
    /// Matching endpoints, sorted.
    pub endpoints: Vec<WorkloadEndpoint>,
    /// Remotes whose endpoints may be missing.
    pub problems: Vec<RemoteProblem>,
}

/// What one cluster holds that endpoint labels are made from.
#[derive(Debug, Clone, Default)]
pub struct ClusterWorkloads {
    /// Pods.
    pub pods: Vec<Pod>,
    /// Namespaces (for `pcns.*` labels).
    pub namespaces: Vec<Namespace>,
    /// ServiceAccounts (for `pcsa.*` labels).
    pub service_accounts: Vec<ServiceAccount>,
}

/// Whether Calico makes a workload endpoint for the pod: scheduled, not host-networked, not
/// finished, and with an IP.
pub fn is_calico_workload(pod: &Pod) -> bool {
    let spec = pod.spec.as_ref();
    let status = pod.status.as_ref();
    let scheduled = spec.and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty());
    let host_network = spec.and_then(|s| s.host_network).unwrap_or(false);
    let finished = matches!(status.and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed"));
    let has_ip = status.and_then(|s| s.pod_ip.as_deref()).is_some_and(|ip| !ip.is_empty());
    scheduled && !host_network && !finished && has_ip
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
    let mut out = Vec::new();
    for pod in workloads.pods.iter().filter(|p| is_calico_workload(p)) {
        let (Some(ns), Some(name)) = (pod.metadata.namespace.as_deref(), pod.metadata.name.as_deref()) else {
            continue;
        };
        let sa = pod.spec.as_ref().and_then(|s| s.service_account_name.as_deref());
        // The implicit labels depend only on the namespace and service account: built once each.
        let implicit = implicit_labels.entry((ns, sa)).or_insert_with(|| {
            LabelMap::from(&workload_labels(
                ns,
                sa,
                ns_labels.get(ns).copied().unwrap_or(&empty),
                sa.and_then(|sa| sa_labels.get(&(ns, sa)).copied()).unwrap_or(&empty),
            ))
        });
        let pod_labels = pod.metadata.labels.as_ref().unwrap_or(&empty);
        if selector.matches(&WorkloadEndpointLabels { implicit, pod: pod_labels }) {
            let node = pod.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default();
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

/// Lists what endpoint labels are made from.
///
/// # Errors
/// A list failing.
pub async fn fetch_workloads(client: &kube::Client) -> std::result::Result<ClusterWorkloads, kube::Error> {
    let (pods, namespaces, sas) = futures::join!(
        list_all(Api::<Pod>::all(client.clone())),
        list_all(Api::<Namespace>::all(client.clone())),
        list_all(Api::<ServiceAccount>::all(client.clone())),
    );
    Ok(ClusterWorkloads { pods: pods?, namespaces: namespaces?, service_accounts: sas? })
}

/// Objects per list request: a large cluster is read in pages, so only one page of JSON is held
/// at a time.
const LIST_PAGE: u32 = 500;

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
    let local_workloads = fetch_workloads(&local.client)
        .await
        .map_err(|e| Error::api(&local.context, "list", "pods, namespaces, serviceaccounts", e))?;
    let mut endpoints = match_pods(selector, &local_workloads, None);
    let remotes = remote_clients(local, timeout).await?;
    let fetched = join_all(remotes.iter().map(|r| async move {
        match &r.result {
            Ok(client) => (r.name.clone(), fetch_workloads(client).await.map_err(|e| error_chain(&e))),
            Err(e) => (r.name.clone(), Err(e.clone())),
        }
    }))
    .await;
    let mut problems = Vec::new();
    for (name, result) in fetched {
        match result {
            Ok(w) => endpoints.extend(match_pods(selector, &w, Some(&name))),
            Err(message) => problems.push(RemoteProblem {
                cluster: name,
                message: format!("connection to remote cluster failed: {message}"),
            }),
        }
    }
    endpoints.sort();
    Ok(EvalReport { selector: selector_text.to_string(), endpoints, problems })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pod(ns: &str, name: &str, node: Option<&str>, ip: Option<&str>, labels: serde_json::Value) -> Pod {
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
        }
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

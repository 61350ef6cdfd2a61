//! Pods made "ready" without a kubelet: the test clusters run no kubelet or scheduler, so a pod
//! is given a Node object, bound to it, and given a Running, Ready status with an IP from a
//! per-cluster range through the API. The real controller manager then builds real Endpoints
//! (and EndpointSlices) from them, exactly as it would for pods a kubelet runs.
//!
//! Used by the federated-services tests and by `testenv ready-pods` (the demo script).

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use anyhow::{Context, bail};
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::Api;
use kube::api::{ListParams, ObjectMeta, Patch, PatchParams, PostParams};
use serde_json::{Value, json};

/// An IP range `ADDRESS/PREFIX` (IPv4 or IPv6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, prefix) = s.split_once('/').ok_or_else(|| format!("{s:?} is not ADDRESS/PREFIX"))?;
        let network: IpAddr = addr.parse().map_err(|_| format!("{addr:?} is not an IP address"))?;
        let prefix: u8 = prefix.parse().map_err(|_| format!("{prefix:?} is not a prefix length"))?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        if prefix > bits || prefix + 2 > bits {
            return Err(format!("{s:?} has no room for hosts"));
        }
        Ok(Cidr { network, prefix })
    }
}

impl Cidr {
    /// The `n`-th host address (1 is the first after the network address), if the range has it.
    pub fn host(&self, n: u128) -> Option<IpAddr> {
        let bits = if self.network.is_ipv4() { 32 } else { 128 };
        let size = 1u128.checked_shl(u32::from(bits - self.prefix)).unwrap_or(u128::MAX);
        // The last address of an IPv4 range is its broadcast address.
        let last = if self.network.is_ipv4() { size - 2 } else { size - 1 };
        if n == 0 || n > last {
            return None;
        }
        match self.network {
            IpAddr::V4(a) => {
                let mask = u32::MAX.checked_shl(u32::from(32 - self.prefix)).unwrap_or(0);
                let base = u32::from(a) & mask;
                Some(IpAddr::V4((base + u32::try_from(n).ok()?).into()))
            }
            IpAddr::V6(a) => {
                let mask = u128::MAX.checked_shl(u32::from(128 - self.prefix)).unwrap_or(0);
                Some(IpAddr::V6((u128::from(a) & mask).checked_add(n)?.into()))
            }
        }
    }

    /// The first `count` host addresses not in `used`, lowest first.
    pub fn free(&self, used: &BTreeSet<IpAddr>, count: usize) -> Vec<IpAddr> {
        (1..).map_while(|n| self.host(n)).filter(|ip| !used.contains(ip)).take(count).collect()
    }
}

/// The status a kubelet would report for a running, ready pod with `ip` (a merge patch body).
pub fn ready_status(ip: IpAddr, ready: bool) -> Value {
    let now = k8s_openapi::jiff::Timestamp::now().to_string();
    let flag = if ready { "True" } else { "False" };
    let condition = |t: &str, s: &str| json!({"type": t, "status": s, "lastTransitionTime": now});
    json!({"status": {
        "phase": "Running",
        "podIP": ip.to_string(),
        "podIPs": [{"ip": ip.to_string()}],
        "startTime": now,
        "conditions": [
            condition("PodScheduled", "True"),
            condition("Initialized", "True"),
            condition("ContainersReady", flag),
            condition("Ready", flag),
        ],
    }})
}

/// A pod running one pause container on `node` (set at creation, so no binding is needed).
pub fn pod_object(namespace: &str, name: &str, labels: &BTreeMap<String, String>, node: &str) -> Pod {
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": namespace, "labels": labels},
        "spec": {
            "nodeName": node,
            "containers": [{"name": "app", "image": "registry.k8s.io/pause:3.10", "ports": [{"name": "http", "containerPort": 8080}]}],
            "automountServiceAccountToken": false,
        }
    }))
    .expect("a valid pod")
}

/// Creates the Node object `name` if it does not exist (no kubelet will ever update it).
///
/// # Errors
/// The API refusing.
pub async fn ensure_node(client: &kube::Client, name: &str) -> anyhow::Result<()> {
    let nodes: Api<Node> = Api::all(client.clone());
    if nodes.get_opt(name).await?.is_some() {
        return Ok(());
    }
    let node = Node {
        metadata: ObjectMeta {
            name: Some(name.into()),
            labels: Some([("kubernetes.io/hostname".to_owned(), name.to_owned())].into()),
            ..Default::default()
        },
        ..Default::default()
    };
    match nodes.create(&PostParams::default(), &node).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(s)) if s.code == 409 => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Creates `count` pods `PREFIX-0`… on `node` (created first) with `labels`.
///
/// # Errors
/// The API refusing.
pub async fn create_pods(
    client: &kube::Client,
    namespace: &str,
    prefix: &str,
    labels: &BTreeMap<String, String>,
    range: std::ops::Range<usize>,
    node: &str,
) -> anyhow::Result<Vec<String>> {
    ensure_node(client, node).await?;
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let mut names = Vec::new();
    for i in range {
        let name = format!("{prefix}-{i}");
        pods.create(&PostParams::default(), &pod_object(namespace, &name, labels, node))
            .await
            .with_context(|| format!("creating pod {namespace}/{name}"))?;
        names.push(name);
    }
    Ok(names)
}

/// Waits until `count` pods match `selector` (or, without a count, until at least one does and
/// the number has not changed for two seconds: a Deployment's ReplicaSet creates its pods in one
/// burst). Returns the number found.
///
/// # Errors
/// `timeout` passing first, or the API refusing.
pub async fn wait_for_pods(
    client: &kube::Client,
    namespace: &str,
    selector: &str,
    count: Option<usize>,
    timeout: std::time::Duration,
) -> anyhow::Result<usize> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let deadline = std::time::Instant::now() + timeout;
    let mut last = (0, std::time::Instant::now());
    loop {
        let n = pods.list(&ListParams::default().labels(selector)).await?.items.len();
        let stable = n == last.0 && last.1.elapsed() >= std::time::Duration::from_secs(2);
        if n != last.0 {
            last = (n, std::time::Instant::now());
        }
        match count {
            Some(c) if n >= c => return Ok(n),
            None if n > 0 && stable => return Ok(n),
            _ => {}
        }
        if std::time::Instant::now() > deadline {
            bail!("{n} pods match {selector:?} in namespace {namespace} after {}s", timeout.as_secs());
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// Every pod IP in use in the cluster.
async fn used_ips(client: &kube::Client) -> anyhow::Result<BTreeSet<IpAddr>> {
    let all: Api<Pod> = Api::all(client.clone());
    Ok(all
        .list(&ListParams::default())
        .await?
        .items
        .iter()
        .filter_map(|p| p.status.as_ref()?.pod_ip.as_ref()?.parse().ok())
        .collect())
}

/// Makes every pod matching `selector` (a label selector, `app=my-app`) in `namespace` ready:
/// binds unbound pods to `node` (created if needed), and gives each pod without an IP a free
/// one from `cidr`. Pods already running with an IP keep it. Returns `(pod, ip)` sorted by name.
///
/// # Errors
/// The API refusing, or the range running out of addresses.
pub async fn ready_pods(
    client: &kube::Client,
    namespace: &str,
    selector: &str,
    cidr: &Cidr,
    node: &str,
) -> anyhow::Result<Vec<(String, IpAddr)>> {
    ensure_node(client, node).await?;
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let mut list = pods.list(&ListParams::default().labels(selector)).await?.items;
    list.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let used = used_ips(client).await?;
    let need = list.iter().filter(|p| p.status.as_ref().and_then(|s| s.pod_ip.as_ref()).is_none()).count();
    let mut free = cidr.free(&used, need).into_iter();
    if free.len() < need {
        bail!("{cidr:?} has only {} free addresses for {need} pods", free.len());
    }
    let mut out = Vec::new();
    for pod in list {
        let name = pod.metadata.name.clone().unwrap_or_default();
        if pod.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_none() {
            let binding = json!({
                "apiVersion": "v1", "kind": "Binding",
                "metadata": {"name": name, "namespace": namespace},
                "target": {"apiVersion": "v1", "kind": "Node", "name": node},
            });
            let _: Value = pods
                .create_subresource("binding", &name, &PostParams::default(), &binding)
                .await
                .with_context(|| format!("binding pod {namespace}/{name} to {node}"))?;
        }
        let ip = match pod.status.as_ref().and_then(|s| s.pod_ip.as_ref()).and_then(|ip| ip.parse().ok()) {
            Some(ip) => ip,
            None => free.next().context("out of addresses")?,
        };
        pods.patch_status(&name, &PatchParams::default(), &Patch::Merge(ready_status(ip, true)))
            .await
            .with_context(|| format!("setting the status of pod {namespace}/{name}"))?;
        out.push((name, ip));
    }
    Ok(out)
}

/// Sets one pod's Ready condition (keeping its IP), as a failing readiness probe would.
///
/// # Errors
/// The pod has no IP yet, or the API refusing.
pub async fn set_ready(client: &kube::Client, namespace: &str, name: &str, ready: bool) -> anyhow::Result<()> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let pod = pods.get(name).await?;
    let ip: IpAddr = pod
        .status
        .and_then(|s| s.pod_ip)
        .and_then(|ip| ip.parse().ok())
        .with_context(|| format!("pod {namespace}/{name} has no IP: make it ready first"))?;
    pods.patch_status(name, &PatchParams::default(), &Patch::Merge(ready_status(ip, ready))).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_addresses_skip_network_and_broadcast() {
        let c: Cidr = "10.1.0.0/24".parse().expect("cidr");
        assert_eq!(c.host(1), Some("10.1.0.1".parse().expect("ip")));
        assert_eq!(c.host(254), Some("10.1.0.254".parse().expect("ip")));
        assert_eq!(c.host(255), None, "broadcast");
        assert_eq!(c.host(0), None, "network");
        // The address is masked to its network: 10.1.0.76/30 has hosts .77 and .78.
        let unaligned: Cidr = "10.1.0.77/30".parse().expect("cidr");
        assert_eq!(unaligned.host(1), Some("10.1.0.77".parse().expect("ip")));
        assert_eq!(unaligned.host(2), Some("10.1.0.78".parse().expect("ip")));
        assert_eq!(unaligned.host(3), None);
        let v6: Cidr = "fd00::/120".parse().expect("cidr");
        assert_eq!(v6.host(255), Some("fd00::ff".parse().expect("ip")));
        for bad in ["10.1.0.0", "10.1.0.0/33", "10.1.0.0/31", "x/24", "10.1.0.0/x"] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn free_addresses_skip_used_ones_and_stop_at_the_end() {
        let c: Cidr = "10.2.0.0/29".parse().expect("cidr");
        let used: BTreeSet<IpAddr> = ["10.2.0.1", "10.2.0.3"].iter().map(|s| s.parse().expect("ip")).collect();
        let got: Vec<String> = c.free(&used, 3).iter().map(ToString::to_string).collect();
        assert_eq!(got, ["10.2.0.2", "10.2.0.4", "10.2.0.5"]);
        assert_eq!(c.free(&used, 10).len(), 4, "a /29 has six hosts, two used");
    }

    #[test]
    fn the_status_is_what_the_endpoints_controller_needs() {
        let s = ready_status("10.1.0.7".parse().expect("ip"), true);
        assert_eq!(s["status"]["podIP"], "10.1.0.7");
        assert_eq!(s["status"]["podIPs"][0]["ip"], "10.1.0.7");
        assert_eq!(s["status"]["phase"], "Running");
        let ready = s["status"]["conditions"]
            .as_array()
            .expect("conditions")
            .iter()
            .find(|c| c["type"] == "Ready")
            .expect("Ready");
        assert_eq!(ready["status"], "True");
        let not_ready = ready_status("10.1.0.7".parse().expect("ip"), false);
        assert!(
            not_ready["status"]["conditions"]
                .as_array()
                .expect("c")
                .iter()
                .any(|c| c["type"] == "Ready" && c["status"] == "False")
        );
        let pod = pod_object("ns", "p", &BTreeMap::from([("app".into(), "x".into())]), "node-1");
        assert_eq!(pod.spec.and_then(|s| s.node_name).as_deref(), Some("node-1"));
    }
}

//! What Calico makes its endpoints from: a pod's few fields as Calico's Kubernetes datastore reads
//! them (which pods are workload endpoints, and with which IPs), and host endpoints. Pure.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;

use crate::calico::selector::LabelMap;

/// The parts of a Pod that Calico's workload endpoint is made from, read straight from the API's
/// JSON (everything else is skipped while parsing, and only Calico's IP annotations are kept):
/// listing 10,000 pods this way holds a fraction of the memory full `Pod` objects would.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct PodInfo {
    /// Name, namespace, labels, deletion, Calico's IP annotations.
    #[serde(default)]
    pub metadata: PodMeta,
    /// Node, host networking, service account.
    #[serde(default)]
    pub spec: PodSpecInfo,
    /// Phase and IPs.
    #[serde(default)]
    pub status: PodStatusInfo,
}

/// `Pod.metadata`, the fields used.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodMeta {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Namespace.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Labels, laid out for selectors as they are read.
    #[serde(default)]
    pub labels: Option<LabelMap>,
    /// Calico's and the AWS CNI's IP annotations only.
    #[serde(default, deserialize_with = "ip_annotations")]
    pub annotations: Option<BTreeMap<String, String>>,
    /// Set once the pod is being deleted.
    #[serde(default)]
    pub deletion_timestamp: Option<String>,
}

/// `Pod.spec`, the fields used.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpecInfo {
    /// The node it is scheduled on.
    #[serde(default)]
    pub node_name: Option<String>,
    /// Host networking.
    #[serde(default)]
    pub host_network: Option<bool>,
    /// Its ServiceAccount.
    #[serde(default)]
    pub service_account_name: Option<String>,
}

/// `Pod.status`, the fields used.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatusInfo {
    /// Pending, Running, Succeeded, Failed.
    #[serde(default)]
    pub phase: Option<String>,
    /// The primary IP.
    #[serde(default, rename = "podIP")]
    pub pod_ip: Option<String>,
    /// Every IP.
    #[serde(default, rename = "podIPs")]
    pub pod_ips: Option<Vec<PodIp>>,
}

/// One of `status.podIPs`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct PodIp {
    /// The address.
    #[serde(default)]
    pub ip: String,
}

/// Keeps only the annotations Calico reads a pod's IPs from (a `last-applied-configuration`
/// annotation can be larger than the rest of the pod).
fn ip_annotations<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<BTreeMap<String, String>>, D::Error> {
    let map: Option<BTreeMap<String, MaybeString>> = serde::Deserialize::deserialize(d)?;
    Ok(map
        .map(|m| m.into_iter().filter(|(k, _)| is_ip_annotation(k)).filter_map(|(k, v)| v.0.map(|v| (k, v))).collect()))
}

/// A string value, or any other JSON value (kept as none).
struct MaybeString(Option<String>);

impl<'de> serde::Deserialize<'de> for MaybeString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(MaybeString(Some(s))),
            _ => Ok(MaybeString(None)),
        }
    }
}

impl From<&Pod> for PodInfo {
    fn from(pod: &Pod) -> Self {
        let spec = pod.spec.as_ref();
        let status = pod.status.as_ref();
        PodInfo {
            metadata: PodMeta {
                name: pod.metadata.name.clone(),
                namespace: pod.metadata.namespace.clone(),
                labels: pod.metadata.labels.as_ref().map(LabelMap::from),
                annotations: pod.metadata.annotations.as_ref().map(|a| {
                    a.iter().filter(|(k, _)| is_ip_annotation(k)).map(|(k, v)| (k.clone(), v.clone())).collect()
                }),
                deletion_timestamp: pod.metadata.deletion_timestamp.as_ref().map(|t| t.0.to_string()),
            },
            spec: PodSpecInfo {
                node_name: spec.and_then(|s| s.node_name.clone()),
                host_network: spec.and_then(|s| s.host_network),
                service_account_name: spec.and_then(|s| s.service_account_name.clone()),
            },
            status: PodStatusInfo {
                phase: status.and_then(|s| s.phase.clone()),
                pod_ip: status.and_then(|s| s.pod_ip.clone()),
                pod_ips: status
                    .and_then(|s| s.pod_ips.as_ref())
                    .map(|ips| ips.iter().map(|i| PodIp { ip: i.ip.clone() }).collect()),
            },
        }
    }
}

/// The parts of a Calico `HostEndpoint` that `calicoq eval` uses: its name, labels and node.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct HostEndpoint {
    /// Name and labels.
    #[serde(default)]
    pub metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    /// The node it is on.
    #[serde(default)]
    pub spec: HostEndpointSpec,
}

/// `HostEndpoint.spec`, the field used here.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct HostEndpointSpec {
    /// The node (`spec.node`).
    #[serde(default)]
    pub node: Option<String>,
}

/// Calico's IP annotations (libcalico-go `conversion/constants.go`): written by Calico's CNI
/// (set to `""` when the CNI releases the IP) and by the AWS VPC CNI.
pub(crate) const ANNOTATION_POD_IP: &str = "cni.projectcalico.org/podIP";
pub(crate) const ANNOTATION_POD_IPS: &str = "cni.projectcalico.org/podIPs";
pub(crate) const ANNOTATION_AWS_POD_IPS: &str = "vpc.amazonaws.com/pod-ips";

/// Whether an annotation is one Calico reads a pod's IPs from (the only ones a [`PodInfo`] keeps).
pub(crate) fn is_ip_annotation(key: &str) -> bool {
    [ANNOTATION_POD_IP, ANNOTATION_POD_IPS, ANNOTATION_AWS_POD_IPS].contains(&key)
}

/// Whether Calico counts the pod as finished (libcalico-go `conversion.IsFinished`): phase
/// Failed, Succeeded or Completed, or being deleted with its IP already released by the CNI
/// (the Calico or AWS IP annotation present and empty). A finished pod keeps no IP.
pub fn is_finished(pod: &PodInfo) -> bool {
    let annotations = pod.metadata.annotations.as_ref();
    let released = |key: &str| annotations.and_then(|a| a.get(key)).is_some_and(String::is_empty);
    if pod.metadata.deletion_timestamp.is_some() && (released(ANNOTATION_POD_IP) || released(ANNOTATION_AWS_POD_IPS)) {
        return true;
    }
    matches!(pod.status.phase.as_deref(), Some("Failed" | "Succeeded" | "Completed"))
}

/// The pod's IPs the way Calico reads them (libcalico-go `conversion.getPodIPs`): `status.podIPs`,
/// else `status.podIP`, else the Calico plural then singular annotation, else the AWS one;
/// `None` when one of them is not an IP or CIDR (Calico then makes no endpoint).
pub fn pod_ips(pod: &PodInfo) -> Option<Vec<&str>> {
    let status = Some(&pod.status);
    let annotation = |key: &str| {
        pod.metadata.annotations.as_ref().and_then(|a| a.get(key)).map(String::as_str).filter(|v| !v.is_empty())
    };
    let ips: Vec<&str> = if let Some(ips) = status.and_then(|s| s.pod_ips.as_ref()).filter(|ips| !ips.is_empty()) {
        ips.iter().map(|ip| ip.ip.as_str()).collect()
    } else if let Some(ip) = status.and_then(|s| s.pod_ip.as_deref()).filter(|ip| !ip.is_empty()) {
        vec![ip]
    } else if let Some(ips) = annotation(ANNOTATION_POD_IPS) {
        ips.split(',').collect()
    } else if let Some(ip) = annotation(ANNOTATION_POD_IP) {
        vec![ip]
    } else if let Some(ips) = annotation(ANNOTATION_AWS_POD_IPS) {
        ips.split(',').collect()
    } else {
        Vec::new()
    };
    ips.iter().all(|ip| is_ip_or_cidr(ip)).then_some(ips)
}

/// Go's `net.ParseIP` or `net.ParseCIDR` would accept it.
fn is_ip_or_cidr(text: &str) -> bool {
    match text.split_once('/') {
        None => text.parse::<std::net::IpAddr>().is_ok(),
        Some((ip, bits)) => match (ip.parse::<std::net::IpAddr>(), bits.parse::<u8>()) {
            (Ok(std::net::IpAddr::V4(_)), Ok(b)) => b <= 32 && !bits.starts_with('+'),
            (Ok(std::net::IpAddr::V6(_)), Ok(b)) => b <= 128 && !bits.starts_with('+'),
            _ => false,
        },
    }
}

/// Whether Calico makes a workload endpoint with an address for the pod (libcalico-go
/// `IsValidCalicoWorkloadEndpoint`, `getPodIPs` and `IsFinished`; endpoints without an IP never
/// reach the syncer's clients): scheduled, not host-networked, not finished, with an IP.
pub fn is_calico_workload(pod: &PodInfo) -> bool {
    let scheduled = pod.spec.node_name.as_deref().is_some_and(|n| !n.is_empty());
    let host_network = pod.spec.host_network.unwrap_or(false);
    scheduled && !host_network && !is_finished(pod) && pod_ips(pod).is_some_and(|ips| !ips.is_empty())
}

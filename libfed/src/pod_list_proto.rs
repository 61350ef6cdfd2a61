//! A pod list in the API server's protobuf encoding (`application/vnd.kubernetes.protobuf`), read
//! as [`PodInfo`]s. Pure.
//!
//! Why: a Kubernetes 1.34 API server serves 10,000 pods from its watch cache as JSON (32 MB) in
//! about 0.9 s here, as protobuf (21 MB) in about 0.5 s, and the client decodes protobuf faster. Only the fields Calico reads are declared
//! (tags from `k8s.io/api/core/v1/generated.proto` and `k8s.io/apimachinery`'s); prost skips every
//! other field without building it. The body is the 4-byte magic `k8s\0` then a
//! `runtime.Unknown` whose `raw` is the `PodList`.

use std::collections::HashMap;

use bytes::Bytes;
use prost::Message;

use crate::workload::{PodInfo, PodIp, PodMeta, PodSpecInfo, PodStatusInfo, is_ip_annotation};

/// The media type to ask for.
pub(crate) const PROTOBUF: &str = "application/vnd.kubernetes.protobuf";

/// The prefix of every protobuf-encoded object.
const MAGIC: &[u8] = b"k8s\0";

/// `runtime.Unknown`: the envelope.
#[derive(Clone, PartialEq, Message)]
struct Unknown {
    #[prost(message, optional, tag = "1")]
    type_meta: Option<TypeMeta>,
    /// Decoded from [`Bytes`], a view of the body, not a copy.
    #[prost(bytes = "bytes", optional, tag = "2")]
    raw: Option<Bytes>,
    #[prost(string, optional, tag = "3")]
    content_encoding: Option<String>,
}

/// `runtime.TypeMeta`.
#[derive(Clone, PartialEq, Message)]
struct TypeMeta {
    #[prost(string, optional, tag = "1")]
    api_version: Option<String>,
    #[prost(string, optional, tag = "2")]
    kind: Option<String>,
}

/// `core/v1.PodList` (built by the tests; a list is read item by item, [`read_pod_list`]).
#[cfg(test)]
#[derive(Clone, PartialEq, Message)]
struct PodList {
    #[prost(message, optional, tag = "1")]
    metadata: Option<ListMeta>,
    #[prost(message, repeated, tag = "2")]
    items: Vec<Pod>,
}

/// `meta/v1.ListMeta`.
#[derive(Clone, PartialEq, Message)]
struct ListMeta {
    #[prost(string, optional, tag = "3")]
    continue_: Option<String>,
}

/// `core/v1.Pod`.
#[derive(Clone, PartialEq, Message)]
struct Pod {
    #[prost(message, optional, tag = "1")]
    metadata: Option<ObjectMeta>,
    #[prost(message, optional, tag = "2")]
    spec: Option<PodSpec>,
    #[prost(message, optional, tag = "3")]
    status: Option<PodStatus>,
}

/// `meta/v1.ObjectMeta`.
#[derive(Clone, PartialEq, Message)]
struct ObjectMeta {
    #[prost(string, optional, tag = "1")]
    name: Option<String>,
    #[prost(string, optional, tag = "3")]
    namespace: Option<String>,
    #[prost(message, optional, tag = "9")]
    deletion_timestamp: Option<Time>,
    #[prost(map = "string, string", tag = "11")]
    labels: HashMap<String, String>,
    #[prost(map = "string, string", tag = "12")]
    annotations: HashMap<String, String>,
}

/// `meta/v1.Time`.
#[derive(Clone, PartialEq, Message)]
struct Time {
    #[prost(int64, optional, tag = "1")]
    seconds: Option<i64>,
}

/// `core/v1.PodSpec`.
#[derive(Clone, PartialEq, Message)]
struct PodSpec {
    #[prost(string, optional, tag = "8")]
    service_account_name: Option<String>,
    #[prost(string, optional, tag = "10")]
    node_name: Option<String>,
    #[prost(bool, optional, tag = "11")]
    host_network: Option<bool>,
}

/// `core/v1.PodStatus`.
#[derive(Clone, PartialEq, Message)]
struct PodStatus {
    #[prost(string, optional, tag = "1")]
    phase: Option<String>,
    #[prost(string, optional, tag = "6")]
    pod_ip: Option<String>,
    #[prost(message, repeated, tag = "12")]
    pod_ips: Vec<ProtoPodIp>,
}

/// `core/v1.PodIP`.
#[derive(Clone, PartialEq, Message)]
struct ProtoPodIp {
    #[prost(string, optional, tag = "1")]
    ip: Option<String>,
}

/// Why a body could not be read as a pod list (it is never echoed: it came from a cluster).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProtoError {
    /// No `k8s\0` prefix: not protobuf.
    NotProtobuf,
    /// Encoded some other way than plain (`contentEncoding`), or not a `v1` `PodList`.
    Unexpected(String),
    /// Malformed protobuf.
    Malformed(String),
}

impl std::fmt::Display for ProtoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProtoError::NotProtobuf => f.write_str("the body is not Kubernetes protobuf"),
            ProtoError::Unexpected(what) => write!(f, "unexpected protobuf object: {what}"),
            ProtoError::Malformed(why) => write!(f, "malformed protobuf: {why}"),
        }
    }
}

/// One page of a pod list: the pods and the continue token, if any.
pub(crate) fn decode_pod_page(body: Bytes) -> Result<(Vec<PodInfo>, Option<String>), ProtoError> {
    if !body.starts_with(MAGIC) {
        return Err(ProtoError::NotProtobuf);
    }
    let envelope = Unknown::decode(body.slice(MAGIC.len()..)).map_err(malformed)?;
    let kind = envelope.type_meta.as_ref().and_then(|t| t.kind.as_deref()).unwrap_or_default();
    let api_version = envelope.type_meta.as_ref().and_then(|t| t.api_version.as_deref()).unwrap_or_default();
    if kind != "PodList" || api_version != "v1" {
        return Err(ProtoError::Unexpected(format!("{api_version} {kind}")));
    }
    if envelope.content_encoding.as_deref().is_some_and(|e| !e.is_empty()) {
        return Err(ProtoError::Unexpected("a content encoding".into()));
    }
    read_pod_list(envelope.raw.as_deref().unwrap_or_default())
}

fn malformed(e: prost::DecodeError) -> ProtoError {
    ProtoError::Malformed(e.to_string())
}

/// A `PodList` read item by item, each pod made a [`PodInfo`] as soon as it is decoded: the
/// decoded pods (every annotation and label as strings) are never all held at once.
fn read_pod_list(mut buf: &[u8]) -> Result<(Vec<PodInfo>, Option<String>), ProtoError> {
    use prost::encoding::{DecodeContext, WireType, decode_key, decode_varint, skip_field};
    let mut pods = Vec::new();
    let mut token = None;
    while !buf.is_empty() {
        let (tag, wire_type) = decode_key(&mut buf).map_err(malformed)?;
        if !matches!((tag, wire_type), (1 | 2, WireType::LengthDelimited)) {
            skip_field(wire_type, tag, &mut buf, DecodeContext::default()).map_err(malformed)?;
            continue;
        }
        let len = decode_varint(&mut buf).map_err(malformed)?;
        let len = usize::try_from(len).ok().filter(|l| *l <= buf.len());
        let (field, rest) = buf.split_at(len.ok_or_else(|| ProtoError::Malformed("a field past the end".into()))?);
        buf = rest;
        if tag == 1 {
            token = ListMeta::decode(field).map_err(malformed)?.continue_.filter(|t| !t.is_empty());
        } else {
            pods.push(PodInfo::from(Pod::decode(field).map_err(malformed)?));
        }
    }
    Ok((pods, token))
}

/// Go's protobuf writes empty strings and `false` where its JSON omits the field: read as absent,
/// so that both encodings give the same [`PodInfo`].
fn present(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

impl From<Pod> for PodInfo {
    fn from(pod: Pod) -> Self {
        let meta = pod.metadata.unwrap_or_default();
        let spec = pod.spec.unwrap_or_default();
        let status = pod.status.unwrap_or_default();
        PodInfo {
            metadata: PodMeta {
                name: present(meta.name),
                namespace: present(meta.namespace),
                labels: (!meta.labels.is_empty()).then(|| meta.labels.iter().collect()),
                annotations: (!meta.annotations.is_empty())
                    .then(|| meta.annotations.into_iter().filter(|(k, _)| is_ip_annotation(k)).collect()),
                deletion_timestamp: meta.deletion_timestamp.map(|t| {
                    let seconds = t.seconds.unwrap_or_default();
                    jiff::Timestamp::from_second(seconds).map_or_else(|_| seconds.to_string(), |t| t.to_string())
                }),
            },
            spec: PodSpecInfo {
                node_name: present(spec.node_name),
                host_network: spec.host_network.filter(|h| *h),
                service_account_name: present(spec.service_account_name),
            },
            status: PodStatusInfo {
                phase: present(status.phase),
                pod_ip: present(status.pod_ip),
                pod_ips: (!status.pod_ips.is_empty())
                    .then(|| status.pod_ips.into_iter().map(|p| PodIp { ip: p.ip.unwrap_or_default() }).collect()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::calico::selector::Labels;
    use crate::workload::ANNOTATION_POD_IP;

    fn body(kind: &str, list: &PodList) -> Bytes {
        let envelope = Unknown {
            type_meta: Some(TypeMeta { api_version: Some("v1".into()), kind: Some(kind.into()) }),
            raw: Some(list.encode_to_vec().into()),
            content_encoding: Some(String::new()),
        };
        [MAGIC, &envelope.encode_to_vec()].concat().into()
    }

    fn pod(name: &str) -> Pod {
        Pod {
            metadata: Some(ObjectMeta {
                name: Some(name.into()),
                namespace: Some("shop".into()),
                deletion_timestamp: Some(Time { seconds: Some(1_764_158_400) }),
                labels: HashMap::from([("app".into(), "web".into())]),
                annotations: HashMap::from([
                    (ANNOTATION_POD_IP.into(), "10.0.0.1/32".into()),
                    ("kubectl.kubernetes.io/last-applied-configuration".into(), "{}".into()),
                ]),
            }),
            spec: Some(PodSpec {
                service_account_name: Some(String::new()),
                node_name: Some("node-1".into()),
                host_network: Some(false),
            }),
            status: Some(PodStatus {
                phase: Some("Running".into()),
                pod_ip: Some(String::new()),
                pod_ips: vec![ProtoPodIp { ip: Some("10.0.0.1".into()) }],
            }),
        }
    }

    #[test]
    fn a_pod_reads_as_its_json_would() {
        let list = PodList { metadata: Some(ListMeta { continue_: Some("next".into()) }), items: vec![pod("web-1")] };
        let (pods, token) = decode_pod_page(body("PodList", &list)).expect("decodes");
        assert_eq!(token.as_deref(), Some("next"));
        let p = &pods[0];
        assert_eq!((p.metadata.name.as_deref(), p.metadata.namespace.as_deref()), (Some("web-1"), Some("shop")));
        assert_eq!(p.metadata.labels.as_ref().and_then(|l| l.get("app")), Some("web"));
        let annotations = p.metadata.annotations.as_ref().expect("annotations");
        assert_eq!(annotations.keys().collect::<Vec<_>>(), [ANNOTATION_POD_IP], "only Calico's IP annotations");
        assert_eq!(p.metadata.deletion_timestamp.as_deref(), Some("2025-11-26T12:00:00Z"), "as the JSON has it");
        // Go's protobuf writes "" and false where its JSON leaves the field out.
        assert_eq!(
            (p.spec.service_account_name.as_ref(), p.spec.host_network, p.status.pod_ip.as_ref()),
            (None, None, None)
        );
        assert_eq!(p.status.pod_ips.as_ref().map(|ips| ips[0].ip.as_str()), Some("10.0.0.1"));
        let last = PodList { metadata: Some(ListMeta { continue_: Some(String::new()) }), items: vec![] };
        assert_eq!(decode_pod_page(body("PodList", &last)).expect("decodes").1, None, "an empty token ends the list");
    }

    #[test]
    fn anything_but_a_v1_pod_list_is_refused() {
        let list = PodList { metadata: None, items: vec![pod("a")] };
        assert_eq!(decode_pod_page(Bytes::from_static(b"{\"kind\":\"PodList\"}")), Err(ProtoError::NotProtobuf));
        assert!(matches!(decode_pod_page(body("Status", &list)), Err(ProtoError::Unexpected(_))));
        let full = body("PodList", &list);
        assert!(matches!(decode_pod_page(full.slice(..full.len() - 3)), Err(ProtoError::Malformed(_))));
    }

    proptest! {
        #[test]
        fn any_bytes_are_an_error_or_pods_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode_pod_page([MAGIC, &bytes].concat().into());
            let _ = read_pod_list(&bytes);
        }
    }
}

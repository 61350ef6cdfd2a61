//! The Endpoints object of a federated Service: what it should be, what to write over the live
//! one (if anything), and how the two differ. Pure.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{EndpointAddress, EndpointSubset, Endpoints, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use super::config::FederationConfig;
use super::endpoints::Computed;
use super::pack::shares;
use super::repack::{PortKey, repack};
use super::{MAX_ENDPOINTS_ADDRESSES, OVER_CAPACITY_ANNOTATION, SERVICE_SELECTOR_ANNOTATION, SKIP_MIRROR_LABEL};

/// The Endpoints object a federated Service should have: same name and namespace, the
/// selector annotation (the user's expression), no labels (as Calico Enterprise writes it, so
/// Kubernetes' EndpointSlice mirroring makes the slices whichever controller wrote it last), and
/// the subsets, truncated to [`MAX_ENDPOINTS_ADDRESSES`] with Kubernetes' over-capacity
/// annotation when there are more.
pub fn desired_endpoints(service: &Service, config: &FederationConfig, subsets: &[EndpointSubset]) -> Endpoints {
    let mut subsets = subsets.to_vec();
    let truncated = truncate(&mut subsets, MAX_ENDPOINTS_ADDRESSES);
    endpoints_object(service, config, subsets, truncated)
}

/// [`desired_endpoints`] of a computation, which may be truncated already
/// ([`super::endpoints::compute_capped_from`]).
pub fn desired_endpoints_for(service: &Service, config: &FederationConfig, computed: &Computed) -> Endpoints {
    if computed.truncated {
        return endpoints_object(service, config, computed.subsets.clone(), true);
    }
    desired_endpoints(service, config, &computed.subsets)
}

fn endpoints_object(
    service: &Service,
    config: &FederationConfig,
    subsets: Vec<EndpointSubset>,
    truncated: bool,
) -> Endpoints {
    let mut annotations = BTreeMap::from([(SERVICE_SELECTOR_ANNOTATION.to_owned(), config.expression.clone())]);
    if truncated {
        annotations.insert(OVER_CAPACITY_ANNOTATION.to_owned(), "truncated".to_owned());
    }
    Endpoints {
        metadata: ObjectMeta {
            name: service.metadata.name.clone(),
            namespace: service.metadata.namespace.clone(),
            annotations: Some(annotations),
            ..Default::default()
        },
        subsets: (!subsets.is_empty()).then_some(subsets),
    }
}

/// Kubernetes' endpoints-controller truncation: keep at most `max` addresses, ready ones first,
/// each subset keeping its share (rounded up, the last one what is left). Returns whether
/// anything was cut.
pub fn truncate(subsets: &mut [EndpointSubset], max: usize) -> bool {
    let len = |l: &Option<Vec<EndpointAddress>>| l.as_ref().map_or(0, Vec::len);
    let lengths: Vec<(usize, usize)> =
        subsets.iter().map(|s| (len(&s.addresses), len(&s.not_ready_addresses))).collect();
    let Some(kept) = shares(&lengths, max) else { return false };
    for (s, (ready, not_ready)) in subsets.iter_mut().zip(kept) {
        for (list, n) in [(&mut s.addresses, ready), (&mut s.not_ready_addresses, not_ready)] {
            if let Some(l) = list.as_mut() {
                l.truncate(n);
            }
            if list.as_ref().is_some_and(Vec::is_empty) {
                *list = None;
            }
        }
    }
    true
}

/// What to do with the live Endpoints object.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointsWrite {
    /// There is none: create the desired one.
    Create(Endpoints),
    /// The live one is ours and differs: write this (the live object with our subsets and
    /// annotations merged in, other annotations and labels kept except [`SKIP_MIRROR_LABEL`],
    /// resourceVersion kept, `metadata.managedFields` cleared: see `cleared_managed_fields`).
    Update(Endpoints),
    /// The live one is ours and already right.
    Unchanged,
    /// The live one lacks the selector annotation: not ours, left alone.
    NotOwned,
}

/// How a write clears `metadata.managedFields`: one empty entry (Kubernetes' documented reset;
/// an absent or empty list keeps what is live). An API server tracks no field ownership in
/// later updates of an object without managed fields (apimachinery's `skipNonAppliedManager`),
/// and that tracking converts and compares both versions of the whole object: for a 1,000-address
/// Endpoints object about a quarter of the API server's CPU per update, and a third of its
/// latency. The object is ours alone (its annotation), written by updates, never applied, so
/// the record of who wrote which field says nothing a user needs.
fn cleared_managed_fields() -> Vec<k8s_openapi::apimachinery::pkg::apis::meta::v1::ManagedFieldsEntry> {
    vec![Default::default()]
}

/// Decides the write. The live subsets are repacked before comparing, so a live object that
/// only differs in order is unchanged, and a user's edit is overwritten. Labels are kept, as
/// Calico Enterprise keeps them, except [`SKIP_MIRROR_LABEL`], which earlier versions of this
/// crate set and which would keep Kubernetes from mirroring the object into EndpointSlices.
pub fn plan_endpoints(desired: &Endpoints, live: Option<&Endpoints>) -> EndpointsWrite {
    let Some(live) = live else { return EndpointsWrite::Create(desired.clone()) };
    let live_annotations = live.metadata.annotations.clone().unwrap_or_default();
    if !live_annotations.contains_key(SERVICE_SELECTOR_ANNOTATION) {
        return EndpointsWrite::NotOwned;
    }
    let mut annotations = live_annotations;
    if !desired.metadata.annotations.iter().flatten().any(|(k, _)| k == OVER_CAPACITY_ANNOTATION) {
        annotations.remove(OVER_CAPACITY_ANNOTATION);
    }
    annotations.extend(desired.metadata.annotations.clone().unwrap_or_default());
    let mut labels = live.metadata.labels.clone();
    let skip_mirror = labels.as_mut().is_some_and(|l| l.remove(SKIP_MIRROR_LABEL).is_some());
    let live_subsets = repack(live.subsets.as_deref().unwrap_or_default());
    let want_subsets = desired.subsets.clone().unwrap_or_default();
    if live_subsets == want_subsets && Some(&annotations) == live.metadata.annotations.as_ref() && !skip_mirror {
        return EndpointsWrite::Unchanged;
    }
    let mut next = live.clone();
    next.metadata.managed_fields = Some(cleared_managed_fields());
    next.metadata.annotations = Some(annotations);
    next.metadata.labels = labels;
    next.subsets = desired.subsets.clone();
    EndpointsWrite::Update(next)
}

/// One (address, port) of an Endpoints object, flattened for display and comparison.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointEntry {
    /// The IP address.
    pub ip: String,
    /// The port name (`""` when unnamed).
    pub port_name: String,
    /// The protocol.
    pub protocol: String,
    /// The port number.
    pub port: i32,
    /// Whether the address is ready.
    pub ready: bool,
    /// `targetRef.name` (`CLUSTER/POD` for remote pods), `""` without one.
    pub target: String,
    /// `nodeName`, `""` without one.
    pub node: String,
}

/// Flattens subsets into sorted entries.
pub fn entries(subsets: &[EndpointSubset]) -> Vec<EndpointEntry> {
    let mut out = BTreeSet::new();
    for s in subsets {
        for p in s.ports.iter().flatten() {
            let key = PortKey::of(p);
            for (ready, list) in [(true, &s.addresses), (false, &s.not_ready_addresses)] {
                for a in list.iter().flatten() {
                    out.insert(EndpointEntry {
                        ip: a.ip.clone(),
                        port_name: key.name.clone(),
                        protocol: key.protocol.clone(),
                        port: key.port,
                        ready,
                        target: a.target_ref.as_ref().and_then(|t| t.name.clone()).unwrap_or_default(),
                        node: a.node_name.clone().unwrap_or_default(),
                    });
                }
            }
        }
    }
    out.into_iter().collect()
}

/// How the live Endpoints differ from the computed ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Drift {
    /// Computed but not in the live object (or different there).
    pub missing: Vec<EndpointEntry>,
    /// In the live object but not computed (or different).
    pub extra: Vec<EndpointEntry>,
}

impl Drift {
    /// Whether live and computed agree.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty()
    }
}

/// The drift between computed and live subsets.
pub fn drift(computed: &[EndpointSubset], live: &[EndpointSubset]) -> Drift {
    let want: BTreeSet<EndpointEntry> = entries(computed).into_iter().collect();
    let have: BTreeSet<EndpointEntry> = entries(live).into_iter().collect();
    Drift { missing: want.difference(&have).cloned().collect(), extra: have.difference(&want).cloned().collect() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::federated::config::FederationConfig;
    use serde_json::json;

    fn service() -> Service {
        serde_json::from_value(json!({"metadata": {"name": "fed", "namespace": "ns", "uid": "u1"}, "spec": {}}))
            .expect("svc")
    }

    fn subsets(ready: usize, not_ready: usize) -> Vec<EndpointSubset> {
        let addrs = |n: usize, base: u32| -> Option<Vec<EndpointAddress>> {
            (n > 0).then(|| {
                (0..n)
                    .map(|i| EndpointAddress { ip: format!("10.{base}.{}.{}", i / 256, i % 256), ..Default::default() })
                    .collect()
            })
        };
        vec![EndpointSubset {
            addresses: addrs(ready, 1),
            not_ready_addresses: addrs(not_ready, 2),
            ports: Some(vec![k8s_openapi::api::core::v1::EndpointPort {
                port: 80,
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
        }]
    }

    fn config() -> FederationConfig {
        FederationConfig::parse("ns", "run == 'x'").expect("selector")
    }

    #[test]
    fn desired_object_carries_the_annotation_and_no_labels() {
        let e = desired_endpoints(&service(), &config(), &subsets(2, 1));
        let ann = e.metadata.annotations.as_ref().expect("annotations");
        assert_eq!(ann.get(SERVICE_SELECTOR_ANNOTATION).map(String::as_str), Some("run == 'x'"));
        assert!(!ann.contains_key(OVER_CAPACITY_ANNOTATION));
        assert_eq!(e.metadata.labels, None, "no skip-mirror: Kubernetes mirrors it into slices");
        assert_eq!((e.metadata.name.as_deref(), e.metadata.namespace.as_deref()), (Some("fed"), Some("ns")));
        let empty = desired_endpoints(&service(), &config(), &[]);
        assert_eq!(empty.subsets, None);
    }

    /// (ready, not ready) per subset in, max, (ready, not ready) per subset out, whether cut.
    type Case<'a> = (&'a [(usize, usize)], usize, &'a [(usize, usize)], bool);

    #[test]
    fn truncation_keeps_ready_first_and_shares_proportionally() {
        let cases: &[Case] = &[
            (&[(3, 2)], 10, &[(3, 2)], false),
            (&[(3, 2)], 4, &[(3, 1)], true),
            (&[(6, 1), (6, 1)], 10, &[(5, 0), (5, 0)], true),
            (&[(9, 0), (3, 0)], 8, &[(6, 0), (2, 0)], true),
            (&[(2, 6), (2, 2)], 10, &[(2, 5), (2, 1)], true),
        ];
        for (input, max, want, cut) in cases {
            let mut s: Vec<EndpointSubset> = input.iter().flat_map(|(r, n)| subsets(*r, *n)).collect();
            assert_eq!(truncate(&mut s, *max), *cut, "{input:?} max {max}");
            let got: Vec<(usize, usize)> = s
                .iter()
                .map(|x| (x.addresses.as_ref().map_or(0, Vec::len), x.not_ready_addresses.as_ref().map_or(0, Vec::len)))
                .collect();
            assert_eq!(&got, want, "{input:?} max {max}");
        }
        let e = desired_endpoints(&service(), &config(), &subsets(MAX_ENDPOINTS_ADDRESSES + 1, 0));
        assert_eq!(
            e.metadata.annotations.as_ref().and_then(|a| a.get(OVER_CAPACITY_ANNOTATION)).map(String::as_str),
            Some("truncated")
        );
    }

    #[test]
    fn planning_against_the_live_object() {
        let desired = desired_endpoints(&service(), &config(), &subsets(2, 0));
        assert_eq!(plan_endpoints(&desired, None), EndpointsWrite::Create(desired.clone()));

        // Not annotated: somebody else's, never touched.
        let mut foreign = desired.clone();
        foreign.metadata.annotations = None;
        assert_eq!(plan_endpoints(&desired, Some(&foreign)), EndpointsWrite::NotOwned);

        // Same content in another order, plus foreign annotations and labels: unchanged.
        let mut same = desired.clone();
        same.metadata.resource_version = Some("7".into());
        same.metadata.annotations.as_mut().expect("a").insert("team".into(), "shop".into());
        same.metadata.labels = Some(BTreeMap::from([("x".to_owned(), "y".to_owned())]));
        same.subsets.as_mut().expect("s")[0].addresses.as_mut().expect("a").reverse();
        assert_eq!(plan_endpoints(&desired, Some(&same)), EndpointsWrite::Unchanged);

        // A user's edit is overwritten; other annotations and the resourceVersion are kept.
        let mut edited = same.clone();
        edited.subsets = Some(subsets(1, 0));
        edited.metadata.annotations.as_mut().expect("a").insert(SERVICE_SELECTOR_ANNOTATION.into(), "old".into());
        edited.metadata.annotations.as_mut().expect("a").insert(OVER_CAPACITY_ANNOTATION.into(), "truncated".into());
        let EndpointsWrite::Update(next) = plan_endpoints(&desired, Some(&edited)) else { panic!("update") };
        assert_eq!(next.subsets, desired.subsets);
        let ann = next.metadata.annotations.as_ref().expect("a");
        assert_eq!(ann.get("team").map(String::as_str), Some("shop"));
        assert_eq!(ann.get(SERVICE_SELECTOR_ANNOTATION).map(String::as_str), Some("run == 'x'"));
        assert!(!ann.contains_key(OVER_CAPACITY_ANNOTATION), "no longer truncated");
        assert_eq!(next.metadata.resource_version.as_deref(), Some("7"));
        assert_eq!(next.metadata.labels.as_ref().and_then(|l| l.get("x")).map(String::as_str), Some("y"));
        let managed = serde_json::to_value(&next.metadata.managed_fields).expect("json");
        assert_eq!(managed, serde_json::json!([{}]), "the update clears the field-ownership record");

        // An earlier version's skip-mirror label is removed (and nothing else changes).
        let mut legacy = same.clone();
        legacy.metadata.labels.as_mut().expect("l").insert(SKIP_MIRROR_LABEL.into(), "true".into());
        let EndpointsWrite::Update(next) = plan_endpoints(&desired, Some(&legacy)) else { panic!("update") };
        assert_eq!(next.metadata.labels, same.metadata.labels);
        assert_eq!(next.subsets, desired.subsets);
    }

    #[test]
    fn drift_lists_what_is_missing_and_what_is_extra() {
        let computed = subsets(2, 0);
        assert!(drift(&computed, &computed).is_empty());
        let live = subsets(1, 1);
        let d = drift(&computed, &live);
        assert_eq!(d.missing.iter().map(|e| e.ip.as_str()).collect::<Vec<_>>(), ["10.1.0.1"]);
        assert_eq!(d.extra.iter().map(|e| (e.ip.as_str(), e.ready)).collect::<Vec<_>>(), [("10.2.0.0", false)]);
        assert_eq!(entries(&computed).len(), 2);
    }
}

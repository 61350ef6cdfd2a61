//! The EndpointSlices of a federated Service, planned against the live ones so that few are
//! written: endpoints stay in the slice they are in, new ones fill slices with room first, and a
//! slice is written only when its content changes. Pure.
//!
//! Slices carry `kubernetes.io/service-name`, `endpointslice.kubernetes.io/managed-by:
//! kubectl-federate` and an owner reference to the Service (so deleting the Service deletes
//! them); at most [`MAX_ENDPOINTS_PER_SLICE`] endpoints each, one address family and one port
//! set per slice, endpoints as Kubernetes' mirroring controller writes them.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use k8s_openapi::api::core::v1::{EndpointAddress, EndpointSubset, Service};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointConditions, EndpointPort, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use super::repack::{DEFAULT_PROTOCOL, PortKey};
use super::{MAX_ENDPOINTS_PER_SLICE, SERVICE_NAME_LABEL, SLICE_MANAGED_BY, SLICE_MANAGED_BY_LABEL};
use crate::names::{MANAGED_BY, MANAGED_BY_LABEL};

/// The label selector of the slices this crate writes for Service `name`.
pub fn slice_selector(name: &str) -> String {
    format!("{SERVICE_NAME_LABEL}={name},{SLICE_MANAGED_BY_LABEL}={SLICE_MANAGED_BY}")
}

/// The label selector of every slice this crate writes.
pub fn managed_selector() -> String {
    format!("{SLICE_MANAGED_BY_LABEL}={SLICE_MANAGED_BY}")
}

/// What slices group by: address family and port set.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct GroupKey {
    address_type: String,
    ports: Vec<PortKey>,
}

/// An endpoint's identity within a group: (IP, target UID).
type EndpointKey = (String, String);

/// The writes that bring a Service's slices to the desired state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SlicePlan {
    /// New slices (named by `metadata.generateName`).
    pub create: Vec<EndpointSlice>,
    /// Changed slices (name and resourceVersion of the live one).
    pub update: Vec<EndpointSlice>,
    /// Slices to delete.
    pub delete: Vec<EndpointSlice>,
    /// Live slices already right.
    pub unchanged: usize,
}

impl SlicePlan {
    /// Whether nothing is to be written.
    pub fn is_empty(&self) -> bool {
        self.create.is_empty() && self.update.is_empty() && self.delete.is_empty()
    }

    /// Number of writes.
    pub fn writes(&self) -> usize {
        self.create.len() + self.update.len() + self.delete.len()
    }
}

fn address_type(ip: &str) -> Option<&'static str> {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => Some("IPv4"),
        Ok(IpAddr::V6(_)) => Some("IPv6"),
        Err(_) => None,
    }
}

fn endpoint(a: &EndpointAddress, ready: bool) -> Endpoint {
    Endpoint {
        addresses: vec![a.ip.clone()],
        conditions: Some(EndpointConditions { ready: Some(ready), ..Default::default() }),
        hostname: a.hostname.clone().filter(|h| !h.is_empty()),
        node_name: a.node_name.clone().filter(|n| !n.is_empty()),
        target_ref: a.target_ref.clone(),
        ..Default::default()
    }
}

fn endpoint_key(e: &Endpoint) -> EndpointKey {
    let ip = e.addresses.first().cloned().unwrap_or_default();
    let uid = e.target_ref.as_ref().and_then(|t| t.uid.clone()).unwrap_or_default();
    (ip, uid)
}

fn slice_port(k: &PortKey) -> EndpointPort {
    EndpointPort {
        name: Some(k.name.clone()),
        port: Some(k.port),
        protocol: Some(k.protocol.clone()),
        app_protocol: k.app_protocol.clone(),
    }
}

fn port_key(p: &EndpointPort) -> PortKey {
    PortKey {
        name: p.name.clone().unwrap_or_default(),
        protocol: p.protocol.clone().unwrap_or_else(|| DEFAULT_PROTOCOL.into()),
        port: p.port.unwrap_or(-1),
        app_protocol: p.app_protocol.clone(),
    }
}

fn group_of(slice: &EndpointSlice) -> GroupKey {
    let mut ports: Vec<PortKey> = slice.ports.iter().flatten().map(port_key).collect();
    ports.sort();
    GroupKey { address_type: slice.address_type.clone(), ports }
}

/// Desired endpoints by group, each group's endpoints by key.
fn desired_groups(subsets: &[EndpointSubset]) -> BTreeMap<GroupKey, BTreeMap<EndpointKey, Endpoint>> {
    let mut groups: BTreeMap<GroupKey, BTreeMap<EndpointKey, Endpoint>> = BTreeMap::new();
    for s in subsets {
        let mut ports: Vec<PortKey> = s.ports.iter().flatten().map(PortKey::of).collect();
        ports.sort();
        for (ready, list) in [(true, &s.addresses), (false, &s.not_ready_addresses)] {
            for a in list.iter().flatten() {
                let Some(family) = address_type(&a.ip) else { continue };
                let e = endpoint(a, ready);
                let group = GroupKey { address_type: family.to_owned(), ports: ports.clone() };
                groups.entry(group).or_default().entry(endpoint_key(&e)).or_insert(e);
            }
        }
    }
    groups
}

/// The metadata every slice of `service` carries.
fn slice_meta(service: &Service) -> ObjectMeta {
    let name = service.metadata.name.clone().unwrap_or_default();
    ObjectMeta {
        namespace: service.metadata.namespace.clone(),
        labels: Some(BTreeMap::from([
            (SERVICE_NAME_LABEL.to_owned(), name.clone()),
            (SLICE_MANAGED_BY_LABEL.to_owned(), SLICE_MANAGED_BY.to_owned()),
            (MANAGED_BY_LABEL.to_owned(), MANAGED_BY.to_owned()),
        ])),
        owner_references: service.metadata.uid.clone().map(|uid| {
            vec![OwnerReference {
                api_version: "v1".into(),
                kind: "Service".into(),
                name,
                uid,
                controller: Some(true),
                ..Default::default()
            }]
        }),
        ..Default::default()
    }
}

/// Whether a live slice already has this content (labels and owner we set, family, ports,
/// endpoints in order).
fn same_content(live: &EndpointSlice, want: &EndpointSlice) -> bool {
    let labels_ok = want
        .metadata
        .labels
        .iter()
        .flatten()
        .all(|(k, v)| live.metadata.labels.as_ref().and_then(|l| l.get(k)) == Some(v));
    let owner = |s: &EndpointSlice| -> Vec<(String, String)> {
        s.metadata.owner_references.iter().flatten().map(|o| (o.kind.clone(), o.uid.clone())).collect()
    };
    let ports = |s: &EndpointSlice| -> Vec<PortKey> { s.ports.iter().flatten().map(port_key).collect() };
    labels_ok
        && owner(live) == owner(want)
        && live.address_type == want.address_type
        && ports(live) == ports(want)
        && live.endpoints == want.endpoints
}

/// Plans the slices of `service` for the (repacked) `subsets`, given its `existing` slices (those
/// matching [`slice_selector`]).
pub fn plan_slices(service: &Service, subsets: &[EndpointSubset], existing: &[EndpointSlice]) -> SlicePlan {
    let meta = slice_meta(service);
    let mut desired = desired_groups(subsets);
    let mut plan = SlicePlan::default();
    let mut live: Vec<&EndpointSlice> = existing.iter().collect();
    live.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));

    // 1. Keep each live slice's endpoints that are still wanted, in place, updated to their
    //    desired value; an endpoint seen twice is kept once.
    let mut kept: Vec<(&EndpointSlice, GroupKey, Vec<Endpoint>)> = Vec::new();
    for slice in live {
        let group = group_of(slice);
        let Some(pool) = desired.get_mut(&group) else {
            plan.delete.push(slice.clone());
            continue;
        };
        let mut endpoints = Vec::new();
        let mut seen = BTreeSet::new();
        for e in &slice.endpoints {
            let key = endpoint_key(e);
            if endpoints.len() < MAX_ENDPOINTS_PER_SLICE
                && seen.insert(key.clone())
                && let Some(want) = pool.remove(&key)
            {
                endpoints.push(want);
            }
        }
        kept.push((slice, group, endpoints));
    }
    // 2. New endpoints fill the group's slices with room, then new slices.
    for (_, group, endpoints) in &mut kept {
        if let Some(pool) = desired.get_mut(group) {
            while endpoints.len() < MAX_ENDPOINTS_PER_SLICE {
                let Some((_, e)) = pool.pop_first() else { break };
                endpoints.push(e);
            }
        }
    }
    for (slice, group, endpoints) in kept {
        if endpoints.is_empty() {
            plan.delete.push(slice.clone());
            continue;
        }
        let mut want = build(&meta, &group, endpoints);
        want.metadata.name = slice.metadata.name.clone();
        want.metadata.resource_version = slice.metadata.resource_version.clone();
        if same_content(slice, &want) {
            plan.unchanged += 1;
        } else {
            plan.update.push(want);
        }
    }
    for (group, pool) in desired {
        let all: Vec<Endpoint> = pool.into_values().collect();
        for chunk in all.chunks(MAX_ENDPOINTS_PER_SLICE) {
            let mut s = build(&meta, &group, chunk.to_vec());
            s.metadata.generate_name = service.metadata.name.as_ref().map(|n| format!("{n}-"));
            plan.create.push(s);
        }
    }
    plan
}

fn build(meta: &ObjectMeta, group: &GroupKey, endpoints: Vec<Endpoint>) -> EndpointSlice {
    EndpointSlice {
        metadata: meta.clone(),
        address_type: group.address_type.clone(),
        endpoints,
        ports: Some(group.ports.iter().map(slice_port).collect()),
    }
}

/// Ready and not-ready endpoint counts over slices.
pub fn count(slices: &[EndpointSlice]) -> (usize, usize) {
    slices.iter().flat_map(|s| &s.endpoints).fold((0, 0), |(r, n), e| {
        if e.conditions.as_ref().and_then(|c| c.ready).unwrap_or(true) { (r + 1, n) } else { (r, n + 1) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::ObjectReference;
    use serde_json::json;

    fn service() -> Service {
        serde_json::from_value(json!({"metadata": {"name": "fed", "namespace": "ns", "uid": "svc-uid"}, "spec": {}}))
            .expect("svc")
    }

    fn addr(ip: &str) -> EndpointAddress {
        EndpointAddress {
            ip: ip.into(),
            node_name: Some("node-1".into()),
            target_ref: Some(ObjectReference {
                kind: Some("Pod".into()),
                name: Some(format!("p-{ip}")),
                uid: Some(format!("u-{ip}")),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn port(name: &str, n: i32) -> k8s_openapi::api::core::v1::EndpointPort {
        k8s_openapi::api::core::v1::EndpointPort {
            name: Some(name.into()),
            port: n,
            protocol: Some("TCP".into()),
            ..Default::default()
        }
    }

    fn subset(
        ips: &[String],
        not_ready: &[String],
        ports: &[k8s_openapi::api::core::v1::EndpointPort],
    ) -> EndpointSubset {
        EndpointSubset {
            addresses: Some(ips.iter().map(|i| addr(i)).collect()),
            not_ready_addresses: Some(not_ready.iter().map(|i| addr(i)).collect()),
            ports: Some(ports.to_vec()),
        }
    }

    fn ips(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("10.0.{}.{}", i / 250, i % 250 + 1)).collect()
    }

    /// Applies a plan the way the API server would, naming created slices `fed-N`.
    fn apply(existing: &[EndpointSlice], plan: &SlicePlan) -> Vec<EndpointSlice> {
        let deleted: BTreeSet<_> = plan.delete.iter().map(|s| s.metadata.name.clone()).collect();
        let mut out: Vec<EndpointSlice> = existing
            .iter()
            .filter(|s| !deleted.contains(&s.metadata.name))
            .map(|s| {
                plan.update.iter().find(|u| u.metadata.name == s.metadata.name).cloned().unwrap_or_else(|| s.clone())
            })
            .collect();
        for (i, c) in plan.create.iter().enumerate() {
            let mut c = c.clone();
            c.metadata.name = Some(format!("fed-{}-{i}", existing.len()));
            c.metadata.generate_name = None;
            out.push(c);
        }
        out
    }

    #[test]
    fn at_most_a_hundred_endpoints_per_slice_split_by_family_and_ports() {
        let v4 = ips(250);
        let v6 = vec!["fd00::1".to_owned(), "fd00::2".to_owned()];
        let subsets = vec![
            subset(&v4, &[], &[port("http", 8080)]),
            subset(&v6, &[], &[port("http", 8080)]),
            subset(&v4[..3], &[], &[port("http", 8080), port("grpc", 9090)]),
            EndpointSubset {
                addresses: Some(vec![addr("not-an-ip")]),
                ports: Some(vec![port("http", 1)]),
                ..Default::default()
            },
        ];
        let plan = plan_slices(&service(), &subsets, &[]);
        let sizes: Vec<(String, usize, usize)> = plan
            .create
            .iter()
            .map(|s| (s.address_type.clone(), s.ports.as_ref().map_or(0, Vec::len), s.endpoints.len()))
            .collect();
        // Groups in order: IPv4 with [grpc, http], IPv4 with [http] (3 slices), IPv6 with [http].
        assert_eq!(
            sizes,
            [
                ("IPv4".into(), 2, 3),
                ("IPv4".into(), 1, 100),
                ("IPv4".into(), 1, 100),
                ("IPv4".into(), 1, 50),
                ("IPv6".into(), 1, 2)
            ]
        );
        let s = &plan.create[1];
        let labels = s.metadata.labels.as_ref().expect("labels");
        assert_eq!(labels.get(SERVICE_NAME_LABEL).map(String::as_str), Some("fed"));
        assert_eq!(labels.get(SLICE_MANAGED_BY_LABEL).map(String::as_str), Some("kubectl-federate"));
        assert_eq!(s.metadata.generate_name.as_deref(), Some("fed-"));
        assert_eq!(s.metadata.owner_references.as_ref().expect("owner")[0].uid, "svc-uid");
        let e = &s.endpoints[0];
        assert_eq!(e.conditions.as_ref().and_then(|c| c.ready), Some(true));
        assert_eq!(e.node_name.as_deref(), Some("node-1"));
        assert!(e.target_ref.as_ref().and_then(|t| t.name.as_deref()).is_some_and(|n| n.starts_with("p-")));
    }

    #[test]
    fn an_unchanged_state_writes_nothing_and_one_new_endpoint_writes_one_slice() {
        let all = ips(230);
        let subsets = vec![subset(&all[..220], &all[220..], &[port("http", 8080)])];
        let first = plan_slices(&service(), &subsets, &[]);
        assert_eq!(first.create.len(), 3);
        let live = apply(&[], &first);
        let again = plan_slices(&service(), &subsets, &live);
        assert!(again.is_empty(), "{again:?}");
        assert_eq!(again.unchanged, 3);
        assert_eq!(count(&live), (220, 10));

        // One more endpoint: only the slice with room changes.
        let more = ips(231);
        let grown = vec![subset(&more[..220], &more[220..], &[port("http", 8080)])];
        let plan = plan_slices(&service(), &grown, &live);
        assert_eq!((plan.create.len(), plan.update.len(), plan.delete.len(), plan.unchanged), (0, 1, 0, 2));
        let live = apply(&live, &plan);
        assert!(plan_slices(&service(), &grown, &live).is_empty());

        // An endpoint turning not ready rewrites only its own slice.
        let flipped =
            vec![subset(&more[1..220], &[more[..1].to_vec(), more[220..].to_vec()].concat(), &[port("http", 8080)])];
        let plan = plan_slices(&service(), &flipped, &live);
        assert_eq!((plan.create.len(), plan.update.len(), plan.delete.len()), (0, 1, 0));
    }

    #[test]
    fn emptied_and_stale_slices_are_deleted_and_user_edits_are_repaired() {
        let subsets = vec![subset(&ips(150), &[], &[port("http", 8080)])];
        let live = apply(&[], &plan_slices(&service(), &subsets, &[]));
        // Everything gone: both slices deleted.
        let plan = plan_slices(&service(), &[], &live);
        assert_eq!((plan.create.len(), plan.update.len(), plan.delete.len()), (0, 0, 2));
        // The port changed: the old group's slices go, new ones come.
        let moved = vec![subset(&ips(150), &[], &[port("http", 8081)])];
        let plan = plan_slices(&service(), &moved, &live);
        assert_eq!((plan.create.len(), plan.update.len(), plan.delete.len()), (2, 0, 2));
        // A user edit of a slice is overwritten.
        let mut edited = live.clone();
        edited[0].endpoints.truncate(10);
        edited[0].endpoints[0].conditions = Some(EndpointConditions { ready: Some(false), ..Default::default() });
        let plan = plan_slices(&service(), &subsets, &edited);
        assert_eq!(plan.writes(), 1 + plan.create.len());
        let repaired = apply(&edited, &plan);
        assert!(plan_slices(&service(), &subsets, &repaired).is_empty());
        assert_eq!(count(&repaired), (150, 0));
    }

    #[test]
    fn selectors_name_our_slices() {
        assert_eq!(
            slice_selector("fed"),
            "kubernetes.io/service-name=fed,endpointslice.kubernetes.io/managed-by=kubectl-federate"
        );
        assert_eq!(managed_selector(), "endpointslice.kubernetes.io/managed-by=kubectl-federate");
    }
}

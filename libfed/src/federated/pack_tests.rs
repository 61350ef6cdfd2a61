//! `pack` against the straightforward implementations it replaced (kept here as the reference):
//! `RepackSubsets`, the port filter and remote renaming of the federated computation, and
//! Kubernetes' truncation, on generated subsets with duplicate addresses, shared and missing
//! targets, defaulted protocols and every port shape.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use k8s_openapi::api::core::v1::{EndpointAddress, EndpointPort, EndpointSubset, ObjectReference};
use proptest::prelude::*;

use super::*;
use crate::federated::repack::{PortKey, compare_addresses, repack, target_uid};

const NO_PORT: i32 = -1;

/// The straightforward `RepackSubsets` (owned maps, an address cloned per step) that `pack` is
/// checked against: same input, same output.
fn repack_reference(subsets: &[EndpointSubset]) -> Vec<EndpointSubset> {
    // Unique addresses, first occurrence kept whole (for its targetRef and nodeName).
    let mut addresses: Vec<&EndpointAddress> = Vec::new();
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    // Port → address index → ready.
    let mut by_port: BTreeMap<PortKey, BTreeMap<usize, bool>> = BTreeMap::new();
    let none = PortKey { name: String::new(), protocol: String::new(), port: NO_PORT, app_protocol: None };
    for subset in subsets {
        let ports: Vec<PortKey> = match subset.ports.as_deref() {
            Some(ps) if !ps.is_empty() => ps.iter().map(PortKey::of).collect(),
            _ => vec![none.clone()],
        };
        let ready = subset.addresses.iter().flatten().map(|a| (a, true));
        let not_ready = subset.not_ready_addresses.iter().flatten().map(|a| (a, false));
        for (address, is_ready) in ready.chain(not_ready) {
            let i = *index.entry((address.ip.as_str(), target_uid(address))).or_insert_with(|| {
                addresses.push(address);
                addresses.len() - 1
            });
            for port in &ports {
                let set = by_port.entry(port.clone()).or_default();
                // Not ready always wins over ready.
                let r = set.entry(i).or_insert(is_ready);
                *r = *r && is_ready;
            }
        }
    }
    // Group ports by the exact set of (address, ready) offering them.
    let mut order: Vec<usize> = (0..addresses.len()).collect();
    order.sort_by(|a, b| compare_addresses(addresses[*a], addresses[*b]));
    let mut rank = vec![0usize; addresses.len()];
    for (r, i) in order.iter().enumerate() {
        rank[*i] = r;
    }
    let mut groups: BTreeMap<Vec<(usize, bool)>, Vec<PortKey>> = BTreeMap::new();
    for (port, set) in by_port {
        let mut key: Vec<(usize, bool)> = set.into_iter().map(|(i, r)| (rank[i], r)).collect();
        key.sort_unstable();
        let ports = groups.entry(key).or_default();
        if port.port != NO_PORT {
            ports.push(port);
        }
    }
    let mut out: Vec<(Vec<PortKey>, EndpointSubset)> = groups
        .into_iter()
        .map(|(members, mut ports)| {
            ports.sort();
            let pick = |want: bool| -> Option<Vec<EndpointAddress>> {
                let v: Vec<EndpointAddress> =
                    members.iter().filter(|(_, r)| *r == want).map(|(rk, _)| addresses[order[*rk]].clone()).collect();
                (!v.is_empty()).then_some(v)
            };
            let subset = EndpointSubset {
                addresses: pick(true),
                not_ready_addresses: pick(false),
                ports: (!ports.is_empty()).then(|| ports.iter().map(PortKey::to_port).collect()),
            };
            (ports, subset)
        })
        .collect();
    out.sort_by(|(pa, a), (pb, b)| pa.cmp(pb).then_with(|| compare_subset_addresses(a, b)));
    out.into_iter().map(|(_, s)| s).collect()
}

fn address_list(s: &EndpointSubset) -> Vec<(bool, &str, &str)> {
    let ready = s.addresses.iter().flatten().map(|a| (true, a.ip.as_str(), target_uid(a)));
    let not_ready = s.not_ready_addresses.iter().flatten().map(|a| (false, a.ip.as_str(), target_uid(a)));
    ready.chain(not_ready).collect()
}

fn compare_subset_addresses(a: &EndpointSubset, b: &EndpointSubset) -> Ordering {
    address_list(a).cmp(&address_list(b))
}

/// The federated computation's port filter and renaming as it was: one subset with only the
/// wanted ports, remote targets renamed; `None` when no port is wanted.
fn filter_subset_reference(
    subset: &EndpointSubset,
    ports: &BTreeSet<(String, String)>,
    cluster: Option<&str>,
) -> Option<EndpointSubset> {
    let kept: Vec<_> = subset
        .ports
        .iter()
        .flatten()
        .filter(|p| {
            let k = PortKey::of(p);
            ports.contains(&(k.name, k.protocol))
        })
        .cloned()
        .collect();
    if kept.is_empty() {
        return None;
    }
    let rename = |list: &Option<Vec<EndpointAddress>>| -> Option<Vec<EndpointAddress>> {
        list.as_ref().map(|l| l.iter().map(|a| remote_address(a, cluster)).collect())
    };
    Some(EndpointSubset {
        addresses: rename(&subset.addresses),
        not_ready_addresses: rename(&subset.not_ready_addresses),
        ports: Some(kept),
    })
}

/// Kubernetes' truncation as it was written first, on materialised subsets.
fn truncate_reference(subsets: &mut [EndpointSubset], max: usize) -> bool {
    let len = |l: &Option<Vec<EndpointAddress>>| l.as_ref().map_or(0, Vec::len);
    let ready: usize = subsets.iter().map(|s| len(&s.addresses)).sum();
    let not_ready: usize = subsets.iter().map(|s| len(&s.not_ready_addresses)).sum();
    if ready + not_ready <= max {
        return false;
    }
    let truncate_ready = ready > max;
    let (budget, total) = if truncate_ready { (max, ready) } else { (max - ready, not_ready) };
    let mut left = budget;
    for s in subsets.iter_mut() {
        let list = if truncate_ready { &mut s.addresses } else { &mut s.not_ready_addresses };
        let n = len(list);
        let share = (n * budget).div_ceil(total).min(left);
        if let Some(l) = list.as_mut() {
            l.truncate(share);
        }
        if list.as_ref().is_some_and(Vec::is_empty) {
            *list = None;
        }
        left -= share.min(n);
        if truncate_ready {
            s.not_ready_addresses = None;
        }
    }
    true
}

const CLUSTERS: &[Option<&str>] = &[None, Some("cluster-b"), Some("cluster-c")];

fn address() -> impl Strategy<Value = EndpointAddress> {
    let target = prop_oneof![
        2 => Just(None),
        1 => Just(Some(ObjectReference::default())),
        4 => (prop::sample::select(vec!["u1", "u2", "u3", ""]), prop::sample::select(vec!["pod-a", "pod-b", ""]))
            .prop_map(|(uid, name)| Some(ObjectReference {
                kind: Some("Pod".into()),
                name: (!name.is_empty()).then(|| name.into()),
                uid: Some(uid.into()),
                ..Default::default()
            })),
    ];
    (prop::sample::select(vec!["10.0.0.1", "10.0.0.2", "10.0.0.10", "9.1.1.1", "fd00::1"]), target, any::<bool>())
        .prop_map(|(ip, target_ref, node)| EndpointAddress {
            ip: ip.into(),
            target_ref,
            node_name: node.then(|| "node-1".into()),
            ..Default::default()
        })
}

fn port() -> impl Strategy<Value = EndpointPort> {
    (
        prop::sample::select(vec!["", "http", "dns"]),
        prop::sample::select(vec![None, Some("TCP"), Some("UDP")]),
        prop::sample::select(vec![53, 80]),
        prop::sample::select(vec![None, Some("h2")]),
    )
        .prop_map(|(name, protocol, port, app)| EndpointPort {
            name: (!name.is_empty()).then(|| name.into()),
            protocol: protocol.map(Into::into),
            port,
            app_protocol: app.map(Into::into),
        })
}

fn list() -> impl Strategy<Value = Option<Vec<EndpointAddress>>> {
    prop_oneof![1 => Just(None), 4 => prop::collection::vec(address(), 0..6).prop_map(Some)]
}

fn subset() -> impl Strategy<Value = EndpointSubset> {
    let ports = prop_oneof![1 => Just(None), 4 => prop::collection::vec(port(), 0..4).prop_map(Some)];
    (list(), list(), ports).prop_map(|(addresses, not_ready_addresses, ports)| EndpointSubset {
        addresses,
        not_ready_addresses,
        ports,
    })
}

/// Subsets, each from one of [`CLUSTERS`].
fn sourced() -> impl Strategy<Value = Vec<(usize, EndpointSubset)>> {
    prop::collection::vec((0..CLUSTERS.len(), subset()), 0..6)
}

fn wanted() -> impl Strategy<Value = BTreeSet<(String, String)>> {
    let pair = (prop::sample::select(vec!["", "http", "dns"]), prop::sample::select(vec!["TCP", "UDP"]))
        .prop_map(|(n, p)| (n.to_owned(), p.to_owned()));
    prop::collection::btree_set(pair, 0..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn repack_is_the_reference_repack(subsets in prop::collection::vec(subset(), 0..6)) {
        prop_assert_eq!(repack(&subsets), repack_reference(&subsets));
    }

    #[test]
    fn truncation_on_counts_is_the_reference_truncation(
        subsets in prop::collection::vec(subset(), 0..6),
        max in 0usize..12,
    ) {
        let mut want = repack_reference(&subsets);
        let cut = truncate_reference(&mut want, max);
        let mut packer = Packer::default();
        for s in &subsets {
            packer.add(s, None, PortFilter::All);
        }
        prop_assert_eq!(packer.finish().subsets(Some(max)), (want.clone(), cut));
        let mut again = repack_reference(&subsets);
        prop_assert_eq!(crate::federated::object::truncate(&mut again, max), cut);
        prop_assert_eq!(again, want);
    }

    #[test]
    fn filtered_renamed_packing_is_the_reference_computation(sourced in sourced(), wanted in wanted(), max in 0usize..12) {
        let filtered: Vec<EndpointSubset> =
            sourced.iter().filter_map(|(c, s)| filter_subset_reference(s, &wanted, CLUSTERS[*c])).collect();
        let want = repack_reference(&filtered);
        let wanted: Vec<(String, String)> = wanted.into_iter().collect();
        let mut packer = Packer::default();
        let mut contributed = (0, 0);
        for (c, s) in &sourced {
            if let Some((r, n)) = packer.add(s, CLUSTERS[*c], PortFilter::Only(&wanted)) {
                contributed = (contributed.0 + r, contributed.1 + n);
            }
        }
        prop_assert_eq!(contributed, crate::federated::repack::count(&filtered), "per-backing counts");
        let packed = packer.finish();
        prop_assert_eq!(packed.counts(), crate::federated::repack::count(&want));
        prop_assert_eq!(packed.subsets(None), (want.clone(), false));
        let mut cut = want;
        let truncated = truncate_reference(&mut cut, max);
        prop_assert_eq!(packed.subsets(Some(max)), (cut, truncated));
    }
}

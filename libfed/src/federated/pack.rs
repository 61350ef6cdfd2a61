//! The packing behind [`super::repack::repack`] and the federated endpoint computation, done on
//! borrowed addresses: subsets are indexed (addresses deduplicated, ports interned), grouped and
//! ordered without copying an address, and only the addresses that end up in the result are
//! cloned: with a limit, only those Kubernetes' truncation keeps. Pure.
//!
//! The rules are those of the module docs of [`super::repack`]; `repack_reference` in the tests
//! is the straightforward implementation this one is checked against
//! (`pack_tests.rs`).

use std::cmp::Ordering;

use k8s_openapi::api::core::v1::{EndpointAddress, EndpointPort, EndpointSubset};

use super::endpoints::remote_address;
use super::repack::{PortKey, name_and_protocol, target_uid};

/// An address as offered by one cluster's Endpoints.
#[derive(Debug, Clone, Copy)]
struct Source<'a> {
    address: &'a EndpointAddress,
    /// The remote cluster it came from (`None`: local), for renaming its target.
    cluster: Option<&'a str>,
}

/// Which ports of a subset count.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PortFilter<'f> {
    /// Every port; a subset without ports is kept (as "no ports").
    All,
    /// Only ports whose (name, protocol) is listed; a subset with none of them is dropped.
    Only(&'f [(String, String)]),
}

/// Subsets being packed: every address offered (duplicates too; [`Packer::finish`] keeps the
/// first occurrence of each IP and target UID) and, per distinct port, which addresses offer it
/// and whether ready.
#[derive(Debug, Default)]
pub(crate) struct Packer<'a> {
    addresses: Vec<Source<'a>>,
    ports: Vec<PortKey>,
    /// Per port (same index as `ports`): (index in `addresses`, ready).
    offers: Vec<Vec<(u32, bool)>>,
    /// Port indices of the subset being added (reused).
    scratch: Vec<usize>,
}

/// The port key standing for "no ports".
fn no_ports() -> PortKey {
    PortKey { name: String::new(), protocol: String::new(), port: NO_PORT, app_protocol: None }
}

const NO_PORT: i32 = -1;

fn port_matches(key: &PortKey, p: &EndpointPort) -> bool {
    let (name, protocol) = name_and_protocol(p);
    key.port == p.port
        && key.name == name
        && key.protocol == protocol
        && key.app_protocol.as_deref() == p.app_protocol.as_deref()
}

impl<'a> Packer<'a> {
    fn port_index(&mut self, p: Option<&EndpointPort>) -> usize {
        let found = match p {
            Some(p) => self.ports.iter().position(|k| port_matches(k, p)),
            None => self.ports.iter().position(|k| k.port == NO_PORT),
        };
        found.unwrap_or_else(|| {
            self.ports.push(p.map_or_else(no_ports, PortKey::of));
            self.offers.push(Vec::new());
            self.ports.len() - 1
        })
    }

    /// Adds one subset (of `cluster`, `None` for the local one). Returns the ready and not-ready
    /// addresses it contributed (before deduplication), or `None` when `filter` dropped it.
    pub(crate) fn add(
        &mut self,
        subset: &'a EndpointSubset,
        cluster: Option<&'a str>,
        filter: PortFilter<'_>,
    ) -> Option<(usize, usize)> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let ports = subset.ports.as_deref().unwrap_or_default();
        match filter {
            PortFilter::All if ports.is_empty() => scratch.push(self.port_index(None)),
            PortFilter::All => scratch.extend(ports.iter().map(|p| self.port_index(Some(p)))),
            PortFilter::Only(wanted) => {
                for p in ports {
                    let (name, protocol) = name_and_protocol(p);
                    if wanted.iter().any(|(n, pr)| n == name && pr == protocol) {
                        scratch.push(self.port_index(Some(p)));
                    }
                }
                if scratch.is_empty() {
                    self.scratch = scratch;
                    return None;
                }
            }
        }
        let ready = subset.addresses.as_deref().unwrap_or_default();
        let not_ready = subset.not_ready_addresses.as_deref().unwrap_or_default();
        for (address, is_ready) in ready.iter().map(|a| (a, true)).chain(not_ready.iter().map(|a| (a, false))) {
            let i = u32::try_from(self.addresses.len()).unwrap_or(u32::MAX);
            self.addresses.push(Source { address, cluster });
            for &p in &scratch {
                self.offers[p].push((i, is_ready));
            }
        }
        self.scratch = scratch;
        Some((ready.len(), not_ready.len()))
    }

    /// Groups the ports by the exact set of (address, ready) offering them, in canonical order.
    pub(crate) fn finish(self) -> Packed<'a> {
        let Packer { addresses, ports, offers, .. } = self;
        // Sorted by (IP, target UID, order offered), the first of each run of equal (IP, target
        // UID) is that address's first occurrence, and the runs are in Kubernetes' order
        // (`repack::compare_addresses`: a missing target and an empty UID are one address here).
        // Sorting the keys side by side, without a hash table, is the cheapest way there; the
        // IP's first 16 bytes as a number go first, so most comparisons are one integer compare
        // (the same order: see `ip_prefix`).
        let mut keys: Vec<(u128, &[u8], &str, u32)> = addresses
            .iter()
            .zip(0u32..)
            .map(|(s, i)| {
                let ip = s.address.ip.as_bytes();
                (ip_prefix(ip), ip, target_uid(s.address), i)
            })
            .collect();
        keys.sort_unstable();
        let mut rank = vec![0u32; addresses.len()];
        let mut sorted: Vec<Source<'a>> = Vec::with_capacity(addresses.len());
        let mut previous: Option<(&[u8], &str)> = None;
        for (_, ip, uid, i) in keys {
            if previous != Some((ip, uid)) {
                sorted.push(addresses[i as usize]);
                previous = Some((ip, uid));
            }
            rank[i as usize] = u32::try_from(sorted.len() - 1).unwrap_or(u32::MAX);
        }
        // Per port: unique addresses by rank, not ready winning over ready.
        let mut members: Vec<(Vec<(u32, bool)>, PortKey)> = ports
            .into_iter()
            .zip(offers)
            // A port no address offers makes no subset.
            .filter(|(_, offers)| !offers.is_empty())
            .map(|(port, offers)| {
                let mut m: Vec<(u32, bool)> = offers.into_iter().map(|(i, r)| (rank[i as usize], r)).collect();
                m.sort_unstable();
                // (rank, false) sorts before (rank, true): keeping the first of each rank keeps
                // "not ready" whenever the address was offered not ready at all.
                m.dedup_by_key(|(r, _)| *r);
                (m, port)
            })
            .collect();
        members.sort_unstable_by(|(a, pa), (b, pb)| a.cmp(b).then_with(|| pa.cmp(pb)));
        let mut groups: Vec<Group> = Vec::new();
        for (m, port) in members {
            match groups.last_mut() {
                Some(g) if g.members == m => {
                    if port.port != NO_PORT {
                        g.ports.push(port);
                    }
                }
                _ => {
                    let ports = if port.port == NO_PORT { Vec::new() } else { vec![port] };
                    let ready = m.iter().filter(|(_, r)| *r).count();
                    groups.push(Group { ready, not_ready: m.len() - ready, members: m, ports });
                }
            }
        }
        groups.sort_by(|a, b| a.ports.cmp(&b.ports).then_with(|| compare_members(&sorted, a, b)));
        Packed { addresses: sorted, groups }
    }
}

/// The first 16 bytes of `ip`, big-endian, zero-padded: if `ip_prefix(a) < ip_prefix(b)` then
/// `a < b` byte-wise, so sorting by (prefix, bytes) is sorting by bytes. (A shorter string that
/// is a prefix of a longer one sorts first either way: padding is zero, the lowest byte; equal
/// prefixes fall back to the bytes, which also settles an address holding a zero byte.)
fn ip_prefix(ip: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    let n = ip.len().min(16);
    bytes[..n].copy_from_slice(&ip[..n]);
    u128::from_be_bytes(bytes)
}

/// Addresses sharing exactly the same ports.
#[derive(Debug)]
struct Group {
    /// Sorted; empty for addresses offered without ports.
    ports: Vec<PortKey>,
    /// (rank, ready), by rank.
    members: Vec<(u32, bool)>,
    ready: usize,
    not_ready: usize,
}

impl Group {
    fn list(&self, want: bool) -> impl Iterator<Item = u32> + '_ {
        self.members.iter().filter(move |(_, r)| *r == want).map(|(rank, _)| *rank)
    }
}

/// Subsets with the same ports are ordered by their addresses: ready ones, then not-ready ones,
/// each as (ready, IP, target UID).
fn compare_members(addresses: &[Source<'_>], a: &Group, b: &Group) -> Ordering {
    let key = |g: &Group| -> Vec<(bool, &str, &str)> {
        let of = |want: bool| {
            g.list(want).map(move |r| {
                let s = &addresses[r as usize];
                (want, s.address.ip.as_str(), target_uid(s.address))
            })
        };
        of(true).chain(of(false)).collect()
    };
    key(a).cmp(&key(b))
}

/// Packed subsets, addresses still borrowed.
#[derive(Debug)]
pub(crate) struct Packed<'a> {
    /// Unique addresses in Kubernetes' order.
    addresses: Vec<Source<'a>>,
    groups: Vec<Group>,
}

impl Packed<'_> {
    /// Ready and not-ready addresses of the packed subsets.
    pub(crate) fn counts(&self) -> (usize, usize) {
        self.groups.iter().fold((0, 0), |(r, n), g| (r + g.ready, n + g.not_ready))
    }

    /// The subsets, each address cloned (remote targets renamed `CLUSTER/POD`). With `limit`, as
    /// Kubernetes truncates them ([`shares`]): only the kept addresses are cloned. Returns them
    /// and whether anything was cut.
    pub(crate) fn subsets(&self, limit: Option<usize>) -> (Vec<EndpointSubset>, bool) {
        let lengths: Vec<(usize, usize)> = self.groups.iter().map(|g| (g.ready, g.not_ready)).collect();
        let kept = limit.and_then(|max| shares(&lengths, max));
        let truncated = kept.is_some();
        let kept = kept.unwrap_or(lengths);
        let subsets = self
            .groups
            .iter()
            .zip(kept)
            .map(|(g, (ready, not_ready))| {
                let take = |want: bool, n: usize| -> Option<Vec<EndpointAddress>> {
                    let v: Vec<EndpointAddress> = g
                        .list(want)
                        .take(n)
                        .map(|r| {
                            let s = &self.addresses[r as usize];
                            remote_address(s.address, s.cluster)
                        })
                        .collect();
                    (!v.is_empty()).then_some(v)
                };
                EndpointSubset {
                    addresses: take(true, ready),
                    not_ready_addresses: take(false, not_ready),
                    ports: (!g.ports.is_empty()).then(|| g.ports.iter().map(PortKey::to_port).collect()),
                }
            })
            .collect();
        (subsets, truncated)
    }
}

/// Kubernetes' endpoints-controller truncation on address counts: given each subset's (ready,
/// not ready) counts, how many of each it keeps so that at most `max` remain, ready ones first,
/// each subset keeping its share (rounded up, the last one what is left). `None` when nothing is
/// cut.
pub(crate) fn shares(lengths: &[(usize, usize)], max: usize) -> Option<Vec<(usize, usize)>> {
    let ready: usize = lengths.iter().map(|l| l.0).sum();
    let not_ready: usize = lengths.iter().map(|l| l.1).sum();
    if ready + not_ready <= max {
        return None;
    }
    let truncate_ready = ready > max;
    let (budget, total) = if truncate_ready { (max, ready) } else { (max - ready, not_ready) };
    let mut left = budget;
    let mut out = Vec::with_capacity(lengths.len());
    for &(r, n) in lengths {
        let len = if truncate_ready { r } else { n };
        let share = (len * budget).div_ceil(total).min(left);
        let kept = share.min(len);
        left -= kept;
        out.push(if truncate_ready { (kept, 0) } else { (r, kept) });
    }
    Some(out)
}

#[cfg(test)]
#[path = "pack_tests.rs"]
mod tests;

#[cfg(test)]
mod prefix_tests {
    use proptest::prelude::*;

    use super::ip_prefix;

    /// Up to 24 bytes (past the prefix) from a small alphabet, zero included, so that prefixes
    /// of one another and equal prefixes are common.
    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(prop::sample::select(&b"\x00019.:af"[..]), 0..24)
    }

    proptest! {
        /// Ordering by (prefix, bytes) is ordering by bytes, whatever the bytes (zero included).
        #[test]
        fn the_prefix_keeps_the_byte_order(a in bytes(), b in bytes()) {
            prop_assert_eq!((ip_prefix(&a), &a).cmp(&(ip_prefix(&b), &b)), a.cmp(&b));
        }
    }
}

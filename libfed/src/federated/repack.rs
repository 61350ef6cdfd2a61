//! Kubernetes' `RepackSubsets` (`k8s.io/kubernetes/pkg/api/v1/endpoints`): expand subsets to
//! (address, port) pairs, dedupe addresses by (IP, target UID), then group the addresses that
//! offer exactly the same ports into one subset. A not-ready address wins over the same address
//! ready. The result depends only on the content, never on the input order.
//!
//! Kubernetes orders ports and subsets by an MD5 of their Go representation; that order cannot
//! be reproduced outside Go and means nothing, so here ports sort by (name, protocol, port,
//! appProtocol) and subsets by their ports, then their addresses. Addresses sort as Kubernetes
//! sorts them: by IP bytes, then target UID (no target first).

use std::cmp::Ordering;

use k8s_openapi::api::core::v1::{EndpointAddress, EndpointPort, EndpointSubset};

use super::pack::{Packer, PortFilter};

/// The protocol Kubernetes defaults a port to.
pub const DEFAULT_PROTOCOL: &str = "TCP";

/// A port as a key: `(name, protocol, port, appProtocol)`, with `""` for no name and `TCP` for
/// no protocol, as the API server defaults them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortKey {
    /// The port name (`""` when unnamed).
    pub name: String,
    /// The protocol (`TCP`, `UDP`, `SCTP`).
    pub protocol: String,
    /// The port number; `-1` stands for "no ports" (a subset without ports is kept).
    pub port: i32,
    /// The application protocol, if any.
    pub app_protocol: Option<String>,
}

impl PortKey {
    /// The key of an Endpoints port.
    pub fn of(p: &EndpointPort) -> Self {
        let (name, protocol) = name_and_protocol(p);
        PortKey {
            name: name.to_owned(),
            protocol: protocol.to_owned(),
            port: p.port,
            app_protocol: p.app_protocol.clone(),
        }
    }

    /// Back to an Endpoints port (no name stays `None`, the protocol is always set).
    pub fn to_port(&self) -> EndpointPort {
        EndpointPort {
            name: (!self.name.is_empty()).then(|| self.name.clone()),
            protocol: Some(self.protocol.clone()),
            port: self.port,
            app_protocol: self.app_protocol.clone(),
        }
    }
}

/// A port's name and protocol as the API server defaults them: `""` for no name, `TCP` for no
/// protocol.
pub fn name_and_protocol(p: &EndpointPort) -> (&str, &str) {
    (p.name.as_deref().unwrap_or_default(), p.protocol.as_deref().unwrap_or(DEFAULT_PROTOCOL))
}

/// The UID of an address's target, `""` without one (Kubernetes' `addressKey`).
pub fn target_uid(a: &EndpointAddress) -> &str {
    a.target_ref.as_ref().and_then(|r| r.uid.as_deref()).unwrap_or("")
}

/// Kubernetes' `LessEndpointAddress`: IP bytes, then a missing target first, then target UID.
pub fn compare_addresses(a: &EndpointAddress, b: &EndpointAddress) -> Ordering {
    a.ip.as_bytes().cmp(b.ip.as_bytes()).then_with(|| match (&a.target_ref, &b.target_ref) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(_), Some(_)) => target_uid(a).cmp(target_uid(b)),
    })
}

/// Repacks subsets into the canonical layout (see the module docs). Ports are normalised
/// ([`PortKey::to_port`]); empty address lists become `None`.
pub fn repack(subsets: &[EndpointSubset]) -> Vec<EndpointSubset> {
    let mut packer = Packer::default();
    for s in subsets {
        packer.add(s, None, PortFilter::All);
    }
    packer.finish().subsets(None).0
}

/// Ready and not-ready address counts of subsets.
pub fn count(subsets: &[EndpointSubset]) -> (usize, usize) {
    subsets.iter().fold((0, 0), |(r, n), s| {
        (r + s.addresses.as_ref().map_or(0, Vec::len), n + s.not_ready_addresses.as_ref().map_or(0, Vec::len))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::ObjectReference;

    pub(crate) fn addr(ip: &str, uid: Option<&str>) -> EndpointAddress {
        EndpointAddress {
            ip: ip.into(),
            target_ref: uid.map(|u| ObjectReference { uid: Some(u.into()), ..Default::default() }),
            ..Default::default()
        }
    }

    fn port(name: &str, p: i32) -> EndpointPort {
        EndpointPort {
            name: (!name.is_empty()).then(|| name.into()),
            port: p,
            protocol: Some("TCP".into()),
            ..Default::default()
        }
    }

    fn subset(ready: &[&str], not_ready: &[&str], ports: Vec<EndpointPort>) -> EndpointSubset {
        let list = |ips: &[&str]| (!ips.is_empty()).then(|| ips.iter().map(|ip| addr(ip, None)).collect());
        EndpointSubset {
            addresses: list(ready),
            not_ready_addresses: list(not_ready),
            ports: (!ports.is_empty()).then_some(ports),
        }
    }

    /// (ready IPs, not-ready IPs, port numbers) per subset, for compact expectations.
    fn shape(subsets: &[EndpointSubset]) -> Vec<(Vec<String>, Vec<String>, Vec<i32>)> {
        subsets
            .iter()
            .map(|s| {
                let ips = |l: &Option<Vec<EndpointAddress>>| l.iter().flatten().map(|a| a.ip.clone()).collect();
                (ips(&s.addresses), ips(&s.not_ready_addresses), s.ports.iter().flatten().map(|p| p.port).collect())
            })
            .collect()
    }

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn repack_cases() {
        let (p80, p443) = (port("http", 80), port("https", 443));
        type Shape = Vec<(Vec<String>, Vec<String>, Vec<i32>)>;
        let cases: Vec<(&str, Vec<EndpointSubset>, Shape)> = vec![
            ("empty stays empty", vec![], vec![]),
            (
                "duplicates across subsets are merged",
                vec![
                    subset(&["10.0.0.2", "10.0.0.1"], &[], vec![p80.clone()]),
                    subset(&["10.0.0.1"], &[], vec![p80.clone()]),
                ],
                vec![(v(&["10.0.0.1", "10.0.0.2"]), v(&[]), vec![80])],
            ),
            (
                "addresses sharing the same ports share a subset",
                vec![
                    subset(&["10.0.0.1"], &[], vec![p80.clone(), p443.clone()]),
                    subset(&["10.0.0.2"], &[], vec![p443.clone(), p80.clone()]),
                ],
                vec![(v(&["10.0.0.1", "10.0.0.2"]), v(&[]), vec![80, 443])],
            ),
            (
                "different port sets make different subsets",
                vec![
                    subset(&["10.0.0.1"], &[], vec![p80.clone()]),
                    subset(&["10.0.0.2"], &[], vec![p80.clone(), p443.clone()]),
                ],
                vec![(v(&["10.0.0.1", "10.0.0.2"]), v(&[]), vec![80]), (v(&["10.0.0.2"]), v(&[]), vec![443])],
            ),
            (
                "not ready wins over ready for the same address and port",
                vec![
                    subset(&["10.0.0.1", "10.0.0.2"], &[], vec![p80.clone()]),
                    subset(&[], &["10.0.0.1"], vec![p80.clone()]),
                ],
                vec![(v(&["10.0.0.2"]), v(&["10.0.0.1"]), vec![80])],
            ),
            (
                "a subset without ports is kept",
                vec![subset(&["10.0.0.9"], &[], vec![])],
                vec![(v(&["10.0.0.9"]), v(&[]), vec![])],
            ),
        ];
        for (name, input, want) in cases {
            assert_eq!(shape(&repack(&input)), want, "{name}");
        }
    }

    #[test]
    fn same_ip_with_different_targets_are_two_addresses() {
        let s = EndpointSubset {
            addresses: Some(vec![addr("10.0.0.1", Some("b")), addr("10.0.0.1", Some("a")), addr("10.0.0.1", None)]),
            ports: Some(vec![port("", 80)]),
            ..Default::default()
        };
        let out = repack(&[s]);
        let uids: Vec<&str> = out[0].addresses.iter().flatten().map(target_uid).collect();
        assert_eq!(uids, ["", "a", "b"]);
        assert!(out[0].addresses.iter().flatten().zip(uids).all(|(a, u)| u.is_empty() == a.target_ref.is_none()));
    }

    #[test]
    fn output_does_not_depend_on_input_order() {
        let (p80, p443) = (port("http", 80), port("https", 443));
        let subsets = vec![
            subset(&["10.0.0.3", "10.0.0.1"], &["10.0.0.7"], vec![p443.clone(), p80.clone()]),
            subset(&["10.0.0.2"], &[], vec![p80.clone()]),
            subset(&["10.0.0.1"], &["10.0.0.5"], vec![p443.clone()]),
        ];
        let want = repack(&subsets);
        let mut rotated = subsets.clone();
        for _ in 0..subsets.len() {
            rotated.rotate_left(1);
            assert_eq!(repack(&rotated), want);
            let mut reversed: Vec<EndpointSubset> = rotated.clone();
            for s in &mut reversed {
                if let Some(a) = s.addresses.as_mut() {
                    a.reverse();
                }
                if let Some(p) = s.ports.as_mut() {
                    p.reverse();
                }
            }
            assert_eq!(repack(&reversed), want);
        }
        // Repacking is idempotent.
        assert_eq!(repack(&want), want);
    }

    #[test]
    fn ports_are_normalised_like_the_api_server_defaults_them() {
        let s = EndpointSubset {
            addresses: Some(vec![addr("10.0.0.1", None)]),
            ports: Some(vec![EndpointPort {
                name: Some(String::new()),
                port: 53,
                protocol: None,
                ..Default::default()
            }]),
            ..Default::default()
        };
        let out = repack(&[s]);
        let p = &out[0].ports.as_ref().expect("ports")[0];
        assert_eq!((p.name.as_deref(), p.protocol.as_deref(), p.port), (None, Some("TCP"), 53));
        assert_eq!(count(&out), (1, 0));
    }
}

//! The federated endpoints of a Service, computed from the Services and Endpoints of the local
//! cluster and of each remote cluster (spec/federation.md §4). Pure.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use k8s_openapi::api::core::v1::{EndpointAddress, EndpointSubset, Endpoints, Service};
use serde::Serialize;

use super::config::{FederationConfig, is_backing_candidate};
use super::pack::{Packer, PortFilter};
use crate::calico::selector::LabelMap;

/// The Services and Endpoints of one namespace of one cluster, by name.
#[derive(Debug, Clone, Default)]
pub struct NamespaceObjects {
    /// Services by name (read with [`NamespaceObjects::services`]; written through
    /// [`ClusterObjects`], which keeps `labels` in step).
    services: BTreeMap<String, Service>,
    /// Endpoints by name.
    pub endpoints: BTreeMap<String, Endpoints>,
    /// Each labelled Service's labels laid out for selectors, built once when it is cached.
    labels: HashMap<String, LabelMap>,
}

impl NamespaceObjects {
    /// Services by name.
    pub fn services(&self) -> &BTreeMap<String, Service> {
        &self.services
    }

    /// Whether `config` selects the Service `name` (in `namespace`, of `cluster`).
    fn selects(&self, config: &FederationConfig, namespace: &str, cluster: Option<&str>, name: &str) -> bool {
        config.selects(namespace, cluster, self.labels.get(name))
    }
}

/// The Services and Endpoints of one cluster, by namespace, as read from it or kept by watches.
#[derive(Debug, Clone, Default)]
pub struct ClusterObjects {
    namespaces: BTreeMap<String, NamespaceObjects>,
}

fn key_of(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> Option<(String, String)> {
    Some((meta.namespace.clone()?, meta.name.clone()?))
}

impl ClusterObjects {
    /// Builds the index from lists (objects without a namespace or name are ignored).
    pub fn from_lists(
        services: impl IntoIterator<Item = Service>,
        endpoints: impl IntoIterator<Item = Endpoints>,
    ) -> Self {
        let mut out = Self::default();
        for s in services {
            out.apply_service(s);
        }
        for e in endpoints {
            out.apply_endpoints(e);
        }
        out
    }

    /// The namespace's objects, if the cluster has any there.
    pub fn namespace(&self, namespace: &str) -> Option<&NamespaceObjects> {
        self.namespaces.get(namespace)
    }

    /// Every namespace holding a Service or Endpoints.
    pub fn namespaces(&self) -> impl Iterator<Item = (&str, &NamespaceObjects)> {
        self.namespaces.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// A Service by namespace and name.
    pub fn service(&self, namespace: &str, name: &str) -> Option<&Service> {
        self.namespaces.get(namespace)?.services.get(name)
    }

    /// An Endpoints object by namespace and name.
    pub fn endpoints(&self, namespace: &str, name: &str) -> Option<&Endpoints> {
        self.namespaces.get(namespace)?.endpoints.get(name)
    }

    /// Adds or replaces a Service. `metadata.managedFields` is dropped: it is never needed here.
    pub fn apply_service(&mut self, mut s: Service) {
        if let Some((ns, name)) = key_of(&s.metadata) {
            s.metadata.managed_fields = None;
            let n = self.namespaces.entry(ns).or_default();
            match s.metadata.labels.as_ref() {
                Some(own) => n.labels.insert(name.clone(), LabelMap::from(own)),
                None => n.labels.remove(&name),
            };
            n.services.insert(name, s);
        }
    }

    /// Adds or replaces an Endpoints object (without `metadata.managedFields`).
    pub fn apply_endpoints(&mut self, mut e: Endpoints) {
        if let Some((ns, name)) = key_of(&e.metadata) {
            e.metadata.managed_fields = None;
            self.namespaces.entry(ns).or_default().endpoints.insert(name, e);
        }
    }

    /// Removes a Service.
    pub fn delete_service(&mut self, namespace: &str, name: &str) {
        if let Some(n) = self.namespaces.get_mut(namespace) {
            n.services.remove(name);
            n.labels.remove(name);
            if n.services.is_empty() && n.endpoints.is_empty() {
                self.namespaces.remove(namespace);
            }
        }
    }

    /// Removes an Endpoints object.
    pub fn delete_endpoints(&mut self, namespace: &str, name: &str) {
        if let Some(n) = self.namespaces.get_mut(namespace) {
            n.endpoints.remove(name);
            if n.services.is_empty() && n.endpoints.is_empty() {
                self.namespaces.remove(namespace);
            }
        }
    }

    /// Replaces every Service (after a re-list), keeping the Endpoints.
    pub fn replace_services(&mut self, services: impl IntoIterator<Item = Service>) {
        for n in self.namespaces.values_mut() {
            n.services.clear();
            n.labels.clear();
        }
        for s in services {
            self.apply_service(s);
        }
        self.namespaces.retain(|_, n| !(n.services.is_empty() && n.endpoints.is_empty()));
    }

    /// Replaces every Endpoints object (after a re-list), keeping the Services.
    pub fn replace_endpoints(&mut self, endpoints: impl IntoIterator<Item = Endpoints>) {
        for n in self.namespaces.values_mut() {
            n.endpoints.clear();
        }
        for e in endpoints {
            self.apply_endpoints(e);
        }
        self.namespaces.retain(|_, n| !(n.services.is_empty() && n.endpoints.is_empty()));
    }

    /// Number of Services and Endpoints objects held.
    pub fn len(&self) -> (usize, usize) {
        self.namespaces.values().fold((0, 0), |(s, e), n| (s + n.services.len(), e + n.endpoints.len()))
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.namespaces.is_empty()
    }
}

/// A backing Service of a federated Service and what it contributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Backing {
    /// The remote cluster's name; `None` for the local cluster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// The backing Service's name (same namespace as the federated Service).
    pub name: String,
    /// Ready addresses contributed (on matching ports).
    pub ready: usize,
    /// Not-ready addresses contributed (on matching ports).
    pub not_ready: usize,
    /// Whether the backing Service has an Endpoints object at all.
    pub has_endpoints: bool,
}

/// The result of the computation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Computed {
    /// The federated subsets, repacked; at most the limit's addresses when computed with one
    /// ([`compute_capped_from`]; `truncated` says whether any were cut).
    pub subsets: Vec<EndpointSubset>,
    /// The backing Services, local first, then remotes by cluster name, each by name.
    pub backing: Vec<Backing>,
    /// Ready and not-ready addresses of the federated Service, before any truncation.
    pub total: (usize, usize),
    /// Whether `subsets` was truncated as Kubernetes truncates an Endpoints object.
    pub truncated: bool,
}

impl Computed {
    /// Ready and not-ready address counts (before any truncation).
    pub fn counts(&self) -> (usize, usize) {
        self.total
    }

    /// Number of local and remote backing Services.
    pub fn backing_counts(&self) -> (usize, usize) {
        let local = self.backing.iter().filter(|b| b.cluster.is_none()).count();
        (local, self.backing.len() - local)
    }
}

/// The (name, protocol) pairs of a federated Service's ports; its `port` and `targetPort` are
/// not used ("the target port number in the federated service ports is not used").
pub fn federated_ports(service: &Service) -> BTreeSet<(String, String)> {
    service
        .spec
        .iter()
        .flat_map(|s| s.ports.iter().flatten())
        .map(|p| {
            (
                p.name.clone().unwrap_or_default(),
                p.protocol.clone().unwrap_or_else(|| super::repack::DEFAULT_PROTOCOL.into()),
            )
        })
        .collect()
}

/// Computes the endpoints of `federated` (whose federation `config` was parsed from it) from the
/// local cluster's objects and each remote's (by RCC name).
///
/// Rules (spec/federation.md §4): backing Services are those of the federated Service's namespace
/// whose labels (plus the implicit `projectcalico.org/namespace` and, remote only,
/// `federation.tigera.io/remoteClusterName`) match the scoped selector, and that carry no
/// federation annotation; each backing Endpoints subset keeps only ports whose (name, protocol)
/// is one of the federated Service's, with the backing port numbers, and is dropped without one;
/// ready and not-ready addresses stay apart; remote addresses get `targetRef.name` =
/// `CLUSTER/POD` (nodeName unchanged); the union is repacked.
pub fn compute(
    federated: &Service,
    config: &FederationConfig,
    local: &ClusterObjects,
    remotes: &BTreeMap<String, ClusterObjects>,
) -> Computed {
    compute_from(federated, config, local, remotes.iter().map(|(n, o)| (n.as_str(), o)))
}

/// [`compute`] over any sequence of remotes (name, objects), in the order given; a long-running
/// controller passes only the remotes it currently has in sync.
pub fn compute_from<'a>(
    federated: &Service,
    config: &FederationConfig,
    local: &ClusterObjects,
    remotes: impl IntoIterator<Item = (&'a str, &'a ClusterObjects)>,
) -> Computed {
    compute_limited(federated, config, local, remotes, None)
}

/// [`compute_from`] with the subsets truncated to `max` addresses as Kubernetes truncates an
/// Endpoints object ([`crate::federated::object::truncate`]), cloning only the addresses kept:
/// what a controller writing the Endpoints object needs. The counts are those before truncation.
pub fn compute_capped_from<'a>(
    federated: &Service,
    config: &FederationConfig,
    local: &ClusterObjects,
    remotes: impl IntoIterator<Item = (&'a str, &'a ClusterObjects)>,
    max: usize,
) -> Computed {
    compute_limited(federated, config, local, remotes, Some(max))
}

fn compute_limited<'l, 'a: 'l>(
    federated: &Service,
    config: &FederationConfig,
    local: &'l ClusterObjects,
    remotes: impl IntoIterator<Item = (&'a str, &'a ClusterObjects)>,
    limit: Option<usize>,
) -> Computed {
    let namespace = federated.metadata.namespace.as_deref().unwrap_or_default();
    let ports: Vec<(String, String)> = federated_ports(federated).into_iter().collect();
    let mut packer = Packer::default();
    let mut backing = Vec::new();
    let remotes = remotes.into_iter().map(|(n, o)| -> (Option<&'l str>, &'l ClusterObjects) { (Some(n), o) });
    for (cluster, objects) in std::iter::once((None, local)).chain(remotes) {
        let Some(ns) = objects.namespace(namespace) else { continue };
        for (name, service) in &ns.services {
            if !is_backing_candidate(service) || !ns.selects(config, namespace, cluster, name) {
                continue;
            }
            let endpoints = ns.endpoints.get(name);
            let (mut ready, mut not_ready) = (0, 0);
            for subset in endpoints.iter().flat_map(|e| e.subsets.iter().flatten()) {
                if let Some((r, n)) = packer.add(subset, cluster, PortFilter::Only(&ports)) {
                    ready += r;
                    not_ready += n;
                }
            }
            backing.push(Backing {
                cluster: cluster.map(str::to_owned),
                name: name.clone(),
                ready,
                not_ready,
                has_endpoints: endpoints.is_some(),
            });
        }
    }
    let packed = packer.finish();
    let (subsets, truncated) = packed.subsets(limit);
    Computed { subsets, backing, total: packed.counts(), truncated }
}

/// An address as the federated Endpoints shows it: a remote pod's `targetRef.name` becomes
/// `CLUSTER/POD`; `nodeName` and everything else is unchanged.
pub fn remote_address(a: &EndpointAddress, cluster: Option<&str>) -> EndpointAddress {
    let mut a = a.clone();
    if let (Some(cluster), Some(target)) = (cluster, a.target_ref.as_mut())
        && let Some(name) = target.name.as_mut().filter(|n| !n.is_empty())
    {
        *name = format!("{cluster}/{name}");
    }
    a
}

#[cfg(test)]
#[path = "endpoints_tests.rs"]
mod tests;

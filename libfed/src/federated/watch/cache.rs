//! The watch caches: each cluster's Services and Endpoints as its watches deliver them, the
//! parsed federation of each local Service (a selector is parsed once per change of its
//! Service), and the EndpointSlices earlier versions of this crate wrote.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Endpoints, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::Resource;
use kube::runtime::watcher::Event;

use super::restart::Item;
use crate::federated::SERVICE_NAME_LABEL;
use crate::federated::config::{Federation, federation};
use crate::federated::endpoints::ClusterObjects;

/// A Service or Endpoints object's (namespace, name).
pub(super) type Key = (String, String);

/// The key of an object's metadata.
pub(super) fn key(meta: &kube::api::ObjectMeta) -> Option<Key> {
    Some((meta.namespace.clone()?, meta.name.clone()?))
}

/// The list state of one kind in one cluster.
#[derive(Debug)]
pub(super) struct KindState<K> {
    /// Whether the last list completed (and no error came since).
    pub synced: bool,
    /// A list in progress.
    buffer: Option<Vec<K>>,
}

impl<K> Default for KindState<K> {
    fn default() -> Self {
        Self { synced: false, buffer: None }
    }
}

/// One cluster's watched objects.
#[derive(Debug, Default)]
pub(super) struct Objects {
    pub objects: ClusterObjects,
    pub services: KindState<Service>,
    pub endpoints: KindState<Endpoints>,
}

/// What an item did to a cache.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Change {
    /// Nothing visible yet (a list in progress).
    None,
    /// A list completed: anything may have changed.
    Relisted,
    /// These objects changed.
    Objects(Vec<Key>),
    /// The watch failed (it restarts by itself).
    Failed { message: String, gone: bool },
}

impl Objects {
    /// Whether both kinds are listed and watched.
    pub fn in_sync(&self) -> bool {
        self.services.synced && self.endpoints.synced
    }

    /// Applies one watch item of kind `K`.
    pub fn apply<K: KindObject>(&mut self, item: Item<K>) -> Change {
        match item {
            Item::Event(Event::Init) => {
                K::state(self).buffer = Some(Vec::new());
                Change::None
            }
            Item::Event(Event::InitApply(o)) => {
                if let Some(b) = K::state(self).buffer.as_mut() {
                    b.push(o);
                }
                Change::None
            }
            Item::Event(Event::InitDone) => {
                let items = K::state(self).buffer.take().unwrap_or_default();
                K::replace(&mut self.objects, items);
                K::state(self).synced = true;
                Change::Relisted
            }
            Item::Event(Event::Apply(o)) => {
                let k = key(o.meta());
                // The echo of an object this controller wrote (cached from the write's response)
                // changes nothing: no second reconcile of a Service per write.
                if k.as_ref()
                    .and_then(|k| K::cached(&self.objects, k))
                    .is_some_and(|c| same_version(c.meta(), o.meta()))
                {
                    return Change::None;
                }
                K::apply(&mut self.objects, o);
                Change::Objects(k.into_iter().collect())
            }
            Item::Event(Event::Delete(o)) => match key(o.meta()) {
                Some(k) => {
                    K::delete(&mut self.objects, &k);
                    Change::Objects(vec![k])
                }
                None => Change::None,
            },
            Item::Error { message, gone } => {
                if !gone {
                    K::state(self).synced = false;
                }
                Change::Failed { message, gone }
            }
        }
    }
}

/// Whether two copies of an object are the same version of it (same uid and resourceVersion).
fn same_version(a: &kube::api::ObjectMeta, b: &kube::api::ObjectMeta) -> bool {
    a.resource_version.is_some() && a.resource_version == b.resource_version && a.uid == b.uid
}

/// Services and Endpoints, handled alike.
pub(super) trait KindObject: Resource<DynamicType = ()> + Sized {
    fn state(o: &mut Objects) -> &mut KindState<Self>;
    fn cached<'o>(objects: &'o ClusterObjects, k: &Key) -> Option<&'o Self>;
    fn apply(objects: &mut ClusterObjects, o: Self);
    fn delete(objects: &mut ClusterObjects, k: &Key);
    fn replace(objects: &mut ClusterObjects, items: Vec<Self>);
}

impl KindObject for Service {
    fn state(o: &mut Objects) -> &mut KindState<Self> {
        &mut o.services
    }
    fn cached<'o>(objects: &'o ClusterObjects, k: &Key) -> Option<&'o Self> {
        objects.service(&k.0, &k.1)
    }
    fn apply(objects: &mut ClusterObjects, o: Self) {
        objects.apply_service(o);
    }
    fn delete(objects: &mut ClusterObjects, k: &Key) {
        objects.delete_service(&k.0, &k.1);
    }
    fn replace(objects: &mut ClusterObjects, items: Vec<Self>) {
        objects.replace_services(items);
    }
}

impl KindObject for Endpoints {
    fn state(o: &mut Objects) -> &mut KindState<Self> {
        &mut o.endpoints
    }
    fn cached<'o>(objects: &'o ClusterObjects, k: &Key) -> Option<&'o Self> {
        objects.endpoints(&k.0, &k.1)
    }
    fn apply(objects: &mut ClusterObjects, o: Self) {
        objects.apply_endpoints(o);
    }
    fn delete(objects: &mut ClusterObjects, k: &Key) {
        objects.delete_endpoints(&k.0, &k.1);
    }
    fn replace(objects: &mut ClusterObjects, items: Vec<Self>) {
        objects.replace_endpoints(items);
    }
}

/// The federation of every annotated local Service, parsed once per change of the Service.
#[derive(Debug, Default)]
pub(super) struct Federations {
    by_key: BTreeMap<Key, Federation>,
}

impl Federations {
    /// Re-reads one Service (after an event for it).
    pub fn update(&mut self, k: &Key, service: Option<&Service>) {
        match service.map(federation) {
            Some(Federation::NotFederated) | None => {
                self.by_key.remove(k);
            }
            Some(f) => {
                self.by_key.insert(k.clone(), f);
            }
        }
    }

    /// Re-reads every Service (after a list).
    pub fn rebuild(&mut self, objects: &ClusterObjects) {
        self.by_key.clear();
        for (ns, o) in objects.namespaces() {
            for (name, s) in o.services() {
                let k = (ns.to_owned(), name.clone());
                self.update(&k, Some(s));
            }
        }
    }

    /// The federation of a Service (`None`: not annotated, or unknown).
    pub fn get(&self, k: &Key) -> Option<&Federation> {
        self.by_key.get(k)
    }

    /// The federated Services of a namespace.
    pub fn federated_in<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a Key> + 'a {
        let start = (namespace.to_owned(), String::new());
        self.by_key
            .range(start..)
            .take_while(move |(k, _)| k.0 == namespace)
            .filter(|(_, f)| matches!(f, Federation::Federated(_)))
            .map(|(k, _)| k)
    }

    /// Every federated Service.
    pub fn federated(&self) -> impl Iterator<Item = &Key> {
        self.by_key.iter().filter(|(_, f)| matches!(f, Federation::Federated(_))).map(|(k, _)| k)
    }
}

/// The Service a legacy slice belongs to.
pub(super) fn slice_owner(s: &EndpointSlice) -> Option<Key> {
    Some((s.metadata.namespace.clone()?, s.metadata.labels.as_ref()?.get(SERVICE_NAME_LABEL)?.clone()))
}

/// The slices earlier versions of this crate wrote, by Service then by name.
#[derive(Debug, Default)]
pub(super) struct LegacySlices {
    pub synced: bool,
    buffer: Option<Vec<EndpointSlice>>,
    pub by_service: BTreeMap<Key, BTreeMap<String, EndpointSlice>>,
}

impl LegacySlices {
    /// Applies one watch item; returns the Services whose slices changed.
    pub fn apply(&mut self, item: Item<EndpointSlice>) -> Vec<Key> {
        match item {
            Item::Event(Event::Init) => {
                self.buffer = Some(Vec::new());
                Vec::new()
            }
            Item::Event(Event::InitApply(s)) => {
                if let Some(b) = self.buffer.as_mut() {
                    b.push(s);
                }
                Vec::new()
            }
            Item::Event(Event::InitDone) => {
                let mut owners: Vec<Key> = std::mem::take(&mut self.by_service).into_keys().collect();
                for s in self.buffer.take().unwrap_or_default() {
                    owners.extend(self.insert(s));
                }
                self.synced = true;
                owners
            }
            Item::Event(Event::Apply(s)) => self.insert(s).into_iter().collect(),
            Item::Event(Event::Delete(s)) => {
                let (Some(o), Some(name)) = (slice_owner(&s), s.metadata.name.as_ref()) else { return Vec::new() };
                if let Some(m) = self.by_service.get_mut(&o) {
                    m.remove(name);
                    if m.is_empty() {
                        self.by_service.remove(&o);
                    }
                }
                vec![o]
            }
            Item::Error { .. } => Vec::new(),
        }
    }

    fn insert(&mut self, mut s: EndpointSlice) -> Option<Key> {
        let owner = slice_owner(&s)?;
        let name = s.metadata.name.clone()?;
        s.metadata.managed_fields = None;
        self.by_service.entry(owner.clone()).or_default().insert(name, s);
        Some(owner)
    }

    /// A Service's legacy slices.
    pub fn of(&self, k: &Key) -> Vec<EndpointSlice> {
        self.by_service.get(k).map(|m| m.values().cloned().collect()).unwrap_or_default()
    }

    /// Forgets slices just deleted.
    pub fn forget(&mut self, k: &Key, names: &[String]) {
        if let Some(m) = self.by_service.get_mut(k) {
            for n in names {
                m.remove(n);
            }
            if m.is_empty() {
                self.by_service.remove(k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service(ns: &str, name: &str, annotation: Option<&str>) -> Service {
        let mut v = json!({"metadata": {"name": name, "namespace": ns}, "spec": {}});
        if let Some(a) = annotation {
            v["metadata"]["annotations"] = json!({crate::federated::SERVICE_SELECTOR_ANNOTATION: a});
        }
        serde_json::from_value(v).expect("service")
    }

    #[test]
    fn federations_are_parsed_once_and_listed_by_namespace() {
        let mut f = Federations::default();
        let objects = ClusterObjects::from_lists(
            [
                service("a", "fed", Some("all()")),
                service("a", "plain", None),
                service("a", "bad", Some("x ==")),
                service("ab", "fed2", Some("all()")),
                service("b", "fed3", Some("run == 'x'")),
            ],
            [],
        );
        f.rebuild(&objects);
        let a: Vec<&Key> = f.federated_in("a").collect();
        assert_eq!(a, [&("a".to_owned(), "fed".to_owned())], "not ab's, not the invalid one");
        assert!(matches!(f.get(&("a".into(), "bad".into())), Some(Federation::Invalid(_))));
        assert!(f.get(&("a".into(), "plain".into())).is_none());
        assert_eq!(f.federated().count(), 3);
        let k = ("b".to_owned(), "fed3".to_owned());
        f.update(&k, Some(&service("b", "fed3", None)));
        assert_eq!(f.federated_in("b").count(), 0, "the annotation was removed");
        f.update(&k, None);
        assert!(f.get(&k).is_none());
    }

    #[test]
    fn a_failed_watch_keeps_the_objects_and_a_relist_replaces_them() {
        let mut o = Objects::default();
        let s = |n: &str| service("ns", n, None);
        assert_eq!(o.apply::<Service>(Item::Event(Event::Init)), Change::None);
        assert_eq!(o.apply(Item::Event(Event::InitApply(s("a")))), Change::None);
        assert_eq!(o.apply::<Service>(Item::Event(Event::InitDone)), Change::Relisted);
        assert!(!o.in_sync(), "endpoints not listed yet");
        o.apply::<Endpoints>(Item::Event(Event::Init));
        o.apply::<Endpoints>(Item::Event(Event::InitDone));
        assert!(o.in_sync());
        let failed = o.apply::<Service>(Item::Error { message: "refused".into(), gone: false });
        assert_eq!(failed, Change::Failed { message: "refused".into(), gone: false });
        assert!(!o.in_sync());
        assert!(o.objects.service("ns", "a").is_some(), "kept while the watch restarts");
        o.apply::<Service>(Item::Event(Event::Init));
        o.apply(Item::Event(Event::InitApply(s("b"))));
        assert!(o.objects.service("ns", "a").is_some(), "kept until the list completes");
        o.apply::<Service>(Item::Event(Event::InitDone));
        assert!(o.objects.service("ns", "a").is_none() && o.objects.service("ns", "b").is_some());
        assert!(o.in_sync());
        let expired = o.apply::<Service>(Item::Error { message: "gone".into(), gone: true });
        assert!(matches!(expired, Change::Failed { gone: true, .. }));
        assert!(o.in_sync(), "an expired resourceVersion is not a connection failure");
    }

    #[test]
    fn the_echo_of_a_cached_version_changes_nothing() {
        let mut o = Objects::default();
        let version = |rv: &str, uid: &str| {
            let mut e: Endpoints =
                serde_json::from_value(json!({"metadata": {"name": "fed", "namespace": "ns"}})).expect("endpoints");
            e.metadata.resource_version = Some(rv.into());
            e.metadata.uid = Some(uid.into());
            e
        };
        let key = ("ns".to_owned(), "fed".to_owned());
        // What a write returned is cached before its watch event arrives.
        o.objects.apply_endpoints(version("7", "u1"));
        assert_eq!(o.apply(Item::Event(Event::Apply(version("7", "u1")))), Change::None, "our own write");
        assert_eq!(o.apply(Item::Event(Event::Apply(version("8", "u1")))), Change::Objects(vec![key.clone()]));
        assert_eq!(
            o.apply(Item::Event(Event::Apply(version("8", "u2")))),
            Change::Objects(vec![key.clone()]),
            "recreated"
        );
        let mut unversioned = version("9", "u2");
        unversioned.metadata.resource_version = None;
        o.objects.apply_endpoints(unversioned.clone());
        assert_eq!(o.apply(Item::Event(Event::Apply(unversioned))), Change::Objects(vec![key]), "no version: a change");
    }
}

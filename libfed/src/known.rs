//! What a federation run reads once per cluster instead of once per link. A local cluster's
//! managed link objects (Secrets, Roles, RoleBindings, RCCs) come from one labelled list per kind,
//! so planning N−1 links there costs four lists instead of 4·(N−1) gets.
//!
//! Equal answers: a list is a read of the same objects a get would return. An object that is not
//! in the list (absent, or present without this tool's label) is read with a get, as before, so
//! an unlabelled object of the same name is still found and planned exactly as it was. A list
//! that fails (e.g. RBAC allowing get but not list) leaves every read of that kind to a get.

use std::collections::HashMap;

use kube::api::{DynamicObject, ListParams};
use kube::core::TypeMeta;
use serde_json::Value;

use crate::Result;
use crate::cluster::Cluster;
use crate::names::{MANAGED_BY, MANAGED_BY_LABEL};
use crate::plan::read;
use crate::resource::Kind;

type Key = (Kind, Option<String>, String);

/// A local cluster's objects labelled as this tool's, by kind, namespace and name.
#[derive(Debug, Default)]
pub struct LocalObjects {
    objects: HashMap<Key, Value>,
    /// The lists that were made (they failed otherwise), for `-v`.
    listed: usize,
}

/// The kinds of a link's local side and where they live.
fn link_kinds(secret_namespace: &str) -> [(Kind, Option<&str>); 4] {
    [
        (Kind::Secret, Some(secret_namespace)),
        (Kind::Role, Some(secret_namespace)),
        (Kind::RoleBinding, Some(secret_namespace)),
        (Kind::RemoteClusterConfiguration, None),
    ]
}

impl LocalObjects {
    /// Nothing known: every read is a get.
    pub fn none() -> Self {
        Self::default()
    }

    /// Lists the managed link objects of `local` (four requests, concurrently).
    pub async fn list(local: &Cluster, secret_namespace: &str) -> Self {
        let lists = link_kinds(secret_namespace).map(|(kind, ns)| list_kind(&local.client, kind, ns));
        let mut known = LocalObjects::default();
        for (kind, listed) in futures::future::join_all(lists).await {
            match listed {
                Ok(items) => {
                    known.listed += 1;
                    for (ns, name, value) in items {
                        known.objects.insert((kind, ns, name), value);
                    }
                }
                Err(e) => {
                    tracing::debug!("{}: cannot list {}: {e}; reading them one by one", local.context, kind.as_str())
                }
            }
        }
        known
    }

    /// How many kinds were listed.
    pub fn listed(&self) -> usize {
        self.listed
    }

    /// The live object as JSON: from the list when it was there, else from a get.
    ///
    /// # Errors
    /// The get failing for another reason than 404.
    pub async fn read(
        &self,
        client: &kube::Client,
        cluster: &str,
        kind: Kind,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Option<Value>> {
        let key = (kind, namespace.filter(|_| kind.namespaced()).map(str::to_string), name.to_string());
        match self.objects.get(&key) {
            Some(v) => Ok(Some(v.clone())),
            None => read(client, cluster, kind, namespace, name).await,
        }
    }
}

/// The labelled objects of one kind, as a get returns them (with apiVersion and kind, which list
/// items lack).
async fn list_kind(
    client: &kube::Client,
    kind: Kind,
    namespace: Option<&str>,
) -> (Kind, std::result::Result<Vec<(Option<String>, String, Value)>, kube::Error>) {
    let ar = kind.api_resource();
    let api: kube::Api<DynamicObject> = match namespace {
        Some(ns) if kind.namespaced() => kube::Api::namespaced_with(client.clone(), ns, &ar),
        _ => kube::Api::all_with(client.clone(), &ar),
    };
    let lp = ListParams::default().labels(&format!("{MANAGED_BY_LABEL}={MANAGED_BY}"));
    let listed = api.list(&lp).await.map(|list| {
        list.items
            .into_iter()
            .filter_map(|mut o| {
                o.types = Some(TypeMeta { api_version: ar.api_version.clone(), kind: ar.kind.clone() });
                let ns = o.metadata.namespace.clone().filter(|_| kind.namespaced());
                let name = o.metadata.name.clone()?;
                Some((ns, name, serde_json::to_value(o).ok()?))
            })
            .collect()
    });
    (kind, listed)
}

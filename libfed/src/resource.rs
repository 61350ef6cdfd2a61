//! The kinds this crate reads and writes, as dynamic API resources, so that plans can hold any of
//! them and one apply path serves all.

use k8s_openapi::api::core::v1::{ConfigMap, Endpoints, Secret, Service, ServiceAccount};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use kube::api::ApiResource;
use serde::{Deserialize, Serialize};

/// A kind this crate manages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    /// core/v1 ServiceAccount.
    ServiceAccount,
    /// core/v1 Secret.
    Secret,
    /// rbac/v1 ClusterRole.
    ClusterRole,
    /// rbac/v1 ClusterRoleBinding.
    ClusterRoleBinding,
    /// rbac/v1 Role.
    Role,
    /// rbac/v1 RoleBinding.
    RoleBinding,
    /// projectcalico.org/v3 RemoteClusterConfiguration.
    RemoteClusterConfiguration,
    /// core/v1 Service (a federated Service).
    Service,
    /// core/v1 Endpoints (a federated Service's).
    Endpoints,
    /// discovery/v1 EndpointSlice (a federated Service's, written by earlier versions).
    EndpointSlice,
    /// core/v1 ConfigMap (`kube-system/aws-auth`).
    ConfigMap,
}

impl Kind {
    /// The API resource for dynamic clients.
    pub fn api_resource(self) -> ApiResource {
        match self {
            Kind::ServiceAccount => ApiResource::erase::<ServiceAccount>(&()),
            Kind::Secret => ApiResource::erase::<Secret>(&()),
            Kind::ClusterRole => ApiResource::erase::<ClusterRole>(&()),
            Kind::ClusterRoleBinding => ApiResource::erase::<ClusterRoleBinding>(&()),
            Kind::Role => ApiResource::erase::<Role>(&()),
            Kind::RoleBinding => ApiResource::erase::<RoleBinding>(&()),
            Kind::RemoteClusterConfiguration => crate::calico::rcc::api_resource(),
            Kind::Service => ApiResource::erase::<Service>(&()),
            Kind::Endpoints => ApiResource::erase::<Endpoints>(&()),
            Kind::EndpointSlice => ApiResource::erase::<EndpointSlice>(&()),
            Kind::ConfigMap => ApiResource::erase::<ConfigMap>(&()),
        }
    }

    /// Whether objects of this kind live in a namespace.
    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::ClusterRole | Kind::ClusterRoleBinding | Kind::RemoteClusterConfiguration)
    }

    /// The kind's name as Kubernetes spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ServiceAccount => "ServiceAccount",
            Kind::Secret => "Secret",
            Kind::ClusterRole => "ClusterRole",
            Kind::ClusterRoleBinding => "ClusterRoleBinding",
            Kind::Role => "Role",
            Kind::RoleBinding => "RoleBinding",
            Kind::RemoteClusterConfiguration => "RemoteClusterConfiguration",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::ConfigMap => "ConfigMap",
        }
    }
}

/// `kind ns/name` or `kind name`, as errors and reports name objects.
pub fn describe(kind: Kind, namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(ns) => format!("{} {ns}/{name}", kind.as_str().to_lowercase()),
        None => format!("{} {name}", kind.as_str().to_lowercase()),
    }
}

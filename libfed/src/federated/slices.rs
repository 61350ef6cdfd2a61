//! EndpointSlices of federated Services.
//!
//! The controller writes none: like Calico Enterprise's, it writes the Endpoints object without
//! the `endpointslice.kubernetes.io/skip-mirror` label, and Kubernetes' EndpointSlice mirroring
//! controller (in kube-controller-manager) makes the slices kube-proxy reads. Whichever of the two
//! controllers wrote the Endpoints last, the slices follow it, so switching between them never
//! leaves kube-proxy on stale addresses.
//!
//! Earlier versions of this crate wrote their own slices (`endpointslice.kubernetes.io/managed-by:
//! kubectl-federate`) and labelled the Endpoints skip-mirror. Those *legacy* slices are found with
//! [`slice_selector`] / [`managed_selector`] and removed once Kubernetes mirrors the Endpoints.

use super::{SERVICE_NAME_LABEL, SLICE_MANAGED_BY, SLICE_MANAGED_BY_LABEL};

/// The value of `endpointslice.kubernetes.io/managed-by` on slices Kubernetes mirrors from
/// custom Endpoints.
pub const MIRRORED_BY: &str = "endpointslicemirroring-controller.k8s.io";

/// The label selector of the slices earlier versions of this crate wrote for Service `name`.
pub fn slice_selector(name: &str) -> String {
    format!("{SERVICE_NAME_LABEL}={name},{SLICE_MANAGED_BY_LABEL}={SLICE_MANAGED_BY}")
}

/// The label selector of every slice earlier versions of this crate wrote.
pub fn managed_selector() -> String {
    format!("{SLICE_MANAGED_BY_LABEL}={SLICE_MANAGED_BY}")
}

/// The label selector of the slices Kubernetes mirrors from Service `name`'s Endpoints.
pub fn mirrored_selector(name: &str) -> String {
    format!("{SERVICE_NAME_LABEL}={name},{SLICE_MANAGED_BY_LABEL}={MIRRORED_BY}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_name_the_service_and_the_manager() {
        assert_eq!(
            slice_selector("web"),
            "kubernetes.io/service-name=web,endpointslice.kubernetes.io/managed-by=kubectl-federate"
        );
        assert_eq!(managed_selector(), "endpointslice.kubernetes.io/managed-by=kubectl-federate");
        assert_eq!(
            mirrored_selector("web"),
            "kubernetes.io/service-name=web,endpointslice.kubernetes.io/managed-by=endpointslicemirroring-controller.k8s.io"
        );
    }
}

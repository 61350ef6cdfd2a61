//! Calico Enterprise pieces that `libfed` understands without a cluster.
//!
//! - [`selector`]: the Calico selector language (parse, evaluate, canonical form), so that
//!   `kubectl federate` can tell which local and remote endpoints a policy rule would select,
//!   the way `calicoq eval` does.
//! - [`labels`]: the implicit labels Calico gives every Kubernetes workload endpoint
//!   (`projectcalico.org/namespace`, `pcns.*`, `pcsa.*` …), which selectors match against.

pub mod labels;
pub mod rcc;
pub mod selector;

//! Kubeconfigs: loading the user's (several `KUBECONFIG` files merged like kubectl) and minting the
//! self-contained kubeconfig a remote cluster's credential is stored as (spec/federation.md §2a).

//! The test environment: real etcd, kube-apiserver and kube-controller-manager processes.

//! etcd's start when a chosen port is taken before etcd binds it.

use std::net::TcpListener;
use std::time::Duration;

use super::*;

#[tokio::test]
async fn a_port_taken_before_etcd_binds_it_costs_a_retry_not_the_run() {
    let bins = tokio::task::spawn_blocking(binaries::ensure).await.expect("join").expect("binaries");
    let dir = tempfile::tempdir().expect("tempdir");
    // Another program listens on the first client port handed to etcd.
    let taken = TcpListener::bind("127.0.0.1:0").expect("listener");
    let mut ports = vec![taken.local_addr().expect("addr").port()];
    let mut next = move || match ports.pop() {
        Some(port) => Ok(port),
        None => ports::free_port(),
    };
    let (etcd, port) = start_etcd(&bins, dir.path(), Lifetime::Owned, &mut next).await.expect("etcd starts");
    assert_ne!(port, taken.local_addr().expect("addr").port(), "etcd kept the taken port");
    assert!(process::alive(etcd.pid));
    assert!(etcd.args.iter().any(|a| a == &format!("--listen-client-urls=http://127.0.0.1:{port}")));
    process::stop(etcd.pid, Duration::from_secs(5));
}

#[tokio::test]
async fn etcd_failing_for_another_reason_is_an_error_quoting_its_log() {
    let bins = tokio::task::spawn_blocking(binaries::ensure).await.expect("join").expect("binaries");
    let dir = tempfile::tempdir().expect("tempdir");
    // A file where etcd's data directory must go: etcd cannot create it and exits.
    std::fs::write(dir.path().join("etcd"), "not a directory").expect("write");
    let mut attempts = 0;
    let next = || {
        attempts += 1;
        ports::free_port()
    };
    let err = start_etcd(&bins, dir.path(), Lifetime::Owned, next).await.expect_err("etcd cannot start");
    let text = format!("{err:#}");
    assert!(text.contains("etcd did not start"), "{text}");
    assert!(text.contains("last lines of"), "{text}");
    assert_eq!(attempts, 2, "one attempt (two ports): the failure was not a taken port");
}

//! A cluster started again on its port while that port is still taken (the sockets of an API
//! server just killed, or another program) waits for the port instead of failing the test that
//! restarts it.

use std::time::{Duration, Instant};

#[tokio::test]
async fn a_restart_waits_for_its_port_to_be_free() {
    libfed::tls::ensure_crypto_provider();
    let dir = tempfile::tempdir().expect("tempdir");
    let env = testenv::Env::start(1, dir.path(), testenv::Lifetime::Owned).await.expect("environment");
    env.stop_cluster("cluster-a").expect("stop");
    let port: u16 = env.server_url("cluster-a").rsplit(':').next().and_then(|p| p.parse().ok()).expect("port");

    // Another program holds the port for the first two seconds of the restart.
    let squatter = std::net::TcpListener::bind(("127.0.0.1", port)).expect("take the cluster's port");
    assert!(testenv::ports::holders(port).starts_with("LISTEN by "), "{}", testenv::ports::holders(port));
    let released = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(2));
        drop(squatter);
        Instant::now()
    });
    env.start_cluster("cluster-a").await.expect("the restart waits for the port");
    let restarted_at = Instant::now();
    let released_at = released.join().expect("join");
    assert!(restarted_at > released_at, "the restart ended before the port was free");

    let log = std::fs::read_to_string(dir.path().join("cluster-a/kube-apiserver.log")).expect("log");
    assert!(log.contains("address already in use"), "the first start found the port taken");
    let client = env.client("cluster-a").await.expect("client");
    let version = client.apiserver_version().await.expect("the restarted API server answers");
    assert!(!version.git_version.is_empty());
}

use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use super::*;

/// `TCP_NODELAY` of this process's socket whose local address is `local` (found among the
/// descriptors in /proc/self/fd), if there is one.
#[allow(unsafe_code)]
fn nodelay_of(local: SocketAddr) -> Option<bool> {
    let SocketAddr::V4(local) = local else { return None };
    for entry in std::fs::read_dir("/proc/self/fd").ok()?.flatten() {
        let Some(fd) = entry.file_name().to_str().and_then(|n| n.parse::<libc::c_int>().ok()) else { continue };
        let mut addr: libc::sockaddr_in = unsafe { std::mem::zeroed() };
        let mut len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        // SAFETY: getsockname writes at most `len` bytes into `addr`, a local of that size; a
        // descriptor that is not a socket (or closed since the listing) returns an error.
        let rc = unsafe { libc::getsockname(fd, (&raw mut addr).cast(), &raw mut len) };
        if rc != 0 || i32::from(addr.sin_family) != libc::AF_INET {
            continue;
        }
        let ip = std::net::Ipv4Addr::from(u32::from_be(addr.sin_addr.s_addr));
        if ip != *local.ip() || u16::from_be(addr.sin_port) != local.port() {
            continue;
        }
        let mut value: libc::c_int = 0;
        let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: getsockopt writes one c_int into `value`, a local of that size.
        let rc = unsafe {
            libc::getsockopt(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY, (&raw mut value).cast(), &raw mut len)
        };
        return (rc == 0).then_some(value != 0);
    }
    None
}

/// Connects a client from `builder` to a loopback listener that accepts and never answers, and
/// returns `TCP_NODELAY` of the client's end.
async fn client_end_nodelay(build: fn(kube::Config) -> kube::Client) -> Option<bool> {
    crate::tls::ensure_crypto_provider();
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
    let server = listener.local_addr().expect("address");
    let mut config = kube::Config::new(format!("https://{server}").parse().expect("url"));
    config.connect_timeout = Some(Duration::from_secs(5));
    config.read_timeout = Some(Duration::from_secs(5));
    let client = build(config);
    // The TLS handshake waits for an answer that never comes: the socket stays open meanwhile.
    let request = tokio::spawn(async move { client.apiserver_version().await });
    // The kernel completes the handshake before the client sets its socket options; the first
    // bytes of its TLS hello come after them. So the option is read once those bytes are here.
    let (server_end, client_end) = tokio::task::spawn_blocking(move || {
        let (server_end, client_end) = listener.accept()?;
        server_end.set_read_timeout(Some(Duration::from_secs(5)))?;
        server_end.peek(&mut [0u8; 1])?;
        std::io::Result::Ok((server_end, client_end))
    })
    .await
    .expect("join")
    .expect("accept and the client's first bytes");
    let nodelay = nodelay_of(client_end);
    request.abort();
    drop(server_end);
    nodelay
}

#[tokio::test]
async fn connections_are_made_with_tcp_nodelay_which_kube_leaves_off() {
    let ours = client_end_nodelay(|c| client_builder(c).expect("builder").build()).await;
    assert_eq!(ours, Some(true), "this crate's clients disable Nagle's algorithm");
    // The reason for the copied stack; when kube sets it itself, the copy can go.
    let kube = client_end_nodelay(|c| ClientBuilder::try_from(c).expect("builder").build()).await;
    assert_eq!(kube, Some(false), "kube's own stack leaves Nagle's algorithm on");
}

#[test]
fn a_proxy_is_refused_as_kube_refuses_it() {
    crate::tls::ensure_crypto_provider();
    let mut config = kube::Config::new("https://127.0.0.1:1".parse().expect("url"));
    config.proxy_url = Some("http://127.0.0.1:2".parse().expect("url"));
    let ours = client_builder(config.clone()).err().map(|e| e.to_string());
    let kube = ClientBuilder::try_from(config).err().map(|e| e.to_string());
    assert!(ours.is_some(), "refused");
    assert_eq!(ours, kube);
}

//! A debug counter of the API requests this process makes: every kube client libfed builds goes
//! through [`client`], which adds a tower layer counting each request, per API server, as a read
//! (GET, HEAD) or a write (everything else). `kubectl federate -v` prints the totals, so the
//! request count of a command can be measured and compared with its formula in N clusters.
//!
//! The layer sits outside kube's retry layer: a request retried after a 429 or 503 counts once.
//! Counting is two relaxed atomic additions; nothing is logged per request.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};

/// Requests sent to one API server.
#[derive(Debug, Default)]
struct Counter {
    reads: AtomicU64,
    writes: AtomicU64,
}

/// Every counter of this process, by API server URL.
fn registry() -> &'static Mutex<BTreeMap<String, Arc<Counter>>> {
    static REGISTRY: OnceLock<Mutex<BTreeMap<String, Arc<Counter>>>> = OnceLock::new();
    REGISTRY.get_or_init(|| Mutex::new(BTreeMap::new()))
}

fn counter_for(server: &str) -> Arc<Counter> {
    let mut map = registry().lock().unwrap_or_else(|e| e.into_inner());
    map.entry(server.to_string()).or_default().clone()
}

/// The requests one API server received from this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerCount {
    /// The API server URL.
    pub server: String,
    /// GET and HEAD requests.
    pub reads: u64,
    /// Every other method (POST, PATCH, PUT, DELETE).
    pub writes: u64,
}

impl ServerCount {
    /// Reads and writes.
    pub fn total(&self) -> u64 {
        self.reads + self.writes
    }
}

/// The counts so far, per API server (sorted by URL; servers never asked are left out).
pub fn snapshot() -> Vec<ServerCount> {
    let map = registry().lock().unwrap_or_else(|e| e.into_inner());
    map.iter()
        .map(|(server, c)| ServerCount {
            server: server.clone(),
            reads: c.reads.load(Ordering::Relaxed),
            writes: c.writes.load(Ordering::Relaxed),
        })
        .filter(|c| c.total() > 0)
        .collect()
}

/// Every request so far, all servers together.
pub fn total() -> u64 {
    snapshot().iter().map(ServerCount::total).sum()
}

/// One line summing up `counts`: `api requests: 864 (792 reads, 72 writes) to 12 API servers,
/// at most 80 to one`.
pub fn summary(counts: &[ServerCount]) -> String {
    let reads: u64 = counts.iter().map(|c| c.reads).sum();
    let writes: u64 = counts.iter().map(|c| c.writes).sum();
    let max = counts.iter().map(ServerCount::total).max().unwrap_or(0);
    let servers = counts.len();
    format!(
        "api requests: {} ({reads} reads, {writes} writes) to {servers} API server{}, at most {max} to one",
        reads + writes,
        if servers == 1 { "" } else { "s" }
    )
}

/// A tower layer counting the requests of a client to `server`.
#[derive(Debug, Clone)]
pub struct CountLayer {
    counter: Arc<Counter>,
}

impl CountLayer {
    /// Counts into the counter of `server` (clients to one server share it).
    pub fn for_server(server: &str) -> Self {
        CountLayer { counter: counter_for(server) }
    }
}

impl<S> tower::Layer<S> for CountLayer {
    type Service = Counted<S>;

    fn layer(&self, inner: S) -> Counted<S> {
        Counted { inner, counter: self.counter.clone() }
    }
}

/// A service counting the requests passing through it.
#[derive(Debug, Clone)]
pub struct Counted<S> {
    inner: S,
    counter: Arc<Counter>,
}

impl<S, B> tower::Service<http::Request<B>> for Counted<S>
where
    S: tower::Service<http::Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let read = req.method() == http::Method::GET || req.method() == http::Method::HEAD;
        let c = if read { &self.counter.reads } else { &self.counter.writes };
        c.fetch_add(1, Ordering::Relaxed);
        self.inner.call(req)
    }
}

/// Builds a kube client from a config, as `kube::Client::try_from` does (with `TCP_NODELAY`, see
/// [`crate::client_stack`]), with the request counter.
///
/// # Errors
/// As `kube::Client::try_from`.
pub fn client(config: kube::Config) -> Result<kube::Client, kube::Error> {
    let server = config.cluster_url.to_string();
    let builder = crate::client_stack::client_builder(config)?;
    Ok(builder.with_layer(&CountLayer::for_server(server.trim_end_matches('/'))).build())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::{Layer, Service};

    #[derive(Clone)]
    struct Echo;

    impl Service<http::Request<()>> for Echo {
        type Response = ();
        type Error = std::convert::Infallible;
        type Future = std::future::Ready<Result<(), Self::Error>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, _: http::Request<()>) -> Self::Future {
            std::future::ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn reads_and_writes_are_counted_per_server() {
        let server = "https://counter-test.invalid:6443";
        let mut a = CountLayer::for_server(server).layer(Echo);
        let mut b = CountLayer::for_server(server).layer(Echo);
        for method in [http::Method::GET, http::Method::GET, http::Method::POST] {
            a.call(http::Request::builder().method(method).body(()).expect("request")).await.expect("call");
        }
        b.call(http::Request::builder().method(http::Method::PATCH).body(()).expect("request")).await.expect("call");
        let mine = snapshot().into_iter().find(|c| c.server == server).expect("counted");
        assert_eq!((mine.reads, mine.writes), (2, 2));
        let line = summary(&[mine]);
        assert!(line.starts_with("api requests: 4 (2 reads, 2 writes) to 1 API server,"), "{line}");
    }

    #[tokio::test]
    async fn a_built_client_counts_its_requests() {
        crate::tls::ensure_crypto_provider();
        // A closed loopback port: the request fails, but it was made, so it counts.
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
        let server = format!("https://127.0.0.1:{port}");
        let mut config = kube::Config::new(server.parse().expect("url"));
        config.connect_timeout = Some(std::time::Duration::from_secs(2));
        let c = client(config).expect("client");
        let _ = c.apiserver_version().await;
        let mine = snapshot().into_iter().find(|c| c.server == server).expect("counted");
        assert_eq!(mine.reads, 1);
    }
}

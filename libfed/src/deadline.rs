//! One time budget per request (`--request-timeout`), and a hung server paid for once.
//!
//! Every client of a one-shot command carries a [`DeadlineLayer`]: a request gets one budget from
//! the moment it is sent until its whole response body is read (connecting, TLS, the client's own
//! retries of 429/503 and reading included); past it, the request fails with [`NoAnswer`]. A server
//! that let a request run out is remembered for one budget: requests sent to it meanwhile fail at
//! once with the same error instead of each waiting the budget again, so a command whose later
//! steps touch the hung cluster again (a second phase, a prune, a hint lookup) does not pay twice.
//!
//! Clients that watch get no layer: a watch is a response that never ends.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body::{Body, Frame, SizeHint};
use tokio::time::{Instant, Sleep};
use tower::{BoxError, Layer, Service};

/// A response body of any kind, as kube's client stack hands them around.
type DynBody = dyn Body<Data = Bytes, Error = BoxError> + Send + Unpin;

/// A request that got no complete answer within its budget.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no answer within {}{}", seconds(*.after), if *.repeated { " (to an earlier request; not asked again)" } else { "" })]
pub struct NoAnswer {
    /// The server (`scheme://host:port`).
    pub server: String,
    /// The budget that ran out.
    pub after: Duration,
    /// The request was not sent: the server let an earlier request run out moments ago.
    pub repeated: bool,
}

/// `5s`, `1.5s`: how budgets are written in messages.
pub fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 { format!("{}s", d.as_secs()) } else { format!("{:.1}s", d.as_secs_f64()) }
}

/// The [`NoAnswer`] in an error's chain, if the error is a timeout of ours.
pub fn find_no_answer<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a NoAnswer> {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(n) = e.downcast_ref::<NoAnswer>() {
            return Some(n);
        }
        next = e.source();
    }
    None
}

/// Whether an error's chain holds an I/O timeout (the client's connect timeout).
fn is_io_timeout(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(e) = next {
        if e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut) {
            return true;
        }
        next = e.source();
    }
    false
}

/// Servers that let a request run out, with when they may be asked again.
static HUNG: Mutex<Vec<(String, Instant)>> = Mutex::new(Vec::new());

fn hung_list() -> std::sync::MutexGuard<'static, Vec<(String, Instant)>> {
    HUNG.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether `server` let a request run out within the last budget.
pub fn is_hung(server: &str) -> bool {
    let now = Instant::now();
    let mut list = hung_list();
    list.retain(|(_, until)| *until > now);
    list.iter().any(|(s, _)| s == server)
}

fn mark_hung(server: &str, budget: Duration) {
    let until = Instant::now() + budget;
    let mut list = hung_list();
    list.retain(|(s, _)| s != server);
    list.push((server.to_string(), until));
}

/// Forgets every hung server (tests, and long-running embedders starting a new round).
pub fn forget_hung() {
    hung_list().clear();
}

/// The key of a server: `scheme://authority` of its URL.
pub fn server_key(url: &http::Uri) -> String {
    format!("{}://{}", url.scheme_str().unwrap_or("https"), url.authority().map_or("", |a| a.as_str()))
}

/// Gives each request of a client one budget; see the module documentation.
#[derive(Debug, Clone)]
pub struct DeadlineLayer {
    budget: Duration,
    connect: Duration,
    server: Arc<str>,
}

impl DeadlineLayer {
    /// A layer for requests to `server` (see [`server_key`]) with this budget each; `connect` is
    /// the client's connect timeout, named when it is what ran out.
    pub fn new(server: String, budget: Duration, connect: Option<Duration>) -> Self {
        DeadlineLayer { budget, connect: connect.unwrap_or(budget).min(budget), server: server.into() }
    }
}

impl<S> Layer<S> for DeadlineLayer {
    type Service = Deadline<S>;

    fn layer(&self, inner: S) -> Deadline<S> {
        Deadline { inner, budget: self.budget, connect: self.connect, server: self.server.clone() }
    }
}

/// The service of [`DeadlineLayer`].
#[derive(Debug, Clone)]
pub struct Deadline<S> {
    inner: S,
    budget: Duration,
    connect: Duration,
    server: Arc<str>,
}

impl<S, B> Service<Request<B>> for Deadline<S>
where
    S: Service<Request<B>, Response = Response<Box<DynBody>>, Error = BoxError>,
    S::Future: Send + 'static,
{
    type Response = Response<Box<DynBody>>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let (budget, connect) = (self.budget, self.connect);
        let server = self.server.clone();
        let no_answer = move |repeated| NoAnswer { server: server.to_string(), after: budget, repeated };
        if is_hung(&self.server) {
            return Box::pin(std::future::ready(Err(no_answer(true).into())));
        }
        let deadline = Instant::now() + budget;
        let sent = self.inner.call(req);
        Box::pin(async move {
            match tokio::time::timeout_at(deadline, sent).await {
                Ok(Ok(response)) => {
                    let watch = no_answer(false);
                    Ok(response.map(|body| {
                        Box::new(DeadlineBody {
                            inner: body,
                            sleep: Box::pin(tokio::time::sleep_until(deadline)),
                            watch,
                        }) as Box<DynBody>
                    }))
                }
                Ok(Err(e)) if is_io_timeout(&*e) => {
                    // The connect timeout: the server did not accept a connection (or finish TLS).
                    let n = NoAnswer { after: connect, ..no_answer(false) };
                    mark_hung(&n.server, budget);
                    Err(n.into())
                }
                Ok(Err(e)) => Err(e),
                Err(_) => {
                    let n = no_answer(false);
                    mark_hung(&n.server, budget);
                    Err(n.into())
                }
            }
        })
    }
}

/// A response body that fails once the request's budget is spent.
struct DeadlineBody {
    inner: Box<DynBody>,
    sleep: Pin<Box<Sleep>>,
    watch: NoAnswer,
}

impl Body for DeadlineBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            mark_hung(&self.watch.server, self.watch.after);
            return Poll::Ready(Some(Err(self.watch.clone().into())));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_read_as_people_write_them() {
        assert_eq!(seconds(Duration::from_secs(5)), "5s");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5s");
        let n = NoAnswer { server: "https://127.0.0.1:1".into(), after: Duration::from_secs(5), repeated: false };
        assert_eq!(n.to_string(), "no answer within 5s");
        let boxed: BoxError = n.clone().into();
        let wrapped = kube::Error::Service(boxed);
        assert_eq!(find_no_answer(&wrapped), Some(&n));
    }

    #[tokio::test]
    async fn a_hung_server_is_remembered_for_one_budget() {
        let key = server_key(&"https://127.0.0.9:7/x".parse().expect("uri"));
        assert_eq!(key, "https://127.0.0.9:7");
        assert!(!is_hung(&key));
        mark_hung(&key, Duration::from_millis(200));
        assert!(is_hung(&key));
        assert!(!is_hung("https://127.0.0.9:8"));
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert!(!is_hung(&key));
    }
}

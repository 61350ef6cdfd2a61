//! The HTTP stack under every kube client this crate makes: the one
//! `kube::client::ClientBuilder::try_from(Config)` builds for this crate's kube features (rustls,
//! no proxy support), with `TCP_NODELAY` on its connections.
//!
//! kube leaves Nagle's algorithm on (kube-rs/kube#2056). A request body larger than what one
//! write carries (a 1,000-address Endpoints object is about 150 KB) leaves in several writes, and
//! Nagle holds a small segment back until the one before it is acknowledged, while the API server,
//! waiting for the rest of the body, may delay that acknowledgement. In the federated-services
//! benchmark the controller's writes had a tail this caused (see the README's svc section). Go's
//! net package, and so the API server, sets `TCP_NODELAY` on every connection.
//!
//! Copied from kube-client 5.0.0's `make_generic_builder`, which is private, minus the request
//! spans (off in the binary's log filter); its failure log keeps the `kube_client` target, so the
//! binary's filter shows it with `-v` as before. A configuration with a proxy goes to kube's own
//! builder, which refuses it without kube's proxy features, as before.

use http::{Request, Response};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use kube::client::retry::RetryPolicy;
use kube::client::{Body, ClientBuilder, ConfigExt, DynBody};
use tower::retry::RetryLayer;
use tower::util::BoxService;
use tower::{BoxError, ServiceBuilder, ServiceExt};
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::trace::TraceLayer;

/// The service a [`ClientBuilder`] wraps (kube's `GenericService`).
pub type Stack = BoxService<Request<Body>, Response<Box<DynBody>>, BoxError>;

/// A client builder for `config`, as `ClientBuilder::try_from(config)`, whose connections have
/// `TCP_NODELAY` set.
///
/// # Errors
/// As `ClientBuilder::try_from`: bad TLS material or credentials in `config`, a proxy.
pub fn client_builder(config: kube::Config) -> Result<ClientBuilder<Stack>, kube::Error> {
    if config.proxy_url.is_some() {
        return ClientBuilder::try_from(config);
    }
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    let https = config.rustls_https_connector_with_connector(http)?;
    let mut connector = hyper_timeout::TimeoutConnector::new(https);
    connector.set_connect_timeout(config.connect_timeout);
    connector.set_read_timeout(config.read_timeout);
    connector.set_write_timeout(config.write_timeout);
    connector.set_reset_reader_on_write(config.reset_reader_on_write);
    let client: hyper_util::client::legacy::Client<_, Body> =
        hyper_util::client::legacy::Builder::new(TokioExecutor::new()).build(connector);
    let failures = TraceLayer::new_for_http()
        .make_span_with(|_: &Request<Body>| tracing::Span::none())
        .on_request(())
        .on_response(())
        .on_body_chunk(())
        .on_eos(())
        .on_failure(|failure: ServerErrorsFailureClass, _: std::time::Duration, _: &tracing::Span| match failure {
            ServerErrorsFailureClass::StatusCode(status) => {
                tracing::error!(target: "kube_client", "failed with status {status}");
            }
            ServerErrorsFailureClass::Error(e) => tracing::error!(target: "kube_client", "failed with error {e}"),
        });
    let service = ServiceBuilder::new()
        .layer(config.base_uri_layer())
        .option_layer(config.default_retry.then(|| RetryLayer::new(RetryPolicy::server_retry())))
        .option_layer(config.auth_layer()?)
        .layer(config.extra_headers_layer()?)
        .layer(failures)
        .map_err(BoxError::from)
        .service(client)
        .map_response(|r| {
            r.map(|body| Box::new(http_body_util::BodyExt::map_err(body, BoxError::from)) as Box<DynBody>)
        })
        .boxed();
    Ok(ClientBuilder::new(service, config.default_namespace))
}

#[cfg(test)]
#[path = "client_stack_tests.rs"]
mod tests;

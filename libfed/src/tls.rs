//! TLS set-up shared by every client this crate builds.

/// Installs ring as rustls' process-wide crypto provider unless one is installed already.
///
/// kube uses ring and the AWS SDK aws-lc-rs; with both compiled in, rustls cannot choose by itself
/// and panics on the first TLS connection. An embedder that installed its own provider keeps it.
pub fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

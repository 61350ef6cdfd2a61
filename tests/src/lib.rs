//! The test environment of `kubectl federate`: real etcd, kube-apiserver and kube-controller-manager
//! processes, built from the Go module proxy (`tests/gobin/`) and started on loopback.
//!
//! Integration tests call [`shared`] for one environment of three clusters per test run: when
//! `FEDERATE_TESTENV_DIR` names a directory where `testenv up` runs (as `make test` does), they
//! attach to it; otherwise the first test of a test binary starts one that dies with the binary.
//! Tests isolate themselves by unique names ([`unique_name`]) and namespaces. A test that stops
//! clusters starts its own [`Env`].

pub mod binaries;
pub mod certs;
pub mod env;
pub mod federate;
pub mod moto;
pub mod normalise;
pub mod output;
pub mod pods;
pub mod ports;
pub mod process;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

pub use env::Env;
pub use process::Lifetime;

/// The environment variable naming a running environment's directory.
pub const DIR_VAR: &str = "FEDERATE_TESTENV_DIR";

/// The environment shared by the tests of this run (three clusters: cluster-a, cluster-b, cluster-c).
///
/// # Panics
/// If the environment cannot be started: every test needing it would fail anyway, and the panic
/// message says why.
pub async fn shared() -> &'static Env {
    libfed::tls::ensure_crypto_provider();
    static SHARED: OnceLock<Env> = OnceLock::new();
    if let Some(env) = SHARED.get() {
        return env;
    }
    // Started on a thread of its own with its own runtime: the clients used while starting are
    // bound to that runtime, and each test has a runtime of its own.
    let env = tokio::task::spawn_blocking(|| {
        static START: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _guard = START.lock().unwrap_or_else(|e| e.into_inner());
        if SHARED.get().is_some() {
            return;
        }
        let env = match std::env::var_os(DIR_VAR) {
            Some(dir) => Env::attach(std::path::Path::new(&dir)).expect("attach to FEDERATE_TESTENV_DIR"),
            None => {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                let dir = private_dir("fed-testenv-");
                rt.block_on(Env::start(3, &dir, Lifetime::Owned)).expect("start the test environment")
            }
        };
        let _ = SHARED.set(env);
    });
    env.await.expect("test environment start thread");
    SHARED.get().expect("shared environment")
}

/// The directory for this test binary's private environment: `TMP/<prefix><pid>`.
///
/// Such an environment is a static, never dropped: its processes die with the test binary, but
/// its directory (etcd data, about 125 MB) stays. So the directories of earlier runs with the same
/// prefix, whose process is gone, are removed here first (without this, every `make test` left
/// a dozen of them behind).
pub fn private_dir(prefix: &str) -> std::path::PathBuf {
    let tmp = std::env::temp_dir();
    let me = std::process::id();
    if let Ok(entries) = std::fs::read_dir(&tmp) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(pid) = name.strip_prefix(prefix).and_then(|p| p.parse::<u32>().ok()) else { continue };
            if pid != me && !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    tmp.join(format!("{prefix}{me}"))
}

/// A name unique to this process and call, valid as a DNS-1123 label: `prefix-<pid>-<n>`.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}-{}-{n}", std::process::id() % 100_000)
}

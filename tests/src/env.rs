//! An environment of N clusters on one etcd: per cluster a kube-apiserver (its own etcd prefix,
//! port, CA, ServiceAccount issuer and signing key, RBAC) and a kube-controller-manager, plus the
//! objects that stand in for Calico Enterprise's API (`manifests/dev/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures::StreamExt;
use kube::api::{DynamicObject, Patch, PatchParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use serde::{Deserialize, Serialize};

use crate::binaries::{self, Binaries};
use crate::certs;
use crate::ports;
use crate::process::{self, Lifetime};

/// How long an API server may take to answer `/readyz` (2-core machines under load are slow).
pub const READY_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a restarted API server waits for its port to be free again.
const PORT_WAIT: Duration = Duration::from_secs(30);

/// One process the environment started.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Proc {
    pub pid: u32,
    pub program: PathBuf,
    pub args: Vec<String>,
    pub log: PathBuf,
    /// Environment variables set for it (Go runtime settings).
    #[serde(default)]
    pub env: Vec<(String, String)>,
}

/// One cluster: its API server and controller manager.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClusterState {
    pub name: String,
    pub port: u16,
    pub apiserver: Proc,
    pub controller_manager: Proc,
}

/// What `testenv up` records in `DIR/state.json` so that `down` and attached tests find the processes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    pub etcd: Proc,
    pub etcd_port: u16,
    pub clusters: Vec<ClusterState>,
    pub detached: bool,
}

impl State {
    /// The state `testenv up` wrote in `dir` (`DIR/state.json`).
    ///
    /// # Errors
    /// No environment in `dir`, or a state file that does not parse.
    pub fn read(dir: &Path) -> anyhow::Result<State> {
        let text = std::fs::read_to_string(dir.join("state.json"))
            .with_context(|| format!("no test environment in {} (run `testenv up --dir {0}`)", dir.display()))?;
        Ok(serde_json::from_str(&text)?)
    }

    /// The state `testenv up` wrote next to `kubeconfig` (`DIR/state.json`), if any: benchmarks
    /// given a kubeconfig find the environment's processes this way.
    pub fn beside(kubeconfig: &Path) -> Option<State> {
        State::read(kubeconfig.parent()?).ok()
    }

    /// Every process, named: `etcd`, then each cluster's `NAME apiserver` and
    /// `NAME controller-manager`.
    pub fn processes(&self) -> Vec<(String, u32)> {
        let mut all = vec![("etcd".to_owned(), self.etcd.pid)];
        for c in &self.clusters {
            all.push((format!("{} apiserver", c.name), c.apiserver.pid));
            all.push((format!("{} controller-manager", c.name), c.controller_manager.pid));
        }
        all
    }

    /// The API servers' `GOMEMLIMIT` for a benchmark's header: the value, or `none` when they
    /// run without one ([`MemoryLimits::GoDefault`]).
    pub fn apiserver_memory_limit(&self) -> String {
        let env = self.clusters.first().map(|c| c.apiserver.env.as_slice()).unwrap_or_default();
        env.iter().find(|(k, _)| k == "GOMEMLIMIT").map_or_else(|| "none".to_owned(), |(_, v)| v.clone())
    }
}

/// A running environment.
#[derive(Debug)]
pub struct Env {
    dir: PathBuf,
    state: Mutex<State>,
    lifetime: Lifetime,
    /// Stop the processes when dropped (false for an attached or shared environment).
    stop_on_drop: bool,
    /// How long each cluster took to start, from its API server's spawn to its controller
    /// manager working (clusters this process started).
    startup: Mutex<Vec<(String, Duration)>>,
}

/// What one cluster costs: start-up time and resident memory of its processes.
#[derive(Debug, Clone)]
pub struct ClusterCost {
    pub name: String,
    /// From the API server's spawn to the controller manager working; `None` when not started here.
    pub startup: Option<Duration>,
    /// Resident memory (bytes) of the API server and of the controller manager.
    pub apiserver_rss: u64,
    pub controller_manager_rss: u64,
}

/// The names of the first `n` clusters: cluster-a, cluster-b, …
pub fn cluster_names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("cluster-{}", char::from(b'a' + (i % 26) as u8))).collect()
}

impl Env {
    /// Starts etcd and `clusters` clusters in `dir`, writes `dir/kubeconfig` and waits until every
    /// API server is ready and bootstrapped.
    pub async fn start(clusters: usize, dir: &Path, lifetime: Lifetime) -> anyhow::Result<Env> {
        Env::start_with(clusters, dir, lifetime, MemoryLimits::Test).await
    }

    /// [`Env::start`] with the control plane's Go memory limits chosen: benchmarks run
    /// [`MemoryLimits::GoDefault`].
    pub async fn start_with(
        clusters: usize,
        dir: &Path,
        lifetime: Lifetime,
        limits: MemoryLimits,
    ) -> anyhow::Result<Env> {
        if clusters == 0 || clusters > 26 {
            bail!("--clusters must be between 1 and 26");
        }
        let bins = tokio::task::spawn_blocking(binaries::ensure).await??;
        std::fs::create_dir_all(dir)?;
        let dir = dir.canonicalize()?;
        let started = Instant::now();

        let (etcd, etcd_port) = start_etcd(&bins, &dir, lifetime, ports::free_port).await?;

        let mut states = Vec::new();
        let mut kubeconfig = KubeconfigBuilder::default();
        for name in cluster_names(clusters) {
            let port = ports::free_port()?;
            let cdir = dir.join(&name);
            std::fs::create_dir_all(&cdir)?;
            let c = certs::generate(&name)?;
            write_private(&cdir.join("ca.crt"), &c.ca_pem)?;
            write_private(&cdir.join("serving.crt"), &c.serving_cert_pem)?;
            write_private(&cdir.join("serving.key"), &c.serving_key_pem)?;
            write_private(&cdir.join("sa.key"), &c.sa_key_pem)?;
            write_private(&cdir.join("sa.pub"), &c.sa_pub_pem)?;
            kubeconfig.add(&name, port, &c);
            let single = KubeconfigBuilder::single(&name, port, &c);
            write_private(&cdir.join("admin.kubeconfig"), &single)?;
            let apiserver = Proc {
                pid: 0,
                program: bins.path("kube-apiserver"),
                args: apiserver_args(&name, &cdir, port, etcd_port),
                log: cdir.join("kube-apiserver.log"),
                env: go_env(limits, APISERVER_MEMORY_LIMIT),
            };
            let controller_manager = Proc {
                pid: 0,
                program: bins.path("kube-controller-manager"),
                args: controller_manager_args(&cdir),
                log: cdir.join("kube-controller-manager.log"),
                env: go_env(limits, CONTROLLER_MANAGER_MEMORY_LIMIT),
            };
            states.push(ClusterState { name, port, apiserver, controller_manager });
        }
        write_private(&dir.join("kubeconfig"), &kubeconfig.render())?;

        let env = Env {
            dir: dir.clone(),
            state: Mutex::new(State { etcd, etcd_port, clusters: states, detached: lifetime == Lifetime::Detached }),
            lifetime,
            stop_on_drop: lifetime == Lifetime::Owned,
            startup: Mutex::new(Vec::new()),
        };
        env.save_state()?;
        // Throttled: an API server's start (post-start hooks, RBAC bootstrap) is CPU-heavy for
        // seconds, and a dozen at once on 2 cores starve each other. A controller manager starts
        // only once its API server is ready, as it gives up after a 10 s wait for its health.
        let names: Vec<String> = env.contexts();
        let at_once = start_parallel();
        let starts = futures::stream::iter(names.iter().map(|n| env.start_one(n)))
            .buffer_unordered(at_once)
            .collect::<Vec<anyhow::Result<()>>>()
            .await;
        for r in starts {
            r?;
        }
        tracing::info!("{} clusters ready in {:.1}s", names.len(), started.elapsed().as_secs_f64());
        Ok(env)
    }

    /// Starts one cluster of a new environment and records how long it took.
    async fn start_one(&self, name: &str) -> anyhow::Result<()> {
        let t0 = Instant::now();
        self.start_cluster(name).await?;
        self.startup.lock().unwrap_or_else(|e| e.into_inner()).push((name.to_string(), t0.elapsed()));
        Ok(())
    }

    /// Start-up time and memory of every cluster, in order, and etcd's memory (bytes).
    pub fn costs(&self) -> (Vec<ClusterCost>, u64) {
        let state = self.lock().clone();
        let startup = self.startup.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let costs = state
            .clusters
            .iter()
            .map(|c| ClusterCost {
                name: c.name.clone(),
                startup: startup.iter().find(|(n, _)| n == &c.name).map(|(_, d)| *d),
                apiserver_rss: process::rss_bytes(c.apiserver.pid),
                controller_manager_rss: process::rss_bytes(c.controller_manager.pid),
            })
            .collect();
        (costs, process::rss_bytes(state.etcd.pid))
    }

    /// Attaches to an environment `testenv up` started in `dir`; it is not stopped on drop.
    pub fn attach(dir: &Path) -> anyhow::Result<Env> {
        let state = State::read(dir)?;
        if !process::alive(state.etcd.pid) {
            bail!("the test environment in {} is not running (etcd pid {} is gone)", dir.display(), state.etcd.pid);
        }
        Ok(Env {
            dir: dir.to_path_buf(),
            state: Mutex::new(state),
            lifetime: Lifetime::Detached,
            stop_on_drop: false,
            startup: Mutex::new(Vec::new()),
        })
    }

    /// The environment's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The kubeconfig with one context per cluster (`cluster-a`, …), admin client certificates.
    pub fn kubeconfig_path(&self) -> PathBuf {
        self.dir.join("kubeconfig")
    }

    /// The context names, in order.
    pub fn contexts(&self) -> Vec<String> {
        self.lock().clusters.iter().map(|c| c.name.clone()).collect()
    }

    /// The API server URL of a cluster.
    pub fn server_url(&self, context: &str) -> String {
        let port = self.lock().clusters.iter().find(|c| c.name == context).map(|c| c.port).unwrap_or(0);
        format!("https://127.0.0.1:{port}")
    }

    /// A fresh admin client for a context. Clients are bound to the tokio runtime that made them,
    /// so each test makes its own.
    pub async fn client(&self, context: &str) -> anyhow::Result<kube::Client> {
        libfed::tls::ensure_crypto_provider();
        let kubeconfig = Kubeconfig::read_from(self.kubeconfig_path())?;
        let options = KubeConfigOptions { context: Some(context.to_string()), ..Default::default() };
        let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &options).await?;
        config.read_timeout = Some(Duration::from_secs(60));
        Ok(kube::Client::try_from(config)?)
    }

    /// Stops a cluster's API server and controller manager (to test a dead cluster).
    pub fn stop_cluster(&self, name: &str) -> anyhow::Result<()> {
        let c = self.cluster(name)?;
        process::stop(c.controller_manager.pid, Duration::from_secs(5));
        process::stop(c.apiserver.pid, Duration::from_secs(10));
        Ok(())
    }

    /// Starts a (stopped) cluster on its port with its certificates and waits for it: the API
    /// server first; its controller manager once `/readyz` answers (it gives up after 10 s
    /// without a healthy API server); then the dev manifests, and the controller manager acting.
    pub async fn start_cluster(&self, name: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + READY_TIMEOUT;
        let client = self.start_apiserver(name, deadline).await?;
        self.spawn(name, Component::ControllerManager)?;
        self.save_state()?;
        apply_dev_manifests(&client).await.with_context(|| format!("bootstrapping {name}"))?;
        self.wait_controller_manager(name, &client, deadline).await
    }

    /// The pid of a cluster's API server (to pause it with SIGSTOP: a hung cluster).
    pub fn apiserver_pid(&self, name: &str) -> anyhow::Result<u32> {
        Ok(self.cluster(name)?.apiserver.pid)
    }

    /// Stops every process of the environment.
    pub fn stop(&self) {
        let state = self.lock().clone();
        for c in &state.clusters {
            process::stop(c.controller_manager.pid, Duration::from_secs(5));
        }
        for c in &state.clusters {
            process::stop(c.apiserver.pid, Duration::from_secs(10));
        }
        process::stop(state.etcd.pid, Duration::from_secs(5));
    }

    /// The pids of every process, for tests that check nothing is left behind.
    pub fn pids(&self) -> Vec<u32> {
        self.lock().processes().into_iter().map(|(_, pid)| pid).collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn cluster(&self, name: &str) -> anyhow::Result<ClusterState> {
        self.lock().clusters.iter().find(|c| c.name == name).cloned().with_context(|| format!("no cluster {name}"))
    }

    fn spawn(&self, name: &str, component: Component) -> anyhow::Result<()> {
        let mut state = self.lock();
        let c = state.clusters.iter_mut().find(|c| c.name == name).with_context(|| format!("no cluster {name}"))?;
        // A restarted cluster is started by this process: in an attached environment it must
        // outlive this process like the rest, so it is detached too.
        let lifetime = if state_is_detached(&self.lifetime) { Lifetime::Detached } else { Lifetime::Owned };
        let p = match component {
            Component::ApiServer => &mut c.apiserver,
            Component::ControllerManager => &mut c.controller_manager,
        };
        p.pid = process::spawn_with_env(&p.program, &p.args, &p.env, &p.log, lifetime)?;
        Ok(())
    }

    fn save_state(&self) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(&*self.lock())?;
        std::fs::write(self.dir.join("state.json"), text)?;
        Ok(())
    }

    /// Starts a cluster's API server and waits for `/readyz`; returns an admin client.
    ///
    /// The cluster's port is fixed for good (its kubeconfig, its token issuer), so when the API
    /// server finds it still taken (as after a SIGKILL in a fault test, while the kernel finishes
    /// the old server's sockets) it is started again each second for up to [`PORT_WAIT`]; then
    /// the error names whoever holds the port.
    async fn start_apiserver(&self, name: &str, deadline: Instant) -> anyhow::Result<kube::Client> {
        let ClusterState { port, apiserver: Proc { log, .. }, .. } = self.cluster(name)?;
        let given_up = Instant::now() + PORT_WAIT;
        loop {
            let from = std::fs::metadata(&log).map_or(0, |m| m.len());
            self.spawn(name, Component::ApiServer)?;
            self.save_state()?;
            let err = match self.wait_apiserver(name, deadline).await {
                Ok(client) => return Ok(client),
                Err(err) => err,
            };
            if !log_since(&log, from).contains("address already in use") {
                return Err(err);
            }
            let holders = ports::holders(port);
            if Instant::now() > given_up {
                return Err(
                    err.context(format!("port {port} of {name} still taken after {}s: {holders}", PORT_WAIT.as_secs()))
                );
            }
            tracing::warn!("kube-apiserver of {name}: port {port} is taken ({holders}); starting it again in 1s");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// Waits for `/readyz`; returns an admin client.
    async fn wait_apiserver(&self, name: &str, deadline: Instant) -> anyhow::Result<kube::Client> {
        let c = self.cluster(name)?;
        let client = self.client(name).await?;
        loop {
            let req = http::Request::get("/readyz").body(Vec::new())?;
            match client.request_text(req).await {
                Ok(body) if body.trim() == "ok" => return Ok(client),
                result => {
                    if !process::alive(c.apiserver.pid) {
                        bail!(
                            "kube-apiserver of {name} exited; last lines of {}:\n{}",
                            c.apiserver.log.display(),
                            tail(&c.apiserver.log)
                        );
                    }
                    if Instant::now() > deadline {
                        bail!(
                            "kube-apiserver of {name} not ready after {}s ({result:?}); see {}",
                            READY_TIMEOUT.as_secs(),
                            c.apiserver.log.display()
                        );
                    }
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            }
        }
    }

    /// Waits for the serviceaccount controller to create `default/default`: the controller
    /// manager works.
    async fn wait_controller_manager(
        &self,
        name: &str,
        client: &kube::Client,
        deadline: Instant,
    ) -> anyhow::Result<()> {
        let c = self.cluster(name)?;
        let sas: kube::Api<k8s_openapi::api::core::v1::ServiceAccount> =
            kube::Api::namespaced(client.clone(), "default");
        loop {
            if sas.get_opt("default").await?.is_some() {
                return Ok(());
            }
            if !process::alive(c.controller_manager.pid) {
                bail!("kube-controller-manager of {name} exited; last lines:\n{}", tail(&c.controller_manager.log));
            }
            if Instant::now() > deadline {
                bail!(
                    "kube-controller-manager of {name} did not create default/default in time; see {}",
                    c.controller_manager.log.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

/// The two processes of a cluster.
#[derive(Debug, Clone, Copy)]
enum Component {
    ApiServer,
    ControllerManager,
}

/// How many clusters start at once: `FEDERATE_TESTENV_START_PARALLEL`, else one more than the
/// cores (3 on 2 cores), at most 8.
pub fn start_parallel() -> usize {
    std::env::var("FEDERATE_TESTENV_START_PARALLEL")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get() + 1).min(8))
}

fn state_is_detached(lifetime: &Lifetime) -> bool {
    *lifetime == Lifetime::Detached
}

impl Drop for Env {
    fn drop(&mut self) {
        if self.stop_on_drop {
            self.stop();
        }
    }
}

/// Starts etcd and waits until it listens. A port another program started listening on after
/// it was chosen (see [`ports`]) costs a retry with fresh ports; any other failure is an error
/// quoting etcd's log.
async fn start_etcd(
    bins: &Binaries,
    dir: &Path,
    lifetime: Lifetime,
    mut next_port: impl FnMut() -> anyhow::Result<u16>,
) -> anyhow::Result<(Proc, u16)> {
    const ATTEMPTS: usize = 3;
    let log = dir.join("etcd.log");
    for attempt in 1..=ATTEMPTS {
        let (port, peer) = (next_port()?, next_port()?);
        // Each attempt from scratch: an earlier one may have recorded its peer port in the data.
        let _ = std::fs::remove_dir_all(dir.join("etcd"));
        let _ = std::fs::remove_file(&log);
        let args = vec![
            format!("--data-dir={}", dir.join("etcd").display()),
            format!("--listen-client-urls=http://127.0.0.1:{port}"),
            format!("--advertise-client-urls=http://127.0.0.1:{port}"),
            format!("--listen-peer-urls=http://127.0.0.1:{peer}"),
            format!("--initial-advertise-peer-urls=http://127.0.0.1:{peer}"),
            format!("--initial-cluster=default=http://127.0.0.1:{peer}"),
            "--unsafe-no-fsync=true".into(),
            "--log-level=warn".into(),
            "--quota-backend-bytes=4294967296".into(),
        ];
        let pid = process::spawn_with_env(&bins.path("etcd"), &args, &[], &log, lifetime)?;
        match wait_etcd(port, pid).await {
            Ok(()) => return Ok((Proc { pid, program: bins.path("etcd"), args, log, env: Vec::new() }, port)),
            Err(e) => {
                process::stop(pid, Duration::from_secs(5));
                let said = tail(&log);
                if attempt < ATTEMPTS && said.contains("address already in use") {
                    tracing::warn!("etcd: port {port} or {peer} was taken meanwhile; trying other ports");
                    continue;
                }
                bail!("etcd did not start ({e}); last lines of {}:\n{said}", log.display());
            }
        }
    }
    unreachable!("the last attempt returns")
}

async fn wait_etcd(port: u16, pid: u32) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        // Healthy etcd, not merely a listener: another program may hold the port (see `ports`).
        if etcd_healthy(port).await {
            return Ok(());
        }
        if !process::alive(pid) {
            bail!("etcd exited");
        }
        if Instant::now() > deadline {
            bail!("etcd not listening after 60s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Whether etcd answers `GET /health` on `port` with `"health":"true"` within a second.
async fn etcd_healthy(port: u16) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        stream.write_all(b"GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").await?;
        let mut answer = Vec::new();
        stream.take(64 * 1024).read_to_end(&mut answer).await?;
        std::io::Result::Ok(answer)
    };
    match tokio::time::timeout(Duration::from_secs(1), ask).await {
        Ok(Ok(answer)) => String::from_utf8_lossy(&answer).contains("\"health\":\"true\""),
        _ => false,
    }
}

/// Soft memory limits (`GOMEMLIMIT`) of the control plane: near it the Go garbage collector works
/// harder instead of growing the heap, so a dozen API servers fit beside each other. A soft limit
/// never fails a process; it trades CPU for memory only under pressure.
///
/// That pressure is real at benchmark scale: an API server holding 10,000 pods, or the watch
/// cache's history of about a thousand 1,000-address Endpoints writes, has a live heap near
/// 350 MiB, and then spends most of its CPU in the garbage collector (such a PUT went from 20–28 ms
/// of API-server CPU to 130–170 ms). Benchmarks therefore start the control plane with
/// [`MemoryLimits::GoDefault`], kube-apiserver's own default.
const APISERVER_MEMORY_LIMIT: &str = "350MiB";
const CONTROLLER_MANAGER_MEMORY_LIMIT: &str = "120MiB";

/// The Go memory settings of the control plane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MemoryLimits {
    /// Soft limits (`GOMEMLIMIT`) so that a dozen test clusters fit on one machine: tests.
    #[default]
    Test,
    /// No limit, Go's default garbage collection (`GOGC=100`), kube-apiserver's own default:
    /// benchmarks, whose API servers hold far more than tests'.
    GoDefault,
}

/// The Go runtime settings of one control-plane process: its memory limit (tests only), and at
/// most two threads running Go code (each process serves a handful of clients).
fn go_env(limits: MemoryLimits, memory_limit: &str) -> Vec<(String, String)> {
    let mut env = vec![("GOMAXPROCS".to_owned(), "2".to_owned())];
    if limits == MemoryLimits::Test {
        env.insert(0, ("GOMEMLIMIT".into(), memory_limit.into()));
    }
    env
}

fn apiserver_args(name: &str, d: &Path, port: u16, etcd_port: u16) -> Vec<String> {
    let p = |f: &str| d.join(f).display().to_string();
    vec![
        format!("--etcd-servers=http://127.0.0.1:{etcd_port}"),
        format!("--etcd-prefix=/registry-{name}"),
        "--bind-address=127.0.0.1".into(),
        "--advertise-address=127.0.0.1".into(),
        format!("--secure-port={port}"),
        format!("--tls-cert-file={}", p("serving.crt")),
        format!("--tls-private-key-file={}", p("serving.key")),
        format!("--client-ca-file={}", p("ca.crt")),
        "--authorization-mode=Node,RBAC".into(),
        format!("--service-account-issuer=https://127.0.0.1:{port}"),
        format!("--service-account-key-file={}", p("sa.pub")),
        format!("--service-account-signing-key-file={}", p("sa.key")),
        "--service-cluster-ip-range=10.96.0.0/16".into(),
        "--allow-privileged=true".into(),
        "--profiling=false".into(),
        "--enable-priority-and-fairness=false".into(),
        format!("--cert-dir={}", p("certs")),
        "--v=1".into(),
    ]
}

fn controller_manager_args(d: &Path) -> Vec<String> {
    let p = |f: &str| d.join(f).display().to_string();
    vec![
        format!("--kubeconfig={}", p("admin.kubeconfig")),
        format!("--authentication-kubeconfig={}", p("admin.kubeconfig")),
        format!("--authorization-kubeconfig={}", p("admin.kubeconfig")),
        "--leader-elect=false".into(),
        "--bind-address=127.0.0.1".into(),
        "--secure-port=0".into(),
        "--use-service-account-credentials=false".into(),
        format!("--service-account-private-key-file={}", p("sa.key")),
        format!("--root-ca-file={}", p("ca.crt")),
        "--service-cluster-ip-range=10.96.0.0/16".into(),
        // No kubelets, cloud or volumes here. Pods are given nodes and Ready status through the API
        // (see scripts/demo.sh), so the controllers that would evict or delete such pods are off.
        "--controllers=*,-node-lifecycle-controller,-pod-garbage-collector-controller,-taint-eviction-controller,-device-taint-eviction-controller,-node-ipam-controller,-cloud-node-lifecycle-controller,-node-route-controller,-service-lb-controller,-persistentvolume-binder-controller,-persistentvolume-attach-detach-controller,-persistentvolume-expander-controller,-ephemeral-volume-controller,-resourceclaim-controller".into(),
        "--concurrent-endpoint-syncs=5".into(),
        "--v=1".into(),
    ]
}

/// Applies `manifests/dev/*.yaml` with server-side apply, then waits for CRDs to be established.
pub async fn apply_dev_manifests(client: &kube::Client) -> anyhow::Result<()> {
    let dir = binaries::repo_root().join("manifests/dev");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "yaml")) {
        let text = std::fs::read_to_string(file)?;
        apply_yaml(client, &text).await.with_context(|| format!("applying {}", file.display()))?;
    }
    let crds: kube::Api<k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition> =
        kube::Api::all(client.clone());
    let cond = kube::runtime::conditions::is_crd_established();
    kube::runtime::wait::await_condition(crds, "remoteclusterconfigurations.projectcalico.org", cond).await?;
    Ok(())
}

/// Applies every document of a YAML text with server-side apply (field manager `testenv`).
pub async fn apply_yaml(client: &kube::Client, text: &str) -> anyhow::Result<()> {
    let docs: Vec<DynamicObject> = serde_saphyr::from_multiple(text)?;
    for doc in docs {
        let tm = doc.types.clone().context("document without apiVersion/kind")?;
        let gvk = kube::api::GroupVersionKind::try_from(&tm)?;
        let (ar, caps) = kube::discovery::pinned_kind(client, &gvk).await?;
        let name = doc.metadata.name.clone().context("document without metadata.name")?;
        let api: kube::Api<DynamicObject> = match (caps.scope, doc.metadata.namespace.as_deref()) {
            (kube::discovery::Scope::Namespaced, Some(ns)) => kube::Api::namespaced_with(client.clone(), ns, &ar),
            (kube::discovery::Scope::Namespaced, None) => kube::Api::default_namespaced_with(client.clone(), &ar),
            (kube::discovery::Scope::Cluster, _) => kube::Api::all_with(client.clone(), &ar),
        };
        api.patch(&name, &PatchParams::apply("testenv").force(), &Patch::Apply(&doc)).await?;
    }
    Ok(())
}

/// Writes a file only its owner can read (kubeconfigs and keys).
pub fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    f.write_all(contents.as_bytes())?;
    Ok(())
}

/// What a log gained after its first `from` bytes.
fn log_since(path: &Path, from: u64) -> String {
    let bytes = std::fs::read(path).unwrap_or_default();
    String::from_utf8_lossy(bytes.get(usize::try_from(from).unwrap_or(usize::MAX)..).unwrap_or_default()).into_owned()
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

#[derive(Default)]
struct KubeconfigBuilder {
    clusters: BTreeMap<String, (u16, String, String, String)>,
}

impl KubeconfigBuilder {
    fn add(&mut self, name: &str, port: u16, c: &certs::ClusterCerts) {
        self.clusters
            .insert(name.to_string(), (port, c.ca_pem.clone(), c.admin_cert_pem.clone(), c.admin_key_pem.clone()));
    }

    fn single(name: &str, port: u16, c: &certs::ClusterCerts) -> String {
        let mut b = KubeconfigBuilder::default();
        b.add(name, port, c);
        b.render()
    }

    fn render(&self) -> String {
        use base64::Engine;
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let mut clusters = String::new();
        let mut users = String::new();
        let mut contexts = String::new();
        for (name, (port, ca, cert, key)) in &self.clusters {
            clusters += &format!(
                "- name: {name}\n  cluster:\n    server: https://127.0.0.1:{port}\n    certificate-authority-data: {}\n",
                b64(ca)
            );
            users += &format!(
                "- name: admin@{name}\n  user:\n    client-certificate-data: {}\n    client-key-data: {}\n",
                b64(cert),
                b64(key)
            );
            contexts += &format!("- name: {name}\n  context:\n    cluster: {name}\n    user: admin@{name}\n");
        }
        let current = self.clusters.keys().next().cloned().unwrap_or_default();
        format!(
            "apiVersion: v1\nkind: Config\npreferences: {{}}\ncurrent-context: {current}\nclusters:\n{clusters}users:\n{users}contexts:\n{contexts}"
        )
    }
}

#[cfg(test)]
#[path = "env_etcd_tests.rs"]
mod etcd_tests;

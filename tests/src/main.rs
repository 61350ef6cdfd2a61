//! `testenv up --clusters N --dir DIR` and `testenv down --dir DIR`: a local multi-cluster
//! environment of real etcd, kube-apiserver and kube-controller-manager processes.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use testenv::env::MemoryLimits;
use testenv::{Env, Lifetime, process};

#[derive(Debug, Parser)]
#[command(name = "testenv", about = "Start and stop local Kubernetes clusters for kubectl federate")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Build the binaries if needed, start N clusters, write DIR/kubeconfig and wait until ready.
    Up {
        #[arg(long, default_value_t = 3)]
        clusters: usize,
        #[arg(long)]
        dir: PathBuf,
        /// Run the control plane without the test environment's Go memory limits (benchmarks:
        /// near a limit an API server spends most of its CPU collecting garbage).
        #[arg(long)]
        no_memory_limit: bool,
    },
    /// Stop every process `up` started in DIR.
    Down {
        #[arg(long)]
        dir: PathBuf,
    },
    /// Print the directory of the control-plane binaries, building them if missing.
    Binaries,
    /// Make pods ready without a kubelet: bind them to a Node object and give each a Running,
    /// Ready status with an IP from CIDR, so the controller manager builds their Endpoints.
    ReadyPods {
        #[arg(long)]
        kubeconfig: PathBuf,
        #[arg(long)]
        context: String,
        #[arg(long, short = 'n', default_value = "default")]
        namespace: String,
        /// Label selector of the pods, e.g. app=my-app.
        #[arg(long, short = 'l')]
        selector: String,
        /// Range to take pod IPs from (one per cluster, non-overlapping), e.g. 10.1.0.0/24.
        #[arg(long)]
        cidr: testenv::pods::Cidr,
        /// The Node to bind pods to (default: CONTEXT-node).
        #[arg(long)]
        node: Option<String>,
        /// Wait for this many pods (default: at least one, and no more appearing for 2s).
        #[arg(long)]
        count: Option<usize>,
    },
}

fn main() -> std::process::ExitCode {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = Cli::parse();
    let result = match cli.command {
        Cmd::Up { clusters, dir, no_memory_limit } => {
            let limits = if no_memory_limit { MemoryLimits::GoDefault } else { MemoryLimits::Test };
            up(clusters, dir, limits)
        }
        Cmd::Down { dir } => down(dir),
        Cmd::Binaries => testenv::binaries::ensure().map(|b| println!("{}", b.dir.display())),
        Cmd::ReadyPods { kubeconfig, context, namespace, selector, cidr, node, count } => {
            ready_pods(&kubeconfig, &context, &namespace, &selector, &cidr, node, count)
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::from(1)
        }
    }
}

fn up(clusters: usize, dir: PathBuf, limits: MemoryLimits) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let started = std::time::Instant::now();
    let env = rt.block_on(Env::start_with(clusters, &dir, Lifetime::Detached, limits));
    let env = match env {
        Ok(env) => env,
        Err(err) => {
            // Leave nothing running behind a failed start.
            if let Ok(partial) = Env::attach(&dir) {
                partial.stop();
            }
            return Err(err);
        }
    };
    eprintln!(
        "testenv: {} clusters ready in {:.1}s ({} starting at once)",
        clusters,
        started.elapsed().as_secs_f64(),
        testenv::env::start_parallel()
    );
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    let (costs, etcd_rss) = env.costs();
    eprintln!(
        "  {:<12} {:<24} {:>9} {:>15} {:>22}",
        "cluster", "server", "start", "apiserver RSS", "controller-manager RSS"
    );
    let mut total = etcd_rss;
    for c in &costs {
        let start = c.startup.map_or_else(|| "-".to_string(), |d| format!("{:.1}s", d.as_secs_f64()));
        eprintln!(
            "  {:<12} {:<24} {:>9} {:>11.0} MiB {:>18.0} MiB",
            c.name,
            env.server_url(&c.name),
            start,
            mib(c.apiserver_rss),
            mib(c.controller_manager_rss)
        );
        total += c.apiserver_rss + c.controller_manager_rss;
    }
    let n = costs.len().max(1) as u64;
    eprintln!(
        "  etcd {:.0} MiB; total {:.0} MiB, {:.0} MiB per cluster",
        mib(etcd_rss),
        mib(total),
        mib(total.saturating_sub(etcd_rss) / n)
    );
    println!("{}", env.kubeconfig_path().display());
    Ok(())
}

fn down(dir: PathBuf) -> anyhow::Result<()> {
    let env = Env::attach(&dir).or_else(|e| {
        // etcd gone but API servers maybe not: stop whatever state.json names.
        let state = testenv::env::State::read(&dir).map_err(|_| e)?;
        for c in &state.clusters {
            process::stop(c.controller_manager.pid, Duration::from_secs(5));
            process::stop(c.apiserver.pid, Duration::from_secs(10));
        }
        anyhow::bail!("etcd was not running; stopped the rest")
    })?;
    env.stop();
    let left: Vec<u32> = env.pids().into_iter().filter(|p| process::alive(*p)).collect();
    if !left.is_empty() {
        anyhow::bail!("processes still running after down: {left:?}");
    }
    eprintln!("testenv: stopped {} processes", env.pids().len());
    Ok(())
}

fn ready_pods(
    kubeconfig: &std::path::Path,
    context: &str,
    namespace: &str,
    selector: &str,
    cidr: &testenv::pods::Cidr,
    node: Option<String>,
    count: Option<usize>,
) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let kc = kube::config::Kubeconfig::read_from(kubeconfig)?;
        let options = kube::config::KubeConfigOptions { context: Some(context.to_owned()), ..Default::default() };
        let client = kube::Client::try_from(kube::Config::from_custom_kubeconfig(kc, &options).await?)?;
        let node = node.unwrap_or_else(|| format!("{context}-node"));
        testenv::pods::wait_for_pods(&client, namespace, selector, count, Duration::from_secs(60)).await?;
        let ready = testenv::pods::ready_pods(&client, namespace, selector, cidr, &node).await?;
        for (pod, ip) in ready {
            println!("{context}\t{namespace}/{pod}\t{ip}\t{node}");
        }
        Ok(())
    })
}

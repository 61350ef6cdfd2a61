//! The live half of `bench/eval-scale.sh`: on a meshed three-cluster environment, `--pods`
//! (default 10,000) workload endpoints per cluster, created through the API (pods bound to a node
//! at creation and given a Running status with an IP, as `testenv ready-pods` does, spread over
//! 10 namespaces with realistic labels), then `kubectl federate eval` from cluster-a (which reads
//! cluster-b and cluster-c through their RCC Secrets) for `all()`, one label and a realistic
//! selector, each run `--runs` times under `/usr/bin/time -v`: wall time, peak RSS, endpoints
//! printed. Beside them the floor: the three pod lists alone, at once, read and not decoded.
//!
//! `cargo run -p fed-tests --example eval_scale_bench -- --kubeconfig K --bin PATH`

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures::StreamExt;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::api::{ListParams, ObjectMeta, Patch, PatchParams, PostParams};
use kube::{Api, Client};
use testenv::pods::{ensure_node, pod_object, ready_status};

const CONTEXTS: [&str; 3] = ["cluster-a", "cluster-b", "cluster-c"];
const NAMESPACES: usize = 10;
const NODES: usize = 50;
const CONCURRENCY: usize = 48;

const SELECTORS: [&str; 3] = [
    "all()",
    "app == 'web'",
    "projectcalico.org/namespace in {'eval-bench-1', 'eval-bench-2', 'eval-bench-3'} && app in {'web', 'api'} \
     && version ends with '-stable' && !has(canary)",
];

struct Args {
    kubeconfig: PathBuf,
    bin: PathBuf,
    pods: usize,
    runs: usize,
}

fn args() -> anyhow::Result<Args> {
    let mut a = Args { kubeconfig: PathBuf::new(), bin: PathBuf::new(), pods: 10_000, runs: 3 };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--kubeconfig" => a.kubeconfig = value.into(),
            "--bin" => a.bin = value.into(),
            "--pods" => a.pods = value.parse()?,
            "--runs" => a.runs = value.parse()?,
            _ => bail!("unknown flag {flag}"),
        }
    }
    if a.kubeconfig.as_os_str().is_empty() || a.bin.as_os_str().is_empty() {
        bail!("usage: eval_scale_bench --kubeconfig K --bin kubectl-federate [--pods 10000] [--runs 3]");
    }
    Ok(a)
}

async fn client(kubeconfig: &std::path::Path, context: &str) -> anyhow::Result<Client> {
    let kc = kube::config::Kubeconfig::read_from(kubeconfig)?;
    let options = kube::config::KubeConfigOptions { context: Some(context.into()), ..Default::default() };
    Ok(Client::try_from(kube::Config::from_custom_kubeconfig(kc, &options).await?)?)
}

fn labels(n: usize) -> BTreeMap<String, String> {
    let pick = |items: &[&str], salt: usize| items[(n / 7 + salt * 13 + n * salt) % items.len()].to_owned();
    let mut l = BTreeMap::from([
        ("app".to_owned(), pick(&["web", "api", "worker", "db", "cache"], 1)),
        ("tier".to_owned(), pick(&["frontend", "backend", "db", "cache"], 2)),
        ("app.kubernetes.io/name".to_owned(), pick(&["frontend", "frontdoor", "backend", "payments"], 3)),
        ("version".to_owned(), pick(&["v1-stable", "v2-canary", "v1.2.3", "v3-stable"], 5)),
        ("pod-template-hash".to_owned(), format!("{:x}", n.wrapping_mul(2_654_435_761) & 0xff_ffff)),
    ]);
    if n.is_multiple_of(10) {
        l.insert("canary".into(), "true".into());
    }
    l
}

/// Creates the pods a cluster lacks, `CONCURRENCY` requests at a time.
async fn populate(client: &Client, cluster: usize, pods: usize) -> anyhow::Result<()> {
    for n in 0..NODES {
        ensure_node(client, &format!("node-{n}")).await?;
    }
    let per_ns = pods.div_ceil(NAMESPACES);
    for ns in 0..NAMESPACES {
        let name = format!("eval-bench-{ns}");
        let namespace = Namespace {
            metadata: ObjectMeta {
                name: Some(name.clone()),
                labels: Some(
                    [("team".to_owned(), if ns % 2 == 0 { "payments" } else { "platform" }.to_owned())].into(),
                ),
                ..Default::default()
            },
            ..Default::default()
        };
        let _ = Api::<Namespace>::all(client.clone()).create(&PostParams::default(), &namespace).await;
        let api: Api<Pod> = Api::namespaced(client.clone(), &name);
        let have = api.list_metadata(&ListParams::default()).await?.items.len();
        let wanted = per_ns.min(pods.saturating_sub(ns * per_ns));
        if have >= wanted {
            continue;
        }
        let results: Vec<anyhow::Result<()>> = futures::stream::iter(have..wanted)
            .map(|i| {
                let (api, ns_name) = (api.clone(), name.clone());
                async move {
                    let n = ns * per_ns + i;
                    let pod_name = format!("pod-{i}");
                    let pod = pod_object(&ns_name, &pod_name, &labels(n), &format!("node-{}", n % NODES));
                    // The namespace's `default` ServiceAccount appears shortly after the namespace.
                    for attempt in 0.. {
                        match api.create(&PostParams::default(), &pod).await {
                            Ok(_) => break,
                            Err(kube::Error::Api(s)) if s.code == 409 => break,
                            Err(_) if attempt < 100 => tokio::time::sleep(Duration::from_millis(100)).await,
                            Err(e) => {
                                return Err(anyhow::Error::new(e).context(format!("creating pod {ns_name}/{pod_name}")));
                            }
                        }
                    }
                    let ip: std::net::IpAddr = format!("10.{}.{}.{}", cluster + 1, n / 250, n % 250 + 1).parse()?;
                    api.patch_status(&pod_name, &PatchParams::default(), &Patch::Merge(ready_status(ip, true)))
                        .await
                        .with_context(|| format!("pod {ns_name}/{pod_name} status"))?;
                    Ok(())
                }
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        results.into_iter().collect::<anyhow::Result<Vec<()>>>()?;
    }
    Ok(())
}

/// Every pod of a cluster as one protobuf list from the watch cache, as eval asks for it: the
/// body's size, read and dropped.
async fn raw_pod_list(client: &Client) -> anyhow::Result<usize> {
    let request = http::Request::get("/api/v1/pods?resourceVersion=0")
        .header("Accept", "application/vnd.kubernetes.protobuf")
        .body(kube::client::Body::empty())?;
    let response = client.send(request).await?;
    if !response.status().is_success() {
        bail!("pod list: {}", response.status());
    }
    Ok(response.into_body().collect_bytes().await?.len())
}

/// One `eval` run: wall seconds, peak RSS in MiB (when `/usr/bin/time` is there), lines printed.
fn eval(a: &Args, selector: &str) -> anyhow::Result<(f64, Option<f64>, usize)> {
    let time = std::path::Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-v").arg(&a.bin);
        c
    } else {
        Command::new(&a.bin)
    };
    cmd.arg("--kubeconfig").arg(&a.kubeconfig).args(["--context", "cluster-a", "eval", selector]);
    let start = Instant::now();
    let out = cmd.output().context("running kubectl-federate eval")?;
    let wall = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("eval {selector:?} failed: {stderr}");
    }
    let rss = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): "))
        .and_then(|kb| kb.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    Ok((wall, rss, String::from_utf8_lossy(&out.stdout).lines().count()))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    libfed::tls::ensure_crypto_provider();
    let a = args()?;
    let mut clients = Vec::new();
    for c in CONTEXTS {
        clients.push(client(&a.kubeconfig, c).await?);
    }
    let start = Instant::now();
    let populated = futures::future::join_all(clients.iter().enumerate().map(|(i, c)| populate(c, i, a.pods))).await;
    populated.into_iter().collect::<anyhow::Result<Vec<()>>>()?;
    eprintln!("setup: {} pods in each of 3 clusters in {:.0}s", a.pods, start.elapsed().as_secs_f64());
    let limit =
        testenv::env::State::beside(&a.kubeconfig).map_or_else(|| "unknown".into(), |s| s.apiserver_memory_limit());
    println!(
        "eval from cluster-a over 3 clusters x {} pods ({} runs each; wall s, peak RSS MiB; API servers' GOMEMLIMIT {limit})",
        a.pods, a.runs
    );
    // The floor: the three API servers answering the pod list at once (protobuf, from the watch
    // cache, as eval asks), the bodies read and dropped, nothing decoded.
    let mut floors = Vec::new();
    for _ in 0..a.runs {
        let start = Instant::now();
        let sizes = futures::future::try_join_all(clients.iter().map(raw_pod_list)).await?;
        floors.push(start.elapsed().as_secs_f64());
        if sizes.contains(&0) {
            bail!("an empty pod list");
        }
    }
    floors.sort_by(f64::total_cmp);
    println!(
        "floor    the 3 pod lists alone, at once, not decoded: wall min {:.2} s, median {:.2} s",
        floors[0],
        floors[floors.len() / 2]
    );
    for selector in SELECTORS {
        let mut walls = Vec::new();
        let mut rsss = Vec::new();
        let mut lines = 0;
        for _ in 0..a.runs {
            let (wall, rss, n) = eval(&a, selector)?;
            walls.push(wall);
            rsss.extend(rss);
            lines = n;
        }
        walls.sort_by(f64::total_cmp);
        rsss.sort_by(f64::total_cmp);
        let rss = rsss.last().map_or("n/a".to_owned(), |r| format!("{r:.0}"));
        println!(
            "{:<8} endpoints {lines:>6}  wall min {:.2} s, median {:.2} s  peak RSS max {rss} MiB  selector {selector:?}",
            match selector {
                "all()" => "all()",
                "app == 'web'" => "one label",
                _ => "realistic",
            },
            walls[0],
            walls[walls.len() / 2],
        );
    }
    Ok(())
}

//! The live half of `bench/federated_services.sh`: on a meshed three-cluster environment, 5,000
//! backing endpoints per cluster (5 selector-less backing Services of 1,000 addresses, written
//! directly, as Kubernetes' endpoints controller caps one Endpoints object at 1,000), one federated
//! Service in cluster-a, then:
//!
//! 1. `svc sync --once --context cluster-a` from nothing (initial sync) and again (no change),
//!    under `/usr/bin/time -v` when present for the peak RSS;
//! 2. the watching controller from nothing: time until the federated Endpoints hold their
//!    (truncated, 1,000) addresses;
//! 3. change propagation: one address of a backing Endpoints object in cluster-b changes (to an
//!    address that sorts first, so it is among the 1,000 kept), seen through three watches:
//!    cluster-b's backing Endpoints (the change visible there, as the controller sees it),
//!    cluster-a's federated Endpoints (the controller's write) and cluster-a's EndpointSlices
//!    for the Service (Kubernetes' mirroring controller, after the write). p50/p99/max of
//!    `--changes`, from the driver's write starting and from the change being visible in
//!    cluster-b. The driver's own write in cluster-b is timed alone as well: one API server
//!    accepting an ordinary update of a 1,000-address Endpoints object (field ownership tracked,
//!    as for the Endpoints Kubernetes writes); the controller's write in cluster-a clears that
//!    tracking, so it costs the API server less;
//! 4. the controller's peak memory (VmHWM from /proc);
//! 5. Kubernetes' mirroring alone, side by side: after the controller has stopped, the driver
//!    itself updates a 1,000-address Endpoints object of a selector-less Service in cluster-a,
//!    as Calico Enterprise's controller writes its Endpoints (an ordinary update, labels kept),
//!    `--changes` times, and times each change from visible in that Endpoints watch to visible in
//!    its mirrored slices. The same span of the controller's changes (federated Endpoints to
//!    mirrored slices) is printed beside it.
//!
//! `cargo run -p fed-tests --example federated_services_bench -- --kubeconfig K --bin PATH`

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use k8s_openapi::api::core::v1::{Endpoints, Namespace, Service};
use kube::api::{DeleteParams, ObjectMeta, PostParams};
use kube::{Api, Client};
use serde_json::json;

const CONTEXTS: [&str; 3] = ["cluster-a", "cluster-b", "cluster-c"];
const NS: &str = "fedsvc-bench";
const FED: &str = "bench-fed";
/// The selector-less Service in cluster-a whose Endpoints the driver writes itself, to time
/// Kubernetes' mirroring with no controller of this tool involved.
const BASELINE: &str = "mirror-baseline";
/// The measured controller's name among the processes whose CPU is reported.
const CONTROLLER: &str = "kubectl-federate svc sync --watch";

struct Args {
    kubeconfig: PathBuf,
    bin: PathBuf,
    per_cluster: usize,
    per_service: usize,
    changes: usize,
}

fn args() -> anyhow::Result<Args> {
    let mut a =
        Args { kubeconfig: PathBuf::new(), bin: PathBuf::new(), per_cluster: 5000, per_service: 1000, changes: 50 };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--kubeconfig" => a.kubeconfig = value.into(),
            "--bin" => a.bin = value.into(),
            "--per-cluster" => a.per_cluster = value.parse()?,
            "--per-service" => a.per_service = value.parse()?,
            "--changes" => a.changes = value.parse()?,
            _ => bail!("unknown flag {flag}"),
        }
    }
    if a.kubeconfig.as_os_str().is_empty() || a.bin.as_os_str().is_empty() {
        bail!(
            "usage: federated_services_bench --kubeconfig K --bin kubectl-federate [--per-cluster 5000] [--per-service 1000] [--changes 50]"
        );
    }
    Ok(a)
}

async fn client(kubeconfig: &std::path::Path, context: &str) -> anyhow::Result<Client> {
    let kc = kube::config::Kubeconfig::read_from(kubeconfig)?;
    let options = kube::config::KubeConfigOptions { context: Some(context.into()), ..Default::default() };
    // libfed's client (TCP_NODELAY, as Kubernetes' own Go clients): the backing write is timed as a
    // remote's controller would make it.
    Ok(libfed::requests::client(kube::Config::from_custom_kubeconfig(kc, &options).await?)?)
}

fn ip(cluster: usize, n: usize) -> String {
    format!("10.{}.{}.{}", cluster + 1, n / 250, n % 250 + 1)
}

fn backing_endpoints(cluster: usize, service: usize, per_service: usize, first_ip: usize) -> Endpoints {
    let addresses: Vec<_> = (0..per_service)
        .map(|i| {
            let n = service * per_service + i;
            json!({"ip": ip(cluster, first_ip + n), "nodeName": format!("node-{}", n % 20),
                   "targetRef": {"kind": "Pod", "namespace": NS, "name": format!("backend-{n}"), "uid": format!("uid-{cluster}-{n}")}})
        })
        .collect();
    serde_json::from_value(json!({
        "metadata": {"name": format!("backend-{service}"), "namespace": NS,
                     // Kubernetes' mirroring controller would copy these into slices; not measured.
                     "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
        "subsets": [{"addresses": addresses, "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}]
    }))
    .expect("endpoints")
}

async fn setup(clients: &[Client], a: &Args) -> anyhow::Result<()> {
    let services = a.per_cluster / a.per_service;
    for (c, client) in clients.iter().enumerate() {
        let ns =
            Namespace { metadata: ObjectMeta { name: Some(NS.into()), ..Default::default() }, ..Default::default() };
        let _ = Api::<Namespace>::all(client.clone()).create(&PostParams::default(), &ns).await;
        let svc_api: Api<Service> = Api::namespaced(client.clone(), NS);
        let ep_api: Api<Endpoints> = Api::namespaced(client.clone(), NS);
        for s in 0..services {
            let svc: Service = serde_json::from_value(json!({
                "metadata": {"name": format!("backend-{s}"), "labels": {"run": "bench"}},
                "spec": {"ports": [{"name": "http", "port": 80, "targetPort": 8080}]}
            }))?;
            svc_api.create(&PostParams::default(), &svc).await.context("backing service")?;
            ep_api
                .create(&PostParams::default(), &backing_endpoints(c, s, a.per_service, 0))
                .await
                .context("backing endpoints")?;
        }
        // Services that do not match, as a real namespace has.
        for s in 0..50 {
            let svc: Service = serde_json::from_value(json!({
                "metadata": {"name": format!("other-{s}"), "labels": {"run": "other"}},
                "spec": {"ports": [{"name": "http", "port": 80}]}
            }))?;
            svc_api.create(&PostParams::default(), &svc).await?;
        }
    }
    let fed: Service = serde_json::from_value(json!({
        "metadata": {"name": FED, "annotations": {"federation.tigera.io/serviceSelector": "run == \"bench\""}},
        "spec": {"ports": [{"name": "http", "port": 80}]}
    }))?;
    Api::<Service>::namespaced(clients[0].clone(), NS).create(&PostParams::default(), &fed).await?;
    Ok(())
}

/// Removes the federated Endpoints (Kubernetes removes their mirrored slices), so the next sync
/// starts from nothing.
async fn reset(a: &Client) -> anyhow::Result<()> {
    let _ = Api::<Endpoints>::namespaced(a.clone(), NS).delete(FED, &DeleteParams::default()).await;
    Ok(())
}

/// Ready addresses of the federated Endpoints object.
async fn slice_endpoints(a: &Client) -> anyhow::Result<usize> {
    let e = Api::<Endpoints>::namespaced(a.clone(), NS).get_opt(FED).await?;
    Ok(e.iter().flat_map(|e| e.subsets.iter().flatten()).map(|s| s.addresses.as_ref().map_or(0, Vec::len)).sum())
}

/// Runs `svc sync --once` for cluster-a; returns wall time and max RSS (KiB) if measured.
fn sync_once(a: &Args) -> anyhow::Result<(Duration, Option<u64>)> {
    let time = std::path::Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-v").arg(&a.bin);
        c
    } else {
        Command::new(&a.bin)
    };
    cmd.args(["--kubeconfig"]).arg(&a.kubeconfig).args([
        "svc",
        "sync",
        "--once",
        "--context",
        "cluster-a",
        "-o",
        "json",
    ]);
    let start = Instant::now();
    let out = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).output()?;
    let wall = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("svc sync --once failed: {stderr}");
    }
    let rss = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): "))
        .and_then(|v| v.trim().parse().ok());
    Ok((wall, rss))
}

fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// CPU time (user + system) a process has used, in clock ticks (`/proc/PID/stat`, fields 14 and
/// 15; 100 per second on Linux).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; the fields after it are counted from its `)`.
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// The controller's own part of each propagation, from its `federated_services_propagation_seconds`
/// histogram (scraped over plain HTTP on loopback): the mean, and the bucket bounds (ms) under
/// which 50 % and 99 % of the observations fall.
fn controller_share(addr: &str) -> Option<(f64, String, String)> {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(addr).ok()?;
    conn.write_all(format!("GET /metrics HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes()).ok()?;
    let mut text = String::new();
    conn.read_to_string(&mut text).ok()?;
    let value = |line: &str| line.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok());
    let metric = "federated_services_propagation_seconds";
    let mut sum = None;
    let mut count = None;
    let mut buckets = Vec::new();
    for line in text.lines().filter(|l| l.starts_with(metric)) {
        if line.starts_with(&format!("{metric}_sum")) {
            sum = value(line);
        } else if line.starts_with(&format!("{metric}_count")) {
            count = value(line);
        } else if let Some(le) = line.split("le=\"").nth(1).and_then(|r| r.split('"').next()) {
            buckets.push((le.to_owned(), value(line)?));
        }
    }
    let (sum, count) = (sum?, count?);
    if count == 0.0 {
        return None;
    }
    let bound = |p: f64| {
        buckets
            .iter()
            .find(|(_, c)| *c >= p * count)
            .map(|(le, _)| le.parse::<f64>().map_or_else(|_| le.clone(), |s| format!("{:.0}", s * 1000.0)))
            .unwrap_or_else(|| "?".into())
    };
    Some((sum / count * 1000.0, bound(0.5), bound(0.99)))
}

/// A raw watch whose events (one JSON line each) arrive with the instant their first bytes were
/// read. The driver is a debug build: lines are kept as bytes and searched with `memchr` (an
/// optimised dependency), so reading three watches costs little of the CPU the measured path
/// shares.
struct RawWatch {
    events: tokio::sync::mpsc::UnboundedReceiver<(Vec<u8>, Instant)>,
    task: tokio::task::JoinHandle<()>,
}

async fn raw_watch(client: &Client, path: &str) -> anyhow::Result<RawWatch> {
    let reader = client.request_stream(http::Request::get(path).body(Vec::new())?).await?;
    let (tx, events) = tokio::sync::mpsc::unbounded_channel();
    let task = tokio::spawn(async move {
        use futures::{AsyncBufRead, AsyncBufReadExt};
        let mut reader = std::pin::pin!(reader);
        let mut line = Vec::new();
        let mut first = None;
        loop {
            let (taken, end) = match reader.as_mut().fill_buf().await {
                Ok([]) | Err(_) => return,
                Ok(chunk) => {
                    first.get_or_insert_with(Instant::now);
                    let end = memchr::memchr(b'\n', chunk);
                    let taken = end.map_or(chunk.len(), |i| i + 1);
                    line.extend_from_slice(&chunk[..taken]);
                    (taken, end)
                }
            };
            reader.as_mut().consume(taken);
            if end.is_some() {
                let at = first.take().unwrap_or_else(Instant::now);
                if tx.send((std::mem::take(&mut line), at)).is_err() {
                    return;
                }
            }
        }
    });
    Ok(RawWatch { events, task })
}

impl RawWatch {
    /// The instant the first event holding `needle` began to arrive; earlier events are dropped.
    async fn until(&mut self, needle: &str, deadline: Instant) -> anyhow::Result<Instant> {
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(remaining, self.events.recv()).await {
                Ok(Some((event, t))) if memchr::memmem::find(&event, needle.as_bytes()).is_some() => return Ok(t),
                Ok(Some(_)) => {}
                _ => bail!("not seen in 60s"),
            }
        }
    }
}

/// The `i`th change of an Endpoints object: one address moved to one never used before, as an
/// update serialised before any clock starts. 10.0.* sorts before every other address, so the new
/// one is among the 1,000 a federated Endpoints object keeps. Returns the request and the address.
fn move_one_address(
    mut e: Endpoints,
    i: usize,
    per_service: usize,
) -> anyhow::Result<(http::Request<Vec<u8>>, String)> {
    let name = e.metadata.name.clone().context("name")?;
    let new_ip = format!("10.0.{}.{}", i / 250, i % 250 + 1);
    e.subsets.as_mut().context("subsets")?[0].addresses.as_mut().context("addresses")?[i % per_service].ip =
        new_ip.clone();
    let put = http::Request::put(format!("/api/v1/namespaces/{NS}/endpoints/{name}"))
        .header("Content-Type", "application/json")
        .body(serde_json::to_vec(&e)?)?;
    Ok((put, new_ip))
}

/// Kubernetes' mirroring with no controller of this tool involved: a selector-less Service in
/// cluster-a whose 1,000-address Endpoints the driver updates itself, as Calico Enterprise's
/// controller updates its Endpoints (an ordinary update, labels kept). Returns, per change, the
/// time from the change visible in that Endpoints watch to visible in its mirrored slices.
async fn mirroring_baseline(a: &Client, per_service: usize, changes: usize) -> anyhow::Result<Vec<Duration>> {
    let svc: Service = serde_json::from_value(json!({
        "metadata": {"name": BASELINE},
        "spec": {"ports": [{"name": "http", "port": 80}]}
    }))?;
    Api::<Service>::namespaced(a.clone(), NS).create(&PostParams::default(), &svc).await.context("baseline service")?;
    let mut endpoints = backing_endpoints(0, 0, per_service, 0);
    endpoints.metadata.name = Some(BASELINE.into());
    endpoints.metadata.labels = None;
    let first_ip = ip(0, 0);
    let mut slices_seen = raw_watch(
        a,
        &format!(
            "/apis/discovery.k8s.io/v1/namespaces/{NS}/endpointslices?watch=1\
             &labelSelector=kubernetes.io%2Fservice-name%3D{BASELINE}&allowWatchBookmarks=false"
        ),
    )
    .await?;
    let mut endpoints_seen = raw_watch(
        a,
        &format!(
            "/api/v1/namespaces/{NS}/endpoints?watch=1&fieldSelector=metadata.name%3D{BASELINE}&allowWatchBookmarks=false"
        ),
    )
    .await?;
    let api: Api<Endpoints> = Api::namespaced(a.clone(), NS);
    api.create(&PostParams::default(), &endpoints).await.context("baseline endpoints")?;
    let deadline = Instant::now() + Duration::from_secs(60);
    slices_seen
        .until(&format!("\"addresses\":[\"{first_ip}\"]"), deadline)
        .await
        .context("baseline endpoints mirrored")?;
    let mut spans = Vec::new();
    for i in 0..changes {
        let (put, new_ip) = move_one_address(api.get(BASELINE).await?, i, per_service)?;
        let t0 = Instant::now();
        a.request_text(put).await?;
        let deadline = t0 + Duration::from_secs(60);
        let visible = endpoints_seen
            .until(&format!("\"ip\":\"{new_ip}\""), deadline)
            .await
            .with_context(|| format!("baseline change {i} in the Endpoints"))?;
        let sliced = slices_seen
            .until(&format!("\"addresses\":[\"{new_ip}\"]"), deadline)
            .await
            .with_context(|| format!("baseline change {i} in the slices"))?;
        spans.push(sliced.saturating_duration_since(visible));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for w in [endpoints_seen, slices_seen] {
        w.task.abort();
    }
    Ok(spans)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    libfed::tls::ensure_crypto_provider();
    let a = args()?;
    let total = a.per_cluster * CONTEXTS.len();
    // The Endpoints object keeps at most 1,000 addresses (over-capacity: truncated).
    let written = total.min(libfed::federated::MAX_ENDPOINTS_ADDRESSES);
    let mut clients = Vec::new();
    for ctx in CONTEXTS {
        clients.push(client(&a.kubeconfig, ctx).await?);
    }
    let started = Instant::now();
    setup(&clients, &a).await?;
    eprintln!("setup: {total} backing endpoints in {:.1}s", started.elapsed().as_secs_f64());
    let mut report = BTreeMap::new();

    // 1. One-shot syncs.
    reset(&clients[0]).await?;
    let (initial, rss) = sync_once(&a)?;
    let n = slice_endpoints(&clients[0]).await?;
    if n != written {
        bail!("after the initial sync the Endpoints hold {n} addresses, not {written}");
    }
    report.insert("once: initial sync (wall)", ms(initial));
    if let Some(kb) = rss {
        report.insert("once: initial sync peak RSS", format!("{:.1} MiB", kb as f64 / 1024.0));
    }
    let (again, rss) = sync_once(&a)?;
    report.insert("once: no-change sync (wall)", ms(again));
    if let Some(kb) = rss {
        report.insert("once: no-change sync peak RSS", format!("{:.1} MiB", kb as f64 / 1024.0));
    }

    // 2. The watching controller from nothing, its metrics on a free loopback port.
    reset(&clients[0]).await?;
    let metrics_addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0")?;
        probe.local_addr()?.to_string()
    };
    let mut controller = Command::new(&a.bin)
        .arg("--kubeconfig")
        .arg(&a.kubeconfig)
        .args(["svc", "sync", "--context", "cluster-a", "-q", "--metrics-bind-address", &metrics_addr])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let pid = controller.id();
    let start = Instant::now();
    loop {
        if slice_endpoints(&clients[0]).await? == written {
            break;
        }
        if start.elapsed() > Duration::from_secs(300) {
            let _ = controller.kill();
            bail!("the controller did not write {written} addresses in 300s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    report.insert("watch: initial sync (start to the Endpoints written)", ms(start.elapsed()));

    // 3. Change propagation, observed through raw watches: cluster-b's backing Endpoints (when the
    // change becomes visible there, as it does to the controller), cluster-a's federated Endpoints
    // (the controller's write) and cluster-a's EndpointSlices for the Service (Kubernetes' mirror).
    // The harness stays off the measured path: each write's body is serialised before its clock
    // starts, and each watch event is searched as text for the new address, not decoded (this
    // driver is a debug build; decoding a 1,000-address object would dominate what it measures).
    // All three watches read their events the same way, so that cost is the same at both ends.
    let mut backing_seen =
        raw_watch(&clients[1], &format!("/api/v1/namespaces/{NS}/endpoints?watch=1&allowWatchBookmarks=false")).await?;
    let mut fed_seen = raw_watch(
        &clients[0],
        &format!(
            "/api/v1/namespaces/{NS}/endpoints?watch=1&fieldSelector=metadata.name%3D{FED}&allowWatchBookmarks=false"
        ),
    )
    .await?;
    let mut slices_seen = raw_watch(
        &clients[0],
        &format!(
            "/apis/discovery.k8s.io/v1/namespaces/{NS}/endpointslices?watch=1\
             &labelSelector=kubernetes.io%2Fservice-name%3D{FED}&allowWatchBookmarks=false"
        ),
    )
    .await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    for w in [&mut backing_seen, &mut fed_seen, &mut slices_seen] {
        while w.events.try_recv().is_ok() {}
    }
    let b_endpoints: Api<Endpoints> = Api::namespaced(clients[1].clone(), NS);
    let services = a.per_cluster / a.per_service;
    // From the driver's write starting (includes cluster-b accepting it) to cluster-a's Endpoints.
    let mut from_write = Vec::new();
    // From the change being visible in cluster-b's watch to cluster-a's Endpoints: the path the
    // controller owns (its watch, the computation, cluster-a accepting its write).
    let mut from_visible = Vec::new();
    // From the change being visible in cluster-b to Kubernetes' mirrored slices in cluster-a.
    let mut to_slices = Vec::new();
    // From the controller's federated Endpoints being visible to the mirrored slices: Kubernetes'
    // mirroring alone, for the controller's writes.
    let mut mirrored = Vec::new();
    // The driver's own write of the backing Endpoints, timed alone: what one API server takes to
    // accept an ordinary update of a 1,000-address Endpoints object on this machine (the
    // controller's own write in cluster-a skips the field-ownership tracking this one pays).
    let mut backing_writes = Vec::new();
    // Every process's CPU over the changes: where the machine's cores go per change.
    let state = testenv::env::State::beside(&a.kubeconfig);
    let mut processes = state.as_ref().map(|s| s.processes()).unwrap_or_default();
    processes.push((CONTROLLER.to_owned(), pid));
    processes.push(("this driver".to_owned(), std::process::id()));
    let ticks_before: Vec<Option<u64>> = processes.iter().map(|(_, p)| cpu_ticks(*p)).collect();
    for i in 0..a.changes {
        // Move one address of one backing Endpoints object to an address never used before.
        let service = i % services;
        let name = format!("backend-{service}");
        let (put, new_ip) = move_one_address(b_endpoints.get(&name).await?, i, a.per_service)?;
        let in_endpoints = format!("\"ip\":\"{new_ip}\"");
        let in_slices = format!("\"addresses\":[\"{new_ip}\"]");
        let t0 = Instant::now();
        clients[1].request_text(put).await?;
        backing_writes.push(t0.elapsed());
        let deadline = t0 + Duration::from_secs(60);
        let visible =
            backing_seen.until(&in_endpoints, deadline).await.with_context(|| format!("change {i} in cluster-b"))?;
        let federated =
            fed_seen.until(&in_endpoints, deadline).await.with_context(|| format!("change {i} in cluster-a"))?;
        let sliced = slices_seen.until(&in_slices, deadline).await.with_context(|| format!("change {i} in slices"))?;
        from_write.push(federated - t0);
        from_visible.push(federated.saturating_duration_since(visible));
        to_slices.push(sliced.saturating_duration_since(visible));
        mirrored.push(sliced.saturating_duration_since(federated));
        // Let the controller settle before the next change, as independent changes would.
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for w in [backing_seen, fed_seen, slices_seen] {
        w.task.abort();
    }
    let by_process: Vec<(String, f64)> = processes
        .iter()
        .zip(&ticks_before)
        .filter_map(|((name, p), before)| {
            let spent = cpu_ticks(*p)?.checked_sub((*before)?)?;
            Some((name.clone(), spent as f64 * 10.0 / a.changes as f64))
        })
        .collect();
    if let Some((_, per_change)) = by_process.iter().find(|(name, _)| name == CONTROLLER) {
        report.insert("watch: controller CPU per change (user + system)", format!("{per_change:.1} ms"));
    }
    let p50_p99 = |v: &mut Vec<Duration>| {
        v.sort();
        format!(
            "p50 {}, p99 {}, max {}",
            ms(percentile(v, 0.50)),
            ms(percentile(v, 0.99)),
            ms(*v.last().unwrap_or(&Duration::ZERO))
        )
    };
    report.insert("watch: the backing write alone (cluster-b PUT)", p50_p99(&mut backing_writes));
    report.insert("watch: propagation, write start -> federated Endpoints", p50_p99(&mut from_write));
    report.insert("watch: propagation, visible in cluster-b -> federated Endpoints", p50_p99(&mut from_visible));
    report.insert("watch: propagation, visible in cluster-b -> mirrored slices", p50_p99(&mut to_slices));
    report.insert("mirroring alone: the controller's Endpoints -> slices", p50_p99(&mut mirrored));
    if let Some((mean, p50, p99)) = controller_share(&metrics_addr) {
        report.insert(
            "watch: controller's share (event in -> write acknowledged)",
            format!("mean {mean:.1} ms, p50 <= {p50} ms, p99 <= {p99} ms (histogram buckets)"),
        );
    }
    if let Some(kb) = vm_hwm(pid) {
        report.insert("watch: controller peak memory (VmHWM)", format!("{:.1} MiB", kb as f64 / 1024.0));
    }
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let _ = controller.wait();

    // 5. Kubernetes' mirroring of Endpoints this tool did not write (the controller has stopped).
    let mut baseline = mirroring_baseline(&clients[0], a.per_service, a.changes).await?;
    report.insert("mirroring alone: the driver's own Endpoints -> slices", p50_p99(&mut baseline));

    let limit = state.map_or_else(|| "unknown".into(), |s| s.apiserver_memory_limit());
    println!(
        "federated services, {} clusters x {} backing endpoints ({} changes; API servers' GOMEMLIMIT {limit}):",
        CONTEXTS.len(),
        a.per_cluster,
        a.changes
    );
    for (k, v) in report {
        println!("  {k:<64} {v}");
    }
    if !by_process.is_empty() {
        let total: f64 = by_process.iter().map(|(_, ms)| ms).sum();
        println!("  CPU per change by process (user + system; {total:.1} ms in all):");
        for (name, ms) in by_process {
            println!("    {name:<62} {ms:>6.1} ms");
        }
    }
    Ok(())
}

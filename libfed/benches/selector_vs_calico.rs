//! Selector evaluation, libfed against Calico's own Go package, side by side in one run.
//!
//! Run by `bench/selector-vs-calico.sh`, which builds `tests/calico-selector` and passes it in
//! `CALICO_SELECTOR`. The same 10,000 endpoint label maps (a pod's labels over the labels Calico
//! adds to its workload endpoint, flattened) and the same selectors go to both: Go evaluates
//! `selector.Evaluate(map[string]string)`, libfed `Selector::matches(&LabelMap)` (and, for
//! reference, `&HashMap<String, String>`). Both time the same loop: passes over all maps,
//! calibrated to about 20 ms a round, `ROUNDS` rounds (default 7); the table shows ns per
//! evaluation, min and median of the rounds, and Go's time over libfed's for both. Both sides
//! time a round in the CPU time of the thread running it (`CLOCK_THREAD_CPUTIME_ID`), not wall
//! time, so that on shared cores the time other processes run is left out; what they do to the
//! shared caches is not, so on a loaded machine the min is still the figure to compare.

use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use libfed::calico::labels::workload_labels;
use libfed::calico::selector::{LabelMap, Labels, Selector};

/// What policies, `calicoq eval` users and Calico's own benchmark use.
const SELECTORS: &[(&str, &str)] = &[
    ("all", "all()"),
    ("eq", "app == 'web'"),
    ("has_not_has", "has(app) && !has(canary)"),
    ("namespace_and_set", "projectcalico.org/namespace == 'shop' && app in {'web', 'api', 'worker'}"),
    ("not_in_or_pcns", "tier not in {'db', 'cache'} || pcns.team == 'payments'"),
    ("prefix_suffix", "app.kubernetes.io/name starts with 'front' && version ends with '-stable'"),
    (
        "nested",
        "(projectcalico.org/orchestrator == 'k8s' && pcsa.projectcalico.org/name == 'web') || \
         (role contains 'edge' && !has(quarantine))",
    ),
    ("calico_benchmark", "! (a == \"b\"&&! c != \"d\") || !(a == \"b\" && !c != \"d\")"),
    (
        "long_policy",
        "projectcalico.org/namespace in {'shop', 'payments'} && app.kubernetes.io/name in {'frontend', 'backend', 'payments'} \
         && pcns.team == 'payments' && pcsa.projectcalico.org/name != 'default' && projectcalico.org/orchestrator == 'k8s' \
         && !has(quarantine) && version ends with '-stable' && tier not in {'db'}",
    ),
];

const LABEL_SETS: usize = 10_000;

/// xorshift64: deterministic label sets.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Endpoint labels: the pod's over Calico's implicit ones (Calico's own keys win), flattened.
fn endpoints() -> Vec<BTreeMap<String, String>> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..LABEL_SETS)
        .map(|_| {
            let mut labels = BTreeMap::new();
            let mut put = |k: &str, v: &str| labels.insert(k.to_owned(), v.to_owned());
            put("app", rng.pick(&["web", "api", "worker", "db", "cache"]));
            put("tier", rng.pick(&["frontend", "backend", "db", "cache"]));
            put("app.kubernetes.io/name", rng.pick(&["frontend", "frontdoor", "backend", "payments"]));
            put("version", rng.pick(&["v1-stable", "v2-canary", "v1.2.3", "v3-stable"]));
            put("pod-template-hash", &format!("{:x}", rng.next() & 0xff_ffff));
            if rng.chance(20) {
                put("role", rng.pick(&["edge-proxy", "internal", "edge"]));
            }
            if rng.chance(10) {
                put("canary", "true");
            }
            if rng.chance(5) {
                put("quarantine", "true");
            }
            if rng.chance(30) {
                put("a", rng.pick(&["b", "x"]));
                put("c", rng.pick(&["d", "y"]));
            }
            let namespace = rng.pick(&["shop", "payments", "default", "kube-system"]);
            let team = BTreeMap::from([("team".to_owned(), rng.pick(&["payments", "platform"]).to_owned())]);
            let sa = rng.pick(&["web", "default", "api"]);
            let mut endpoint = workload_labels(namespace, Some(sa), &team, &BTreeMap::new());
            for (k, v) in labels {
                if !k.starts_with("projectcalico.org/") {
                    endpoint.insert(k, v);
                }
            }
            endpoint
        })
        .collect()
}

/// The CPU time this thread has used.
#[allow(unsafe_code)]
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec through the pointer, which points at a local.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID): {}", std::io::Error::last_os_error());
    Duration::new(u64::try_from(ts.tv_sec).unwrap_or(0), u32::try_from(ts.tv_nsec).unwrap_or(0))
}

/// Fastest and median round, in ns per evaluation of thread CPU time, of `pass` (which evaluates
/// `per_pass` times).
fn time(rounds: usize, per_pass: usize, mut pass: impl FnMut() -> usize) -> (f64, f64) {
    let mut passes = 1;
    loop {
        let start = Instant::now();
        for _ in 0..passes {
            black_box(pass());
        }
        if start.elapsed() > Duration::from_millis(20) || passes > 1 << 20 {
            break;
        }
        passes *= 2;
    }
    let mut per_eval: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = thread_cpu();
            for _ in 0..passes {
                black_box(pass());
            }
            (thread_cpu() - start).as_nanos() as f64 / (passes * per_pass) as f64
        })
        .collect();
    per_eval.sort_by(f64::total_cmp);
    (per_eval[0], per_eval[rounds / 2])
}

fn count<L: Labels>(selector: &Selector, maps: &[L]) -> usize {
    maps.iter().filter(|m| selector.matches(black_box(m))).count()
}

#[derive(serde::Deserialize)]
struct GoTiming {
    sel: String,
    matched: usize,
    min_ns: f64,
    median_ns: f64,
}

fn go_timings(bin: &str, maps: &[BTreeMap<String, String>], rounds: usize) -> Vec<GoTiming> {
    let mut child = Command::new(bin)
        .arg("bench")
        .env("ROUNDS", rounds.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {bin}: {e}"));
    let mut body = serde_json::json!({ "labels": maps }).to_string();
    body.push('\n');
    for (_, sel) in SELECTORS {
        body.push_str(&serde_json::json!({ "sel": sel }).to_string());
        body.push('\n');
    }
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(body.as_bytes()).expect("write"));
    let out: Vec<GoTiming> = BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map(|l| serde_json::from_str(&l.expect("read")).expect("timing line"))
        .collect();
    writer.join().expect("writer");
    assert!(child.wait().expect("wait").success(), "{bin} bench failed");
    out
}

fn main() {
    let Ok(bin) = std::env::var("CALICO_SELECTOR") else {
        eprintln!(
            "selector_vs_calico: set CALICO_SELECTOR to the calico-selector binary (bench/selector-vs-calico.sh does)"
        );
        return;
    };
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(7).max(1);
    let maps = endpoints();
    let label_maps: Vec<LabelMap> = maps.iter().map(LabelMap::from).collect();
    let hash_maps: Vec<HashMap<String, String>> = maps.iter().map(|m| m.clone().into_iter().collect()).collect();
    let avg = maps.iter().map(BTreeMap::len).sum::<usize>() as f64 / maps.len() as f64;

    // Go first, then Rust, in the same run, never at the same time.
    let go = go_timings(&bin, &maps, rounds);
    assert_eq!(go.len(), SELECTORS.len(), "calico-selector answered {} of {} selectors", go.len(), SELECTORS.len());

    println!(
        "selector evaluation, ns per evaluation over {LABEL_SETS} endpoint label maps ({avg:.1} labels each), \
         min / median of {rounds} rounds"
    );
    println!(
        "{:<18} {:>8} {:>8}   {:>8} {:>8}   {:>10} {:>10}   {:>12}",
        "selector", "Go min", "Go med", "fed min", "fed med", "Go/fed min", "Go/fed med", "HashMap med"
    );
    for ((name, text), go) in SELECTORS.iter().zip(&go) {
        let selector = Selector::parse(text).expect("valid selector");
        assert_eq!(Selector::parse(&go.sel).expect("echoed selector"), selector);
        assert_eq!(count(&selector, &label_maps), go.matched, "{name}: libfed and Calico match different endpoints");
        let (min, median) = time(rounds, LABEL_SETS, || count(&selector, &label_maps));
        let (_, hash_median) = time(rounds, LABEL_SETS, || count(&selector, &hash_maps));
        println!(
            "{name:<18} {:>8.1} {:>8.1}   {min:>8.1} {median:>8.1}   {:>9.1}x {:>9.1}x   {hash_median:>12.1}",
            go.min_ns,
            go.median_ns,
            go.min_ns / min,
            go.median_ns / median,
        );
    }
}

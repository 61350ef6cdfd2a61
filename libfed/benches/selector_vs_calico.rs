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
//!
//! The two languages alternate selector by selector, `PASSES` times (default 3): Go times a
//! selector (one `calico-selector bench` process per selector and pass), then libfed times the
//! same selector, then the next. So a slow spell of a shared machine falls on both sides alike,
//! not on whichever ran during it. The table's min is the fastest round of all passes; its
//! median is the median of the passes' medians.

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

/// Go's timing of one selector: a `calico-selector bench` process given the label maps (the
/// `labels_line` already serialised) and the one selector.
fn go_timing(bin: &str, labels_line: &str, sel: &str, rounds: usize) -> GoTiming {
    let mut child = Command::new(bin)
        .arg("bench")
        .env("ROUNDS", rounds.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {bin}: {e}"));
    let mut body = String::with_capacity(labels_line.len() + sel.len() + 16);
    body.push_str(labels_line);
    body.push_str(&serde_json::json!({ "sel": sel }).to_string());
    body.push('\n');
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(body.as_bytes()).expect("write"));
    let mut out: Vec<GoTiming> = BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map(|l| serde_json::from_str(&l.expect("read")).expect("timing line"))
        .collect();
    writer.join().expect("writer");
    assert!(child.wait().expect("wait").success(), "{bin} bench failed");
    assert_eq!(out.len(), 1, "calico-selector answered {} timings for one selector", out.len());
    out.remove(0)
}

/// One side's rounds over all passes: the fastest round, and each pass's median.
#[derive(Default)]
struct Rounds {
    min: f64,
    medians: Vec<f64>,
}

impl Rounds {
    fn add(&mut self, (min, median): (f64, f64)) {
        self.min = if self.medians.is_empty() { min } else { self.min.min(min) };
        self.medians.push(median);
    }

    /// The median of the passes' medians.
    fn median(&self) -> f64 {
        let mut m = self.medians.clone();
        m.sort_by(f64::total_cmp);
        m[m.len() / 2]
    }
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

    let passes: usize = std::env::var("PASSES").ok().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let mut labels_line = serde_json::json!({ "labels": maps }).to_string();
    labels_line.push('\n');
    let selectors: Vec<Selector> =
        SELECTORS.iter().map(|(_, text)| Selector::parse(text).expect("valid selector")).collect();
    // Per selector: Go, libfed over LabelMap, libfed over HashMap.
    let mut timings: Vec<[Rounds; 3]> = SELECTORS.iter().map(|_| Default::default()).collect();
    // Go and libfed alternate selector by selector, never at the same time.
    for _ in 0..passes {
        for (((name, text), selector), [go, fed, hash]) in SELECTORS.iter().zip(&selectors).zip(&mut timings) {
            let g = go_timing(&bin, &labels_line, text, rounds);
            assert_eq!(Selector::parse(&g.sel).expect("echoed selector"), *selector);
            assert_eq!(count(selector, &label_maps), g.matched, "{name}: libfed and Calico match different endpoints");
            go.add((g.min_ns, g.median_ns));
            fed.add(time(rounds, LABEL_SETS, || count(selector, &label_maps)));
            hash.add(time(rounds, LABEL_SETS, || count(selector, &hash_maps)));
        }
    }

    println!(
        "selector evaluation, ns per evaluation over {LABEL_SETS} endpoint label maps ({avg:.1} labels each), \
         min / median of {rounds} rounds x {passes} passes, Go and libfed alternating selector by selector"
    );
    println!(
        "{:<18} {:>8} {:>8}   {:>8} {:>8}   {:>10} {:>10}   {:>12}",
        "selector", "Go min", "Go med", "fed min", "fed med", "Go/fed min", "Go/fed med", "HashMap med"
    );
    for ((name, _), [go, fed, hash]) in SELECTORS.iter().zip(&timings) {
        let (go_median, median) = (go.median(), fed.median());
        println!(
            "{name:<18} {:>8.1} {go_median:>8.1}   {:>8.1} {median:>8.1}   {:>9.1}x {:>9.1}x   {:>12.1}",
            go.min,
            fed.min,
            go.min / fed.min,
            go_median / median,
            hash.median(),
        );
    }
}

//! Selector parse and evaluation speed.
//!
//! `cargo bench -p libfed --bench selector -- --warm-up-time 1 --measurement-time 3`
//!
//! - `selector/parse/<name>`: one parse; the reported time is ns per parse.
//! - `selector/eval/<name>`: one pass over 10,000 generated pod label sets; the reported time
//!   divided by 10,000 is ns per evaluation (criterion's `thrpt` line gives evaluations per
//!   second).

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use libfed::calico::labels::{WorkloadEndpointLabels, workload_labels};
use libfed::calico::selector::{LabelMap, Selector};

/// Realistic selectors: what policies, `calicoq eval` users and Calico's own benchmark use.
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
];

const LABEL_SETS: usize = 10_000;

/// xorshift64: deterministic label sets without a `rand` dependency.
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

/// One pod: its own labels and the implicit labels Calico adds, as a workload endpoint sees them
/// (both as `LabelMap`s, as `eval` holds them).
struct Pod {
    labels: LabelMap,
    implicit: LabelMap,
}

fn pods() -> Vec<Pod> {
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
            let implicit = LabelMap::from(&workload_labels(namespace, Some(sa), &team, &BTreeMap::new()));
            Pod { labels: LabelMap::from(&labels), implicit }
        })
        .collect()
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("selector/parse");
    group.throughput(Throughput::Elements(1));
    for (name, input) in SELECTORS {
        group.bench_with_input(BenchmarkId::from_parameter(name), input, |b, input| {
            b.iter(|| Selector::parse(black_box(input)).expect("valid selector"));
        });
    }
    group.finish();
}

fn eval(c: &mut Criterion) {
    let pods = pods();
    let views: Vec<_> = pods.iter().map(|p| WorkloadEndpointLabels { implicit: &p.implicit, pod: &p.labels }).collect();
    let mut group = c.benchmark_group("selector/eval");
    group.throughput(Throughput::Elements(LABEL_SETS as u64));
    for (name, input) in SELECTORS {
        let selector = Selector::parse(input).expect("valid selector");
        let matched = views.iter().filter(|v| selector.matches(*v)).count();
        eprintln!("{name}: matches {matched} of {LABEL_SETS} pods");
        group.bench_with_input(BenchmarkId::from_parameter(name), &selector, |b, selector| {
            b.iter(|| views.iter().filter(|v| selector.matches(black_box(*v))).count());
        });
    }
    group.finish();
}

criterion_group!(benches, parse, eval);
criterion_main!(benches);

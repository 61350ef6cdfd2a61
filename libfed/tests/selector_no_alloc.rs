//! Selector evaluation must not allocate: it runs once per endpoint per rule in `eval` and in the
//! federated-endpoint computation, over thousands of pods.
//!
//! This is its own test binary because it installs a counting global allocator.

// A `GlobalAlloc` impl is `unsafe` by definition; it only forwards to `System` and counts.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};

use libfed::calico::labels::{WorkloadEndpointLabels, workload_labels};
use libfed::calico::selector::{LabelMap, Selector};

struct Counting;

thread_local! {
    // Only the measuring thread counts, so the test harness's own threads do not interfere.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded unchanged to `System`.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations made by `f` on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.with(Cell::get)
}

fn owned(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[test]
fn counting_allocator_sees_allocations() {
    // Without this the test below could pass because the allocator counts nothing.
    assert!(allocations(|| drop(std::hint::black_box(vec![1u8; 16]))) > 0);
}

#[test]
fn evaluation_does_not_allocate() {
    let selectors: Vec<Selector> = [
        "all()",
        "global()",
        "has(app) && !has(canary)",
        "app == 'web' || tier != 'db'",
        "app in {'api', 'web', 'worker'} && tier not in {'db'}",
        "version starts with 'v1' && version ends with '.3' && version contains '.2'",
        "!(projectcalico.org/namespace == 'shop' && pcns.team == 'payments') || pcsa.projectcalico.org/name == 'web'",
    ]
    .iter()
    .map(|s| Selector::parse(s).expect("valid selector"))
    .collect();
    let pod = owned(&[("app", "web"), ("tier", "frontend"), ("version", "v1.2.3")]);
    let hash: HashMap<String, String> = pod.clone().into_iter().collect();
    let pairs = [("app", "web"), ("tier", "db")];
    let implicit = workload_labels("shop", Some("web"), &owned(&[("team", "payments")]), &BTreeMap::new());
    let implicit_map = LabelMap::from(&implicit);
    let endpoint = WorkloadEndpointLabels { implicit: &implicit_map, pod: &pod };
    let layered = (&pairs, &implicit);
    let flat = LabelMap::from(&pod);

    let mut matched = 0usize;
    let n = allocations(|| {
        for sel in &selectors {
            for _ in 0..100 {
                matched += usize::from(sel.matches(&pod));
                matched += usize::from(sel.matches(&hash));
                matched += usize::from(sel.matches(&pairs));
                matched += usize::from(sel.matches(&endpoint));
                matched += usize::from(sel.matches(&layered));
                matched += usize::from(sel.matches(&flat));
                matched += usize::from(sel.matches(&implicit_map));
            }
        }
    });
    assert_eq!(n, 0, "selector evaluation allocated {n} times");
    assert!(matched > 0, "nothing matched: the loop did not exercise evaluation");
}

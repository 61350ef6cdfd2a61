//! Federated-service endpoint computation at the size of the benchmark in
//! `bench/federated_services.sh`: 3 clusters × 5,000 backing endpoints (5 backing Services of
//! 1,000 addresses per cluster), plus 50 non-matching Services per cluster.
//!
//! `cargo bench -p libfed --bench federated -- --warm-up-time 1 --measurement-time 5`
//!
//! - `federated/compute`: selector matching, port filtering, remote renaming and repacking of
//!   the 15,000 addresses, all of them in the result (`svc sync --once`, `svc show`).
//! - `federated/compute_capped`: the same, truncated to the Endpoints object's 1,000 addresses:
//!   what the controller does per change in the namespace.
//! - `federated/endpoints_object`: the truncated Endpoints object from the full computation, and
//!   its comparison with a live copy (the no-write path).
//! - `federated/endpoints_object_capped`: the same from the capped computation (the controller).

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use k8s_openapi::api::core::v1::{Endpoints, Service};
use libfed::federated::MAX_ENDPOINTS_ADDRESSES;
use libfed::federated::config::{Federation, FederationConfig, federation};
use libfed::federated::endpoints::{ClusterObjects, compute, compute_capped_from};
use libfed::federated::object::{EndpointsWrite, desired_endpoints, desired_endpoints_for, plan_endpoints};
use serde_json::json;

const CLUSTERS: usize = 3;
const SERVICES: usize = 5;
const PER_SERVICE: usize = 1000;

fn ip(cluster: usize, i: usize) -> String {
    format!("10.{}.{}.{}", cluster + 1, i / 250, i % 250 + 1)
}

fn cluster(c: usize) -> ClusterObjects {
    let mut services: Vec<Service> = Vec::new();
    let mut endpoints: Vec<Endpoints> = Vec::new();
    for s in 0..SERVICES {
        let name = format!("backend-{s}");
        services.push(
            serde_json::from_value(
                json!({"metadata": {"name": name, "namespace": "bench", "labels": {"run": "bench"}},
                                          "spec": {"ports": [{"name": "http", "port": 80}]}}),
            )
            .expect("service"),
        );
        let addresses: Vec<_> = (0..PER_SERVICE)
            .map(|i| {
                let n = s * PER_SERVICE + i;
                json!({"ip": ip(c, n), "nodeName": format!("node-{}", n % 20),
                       "targetRef": {"kind": "Pod", "namespace": "bench", "name": format!("backend-{n}"), "uid": format!("uid-{c}-{n}")}})
            })
            .collect();
        endpoints.push(
            serde_json::from_value(json!({"metadata": {"name": name, "namespace": "bench"},
                "subsets": [{"addresses": addresses, "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}]}))
            .expect("endpoints"),
        );
    }
    for s in 0..50 {
        services.push(
            serde_json::from_value(
                json!({"metadata": {"name": format!("other-{s}"), "namespace": "bench", "labels": {"run": "other"}},
                                          "spec": {"ports": [{"name": "http", "port": 80}]}}),
            )
            .expect("service"),
        );
    }
    ClusterObjects::from_lists(services, endpoints)
}

fn federated() -> (Service, FederationConfig) {
    let svc: Service = serde_json::from_value(json!({
        "metadata": {"name": "bench-fed", "namespace": "bench", "uid": "fed-uid",
                     "annotations": {"federation.tigera.io/serviceSelector": "run == \"bench\""}},
        "spec": {"ports": [{"name": "http", "port": 80}]}
    }))
    .expect("service");
    let Federation::Federated(config) = federation(&svc) else { panic!("federated") };
    (svc, config)
}

fn bench(c: &mut Criterion) {
    let local = cluster(0);
    let remotes: BTreeMap<String, ClusterObjects> =
        (1..CLUSTERS).map(|i| (format!("cluster-{i}"), cluster(i))).collect();
    let (svc, config) = federated();
    let mut group = c.benchmark_group("federated");
    group.bench_function("compute", |b| b.iter(|| compute(black_box(&svc), &config, &local, &remotes)));
    let remote_list = || remotes.iter().map(|(n, o)| (n.as_str(), o));
    group.bench_function("compute_capped", |b| {
        b.iter(|| compute_capped_from(black_box(&svc), &config, &local, remote_list(), MAX_ENDPOINTS_ADDRESSES))
    });
    let capped = compute_capped_from(&svc, &config, &local, remote_list(), MAX_ENDPOINTS_ADDRESSES);
    assert_eq!((capped.counts(), capped.truncated), ((CLUSTERS * SERVICES * PER_SERVICE, 0), true));

    let computed = compute(&svc, &config, &local, &remotes);
    assert_eq!(computed.counts(), (CLUSTERS * SERVICES * PER_SERVICE, 0));
    let live = desired_endpoints(&svc, &config, &computed.subsets);
    group.bench_function("endpoints_object", |b| {
        b.iter(|| {
            let want = desired_endpoints(black_box(&svc), &config, &computed.subsets);
            assert_eq!(plan_endpoints(&want, Some(&live)), EndpointsWrite::Unchanged);
        })
    });
    assert_eq!(desired_endpoints_for(&svc, &config, &capped), live, "the capped computation writes the same object");
    group.bench_function("endpoints_object_capped", |b| {
        b.iter(|| {
            let want = desired_endpoints_for(black_box(&svc), &config, &capped);
            assert_eq!(plan_endpoints(&want, Some(&live)), EndpointsWrite::Unchanged);
        })
    });

    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);

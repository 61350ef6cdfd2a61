//! Table-driven tests of the federated endpoint computation: one case per rule of
//! spec/federation.md §4.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{EndpointSubset, Endpoints, Service};
use serde_json::{Value, json};

use super::{ClusterObjects, compute};
use crate::federated::SERVICE_SELECTOR_ANNOTATION;
use crate::federated::config::{Federation, federation};

const NS: &str = "shop";

fn port(name: &str, port: i32, protocol: &str) -> Value {
    let mut p = json!({"port": port, "protocol": protocol});
    if !name.is_empty() {
        p["name"] = json!(name);
    }
    p
}

/// A federated Service in NS with the given selector and ports.
fn federated(selector: &str, ports: Vec<Value>) -> Service {
    serde_json::from_value(json!({
        "metadata": {"name": "fed", "namespace": NS, "annotations": {SERVICE_SELECTOR_ANNOTATION: selector}},
        "spec": {"ports": ports}
    }))
    .expect("service")
}

/// A backing Service with labels and a pod selector (as `my-app` has).
fn backing(ns: &str, name: &str, labels: Value) -> Value {
    json!({"kind": "Service", "metadata": {"name": name, "namespace": ns, "labels": labels},
           "spec": {"selector": {"app": name}, "ports": [{"name": "http", "port": 80}]}})
}

/// An Endpoints object: ready pods, not-ready pods (`(ip, pod, node)`), ports.
fn endpoints(
    ns: &str,
    name: &str,
    ready: &[(&str, &str, &str)],
    not_ready: &[(&str, &str, &str)],
    ports: Vec<Value>,
) -> Value {
    let addr = |(ip, pod, node): &(&str, &str, &str)| {
        json!({"ip": ip, "nodeName": node,
               "targetRef": {"kind": "Pod", "namespace": ns, "name": pod, "uid": format!("uid-{pod}")}})
    };
    let mut subset = json!({"ports": ports});
    if !ready.is_empty() {
        subset["addresses"] = ready.iter().map(addr).collect();
    }
    if !not_ready.is_empty() {
        subset["notReadyAddresses"] = not_ready.iter().map(addr).collect();
    }
    json!({"kind": "Endpoints", "metadata": {"name": name, "namespace": ns}, "subsets": [subset]})
}

fn cluster(objects: &[Value]) -> ClusterObjects {
    let services: Vec<Service> = objects
        .iter()
        .filter(|o| o["kind"] == "Service")
        .map(|o| serde_json::from_value(o.clone()).expect("service"))
        .collect();
    let eps: Vec<Endpoints> = objects
        .iter()
        .filter(|o| o["kind"] == "Endpoints")
        .map(|o| serde_json::from_value(o.clone()).expect("endpoints"))
        .collect();
    ClusterObjects::from_lists(services, eps)
}

/// One line per (address, port): `R|N ip name/proto:port target node`, sorted.
fn view(subsets: &[EndpointSubset]) -> Vec<String> {
    let mut out = Vec::new();
    for s in subsets {
        for p in s.ports.iter().flatten() {
            let lists = [("R", &s.addresses), ("N", &s.not_ready_addresses)];
            for (tag, list) in lists {
                for a in list.iter().flatten() {
                    let target = a.target_ref.as_ref().and_then(|t| t.name.clone()).unwrap_or_default();
                    out.push(format!(
                        "{tag} {} {}/{}:{} {target} {}",
                        a.ip,
                        p.name.as_deref().unwrap_or(""),
                        p.protocol.as_deref().unwrap_or(""),
                        p.port,
                        a.node_name.as_deref().unwrap_or("")
                    ));
                }
            }
        }
    }
    out.sort();
    out
}

struct Case {
    name: &'static str,
    federated: Service,
    local: Vec<Value>,
    remotes: Vec<(&'static str, Vec<Value>)>,
    want: Vec<&'static str>,
    /// `cluster/name` (`-` for local) of the backing services.
    want_backing: Vec<&'static str>,
}

fn http() -> Vec<Value> {
    vec![port("http", 80, "TCP")]
}

fn run_man_app() -> Value {
    json!({"run": "my-app"})
}

fn cases() -> Vec<Case> {
    let app_eps = |ns: &str, ip1: &'static str, ip2: &'static str| {
        endpoints(
            ns,
            "my-app",
            &[(ip1, "my-app-1", "node-1"), (ip2, "my-app-2", "node-2")],
            &[],
            vec![port("http", 8080, "TCP")],
        )
    };
    vec![
        Case {
            name: "walkthrough: local and two remotes give six addresses, remote targets prefixed, backing port numbers",
            federated: federated("run == \"my-app\"", http()),
            local: vec![backing(NS, "my-app", run_man_app()), app_eps(NS, "10.1.0.1", "10.1.0.2")],
            remotes: vec![
                ("cluster-b", vec![backing(NS, "my-app", run_man_app()), app_eps(NS, "10.2.0.1", "10.2.0.2")]),
                ("cluster-c", vec![backing(NS, "my-app", run_man_app()), app_eps(NS, "10.3.0.1", "10.3.0.2")]),
            ],
            want: vec![
                "R 10.1.0.1 http/TCP:8080 my-app-1 node-1",
                "R 10.1.0.2 http/TCP:8080 my-app-2 node-2",
                "R 10.2.0.1 http/TCP:8080 cluster-b/my-app-1 node-1",
                "R 10.2.0.2 http/TCP:8080 cluster-b/my-app-2 node-2",
                "R 10.3.0.1 http/TCP:8080 cluster-c/my-app-1 node-1",
                "R 10.3.0.2 http/TCP:8080 cluster-c/my-app-2 node-2",
            ],
            want_backing: vec!["-/my-app", "cluster-b/my-app", "cluster-c/my-app"],
        },
        Case {
            name: "only the federated service's namespace is searched, locally and remotely",
            federated: federated("run == \"my-app\"", http()),
            local: vec![backing("other", "my-app", run_man_app()), app_eps("other", "10.1.0.1", "10.1.0.2")],
            remotes: vec![(
                "cluster-b",
                vec![backing("other", "my-app", run_man_app()), app_eps("other", "10.2.0.1", "10.2.0.2")],
            )],
            want: vec![],
            want_backing: vec![],
        },
        Case {
            name: "a projectcalico.org/namespace label on a service cannot pull it into another namespace",
            federated: federated("run == \"my-app\"", http()),
            local: vec![
                backing("other", "my-app", json!({"run": "my-app", "projectcalico.org/namespace": NS})),
                app_eps("other", "10.1.0.1", "10.1.0.2"),
            ],
            remotes: vec![],
            want: vec![],
            want_backing: vec![],
        },
        Case {
            name: "remote services carry the implicit remoteClusterName label",
            federated: federated(
                "run == \"my-app\" && federation.tigera.io/remoteClusterName == \"cluster-c\"",
                http(),
            ),
            local: vec![backing(NS, "my-app", run_man_app()), app_eps(NS, "10.1.0.1", "10.1.0.2")],
            remotes: vec![
                ("cluster-b", vec![backing(NS, "my-app", run_man_app()), app_eps(NS, "10.2.0.1", "10.2.0.2")]),
                ("cluster-c", vec![backing(NS, "my-app", run_man_app()), app_eps(NS, "10.3.0.1", "10.3.0.2")]),
            ],
            want: vec![
                "R 10.3.0.1 http/TCP:8080 cluster-c/my-app-1 node-1",
                "R 10.3.0.2 http/TCP:8080 cluster-c/my-app-2 node-2",
            ],
            want_backing: vec!["cluster-c/my-app"],
        },
        Case {
            name: "!has(remoteClusterName) selects local services only",
            federated: federated("!has(federation.tigera.io/remoteClusterName)", http()),
            local: vec![backing(NS, "my-app", run_man_app()), app_eps(NS, "10.1.0.1", "10.1.0.2")],
            remotes: vec![(
                "cluster-b",
                vec![backing(NS, "my-app", run_man_app()), app_eps(NS, "10.2.0.1", "10.2.0.2")],
            )],
            want: vec!["R 10.1.0.1 http/TCP:8080 my-app-1 node-1", "R 10.1.0.2 http/TCP:8080 my-app-2 node-2"],
            want_backing: vec!["-/my-app"],
        },
        Case {
            name: "an empty selector selects every non-federated service of the namespace",
            federated: federated("", http()),
            local: vec![
                backing(NS, "a", json!({})),
                endpoints(NS, "a", &[("10.1.0.1", "a-1", "n")], &[], vec![port("http", 81, "TCP")]),
                backing(NS, "b", json!({"x": "y"})),
                endpoints(NS, "b", &[("10.1.0.2", "b-1", "n")], &[], vec![port("http", 82, "TCP")]),
            ],
            remotes: vec![],
            want: vec!["R 10.1.0.1 http/TCP:81 a-1 n", "R 10.1.0.2 http/TCP:82 b-1 n"],
            want_backing: vec!["-/a", "-/b"],
        },
        Case {
            name: "services with the annotation never back anything, valid or not, local or remote",
            federated: federated("run == \"my-app\"", http()),
            local: vec![
                json!({"kind": "Service", "metadata": {"name": "chained", "namespace": NS, "labels": run_man_app(),
                       "annotations": {SERVICE_SELECTOR_ANNOTATION: "all()"}}, "spec": {"ports": http()}}),
                endpoints(NS, "chained", &[("10.1.0.9", "x", "n")], &[], vec![port("http", 80, "TCP")]),
                json!({"kind": "Service", "metadata": {"name": "broken", "namespace": NS, "labels": run_man_app(),
                       "annotations": {SERVICE_SELECTOR_ANNOTATION: "(((("}}, "spec": {"selector": {"a": "b"}, "ports": http()}}),
                endpoints(NS, "broken", &[("10.1.0.8", "y", "n")], &[], vec![port("http", 80, "TCP")]),
            ],
            remotes: vec![(
                "cluster-b",
                vec![
                    json!({"kind": "Service", "metadata": {"name": "fed", "namespace": NS, "labels": run_man_app(),
                           "annotations": {SERVICE_SELECTOR_ANNOTATION: "run == \"my-app\""}}, "spec": {"ports": http()}}),
                    endpoints(NS, "fed", &[("10.2.0.9", "z", "n")], &[], vec![port("http", 80, "TCP")]),
                ],
            )],
            want: vec![],
            want_backing: vec![],
        },
        Case {
            name: "unnamed ports federate only with unnamed ports of the same protocol",
            federated: federated("all()", vec![port("", 80, "TCP")]),
            local: vec![
                backing(NS, "unnamed", json!({})),
                endpoints(NS, "unnamed", &[("10.1.0.1", "u", "n")], &[], vec![port("", 8080, "TCP")]),
                backing(NS, "named", json!({})),
                endpoints(NS, "named", &[("10.1.0.2", "m", "n")], &[], vec![port("http", 8080, "TCP")]),
                backing(NS, "udp", json!({})),
                endpoints(NS, "udp", &[("10.1.0.3", "d", "n")], &[], vec![port("", 8080, "UDP")]),
            ],
            remotes: vec![],
            want: vec!["R 10.1.0.1 /TCP:8080 u n"],
            want_backing: vec!["-/named", "-/udp", "-/unnamed"],
        },
        Case {
            name: "a protocol mismatch drops the port, and a subset left without ports",
            federated: federated("all()", vec![port("dns", 53, "UDP")]),
            local: vec![
                backing(NS, "dns", json!({})),
                endpoints(NS, "dns", &[("10.1.0.1", "d", "n")], &[], vec![port("dns", 53, "TCP")]),
            ],
            remotes: vec![],
            want: vec![],
            want_backing: vec!["-/dns"],
        },
        Case {
            name: "only matching ports are kept, each with the backing port number",
            federated: federated("all()", vec![port("http", 80, "TCP"), port("metrics", 9000, "TCP")]),
            local: vec![
                backing(NS, "a", json!({})),
                endpoints(
                    NS,
                    "a",
                    &[("10.1.0.1", "a", "n")],
                    &[],
                    vec![port("http", 8080, "TCP"), port("admin", 9999, "TCP"), port("metrics", 9100, "TCP")],
                ),
            ],
            remotes: vec![(
                "cluster-b",
                vec![
                    backing(NS, "a", json!({})),
                    endpoints(NS, "a", &[("10.2.0.1", "a", "n")], &[], vec![port("http", 8081, "TCP")]),
                ],
            )],
            want: vec![
                "R 10.1.0.1 http/TCP:8080 a n",
                "R 10.1.0.1 metrics/TCP:9100 a n",
                "R 10.2.0.1 http/TCP:8081 cluster-b/a n",
            ],
            want_backing: vec!["-/a", "cluster-b/a"],
        },
        Case {
            name: "ready and not-ready addresses are kept apart",
            federated: federated("all()", http()),
            local: vec![
                backing(NS, "a", json!({})),
                endpoints(
                    NS,
                    "a",
                    &[("10.1.0.1", "r", "n")],
                    &[("10.1.0.2", "nr", "n")],
                    vec![port("http", 8080, "TCP")],
                ),
            ],
            remotes: vec![(
                "cluster-b",
                vec![
                    backing(NS, "a", json!({})),
                    endpoints(NS, "a", &[], &[("10.2.0.2", "nr", "n")], vec![port("http", 8080, "TCP")]),
                ],
            )],
            want: vec![
                "N 10.1.0.2 http/TCP:8080 nr n",
                "N 10.2.0.2 http/TCP:8080 cluster-b/nr n",
                "R 10.1.0.1 http/TCP:8080 r n",
            ],
            want_backing: vec!["-/a", "cluster-b/a"],
        },
        Case {
            name: "a selector that matches nothing gives no subsets",
            federated: federated("run == \"nobody\"", http()),
            local: vec![backing(NS, "my-app", run_man_app()), app_eps(NS, "10.1.0.1", "10.1.0.2")],
            remotes: vec![(
                "cluster-b",
                vec![backing(NS, "my-app", run_man_app()), app_eps(NS, "10.2.0.1", "10.2.0.2")],
            )],
            want: vec![],
            want_backing: vec![],
        },
        Case {
            name: "a backing service without Endpoints is listed but adds nothing",
            federated: federated("all()", http()),
            local: vec![backing(NS, "lonely", json!({}))],
            remotes: vec![],
            want: vec![],
            want_backing: vec!["-/lonely"],
        },
        Case {
            name: "the same pod seen through two local backing services is listed once",
            federated: federated("all()", http()),
            local: vec![
                backing(NS, "a", json!({})),
                endpoints(NS, "a", &[("10.1.0.1", "p", "n")], &[], vec![port("http", 8080, "TCP")]),
                backing(NS, "b", json!({})),
                endpoints(NS, "b", &[("10.1.0.1", "p", "n")], &[], vec![port("http", 8080, "TCP")]),
            ],
            remotes: vec![],
            want: vec!["R 10.1.0.1 http/TCP:8080 p n"],
            want_backing: vec!["-/a", "-/b"],
        },
    ]
}

#[test]
fn every_rule_of_the_federated_endpoint_computation() {
    for case in cases() {
        let Federation::Federated(config) = federation(&case.federated) else { panic!("{}: not federated", case.name) };
        let local = cluster(&case.local);
        let remotes: BTreeMap<String, ClusterObjects> =
            case.remotes.iter().map(|(n, objs)| ((*n).to_owned(), cluster(objs))).collect();
        let got = compute(&case.federated, &config, &local, &remotes);
        assert_eq!(view(&got.subsets), case.want, "{}", case.name);
        let backing: Vec<String> =
            got.backing.iter().map(|b| format!("{}/{}", b.cluster.as_deref().unwrap_or("-"), b.name)).collect();
        assert_eq!(backing, case.want_backing, "{}: backing services", case.name);
    }
}

#[test]
fn remote_node_names_are_not_prefixed_and_other_target_fields_are_kept() {
    let fed = federated("all()", http());
    let Federation::Federated(config) = federation(&fed) else { panic!("federated") };
    let remote = cluster(&[
        backing(NS, "a", json!({})),
        endpoints(NS, "a", &[("10.2.0.1", "pod-1", "node-7")], &[], vec![port("http", 8080, "TCP")]),
    ]);
    let remotes = BTreeMap::from([("cluster-b".to_owned(), remote)]);
    let got = compute(&fed, &config, &ClusterObjects::default(), &remotes);
    let a = &got.subsets[0].addresses.as_ref().expect("ready")[0];
    assert_eq!(a.node_name.as_deref(), Some("node-7"));
    let t = a.target_ref.as_ref().expect("target");
    assert_eq!(t.name.as_deref(), Some("cluster-b/pod-1"));
    assert_eq!(
        (t.kind.as_deref(), t.namespace.as_deref(), t.uid.as_deref()),
        (Some("Pod"), Some(NS), Some("uid-pod-1"))
    );
    assert_eq!(got.counts(), (1, 0));
    assert_eq!(got.backing_counts(), (0, 1));
    assert_eq!(got.backing[0].ready, 1);
}

#[test]
fn the_result_is_the_same_whatever_order_objects_arrive_in() {
    let fed = federated("all()", vec![port("http", 80, "TCP"), port("grpc", 90, "TCP")]);
    let Federation::Federated(config) = federation(&fed) else { panic!("federated") };
    let mut objects = vec![
        backing(NS, "a", json!({})),
        endpoints(
            NS,
            "a",
            &[("10.1.0.3", "a3", "n"), ("10.1.0.1", "a1", "n")],
            &[("10.1.0.2", "a2", "n")],
            vec![port("grpc", 9090, "TCP"), port("http", 8080, "TCP")],
        ),
        backing(NS, "b", json!({})),
        endpoints(NS, "b", &[("10.1.0.4", "b4", "n")], &[], vec![port("http", 8080, "TCP")]),
    ];
    let want = compute(&fed, &config, &cluster(&objects), &BTreeMap::new());
    objects.reverse();
    assert_eq!(compute(&fed, &config, &cluster(&objects), &BTreeMap::new()), want);
}

#[test]
fn cluster_objects_follow_applies_deletes_and_relists() {
    let mut c = cluster(&[backing(NS, "a", json!({})), endpoints(NS, "a", &[("10.0.0.1", "p", "n")], &[], http())]);
    assert_eq!(c.len(), (1, 1));
    c.delete_endpoints(NS, "a");
    assert!(c.endpoints(NS, "a").is_none());
    assert!(c.service(NS, "a").is_some());
    c.delete_service(NS, "a");
    assert!(c.is_empty(), "an emptied namespace is forgotten");
    c.replace_services(vec![serde_json::from_value::<Service>(backing("x", "s", json!({}))).expect("svc")]);
    c.replace_endpoints(Vec::new());
    assert_eq!(c.len(), (1, 0));
    assert_eq!(c.namespaces().map(|(n, _)| n).collect::<Vec<_>>(), ["x"]);
}

/// Selection reads each Service's cached label map: a Service re-applied with other labels,
/// relabelled to none, deleted or replaced by a re-list is selected by its labels of the moment.
#[test]
fn selection_follows_label_changes_through_the_label_cache() {
    let fed = federated("tier == 'web'", http());
    let Federation::Federated(config) = federation(&fed) else { panic!("federated") };
    let svc = |labels: Value| serde_json::from_value::<Service>(backing(NS, "a", labels)).expect("svc");
    let names = |c: &ClusterObjects| -> Vec<String> {
        compute(&fed, &config, c, &BTreeMap::new()).backing.into_iter().map(|b| b.name).collect()
    };
    let mut c = cluster(&[backing(NS, "a", json!({"tier": "web"}))]);
    assert_eq!(names(&c), ["a"]);
    c.apply_service(svc(json!({"tier": "db"})));
    assert!(names(&c).is_empty(), "relabelled away");
    c.apply_service(svc(json!({"tier": "web", "extra": "x"})));
    assert_eq!(names(&c), ["a"], "relabelled back, with another label count");
    let mut unlabelled = svc(json!({}));
    unlabelled.metadata.labels = None;
    c.apply_service(unlabelled);
    assert!(names(&c).is_empty(), "labels removed");
    c.apply_service(svc(json!({"tier": "web"})));
    c.delete_service(NS, "a");
    assert!(names(&c).is_empty(), "deleted");
    c.replace_services(vec![svc(json!({"tier": "web"}))]);
    assert_eq!(names(&c), ["a"], "re-listed");
    c.replace_services(vec![svc(json!({"tier": "db"}))]);
    assert!(names(&c).is_empty(), "re-listed with other labels");
}

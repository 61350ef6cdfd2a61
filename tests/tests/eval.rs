//! `eval` against real clusters: local endpoints unprefixed, remote ones prefixed with the RCC
//! name, read through the stored kubeconfigs; a stopped remote gives partial output and exit 1.
//! A private environment, since this file stops a cluster.

use std::time::Duration;

use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::api::{ObjectMeta, Patch, PatchParams, PostParams};
use kube::{Api, Client};
use serde_json::json;
use testenv::federate::run;

async fn create_pod(client: &Client, ns: &str, name: &str, node: &str, ip: &str, app: &str) {
    let pods: Api<Pod> = Api::namespaced(client.clone(), ns);
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": name, "labels": {"app": app}},
        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "registry.invalid/app:1"}]}
    }))
    .expect("pod");
    // The ServiceAccount admission plugin needs the namespace's `default` ServiceAccount, which the
    // controller manager creates shortly after the namespace.
    for attempt in 0.. {
        match pods.create(&PostParams::default(), &pod).await {
            Ok(_) => break,
            Err(e) if attempt < 100 => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Err(e) => panic!("create pod {name}: {e}"),
        }
    }
    let status = json!({"status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}]}});
    pods.patch_status(name, &PatchParams::default(), &Patch::Merge(&status)).await.expect("patch status");
}

async fn namespace(client: &Client, name: &str) {
    let ns = Namespace { metadata: ObjectMeta { name: Some(name.into()), ..Default::default() }, ..Default::default() };
    Api::<Namespace>::all(client.clone()).create(&PostParams::default(), &ns).await.expect("namespace");
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test]
async fn eval_lists_local_and_remote_endpoints_and_survives_a_dead_remote() {
    libfed::tls::ensure_crypto_provider();
    let dir = tempfile::tempdir().expect("dir");
    let env = testenv::Env::start(3, dir.path(), testenv::Lifetime::Owned).await.expect("environment");
    let kc = env.kubeconfig_path();
    let out = run(&kc, &["mesh", "cluster-a", "cluster-b", "cluster-c"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    for (ctx, pods) in [
        ("cluster-a", vec![("web-a", "node-a1", "10.1.0.5", "web")]),
        ("cluster-b", vec![("web-b", "node-b1", "10.2.0.5", "web"), ("db-b", "node-b2", "10.2.0.6", "db")]),
        ("cluster-c", vec![("web-c", "node-c1", "10.3.0.5", "web")]),
    ] {
        let client = env.client(ctx).await.expect("client");
        namespace(&client, "shop").await;
        for (name, node, ip, app) in pods {
            create_pod(&client, "shop", name, node, ip, app).await;
        }
    }
    let b = env.client("cluster-b").await.expect("b");
    namespace(&b, "backoffice").await;
    create_pod(&b, "backoffice", "ledger", "node-b2", "10.2.0.9", "web").await;

    let out = run(&kc, &["eval", "app == 'web' && projectcalico.org/namespace == 'shop'", "--context", "cluster-a"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        stdout(&out),
        "Endpoints matching selector app == 'web' && projectcalico.org/namespace == 'shop':\n\
         \x20 Workload endpoint cluster-b/node-b1/k8s/shop.web-b/eth0\n\
         \x20 Workload endpoint cluster-c/node-c1/k8s/shop.web-c/eth0\n\
         \x20 Workload endpoint node-a1/k8s/shop.web-a/eth0\n"
    );

    // From cluster-c's point of view, its own pods are the unprefixed ones.
    let out = run(&kc, &["eval", "all()", "--context", "cluster-c"]);
    let text = stdout(&out);
    assert!(text.contains("  Workload endpoint node-c1/k8s/shop.web-c/eth0\n"), "{text}");
    assert!(text.contains("  Workload endpoint cluster-a/node-a1/k8s/shop.web-a/eth0\n"), "{text}");
    assert!(text.contains("  Workload endpoint cluster-b/node-b2/k8s/backoffice.ledger/eth0\n"), "{text}");

    // Namespace labels (pcns.*) work across clusters.
    let out =
        run(&kc, &["eval", "pcns.projectcalico.org/name == 'backoffice'", "--context", "cluster-a", "-o", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        json[0]["endpoints"],
        json!([{"node": "cluster-b/node-b2", "orchestrator": "k8s", "workload": "backoffice/ledger", "name": "eth0"}])
    );
    let out = run(&kc, &["eval", "app == 'nothing'", "-o", "json", "--context", "cluster-a"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(json[0].get("endpoints").is_none(), "no matches: endpoints omitted, as calicoq does");

    host_endpoints_and_calicos_pod_ip_rules(&env, &kc).await;
    the_api_servers_filter_never_loses_a_match(&env).await;

    // A stopped remote: the rest still prints, the problem goes to stderr, exit 1.
    env.stop_cluster("cluster-c").expect("stop c");
    let out = run(&kc, &["eval", "app == 'web'", "--context", "cluster-a", "--request-timeout", "5s"]);
    env.start_cluster("cluster-c").await.expect("restart c");
    let (text, err) = (stdout(&out), String::from_utf8_lossy(&out.stderr).into_owned());
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        text.contains("cluster-b/node-b1/k8s/shop.web-b/eth0") && text.contains("node-a1/k8s/shop.web-a/eth0"),
        "{text}"
    );
    assert!(!text.contains("cluster-c/"), "{text}");
    assert!(err.contains("RemoteClusterConfiguration(cluster-c): connection to remote cluster failed"), "{err}");
}

/// A pod from JSON (metadata, spec additions), then its status; created as is.
async fn create_raw_pod(
    client: &Client,
    ns: &str,
    name: &str,
    meta: serde_json::Value,
    spec: serde_json::Value,
    status: serde_json::Value,
) {
    let pods: Api<Pod> = Api::namespaced(client.clone(), ns);
    let mut v = json!({
        "metadata": {"name": name},
        "spec": {"nodeName": "node-b1", "containers": [{"name": "c", "image": "registry.invalid/app:1"}]}
    });
    v["metadata"].as_object_mut().expect("meta").extend(meta.as_object().expect("object").clone());
    v["spec"].as_object_mut().expect("spec").extend(spec.as_object().expect("object").clone());
    let pod: Pod = serde_json::from_value(v).expect("pod");
    for attempt in 0.. {
        match pods.create(&PostParams::default(), &pod).await {
            Ok(_) => break,
            Err(_) if attempt < 100 => tokio::time::sleep(Duration::from_millis(100)).await,
            Err(e) => panic!("create pod {name}: {e}"),
        }
    }
    pods.patch_status(name, &PatchParams::default(), &Patch::Merge(&json!({"status": status})))
        .await
        .expect("patch status");
}

/// Calico's HostEndpoint CRD (from Calico's Go module, see tests/calico-selector/build.sh) on
/// clusters a and b, host endpoints on both, and pods whose IPs come from each of the places
/// Calico reads them, or that Calico counts as finished.
async fn host_endpoints_and_calicos_pod_ip_rules(env: &testenv::Env, kc: &std::path::Path) {
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    let crd = std::fs::read_to_string(
        testenv::binaries::calico_dir().expect("calico dir").join("crd.projectcalico.org_hostendpoints.yaml"),
    )
    .expect("Calico's HostEndpoint CRD");
    let (a, b) = (env.client("cluster-a").await.expect("a"), env.client("cluster-b").await.expect("b"));
    for client in [&a, &b] {
        testenv::env::apply_yaml(client, &crd).await.expect("apply the CRD");
        let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
        kube::runtime::wait::await_condition(
            crds,
            "hostendpoints.crd.projectcalico.org",
            kube::runtime::conditions::is_crd_established(),
        )
        .await
        .expect("CRD established");
    }
    let hep = |name: &str, node: &str, role: &str| {
        format!(
            "apiVersion: crd.projectcalico.org/v1\nkind: HostEndpoint\nmetadata:\n  name: {name}\n  labels: {{role: {role}}}\nspec:\n  node: {node}\n  interfaceName: eth0\n"
        )
    };
    testenv::env::apply_yaml(&a, &hep("edge-a", "node-a1", "edge")).await.expect("hep a");
    testenv::env::apply_yaml(&b, &hep("edge-b", "node-b1", "edge")).await.expect("hep b");
    testenv::env::apply_yaml(&b, &hep("core-b", "node-b2", "core")).await.expect("hep b2");

    let out = run(kc, &["eval", "role == 'edge'", "--context", "cluster-a"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        stdout(&out),
        "Endpoints matching selector role == 'edge':\n\
         \x20 Host endpoint cluster-b/node-b1/edge-b\n\
         \x20 Host endpoint node-a1/edge-a\n"
    );
    let out = run(kc, &["eval", "role == 'core'", "--context", "cluster-a", "-o", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json[0]["endpoints"], json!([{"node": "cluster-b/node-b2", "name": "core-b"}]));
    // cluster-c has no HostEndpoint CRD: no host endpoints, and no problem.
    let out = run(kc, &["eval", "has(role)", "--context", "cluster-c"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout(&out).lines().filter(|l| l.contains("Host endpoint")).count(), 3, "{}", stdout(&out));

    namespace(&b, "ipsrc").await;
    let running = |ip: &str| json!({"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}]});
    let no_ip = json!({"phase": "Running"});
    let ann = |k: &str, v: &str| json!({"annotations": {k: v}});
    let held = json!({"finalizers": ["example.com/hold"]});
    for (name, meta, spec, status) in [
        ("calico-ips", ann("cni.projectcalico.org/podIPs", "10.2.1.1/32,fd00::1/128"), json!({}), no_ip.clone()),
        ("calico-ip", ann("cni.projectcalico.org/podIP", "10.2.1.2/32"), json!({}), no_ip.clone()),
        ("aws-ips", ann("vpc.amazonaws.com/pod-ips", "10.2.1.3"), json!({}), no_ip.clone()),
        ("bad-ip", ann("cni.projectcalico.org/podIP", "10.2.1.300"), json!({}), no_ip.clone()),
        (
            "completed",
            json!({}),
            json!({}),
            json!({"phase": "Succeeded", "podIP": "10.2.1.4", "podIPs": [{"ip": "10.2.1.4"}]}),
        ),
        ("host-net", json!({}), json!({"hostNetwork": true}), running("10.2.1.5")),
        (
            "released",
            {
                let mut m = ann("cni.projectcalico.org/podIP", "");
                m["finalizers"] = held["finalizers"].clone();
                m
            },
            json!({}),
            running("10.2.1.6"),
        ),
        (
            "terminating",
            {
                let mut m = ann("cni.projectcalico.org/podIP", "10.2.1.7/32");
                m["finalizers"] = held["finalizers"].clone();
                m
            },
            json!({}),
            running("10.2.1.7"),
        ),
    ] {
        create_raw_pod(&b, "ipsrc", name, meta, spec, status).await;
    }
    let pods: Api<Pod> = Api::namespaced(b.clone(), "ipsrc");
    for name in ["released", "terminating"] {
        pods.delete(name, &Default::default()).await.expect("delete");
        let pod = pods.get(name).await.expect("still there (finalizer)");
        assert!(pod.metadata.deletion_timestamp.is_some(), "{name} is being deleted");
    }
    let out = run(kc, &["eval", "projectcalico.org/namespace == 'ipsrc'", "--context", "cluster-a"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        stdout(&out),
        "Endpoints matching selector projectcalico.org/namespace == 'ipsrc':\n\
         \x20 Workload endpoint cluster-b/node-b1/k8s/ipsrc.aws-ips/eth0\n\
         \x20 Workload endpoint cluster-b/node-b1/k8s/ipsrc.calico-ip/eth0\n\
         \x20 Workload endpoint cluster-b/node-b1/k8s/ipsrc.calico-ips/eth0\n\
         \x20 Workload endpoint cluster-b/node-b1/k8s/ipsrc.terminating/eth0\n"
    );
    // eval reads pods as protobuf: the same pods read as JSON give the same fields (every IP
    // source, deletion, host networking, labels), so its verdicts above are JSON's too.
    use libfed::pod_filter::PodFilter;
    use libfed::pod_list::{PodEncoding, list_pods, list_pods_protobuf};
    let key = |p: &libfed::workload::PodInfo| (p.metadata.namespace.clone(), p.metadata.name.clone());
    let everything = PodFilter::everything();
    let mut proto =
        list_pods_protobuf(&b, &everything).await.expect("listed").expect("the API server serves pods as protobuf");
    let mut json = list_pods(&b, PodEncoding::Json, &everything).await.expect("pods as JSON");
    proto.sort_by_key(key);
    json.sort_by_key(key);
    assert_eq!(proto, json);
    let ipsrc: Vec<_> = proto.iter().filter(|p| p.metadata.namespace.as_deref() == Some("ipsrc")).collect();
    assert_eq!(ipsrc.len(), 8, "{ipsrc:?}");
    assert!(ipsrc.iter().filter(|p| p.metadata.deletion_timestamp.is_some()).count() == 2, "{ipsrc:?}");
    assert!(ipsrc.iter().any(|p| p.spec.host_network == Some(true)), "{ipsrc:?}");
    assert!(ipsrc.iter().any(|p| p.metadata.annotations.as_ref().is_some_and(|a| a.len() == 1)), "{ipsrc:?}");
}

#[tokio::test]
async fn an_invalid_selector_points_at_the_bad_token() {
    let dir = tempfile::tempdir().expect("dir");
    // No cluster is needed: the selector is checked before anything is read.
    let out = run(&dir.path().join("missing-kubeconfig"), &["eval", "app == 'web' && = x"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error: invalid selector"), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    let sel = lines.iter().position(|l| l.trim_start() == "app == 'web' && = x").expect("selector echoed");
    // The caret stands under the lone `=`, the first token that cannot be parsed.
    let bad = lines[sel].find("= x").expect("bad token");
    assert_eq!(lines[sel + 1].find('^'), Some(bad), "{err}");
}

/// `eval` lets the API server leave out pods that cannot match (`PodFilter::for_selector`: a
/// label selector and the namespaces to list). Over seeded random selectors (every operator,
/// Calico's own keys, a pod label spoofing one, keys and values Kubernetes refuses, `&&`, `||`,
/// `!`) on pods with random labels in three namespaces, the endpoints matched among the filtered
/// pods are exactly those matched among all pods, in protobuf and in JSON; and the filter does
/// leave pods out (the test would notice it doing nothing).
async fn the_api_servers_filter_never_loses_a_match(env: &testenv::Env) {
    use libfed::calico::selector::Selector;
    use libfed::eval::{fetch_workloads, match_pods};
    use libfed::pod_filter::PodFilter;
    use libfed::pod_list::{PodEncoding, list_pods};
    const KEYS: [&str; 7] =
        ["app", "tier", "version", "example.com/team", "canary", "pcns.team", "projectcalico.org/namespace"];
    const VALUES: [&str; 6] = ["web", "api", "db", "v1-stable", "f1", "f2"];
    let a = env.client("cluster-a").await.expect("a");
    let mut rng = fastrand::Rng::with_seed(16);
    for ns in ["f1", "f2", "f3"] {
        namespace(&a, ns).await;
        for i in 0..12 {
            let mut labels = serde_json::Map::new();
            for key in KEYS {
                if rng.u8(0..3) > 0 {
                    labels.insert(key.to_owned(), json!(VALUES[rng.usize(0..VALUES.len())]));
                }
            }
            let ip = format!("10.1.{}.{}", ns.as_bytes()[1] - b'0', i + 1);
            create_raw_pod(
                &a,
                ns,
                &format!("p{i}"),
                json!({"labels": labels}),
                json!({}),
                json!({"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}]}),
            )
            .await;
        }
    }
    // `eval` lists with `resourceVersion=0`, from the API server's watch cache, which may not
    // hold the last pods created yet: wait until it holds all 36. The cache only moves forward,
    // so every list below sees them too.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let base = loop {
        let base = fetch_workloads(&a, &PodFilter::everything()).await.expect("everything");
        let ours = base
            .pods
            .iter()
            .filter(|p| ["f1", "f2", "f3"].contains(&p.metadata.namespace.as_deref().unwrap_or("")))
            .count();
        if ours == 36 {
            break base;
        }
        assert!(std::time::Instant::now() < deadline, "the watch cache shows {ours} of the 36 pods after 30 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let all_pods = base.pods.len();
    // Values Kubernetes refuses in a label selector, which must stay out of it.
    let odd = ["two words", "-x", "", "Web"];
    let value = |rng: &mut fastrand::Rng| {
        if rng.u8(0..6) == 0 { odd[rng.usize(0..odd.len())] } else { VALUES[rng.usize(0..VALUES.len())] }
    };
    let leaf = |rng: &mut fastrand::Rng| {
        // A key no Kubernetes label can have (an upper-case prefix), now and then.
        let key = if rng.u8(0..10) == 0 { "UPPER.example.com/x" } else { KEYS[rng.usize(0..KEYS.len())] };
        match rng.u8(0..8) {
            0 => format!("has({key})"),
            1 => format!("!has({key})"),
            2 => format!("{key} == '{}'", value(rng)),
            3 => format!("{key} != '{}'", value(rng)),
            4 => format!("{key} in {{'{}', '{}'}}", value(rng), value(rng)),
            5 => format!("{key} not in {{'{}'}}", value(rng)),
            6 => format!("{key} ends with '{}'", ["b", "stable", ""][rng.usize(0..3)]),
            _ => format!("projectcalico.org/namespace in {{'{}', 'f3'}}", ["f1", "f2", "nope", "Bad"][rng.usize(0..4)]),
        }
    };
    let (mut narrowed, mut by_namespace) = (0, 0);
    for n in 0..300 {
        let mut parts: Vec<String> = (0..rng.usize(1..4)).map(|_| leaf(&mut rng)).collect();
        if rng.u8(0..5) == 0 {
            let (x, y) = (leaf(&mut rng), leaf(&mut rng));
            parts.push(format!("({x} || {y})"));
        }
        if rng.u8(0..6) == 0 {
            let x = leaf(&mut rng);
            parts.push(format!("!({x} && {})", leaf(&mut rng)));
        }
        let text = parts.join(" && ");
        let selector = Selector::parse(&text).unwrap_or_else(|e| panic!("selector {n} {text:?}: {e}"));
        let filter = PodFilter::for_selector(&selector);
        let encoding = if n % 10 == 0 { PodEncoding::Json } else { PodEncoding::Protobuf };
        let pods = list_pods(&a, encoding, &filter)
            .await
            .unwrap_or_else(|e| panic!("{text:?}: the filter {filter:?} was refused: {e}"));
        narrowed += usize::from(pods.len() < all_pods);
        by_namespace += usize::from(filter.namespaces.is_some());
        let filtered = libfed::eval::ClusterWorkloads { pods, ..base.clone() };
        assert_eq!(
            match_pods(&selector, &filtered, None),
            match_pods(&selector, &base, None),
            "{text:?} with the filter {filter:?}"
        );
    }
    assert!(
        narrowed > 150 && by_namespace > 30,
        "the filter left pods out for {narrowed} selectors of 300, by namespace {by_namespace}"
    );
}

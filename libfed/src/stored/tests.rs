use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use proptest::prelude::*;

use super::source::{Connection, Refusal, rcc_connection};
use super::*;
use crate::calico::rcc::{RemoteClusterConfigurationSpec, SecretReference};

const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.SECRETTOKEN.c2ln";
/// Base64 of a PEM block whose body is a marker: only parsed, never trusted.
fn b64_pem(tag: &str, body: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("-----BEGIN {tag}-----\n{body}\n-----END {tag}-----\n"))
}
fn ca() -> String {
    b64_pem("CERTIFICATE", "Q0FNQVJLRVI=")
}

fn kubeconfig(cluster: &str, user: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: x\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\nclusters:\n- name: c\n  cluster:\n{cluster}users:\n- name: u\n  user:\n{user}"
    )
}

fn good_cluster() -> String {
    format!("    server: https://127.0.0.1:6443\n    certificate-authority-data: {}\n", ca())
}

fn token_user() -> String {
    format!("    token: {TOKEN}\n")
}

fn problems(text: &str) -> String {
    let stored = inspect(text).expect("parses");
    assert!(stored.safe().is_none() || stored.problems.is_empty());
    let all = stored.problems.join("; ");
    assert!(!all.contains("SECRETTOKEN") && !all.contains("CAMARKER") && !all.contains("KEYMARKER"), "{all}");
    all
}

#[test]
fn the_self_contained_shape_is_accepted() {
    let stored = inspect(&kubeconfig(&good_cluster(), &token_user())).expect("parses");
    assert!(stored.problems.is_empty(), "{:?}", stored.problems);
    let safe = stored.safe().expect("safe");
    assert_eq!(safe.server(), "https://127.0.0.1:6443");
    assert_eq!(safe.token().map(Sensitive::expose), Some(TOKEN));
    assert!(!format!("{safe:?}").contains("SECRETTOKEN"));
    let cert_user = format!(
        "    client-certificate-data: {}\n    client-key-data: {}\n",
        b64_pem("CERTIFICATE", "Q0VSVA=="),
        b64_pem("EC PRIVATE KEY", "S0VZTUFSS0VS")
    );
    assert_eq!(problems(&kubeconfig(&good_cluster(), &cert_user)), "");
}

#[test]
fn everything_that_runs_opens_or_leaks_is_refused_by_field() {
    let cases: Vec<(String, String, &str)> = vec![
        (
            good_cluster(),
            "    exec: {command: /bin/sh, apiVersion: client.authentication.k8s.io/v1}\n".into(),
            "users[0].user.exec: runs a program",
        ),
        (
            good_cluster(),
            "    auth-provider: {name: gcp, config: {cmd-path: /bin/sh}}\n".into(),
            "users[0].user.auth-provider",
        ),
        (good_cluster(), "    tokenFile: /etc/passwd\n".into(), "users[0].user.tokenFile: a file path"),
        (
            good_cluster(),
            "    client-certificate: /a\n    client-key: /b\n".into(),
            "users[0].user.client-key: a file path",
        ),
        (good_cluster(), "    username: a\n    password: SECRETTOKEN\n".into(), "users[0].user.password: basic"),
        (
            "    server: https://h\n    certificate-authority: /etc/ca\n".into(),
            token_user(),
            "clusters[0].cluster.certificate-authority: a file path",
        ),
        (
            format!("{}    proxy-url: http://127.0.0.1:1\n", good_cluster()),
            token_user(),
            "clusters[0].cluster.proxy-url",
        ),
        (
            format!("{}    insecure-skip-tls-verify: true\n", good_cluster()),
            token_user(),
            "insecure-skip-tls-verify: turns TLS verification off",
        ),
        (
            format!("    server: http://127.0.0.1:1\n    certificate-authority-data: {}\n", ca()),
            token_user(),
            "server: http:// would send the token in clear text",
        ),
        (
            format!("    server: notaurl\n    certificate-authority-data: {}\n", ca()),
            token_user(),
            "server: has no scheme",
        ),
        (
            format!("    server: https://user:SECRETTOKEN@h\n    certificate-authority-data: {}\n", ca()),
            token_user(),
            "user:password",
        ),
        (
            format!("    server: https://\n    certificate-authority-data: {}\n", ca()),
            token_user(),
            "clusters[0].cluster.server",
        ),
        ("    server: https://h\n".into(), token_user(), "certificate-authority-data: missing"),
        ("    server: https://h\n    certificate-authority-data: 'SECRETTOKEN!!'\n".into(), token_user(), "not base64"),
        (good_cluster(), "    token: [SECRETTOKEN]\n".into(), "users[0].user.token: not a string"),
        (good_cluster(), "    token: \"SECRET\\nTOKEN\"\n".into(), "not a bearer token"),
        (good_cluster(), "    {}\n".into(), "no token"),
        (good_cluster(), format!("    client-key-data: {}\n", b64_pem("PRIVATE KEY", "S0VZTUFSS0VS")), "go together"),
    ];
    for (cluster, user, needle) in cases {
        let text = kubeconfig(&cluster, &user);
        let all = problems(&text);
        assert!(all.contains(needle), "{needle:?} not in {all:?} for\n{text}");
    }
    assert!(problems("just a string").contains("not a mapping"));
    assert!(problems("current-context: 5\n").contains("current-context: not a string"));
    assert!(problems("current-context: x\ncontexts: {}\n").contains("contexts: not a list"));
    assert!(problems("current-context: x\ncontexts: [{name: y}]\n").contains("no entry has the name"));
}

#[test]
fn parse_errors_next_to_secrets_quote_nothing() {
    let key = b64_pem("PRIVATE KEY", "S0VZTUFSS0VS");
    for text in [
        format!("users:\n- name: u\n  user:\n    token: {TOKEN}\n   bad: [\n"),
        format!("users:\n- name: u\n  user: {{token: {TOKEN}, client-key-data: {key}\n"),
        format!("clusters:\n- cluster:\n    certificate-authority-data: {}\n  - : :\n\t{TOKEN}", ca()),
        format!("{{\"users\": [{{\"user\": {{\"token\": \"{TOKEN}\"}}]}}"),
        format!("token: {TOKEN}\ntoken: {TOKEN}\n"),
    ] {
        let err = inspect(&text).expect_err("malformed");
        let shown = err.to_string();
        assert!(!shown.contains("SECRETTOKEN") && !shown.contains("KEYMARKER") && !shown.contains("S0VZ"), "{shown}");
        assert!(shown.contains("line"), "{shown}");
    }
}

fn secret(pairs: &[(&str, &str)]) -> Secret {
    Secret {
        data: Some(
            pairs.iter().map(|(k, v)| ((*k).to_owned(), ByteString(v.as_bytes().to_vec()))).collect::<BTreeMap<_, _>>(),
        ),
        ..Default::default()
    }
}

#[test]
fn calico_datastore_rules() {
    assert_eq!(secret_kubeconfig(&secret(&[("datastoreType", "kubernetes"), ("kubeconfig", "x")])), Ok("x".into()));
    assert!(matches!(secret_kubeconfig(&secret(&[("kubeconfig", "x")])), Err(Refusal::ConfigIncomplete(_))));
    assert!(matches!(
        secret_kubeconfig(&secret(&[("datastoreType", "mysql"), ("kubeconfig", "x")])),
        Err(Refusal::ConfigIncomplete(_))
    ));
    assert!(matches!(
        secret_kubeconfig(&secret(&[("datastoreType", "etcdv3"), ("kubeconfig", "x")])),
        Err(Refusal::Unreadable(_))
    ));
    let shown = secret_kubeconfig(&secret(&[("datastoreType", "SECRETTOKEN")])).expect_err("refused").to_string();
    assert!(shown.contains("ConfigIncomplete") && !shown.contains("SECRETTOKEN"), "{shown}");
    assert!(matches!(
        secret_kubeconfig(&secret(&[("datastoreType", "kubernetes")])),
        Err(Refusal::ConfigIncomplete(_))
    ));
}

#[test]
fn inline_rccs_follow_calico_and_the_self_contained_rule() {
    let reference = SecretReference { name: "s".into(), namespace: "n".into(), kind: None };
    let spec = |f: &dyn Fn(&mut RemoteClusterConfigurationSpec)| {
        let mut s = RemoteClusterConfigurationSpec::default();
        f(&mut s);
        rcc_connection(&s)
    };
    assert_eq!(spec(&|s| s.cluster_access_secret = Some(reference.clone())), Ok(Connection::Secret(reference.clone())));
    let mixed = spec(&|s| {
        s.cluster_access_secret = Some(reference.clone());
        s.k8s_api_endpoint = Some("https://h".into());
    });
    assert!(matches!(mixed, Err(Refusal::ConfigIncomplete(m)) if m.contains("k8sAPIEndpoint")));
    assert!(matches!(spec(&|_| {}), Err(Refusal::ConfigIncomplete(_))));
    let text = kubeconfig(&good_cluster(), &token_user());
    let inline = spec(&|s| {
        s.datastore_type = Some("kubernetes".into());
        s.kubeconfig_inline = Some(Sensitive::new(text.clone()));
    });
    assert_eq!(inline, Ok(Connection::Inline(Sensitive::new(text.clone()))));
    // Unset datastoreType is etcdv3 for inline RCCs.
    let unset = spec(&|s| s.kubeconfig_inline = Some(Sensitive::new(text.clone())));
    assert!(matches!(unset, Err(Refusal::Unreadable(_))));
    for (field, refusal) in [
        (
            "kubeconfig",
            spec(&|s| {
                s.datastore_type = Some("kubernetes".into());
                s.kubeconfig = Some("/etc/kubeconfig".into());
            }),
        ),
        (
            "k8sCAFile",
            spec(&|s| {
                s.datastore_type = Some("kubernetes".into());
                s.k8s_api_endpoint = Some("https://h".into());
                s.k8s_ca_file = Some("/ca".into());
            }),
        ),
        (
            "k8sInsecureSkipTLSVerify",
            spec(&|s| {
                s.datastore_type = Some("kubernetes".into());
                s.k8s_api_endpoint = Some("https://h".into());
                s.k8s_insecure_skip_tls_verify = Some(true);
            }),
        ),
        (
            "k8sAPIEndpoint",
            spec(&|s| {
                s.datastore_type = Some("kubernetes".into());
                s.k8s_api_endpoint = Some("https://h".into());
                s.k8s_api_token = Some(Sensitive::new("SECRETTOKEN"));
            }),
        ),
    ] {
        let refusal = refusal.expect_err(field);
        assert!(matches!(refusal, Refusal::Unsafe(_)), "{refusal:?}");
        assert!(refusal.message().contains(field) && !refusal.message().contains("SECRETTOKEN"), "{refusal}");
    }
}

/// Mutations of a valid kubeconfig with secrets in it: never a panic, never a quoted secret.
fn mutated() -> impl Strategy<Value = String> {
    let base = kubeconfig(
        &format!("{}    proxy-url: http://127.0.0.1:1\n", good_cluster()),
        &format!("{}    exec: {{command: /bin/sh}}\n", token_user()),
    );
    let len = base.len();
    (prop::collection::vec((0..len, any::<u8>(), 0..4u8), 1..8)).prop_map(move |edits| {
        let mut bytes = base.clone().into_bytes();
        for (at, byte, op) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            match op {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                2 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, b"[{:&*!|>-#\n\t\"'"[usize::from(byte) % 14]),
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_kubeconfigs_never_panic_nor_leak(text in mutated()) {
        let shown = match inspect(&text) {
            Ok(stored) => stored.problems.join("; "),
            Err(e) => e.to_string(),
        };
        prop_assert!(!shown.contains("SECRETTOKEN"), "{}", shown);
        prop_assert!(!shown.contains("Q0FNQVJLRVI"), "{}", shown);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = inspect(&text);
    }
}

/// The one way: kube's kubeconfig loader (which runs exec plugins and reads files) is called only
/// where the user's own kubeconfig is loaded, never by a reader of stored data.
#[test]
fn only_the_users_kubeconfig_reaches_kubes_loader() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    walk(&root.join("../kubectl-federate/src"), &mut files);
    // cluster.rs: contexts of the user's kubeconfig; aws_auth.rs: likewise, for aws-auth edits.
    let allowed = ["cluster.rs", "aws_auth.rs"];
    for f in files.into_iter().filter(|f| !f.ends_with("stored/tests.rs")) {
        let text = std::fs::read_to_string(&f).expect("read");
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        for needle in ["from_custom_kubeconfig", "Config::from_kubeconfig", "ConfigLoader"] {
            assert!(
                !text.contains(needle) || allowed.contains(&name),
                "{} calls kube's kubeconfig loader ({needle}): stored data must go through libfed::stored",
                f.display()
            );
        }
    }
}

#[test]
fn secret_references_that_would_reach_a_request_path_are_refused() {
    let with = |name: &str, namespace: &str| {
        let s = RemoteClusterConfigurationSpec {
            cluster_access_secret: Some(SecretReference { name: name.into(), namespace: namespace.into(), kind: None }),
            ..Default::default()
        };
        rcc_connection(&s)
    };
    assert!(with("remote-a", "").is_ok(), "an empty namespace means default");
    for (name, namespace, field) in [
        ("../../api/v1/secrets", "kube-system", "spec.clusterAccessSecret.name"),
        ("s", "../kube-system", "spec.clusterAccessSecret.namespace"),
        ("s", "Bad/NS", "spec.clusterAccessSecret.namespace"),
        ("s?watch=1", "n", "spec.clusterAccessSecret.name"),
    ] {
        let refusal = with(name, namespace).expect_err(name);
        assert!(matches!(refusal, Refusal::Unsafe(_)), "{refusal:?}");
        assert!(refusal.message().starts_with(field), "{field}: {refusal}");
    }
}

/// Found by the `stored_kubeconfig` fuzz target: a malformed document turned CA data into part of
/// a key (`S0VZ…certificate-authority-data:`), and the refusal named the unknown key verbatim.
/// Keys are stored data too: only field-like keys are shown.
#[test]
fn an_unknown_key_holding_secret_bytes_is_not_quoted() {
    let text = "apiVersion: v1\nkind: Config\ncurrent-context: x\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:6443\n    S0VZTUFSS0VScertificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==\nusers:\n- name: u\n  user:\n    atth-provider: {name: gcp}\n    eyJhbGciOiJSUzI1NiJ9.SECRETTOKEN: x\n";
    let stored = inspect(text).expect("parses");
    let shown = stored.problems.join("; ");
    assert!(!shown.contains("S0VZ") && !shown.contains("SECRETTOKEN") && !shown.contains("eyJ"), "{shown}");
    assert!(shown.contains("users[0].user.atth-provider: not a field"), "a field-like typo is still named: {shown}");
    assert!(shown.contains("<a key of 38 bytes, not shown"), "{shown}");
}

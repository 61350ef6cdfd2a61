//! AWS and EKS: `eks token`, `eks kubeconfig`, `aws-auth` and `--access-entries`, against a moto
//! server on loopback (tests/moto/launcher.py, which adds the EKS behaviour moto lacks) and the
//! real kube-apiservers of the test environment. Nothing here reaches real AWS: every AWS call
//! goes to the launcher through AWS_ENDPOINT_URL, with static fake credentials and empty AWS
//! config files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::SystemTime;

use base64::Engine;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;
use kube::api::{DeleteParams, ObjectMeta, PostParams};
use serde_json::{Value, json};

use testenv::moto::{ACCESS_KEY, ACCOUNT, Moto, REGION, SECRET_KEY, hermetic_aws_env};

const AWS_AUTH_CLUSTER: &str = "cluster-a";

// ---- helpers -------------------------------------------------------------------------------

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate sits in the workspace").to_path_buf()
}

/// The workspace's `kubectl-federate` (see `testenv::federate::binary`: built by `make test`, never
/// by the tests themselves, and refused when older than its sources).
fn federate_binary() -> &'static Path {
    testenv::federate::binary()
}

/// The same configuration as [`Moto::env`], for calling libfed directly.
async fn sdk_config(moto: &Moto) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(&moto.url)
        .credentials_provider(aws_credential_types::Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "test"))
        .load()
        .await
}

async fn eks_client(moto: &Moto) -> aws_sdk_eks::Client {
    aws_sdk_eks::Client::new(&sdk_config(moto).await)
}

fn federate(moto: &Moto, args: &[&str]) -> Output {
    let mut cmd = Command::new(federate_binary());
    moto.env(&mut cmd);
    cmd.args(args).output().expect("run kubectl-federate")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit code\n--- stdout\n{}\n--- stderr\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

const FAKE_CA_PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIBfakefakefake\n-----END CERTIFICATE-----\n";

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A kubeconfig whose context's user runs `kubectl-federate eks token --cluster CLUSTER`, so
/// `--access-entries` can find the EKS cluster name without `--cluster`. Its server is never
/// contacted by access-entry commands.
fn eks_context_kubeconfig(dir: &Path, cluster: &str) -> PathBuf {
    let path = dir.join(format!("kubeconfig-{cluster}"));
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: eks\nclusters:\n- name: eks\n  cluster: {{server: 'https://127.0.0.1:9'}}\n\
         contexts:\n- name: eks\n  context: {{cluster: eks, user: eks}}\nusers:\n- name: eks\n  user:\n    exec:\n      \
         apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubectl-federate\n      \
         args: [eks, token, --cluster, {cluster}, --region, {REGION}]\n"
    );
    std::fs::write(&path, text).expect("kubeconfig");
    path
}

// ---- eks token -----------------------------------------------------------------------------

#[test]
fn eks_token_is_signed_with_the_configured_credentials_and_region() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("config"), "").expect("config");
    std::fs::write(dir.path().join("credentials"), "").expect("credentials");
    let mut cmd = Command::new(federate_binary());
    hermetic_aws_env(&mut cmd, dir.path());
    let info =
        r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
    let before = jiff::Timestamp::now();
    let out = cmd.args(["eks", "token", "--cluster", "prod"]).env("KUBERNETES_EXEC_INFO", info).output().expect("run");
    assert_exit(&out, 0);
    assert!(out.stderr.is_empty(), "nothing but the credential is printed: {}", text(&out.stderr));

    let credential: Value = serde_json::from_slice(&out.stdout).expect("ExecCredential JSON");
    assert_eq!(credential["kind"], "ExecCredential");
    assert_eq!(credential["apiVersion"], "client.authentication.k8s.io/v1", "echoes KUBERNETES_EXEC_INFO");
    let token = credential["status"]["token"].as_str().expect("token");
    let url = text(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token.strip_prefix("k8s-aws-v1.").expect("prefix"))
            .expect("base64url"),
    );
    assert!(
        url.starts_with("https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&"),
        "{url}"
    );
    assert!(url.contains(&format!("X-Amz-Credential={ACCESS_KEY}%2F")), "{url}");

    // Re-signing with the same inputs at the token's own X-Amz-Date must give the same bytes:
    // the binary used exactly the environment's credentials, region and cluster name.
    let date = url.split('&').find_map(|p| p.strip_prefix("X-Amz-Date=")).expect("X-Amz-Date");
    let signed_at = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", date)
        .expect("date")
        .to_zoned(jiff::tz::TimeZone::UTC)
        .expect("utc")
        .timestamp();
    let credentials = aws_credential_types::Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "test");
    let again = libfed::aws::presign_token(&credentials, REGION, "prod", SystemTime::from(signed_at)).expect("sign");
    assert_eq!(again.token, token);

    let expiry: jiff::Timestamp =
        credential["status"]["expirationTimestamp"].as_str().expect("expiry").parse().expect("RFC 3339");
    assert_eq!(expiry, signed_at + jiff::SignedDuration::from_mins(14));
    assert!(signed_at >= before.round(jiff::Unit::Second).expect("round") - jiff::SignedDuration::from_secs(1));
}

#[test]
fn eks_token_without_a_region_is_a_usage_error_with_a_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("config"), "").expect("config");
    std::fs::write(dir.path().join("credentials"), "").expect("credentials");
    let mut cmd = Command::new(federate_binary());
    hermetic_aws_env(&mut cmd, dir.path());
    let out = cmd.env_remove("AWS_REGION").args(["eks", "token", "--cluster", "prod"]).output().expect("run");
    assert_exit(&out, 2);
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.contains("no AWS region") && err.contains("hint: pass --region"), "{err}");
}

#[test]
fn eks_token_without_credentials_says_so_without_sdk_noise() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("config"), "").expect("config");
    std::fs::write(dir.path().join("credentials"), "").expect("credentials");
    let mut cmd = Command::new(federate_binary());
    hermetic_aws_env(&mut cmd, dir.path());
    let out = cmd
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["eks", "token", "--cluster", "prod"])
        .output()
        .expect("run");
    let err = text(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(out.stdout.is_empty());
    testenv::output::assert_clean(&out, "eks token without credentials");
    assert!(!err.contains(" WARN ") && !err.contains("WARN "), "the SDK's own warnings stay out of stderr: {err}");
    assert!(err.starts_with("error:") && err.contains("hint:"), "{err}");
}

/// The access key a token was signed with (`X-Amz-Credential=KEY/…` in the presigned URL).
fn signing_key(out: &Output) -> String {
    let credential: Value = serde_json::from_slice(&out.stdout).expect("ExecCredential JSON");
    let token = credential["status"]["token"].as_str().expect("token");
    let url = text(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token.strip_prefix("k8s-aws-v1.").expect("prefix"))
            .expect("base64url"),
    );
    let credential = url.split('&').find_map(|p| p.strip_prefix("X-Amz-Credential=")).expect("X-Amz-Credential");
    credential.split("%2F").next().expect("key").to_owned()
}

#[test]
fn profile_and_role_arn_choose_the_identity_like_the_aws_cli() {
    let moto = Moto::start(&json!({}));
    // --profile: that profile's keys, even with other keys in the environment (as `aws --profile`).
    std::fs::write(
        moto.dir.path().join("credentials"),
        "[other]\naws_access_key_id = AKIDOTHERPROFILE\naws_secret_access_key = other/secret\n",
    )
    .expect("credentials");
    let out = federate(&moto, &["eks", "token", "--cluster", "prod", "--profile", "other"]);
    assert_exit(&out, 0);
    assert_eq!(signing_key(&out), "AKIDOTHERPROFILE");
    let out = federate(&moto, &["eks", "token", "--cluster", "prod"]);
    assert_eq!(signing_key(&out), ACCESS_KEY, "without --profile, the environment's keys");
    // --role-arn: STS AssumeRole (moto on loopback) first, then signed as the role.
    let role = format!("arn:aws:iam::{ACCOUNT}:role/federate");
    let out = federate(&moto, &["eks", "token", "--cluster", "prod", "--role-arn", &role]);
    assert_exit(&out, 0);
    let key = signing_key(&out);
    assert!(key.starts_with("ASIA") && key != ACCESS_KEY, "temporary credentials of the role: {key}");
    // A missing profile is an error naming it, with a hint.
    let out = federate(&moto, &["eks", "token", "--cluster", "prod", "--profile", "nosuch"]);
    assert_ne!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(err.contains("nosuch") && err.contains("hint:"), "{err}");
}

// ---- DescribeCluster -----------------------------------------------------------------------

#[tokio::test]
async fn describe_cluster_returns_the_endpoint_ca_and_authentication_mode() {
    let moto = Moto::start(&json!({
        "api": {"endpoint": "https://127.0.0.1:6443", "caData": b64(FAKE_CA_PEM), "authenticationMode": "API_AND_CONFIG_MAP"},
        "legacy": {},
    }));
    let config = sdk_config(&moto).await;
    let cluster = libfed::aws::describe_cluster(&config, "api").await.expect("describe");
    assert_eq!(cluster.endpoint, "https://127.0.0.1:6443");
    assert_eq!(cluster.ca_data, b64(FAKE_CA_PEM), "CA data is passed through as given");
    assert_eq!(cluster.auth_mode, libfed::aws::AuthenticationMode::ApiAndConfigMap);
    assert_eq!(cluster.arn.as_deref(), Some(format!("arn:aws:eks:{REGION}:{ACCOUNT}:cluster/api").as_str()));
    assert_eq!(cluster.region.as_deref(), Some(REGION));

    let legacy = libfed::aws::describe_cluster(&config, "legacy").await.expect("describe");
    assert_eq!(legacy.auth_mode, libfed::aws::AuthenticationMode::ConfigMap);

    let err = libfed::aws::describe_cluster(&config, "missing").await.expect_err("no such cluster");
    assert!(matches!(err, libfed::Error::Aws { action: "eks DescribeCluster", .. }), "{err:?}");
    let chain: Vec<String> =
        std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source()).map(|e| e.to_string()).collect();
    assert!(
        chain.iter().any(|m| m.contains("ResourceNotFoundException") || m.contains("No cluster found")),
        "{chain:?}"
    );
}

// ---- eks kubeconfig ------------------------------------------------------------------------

fn view(path: &Path) -> Value {
    let out = Command::new("kubectl")
        .args(["config", "view", "--raw", "-o", "json", "--kubeconfig"])
        .arg(path)
        .env_remove("KUBECONFIG")
        .output()
        .expect("kubectl");
    assert!(out.status.success(), "kubectl config view {}: {}", path.display(), text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

fn merged_view(chain: &str) -> Value {
    let out = Command::new("kubectl")
        .args(["config", "view", "--raw", "-o", "json"])
        .env("KUBECONFIG", chain)
        .output()
        .expect("kubectl");
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

fn kubectl_config(chain: &str, args: &[&str]) {
    let out = Command::new("kubectl").arg("config").args(args).env("KUBECONFIG", chain).output().expect("kubectl");
    assert!(out.status.success(), "kubectl config {args:?}: {}", text(&out.stderr));
}

#[test]
fn eks_kubeconfig_writes_what_kubectl_writes() {
    let ca = b64(FAKE_CA_PEM);
    let moto = Moto::start(&json!({"prod": {"endpoint": "https://prod.example:443", "caData": ca}}));
    let arn = format!("arn:aws:eks:{REGION}:{ACCOUNT}:cluster/prod");
    // Two files: `first` (absent: kubectl skips it), `second` with an unrelated context, `third`
    // already defining the cluster entry with a stale server and a field we do not set.
    let other = "apiVersion: v1\nkind: Config\ncurrent-context: other\nclusters:\n- name: other\n  cluster: {server: 'https://other:6443'}\ncontexts:\n- name: other\n  context: {cluster: other, user: other, namespace: team}\nusers:\n- name: other\n  user: {token: t0k3n}\n";
    let stale = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: {arn}\n  cluster:\n    server: https://stale:443\n    proxy-url: http://proxy:3128\n"
    );
    let setup = |dir: &Path| -> String {
        std::fs::write(dir.join("second"), other).expect("second");
        std::fs::write(dir.join("third"), &stale).expect("third");
        ["first", "second", "third"].map(|f| dir.join(f).display().to_string()).join(":")
    };
    let ours = tempfile::tempdir().expect("tempdir");
    let theirs = tempfile::tempdir().expect("tempdir");
    let (our_chain, their_chain) = (setup(ours.path()), setup(theirs.path()));

    let mut cmd = Command::new(federate_binary());
    moto.env(&mut cmd);
    let out = cmd
        .env("KUBECONFIG", &our_chain)
        .args(["eks", "kubeconfig", "--cluster", "prod", "--alias", "prod"])
        .output()
        .expect("run");
    assert_exit(&out, 0);
    assert_eq!(text(&out.stdout), format!("Added new context prod to {}\n", ours.path().join("second").display()));

    // The same change made with kubectl itself.
    let region_args = [
        "--exec-arg=eks",
        "--exec-arg=token",
        "--exec-arg=--cluster",
        "--exec-arg=prod",
        "--exec-arg=--region",
        &format!("--exec-arg={REGION}"),
    ];
    kubectl_config(&their_chain, &["set-cluster", &arn, "--server=https://prod.example:443"]);
    kubectl_config(&their_chain, &["set", &format!("clusters.{arn}.certificate-authority-data"), &ca]);
    let mut creds = vec![
        "set-credentials",
        arn.as_str(),
        "--exec-command=kubectl-federate",
        "--exec-api-version=client.authentication.k8s.io/v1beta1",
    ];
    creds.extend(region_args.iter().map(|s| &**s));
    kubectl_config(&their_chain, &creds);
    kubectl_config(&their_chain, &["set-context", "prod", &format!("--cluster={arn}"), &format!("--user={arn}")]);
    kubectl_config(&their_chain, &["use-context", "prod"]);

    for file in ["second", "third"] {
        assert_eq!(view(&ours.path().join(file)), view(&theirs.path().join(file)), "{file} differs from kubectl's");
    }
    assert!(!ours.path().join("first").exists(), "kubectl does not create the missing first file either");
    assert_eq!(merged_view(&our_chain), merged_view(&their_chain));
    let third = view(&ours.path().join("third"));
    assert_eq!(third["clusters"][0]["cluster"]["proxy-url"], "http://proxy:3128", "fields we do not set are kept");

    // A second run writes nothing.
    let before: BTreeMap<&str, String> = ["second", "third"]
        .into_iter()
        .map(|f| (f, std::fs::read_to_string(ours.path().join(f)).expect("read")))
        .collect();
    let mut cmd = Command::new(federate_binary());
    moto.env(&mut cmd);
    let out = cmd
        .env("KUBECONFIG", &our_chain)
        .args(["-o", "json", "eks", "kubeconfig", "--cluster", "prod", "--alias", "prod"])
        .output()
        .expect("run");
    assert_exit(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!(report["action"], "unchanged");
    for (f, content) in before {
        assert_eq!(std::fs::read_to_string(ours.path().join(f)).expect("read"), content, "{f} rewritten");
    }
}

#[test]
fn eks_kubeconfig_creates_a_private_file_and_names_a_missing_cluster() {
    use std::os::unix::fs::PermissionsExt;
    let moto = Moto::start(&json!({"prod": {"endpoint": "https://prod.example:443", "caData": b64(FAKE_CA_PEM)}}));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("new").join("config");
    let out =
        federate(&moto, &["--kubeconfig", path.to_str().expect("utf8"), "eks", "kubeconfig", "--cluster", "prod"]);
    assert_exit(&out, 0);
    assert_eq!(std::fs::metadata(&path).expect("created").permissions().mode() & 0o777, 0o600);
    let v = view(&path);
    let arn = format!("arn:aws:eks:{REGION}:{ACCOUNT}:cluster/prod");
    assert_eq!(
        v["current-context"],
        arn.as_str(),
        "without --alias the context is named after the ARN, like the aws CLI"
    );

    let out =
        federate(&moto, &["--kubeconfig", path.to_str().expect("utf8"), "eks", "kubeconfig", "--cluster", "nope"]);
    assert_exit(&out, 1);
    let err = text(&out.stderr);
    assert!(err.contains("cannot describe EKS cluster nope") && err.contains("hint:"), "{err}");
}

#[test]
fn concurrent_eks_kubeconfig_runs_keep_every_context() {
    const RUNS: usize = 8;
    let clusters: serde_json::Map<String, Value> = (0..RUNS)
        .map(|i| {
            (format!("c{i}"), json!({"endpoint": format!("https://c{i}.example:443"), "caData": b64(FAKE_CA_PEM)}))
        })
        .collect();
    let moto = Moto::start(&Value::Object(clusters));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Config\ncontexts:\n- name: keep\n  context: {cluster: keep, user: keep}\n",
    )
    .expect("existing");
    let children: Vec<_> = (0..RUNS)
        .map(|i| {
            let mut cmd = Command::new(federate_binary());
            moto.env(&mut cmd);
            let cluster = format!("c{i}");
            cmd.args(["--kubeconfig", path.to_str().expect("utf8"), "eks", "kubeconfig", "--cluster", &cluster])
                .args(["--alias", &cluster])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert_exit(&out, 0);
        assert!(!text(&out.stderr).contains("panicked"));
    }
    let v = view(&path);
    let mut contexts: Vec<String> = v["contexts"]
        .as_array()
        .expect("contexts")
        .iter()
        .map(|c| c["name"].as_str().expect("name").to_string())
        .collect();
    contexts.sort();
    let mut expected: Vec<String> = (0..RUNS).map(|i| format!("c{i}")).collect();
    expected.push("keep".into());
    assert_eq!(contexts, expected, "a concurrent run lost another's context");
    assert_eq!(v["users"].as_array().expect("users").len(), RUNS);
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into())
        .collect();
    assert_eq!(left, ["config"], "no lock or temporary file left behind");
}

#[test]
fn an_eks_endpoint_that_is_not_https_is_refused_and_nothing_is_written() {
    let moto = Moto::start(&json!({
        "plain": {"endpoint": "http://plain.example:80", "caData": b64(FAKE_CA_PEM)},
        "bare": {"endpoint": "bare.example:443", "caData": b64(FAKE_CA_PEM)},
    }));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config");
    for cluster in ["plain", "bare"] {
        let out =
            federate(&moto, &["--kubeconfig", path.to_str().expect("utf8"), "eks", "kubeconfig", "--cluster", cluster]);
        assert_exit(&out, 1);
        let err = text(&out.stderr);
        assert!(err.contains("the endpoint is refused") && err.contains("hint:"), "{cluster}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!path.exists(), "{cluster}: a kubeconfig was written");
    }
}

#[test]
fn eks_kubeconfig_writes_through_a_symlink_and_tightens_an_open_file() {
    use std::os::unix::fs::PermissionsExt;
    let moto = Moto::start(&json!({"prod": {"endpoint": "https://prod.example:443", "caData": b64(FAKE_CA_PEM)}}));
    let dir = tempfile::tempdir().expect("tempdir");
    let real = dir.path().join("dotfiles").join("kubeconfig");
    std::fs::create_dir_all(real.parent().expect("dir")).expect("mkdir");
    std::fs::write(
        &real,
        "apiVersion: v1\nkind: Config\ncontexts:\n- name: keep\n  context: {cluster: keep, user: keep}\n",
    )
    .expect("real");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let link = dir.path().join("config");
    std::os::unix::fs::symlink("dotfiles/kubeconfig", &link).expect("symlink");

    let out =
        federate(&moto, &["--kubeconfig", link.to_str().expect("utf8"), "eks", "kubeconfig", "--cluster", "prod"]);
    assert_exit(&out, 0);
    let err = text(&out.stderr);
    assert!(err.contains("was mode 0644") && err.contains("now 0600"), "the tightening is reported: {err}");
    assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink(), "the symlink was replaced");
    assert_eq!(std::fs::metadata(&real).expect("real").permissions().mode() & 0o777, 0o600);
    let v = view(&real);
    assert_eq!(v["contexts"].as_array().expect("contexts").len(), 2, "{v}");

    // A private file is not reported again.
    let out = federate(
        &moto,
        &["--kubeconfig", link.to_str().expect("utf8"), "eks", "kubeconfig", "--cluster", "prod", "--alias", "p2"],
    );
    assert_exit(&out, 0);
    assert!(!text(&out.stderr).contains("was mode"), "{}", text(&out.stderr));
}

#[tokio::test]
async fn eks_kubeconfig_context_reaches_the_local_api_server_through_the_token_command() {
    let env = testenv::shared().await;
    let kubeconfig = kube::config::Kubeconfig::read_from(env.kubeconfig_path()).expect("testenv kubeconfig");
    let ca = kubeconfig
        .clusters
        .iter()
        .find(|c| c.name == AWS_AUTH_CLUSTER)
        .and_then(|c| c.cluster.as_ref())
        .and_then(|c| c.certificate_authority_data.clone())
        .expect("the test environment's kubeconfig inlines its CA");
    let moto = Moto::start(&json!({"local": {"endpoint": env.server_url(AWS_AUTH_CLUSTER), "caData": ca}}));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config");
    let out = federate(
        &moto,
        &["--kubeconfig", path.to_str().expect("utf8"), "eks", "kubeconfig", "--cluster", "local", "--alias", "local"],
    );
    assert_exit(&out, 0);

    // kubectl runs `kubectl-federate eks token` from PATH, verifies the server with the CA from
    // DescribeCluster, and sends the token. The test API server has no EKS authenticator, so the
    // token is refused: reaching that refusal proves everything before it worked.
    let bin_dir = federate_binary().parent().expect("bin dir");
    let path_var = std::env::join_paths(
        std::iter::once(bin_dir.to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("PATH");
    let mut kubectl = Command::new("kubectl");
    moto.env(&mut kubectl);
    let out = kubectl
        .env("PATH", path_var)
        .arg("--kubeconfig")
        .arg(&path)
        .args(["get", "--raw", "/api"])
        .output()
        .expect("kubectl");
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("Unauthorized") || err.contains("provide credentials"), "{err}");
    assert!(!err.contains("x509") && !err.contains("executable"), "{err}");
}

// ---- access entries ------------------------------------------------------------------------

async fn access_entry(
    eks: &aws_sdk_eks::Client,
    cluster: &str,
    principal: &str,
) -> Option<aws_sdk_eks::types::AccessEntry> {
    eks.describe_access_entry()
        .cluster_name(cluster)
        .principal_arn(principal)
        .send()
        .await
        .ok()
        .and_then(|o| o.access_entry)
}

async fn associated(eks: &aws_sdk_eks::Client, cluster: &str, principal: &str) -> Vec<String> {
    let out = eks
        .list_associated_access_policies()
        .cluster_name(cluster)
        .principal_arn(principal)
        .send()
        .await
        .expect("list");
    out.associated_access_policies().iter().filter_map(|p| p.policy_arn().map(str::to_string)).collect()
}

#[tokio::test]
async fn access_entries_are_created_once_and_replaced_only_when_asked() {
    let moto = Moto::start(&json!({"api": {"authenticationMode": "API_AND_CONFIG_MAP"}}));
    let eks = eks_client(&moto).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let kc = eks_context_kubeconfig(dir.path(), "api");
    let kc = kc.to_str().expect("utf8");
    let admin = format!("arn:aws:iam::{ACCOUNT}:role/Admin");
    let add = [
        "--kubeconfig",
        kc,
        "aws-auth",
        "add-role",
        &admin,
        "--username",
        "admin",
        "--group",
        "devs,system:masters",
        "--access-entries",
    ];

    let mut dry = add.to_vec();
    dry.push("--dry-run");
    let out = federate(&moto, &dry);
    assert_exit(&out, 0);
    assert!(text(&out.stdout).contains(&format!("would create access entry {admin}")), "{}", text(&out.stdout));
    assert!(access_entry(&eks, "api", &admin).await.is_none(), "a dry run creates nothing");

    let out = federate(&moto, &add);
    assert_exit(&out, 0);
    let entry = access_entry(&eks, "api", &admin).await.expect("created");
    assert_eq!(entry.kubernetes_groups(), ["devs"]);
    assert_eq!(entry.username(), Some("admin"));
    assert_eq!(entry.r#type(), Some("STANDARD"));
    assert_eq!(
        associated(&eks, "api", &admin).await,
        ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"]
    );

    let out = federate(&moto, &add);
    assert_exit(&out, 0);
    assert_eq!(text(&out.stdout), format!("access entry {admin} unchanged\n"));

    let other = [
        "--kubeconfig",
        kc,
        "aws-auth",
        "add-role",
        &admin,
        "--username",
        "admin",
        "--group",
        "ops",
        "--access-entries",
    ];
    let out = federate(&moto, &other);
    assert_exit(&out, 1);
    assert!(text(&out.stderr).contains("hint: pass --replace"), "{}", text(&out.stderr));
    assert_eq!(access_entry(&eks, "api", &admin).await.expect("kept").kubernetes_groups(), ["devs"]);

    let mut replace = other.to_vec();
    replace.push("--replace");
    assert_exit(&federate(&moto, &replace), 0);
    assert_eq!(access_entry(&eks, "api", &admin).await.expect("updated").kubernetes_groups(), ["ops"]);

    let out = federate(&moto, &["--kubeconfig", kc, "aws-auth", "remove", &admin, "--access-entries"]);
    assert_exit(&out, 0);
    assert!(access_entry(&eks, "api", &admin).await.is_none(), "removed");
}

#[tokio::test]
async fn node_roles_become_ec2_linux_access_entries() {
    let moto = Moto::start(&json!({"api": {"authenticationMode": "API"}}));
    let eks = eks_client(&moto).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let kc = eks_context_kubeconfig(dir.path(), "other-name-in-context");
    let node = format!("arn:aws:iam::{ACCOUNT}:role/NodeInstanceRole");
    // --cluster wins over the name in the context's exec arguments.
    let out = federate(
        &moto,
        &[
            "--kubeconfig",
            kc.to_str().expect("utf8"),
            "-o",
            "json",
            "aws-auth",
            "add-node-role",
            &node,
            "--access-entries",
            "--cluster",
            "api",
        ],
    );
    assert_exit(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["authenticationMode"], "API");
    assert_eq!(report["plans"][0]["steps"][0]["action"], "create");
    let entry = access_entry(&eks, "api", &node).await.expect("created");
    assert_eq!(entry.r#type(), Some("EC2_LINUX"));
    assert!(entry.kubernetes_groups().is_empty());
}

#[tokio::test]
async fn access_entries_on_a_config_map_cluster_explain_the_one_way_switch() {
    let moto = Moto::start(&json!({"legacy": {"authenticationMode": "CONFIG_MAP"}}));
    let dir = tempfile::tempdir().expect("tempdir");
    let kc = eks_context_kubeconfig(dir.path(), "legacy");
    let role = format!("arn:aws:iam::{ACCOUNT}:role/Admin");
    let out = federate(
        &moto,
        &[
            "--kubeconfig",
            kc.to_str().expect("utf8"),
            "aws-auth",
            "add-role",
            &role,
            "--username",
            "a",
            "--access-entries",
        ],
    );
    assert_exit(&out, 1);
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "aws eks update-cluster-config --name legacy --access-config authenticationMode=API_AND_CONFIG_MAP"
        ),
        "{err}"
    );
    assert!(err.contains("CONFIG_MAP") && err.contains("cannot be switched back"), "{err}");
    // The mode is the user's decision: the command never switches it.
    let cluster = libfed::aws::describe_cluster(&sdk_config(&moto).await, "legacy").await.expect("describe");
    assert_eq!(cluster.auth_mode, libfed::aws::AuthenticationMode::ConfigMap);
}

// ---- aws-auth against a real API server ----------------------------------------------------

/// Every test here edits the one kube-system/aws-auth of cluster-a, so they take turns.
static AWS_AUTH: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn fresh_aws_auth(env: &testenv::Env) -> Api<ConfigMap> {
    let client = env.client(AWS_AUTH_CLUSTER).await.expect("client");
    let api: Api<ConfigMap> = Api::namespaced(client, "kube-system");
    match api.delete("aws-auth", &DeleteParams::default()).await {
        Ok(_) | Err(kube::Error::Api(_)) => {}
        Err(e) => panic!("delete aws-auth: {e}"),
    }
    api
}

async fn put(api: &Api<ConfigMap>, data: &[(&str, &str)]) -> ConfigMap {
    let cm = ConfigMap {
        metadata: ObjectMeta { name: Some("aws-auth".into()), ..ObjectMeta::default() },
        data: Some(data.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect()),
        ..ConfigMap::default()
    };
    api.create(&PostParams::default(), &cm).await.expect("create aws-auth")
}

fn federate_on(env: &testenv::Env, moto: Option<&Moto>, args: &[&str]) -> Output {
    let mut cmd = Command::new(federate_binary());
    match moto {
        Some(m) => m.env(&mut cmd),
        None => {
            cmd.env_remove("KUBECONFIG").env("NO_COLOR", "1");
        }
    }
    cmd.arg("--kubeconfig").arg(env.kubeconfig_path()).args(["--context", AWS_AUTH_CLUSTER]).args(args);
    cmd.output().expect("run kubectl-federate")
}

fn data_of(cm: &ConfigMap) -> BTreeMap<String, String> {
    cm.data.clone().unwrap_or_default()
}

#[tokio::test]
async fn aws_auth_is_created_when_absent_and_edits_keep_everything_else() {
    let env = testenv::shared().await;
    let _turn = AWS_AUTH.lock().await;
    let api = fresh_aws_auth(env).await;
    let node = "arn:aws:iam::111122223333:role/NodeInstanceRole";
    let out = federate_on(env, None, &["aws-auth", "add-node-role", node]);
    assert_exit(&out, 0);
    assert_eq!(text(&out.stdout), "configmap/aws-auth created\n");
    let created = data_of(&api.get("aws-auth").await.expect("created"));
    assert_eq!(
        created["mapRoles"],
        format!(
            "- rolearn: {node}\n  username: system:node:{{{{EC2PrivateDNSName}}}}\n  groups:\n  - system:bootstrappers\n  - system:nodes\n"
        )
    );

    // Someone edits it by hand: comments, other keys.
    let mut cm = api.get("aws-auth").await.expect("get");
    let by_hand = format!("# nodes, do not remove\n{}  # end of nodes\n", created["mapRoles"]);
    let users =
        "- userarn: arn:aws:iam::111122223333:user/alice  # on call\n  username: alice\n  groups: [system:masters]\n";
    cm.data = Some(BTreeMap::from([
        ("mapRoles".to_string(), by_hand.clone()),
        ("mapUsers".to_string(), users.to_string()),
        ("note".to_string(), "kept: {as: is".to_string()),
    ]));
    let edited = api.replace("aws-auth", &PostParams::default(), &cm).await.expect("edit by hand");

    let out = federate_on(
        env,
        None,
        &["aws-auth", "add-user", "arn:aws:iam::111122223333:user/bob", "--group", "devs", "--group", "ops"],
    );
    assert_exit(&out, 0);
    assert_eq!(text(&out.stdout), "configmap/aws-auth configured\n");
    let after = api.get("aws-auth").await.expect("get");
    assert_ne!(after.metadata.resource_version, edited.metadata.resource_version);
    let data = data_of(&after);
    assert_eq!(data["mapRoles"], by_hand, "an untouched key keeps its text byte for byte");
    assert_eq!(data["note"], "kept: {as: is", "other keys are never parsed or rewritten");
    assert_eq!(
        data["mapUsers"],
        format!(
            "{users}- userarn: arn:aws:iam::111122223333:user/bob\n  username: bob\n  groups:\n  - devs\n  - ops\n"
        )
    );

    // The same edit again changes nothing and writes nothing.
    let out =
        federate_on(env, None, &["aws-auth", "add-user", "arn:aws:iam::111122223333:user/bob", "--group", "ops,devs"]);
    assert_exit(&out, 0);
    assert_eq!(text(&out.stdout), "configmap/aws-auth unchanged\n");
    assert_eq!(api.get("aws-auth").await.expect("get").metadata.resource_version, after.metadata.resource_version);

    let out = federate_on(env, None, &["-o", "json", "aws-auth", "show"]);
    assert_exit(&out, 0);
    let shown: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(shown["mapRoles"][0]["rolearn"], node);
    assert_eq!(shown["mapUsers"][1]["username"], "bob");
}

#[tokio::test]
async fn removing_the_node_role_or_the_last_admin_is_refused_unless_forced() {
    let env = testenv::shared().await;
    let _turn = AWS_AUTH.lock().await;
    let api = fresh_aws_auth(env).await;
    let nodes = "arn:aws:iam::111122223333:role/nodes";
    let admin = "arn:aws:iam::111122223333:user/admin";
    let roles = format!(
        "- rolearn: {nodes}\n  username: system:node:{{{{EC2PrivateDNSName}}}}\n  groups:\n  - system:bootstrappers\n  - system:nodes\n"
    );
    let users = format!("- userarn: {admin}\n  username: admin\n  groups: [system:masters]\n");
    let before = put(&api, &[("mapRoles", &roles), ("mapUsers", &users)]).await;

    for (arn, lost) in [(nodes, "system:nodes"), (admin, "system:masters")] {
        for dry_run in [false, true] {
            let mut args = vec!["aws-auth", "remove", arn];
            if dry_run {
                args.push("--dry-run");
            }
            let out = federate_on(env, None, &args);
            assert_exit(&out, 1);
            assert!(out.stdout.is_empty(), "{args:?}");
            let err = text(&out.stderr);
            for needle in ["cluster cluster-a", "configmap kube-system/aws-auth", arn, lost, "hint:", "--force"] {
                assert!(err.contains(needle), "{args:?}: {needle:?} missing from {err}");
            }
            assert!(!err.contains("Some(") && !err.contains("panicked"), "{err}");
        }
        let now = api.get("aws-auth").await.expect("get");
        assert_eq!(now.metadata.resource_version, before.metadata.resource_version, "nothing was written");
    }

    let out = federate_on(env, None, &["aws-auth", "remove", nodes, "--force"]);
    assert_exit(&out, 0);
    let data = data_of(&api.get("aws-auth").await.expect("get"));
    assert!(!data["mapRoles"].contains(nodes), "forced removal happened: {data:?}");
    assert_eq!(data["mapUsers"], users, "the other key is untouched");
}

#[tokio::test]
async fn malformed_aws_auth_is_refused_and_left_unchanged() {
    let env = testenv::shared().await;
    let _turn = AWS_AUTH.lock().await;
    let api = fresh_aws_auth(env).await;
    let broken = "- rolearn: arn:aws:iam::111122223333:role/A\n  groups: [unclosed\n";
    let before = put(&api, &[("mapRoles", broken)]).await;
    let out = federate_on(env, None, &["aws-auth", "add-role", "arn:aws:iam::111122223333:role/B", "--username", "b"]);
    assert_exit(&out, 1);
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    for needle in [
        "cluster cluster-a",
        "configmap kube-system/aws-auth",
        "cannot parse data key mapRoles",
        "line 2",
        "nothing was written",
    ] {
        assert!(err.contains(needle), "{needle:?} missing from:\n{err}");
    }
    let after = api.get("aws-auth").await.expect("get");
    assert_eq!(after.metadata.resource_version, before.metadata.resource_version, "nothing written");
    assert_eq!(data_of(&after)["mapRoles"], broken);
}

#[tokio::test]
async fn a_different_mapping_needs_replace_and_dry_run_only_prints_the_diff() {
    let env = testenv::shared().await;
    let _turn = AWS_AUTH.lock().await;
    let api = fresh_aws_auth(env).await;
    let roles = "- rolearn: arn:aws:iam::111122223333:role/Admin\n  username: admin\n  groups:\n  - system:masters\n";
    // Another administrator stays, so replacing the role's mapping locks nobody out (the safety
    // rail has its own test).
    let users = "- userarn: arn:aws:iam::111122223333:user/ops\n  username: ops\n  groups: [system:masters]\n";
    let before = put(&api, &[("mapRoles", roles), ("mapUsers", users)]).await;
    let change =
        ["aws-auth", "add-role", "arn:aws:iam::111122223333:role/Admin", "--username", "viewer", "--group", "view"];

    let out = federate_on(env, None, &change);
    assert_exit(&out, 1);
    assert!(text(&out.stderr).contains("hint: pass --replace"), "{}", text(&out.stderr));

    // kubectl's dry-run vocabulary: `--dry-run` (client) prints the diff and sends nothing;
    // `--dry-run=server` also sends the write with dryRun=All. Neither persists anything.
    for (flag, said) in [("--dry-run", "configured (dry run)"), ("--dry-run=server", "configured (server dry run)")] {
        let mut dry = change.to_vec();
        dry.extend(["--replace", flag]);
        let out = federate_on(env, None, &dry);
        assert_exit(&out, 0);
        assert_eq!(
            text(&out.stdout),
            "--- data.mapRoles\n+++ data.mapRoles\n@@ -1,4 +1,4 @@\n - rolearn: arn:aws:iam::111122223333:role/Admin\n-  username: admin\n+  username: viewer\n   groups:\n-  - system:masters\n+  - view\n",
            "{flag}"
        );
        assert!(text(&out.stderr).contains(said), "{flag}: {}", text(&out.stderr));
        assert_eq!(
            api.get("aws-auth").await.expect("get").metadata.resource_version,
            before.metadata.resource_version,
            "{flag} wrote something"
        );
    }

    let mut replace = change.to_vec();
    replace.push("--replace");
    assert_exit(&federate_on(env, None, &replace), 0);
    let data = data_of(&api.get("aws-auth").await.expect("get"));
    assert_eq!(
        data["mapRoles"],
        "- rolearn: arn:aws:iam::111122223333:role/Admin\n  username: viewer\n  groups:\n  - view\n"
    );

    let out =
        federate_on(env, None, &["aws-auth", "add-role", "arn:aws:iam::111122223333:role/team/Dev", "--username", "d"]);
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("use arn:aws:iam::111122223333:role/Dev"), "{}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_all_land() {
    let env = testenv::shared().await;
    let _turn = AWS_AUTH.lock().await;
    let api = fresh_aws_auth(env).await;
    put(&api, &[("mapRoles", "- rolearn: arn:aws:iam::111122223333:role/Existing\n  username: existing\n")]).await;
    let writers = 8;
    let mut tasks = Vec::new();
    for n in 0..writers {
        let client = env.client(AWS_AUTH_CLUSTER).await.expect("client");
        tasks.push(tokio::spawn(async move {
            let role = libfed::aws::MapRole::new(
                format!("arn:aws:iam::111122223333:role/Writer{n}"),
                Some(format!("w{n}")),
                vec![],
            );
            let edit = libfed::aws::Edit::AddRole { role, replace: false };
            libfed::aws::update_aws_auth(client, AWS_AUTH_CLUSTER, &[edit], libfed::plan::Execution::Apply, false).await
        }));
    }
    let mut attempts = 0;
    for task in tasks {
        let update = task.await.expect("join").expect("every writer lands");
        assert!(update.written);
        attempts += update.attempts;
    }
    eprintln!("{writers} concurrent writers took {attempts} read-modify-write rounds in all");
    let client = env.client(AWS_AUTH_CLUSTER).await.expect("client");
    let auth = libfed::aws::read_aws_auth(client, AWS_AUTH_CLUSTER).await.expect("read").expect("exists");
    let mut arns: Vec<String> = auth.roles().into_iter().map(|r| r.rolearn).collect();
    arns.sort();
    let mut expected: Vec<String> = (0..writers).map(|n| format!("arn:aws:iam::111122223333:role/Writer{n}")).collect();
    expected.push("arn:aws:iam::111122223333:role/Existing".into());
    expected.sort();
    assert_eq!(arns, expected, "no write was lost ({attempts} rounds for {writers} writers)");
}

#[tokio::test]
async fn apply_merges_the_walkthrough_manifest_with_the_account_from_sts() {
    let env = testenv::shared().await;
    let _turn = AWS_AUTH.lock().await;
    let api = fresh_aws_auth(env).await;
    let users = "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n";
    put(
        &api,
        &[("mapUsers", users), ("mapRoles", "- rolearn: arn:aws:iam::111122223333:role/Other\n  username: other\n")],
    )
    .await;
    let moto = Moto::start(&json!({}));
    let manifest = repo_root().join("manifests/aws-auth-cm.yaml");
    let out = federate_on(env, Some(&moto), &["aws-auth", "apply", "-f", manifest.to_str().expect("utf8")]);
    assert_exit(&out, 0);
    let auth = libfed::aws::AwsAuth::parse(&data_of(&api.get("aws-auth").await.expect("get"))).expect("parse");
    let arns: Vec<String> = auth.roles().into_iter().map(|r| r.rolearn).collect();
    assert_eq!(
        arns,
        ["arn:aws:iam::111122223333:role/Other".to_string(), format!("arn:aws:iam::{ACCOUNT}:role/NodeInstanceRole")]
    );
    assert_eq!(auth.roles()[1], libfed::aws::MapRole::node(format!("arn:aws:iam::{ACCOUNT}:role/NodeInstanceRole")));
    assert_eq!(data_of(&api.get("aws-auth").await.expect("get"))["mapUsers"], users, "merged, not replaced");

    let again = federate_on(env, Some(&moto), &["aws-auth", "apply", "-f", manifest.to_str().expect("utf8")]);
    assert_exit(&again, 0);
    assert_eq!(text(&again.stdout), "configmap/aws-auth unchanged\n");
}

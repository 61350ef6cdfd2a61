//! `aws eks update-kubeconfig` without the aws CLI: a cluster, a user that runs
//! `kubectl-federate eks token`, and a context, merged into the kubeconfig files the way kubectl
//! writes them (client-go `ModifyConfig`):
//!
//! - an entry that already exists is updated in the first file of the chain that defines it;
//! - a new entry, and `current-context`, go to the default file: the `--kubeconfig` file, else
//!   the only `KUBECONFIG` file, else the first `KUBECONFIG` file that exists, else the last one,
//!   else `~/.kube/config`;
//! - every other entry and field of every file is kept (files are read as generic YAML, so fields
//!   this tool does not know survive), and files that do not change are not written.
//!
//! Writing is safe against concurrent writers and keeps credentials private
//! ([`crate::safe_file`]): every file of the chain is locked as kubectl locks it (`FILE.lock`)
//! before it is read, so concurrent runs take turns and none loses another's entry; a symlinked
//! file is written through (the link stays); each file is replaced atomically; and a written file
//! is mode 0600, an existing group- or world-readable one being tightened (and reported).
//!
//! The merge is pure ([`merge_eks_entry`]); [`update_kubeconfig`] does the file I/O around it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::{Error, Result};

/// The exec API version written into the user (what `aws eks update-kubeconfig` writes too).
pub const EXEC_API_VERSION: &str = "client.authentication.k8s.io/v1beta1";
/// The program the user entry runs; kubectl finds it on PATH, as it finds the plugin.
pub const EXEC_COMMAND: &str = "kubectl-federate";

/// The cluster, user and context that give access to one EKS cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EksKubeconfigEntry {
    /// Name of the cluster and user entries: the cluster ARN, as the aws CLI names them.
    pub entry_name: String,
    /// Name of the context (`--alias`, else the cluster ARN).
    pub context_name: String,
    /// The API server URL.
    pub server: String,
    /// base64 PEM CA, as DescribeCluster returns it.
    pub ca_data: String,
    /// Arguments of `kubectl-federate` that print the token.
    pub exec_args: Vec<String>,
}

impl EksKubeconfigEntry {
    /// The entry for an EKS cluster. `arn` names the entries (the cluster name when there is
    /// none); `region` is written into the token command so the context keeps working whatever
    /// region the environment later selects.
    pub fn new(
        cluster: &str,
        arn: Option<&str>,
        server: &str,
        ca_data: &str,
        alias: Option<&str>,
        region: Option<&str>,
    ) -> Self {
        let entry_name = arn.filter(|a| !a.is_empty()).unwrap_or(cluster).to_string();
        let mut exec_args: Vec<String> =
            ["eks", "token", "--cluster", cluster].iter().map(|s| (*s).to_string()).collect();
        if let Some(region) = region {
            exec_args.extend(["--region".to_string(), region.to_string()]);
        }
        Self {
            context_name: alias.filter(|a| !a.is_empty()).unwrap_or(&entry_name).to_string(),
            entry_name,
            server: server.to_string(),
            ca_data: ca_data.to_string(),
            exec_args,
        }
    }
}

/// One file of the kubeconfig chain, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeconfigFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its text; `None` when the file does not exist.
    pub content: Option<String>,
}

/// A file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeconfigWrite {
    /// Where.
    pub path: PathBuf,
    /// The new text.
    pub content: String,
    /// Whether the file is new.
    pub create: bool,
}

/// The result of [`merge_eks_entry`]: what to write, and where each entry went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeconfigMerge {
    /// Files whose content changes (none when everything was already in place).
    pub writes: Vec<KubeconfigWrite>,
    /// The file holding the cluster entry.
    pub cluster_file: PathBuf,
    /// The file holding the user entry.
    pub user_file: PathBuf,
    /// The file holding the context entry.
    pub context_file: PathBuf,
    /// Whether the context existed before the merge.
    pub context_existed: bool,
    /// Files that were group- or world-accessible and were made 0600, with their old mode
    /// (filled by [`update_kubeconfig`]; the pure merge leaves it empty).
    pub tightened: Vec<(PathBuf, u32)>,
}

/// How long a writer waits for another one's lock on a kubeconfig file.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

fn kubeconfig_error(path: &Path, message: impl std::fmt::Display) -> Error {
    Error::kubeconfig(format!("{}: {message}", path.display()))
}

fn parse_file(file: &KubeconfigFile) -> Result<Option<Value>> {
    let Some(text) = &file.content else { return Ok(None) };
    if text.trim().is_empty() {
        return Ok(Some(Value::Object(Map::new())));
    }
    let value: Value = serde_saphyr::from_str(text).map_err(|e| Error::Kubeconfig {
        message: format!("{}: not a kubeconfig", file.path.display()),
        source: Some(Box::new(e)),
    })?;
    match value {
        Value::Object(_) => Ok(Some(value)),
        Value::Null => Ok(Some(Value::Object(Map::new()))),
        _ => Err(kubeconfig_error(&file.path, "not a kubeconfig (the top level is not a mapping)")),
    }
}

fn defines(config: &Value, list: &str, name: &str) -> bool {
    config
        .get(list)
        .and_then(Value::as_array)
        .is_some_and(|items| items.iter().any(|i| i.get("name").and_then(Value::as_str) == Some(name)))
}

/// The file kubectl writes new entries to (client-go `PathOptions.GetDefaultFilename`).
fn default_index(files: &[KubeconfigFile], explicit: bool) -> usize {
    if explicit || files.len() <= 1 {
        return 0;
    }
    files.iter().position(|f| f.content.is_some()).unwrap_or(files.len() - 1)
}

/// Sets `list[name].field` by editing the entry in place (or appending one), via `update`.
fn upsert(config: &mut Value, list: &str, name: &str, field: &str, update: impl FnOnce(&mut Map<String, Value>)) {
    let Value::Object(root) = config else { return };
    let items = root.entry(list).or_insert_with(|| Value::Array(Vec::new()));
    if !items.is_array() {
        // `clusters: null` (as kubectl itself writes empty lists) means no entries.
        *items = Value::Array(Vec::new());
    }
    let Value::Array(items) = items else { return };
    let position = items.iter().position(|i| i.get("name").and_then(Value::as_str) == Some(name));
    let item = match position {
        Some(n) => &mut items[n],
        None => {
            items.push(json!({ "name": name, field: {} }));
            items.last_mut().expect("just pushed")
        }
    };
    let Value::Object(item) = item else { return };
    let inner = item.entry(field).or_insert_with(|| Value::Object(Map::new()));
    if !inner.is_object() {
        *inner = Value::Object(Map::new());
    }
    if let Value::Object(inner) = inner {
        update(inner);
    }
}

fn new_config() -> Value {
    json!({ "apiVersion": "v1", "kind": "Config", "preferences": {}, "clusters": [], "contexts": [], "users": [], "current-context": "" })
}

/// Merges the entries into the chain of kubeconfig files and returns what to write.
///
/// The cluster entry gets `server` and `certificate-authority-data` (a `certificate-authority`
/// file path is dropped, since kubectl refuses both at once); the user entry's `user` becomes the
/// exec stanza alone, since mixing it with a stale token or client certificate would be wrong;
/// the context gets `cluster` and `user` and keeps its namespace; `current-context` is set to it.
/// Everything else is kept.
///
/// # Errors
/// [`Error::Kubeconfig`] when a file of the chain is not a kubeconfig, or the chain is empty.
pub fn merge_eks_entry(
    files: &[KubeconfigFile],
    explicit: bool,
    entry: &EksKubeconfigEntry,
) -> Result<KubeconfigMerge> {
    if files.is_empty() {
        return Err(Error::kubeconfig("no kubeconfig file to write to"));
    }
    let originals: Vec<Option<Value>> = files.iter().map(parse_file).collect::<Result<_>>()?;
    let mut configs = originals.clone();
    let default = default_index(files, explicit);
    let home = |list: &str, name: &str| -> usize {
        originals.iter().position(|c| c.as_ref().is_some_and(|c| defines(c, list, name))).unwrap_or(default)
    };
    let (cluster_at, user_at, context_at) =
        (home("clusters", &entry.entry_name), home("users", &entry.entry_name), home("contexts", &entry.context_name));

    upsert(configs[cluster_at].get_or_insert_with(new_config), "clusters", &entry.entry_name, "cluster", |c| {
        c.insert("server".into(), Value::String(entry.server.clone()));
        c.insert("certificate-authority-data".into(), Value::String(entry.ca_data.clone()));
        c.remove("certificate-authority");
    });
    upsert(configs[user_at].get_or_insert_with(new_config), "users", &entry.entry_name, "user", |u| {
        u.clear();
        u.insert(
            "exec".into(),
            json!({
                "apiVersion": EXEC_API_VERSION,
                "command": EXEC_COMMAND,
                "args": entry.exec_args,
                "env": null,
                "interactiveMode": "IfAvailable",
                "provideClusterInfo": false,
            }),
        );
    });
    upsert(configs[context_at].get_or_insert_with(new_config), "contexts", &entry.context_name, "context", |c| {
        c.insert("cluster".into(), Value::String(entry.entry_name.clone()));
        c.insert("user".into(), Value::String(entry.entry_name.clone()));
    });
    if let Value::Object(root) = configs[default].get_or_insert_with(new_config) {
        root.insert("current-context".into(), Value::String(entry.context_name.clone()));
    }

    let mut writes = Vec::new();
    for ((file, before), after) in files.iter().zip(&originals).zip(&configs) {
        let Some(after) = after else { continue };
        if before.as_ref() == Some(after) {
            continue;
        }
        let content = serde_saphyr::to_string(after).map_err(|e| Error::Kubeconfig {
            message: format!("{}: cannot render", file.path.display()),
            source: Some(Box::new(e)),
        })?;
        writes.push(KubeconfigWrite { path: file.path.clone(), content, create: file.content.is_none() });
    }
    let context_existed = originals.iter().flatten().any(|c| defines(c, "contexts", &entry.context_name));
    Ok(KubeconfigMerge {
        context_existed,
        tightened: Vec::new(),
        writes,
        cluster_file: files[cluster_at].path.clone(),
        user_file: files[user_at].path.clone(),
        context_file: files[context_at].path.clone(),
    })
}

/// The kubeconfig chain as kubectl loads it: the explicit file, else the `KUBECONFIG` list
/// (`:`-separated, empty and repeated entries dropped), else `~/.kube/config`.
///
/// # Errors
/// [`Error::Kubeconfig`] when no file is named and there is no home directory.
pub fn kubeconfig_chain(
    explicit: Option<&Path>,
    kubeconfig_env: Option<&str>,
    home: Option<&Path>,
) -> Result<Vec<PathBuf>> {
    if let Some(path) = explicit {
        return Ok(vec![path.to_path_buf()]);
    }
    if let Some(list) = kubeconfig_env.filter(|l| !l.is_empty()) {
        let mut chain: Vec<PathBuf> = Vec::new();
        for p in std::env::split_paths(list) {
            if !p.as_os_str().is_empty() && !chain.contains(&p) {
                chain.push(p);
            }
        }
        if !chain.is_empty() {
            return Ok(chain);
        }
    }
    let home = home.ok_or_else(|| Error::kubeconfig("no KUBECONFIG, no --kubeconfig and no home directory"))?;
    Ok(vec![home.join(".kube").join("config")])
}

/// Reads each file of a chain (a missing file is `None`), each at most
/// [`crate::input::MAX_KUBECONFIG_BYTES`].
///
/// # Errors
/// [`Error::Kubeconfig`] when a file exists but cannot be read or is over the limit.
pub fn read_chain(chain: &[PathBuf]) -> Result<Vec<KubeconfigFile>> {
    chain
        .iter()
        .map(|path| match crate::input::read_text(path, crate::input::MAX_KUBECONFIG_BYTES) {
            Ok(text) => Ok(KubeconfigFile { path: path.clone(), content: Some(text) }),
            Err(e) if e.is_not_found() => Ok(KubeconfigFile { path: path.clone(), content: None }),
            Err(e) => Err(Error::kubeconfig(e.to_string())),
        })
        .collect()
}

/// Replaces a file (through symlinks, atomically, mode 0600; see [`crate::safe_file`]).
/// Returns the old mode when a group- or world-accessible file was tightened.
///
/// # Errors
/// [`Error::Kubeconfig`] naming the file when it cannot be written.
pub fn write_file(write: &KubeconfigWrite) -> Result<Option<u32>> {
    crate::safe_file::replace_file(&write.path, write.content.as_bytes()).map(|done| done.tightened_from).map_err(|e| {
        Error::Kubeconfig { message: format!("{}: cannot write", write.path.display()), source: Some(Box::new(e)) }
    })
}

/// Locks every file of the chain (as kubectl locks, in a fixed order so that writers cannot
/// deadlock), then reads it, merges the entry and writes the files that change. Reading under
/// the lock is what makes concurrent runs lose nothing.
///
/// # Errors
/// [`Error::Kubeconfig`] when a file cannot be locked, read, parsed or written.
pub fn update_kubeconfig(chain: &[PathBuf], explicit: bool, entry: &EksKubeconfigEntry) -> Result<KubeconfigMerge> {
    let mut order: Vec<&PathBuf> = chain.iter().collect();
    order.sort();
    order.dedup();
    let mut locks = Vec::with_capacity(order.len());
    for path in order {
        locks.push(crate::safe_file::FileLock::acquire(path, LOCK_WAIT).map_err(|e| Error::Kubeconfig {
            message: format!("{}: cannot lock", path.display()),
            source: Some(Box::new(e)),
        })?);
    }
    let files = read_chain(chain)?;
    let mut merge = merge_eks_entry(&files, explicit, entry)?;
    for write in &merge.writes {
        if let Some(mode) = write_file(write)? {
            merge.tightened.push((write.path.clone(), mode));
        }
    }
    drop(locks);
    Ok(merge)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> EksKubeconfigEntry {
        EksKubeconfigEntry::new(
            "prod",
            Some("arn:aws:eks:us-east-1:123456789012:cluster/prod"),
            "https://prod.example",
            "Q0E=",
            Some("prod-alias"),
            Some("us-east-1"),
        )
    }

    fn file(path: &str, content: Option<&str>) -> KubeconfigFile {
        KubeconfigFile { path: PathBuf::from(path), content: content.map(str::to_string) }
    }

    fn parsed(merge: &KubeconfigMerge, path: &str) -> Value {
        let w = merge.writes.iter().find(|w| w.path == Path::new(path)).expect("written");
        serde_saphyr::from_str(&w.content).expect("yaml")
    }

    const OTHER: &str = "apiVersion: v1\nkind: Config\ncurrent-context: other\nclusters:\n- name: other\n  cluster:\n    server: https://other\n    extensions:\n    - name: x\n      extension: {a: 1}\ncontexts:\n- name: other\n  context: {cluster: other, user: other, namespace: ns}\nusers:\n- name: other\n  user: {token: abc}\n";

    #[test]
    fn new_entries_go_to_the_first_existing_file_and_others_are_kept() {
        let files = [file("/a", None), file("/b", Some(OTHER)), file("/c", Some(""))];
        let merge = merge_eks_entry(&files, false, &entry()).expect("merge");
        assert_eq!(merge.writes.len(), 1, "only /b changes");
        let b = parsed(&merge, "/b");
        assert_eq!(b["current-context"], "prod-alias");
        let clusters = b["clusters"].as_array().expect("clusters");
        assert_eq!(clusters[0]["cluster"]["extensions"][0]["extension"]["a"], 1, "unknown fields survive");
        assert_eq!(clusters[1]["cluster"]["server"], "https://prod.example");
        assert_eq!(
            b["users"][1]["user"]["exec"]["args"],
            json!(["eks", "token", "--cluster", "prod", "--region", "us-east-1"])
        );
        assert_eq!(b["contexts"][1]["context"]["cluster"], "arn:aws:eks:us-east-1:123456789012:cluster/prod");
        assert_eq!(b["users"][0]["user"]["token"], "abc");
    }

    #[test]
    fn existing_entries_are_updated_in_the_file_they_came_from() {
        let stale = "clusters:\n- name: arn:aws:eks:us-east-1:123456789012:cluster/prod\n  cluster:\n    server: https://old\n    certificate-authority: /ca.pem\n    proxy-url: http://proxy\n";
        let files = [file("/a", Some(OTHER)), file("/b", Some(stale))];
        let merge = merge_eks_entry(&files, false, &entry()).expect("merge");
        assert_eq!(merge.cluster_file, Path::new("/b"));
        assert_eq!(merge.user_file, Path::new("/a"));
        let b = parsed(&merge, "/b");
        let c = &b["clusters"][0]["cluster"];
        assert_eq!(c["server"], "https://prod.example");
        assert_eq!(c["proxy-url"], "http://proxy");
        assert!(c.get("certificate-authority").is_none());
        assert_eq!(parsed(&merge, "/a")["current-context"], "prod-alias");
    }

    #[test]
    fn a_second_merge_writes_nothing() {
        let files = [file("/a", Some(OTHER))];
        let first = merge_eks_entry(&files, false, &entry()).expect("merge");
        let after = [file("/a", Some(&first.writes[0].content))];
        assert!(merge_eks_entry(&after, false, &entry()).expect("merge").writes.is_empty());
    }

    #[test]
    fn without_any_existing_file_the_last_one_is_created() {
        let files = [file("/a", None), file("/b", None)];
        let merge = merge_eks_entry(&files, false, &entry()).expect("merge");
        assert_eq!(merge.writes.len(), 1);
        assert!(merge.writes[0].create);
        assert_eq!(merge.writes[0].path, Path::new("/b"));
    }

    #[test]
    fn a_file_that_is_not_a_kubeconfig_is_refused() {
        let err = merge_eks_entry(&[file("/a", Some("- a\n- b\n"))], true, &entry()).expect_err("list");
        assert!(err.to_string().contains("/a"), "{err}");
    }

    #[test]
    fn chain_follows_kubectl_precedence() {
        let home = Path::new("/home/u");
        assert_eq!(
            kubeconfig_chain(Some(Path::new("/x")), Some("/a:/b"), Some(home)).expect("c"),
            vec![PathBuf::from("/x")]
        );
        assert_eq!(
            kubeconfig_chain(None, Some("/a::/b:/a"), Some(home)).expect("c"),
            vec![PathBuf::from("/a"), PathBuf::from("/b")]
        );
        assert_eq!(kubeconfig_chain(None, None, Some(home)).expect("c"), vec![PathBuf::from("/home/u/.kube/config")]);
    }

    #[test]
    fn files_are_written_0600_and_open_ones_are_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("sub").join("config");
        let w = KubeconfigWrite { path: path.clone(), content: "a: 1\n".into(), create: true };
        assert_eq!(write_file(&w).expect("write"), None);
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert_eq!(write_file(&w).expect("write"), Some(0o644));
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "a: 1\n");
    }

    #[test]
    fn update_reports_whether_the_context_existed_and_takes_turns_with_other_writers() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("config");
        let threads: Vec<_> = (0..6)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let e = EksKubeconfigEntry::new(&format!("c{i}"), None, "https://h", "Q0E=", None, None);
                    update_kubeconfig(&[path], true, &e).expect("update")
                })
            })
            .collect();
        for t in threads {
            assert!(!t.join().expect("thread").context_existed);
        }
        let v: Value = serde_saphyr::from_str(&std::fs::read_to_string(&path).expect("read")).expect("yaml");
        assert_eq!(v["contexts"].as_array().expect("contexts").len(), 6, "every writer's context survives");
        let e = EksKubeconfigEntry::new("c0", None, "https://h", "Q0E=", None, None);
        assert!(update_kubeconfig(&[path], true, &e).expect("again").context_existed);
    }
}

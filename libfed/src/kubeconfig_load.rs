//! Loading the user's own kubeconfig the way kubectl does, with limits and secret-free errors:
//!
//! - `--kubeconfig PATH`: that file; a missing one is an error.
//! - else `KUBECONFIG`: every file of the list, merged (the first file to define a value wins);
//!   files that do not exist are skipped, as kubectl skips them; it is an error only when none
//!   exists.
//! - else `~/.kube/config`.
//!
//! Files are read here (at most [`MAX_KUBECONFIG_BYTES`] each) rather than by kube's
//! `Kubeconfig::read_from`, whose parse errors draw a snippet of the file: a malformed line next
//! to `client-key-data` or `token` would print part of the key in every command's error. Parse
//! errors here name the file, the line and column and the field, never a value.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use kube::config::Kubeconfig;

use crate::input::{MAX_KUBECONFIG_BYTES, Quoting, YamlError, read_text};
use crate::{Error, Result};

/// The files kubectl would read: the explicit path, else the `KUBECONFIG` list (empty entries
/// and repeats dropped), else `HOME/.kube/config`. The flag says whether missing files may be
/// skipped (only for the `KUBECONFIG` list).
///
/// # Errors
/// [`Error::Kubeconfig`] when no file is named and there is no home directory.
pub fn kubeconfig_files(
    explicit: Option<&Path>,
    kubeconfig_env: Option<&OsStr>,
    home: Option<&Path>,
) -> Result<(Vec<PathBuf>, bool)> {
    if let Some(path) = explicit {
        return Ok((vec![path.to_path_buf()], false));
    }
    if let Some(list) = kubeconfig_env.filter(|l| !l.is_empty()) {
        let mut files: Vec<PathBuf> = Vec::new();
        for p in std::env::split_paths(list) {
            if !p.as_os_str().is_empty() && !files.contains(&p) {
                files.push(p);
            }
        }
        if !files.is_empty() {
            return Ok((files, true));
        }
    }
    let home = home.ok_or_else(|| Error::kubeconfig("no --kubeconfig, no KUBECONFIG and no home directory"))?;
    Ok((vec![home.join(".kube").join("config")], false))
}

/// Parses one kubeconfig file's text (several YAML documents are merged, as kube-rs does) and
/// makes its relative file references absolute against `dir`, as kubectl does.
///
/// # Errors
/// [`Error::Kubeconfig`] naming `path`, the line and column, and never a value of the file.
pub fn parse_kubeconfig(text: &str, path: &Path) -> Result<Kubeconfig> {
    let docs: Vec<Kubeconfig> = serde_saphyr::from_multiple(text).map_err(|e| {
        Error::kubeconfig(format!(
            "{} does not parse: {}",
            path.display(),
            YamlError::from_saphyr(&e, Quoting::FieldNamesOnly)
        ))
    })?;
    let dir = path.parent();
    let mut merged = Kubeconfig::default();
    for mut doc in docs {
        if let Some(dir) = dir {
            absolutize(&mut doc, dir);
        }
        merged = merged.merge(doc).map_err(|e| Error::kubeconfig(format!("{}: {e}", path.display())))?;
    }
    Ok(merged)
}

fn absolute(dir: &Path, file: &mut Option<String>) {
    let Some(f) = file.as_deref() else { return };
    if Path::new(f).is_relative()
        && let Some(abs) = dir.join(f).to_str().map(str::to_owned)
    {
        *file = Some(abs);
    }
}

/// The same rewriting as kube-rs' `Kubeconfig::read_from` (client-go's
/// `ResolveLocalPaths`): CA, client certificate and key, token file, and an exec command that
/// holds a path separator.
fn absolutize(kc: &mut Kubeconfig, dir: &Path) {
    for cluster in kc.clusters.iter_mut().filter_map(|c| c.cluster.as_mut()) {
        absolute(dir, &mut cluster.certificate_authority);
    }
    for auth in kc.auth_infos.iter_mut().filter_map(|a| a.auth_info.as_mut()) {
        absolute(dir, &mut auth.client_certificate);
        absolute(dir, &mut auth.client_key);
        absolute(dir, &mut auth.token_file);
        if let Some(exec) = auth.exec.as_mut()
            && exec.command.as_deref().is_some_and(|c| c.contains(std::path::MAIN_SEPARATOR))
        {
            absolute(dir, &mut exec.command);
        }
    }
}

/// Loads and merges the kubeconfig files; see the module documentation for which ones.
///
/// # Errors
/// [`Error::Kubeconfig`]: an explicit or default file that is missing, any file that cannot be
/// read, is over the limit or does not parse, or a `KUBECONFIG` list none of whose files exist.
pub fn load_files(files: &[PathBuf], skip_missing: bool) -> Result<Kubeconfig> {
    let mut merged = Kubeconfig::default();
    let mut found = 0;
    for path in files {
        let text = match read_text(path, MAX_KUBECONFIG_BYTES) {
            Ok(text) => text,
            Err(e) if skip_missing && e.is_not_found() => continue,
            Err(e) => return Err(Error::kubeconfig(e.to_string())),
        };
        found += 1;
        let kc = parse_kubeconfig(&text, path)?;
        merged = merged.merge(kc).map_err(|e| Error::kubeconfig(format!("{}: {e}", path.display())))?;
    }
    if found == 0 && skip_missing {
        let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        return Err(Error::kubeconfig(format!("none of the KUBECONFIG files exists ({})", names.join(", "))));
    }
    Ok(merged)
}

/// Loads the user's kubeconfig: `explicit` if given, else `KUBECONFIG`, else `~/.kube/config`.
///
/// # Errors
/// As [`load_files`].
pub fn load(explicit: Option<&Path>) -> Result<Kubeconfig> {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    let env = std::env::var_os("KUBECONFIG");
    let (files, skip_missing) = kubeconfig_files(explicit, env.as_deref(), home.as_deref())?;
    load_files(&files, skip_missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "apiVersion: v1\nkind: Config\ncurrent-context: a\nclusters:\n- name: a\n  cluster: {server: 'https://a.example', certificate-authority: ca.pem}\ncontexts:\n- name: a\n  context: {cluster: a, user: a}\nusers:\n- name: a\n  user: {token: abc}\n";
    const B: &str = "apiVersion: v1\nkind: Config\ncurrent-context: b\nclusters:\n- name: b\n  cluster: {server: 'https://b.example'}\ncontexts:\n- name: b\n  context: {cluster: b, user: b}\nusers:\n- name: b\n  user: {token: def}\n";

    #[test]
    fn a_kubeconfig_list_skips_missing_files_and_merges_the_rest() {
        let dir = tempfile::tempdir().expect("tmp");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, A).expect("a");
        std::fs::write(&b, B).expect("b");
        let missing = dir.path().join("missing");
        let list = std::env::join_paths([&missing, &a, &b]).expect("join");
        let (files, skip) = kubeconfig_files(None, Some(&list), None).expect("files");
        assert!(skip);
        let kc = load_files(&files, skip).expect("missing files are skipped");
        assert_eq!(kc.current_context.as_deref(), Some("a"), "the first file wins");
        assert_eq!(kc.contexts.len(), 2);
        let ca = kc.clusters[0].cluster.as_ref().and_then(|c| c.certificate_authority.clone());
        assert_eq!(ca, Some(dir.path().join("ca.pem").display().to_string()), "relative paths made absolute");

        let only_missing = std::env::join_paths([&missing]).expect("join");
        let (files, skip) = kubeconfig_files(None, Some(&only_missing), None).expect("files");
        let err = load_files(&files, skip).expect_err("none exists");
        assert!(err.to_string().contains("none of the KUBECONFIG files exists"), "{err}");
    }

    #[test]
    fn an_explicit_missing_file_is_an_error_without_doubled_quotes() {
        let (files, skip) = kubeconfig_files(Some(Path::new("/nonexistent/config")), None, None).expect("files");
        assert!(!skip);
        let err = load_files(&files, skip).expect_err("missing");
        let text = err.to_string();
        assert!(text.contains("cannot read /nonexistent/config"), "{text}");
        assert!(!text.contains("'\""), "{text}");
        let (files, _) = kubeconfig_files(None, None, Some(Path::new("/home/u"))).expect("files");
        assert_eq!(files, [PathBuf::from("/home/u/.kube/config")]);
    }

    const KEY: &str = "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2Z0lCQURBTkJna3Foa2lHOXcwQkFRRUZBQVND";

    #[test]
    fn parse_errors_near_secrets_show_position_and_no_value() {
        for text in [
            format!("users:\n- name: u\n  user:\n    client-key-data: {KEY}\n   token: [\n"),
            format!("users:\n- name: u\n  user:\n    client-key-data: {KEY}\n    token: \"{KEY}\n"),
            format!("users:\n- name: u\n  user:\n    client-key-data: {KEY}: {KEY}\n"),
            format!("users:\n- name: u\n  user:\n    client-key-data: [{KEY}]\n"),
            format!("users:\n- name: u\n  user:\n    token: {{{KEY}\n"),
            format!("clusters:\n- name: c\n  cluster:\n    insecure-skip-tls-verify: \"{KEY}\"\n"),
            format!("users:\n- name: u\n  user: {KEY}\n"),
            format!("{KEY}\n"),
        ] {
            let err = parse_kubeconfig(&text, Path::new("/home/u/.kube/config")).expect_err(&text);
            let shown = crate::federate::error_chain(&err);
            for fragment in [&KEY[..16], &KEY[20..36], "MIIEvgIBADANBgkq"] {
                assert!(!shown.contains(fragment), "{text}\n=> {shown}");
            }
            assert!(shown.contains("/home/u/.kube/config"), "{shown}");
            assert!(shown.contains("line "), "a position: {shown}");
        }
    }

    #[test]
    fn files_over_the_limit_are_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let big = dir.path().join("big");
        let f = std::fs::File::create(&big).expect("create");
        f.set_len(MAX_KUBECONFIG_BYTES + 1).expect("sparse");
        let err = load_files(&[big], false).expect_err("too big");
        assert!(err.to_string().contains("larger than the 16 MiB limit"), "{err}");
    }
}

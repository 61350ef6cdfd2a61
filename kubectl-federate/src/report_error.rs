//! Renders an error the way uv does: `error:`, each `Caused by:`, then a `hint:` naming the command
//! or flag that fixes it.

use std::fmt;
use std::io::Write;

use libfed::ErrorKind;

use crate::cli::GlobalFlags;
use crate::exit::ExitStatus;

/// An error message with the hint that fixes it. Attach it with `anyhow::Error::context` or
/// return it with `anyhow::Error::new`.
#[derive(Debug)]
pub struct Hinted {
    pub message: String,
    pub hint: String,
    /// Exit code to end with (1 for a failed check or operation, 2 for usage).
    pub code: ExitStatus,
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Hinted {}

impl Hinted {
    /// A usage error (exit 2) with its hint.
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(Hinted { message: message.into(), hint: hint.into(), code: ExitStatus::Usage })
    }

    /// A failed operation (exit 1) with its hint.
    pub fn failed(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(Hinted { message: message.into(), hint: hint.into(), code: ExitStatus::Failed })
    }
}

/// Whether the error is only stdout having been closed (`kubectl federate status | head`).
/// serde_json wraps the writer's `io::Error` without exposing it as a source, so it is asked
/// for the kind directly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let kind = e
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| e.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind));
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// The kind of the first libfed error in the chain, or of a bare kube client error.
fn kind(err: &anyhow::Error) -> Option<ErrorKind> {
    err.chain().find_map(|e| {
        e.downcast_ref::<libfed::Error>()
            .map(libfed::Error::kind)
            .or_else(|| libfed::error::as_kube(e).map(libfed::error::kube_kind))
    })
}

/// The exit code an error ends the process with: a [`Hinted`] error's own; else by the libfed
/// [`ErrorKind`]: 2 when what was asked cannot be done as asked (invalid input, an unusable
/// kubeconfig, an internal error), 1 when a cluster or AWS refused, failed or did not answer (the
/// operation failed, as kubectl exits).
pub fn exit_code(err: &anyhow::Error) -> ExitStatus {
    if let Some(h) = find_hinted(err) {
        return h.code;
    }
    match kind(err) {
        None | Some(ErrorKind::InvalidInput | ErrorKind::Kubeconfig | ErrorKind::Internal) => ExitStatus::Usage,
        Some(_) => ExitStatus::Failed,
    }
}

/// The `Hinted` of an error, whether it is the error, a cause, or context attached with
/// `anyhow::Error::context` (which `chain()` shows only as text).
fn find_hinted(err: &anyhow::Error) -> Option<&Hinted> {
    err.downcast_ref::<Hinted>().or_else(|| err.chain().find_map(|e| e.downcast_ref::<Hinted>()))
}

/// Writes the error, its causes and a hint to stderr.
pub fn print(err: &anyhow::Error, global: &GlobalFlags) {
    let color = crate::settings::color_enabled(global);
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "{}", render(err, color));
}

/// The text `print` writes.
pub fn render(err: &anyhow::Error, color: bool) -> String {
    let (red, yellow, cyan, reset) =
        if color { ("\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m", "\x1b[0m") } else { ("", "", "", "") };
    let mut chain = err.chain();
    let top = chain.next().map(libfed::error::describe).unwrap_or_default();
    let mut out = format!("{red}error{reset}: {top}\n");
    let mut after_status = err.chain().next().is_some_and(libfed::error::ends_chain);
    for cause in chain {
        // A Kubernetes Status failure or a connection failure is described in words, with its
        // root cause; the layers under it repeat it.
        if after_status {
            break;
        }
        out.push_str(&format!("  {yellow}Caused by{reset}: {}\n", libfed::error::describe(cause)));
        after_status = libfed::error::ends_chain(cause);
    }
    if let Some(hint) = hint_for(err) {
        out.push_str(&format!("{cyan}hint{reset}: {hint}\n"));
    }
    out
}

/// The hint for an error: an explicit [`Hinted`] in the chain wins, else one derived from the
/// kind of failure.
pub fn hint_for(err: &anyhow::Error) -> Option<String> {
    if let Some(h) = find_hinted(err) {
        return Some(h.hint.clone());
    }
    let hint = match kind(err)? {
        ErrorKind::Forbidden => {
            "the credential was refused or lacks a permission: `kubectl --context CONTEXT auth can-i --list` shows what it may do"
        }
        ErrorKind::NotFound => "the object or its API is not there: check the context and namespace",
        ErrorKind::Unreachable => {
            "the API server did not answer: check that it runs and that its URL in the kubeconfig is reachable from here"
        }
        ErrorKind::Conflict => "something changed it meanwhile: run the command again",
        ErrorKind::Kubeconfig => "`kubectl config get-contexts` lists the contexts the kubeconfig holds",
        ErrorKind::Internal => "this is a bug: please report it with the command that failed",
        _ => return None,
    };
    Some(hint.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_attached_as_context_is_found() {
        let err = anyhow::anyhow!("connection refused").context(Hinted {
            message: "cluster-b: cannot read".into(),
            hint: "run kubectl federate status".into(),
            code: ExitStatus::Failed,
        });
        assert_eq!(exit_code(&err), ExitStatus::Failed);
        assert_eq!(hint_for(&err).as_deref(), Some("run kubectl federate status"));
        let text = render(&err, false);
        assert!(
            text.starts_with(
                "error: cluster-b: cannot read\n  Caused by: connection refused\nhint: run kubectl federate status\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn errors_without_a_hint_are_usage_errors() {
        assert_eq!(exit_code(&anyhow::anyhow!("boom")), ExitStatus::Usage);
        let refused = kube::Error::Api(Box::new(kube::core::Status::failure("forbidden", "Forbidden").with_code(403)));
        let err = anyhow::Error::new(libfed::Error::api("cluster-a", "list", "pods", refused)).context("reading");
        assert_eq!(exit_code(&err), ExitStatus::Failed, "a refused request is a failed operation");
        assert!(hint_for(&err).is_some_and(|h| h.contains("auth can-i")));
        assert_eq!(hint_for(&anyhow::anyhow!("boom")), None);
    }
}

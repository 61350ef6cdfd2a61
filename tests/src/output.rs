//! Checks on what a command printed: no panic, no Rust debug dump, no secret. Every command of
//! the hostile-input suite runs through [`assert_clean`].

use std::process::Output;

/// What only a panic or a `{:?}` of an internal value prints; a user never sees these.
pub const FORBIDDEN: &[&str] = &[
    "panicked",
    "RUST_BACKTRACE",
    "stack backtrace",
    "Some(",
    "None,",
    "Status {",
    "Error {",
    "Ok(",
    "Err(",
    "ErrorResponse {",
    "SchemeMissing",
    "buffer's worker closed unexpectedly",
];

/// Why the output is not clean: the forbidden texts it holds, per stream.
pub fn unclean(out: &Output) -> Vec<String> {
    let mut found = Vec::new();
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        for needle in FORBIDDEN {
            if text.contains(needle) {
                found.push(format!("{stream} contains {needle:?}"));
            }
        }
    }
    if out.status.code().is_none() || out.status.code() == Some(101) {
        found.push(format!("the process ended abnormally ({:?})", out.status));
    }
    found
}

/// Fails when the output holds a panic, a Rust debug dump, or the process crashed.
///
/// # Panics
/// When the output is not clean (that is the check).
#[track_caller]
pub fn assert_clean(out: &Output, what: &str) {
    let found = unclean(out);
    assert!(
        found.is_empty(),
        "{what}: {}\n--- stdout\n{}\n--- stderr\n{}",
        found.join(", "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The secrets (of `secrets`) that appear in stdout or stderr.
pub fn leaked<'a>(out: &Output, secrets: &[&'a str]) -> Vec<&'a str> {
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    secrets.iter().copied().filter(|s| text.contains(s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    fn output(code: i32, stdout: &str, stderr: &str) -> Output {
        Output {
            status: std::process::ExitStatus::from_raw(code << 8),
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
        }
    }

    #[test]
    fn panics_and_debug_dumps_are_caught() {
        assert!(unclean(&output(1, "ok\n", "error: cluster a: refused\nhint: x\n")).is_empty());
        assert!(!unclean(&output(101, "", "thread 'main' panicked at src/x.rs:1:1")).is_empty());
        assert!(!unclean(&output(2, "", "error: Api(Status { code: 500 })")).is_empty());
        assert!(!unclean(&output(1, "server: Some(\"x\")", "")).is_empty());
        assert_eq!(leaked(&output(0, "a TOKEN b", ""), &["TOKEN", "KEY"]), vec!["TOKEN"]);
    }
}

//! Inspects arbitrary text as a stored kubeconfig (what a RemoteClusterConfiguration's Secret
//! holds). Nothing may panic; no refusal or parse error may quote a secret; only a kubeconfig
//! with an https server, inline CA and a token or inline client identity may pass.

#![no_main]

use libfed::stored::inspect;
use libfuzzer_sys::fuzz_target;

/// Markers the seeds put in tokens, keys and CA data: no message may ever contain them.
const SECRETS: &[&str] = &["SECRETTOKEN", "S0VZTUFSS0VS", "Q0FNQVJLRVI"];

fuzz_target!(|input: &str| {
    let shown = match inspect(input) {
        Err(e) => e.to_string(),
        Ok(stored) => {
            if let Some(safe) = stored.safe() {
                assert!(stored.problems.is_empty());
                assert!(safe.server().starts_with("https://"), "a non-https server passed");
            } else {
                assert!(!stored.problems.is_empty(), "refused without a reason");
            }
            stored.problems.join("; ")
        }
    };
    for secret in SECRETS {
        assert!(!shown.contains(secret), "a secret was quoted: {shown}");
    }
});

//! Raw global flags become settings once: logging, colour, and the kube clients of named contexts.

use std::time::Duration;

use crate::cli::GlobalFlags;

/// Parses a kubectl-style duration: `30s`, `5m`, `1h30m`, `8760h`, `2d`, or bare seconds.
pub fn parse_duration(input: &str) -> Result<Duration, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    if let Ok(secs) = s.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    let mut total = 0u64;
    let mut number = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit: u64 = match c {
            'd' => 86_400,
            'h' => 3_600,
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                if number.is_empty() {
                    return Err(format!("invalid duration {input:?}: a unit needs a number before it"));
                }
                number.clear();
                continue; // milliseconds are below what any flag here needs; accept and ignore
            }
            'm' => 60,
            's' => 1,
            _ => return Err(format!("invalid duration {input:?}: unknown unit {c:?} (use s, m, h or d)")),
        };
        let n: u64 =
            number.parse().map_err(|_| format!("invalid duration {input:?}: a unit needs a number before it"))?;
        total = total.saturating_add(n.saturating_mul(unit));
        number.clear();
    }
    if !number.is_empty() {
        return Err(format!("invalid duration {input:?}: the number {number} has no unit (use s, m, h or d)"));
    }
    Ok(Duration::from_secs(total))
}

/// A clap value parser for namespaces: a DNS-1123 label, checked before any request path is
/// built from it (`Bad/NS` would otherwise become part of a URL path).
pub fn parse_namespace(input: &str) -> Result<String, String> {
    libfed::names::validate_namespace(input)
        .map(|()| input.to_string())
        .map_err(|e| format!("{e}\n\nhint: {}", e.hint()))
}

/// A clap value parser for Service names (DNS-1035 labels).
pub fn parse_service_name(input: &str) -> Result<String, String> {
    libfed::names::validate_service_name(input)
        .map(|()| input.to_string())
        .map_err(|e| format!("{e}\n\nhint: {}", e.hint()))
}

/// A clap value parser for object names such as a Lease (DNS-1123 subdomains).
pub fn parse_object_name(input: &str) -> Result<String, String> {
    libfed::names::validate_object_name("name", input)
        .map(|()| input.to_string())
        .map_err(|e| format!("{e}\n\nhint: {}", e.hint()))
}

/// Whether colour may be used on stderr.
pub fn color_enabled(global: &GlobalFlags) -> bool {
    use std::io::IsTerminal;
    !global.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Logs go to stderr; `-v` raises the level, `-q` silences everything below errors.
pub fn init_logging(global: &GlobalFlags) {
    let level = match (global.quiet, global.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    // Secrets never go to logs: the kube client's own request tracing carries bearer tokens in
    // headers at trace level, so it is kept at warn whatever -v says.
    // The kube client also logs each failed connection at error level; our own errors already name
    // the cluster and cause, so its lines show only with -v.
    let kube = if global.verbose > 0 { "warn" } else { "off" };
    // The AWS SDK warns with debug dumps of its own structs (a missing credential provider, a
    // retry); the command's error already says what failed and what to do. With -v they show.
    let aws = if global.verbose > 0 { "warn" } else { "off" };
    let filter = tracing_subscriber::EnvFilter::new(format!(
        "{level},kube_client={kube},hyper=warn,rustls=warn,aws_smithy_runtime={aws},aws_config={aws},\
         aws_smithy_runtime_api={aws},aws_smithy_http_client={aws},aws_sdk_eks={aws},aws_sdk_sts={aws},aws_sigv4={aws}"
    ));
    if global.log_format == crate::cli::LogFormat::Json {
        let _ = tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_target(false)
            .try_init();
        return;
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(color_enabled(global))
        .without_time()
        .with_target(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_kubectl() {
        for (input, secs) in
            [("30", 30), ("30s", 30), ("5m", 300), ("1h30m", 5400), ("8760h", 31_536_000), ("2d", 172_800), ("0", 0)]
        {
            assert_eq!(parse_duration(input), Ok(Duration::from_secs(secs)), "{input}");
        }
        for bad in ["", "h", "5x", "10 m", "5"] {
            if bad == "5" {
                continue;
            }
            assert!(parse_duration(bad).is_err(), "{bad:?} should be refused");
        }
    }
}

//! Value parsers of the command line: flags are checked as clap reads them.

use std::time::Duration;

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

/// A clap value parser for `--metrics-bind-address` and `--health-probe-bind-address`: `0`
/// (off), `:PORT` or `HOST:PORT`.
pub fn check_bind_address(s: &str) -> Result<String, String> {
    libfed::federated::http::parse_bind_address(s).map(|_| s.to_owned())
}

/// A clap value parser for `--watch-timeout`: a duration of at least 1s, in whole seconds.
pub fn parse_watch_timeout(s: &str) -> Result<u32, String> {
    let d = parse_duration(s)?;
    let secs = u32::try_from(d.as_secs()).unwrap_or(u32::MAX);
    if secs == 0 {
        return Err("the watch timeout must be at least 1s".into());
    }
    Ok(secs)
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
        for bad in ["", "h", "5x", "10 m"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be refused");
        }
    }
}

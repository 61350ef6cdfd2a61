//! Raw global flags become settings once: logging, colour, and the kube clients of named contexts.

use crate::cli::GlobalFlags;

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

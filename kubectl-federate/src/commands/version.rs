//! `kubectl federate version`.

use std::io::Write;

use serde::Serialize;

use crate::cli::GlobalFlags;
use crate::exit::ExitStatus;
use crate::output;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct VersionReport {
    client_version: &'static str,
    kubernetes_api: &'static str,
}

/// Prints the plugin's version (data on stdout, so scripts can read it).
pub fn run(global: &GlobalFlags, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let report = VersionReport { client_version: env!("CARGO_PKG_VERSION"), kubernetes_api: "v1.33+" };
    if !output::write_document(out, global.output, "Version", &report)? {
        writeln!(out, "kubectl-federate v{}", report.client_version)?;
    }
    Ok(ExitStatus::Ok)
}

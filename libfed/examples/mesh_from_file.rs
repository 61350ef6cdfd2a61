//! What a platform CLI embedding libfed would write: mesh the clusters a file lists, both ways,
//! and print the report as JSON.
//!
//! ```sh
//! printf 'cluster-a\ncluster-b\ncluster-c\n' > clusters.txt
//! cargo run -p libfed --example mesh_from_file -- clusters.txt [--dry-run]
//! ```
//!
//! The file holds one kubeconfig context per line (`#` starts a comment). The kubeconfig is the
//! user's (`KUBECONFIG`, merged like kubectl). Exit 1 when a link failed.

use std::time::Duration;

use libfed::cluster::Cluster;
use libfed::credential::TokenChoice;
use libfed::federate::{FederateOptions, Member, federate, mesh_links};
use libfed::link::LinkOptions;
use libfed::plan::Execution;
use libfed::remote::RemoteOptions;

#[tokio::main]
async fn main() -> Result<std::process::ExitCode, Box<dyn std::error::Error>> {
    libfed::tls::ensure_crypto_provider();
    let mut args = std::env::args().skip(1);
    let file = args.next().ok_or("usage: mesh_from_file FILE [--dry-run]")?;
    let dry_run = args.next().as_deref() == Some("--dry-run");
    // The same limit the plugin puts on `mesh -f`.
    let text = libfed::input::read_text(std::path::Path::new(&file), libfed::input::MAX_INPUT_BYTES)?;
    let contexts: Vec<&str> =
        text.lines().map(|l| l.split('#').next().unwrap_or_default().trim()).filter(|l| !l.is_empty()).collect();

    let kubeconfig = libfed::kubeconfig::load(None)?;
    let mut members = Vec::new();
    for context in &contexts {
        let cluster = Cluster::from_kubeconfig(&kubeconfig, context, None, Some(Duration::from_secs(30))).await?;
        members.push(Member { cluster, server: None, ca_pem: None });
    }
    let options = FederateOptions {
        remote: RemoteOptions {
            namespace: libfed::names::DEFAULT_REMOTE_NAMESPACE.into(),
            token: TokenChoice::keep(),
            token_wait: Duration::from_secs(60),
            server: None,
            ca_pem: None,
            allow_loopback: true,
        },
        link: LinkOptions { secret_namespace: libfed::names::DEFAULT_SECRET_NAMESPACE.into(), overlay_routing: None },
        execution: if dry_run { Execution::DryRunClient } else { Execution::Apply },
        parallel: 8,
        progress: Default::default(),
    };
    options.validate(&members)?;
    let report = federate(&members, &mesh_links(members.len()), &options).await;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(if report.failed() { std::process::ExitCode::FAILURE } else { std::process::ExitCode::SUCCESS })
}

//! What a monitoring sidecar embedding libfed would write: check every federation link of the
//! given local clusters with the credential Calico uses, every INTERVAL seconds, and print a line
//! whenever a link's health changes.
//!
//! ```sh
//! cargo run -p libfed --example watch_status -- cluster-a,cluster-b 30 [ROUNDS]
//! ```
//!
//! Runs ROUNDS checks (default: forever). Lines look like
//! `2026-11-26T06:40:00Z cluster-a -> cluster-b: ok -> error (secret: secret calico-system/x not found)`.

use std::collections::BTreeMap;
use std::time::Duration;

use libfed::cluster::Cluster;
use libfed::status::{StatusOptions, check_status, known_contexts};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    libfed::tls::ensure_crypto_provider();
    let mut args = std::env::args().skip(1);
    let contexts = args.next().ok_or("usage: watch_status CONTEXT[,CONTEXT...] INTERVAL_SECONDS [ROUNDS]")?;
    let interval = Duration::from_secs(args.next().map_or(Ok(30), |s| s.parse())?);
    let rounds: Option<u64> = args.next().map(|s| s.parse()).transpose()?;

    let kubeconfig = libfed::kubeconfig::load(None)?;
    let mut locals = Vec::new();
    for context in contexts.split(',') {
        locals.push(Cluster::from_kubeconfig(&kubeconfig, context, None, Some(Duration::from_secs(10))).await?);
    }
    let options = StatusOptions { contexts: known_contexts(&kubeconfig), allow_loopback: true, ..Default::default() };
    let mut last: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut round = 0;
    loop {
        let report = check_status(&locals, &options).await;
        for link in &report.links {
            let now = link.outcome.as_str().to_owned();
            let key = (link.local.clone(), link.remote.clone());
            let before = last.insert(key, now.clone());
            if before.as_deref() != Some(now.as_str()) {
                let why =
                    link.first_problem().map(|c| format!(" ({}: {})", c.name.as_str(), c.message)).unwrap_or_default();
                println!(
                    "{} {} -> {}: {} -> {now}{why}",
                    report.checked_at,
                    link.local,
                    link.remote,
                    before.as_deref().unwrap_or("new")
                );
            }
        }
        round += 1;
        if rounds.is_some_and(|r| round >= r) {
            return Ok(());
        }
        tokio::time::sleep(interval).await;
    }
}

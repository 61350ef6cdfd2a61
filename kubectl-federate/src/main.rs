//! `kubectl-federate`: the kubectl plugin. A thin binary over `libfed`: it parses flags into
//! settings, calls the library, and renders reports. Data goes to stdout, everything else to stderr.

mod aws_setup;
mod cli;
mod clusters;
mod commands;
mod exit;
mod links_view;
mod members;
mod output;
mod progress;
mod report_error;
mod settings;

use std::process::ExitCode;

use clap::Parser;

use crate::exit::ExitStatus;

fn main() -> ExitCode {
    libfed::tls::ensure_crypto_provider();

    let cli = match cli::Cli::try_parse_from(cli::normalize_verbosity(std::env::args_os())) {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = err.print();
            return if err.use_stderr() { ExitStatus::Usage.into() } else { ExitCode::SUCCESS };
        }
    };
    settings::init_logging(&cli.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(err) => {
            report_error::print(&anyhow::Error::new(err).context("cannot start the async runtime"), &cli.global);
            return ExitStatus::Usage.into();
        }
    };
    let global = cli.global.clone();
    let result = runtime.block_on(commands::run(cli));
    if global.verbose > 0 {
        print_request_counts(global.verbose);
    }
    match result {
        Ok(code) => code.into(),
        Err(err) => {
            if report_error::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            report_error::print(&err, &global);
            report_error::exit_code(&err).into()
        }
    }
}

/// `-v`: how many API requests the command made (`-vv`: per API server), on stderr.
fn print_request_counts(verbose: u8) {
    let counts = libfed::requests::snapshot();
    eprintln!("{}", libfed::requests::summary(&counts));
    if verbose > 1 {
        for c in &counts {
            eprintln!("  {}: {} ({} reads, {} writes)", c.server, c.total(), c.reads, c.writes);
        }
    }
}

//! One file per subcommand; each returns the process exit code.

mod version;

use crate::cli::{Cli, Command};

/// Runs the chosen subcommand.
pub async fn run(cli: Cli) -> anyhow::Result<u8> {
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Command::Version => version::run(&cli.global, &mut stdout),
    }
}

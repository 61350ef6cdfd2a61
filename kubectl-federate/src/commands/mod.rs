//! One file per subcommand; each returns the process exit code.

pub mod aws_auth;
pub mod completion;
pub mod eks;
pub mod eval;
mod federation_flags;
pub mod join;
pub mod mesh;
pub mod rotate;
pub mod status;
pub mod svc;
pub mod unjoin;
mod version;

use crate::cli::{Cli, Command};
use crate::exit::ExitStatus;

/// Runs the chosen subcommand.
pub async fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    if cli.global.output == crate::cli::OutputFormat::Dot && !matches!(cli.command, Command::Status(_)) {
        return Err(crate::report_error::Hinted::usage(
            "-o dot draws the federation, so only status has it",
            "kubectl federate status --all-contexts -o dot | dot -Tsvg > federation.svg",
        ));
    }
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Command::Join(args) => join::run(args, &cli.global, &mut stdout).await,
        Command::Unjoin(args) => unjoin::run(args, &cli.global, &mut stdout).await,
        Command::Mesh(args) => mesh::run(args, &cli.global, &mut stdout).await,
        Command::Rotate(args) => rotate::run(args, &cli.global, &mut stdout).await,
        Command::AwsAuth(args) => aws_auth::run(args, &cli.global, &mut stdout).await,
        Command::Eks(args) => eks::run(args, &cli.global, &mut stdout).await,
        Command::Eval(args) => eval::run(args, &cli.global, &mut stdout).await,
        Command::Status(args) => status::run(args, &cli.global, &mut stdout).await,
        Command::Svc(args) => svc::run(args, &cli.global, &mut stdout).await,
        Command::Version => version::run(&cli.global, &mut stdout),
        Command::Completion(args) => completion::run(&args, &mut stdout),
        Command::Complete(args) => completion::run_complete(&args, &cli.global, &mut stdout),
    }
}

//! The `trailcheck` binary: parse the command line, run, exit with the run's code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = trailcheck::cli::Cli::parse();
    trailcheck::run(
        cli,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    )
}

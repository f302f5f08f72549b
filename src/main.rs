//! The `trailcheck` binary: parse the command line, run, exit with the run's code.

use std::io;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = trailcheck::cli::Cli::parse();
    trailcheck::run(
        cli,
        &mut io::stdin().lock(),
        &mut io::stdout().lock(),
        &mut io::stderr().lock(),
    )
}

//! The `claimgraph` binary: parses the command line and hands it to `commands`.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = claimgraph::cli::Cli::parse();
    match claimgraph::commands::run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}

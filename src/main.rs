//! The `claimgraph` binary: parses the command line and hands it to `commands`.

use clap::Parser;
use std::process::ExitCode;

// A build allocates millions of small strings on both cores at once; mimalloc serves
// them from per-thread pages, where the system allocator's arenas page-faulted and
// contended.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = claimgraph::cli::Cli::parse();
    match claimgraph::commands::run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            // Each cause once: errors that already show their source in their message
            // would otherwise print it twice.
            let mut message = error.to_string();
            for cause in error.chain().skip(1) {
                let text = cause.to_string();
                if !message.contains(&text) {
                    message.push_str(": ");
                    message.push_str(&text);
                }
            }
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

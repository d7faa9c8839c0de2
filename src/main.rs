//! The `claimgraph` binary: parses the command line and hands it to `commands`.

use clap::Parser;
use std::process::ExitCode;

// A build allocates millions of small strings on both cores at once; mimalloc serves
// them from per-thread pages, where the system allocator's arenas page-faulted and
// contended.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    without_huge_pages();
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

/// Turns off transparent huge pages for this process. mimalloc asks for them, and every
/// first touch of a huge page makes the kernel zero 2 MiB; with memory freed and taken
/// again all through a build, that zeroing took a quarter of the CPU time of a
/// 100,000-article build (27.3 s against 20.0 s without). The kernel checks the flag at
/// each page fault, so memory mapped before this call is covered too.
fn without_huge_pages() {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        // Failing only costs speed (an old kernel without the flag), so it is ignored.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}

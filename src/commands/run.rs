//! `claimgraph run`: run query scripts (`*.kgq`) through the shell's session, so a script
//! reads exactly as it would typed into `claimgraph shell`.
//!
//! A script holds one question per line, or Cypher that may span lines up to a `;` (or a
//! blank line), `#` and `//` comment lines, and any of the shell's dot-commands. Each
//! statement's rows are printed after a header line naming the statement (in table
//! mode). The first error stops the run with `file:line:column: message`; `--keep-going`
//! runs the rest and still exits non-zero.

use crate::graph;
use crate::shell::{Console, Session, Settings};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code when a statement failed.
pub const EXIT_SCRIPT_ERROR: u8 = 1;

/// Runs each script in turn on one session: parameters and modes set by one script
/// carry into the next, as they would in the shell.
pub fn run(graph_path: &Path, settings: Settings, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let graph = graph::load(graph_path)?;
    let mut session = Session::new(graph, graph_path.to_path_buf()).with_settings(Settings {
        echo: true,
        row_count: true,
        ..settings
    });
    session.set_terminal_width(crate::shell::terminal_width());
    let failures = Console::with_std(|console| -> anyhow::Result<usize> {
        let mut failures = 0usize;
        for file in files {
            let name = file.display().to_string();
            let outcome = match session.run_file(file, &name, console) {
                Ok(outcome) => outcome,
                Err(error) => {
                    writeln!(console.err, "{name}: cannot run the script: {error}")?;
                    failures += 1;
                    if settings.keep_going {
                        continue;
                    }
                    break;
                }
            };
            failures += outcome.failed;
            if outcome.quit || outcome.stopped {
                break;
            }
        }
        session.close()?;
        console.out.flush()?;
        super::discard_at_exit(session.take_graph());
        Ok(failures)
    })?;
    Ok(if failures > 0 {
        ExitCode::from(EXIT_SCRIPT_ERROR)
    } else {
        ExitCode::SUCCESS
    })
}

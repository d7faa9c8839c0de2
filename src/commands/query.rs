//! `claimgraph query`: answer one question or Cypher query, through the shell's session
//! so that its limits, timer and output match the shell's.

use crate::graph;
use crate::shell::{Console, Session, Settings, ShellError};
use std::path::Path;
use std::process::ExitCode;

/// Exit code of a query that could not be parsed or run.
pub const EXIT_QUERY_ERROR: u8 = 1;

pub fn run(graph_path: &Path, settings: Settings, input: &str) -> anyhow::Result<ExitCode> {
    let graph = graph::load(graph_path)?;
    let mut session = Session::new(graph, graph_path.to_path_buf()).with_settings(Settings {
        row_count: true,
        ..settings
    });
    session.set_terminal_width(crate::shell::terminal_width());
    Console::with_std(|console| {
        let code = match session.query(input, console) {
            Ok(_) => ExitCode::SUCCESS,
            Err(error @ ShellError::Query { .. }) => {
                writeln!(console.err, "error: {error}")?;
                ExitCode::from(EXIT_QUERY_ERROR)
            }
            Err(error) => return Err(error.into()),
        };
        console.out.flush()?;
        super::discard_at_exit(session.take_graph());
        Ok(code)
    })
}

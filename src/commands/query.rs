//! `claimgraph query`: answer one question or Cypher query.

use crate::present::{self, OutputFormat, PresentOptions};
use crate::{graph, query};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Exit code of a query that could not be parsed or run.
pub const EXIT_QUERY_ERROR: u8 = 1;

pub fn run(graph_path: &Path, format: OutputFormat, input: &str) -> anyhow::Result<ExitCode> {
    let graph = graph::load(graph_path)?;
    let results = match query::execute(&graph, input, &query::Params::new()) {
        Ok(results) => results,
        Err(error) => {
            eprintln!("{}", error.render(input));
            return Ok(ExitCode::from(EXIT_QUERY_ERROR));
        }
    };
    for note in &results.notes {
        eprintln!("note: {note}");
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let options = PresentOptions {
        row_count: true,
        ..PresentOptions::default()
    };
    present::write_results_with(&results, format, &options, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

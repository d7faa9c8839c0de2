//! `claimgraph query`: answer one question or Cypher query.

use crate::present::{self, OutputFormat};
use crate::{graph, query};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub fn run(graph_path: &Path, format: OutputFormat, input: &str) -> anyhow::Result<ExitCode> {
    let graph = graph::load(graph_path)?;
    let results = query::execute(&graph, input, &query::Params::new())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    present::write_results(&results, format, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

//! `claimgraph export`: write the graph, or the neighbourhood of a focus, for other tools.

use crate::export::{self, ExportFormat, ExportOptions};
use crate::graph;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub struct ExportArgs<'a> {
    pub graph: &'a Path,
    pub format: ExportFormat,
    pub out: Option<PathBuf>,
    pub focus: Option<String>,
    pub depth: usize,
    pub force: bool,
}

/// Prints each written file on stdout, one per line, so scripts can pick them up.
pub fn run(args: ExportArgs<'_>) -> anyhow::Result<ExitCode> {
    let graph = graph::load(args.graph)?;
    let options = ExportOptions {
        format: args.format,
        out: args.out.unwrap_or_else(|| args.format.default_out()),
        focus: args.focus,
        depth: args.depth,
        force: args.force,
    };
    let written = export::export(&graph, &options)?;
    for path in &written {
        println!("{}", path.display());
    }
    eprintln!(
        "wrote {} {} file{}",
        written.len(),
        args.format.as_str(),
        if written.len() == 1 { "" } else { "s" }
    );
    Ok(ExitCode::SUCCESS)
}

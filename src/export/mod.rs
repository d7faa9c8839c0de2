//! Writing the graph for other tools: CSV, Graphviz DOT, GraphML, Neo4j import files and
//! a Kuzu bundle.
//!
//! (Interface stub: the format writers replace this.)

use crate::graph::KnowledgeGraph;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Dot,
    Graphml,
    Neo4j,
    Kuzu,
}

#[derive(Clone, Debug)]
pub struct ExportOptions {
    pub format: ExportFormat,
    pub out: PathBuf,
    pub focus: Option<String>,
    pub depth: usize,
    pub force: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("export to {format:?} is not available yet")]
    Unsupported { format: ExportFormat },
}

/// Writes the export and returns the files written.
pub fn export(
    _graph: &KnowledgeGraph,
    options: &ExportOptions,
) -> Result<Vec<PathBuf>, ExportError> {
    Err(ExportError::Unsupported {
        format: options.format,
    })
}

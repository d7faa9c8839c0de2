//! `claimgraph stats`: counts of nodes and edges by label and type.

use crate::graph;
use std::path::Path;
use std::process::ExitCode;

pub fn run(graph_path: &Path) -> anyhow::Result<ExitCode> {
    let graph = graph::load(graph_path)?;
    let stats = graph.stats();
    let mut text = format!("nodes {}\n", stats.node_total());
    for (label, count) in &stats.nodes {
        text.push_str(&format!("  {label:<14} {count}\n"));
    }
    text.push_str(&format!("edges {}\n", stats.edge_total()));
    for (rel, count) in &stats.edges {
        text.push_str(&format!("  {rel:<16} {count}\n"));
    }
    text.push_str(&format!("mentions {}\n", stats.mentions));
    super::discard_at_exit(graph);
    super::print_out(&text)?;
    Ok(ExitCode::SUCCESS)
}

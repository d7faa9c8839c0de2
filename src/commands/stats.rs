//! `claimgraph stats`: counts of nodes and edges by label and type.

use crate::graph;
use std::path::Path;
use std::process::ExitCode;

pub fn run(graph_path: &Path) -> anyhow::Result<ExitCode> {
    let graph = graph::load(graph_path)?;
    let stats = graph.stats();
    println!("nodes {}", stats.node_total());
    for (label, count) in &stats.nodes {
        println!("  {label:<14} {count}");
    }
    println!("edges {}", stats.edge_total());
    for (rel, count) in &stats.edges {
        println!("  {rel:<16} {count}");
    }
    println!("mentions {}", stats.mentions);
    Ok(ExitCode::SUCCESS)
}

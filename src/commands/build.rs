//! `claimgraph build`: read the corpus, extract, resolve, save the graph.

use crate::{corpus, graph, pipeline};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code when the graph was built but some files were skipped.
const EXIT_SKIPPED: u8 = 2;

pub fn run(paths: &[PathBuf], graph_path: &Path, _full: bool) -> anyhow::Result<ExitCode> {
    let corpus = corpus::read_corpus(paths)?;
    for problem in &corpus.problems {
        eprintln!("warning: {}: {}", problem.path.display(), problem.message);
    }
    let graph = pipeline::build_graph(&corpus.documents);
    graph::save(&graph, graph_path).with_context(|| "the graph was not saved")?;
    let stats = graph.stats();
    let skipped = corpus.problems.iter().filter(|p| p.skipped).count();
    eprintln!(
        "built {} from {} documents: {} nodes, {} edges{}",
        graph_path.display(),
        corpus.documents.len(),
        stats.node_total(),
        stats.edge_total(),
        if skipped > 0 {
            format!("; {skipped} files skipped")
        } else {
            String::new()
        }
    );
    Ok(if skipped > 0 {
        ExitCode::from(EXIT_SKIPPED)
    } else {
        ExitCode::SUCCESS
    })
}

//! Running the binary and reading what it wrote.

use claimgraph::graph::{GraphRead, KnowledgeGraph, Label};
use std::path::Path;
use std::process::{Command, Output};

pub fn claimgraph(args: &[&str]) -> Output {
    claimgraph_in(Path::new("."), args)
}

pub fn claimgraph_in(folder: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .current_dir(folder)
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// Builds `paths` into `graph` and returns the process output.
pub fn build(paths: &[&Path], graph: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build"];
    args.extend(paths.iter().map(|p| path_str(p)));
    args.extend(["--graph", path_str(graph)]);
    args.extend(extra);
    claimgraph(&args)
}

/// The ids of the Document nodes of a saved graph, sorted.
pub fn document_ids(graph: &KnowledgeGraph) -> Vec<String> {
    let mut ids: Vec<String> = graph
        .nodes_with_label(Label::Document)
        .into_iter()
        .map(|id| graph.node(id).name.clone())
        .collect();
    ids.sort();
    ids
}

/// Asserts that some line of `stderr` is a warning naming `file` and saying `message`.
pub fn assert_warned(stderr: &str, file: &str, message: &str) {
    assert!(
        stderr.lines().any(|line| line.starts_with("warning: ")
            && line.contains(file)
            && line.contains(message)),
        "no warning naming {file} with {message:?} in:\n{stderr}"
    );
}

/// A short article with a claim the extractor finds, naming `place`.
pub fn article(place: &str) -> String {
    format!(
        "Regional governor Oleh Syniehubov said that 12 people were killed in a strike on {place}.\n"
    )
}

//! End to end on the bundled sample corpus: build with the real binary, ask questions,
//! and check what a user sees; plus damaged graph files and unreadable corpus files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn claimgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn build(corpus: &Path, graph: &Path) {
    let out = claimgraph(&[
        "build",
        corpus.to_str().unwrap(),
        "--graph",
        graph.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn build_sample(dir: &Path) -> PathBuf {
    let graph = dir.join("sample.cgraph");
    build(&corpus(), &graph);
    graph
}

fn json_rows(graph: &Path, question: &str) -> Vec<serde_json::Value> {
    let out = claimgraph(&[
        "query",
        "--graph",
        graph.to_str().unwrap(),
        "--format",
        "json",
        question,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is a JSON object"))
        .collect()
}

#[test]
fn questions_on_the_sample_corpus_name_sources_with_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_sample(dir.path());

    let luhansk = json_rows(&graph, "who reported desertions in Luhansk");
    assert!(!luhansk.is_empty());
    let row = &luhansk[0];
    for column in [
        "reporter",
        "reporter_kind",
        "topic",
        "quantity",
        "places",
        "via",
        "document",
        "sentence",
    ] {
        assert!(row.get(column).is_some(), "missing column {column}");
    }
    assert!(luhansk.iter().any(
        |r| r["reporter"].as_str().unwrap().contains("General Staff")
            && !r["sentence"].as_str().unwrap().is_empty()
    ));

    let zakharova = json_rows(&graph, "who is Zakharova");
    assert_eq!(zakharova.len(), 1);
    assert_eq!(zakharova[0]["name"], "Maria Zakharova");
    assert!(zakharova[0]["roles"].to_string().contains("spokesperson"));

    let voloshyn = json_rows(&graph, "what did Voloshyn say");
    assert!(voloshyn
        .iter()
        .any(|r| r["quantity"].as_str().is_some_and(|q| q.contains("4,500"))));
    assert!(voloshyn
        .iter()
        .any(|r| r["via"].to_string().contains("Ukrinform")));

    // Spelling variants meet: Kupiansk and Kupyansk are one place.
    let kupiansk = json_rows(&graph, "which sources mention Kupyansk");
    assert!(kupiansk.len() >= 2, "{kupiansk:?}");
}

#[test]
fn a_truncated_graph_file_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let graph = build_sample(dir.path());
    let bytes = std::fs::read(&graph).unwrap();
    let cut = dir.path().join("cut.cgraph");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = claimgraph(&["stats", "--graph", cut.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("truncated") && stderr.contains("cut.cgraph"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn an_unreadable_file_is_named_and_the_rest_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    std::fs::write(
        articles.join("good.txt"),
        "Regional governor Oleh Syniehubov said that 12 people were killed in a strike on Kharkiv.\n",
    )
    .unwrap();
    std::fs::write(articles.join("binary.txt"), b"\x00\x01\x02 not text").unwrap();
    let graph = dir.path().join("g.cgraph");
    let out = claimgraph(&[
        "build",
        articles.to_str().unwrap(),
        "--graph",
        graph.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "skipped files are reflected in the exit code"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("binary.txt"));
    let rows = json_rows(&graph, "who is Syniehubov");
    assert_eq!(rows.len(), 1);
    assert!(rows[0]["roles"].to_string().contains("governor"));
}

/// `build` links agreeing and conflicting claims as it writes the file, without adding
/// them to the graph first; the file must be the one of the graph with its links added,
/// saved the ordinary way (what the shell and the library do).
#[test]
fn the_build_command_writes_the_linked_graph_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let corpus_dir = dir.path().join("corpus");
    claimgraph::corpus::synth::write_corpus(&corpus_dir, 60, 5).unwrap();
    let built = dir.path().join("built.cgraph");
    build(&corpus_dir, &built);
    let read = claimgraph::corpus::read_corpus(&[corpus_dir]).unwrap();
    let graph = claimgraph::pipeline::build_graph(&read.documents);
    let stats = graph.stats();
    use claimgraph::graph::RelType::{Contradicts, Corroborates};
    let links: usize = [Contradicts, Corroborates]
        .iter()
        .filter_map(|rel| stats.edges.get(rel))
        .sum();
    assert!(links > 0, "the corpus has claims to link: {stats:?}");
    let saved = dir.path().join("saved.cgraph");
    claimgraph::graph::save(&graph, &saved).unwrap();
    // The build's file also ends with its build record, after the graph itself.
    let (built_bytes, saved_bytes) = (
        std::fs::read(&built).unwrap(),
        std::fs::read(&saved).unwrap(),
    );
    assert!(
        built_bytes.starts_with(&saved_bytes),
        "the build command's file differs from the saved graph's"
    );
    let record = claimgraph::graph::BuildRecord::of_file(&built).expect("a build record");
    assert_eq!(record.nodes, stats.node_total() as u64);
    assert_eq!(record.edges, stats.edge_total() as u64);
    assert_eq!(claimgraph::graph::BuildRecord::of_file(&saved), None);
}

//! `claimgraph export` run as a user would: default paths, overwrite refusal, focus.

mod export_support;

use export_support::*;
use std::path::Path;
use std::process::{Command, Output};

fn claimgraph(folder: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .current_dir(folder)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A temporary folder holding the hostile graph as `g.cgraph`.
fn folder_with_graph() -> (tempfile::TempDir, Fixture) {
    let folder = tempfile::tempdir().unwrap();
    let fixture = hostile_graph();
    claimgraph::graph::save(&fixture.graph, &folder.path().join("g.cgraph")).unwrap();
    (folder, fixture)
}

#[test]
fn default_output_goes_under_exports_and_is_not_overwritten() {
    let (folder, _) = folder_with_graph();
    let dir = folder.path();
    let first = claimgraph(dir, &["export", "--graph", "g.cgraph", "--format", "dot"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        String::from_utf8_lossy(&first.stdout).trim(),
        "exports/graph.dot"
    );
    let dot = std::fs::read_to_string(dir.join("exports/graph.dot")).unwrap();
    assert!(dot.starts_with("// claimgraph export"));

    let second = claimgraph(dir, &["export", "--graph", "g.cgraph", "--format", "dot"]);
    assert_eq!(second.status.code(), Some(1));
    assert!(
        stderr(&second).contains("exports/graph.dot already exists; pass --force"),
        "{}",
        stderr(&second)
    );

    let forced = claimgraph(
        dir,
        &[
            "export", "--graph", "g.cgraph", "--format", "dot", "--force",
        ],
    );
    assert!(forced.status.success(), "{}", stderr(&forced));

    for (format, path) in [
        ("graphml", "exports/graph.graphml"),
        ("csv", "exports/csv/nodes.csv"),
        ("neo4j", "exports/neo4j/README.txt"),
        ("kuzu", "exports/kuzu/schema.cypher"),
    ] {
        let run = claimgraph(dir, &["export", "--graph", "g.cgraph", "--format", format]);
        assert!(run.status.success(), "{format}: {}", stderr(&run));
        assert!(dir.join(path).is_file(), "{path}");
    }
}

#[test]
fn out_creates_missing_folders_and_focus_narrows_the_export() {
    let (folder, fixture) = folder_with_graph();
    let dir = folder.path();
    let run = claimgraph(
        dir,
        &[
            "export",
            "--graph",
            "g.cgraph",
            "--format",
            "csv",
            "--out",
            "a/b/c",
            "--focus",
            "desertions",
            "--depth",
            "1",
        ],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let nodes = std::fs::read_to_string(dir.join("a/b/c/nodes.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(nodes.as_bytes());
    let mut ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    ids.sort();
    let mut expected: Vec<String> = [
        fixture.desertion,
        fixture.person,
        fixture.organization,
        fixture.kyiv,
        fixture.document,
        fixture.casualties,
    ]
    .iter()
    .map(|id| key(*id))
    .collect();
    expected.sort();
    assert_eq!(ids, expected);
}

#[test]
fn unknown_focus_is_an_error_naming_it() {
    let (folder, _) = folder_with_graph();
    let run = claimgraph(
        folder.path(),
        &[
            "export", "--graph", "g.cgraph", "--format", "graphml", "--focus", "Atlantis",
        ],
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("no entity or topic 'Atlantis'"),
        "{}",
        stderr(&run)
    );
    assert!(
        !folder.path().join("exports").exists(),
        "nothing is written"
    );
}

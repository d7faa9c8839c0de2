//! `claimgraph shell` with statements piped to standard input: no prompts, the same
//! parser as the terminal, errors on stderr and a failing exit code.

mod shell_support;

use shell_support::{fixture_graph, run_piped, text};

#[test]
fn help_lists_every_command_without_prompts() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let output = run_piped(&graph, ".help\n", folder.path());
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    for command in [
        ".mode", ".param", ".timer", ".output", ".export", ".read", ".load", ".stats", ".schema",
        ".quit",
    ] {
        assert!(stdout.contains(command), "{command} missing from {stdout}");
    }
    assert!(!stdout.contains("claimgraph>"));
    assert!(!text(&output.stderr).contains("claimgraph>"));
}

#[test]
fn stats_and_schema_describe_the_fixture() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let output = run_piped(&graph, ".stats\n.schema\n", folder.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("nodes 6\n"), "{stdout}");
    assert!(stdout.contains("  Place          2\n"), "{stdout}");
    assert!(stdout.contains("  MENTIONED_IN     4\n"), "{stdout}");
    assert!(
        stdout.contains("Person              1  name, aliases, roles"),
        "{stdout}"
    );
}

#[test]
fn a_missing_graph_starts_empty_and_says_so() {
    let folder = tempfile::tempdir().unwrap();
    let output = run_piped(
        &folder.path().join("none.cgraph"),
        ".stats\n",
        folder.path(),
    );
    assert!(output.status.success());
    assert!(text(&output.stderr).contains("starting with an empty graph"));
    assert!(text(&output.stdout).starts_with("nodes 0\n"));
}

#[test]
fn a_failed_statement_is_reported_and_fails_the_run() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let output = run_piped(&graph, ".mdoe csv\n.stats\n", folder.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("stdin:1:1: unknown command .mdoe (did you mean .mode?)"),
        "{stderr}"
    );
    // The statements after the error still run.
    assert!(text(&output.stdout).contains("nodes 6"));
}

#[test]
fn a_broken_cypher_statement_fails_the_run() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let output = run_piped(
        &graph,
        "who is Voloshyn\nMATCH (p:Person)\n  RETURN p.name, q;\n",
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    // The fault is named by the line of the input it is on, and drawn with a caret.
    assert_eq!(
        text(&output.stderr),
        "stdin:3:18: unknown variable 'q'; name it in a MATCH pattern first\n  |\n3 |   RETURN p.name, q\n  |                  ^\n"
    );
}

#[test]
fn parameters_and_the_timer() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let output = run_piped(
        &graph,
        ".param who 'Vladyslav Voloshyn'\n.param n 12\n.param\n.timer on\n.stats\n",
        folder.path(),
    );
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with("$n = 12\n$who = 'Vladyslav Voloshyn'\n"),
        "{stdout}"
    );
    assert!(text(&output.stderr).contains(" ms"));
}

#[test]
fn output_sends_listings_to_a_file() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let output = run_piped(
        &graph,
        ".output stats.txt\n.stats\n.output\n.mode\n",
        folder.path(),
    );
    assert!(output.status.success());
    let written = std::fs::read_to_string(folder.path().join("stats.txt")).unwrap();
    assert!(written.starts_with("nodes 6\n"));
    assert_eq!(text(&output.stdout), "table\n");
}

#[test]
fn load_builds_and_saves_a_graph_that_did_not_exist() {
    let folder = tempfile::tempdir().unwrap();
    let articles = folder.path().join("articles");
    std::fs::create_dir(&articles).unwrap();
    std::fs::write(articles.join("a.txt"), "Officials spoke about the front.").unwrap();
    std::fs::write(articles.join("b.md"), "# Report\n\nAnother short note.").unwrap();
    let graph = folder.path().join("built.cgraph");
    let output = run_piped(&graph, ".load articles\n", folder.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("added 2 articles"));

    let stats = std::process::Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .args(["stats", "--graph"])
        .arg(&graph)
        .output()
        .unwrap();
    assert!(
        text(&stats.stdout).contains("Document"),
        "{}",
        text(&stats.stdout)
    );
}

// The tests below need the query engine, the table writer and the exports; they pass
// once `MATCH (p:Person) RETURN p.name` is answered.

#[test]
fn multi_line_cypher_is_answered_in_csv() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let output = run_piped(
        &graph,
        ".mode csv\nMATCH (p:Person)\nRETURN p.name;\n",
        folder.path(),
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, vec!["p.name", "Vladyslav Voloshyn"], "{stdout}");
}

#[test]
fn parameters_reach_the_query() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let output = run_piped(
        &graph,
        ".mode json\n.param place Kreminna\nMATCH (x:Place) WHERE x.name = $place RETURN x.kind;\n",
        folder.path(),
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("\"city\""),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn read_runs_a_script_of_questions_and_cypher() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    std::fs::write(
        folder.path().join("people.kgq"),
        "// every person\nMATCH (p:Person)\nRETURN p.name;\n",
    )
    .unwrap();
    let output = run_piped(&graph, ".mode csv\n.read people.kgq\n", folder.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("Vladyslav Voloshyn"));
}

#[test]
fn export_writes_the_graph() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let output = run_piped(&graph, ".export dot graph.dot\n", folder.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let dot = std::fs::read_to_string(folder.path().join("graph.dot")).unwrap();
    assert!(dot.contains("Vladyslav Voloshyn"));
}

//! Golden tests: every `tests/queries/NAME.kgq` is run by the real binary (`claimgraph
//! run --keep-going`) on the fixture graph, and its stdout, stderr and exit code must
//! equal `NAME.expected`. Refresh the expected files with `UPDATE_EXPECT=1 cargo test
//! --test query_golden`. Also: the `query` command's exit codes, notes and formats.

mod query_fixture;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn queries_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/queries")
}

/// Saves the fixture graph once per test into a temporary folder.
fn saved_fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.cgraph");
    claimgraph::graph::save(&query_fixture::fixture(), &path).unwrap();
    (dir, path)
}

fn claimgraph(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn transcript(output: &Output) -> String {
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stderr.is_empty() {
        text.push_str("# stderr\n");
        text.push_str(&stderr);
    }
    text.push_str(&format!("# exit {}\n", output.status.code().unwrap_or(-1)));
    text
}

fn scripts() -> Vec<PathBuf> {
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(queries_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "kgq"))
        .collect();
    scripts.sort();
    scripts
}

#[test]
fn every_script_gives_its_expected_output() {
    let (_dir, graph) = saved_fixture();
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for script in scripts() {
        let name = script.file_name().unwrap().to_str().unwrap();
        let output = claimgraph(
            &[
                "run",
                "--graph",
                graph.to_str().unwrap(),
                "--keep-going",
                name,
            ],
            &queries_dir(),
        );
        let actual = transcript(&output);
        let expected_path = script.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{name}:\n--- expected\n{expected}\n--- actual\n{actual}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_script_has_an_expected_file_and_every_expected_file_a_script() {
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(queries_dir()).unwrap() {
        let path = entry.unwrap().path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("kgq") if !path.with_extension("expected").exists() => {
                problems.push(format!("{} has no .expected file", path.display()))
            }
            Some("expected") if !path.with_extension("kgq").exists() => {
                problems.push(format!("{} has no .kgq script", path.display()))
            }
            Some("kgq" | "expected") => {}
            _ => problems.push(format!("{} is neither .kgq nor .expected", path.display())),
        }
    }
    assert!(problems.is_empty(), "{problems:?}");
    assert!(scripts().len() >= 10, "the golden scripts were not found");
}

#[test]
fn unknown_name_answers_zero_rows_with_a_note_and_exit_zero() {
    let (dir, graph) = saved_fixture();
    let output = claimgraph(
        &["query", "--graph", graph.to_str().unwrap(), "who is Voice"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("name "), "{stdout}");
    assert!(stdout.contains("(0 rows)"), "{stdout}");
    let output = claimgraph(
        &[
            "query",
            "--graph",
            graph.to_str().unwrap(),
            "who reported desertions in Luhansck",
        ],
        dir.path(),
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("no place 'Luhansck'; did you mean Luhansk?"),
        "{stderr}"
    );
}

#[test]
fn query_errors_draw_a_caret_and_exit_non_zero() {
    let (dir, graph) = saved_fixture();
    let output = claimgraph(
        &[
            "query",
            "--graph",
            graph.to_str().unwrap(),
            "MATCH (p:Persn) RETURN p",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "error: line 1, column 10: unknown label 'Persn'; labels are Document, Person, Organization, Unit, Place, Claim\n  |\n1 | MATCH (p:Persn) RETURN p\n  |          ^\n"
    );
}

#[test]
fn json_output_is_one_typed_object_per_row() {
    let (dir, graph) = saved_fixture();
    let output = claimgraph(
        &[
            "query",
            "--graph",
            graph.to_str().unwrap(),
            "--format",
            "json",
            "how many desertions in Luhansk",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(rows.len(), 3, "{stdout}");
    let yusov = rows
        .iter()
        .find(|row| row["reporter"] == "Andriy Yusov")
        .expect("Yusov's figure");
    assert_eq!(yusov["low"], serde_json::json!(200.0));
    assert_eq!(yusov["period"], "each month");
    let hur = rows
        .iter()
        .find(|row| row["reporter"] == "Main Intelligence Directorate")
        .unwrap();
    assert_eq!(hur["high"], serde_json::Value::Null);
}

#[test]
fn csv_output_has_a_header_and_joined_lists() {
    let (dir, graph) = saved_fixture();
    let output = claimgraph(
        &[
            "query",
            "--graph",
            graph.to_str().unwrap(),
            "--format",
            "csv",
            "what did Yusov say",
        ],
        dir.path(),
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        ["claim", "topic", "quantity", "places", "via", "document"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][4], "Main Intelligence Directorate; Reuters");
}

#[test]
fn a_script_stops_at_its_first_error_with_file_line_and_column() {
    let (dir, graph) = saved_fixture();
    let script = dir.path().join("broken.kgq");
    std::fs::write(
        &script,
        "# two statements, the second broken\nwho is Syrskyi\nMATCH (p:Person)\n  WHERE p.name = \n  RETURN p;\nwho is Yusov\n",
    )
    .unwrap();
    let output = claimgraph(
        &["run", "--graph", graph.to_str().unwrap(), "broken.kgq"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("broken.kgq:5:3: expected an expression, found 'RETURN'"),
        "{stderr}"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("Oleksandr Syrskyi") && !stdout.contains("Andriy Yusov"),
        "{stdout}"
    );
    let output = claimgraph(
        &[
            "run",
            "--graph",
            graph.to_str().unwrap(),
            "--keep-going",
            "broken.kgq",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8(output.stdout)
        .unwrap()
        .contains("Andriy Yusov"));
}

#[test]
fn the_example_scripts_in_queries_run_cleanly_on_the_sample_corpus() {
    // The README runs these on the sample corpus, so that is where they must answer.
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let graph = dir.path().join("sample.cgraph");
    let output = claimgraph(
        &[
            "build",
            root.join("corpus").to_str().unwrap(),
            "--graph",
            graph.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(root.join("queries"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "kgq"))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 4, "the example scripts were not found");
    for script in scripts {
        let name = script.file_name().unwrap().to_string_lossy().into_owned();
        let output = claimgraph(
            &[
                "run",
                "--graph",
                graph.to_str().unwrap(),
                script.to_str().unwrap(),
            ],
            dir.path(),
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{name}: {stderr}");
        assert!(!stderr.contains("note:"), "{name}: {stderr}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            !stdout.contains("(0 rows)"),
            "{name}: a statement found nothing\n{stdout}"
        );
    }
}

#[test]
fn max_rows_timeout_and_timer_flags_reach_every_command() {
    let (dir, graph) = saved_fixture();
    let graph = graph.to_str().unwrap();
    // --max-rows cuts the answer and says so on stderr.
    let output = claimgraph(
        &[
            "query",
            "--graph",
            graph,
            "--max-rows",
            "2",
            "MATCH (p:Place) RETURN p.name ORDER BY p.name",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.ends_with("Kherson region\n(2 rows)\n"), "{stdout}");
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "note: stopped at 2 rows (the row limit); raise it with .limit N or --max-rows N, or add LIMIT\n"
    );
    // --timeout stops a slow query with a message and a failing exit code.
    let output = claimgraph(
        &[
            "query",
            "--graph",
            graph,
            "--timeout",
            "0.000001",
            "MATCH (a), (b), (c) RETURN count(*)",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "error: line 1, column 1: the query was stopped after 0.000001 s (the time limit)"
        ),
        "{stderr}"
    );
    // --timer adds the time to the row count under each table of a script.
    let script = dir.path().join("timed.kgq");
    std::fs::write(&script, "who is Syrskyi\n").unwrap();
    let output = claimgraph(
        &["run", "--graph", graph, "--timer", "timed.kgq"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let footer = stdout.lines().rev().find(|l| !l.is_empty()).unwrap();
    assert!(
        footer.starts_with("(1 row, ") && footer.ends_with(" ms)"),
        "{stdout}"
    );
    // Bad values are refused before anything runs.
    let output = claimgraph(
        &[
            "query",
            "--graph",
            graph,
            "--max-rows",
            "none",
            "who is Syrskyi",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8(output.stderr)
        .unwrap()
        .contains("'none' is not a number of rows"));
}

#[test]
fn deep_nesting_is_refused_with_a_message_not_a_crash() {
    let (dir, graph) = saved_fixture();
    // Too long for one command-line argument, so the statements go in a script.
    let statements = [
        format!("RETURN {}1{};", "(".repeat(100_000), ")".repeat(100_000)),
        format!("MATCH (p) WHERE {}true RETURN p;", "NOT ".repeat(100_000)),
        format!("RETURN {}1{};", "[".repeat(100_000), "]".repeat(100_000)),
        format!("RETURN {}1;", "-".repeat(100_000)),
        format!("RETURN 1{};", " + 1".repeat(100_000)),
    ];
    std::fs::write(dir.path().join("deep.kgq"), statements.join("\n")).unwrap();
    let output = claimgraph(
        &[
            "run",
            "--graph",
            graph.to_str().unwrap(),
            "--keep-going",
            "deep.kgq",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let headlines: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("deep.kgq:"))
        .collect();
    assert_eq!(headlines.len(), statements.len(), "{}", &stderr[..300]);
    for (number, headline) in headlines.iter().enumerate() {
        assert!(
            headline.starts_with(&format!("deep.kgq:{}:", number + 1))
                && headline.contains(": expression nested too deeply"),
            "{headline}"
        );
    }
}

//! `claimgraph shell` in a pseudo-terminal, driven like a person at the keyboard: a
//! statement, Tab completion, a multi-line Cypher query, `.mode csv`, and history recalled
//! with the up arrow after a restart.

mod shell_support;

use expectrl::{Eof, Session};
use shell_support::fixture_graph;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const PROMPT: &str = "claimgraph> ";
const UP_ARROW: &str = "\x1b[A";
const CTRL_C: &str = "\x03";
const CTRL_D: &str = "\x04";

/// A new, empty prompt: the prompt with the cursor placed right after it. A redraw of a
/// line being typed or accepted shows the prompt too, but followed by that line, so
/// waiting for this is waiting until the shell is ready for the next line (rustyline
/// drops keys typed before it is).
fn fresh_prompt() -> String {
    format!("{PROMPT}\r\x1b[{}C", PROMPT.len())
}

/// Starts the shell on `graph` in a terminal, with its history in `history`, and waits
/// for the first prompt.
fn start(graph: &Path, history: &Path) -> Session {
    let mut command = Command::new(env!("CARGO_BIN_EXE_claimgraph"));
    command
        .args(["shell", "--graph"])
        .arg(graph)
        .env("CLAIMGRAPH_HISTORY", history)
        .env("TERM", "xterm");
    let mut shell = Session::spawn(command).expect("the shell starts in a terminal");
    // Wide enough that answers are not narrowed to fit (one test narrows it itself).
    shell
        .get_process_mut()
        .set_window_size(250, 40)
        .expect("the terminal is sized");
    // Generous: the machine is shared, and a slow start must not fail the test.
    shell.set_expect_timeout(Some(Duration::from_secs(30)));
    shell.expect(fresh_prompt()).expect("the first prompt");
    shell
}

/// Types a line and presses Enter (a terminal sends a carriage return).
fn enter(shell: &mut Session, line: &str) {
    shell.send(format!("{line}\r")).expect("the line is typed");
}

/// Types a line, presses Enter and returns what the shell printed until its next prompt.
fn run(shell: &mut Session, line: &str) -> String {
    enter(shell, line);
    let printed = shell.expect(fresh_prompt()).expect("the next prompt");
    String::from_utf8_lossy(printed.before()).into_owned()
}

fn quit(mut shell: Session) {
    enter(&mut shell, ".quit");
    shell.expect(Eof).expect("the shell leaves on .quit");
}

#[test]
fn dot_commands_run_and_ctrl_d_leaves() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let mut shell = start(&graph, &folder.path().join("history"));
    assert!(run(&mut shell, ".stats").contains("Person         1"));
    run(&mut shell, ".mode csv");
    // The output line itself, not the history hint " csv" shown while typing.
    assert!(run(&mut shell, ".mode").contains("csv\r\n"));
    shell.send(CTRL_D).unwrap();
    shell.expect(Eof).expect("Ctrl-D leaves the shell");
}

#[test]
fn tab_completes_an_entity_name() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let mut shell = start(&graph, &folder.path().join("history"));
    // Parameter values complete entity names too; `.param` then shows what was entered.
    shell.send(".param who Vladyslav V\t").unwrap();
    shell
        .expect("Vladyslav Voloshyn")
        .expect("Tab completes the name");
    run(&mut shell, "");
    assert!(run(&mut shell, ".param").contains("$who = 'Vladyslav Voloshyn'"));
    quit(shell);
}

#[test]
fn ctrl_c_cancels_the_line() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let mut shell = start(&graph, &folder.path().join("history"));
    shell.send(".param lost 1").unwrap();
    shell.expect(".param lost 1").unwrap();
    shell.send(CTRL_C).unwrap();
    shell.expect(fresh_prompt()).unwrap();
    run(&mut shell, ".param kept 2");
    let listing = run(&mut shell, ".param");
    assert!(listing.contains("$kept = 2"), "{listing:?}");
    assert!(!listing.contains("$lost"), "{listing:?}");
    quit(shell);
}

#[test]
fn history_is_recalled_with_the_up_arrow_after_a_restart() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let history = folder.path().join("data").join("history");
    let mut first = start(&graph, &history);
    run(&mut first, ".param marker 42");
    first.send(CTRL_D).unwrap();
    first.expect(Eof).unwrap();
    assert!(std::fs::read_to_string(&history)
        .unwrap()
        .contains(".param marker 42"));

    let mut second = start(&graph, &history);
    second.send(UP_ARROW).unwrap();
    second
        .expect(".param marker 42")
        .expect("the last line comes back");
    run(&mut second, "");
    assert!(run(&mut second, ".param").contains("$marker = 42"));
    quit(second);
}

#[test]
fn a_question_completed_with_tab_is_answered() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let mut shell = start(&graph, &folder.path().join("history"));
    shell.send("who is Vladyslav V\t").unwrap();
    shell
        .expect("who is Vladyslav Voloshyn")
        .expect("Tab completes the name");
    // The answer's roles column holds the title seen in the text.
    let answer = run(&mut shell, "");
    assert!(answer.contains("spokesperson"), "{answer:?}");
    quit(shell);
}

#[test]
fn multi_line_cypher_runs_at_the_semicolon_in_csv() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let mut shell = start(&graph, &folder.path().join("history"));
    run(&mut shell, ".mode csv");
    enter(&mut shell, "MATCH (p:Person)");
    // The first line alone is not run: the shell waits for the rest.
    shell.expect("MATCH (p:Person)").unwrap();
    let answer = run(&mut shell, "RETURN p.name AS person;");
    assert!(
        answer.contains("person\r\nVladyslav Voloshyn\r\n"),
        "{answer:?}"
    );
    assert!(!answer.contains("error"), "{answer:?}");
    quit(shell);
}

#[test]
fn a_hint_shows_the_rest_of_a_question_form() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let mut shell = start(&graph, &folder.path().join("history"));
    shell.send("which so").unwrap();
    // Dimmed, after the cursor: the rest of the form, not typed text.
    shell
        .expect("\x1b[2murces mention \x1b[0m")
        .expect("the hint for the question form");
    shell.send(CTRL_C).unwrap();
    shell.expect(fresh_prompt()).unwrap();
    quit(shell);
}

#[test]
fn errors_are_drawn_with_a_caret_and_the_timer_counts_rows() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let mut shell = start(&graph, &folder.path().join("history"));
    let error = run(&mut shell, "MATCH (p:Persn) RETURN p;");
    assert!(
        error.contains("error: line 1, column 10: unknown label 'Persn'"),
        "{error:?}"
    );
    assert!(
        error.contains("1 | MATCH (p:Persn) RETURN p\r\n  |          ^"),
        "{error:?}"
    );
    run(&mut shell, ".timer on");
    let answer = run(&mut shell, "MATCH (p:Person) RETURN p.name;");
    assert!(answer.contains("(1 row, "), "{answer:?}");
    assert!(answer.contains(" ms)"), "{answer:?}");
    quit(shell);
}

#[test]
fn wide_answers_fit_the_terminal() {
    let folder = tempfile::tempdir().unwrap();
    let graph = fixture_graph(folder.path());
    let mut shell = start(&graph, &folder.path().join("history"));
    shell
        .get_process_mut()
        .set_window_size(70, 24)
        .expect("the terminal is resized");
    let answer = run(&mut shell, "who is Vladyslav Voloshyn");
    let rows: Vec<&str> = answer.lines().filter(|l| l.contains(" | ")).collect();
    assert!(rows.len() >= 2, "{answer:?}");
    for row in rows {
        let row = row.trim_end_matches('\r');
        assert!(row.chars().count() <= 70, "{row:?} in {answer:?}");
    }
    assert!(answer.contains('…'), "{answer:?}");
    quit(shell);
}

//! `claimgraph eval` run as a user would: a small gold file and a two-article corpus in
//! a temporary folder, exact scores, and errors that name the gold file.

use std::path::Path;
use std::process::{Command, Output};

fn claimgraph(folder: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .current_dir(folder)
        .args(args)
        .output()
        .unwrap()
}

const ARTICLE_A: &str = "Kyiv says Russian troops quit posts near Kreminna\n\n\
KYIV (Reuters) - Serhiy Haidai, the governor of Luhansk, said on Monday that dozens of \
Russian soldiers had deserted their posts near Kreminna.\n";

const ARTICLE_B: &str = "Talks in Istanbul\n\n\
Dmitry Peskov said on Friday that Moscow was ready for talks with Kyiv in Istanbul.\n";

// Reuters is typed as a person on purpose (typed and untyped scores then differ), and
// Sievierodonetsk and the strike claim are not in the articles (misses on the gold side).
const GOLD: &str = r#"{"corpus": "articles",
 "entities": [
  {"doc": "a.txt", "name": "Kyiv", "type": "place", "aliases": []},
  {"doc": "a.txt", "name": "Kreminna", "type": "place", "aliases": []},
  {"doc": "a.txt", "name": "Reuters", "type": "person", "aliases": []},
  {"doc": "a.txt", "name": "Serhiy Haidai", "type": "person", "aliases": []},
  {"doc": "a.txt", "name": "Luhansk", "type": "place", "aliases": []},
  {"doc": "a.txt", "name": "Sievierodonetsk", "type": "place", "aliases": []},
  {"doc": "b.txt", "name": "Istanbul", "type": "place", "aliases": []},
  {"doc": "b.txt", "name": "Dmitry Peskov", "type": "person", "aliases": ["Peskov"]},
  {"doc": "b.txt", "name": "Moscow", "type": "place", "aliases": []},
  {"doc": "b.txt", "name": "Kyiv", "type": "place", "aliases": []}
 ],
 "claims": [
  {"doc": "a.txt", "reporter": "Kyiv", "via": [], "topic": "desertion",
   "places": ["Kreminna"], "quantity": null,
   "sentence": "Kyiv says Russian troops quit posts near Kreminna", "hedged": false},
  {"doc": "a.txt", "reporter": "Serhiy Haidai", "via": [], "topic": "desertion",
   "places": ["Kreminna"], "quantity": "dozens",
   "sentence": "dozens of Russian soldiers had deserted", "hedged": false},
  {"doc": "b.txt", "reporter": "Dmitry Peskov", "via": [], "topic": "negotiation",
   "places": ["Moscow", "Kyiv", "Istanbul"], "quantity": null,
   "sentence": "Dmitry Peskov said on Friday that Moscow was ready for talks with Kyiv in Istanbul.",
   "hedged": false},
  {"doc": "b.txt", "reporter": "Moscow", "via": [], "topic": "strike", "places": [],
   "quantity": "5", "sentence": "Talks in Istanbul", "hedged": false}
 ]}"#;

/// A folder with `gold/gold.json` and its articles in `gold/articles/`.
fn folder_with_gold() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let articles = folder.path().join("gold/articles");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::write(articles.join("a.txt"), ARTICLE_A).unwrap();
    std::fs::write(articles.join("b.txt"), ARTICLE_B).unwrap();
    std::fs::write(folder.path().join("gold/gold.json"), GOLD).unwrap();
    folder
}

/// The numbers of the table row that starts with `label`.
fn row(stdout: &str, label: &str) -> Vec<String> {
    let line = stdout
        .lines()
        .find(|line| line.starts_with(label))
        .unwrap_or_else(|| panic!("no row {label} in\n{stdout}"));
    line[label.len()..]
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

#[test]
fn scores_are_exact_and_the_corpus_is_found_beside_the_gold() {
    let folder = folder_with_gold();
    // Run from the temporary folder: the corpus field is relative to the gold's folder.
    let output = claimgraph(folder.path(), &["eval", "gold/gold.json"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // predicted, correct, gold, found, precision, recall, F1
    assert_eq!(
        row(&stdout, "entities typed"),
        ["9", "8", "10", "8", "0.889", "0.800", "0.842"]
    );
    assert_eq!(
        row(&stdout, "entities untyped"),
        ["9", "9", "10", "9", "1.000", "0.900", "0.947"]
    );
    assert_eq!(
        row(&stdout, "entities person"),
        ["2", "2", "3", "2", "1.000", "0.667", "0.800"]
    );
    assert_eq!(
        row(&stdout, "claims attribution"),
        ["3", "3", "4", "3", "1.000", "0.750", "0.857"]
    );
    assert!(
        stdout.contains("quantity accuracy      1/1 (100.0%)"),
        "{stdout}"
    );
    assert!(!stdout.contains("entities missed"), "{stdout}");
}

#[test]
fn verbose_lists_the_misses_on_both_sides() {
    let folder = folder_with_gold();
    let output = claimgraph(folder.path(), &["eval", "gold/gold.json", "--verbose"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    let missed = stdout.split("entities missed").nth(1).unwrap_or_default();
    assert!(
        missed.contains("a.txt  place        Sievierodonetsk"),
        "{stdout}"
    );
    assert!(missed.contains("a.txt  person       Reuters"), "{stdout}");
    let extra = stdout
        .split("entities not in gold")
        .nth(1)
        .unwrap_or_default();
    assert!(extra.contains("a.txt  organization Reuters"), "{stdout}");
    let claims = stdout.split("claims missed").nth(1).unwrap_or_default();
    assert!(claims.contains("b.txt  strike"), "{stdout}");
}

#[test]
fn corpus_option_overrides_the_gold_field() {
    let folder = folder_with_gold();
    let output = claimgraph(
        folder.path(),
        &["eval", "gold/gold.json", "--corpus", "nowhere"],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("nowhere"));
}

#[test]
fn a_missing_or_broken_gold_file_is_named() {
    let folder = folder_with_gold();
    let missing = claimgraph(folder.path(), &["eval", "absent.json"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("absent.json"));

    std::fs::write(folder.path().join("broken.json"), "{\"entities\": [").unwrap();
    let broken = claimgraph(folder.path(), &["eval", "broken.json"]);
    assert!(!broken.status.success());
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains("broken.json"), "{stderr}");
    assert!(stderr.contains("not a gold file"), "{stderr}");
}

/// A reader that stops early (`claimgraph eval gold.json | head -1`) ends the output
/// quietly: no panic, a successful exit.
#[test]
fn a_closed_pipe_is_not_an_error() {
    let folder = folder_with_gold();
    let mut child = Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .current_dir(folder.path())
        .args(["eval", "gold/gold.json", "-v"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the scores are written.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success(), "{stderr}");
}

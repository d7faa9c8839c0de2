//! Every extraction rule carries example sentences it must and must not match
//! (`tests/rules/examples.tsv`), and every rule id the extractor can emit has both kinds.

use claimgraph::corpus::Document;
use claimgraph::extract::extract_document;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

struct Example {
    line: usize,
    rule: String,
    must_match: bool,
    name: String,
    text: String,
}

fn examples() -> Vec<Example> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/rules/examples.tsv");
    let text = std::fs::read_to_string(&path).expect("examples file");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|(index, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 4, "examples.tsv:{}: four fields", index + 1);
            assert!(
                matches!(fields[1], "match" | "no_match"),
                "examples.tsv:{}: expect is match or no_match",
                index + 1
            );
            Example {
                line: index + 1,
                rule: fields[0].to_string(),
                must_match: fields[1] == "match",
                name: fields[2].to_string(),
                text: fields[3].replace("\\n", "\n"),
            }
        })
        .collect()
}

/// (rule, name) pairs of everything extraction found: mentions with their names, claims
/// with each of their rules and the reporter's name.
fn findings(text: &str) -> BTreeSet<(String, String)> {
    let document = Document {
        id: "example.txt".into(),
        path: PathBuf::from("example.txt"),
        text: text.to_string(),
        ..Document::default()
    };
    let extraction = extract_document(&document);
    let mut found = BTreeSet::new();
    for mention in &extraction.mentions {
        found.insert((mention.rule.to_string(), mention.name.clone()));
    }
    for claim in &extraction.claims {
        let reporter = &extraction.mentions[claim.reporter].name;
        for rule in claim.rule.split('+') {
            found.insert((rule.to_string(), reporter.clone()));
        }
    }
    found
}

/// The rule ids written in the extractor's source.
fn rule_ids_in_source() -> BTreeSet<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/extract");
    let pattern =
        regex::Regex::new(r#""((?:attribution|claim|name|org|person|place|unit)\.[a-z_]+)""#)
            .expect("compiles");
    // Rules appended to a claim's rule list: "+attribution.relay_chain".
    let appended = regex::Regex::new(r#""\+((?:attribution|claim)\.[a-z_]+)""#).expect("compiles");
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("src/extract") {
        let source = std::fs::read_to_string(entry.expect("entry").path()).expect("source");
        ids.extend(pattern.captures_iter(&source).map(|c| c[1].to_string()));
        ids.extend(appended.captures_iter(&source).map(|c| c[1].to_string()));
    }
    ids
}

#[test]
fn every_rule_matches_its_examples_and_only_them() {
    let mut failures = Vec::new();
    for example in examples() {
        let found = findings(&example.text);
        let hit = found.contains(&(example.rule.clone(), example.name.clone()));
        if hit != example.must_match {
            let same_rule: Vec<&String> = found
                .iter()
                .filter(|(rule, _)| *rule == example.rule)
                .map(|(_, name)| name)
                .collect();
            failures.push(format!(
                "examples.tsv:{}: {} {} '{}' (the rule found {:?}; all: {:?})",
                example.line,
                example.rule,
                if example.must_match {
                    "should find"
                } else {
                    "should not find"
                },
                example.name,
                same_rule,
                found
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_in_the_extractor_has_examples_both_ways() {
    let mut coverage: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for example in examples() {
        let entry = coverage.entry(example.rule).or_default();
        if example.must_match {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    let missing: Vec<String> = rule_ids_in_source()
        .into_iter()
        .filter(|id| {
            coverage
                .get(id)
                .is_none_or(|(yes, no)| *yes == 0 || *no == 0)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a match and a no_match example: {missing:?}"
    );
    let unknown: Vec<&String> = coverage
        .keys()
        .filter(|rule| !rule_ids_in_source().contains(*rule))
        .collect();
    assert!(
        unknown.is_empty(),
        "examples for rules that do not exist: {unknown:?}"
    );
}

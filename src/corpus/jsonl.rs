//! JSON Lines dumps: one article per line, as a JSON object.
//!
//! The text is in `text`, `body` or `content`; metadata in `title`, `outlet` (or
//! `source`), `author`, `date`, `url` and `id`. A bad line is a problem naming the
//! file and line, and the other lines are still read.

use std::path::Path;

use serde_json::{Map, Value};

use super::{clean_value, normalize_newlines, Corpus, CorpusProblem, Metadata};

pub(crate) fn read(path: &Path, file_id: &str, source: &str, corpus: &mut Corpus) {
    let before = corpus.documents.len();
    // Dumps repeat records; a repeated id gets its line number, so that every line
    // stays a document of its own with an id of its own.
    let mut ids = std::collections::HashSet::new();
    for (index, line) in source.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let problem = |message: String| CorpusProblem {
            path: path.to_path_buf(),
            message: format!("line {number}: {message}, line skipped"),
            skipped: false,
        };
        let record = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(record)) => record,
            Ok(_) => {
                corpus
                    .problems
                    .push(problem("not a JSON object".to_string()));
                continue;
            }
            Err(error) => {
                corpus
                    .problems
                    .push(problem(format!("invalid JSON ({error})")));
                continue;
            }
        };
        let Some(text) = ["text", "body", "content"]
            .iter()
            .find_map(|key| record.get(*key).and_then(Value::as_str))
            .filter(|text| !text.trim().is_empty())
        else {
            corpus
                .problems
                .push(problem("no text, body or content field".to_string()));
            continue;
        };
        let given = match record.get("id") {
            Some(Value::String(id)) if !id.trim().is_empty() => id.trim().to_string(),
            Some(Value::Number(id)) => id.to_string(),
            _ => number.to_string(),
        };
        let id = if ids.insert(given.clone()) {
            format!("{file_id}#{given}")
        } else {
            format!("{file_id}#{given}@{number}")
        };
        let metadata = Metadata {
            title: string_field(&record, &["title", "headline"]),
            outlet: string_field(&record, &["outlet", "source", "publisher"]),
            author: string_field(&record, &["author", "byline"]),
            date: string_field(&record, &["date", "published"]),
            url: string_field(&record, &["url", "link"]),
        };
        corpus.documents.push(metadata.into_document(
            id,
            path,
            normalize_newlines(text.to_string()),
        ));
    }
    // Every line was bad or blank: say so once for the file as a whole as well.
    if corpus.documents.len() == before {
        corpus.problems.push(CorpusProblem {
            path: path.to_path_buf(),
            message: "no readable articles, skipped".into(),
            skipped: true,
        });
    }
}

/// The first of `keys` that holds a non-empty string (or a name inside an object such
/// as `"source": {"name": "..."}`, which news APIs often return).
fn string_field(record: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| match record.get(*key)? {
        Value::String(value) => clean_value(value),
        Value::Object(inner) => inner.get("name")?.as_str().and_then(clean_value),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use crate::corpus::{read_corpus, Corpus};
    use std::path::PathBuf;

    fn read(content: &str) -> (Corpus, PathBuf, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dump.jsonl");
        std::fs::write(&path, content).unwrap();
        let corpus = read_corpus(&[dir.path().to_path_buf()]).unwrap();
        (corpus, path, dir)
    }

    #[test]
    fn a_repeated_id_gets_its_line_number() {
        let (corpus, _path, _dir) = read(concat!(
            r#"{"id": "a1", "text": "First."}"#,
            "\n",
            r#"{"id": "a1", "text": "First, again."}"#,
            "\n",
            r#"{"id": 3, "text": "Third."}"#,
            "\n",
            r#"{"text": "Fourth, without an id."}"#,
            "\n",
            r#"{"text": "Fifth, without one."}"#,
            "\n",
        ));
        let ids: Vec<_> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "dump.jsonl#a1",
                "dump.jsonl#a1@2",
                "dump.jsonl#3",
                "dump.jsonl#4",
                "dump.jsonl#5"
            ]
        );
    }

    #[test]
    fn each_line_is_an_article_with_metadata() {
        let (corpus, path, _dir) = read(concat!(
            r#"{"id": "a1", "text": "First.", "title": "T1", "outlet": "Outlet One", "author": "A", "date": "2024-01-01", "url": "https://example.org/1"}"#,
            "\n",
            r#"{"body": "Second.", "source": {"name": "Wire"}, "id": 7}"#,
            "\n\n",
            r#"{"content": "Third.\r\nMore."}"#,
            "\n",
        ));
        assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
        let ids: Vec<_> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["dump.jsonl#a1", "dump.jsonl#7", "dump.jsonl#4"]);
        let first = &corpus.documents[0];
        assert_eq!(first.text, "First.");
        assert_eq!(first.title.as_deref(), Some("T1"));
        assert_eq!(first.outlet.as_deref(), Some("Outlet One"));
        assert_eq!(first.author.as_deref(), Some("A"));
        assert_eq!(first.date.as_deref(), Some("2024-01-01"));
        assert_eq!(first.url.as_deref(), Some("https://example.org/1"));
        assert_eq!(first.path, path);
        assert_eq!(corpus.documents[1].outlet.as_deref(), Some("Wire"));
        assert_eq!(corpus.documents[2].text, "Third.\nMore.");
    }

    #[test]
    fn bad_lines_are_problems_and_the_rest_is_read() {
        let (corpus, path, _dir) = read(
            "{\"text\": \"Good one.\"}\n{not json\n[1, 2]\n{\"title\": \"no text\"}\n{\"text\": \"Good two.\"}\n",
        );
        assert_eq!(corpus.documents.len(), 2);
        assert_eq!(corpus.documents[1].id, "dump.jsonl#5");
        let messages: Vec<_> = corpus.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 3);
        assert!(
            messages[0].starts_with("line 2: invalid JSON"),
            "{}",
            messages[0]
        );
        assert!(messages[1].starts_with("line 3: not a JSON object"));
        assert!(messages[2].starts_with("line 4: no text"));
        assert!(corpus.problems.iter().all(|p| p.path == path && !p.skipped));
    }

    #[test]
    fn file_with_only_bad_lines_is_skipped() {
        let (corpus, _path, _dir) = read("nope\n");
        assert!(corpus.documents.is_empty());
        assert_eq!(corpus.problems.len(), 2);
        assert!(corpus.problems[1].skipped);
    }
}

//! Corpus input from scrapers and browsers: each broken file is named in a warning, the
//! build summary counts it, and every good file is still built.

use super::support::*;
use claimgraph::graph::{self, GraphRead, Label};
use std::fs;
use std::path::Path;

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    fs::write(dir.join(name), bytes).unwrap();
}

/// Claims read from one document, as (sentence text, start offset).
fn claims_of(graph: &graph::KnowledgeGraph, document: &str) -> Vec<(String, u32)> {
    graph
        .nodes_with_label(Label::Claim)
        .into_iter()
        .map(|id| graph.node(id))
        .filter_map(|node| Some((node.name.clone(), node.claim()?)))
        .filter(|(_, claim)| claim.document == document)
        .map(|(text, claim)| (text, claim.start))
        .collect()
}

#[test]
fn every_broken_file_is_named_and_the_rest_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    fs::create_dir(&articles).unwrap();
    write(&articles, "good.txt", article("Kharkiv"));
    write(&articles, "empty.txt", "");
    write(&articles, "blank.md", " \r\n\t\n");
    write(
        &articles,
        "binary.txt",
        b"\x7fELF\x02\x01\x01\x00\x00\x00 an executable",
    );
    write(
        &articles,
        "latin1.txt",
        b"Caf\xe9 owner Oleh Syniehubov said that 3 people were killed in Izyum.\n",
    );
    write(
        &articles,
        "bom_crlf.txt",
        format!("\u{feff}{}", article("Sumy").replace('\n', "\r\n")),
    );
    write(
        &articles,
        "scripts.txt",
        format!(
            "Губернатор сообщил о потерях. الجيش الأوكراني 北京 😀\n\n{}",
            article("Odesa")
        ),
    );
    // A scraped page with a megabyte of text and no full stop: finishes and extracts.
    let long_line =
        "Maria Zakharova said that 500 soldiers deserted near Bakhmut, and ".repeat(16_000);
    write(&articles, "long_line.txt", &long_line);
    // 100,000 nested elements: refused by a linear pre-scan, not parsed in quadratic time.
    write(
        &articles,
        "deep.html",
        format!(
            "<html><body>{}Deep text.{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        ),
    );
    write(
        &articles,
        "chrome.html",
        "<html><body><nav>Menu</nav></body></html>",
    );
    // 100 MB, sparse so the test writes nothing: skipped by its size before reading.
    fs::File::create(articles.join("huge.txt"))
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    write(
        &articles,
        "notes.json",
        "{\"ignored\": \"not an article extension\"}",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&articles, articles.join("loop")).unwrap();
        // A socket with an article's extension: opening it would fail or block.
        let _socket = std::os::unix::net::UnixListener::bind(articles.join("socket.txt")).unwrap();
    }

    let graph_path = dir.path().join("g.cgraph");
    let out = build(&[&articles], &graph_path, &[]);
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "skips give exit status 2:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_warned(&err, "empty.txt", "empty file, skipped");
    assert_warned(&err, "blank.md", "empty file, skipped");
    assert_warned(&err, "binary.txt", "binary file, skipped");
    assert_warned(
        &err,
        "latin1.txt",
        "invalid UTF-8, bad bytes replaced with U+FFFD",
    );
    assert_warned(
        &err,
        "deep.html",
        "HTML elements nested more than 512 deep, skipped",
    );
    assert_warned(&err, "chrome.html", "no article text, skipped");
    assert_warned(
        &err,
        "huge.txt",
        "larger than the size limit (100 MB > 50 MB), skipped; raise it with --max-file-size",
    );
    #[cfg(unix)]
    {
        assert_warned(&err, "loop", "symlink loop, skipped");
        assert_warned(&err, "socket.txt", "not a regular file");
    }
    assert!(
        !err.contains("notes.json"),
        "other extensions are ignored quietly"
    );
    let summary = err
        .lines()
        .find(|line| line.starts_with("read "))
        .unwrap_or_else(|| panic!("no summary line in:\n{err}"));
    let expected_skips = if cfg!(unix) {
        "read 13 files, 8 skipped (2 empty file, 1 HTML elements nested more than 512 deep, \
         1 binary file, 1 larger than the size limit, 1 no article text, \
         1 not a regular file, 1 symlink loop)"
    } else {
        "read 11 files, 6 skipped"
    };
    assert!(summary.starts_with(expected_skips), "{summary}");

    let graph = graph::load(&graph_path).unwrap();
    assert_eq!(
        document_ids(&graph),
        [
            "bom_crlf.txt",
            "good.txt",
            "latin1.txt",
            "long_line.txt",
            "scripts.txt"
        ]
    );
    // The byte order mark is dropped and CRLF read as LF: offsets count from the text.
    let bom = claims_of(&graph, "bom_crlf.txt");
    assert_eq!(bom.len(), 1, "{bom:?}");
    assert_eq!(bom[0].1, 0);
    assert!(!bom[0].0.contains('\r'));
    assert_eq!(claims_of(&graph, "scripts.txt").len(), 1);
    assert_eq!(claims_of(&graph, "latin1.txt").len(), 1);
    let long = claims_of(&graph, "long_line.txt");
    assert!(
        long.len() > 100,
        "the long line yields many claims: {}",
        long.len()
    );
    assert!(long.iter().all(|(text, _)| text.len() <= 2_000));
    assert_eq!(graph.lookup("zakharova").len(), 1);
}

#[test]
fn max_file_size_moves_the_limit_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    fs::create_dir(&articles).unwrap();
    write(&articles, "small.txt", article("Kharkiv"));
    write(&articles, "large.txt", article("Sumy").repeat(40)); // 3.4 KB
    let graph_path = dir.path().join("g.cgraph");

    // Under a 2 KB limit the large file is skipped with its warning and the build says so.
    let skips_the_large_file = |output: &std::process::Output| {
        let err = stderr(output);
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert_warned(
            &err,
            "large.txt",
            "larger than the size limit (3.4 KB > 2 KB), skipped",
        );
        assert_eq!(
            document_ids(&graph::load(&graph_path).unwrap()),
            ["small.txt"]
        );
    };
    skips_the_large_file(&build(
        &[&articles],
        &graph_path,
        &["--max-file-size", "2K"],
    ));

    let roomy = build(&[&articles], &graph_path, &["--max-file-size", "1M"]);
    assert_eq!(roomy.status.code(), Some(0), "{}", stderr(&roomy));
    assert_eq!(
        document_ids(&graph::load(&graph_path).unwrap()),
        ["large.txt", "small.txt"]
    );

    // The large file is unchanged and in the cache, yet the stricter limit still skips
    // it, as a build from scratch would.
    skips_the_large_file(&build(
        &[&articles],
        &graph_path,
        &["--max-file-size", "2K"],
    ));

    let bad = build(&[&articles], &graph_path, &["--max-file-size", "lots"]);
    assert_eq!(bad.status.code(), Some(2), "clap's usage error status");
    assert!(
        stderr(&bad).contains("'lots' is not a size"),
        "{}",
        stderr(&bad)
    );
}

/// An unreadable file. Root reads any file whatever its mode (and CI runs as root), so
/// when a mode-000 file can still be read the test uses a file that no one can read:
/// `/proc/self/mem` fails with an I/O error at offset 0.
#[cfg(target_os = "linux")]
#[test]
fn an_unreadable_file_is_named_and_the_rest_is_built() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    fs::create_dir(&articles).unwrap();
    write(&articles, "good.txt", article("Kharkiv"));
    let locked = articles.join("locked.txt");
    write(&articles, "locked.txt", article("Sumy"));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let expected = if fs::read(&locked).is_ok() {
        fs::remove_file(&locked).unwrap();
        std::os::unix::fs::symlink("/proc/self/mem", &locked).unwrap();
        "cannot read: input/output error, skipped"
    } else {
        "cannot read: permission denied, skipped"
    };
    let graph_path = dir.path().join("g.cgraph");
    let out = build(&[&articles], &graph_path, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_warned(&err, "locked.txt", expected);
    assert!(
        err.contains("read 2 files, 1 skipped (1 cannot read:"),
        "{err}"
    );
    assert_eq!(
        document_ids(&graph::load(&graph_path).unwrap()),
        ["good.txt"]
    );
}

/// Many small files are read one at a time; the 100,000-file case is
/// `scripts/many_files.sh` (too slow for a debug test run).
#[test]
fn ten_thousand_small_files_are_all_built() {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    for i in 0..10_000 {
        let folder = articles.join(format!("{:02}", i / 500));
        if i % 500 == 0 {
            fs::create_dir_all(&folder).unwrap();
        }
        fs::write(
            folder.join(format!("{i:05}.txt")),
            format!("Item {i}. The ministry said 3 soldiers deserted.\n"),
        )
        .unwrap();
    }
    let graph_path = dir.path().join("g.cgraph");
    let out = build(&[&articles], &graph_path, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("read 10000 files, none skipped"), "{err}");
    let graph = graph::load(&graph_path).unwrap();
    assert_eq!(graph.nodes_with_label(Label::Document).len(), 10_000);
}

//! Damaged graph files give a clear error naming the file, and a build that fails never
//! replaces a good graph file (or anything that is not a graph file).

use super::support::*;
use claimgraph::graph::{self, FORMAT_VERSION};
use std::fs;
use std::path::{Path, PathBuf};

/// A folder with one article and a graph built from it.
fn good_graph() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let articles = dir.path().join("articles");
    fs::create_dir(&articles).unwrap();
    fs::write(articles.join("good.txt"), article("Kharkiv")).unwrap();
    let graph_path = dir.path().join("good.cgraph");
    let out = build(&[&articles], &graph_path, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, articles, graph_path)
}

fn assert_refused(graph_file: &Path, message: &str) {
    let export_to = graph_file.with_extension("export");
    for args in [
        vec!["stats", "--graph", path_str(graph_file)],
        vec![
            "query",
            "--graph",
            path_str(graph_file),
            "who is Syniehubov",
        ],
        vec![
            "export",
            "--graph",
            path_str(graph_file),
            "--format",
            "csv",
            "--out",
            path_str(&export_to),
        ],
    ] {
        let out = claimgraph(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(path_str(graph_file)) && err.contains(message),
            "{args:?}: expected {message:?} naming the file, got:\n{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(
        !export_to.exists(),
        "nothing is exported from a damaged graph"
    );
}

#[test]
fn damaged_files_are_refused_with_a_clear_message() {
    let (dir, _, good) = good_graph();
    let bytes = fs::read(&good).unwrap();
    let damaged = |name: &str, contents: &[u8]| {
        let path = dir.path().join(name);
        fs::write(&path, contents).unwrap();
        path
    };

    let truncated = damaged("truncated.cgraph", &bytes[..bytes.len() * 2 / 3]);
    assert_refused(&truncated, "is truncated");
    let header_only = damaged("header.cgraph", &bytes[..10]);
    assert_refused(&header_only, "is truncated (10 of 24 bytes)");

    let mut flipped = bytes.clone();
    let middle = 24 + (bytes.len() - 24) / 2;
    flipped[middle] ^= 0x55;
    let flipped = damaged("flipped.cgraph", &flipped);
    assert_refused(&flipped, "is corrupted (checksum mismatch); rebuild it");

    let mut newer = bytes.clone();
    newer[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let newer = damaged("newer.cgraph", &newer);
    assert_refused(
        &newer,
        &format!(
            "was written by a newer claimgraph (format {}, this one reads up to {FORMAT_VERSION})",
            FORMAT_VERSION + 1
        ),
    );

    let empty = damaged("empty.cgraph", b"");
    assert_refused(&empty, "is empty; rebuild it with `claimgraph build`");
    let text = damaged("notes.cgraph", b"These are my notes, not a graph.\n");
    assert_refused(&text, "is not a claimgraph graph file (no magic header)");
    assert_refused(&dir.path().join("missing.cgraph"), "cannot read graph file");
}

#[test]
fn a_failed_build_leaves_the_previous_graph_untouched() {
    let (dir, articles, good) = good_graph();
    let before = fs::read(&good).unwrap();
    let unchanged = || {
        assert_eq!(fs::read(&good).unwrap(), before, "the graph file changed");
        assert!(graph::load(&good).is_ok());
    };

    // Only unusable files: nothing to build, so the old graph stays.
    let junk = dir.path().join("junk");
    fs::create_dir(&junk).unwrap();
    fs::write(junk.join("empty.txt"), "").unwrap();
    fs::write(junk.join("binary.txt"), b"\0\0\0").unwrap();
    let out = build(&[&junk], &good, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "no articles to build from (2 files, 2 skipped (1 binary file, 1 empty file))"
        ) && err.contains(&format!("{} was not written", path_str(&good))),
        "{err}"
    );
    unchanged();

    // An empty folder and a missing path.
    let nothing = dir.path().join("nothing");
    fs::create_dir(&nothing).unwrap();
    assert_eq!(build(&[&nothing], &good, &[]).status.code(), Some(1));
    unchanged();
    let missing = dir.path().join("missing");
    let out = build(&[&articles, &missing], &good, &[]);
    assert!(
        stderr(&out).contains("no such file or folder"),
        "{}",
        stderr(&out)
    );
    unchanged();

    // A --graph in a folder that does not exist: the error names it, no stray files.
    let nowhere = dir.path().join("no/such/folder/g.cgraph");
    let out = build(&[&articles], &nowhere, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot write graph file") && err.contains("no/such/folder"),
        "{err}"
    );
    unchanged();
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn build_never_overwrites_a_file_that_is_not_a_graph() {
    let (dir, articles, _) = good_graph();
    // An article given as --graph by mistake.
    let article_path = articles.join("good.txt");
    let before = fs::read(&article_path).unwrap();
    let out = build(&[&articles], &article_path, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("good.txt exists and is not a claimgraph graph file; choose another --graph"),
        "{err}"
    );
    assert_eq!(fs::read(&article_path).unwrap(), before);

    let out = build(&[&articles], dir.path(), &[]);
    assert!(
        stderr(&out).contains("is a folder; give --graph a file name"),
        "{}",
        stderr(&out)
    );

    #[cfg(unix)]
    {
        let out = build(&[&articles], std::path::Path::new("/dev/null"), &[]);
        assert!(
            stderr(&out).contains("/dev/null exists and is not a claimgraph graph file"),
            "{}",
            stderr(&out)
        );
        assert!(!std::path::Path::new("/dev/null")
            .metadata()
            .unwrap()
            .is_file());
    }

    // A damaged graph file is what a rebuild is for: it is replaced.
    let damaged = dir.path().join("damaged.cgraph");
    fs::write(&damaged, b"CLMGRAPH\x01\x00").unwrap();
    let out = build(&[&articles], &damaged, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(graph::load(&damaged).is_ok());
}

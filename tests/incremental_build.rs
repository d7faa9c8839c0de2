//! `build` on an existing graph re-extracts only new and changed files, drops the facts
//! of deleted ones, and gives the same graph as a build from scratch.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn claimgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn build(corpus: &Path, graph: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "build",
        corpus.to_str().unwrap(),
        "--graph",
        graph.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = claimgraph(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}

/// The graph as CSV tables: every node and edge with its properties, in id order.
fn dump(graph: &Path, dir: &Path) -> (String, String) {
    let out_dir = dir.join(format!(
        "dump-{}",
        graph.file_name().unwrap().to_string_lossy()
    ));
    let out = claimgraph(&[
        "export",
        "--graph",
        graph.to_str().unwrap(),
        "--format",
        "csv",
        "--out",
        out_dir.to_str().unwrap(),
        "--force",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        fs::read_to_string(out_dir.join("nodes.csv")).unwrap(),
        fs::read_to_string(out_dir.join("edges.csv")).unwrap(),
    )
}

/// A corpus of generated articles (text, Markdown and HTML) plus the sample articles.
fn make_corpus(root: &Path) -> Vec<PathBuf> {
    claimgraph::corpus::synth::write_corpus(root, 30, 11).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/tune");
    for entry in fs::read_dir(sample).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, root.join(path.file_name().unwrap())).unwrap();
    }
    let mut files: Vec<PathBuf> = walk(root);
    files.sort();
    files
}

/// N in "built GRAPH from N documents".
fn documents_built(stderr: &str) -> usize {
    let after = stderr.split(" from ").nth(1).expect("a summary line");
    after
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a document count")
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn an_incremental_build_equals_a_build_from_scratch() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let files = make_corpus(&corpus);
    let graph = dir.path().join("news.cgraph");
    let first = build(&corpus, &graph, &[]);
    // Documents, not files: the JSON Lines file holds several.
    let total = documents_built(&first);
    assert!(total > files.len(), "{first}");
    assert!(!first.contains("unchanged"), "{first}");
    assert!(
        dir.path().join("news.cgraph.cache").exists(),
        "the cache is written beside the graph"
    );

    // Change three files (the last is the JSON Lines file, where only the first record
    // changes), delete two, add two.
    let changed = [&files[3], &files[20], &files[files.len() - 1]];
    assert!(changed[2].to_string_lossy().ends_with(".jsonl"));
    for path in changed {
        let mut text = fs::read_to_string(path).unwrap();
        text = text.replacen(
            ". ",
            ". Separately, the governor said 12 soldiers had deserted near Kupiansk. ",
            1,
        );
        fs::write(path, text).unwrap();
    }
    let deleted = [&files[5], &files[25]];
    let deleted_ids: Vec<String> = deleted
        .iter()
        .map(|p| {
            p.strip_prefix(&corpus)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    for path in deleted {
        fs::remove_file(path).unwrap();
    }
    for index in [500, 501] {
        let article = claimgraph::corpus::synth::article(99, index);
        let path = corpus.join("added").join(article.file_name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, article.contents).unwrap();
    }

    let second = build(&corpus, &graph, &[]);
    let expected = format!(
        "({} extracted, {} unchanged, 2 removed)",
        3 + 2,
        total - 3 - 2
    );
    assert!(second.contains(&expected), "{second}");

    let scratch = dir.path().join("scratch.cgraph");
    let full = build(&corpus, &scratch, &["--full"]);
    assert!(!full.contains("unchanged"), "{full}");
    let (incremental_nodes, incremental_edges) = dump(&graph, dir.path());
    let (scratch_nodes, scratch_edges) = dump(&scratch, dir.path());
    assert_eq!(incremental_nodes, scratch_nodes);
    assert_eq!(incremental_edges, scratch_edges);
    for id in &deleted_ids {
        assert!(
            !incremental_nodes.contains(id.as_str()),
            "{id} was deleted but is still in the graph"
        );
    }
    assert!(incremental_nodes.contains("Kupiansk"));

    // Nothing changed: nothing is extracted, and neither the graph nor the cache
    // (which would both be written again byte for byte) is rewritten.
    let cache = dir.path().join("news.cgraph.cache");
    let cache_file = || file_identity(&cache);
    let cache_before = cache_file();
    let graph_before = file_identity(&graph);
    let third = build(&corpus, &graph, &[]);
    assert!(
        third.contains(&format!("(0 extracted, {} unchanged, 0 removed)", total)),
        "{third}"
    );
    assert!(third.contains("up to date: "), "{third}");
    assert_eq!(dump(&graph, dir.path()).1, scratch_edges);
    assert_eq!(cache_file(), cache_before, "the cache was written again");
    assert_eq!(
        file_identity(&graph),
        graph_before,
        "the graph was written again"
    );

    // One file changed: the cache is written as a delta beside its base, and so is
    // the graph (the rebuild resolves only that document).
    let mut text = fs::read_to_string(&files[3]).unwrap();
    text.push_str("\nKyiv said 5 drones fell.\n");
    fs::write(&files[3], text).unwrap();
    let fourth = build(&corpus, &graph, &[]);
    assert!(fourth.contains("(1 extracted, "), "{fourth}");
    assert!(
        fourth.starts_with("read ") && fourth.contains("\nbuilt "),
        "{fourth}"
    );
    assert_eq!(
        cache_file(),
        cache_before,
        "the base cache was written again"
    );
    assert!(dir.path().join("news.cgraph.cache.delta").exists());
    assert!(dir.path().join("news.cgraph.delta").exists(), "{fourth}");
    assert_eq!(file_identity(&graph), graph_before, "the graph was written");
}

/// A graph is left as it is only when it is intact and was built from the very same
/// input: the same documents in the same order, by the same binary.
#[test]
fn an_up_to_date_graph_is_left_alone_only_when_it_matches_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("a"), dir.path().join("b"));
    // Both folders hold the same file names: their documents still get ids of their own.
    claimgraph::corpus::synth::write_corpus(&first, 6, 21).unwrap();
    claimgraph::corpus::synth::write_corpus(&second, 6, 22).unwrap();
    let graph = dir.path().join("g.cgraph");
    let both = |order: [&Path; 2]| {
        let args = [
            "build",
            order[0].to_str().unwrap(),
            order[1].to_str().unwrap(),
            "--graph",
            graph.to_str().unwrap(),
        ];
        let out = claimgraph(&args);
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(both([&first, &second]).contains("\nbuilt "));
    let again = both([&first, &second]);
    assert!(again.contains("up to date: "), "{again}");
    assert!(
        again.contains("(0 extracted, 12 unchanged, 0 removed)"),
        "{again}"
    );
    // The same documents in another order give other node ids: built again.
    let reordered = both([&second, &first]);
    assert!(reordered.contains("\nbuilt "), "{reordered}");
    assert!(reordered.contains("0 extracted"), "{reordered}");
    assert!(both([&second, &first]).contains("up to date: "));

    // A damaged graph is built again, not trusted.
    let mut bytes = fs::read(&graph).unwrap();
    bytes[100] ^= 0xff;
    fs::write(&graph, &bytes).unwrap();
    let repaired = both([&second, &first]);
    assert!(repaired.contains("\nbuilt "), "{repaired}");
    let loaded = claimgraph(&["stats", "--graph", graph.to_str().unwrap()]);
    assert!(loaded.status.success());

    // A graph saved without a build record (by the shell, or an older claimgraph)
    // is built again; so is any graph when --full is asked for.
    let saved = claimgraph::graph::load(&graph).unwrap();
    claimgraph::graph::save(&saved, &graph).unwrap();
    assert!(both([&second, &first]).contains("\nbuilt "));
    assert!(both([&second, &first]).contains("up to date: "));
    let full = claimgraph(&[
        "build",
        second.to_str().unwrap(),
        first.to_str().unwrap(),
        "--graph",
        graph.to_str().unwrap(),
        "--full",
    ]);
    assert!(String::from_utf8_lossy(&full.stderr).contains("\nbuilt "));
}

/// Which file a path names now: a file replaced by rename is a new one.
#[cfg(unix)]
fn file_identity(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).unwrap().ino()
}

#[cfg(not(unix))]
fn file_identity(path: &Path) -> std::time::SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn a_damaged_cache_is_ignored_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    claimgraph::corpus::synth::write_corpus(&corpus, 5, 3).unwrap();
    let graph = dir.path().join("g.cgraph");
    build(&corpus, &graph, &[]);
    let cache = dir.path().join("g.cgraph.cache");
    let mut bytes = fs::read(&cache).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    fs::write(&cache, bytes).unwrap();
    let stderr = build(&corpus, &graph, &[]);
    assert!(stderr.contains("warning:"), "{stderr}");
    assert!(
        stderr.contains("is corrupted (checksum mismatch); extracting every document"),
        "{stderr}"
    );
    assert!(stderr.contains("from 5 documents"), "{stderr}");
    assert!(!stderr.contains("unchanged"), "{stderr}");
    // The cache was rewritten and is used again.
    assert!(build(&corpus, &graph, &[]).contains("(0 extracted, 5 unchanged, 0 removed)"));
}

/// `corpus/a.txt` (12 soldiers near Kupiansk) and `corpus/b.txt` under `root`; the
/// corpus folder and `a.txt`.
fn two_articles(root: &Path) -> (PathBuf, PathBuf) {
    let corpus = root.join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    let article = corpus.join("a.txt");
    fs::write(&article, A_BEFORE).unwrap();
    fs::write(
        corpus.join("b.txt"),
        "Other news\n\nKyiv said 3 drones fell.\n",
    )
    .unwrap();
    (corpus, article)
}

const A_BEFORE: &str =
    "Kupiansk report\n\nOleh Syniehubov said 12 soldiers deserted near Kupiansk.\n";
const A_AFTER: &str =
    "Kupiansk report\n\nOleh Syniehubov said 47 soldiers deserted near Kupiansk.\n";

/// Changes 12 soldiers to 47 in `a.txt` behind its old size and modification time,
/// which it returns: only a file that is read shows the change.
fn hide_a_change(article: &Path) -> std::time::SystemTime {
    assert_eq!(A_BEFORE.len(), A_AFTER.len());
    let modified = fs::metadata(article).unwrap().modified().unwrap();
    fs::write(article, A_AFTER).unwrap();
    fs::File::options()
        .write(true)
        .open(article)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    modified
}

/// An unchanged file (same size and modification time) is not read again: a change
/// hidden behind the old size and time is only seen by `--full`, which reads
/// everything, as make and cargo would behave.
#[test]
fn unchanged_files_are_not_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, article) = two_articles(dir.path());
    let graph = dir.path().join("g.cgraph");
    // --timings names every stage with the peak memory so far.
    let timed = build(&corpus, &graph, &["--timings"]);
    for stage in ["read+extract", "cache", "resolve", "link+save"] {
        let line = timed.lines().find(|l| l.trim_start().starts_with(stage));
        assert!(
            line.is_some_and(|l| l.contains("peak memory")),
            "{stage}: {timed}"
        );
    }
    // Same size, same time: taken from the cache without reading.
    let modified = hide_a_change(&article);
    let stderr = build(&corpus, &graph, &[]);
    assert!(
        stderr.contains("(0 extracted, 2 unchanged, 0 removed)"),
        "{stderr}"
    );
    assert!(stderr.contains("read 2 files"), "{stderr}");
    let (nodes, _) = dump(&graph, dir.path());
    assert!(nodes.contains("12 soldiers"), "{nodes}");

    // A new time: read, hashed, extracted again.
    fs::File::options()
        .write(true)
        .open(&article)
        .unwrap()
        .set_modified(modified + std::time::Duration::from_secs(5))
        .unwrap();
    let stderr = build(&corpus, &graph, &[]);
    assert!(
        stderr.contains("(1 extracted, 1 unchanged, 0 removed)"),
        "{stderr}"
    );
    let (nodes, _) = dump(&graph, dir.path());
    assert!(
        nodes.contains("47 soldiers") && !nodes.contains("12 soldiers"),
        "{nodes}"
    );
}

/// The graph as loaded (with any delta beside it applied), saved again: the same
/// bytes for the same graph however the file on disk was made.
fn graph_bytes(graph: &Path) -> Vec<u8> {
    let loaded = claimgraph::graph::load(graph).unwrap();
    let resaved = graph.with_extension("resaved");
    claimgraph::graph::save(&loaded, &resaved).unwrap();
    let bytes = fs::read(&resaved).unwrap();
    fs::remove_file(&resaved).unwrap();
    bytes
}

/// Builds `corpus` from scratch beside `graph` and checks that `graph` is byte for
/// byte the same graph.
fn assert_same_as_scratch(corpus: &Path, graph: &Path) {
    let scratch = graph.with_extension("scratch");
    build(corpus, &scratch, &["--full"]);
    assert!(
        graph_bytes(graph) == graph_bytes(&scratch),
        "the rebuilt graph differs from a build from scratch"
    );
}

/// Adds a sentence to each of `files`, numbered by `round` so that the text changes.
fn change(files: &[&PathBuf], round: u32) {
    for path in files {
        let mut text = fs::read_to_string(path).unwrap();
        text.push_str(&format!("\nKyiv said {round} drones fell near Kupiansk.\n"));
        fs::write(path, text).unwrap();
    }
}

/// A rebuild after a few changes leaves the base cache as it is and writes a delta
/// beside it; a delta on top of a delta, a damaged delta and a delta of another base
/// all give the graph a build from scratch gives; past a quarter of the base the
/// cache is written whole again.
#[test]
fn a_few_changes_write_a_delta_beside_the_untouched_cache() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    claimgraph::corpus::synth::write_corpus(&corpus, 24, 5).unwrap();
    let mut files = walk(&corpus);
    files.sort();
    assert_eq!(files.len(), 24);
    let graph = dir.path().join("g.cgraph");
    let cache = dir.path().join("g.cgraph.cache");
    let delta = dir.path().join("g.cgraph.cache.delta");
    build(&corpus, &graph, &[]);
    assert!(!delta.exists());
    let base = fs::read(&cache).unwrap();
    let base_file = file_identity(&cache);

    // One file changed: a delta, the base untouched.
    change(&[&files[2]], 1);
    let first = build(&corpus, &graph, &["--timings"]);
    assert!(first.contains("(1 extracted, 23 unchanged"), "{first}");
    assert!(
        first.contains("saved cache: a delta of 1 entry,"),
        "{first}"
    );
    assert_eq!(
        file_identity(&cache),
        base_file,
        "the base was written again"
    );
    assert!(fs::read(&cache).unwrap() == base);
    assert!(delta.exists());

    // Another file changed: the delta, still against the same base, holds both.
    change(&[&files[9]], 2);
    let second = build(&corpus, &graph, &["--timings"]);
    assert!(second.contains("(1 extracted, 23 unchanged"), "{second}");
    assert!(
        second.contains("saved cache: a delta of 2 entries"),
        "{second}"
    );
    assert_eq!(file_identity(&cache), base_file);
    assert_same_as_scratch(&corpus, &graph);

    // Nothing changed: neither the graph nor the base nor the delta is written.
    let (graph_file, delta_file) = (file_identity(&graph), file_identity(&delta));
    let third = build(&corpus, &graph, &[]);
    assert!(third.contains("up to date: "), "{third}");
    assert!(third.contains("(0 extracted, 24 unchanged"), "{third}");
    assert_eq!(file_identity(&graph), graph_file);
    assert_eq!(file_identity(&delta), delta_file);
    assert_eq!(file_identity(&cache), base_file);

    // A damaged delta: a warning, the base alone (both changed files are read and
    // extracted again), and the right graph.
    let good_delta = fs::read(&delta).unwrap();
    let mut damaged = good_delta.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0xff;
    fs::write(&delta, &damaged).unwrap();
    change(&[&files[15]], 3);
    let fourth = build(&corpus, &graph, &[]);
    assert!(
        fourth.contains("delta is corrupted (checksum mismatch); using the cache without it"),
        "{fourth}"
    );
    assert!(fourth.contains("(3 extracted, 21 unchanged"), "{fourth}");
    assert_same_as_scratch(&corpus, &graph);

    // A delta of another base (left by a build stopped between writing a new base and
    // removing the delta): ignored without a word.
    let stale_delta = fs::read(&delta).unwrap();
    build(&corpus, &graph, &["--full"]);
    assert!(!delta.exists(), "a full cache removes the delta");
    fs::write(&delta, &stale_delta).unwrap();
    change(&[&files[20]], 4);
    let fifth = build(&corpus, &graph, &[]);
    assert!(!fifth.contains("warning"), "{fifth}");
    assert!(fifth.contains("(1 extracted, 23 unchanged"), "{fifth}");
    assert_same_as_scratch(&corpus, &graph);

    // Past a quarter of the base's entries: a full cache, and no delta; then a delta
    // against the new base.
    let base_file = file_identity(&cache);
    let many: Vec<&PathBuf> = files.iter().step_by(3).collect();
    assert!(many.len() > 24 / 4);
    change(&many, 5);
    let sixth = build(&corpus, &graph, &["--timings"]);
    assert!(
        sixth.contains("saved cache: a full cache of 24 entries"),
        "{sixth}"
    );
    assert_ne!(file_identity(&cache), base_file, "the base was not written");
    assert!(!delta.exists());
    change(&[&files[1]], 6);
    build(&corpus, &graph, &[]);
    assert!(delta.exists());
    assert_same_as_scratch(&corpus, &graph);
}

/// A cache that cannot be written is a warning that names it as the extraction cache
/// (not as a graph file, which was saved); the build still succeeds.
#[test]
fn a_cache_that_cannot_be_written_is_a_warning_naming_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    claimgraph::corpus::synth::write_corpus(&corpus, 8, 3).unwrap();
    let mut files = walk(&corpus);
    files.sort();
    let graph = dir.path().join("g.cgraph");
    build(&corpus, &graph, &[]);
    // A folder where the delta would go: it can be neither read nor written.
    let delta = dir.path().join("g.cgraph.cache.delta");
    fs::create_dir(&delta).unwrap();
    change(&[&files[1]], 1);
    let stderr = build(&corpus, &graph, &[]);
    assert!(
        stderr.contains("warning: cannot write the extraction cache ")
            && stderr.contains("g.cgraph.cache.delta")
            && stderr.contains("; the next build may extract documents again"),
        "{stderr}"
    );
    assert!(!stderr.contains("graph file"), "{stderr}");
    assert!(stderr.contains("(1 extracted, 7 unchanged"), "{stderr}");
    assert_same_as_scratch(&corpus, &graph);
}

/// Sets the modification time of each of `files` `seconds` after what it is, leaving
/// the bytes as they are (as a checkout or a copy without times does).
fn touch(files: &[&PathBuf], seconds: u64) {
    for path in files {
        let file = fs::File::options().write(true).open(path).unwrap();
        let modified = file.metadata().unwrap().modified().unwrap();
        file.set_modified(modified + std::time::Duration::from_secs(seconds))
            .unwrap();
    }
}

/// Files touched without a change are read again once and cost the delta a new stamp
/// each, not their whole entry: touching every file neither rewrites the base nor
/// compacts, and the next build reads none of them.
#[test]
fn touched_files_cost_the_delta_only_their_new_stamps() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    claimgraph::corpus::synth::write_corpus(&corpus, 24, 5).unwrap();
    let mut files = walk(&corpus);
    files.sort();
    let all: Vec<&PathBuf> = files.iter().collect();
    let graph = dir.path().join("g.cgraph");
    let cache = dir.path().join("g.cgraph.cache");
    let delta = dir.path().join("g.cgraph.cache.delta");
    build(&corpus, &graph, &[]);
    let base = fs::read(&cache).unwrap();
    let base_file = file_identity(&cache);

    // Every file touched: read and hashed, nothing extracted, the graph left alone,
    // and a delta of stamps beside the untouched base.
    touch(&all, 10);
    let graph_file = file_identity(&graph);
    let first = build(&corpus, &graph, &["--timings"]);
    assert!(first.contains("up to date: "), "{first}");
    assert!(first.contains("(0 extracted, 24 unchanged"), "{first}");
    assert!(
        first.contains("saved cache: a delta of 0 entries and 24 new stamps,"),
        "{first}"
    );
    assert_eq!(file_identity(&graph), graph_file);
    assert_eq!(
        file_identity(&cache),
        base_file,
        "the base was written again"
    );
    assert!(fs::read(&cache).unwrap() == base);
    let delta_size = fs::metadata(&delta).unwrap().len();
    assert!(delta_size < 24 * 100, "a delta of {delta_size} bytes");

    // The next build reads no file: the delta is not written again, and a change
    // hidden behind a file's new size and time is not seen.
    let delta_file = file_identity(&delta);
    let second = build(&corpus, &graph, &[]);
    assert!(second.contains("up to date: "), "{second}");
    assert_eq!(file_identity(&delta), delta_file);
    let original = fs::read(&files[0]).unwrap();
    let modified = fs::metadata(&files[0]).unwrap().modified().unwrap();
    let mut hidden = original.clone();
    hidden.reverse();
    fs::write(&files[0], &hidden).unwrap();
    let file = fs::File::options().write(true).open(&files[0]).unwrap();
    file.set_modified(modified).unwrap();
    let third = build(&corpus, &graph, &[]);
    assert!(third.contains("up to date: "), "{third}");
    assert!(third.contains("(0 extracted, 24 unchanged"), "{third}");
    fs::write(&files[0], &original).unwrap();
    file.set_modified(modified).unwrap();
    assert_same_as_scratch(&corpus, &graph);

    // A touched file that changed goes in full; the others keep their new stamps.
    touch(&all[1..4], 10);
    change(&[&files[4]], 1);
    let fourth = build(&corpus, &graph, &["--timings"]);
    assert!(fourth.contains("(1 extracted, 23 unchanged"), "{fourth}");
    assert!(
        fourth.contains("saved cache: a delta of 1 entry and 23 new stamps,"),
        "{fourth}"
    );
    assert_eq!(file_identity(&cache), base_file);
    assert_same_as_scratch(&corpus, &graph);

    // Past a quarter of changed files: a full cache with the new stamps; a file
    // touched then is restamped against the new base.
    let many: Vec<&PathBuf> = files.iter().step_by(3).collect();
    change(&many, 2);
    let fifth = build(&corpus, &graph, &["--timings"]);
    assert!(
        fifth.contains("saved cache: a full cache of 24 entries,"),
        "{fifth}"
    );
    assert!(!delta.exists());
    touch(&all[5..6], 10);
    let sixth = build(&corpus, &graph, &["--timings"]);
    assert!(sixth.contains("up to date: "), "{sixth}");
    assert!(
        sixth.contains("saved cache: a delta of 0 entries and 1 new stamp,"),
        "{sixth}"
    );
    let delta_file = file_identity(&delta);
    let seventh = build(&corpus, &graph, &[]);
    assert!(seventh.contains("up to date: "), "{seventh}");
    assert_eq!(file_identity(&delta), delta_file);
    assert_same_as_scratch(&corpus, &graph);
}

/// The cache knows a file by its folder with links resolved, not by the path as typed:
/// the same corpus named relatively, absolutely or through a link is not read again
/// (a change hidden behind the old size and time shows that no file was read).
#[test]
fn the_same_folder_named_another_way_is_not_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, article) = two_articles(dir.path());
    let graph = dir.path().join("g.cgraph");
    // First named relative to the working folder.
    let out = Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .current_dir(dir.path())
        .args(["build", "corpus", "--graph", "g.cgraph"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    hide_a_change(&article);

    // Then by its absolute path, and through a link: nothing is read or extracted.
    let absolute = build(&corpus, &graph, &[]);
    assert!(absolute.contains("up to date: "), "{absolute}");
    #[cfg(unix)]
    {
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&corpus, &link).unwrap();
        let linked = build(&link.join("."), &graph, &[]);
        assert!(linked.contains("up to date: "), "{linked}");
    }
    let (nodes, _) = dump(&graph, dir.path());
    assert!(nodes.contains("12 soldiers"), "{nodes}");

    // A file named on its own besides its folder, another way, is still one article.
    let twice = build(&corpus, &graph, &[]);
    assert!(twice.contains("up to date: "), "{twice}");
    let out = Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .current_dir(dir.path())
        .args([
            "build",
            "corpus",
            article.to_str().unwrap(),
            "--graph",
            "g.cgraph",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("up to date: "), "{stderr}");
}

/// Appends a document's own first sentence to it again: it then names nothing that it
/// did not name before, so a rebuild can resolve it alone.
fn repeat_first_sentence(path: &Path) {
    let text = fs::read_to_string(path).unwrap();
    let body = text.split("\n\n").nth(1).unwrap_or(&text);
    let sentence = body.split(". ").next().unwrap();
    fs::write(path, format!("{text}\n{sentence}.\n")).unwrap();
}

/// The test corpus at `root`, and its plain-text articles (more than four).
fn plain_text_articles(root: &Path) -> Vec<PathBuf> {
    let texts: Vec<PathBuf> = make_corpus(root)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "txt"))
        .collect();
    assert!(texts.len() > 4);
    texts
}

/// A rebuild where a few documents changed resolves only those documents and writes a graph delta beside the graph file,
/// which it leaves as it is; the graph loaded is the one a build from scratch gives.
/// A change that names someone new takes the same way, and so does an article added
/// after the last. A damaged delta is an error naming it until the next build; a
/// document removed makes the build resolve everything and write the graph whole.
#[test]
fn a_rebuild_of_a_few_changed_documents_writes_a_graph_delta() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let texts = plain_text_articles(&corpus);
    let graph = dir.path().join("news.cgraph");
    let delta = dir.path().join("news.cgraph.delta");
    build(&corpus, &graph, &["--timings"]);
    let base = file_identity(&graph);
    let stats = || claimgraph(&["stats", "--graph", graph.to_str().unwrap()]);

    for (round, file) in [&texts[1], &texts[3]].into_iter().enumerate() {
        repeat_first_sentence(file);
        let rebuilt = build(&corpus, &graph, &["--timings"]);
        assert!(rebuilt.contains("(1 extracted, "), "{rebuilt}");
        assert!(rebuilt.contains("save delta"), "round {round}: {rebuilt}");
        assert!(delta.exists());
        assert_eq!(file_identity(&graph), base, "the graph file was written");
        assert_same_as_scratch(&corpus, &graph);
    }
    let again = build(&corpus, &graph, &[]);
    assert!(again.contains("up to date: "), "{again}");

    let mut bytes = fs::read(&delta).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    fs::write(&delta, &bytes).unwrap();
    let damaged = stats();
    assert!(!damaged.status.success());
    let error = String::from_utf8_lossy(&damaged.stderr);
    assert!(error.contains("news.cgraph.delta"), "{error}");
    let repaired = build(&corpus, &graph, &["--timings"]);
    assert!(repaired.contains("save delta"), "{repaired}");
    assert!(stats().status.success());
    assert_same_as_scratch(&corpus, &graph);

    // Someone no article named before, with a unit of their own.
    let mut text = fs::read_to_string(&texts[2]).unwrap();
    text.push_str(
        "\nOstap Zelinskyi, a commander of the 641st Mountain Brigade, said 41 soldiers \
         deserted. Zelinskyi gave no names.\n",
    );
    fs::write(&texts[2], text).unwrap();
    let rebuilt = build(&corpus, &graph, &["--timings"]);
    assert!(rebuilt.contains("save delta"), "{rebuilt}");
    assert_eq!(file_identity(&graph), base, "the graph file was written");
    assert_same_as_scratch(&corpus, &graph);
    let found = claimgraph(&[
        "query",
        "--graph",
        graph.to_str().unwrap(),
        "who is Zelinskyi",
    ]);
    let answer = String::from_utf8_lossy(&found.stdout);
    assert!(answer.contains("641st Mountain Brigade"), "{answer}");

    // An article that sorts after every other, naming someone new and a known place.
    let late = corpus.join("zzz-late-report.txt");
    fs::write(
        &late,
        "Late report\n\nMykola Dovbush-Yarema, a spokesman for the 77th Airmobile \
         Brigade, said 15 soldiers had deserted near Kupiansk.\n",
    )
    .unwrap();
    let rebuilt = build(&corpus, &graph, &["--timings"]);
    assert!(rebuilt.contains("save delta"), "{rebuilt}");
    assert_eq!(file_identity(&graph), base, "the graph file was written");
    assert_same_as_scratch(&corpus, &graph);

    fs::remove_file(&late).unwrap();
    fs::remove_file(&texts[4]).unwrap();
    let full = build(&corpus, &graph, &["--timings"]);
    assert!(
        full.contains("resolving every document: documents were removed"),
        "{full}"
    );
    assert!(!full.contains("save delta"), "{full}");
    assert!(!delta.exists(), "the delta outlived its base");
    assert_ne!(file_identity(&graph), base);
    assert_same_as_scratch(&corpus, &graph);
}

/// The rebuild state is only a shortcut: without it, or with it damaged, a rebuild
/// resolves every document (saying why under `--timings`), writes the graph whole and
/// a new state, and gives the graph a build from scratch gives; the next rebuild takes
/// the shortcut again.
#[test]
fn a_missing_or_damaged_rebuild_state_means_every_document_is_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let texts = plain_text_articles(&corpus);
    let graph = dir.path().join("news.cgraph");
    let state = dir.path().join("news.cgraph.state");
    let delta = dir.path().join("news.cgraph.delta");
    build(&corpus, &graph, &[]);
    assert!(state.exists(), "a full build writes the rebuild state");

    fs::remove_file(&state).unwrap();
    repeat_first_sentence(&texts[1]);
    let without = build(&corpus, &graph, &["--timings"]);
    assert!(
        without.contains("resolving every document: no rebuild state"),
        "{without}"
    );
    assert!(!without.contains("save delta"), "{without}");
    assert!(!delta.exists());
    assert!(state.exists(), "the full resolve writes the state again");
    assert_same_as_scratch(&corpus, &graph);

    let mut bytes = fs::read(&state).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    fs::write(&state, &bytes).unwrap();
    repeat_first_sentence(&texts[3]);
    let damaged = build(&corpus, &graph, &["--timings"]);
    assert!(
        damaged.contains("resolving every document: no rebuild state"),
        "{damaged}"
    );
    assert!(!damaged.contains("save delta"), "{damaged}");
    assert_same_as_scratch(&corpus, &graph);

    repeat_first_sentence(&texts[1]);
    let shortcut = build(&corpus, &graph, &["--timings"]);
    assert!(shortcut.contains("save delta"), "{shortcut}");
    assert_same_as_scratch(&corpus, &graph);
}

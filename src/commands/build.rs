//! `claimgraph build`: read the corpus, extract (reusing the cache beside the graph for
//! unchanged documents), resolve, save the graph and the cache.

use crate::pipeline::{
    self, cache, ExtractionCache, FileStamp, KnownSources, Progress, Quiet, SourceFileRead,
};
use crate::resolve::rebuild::RebuildState;
use crate::{corpus, graph};
use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Threads that read files (see [`read_ahead`]).
const READERS: usize = 8;

/// Exit code when the graph was built but some files were skipped.
const EXIT_SKIPPED: u8 = 2;

/// Files read ahead of extraction at a time: enough to keep both cores busy between
/// batches, few enough that little text waits in memory.
const READ_BATCH: usize = 512;

/// Files handed on at most at a time when most are unchanged, so that the build takes
/// their entries while the next ones are looked at.
const UNCHANGED_BATCH: usize = 16 * READ_BATCH;

/// What `build` was asked to do besides reading and writing.
#[derive(Clone, Copy, Debug, Default)]
pub struct BuildFlags {
    /// Ignore the cache and extract every document.
    pub full: bool,
    /// Print the time of each stage.
    pub timings: bool,
    /// Files larger than this many bytes are skipped.
    pub max_file_size: u64,
}

/// A progress bar on stderr, shown only when stderr is a terminal.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.0.set_length(total);
        self.0.reset();
    }
    fn advance(&self, done: u64) {
        self.0.inc(done);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

pub fn run(paths: &[PathBuf], graph_path: &Path, flags: BuildFlags) -> anyhow::Result<ExitCode> {
    // Checked before the corpus is read, so a mistyped --graph never costs a build.
    graph::check_overwritable(graph_path)?;
    let started = Instant::now();
    let cache_path = cache::cache_path(graph_path);
    if flags.full || !cache_path.exists() {
        // Every document will be extracted: build the patterns while the corpus is
        // listed. (With a cache, most builds extract few documents or none.)
        crate::extract::warm_up();
    }
    let options = corpus::ReadOptions {
        max_file_size: flags.max_file_size,
    };
    let (listing, previous) = rayon::join(
        || {
            let listing = corpus::list_corpus(paths)?;
            // Each file is looked up (its stamp for the cache, its kind and size for
            // the reader) while the cache is still loading: at 100,000 files the
            // look-ups take a core 0.15 s, and the listing is done well before the cache.
            let looked_up = look_up(&listing.files);
            Ok::<_, corpus::CorpusError>((listing, looked_up))
        },
        || {
            if flags.full {
                // The cache written at the end is stamped with this; work it out now,
                // while the corpus is listed.
                cache::extractor_fingerprint();
                return None;
            }
            let (cache, state) = rayon::join(
                || match ExtractionCache::load(&cache_path) {
                    Ok(mut cache) => {
                        if let Some(error) = cache.as_mut().and_then(|c| c.take_delta_problem()) {
                            let problem = cache_problem(&error);
                            eprintln!("warning: {problem}; using the cache without it");
                        }
                        cache
                    }
                    Err(error) => {
                        let problem = cache_problem(&error);
                        eprintln!("warning: {problem}; extracting every document");
                        None
                    }
                },
                // What resolving only the changed documents needs, if it describes the
                // graph file there, intact; otherwise the build resolves every document,
                // as it always could.
                || {
                    let loading = Instant::now();
                    let state = RebuildState::load(graph_path).ok().flatten();
                    // The graph file as the full build that made the state left it.
                    let state = state.filter(|s| {
                        s.base_stamp.is_some() && s.base_stamp == graph_stamp(graph_path)
                    });
                    let state = state.zip(graph::BuildRecord::of_base(graph_path));
                    state.map(|state| (state, loading.elapsed()))
                },
            );
            cache.map(|cache| (cache, state))
        },
    );
    let (mut previous, state) = match previous {
        Some((cache, state)) => (Some(cache), state),
        None => (None, None),
    };
    let (listing, looked_up) = listing?;
    let listed = started.elapsed();
    let state = state.map(|(state, loaded)| {
        if flags.timings {
            eprintln!(
                "rebuild state loaded and graph file checked in {:.3} s (beside the listing)",
                loaded.as_secs_f64()
            );
        }
        state
    });
    for problem in &listing.walk.problems {
        eprintln!("warning: {}: {}", problem.path.display(), problem.message);
    }

    let progress: Box<dyn Progress> = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("building {bar:40} {pos}/{len} files, {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Box::new(Bar(bar))
    } else {
        Box::new(Quiet)
    };
    progress.start(listing.files.len() as u64);
    // A thread of its own reads the files, a batch at a time, while the batch before is
    // extracted on every core: reading waits on the disk, extraction on the processor.
    // Files whose id, size and modification time match the cache are not read at all.
    let known = previous
        .as_mut()
        .map(ExtractionCache::take_sources)
        .unwrap_or_default();
    let mut build = pipeline::Build::new(previous);
    let mut corpus = listing.walk;
    std::thread::scope(|scope| {
        let (batches, received) = std::sync::mpsc::sync_channel::<Vec<FileOutcome>>(2);
        let files = &listing.files;
        let progress = progress.as_ref();
        let known = &known;
        scope.spawn(move || read_ahead(files, looked_up, &options, known, progress, batches));
        for batch in received {
            let mut files = Vec::with_capacity(batch.len());
            for (file, part) in batch {
                for problem in &part.problems {
                    eprintln!("warning: {}: {}", problem.path.display(), problem.message);
                }
                corpus.absorb(part);
                files.push(file);
            }
            build.add_files(files);
        }
    });
    progress.finish();
    if build.documents().is_empty() {
        // An empty graph saved over a good one would lose it for nothing.
        bail!(
            "no articles to build from ({}); {} was not written",
            corpus.summary(),
            graph_path.display()
        );
    }
    let input = build.input_digest();
    let recorded = input
        .filter(|_| !flags.full && build.nothing_changed())
        .and_then(|input| graph::BuildRecord::of_file(graph_path).filter(|r| r.input == input));
    let built = match recorded {
        // The graph on disk was resolved from this very input (same documents in the
        // same order, same binary): resolving and saving it again would write the
        // same bytes.
        Some(record) => {
            let (report, cache_saved) = build.finish_unchanged(Some(&cache_path));
            eprintln!("read {}", corpus.summary());
            let documents = build.documents().len();
            // The process ends soon: freeing every document and entry one by one would
            // only delay the exit (by 40 ms at 100,000 articles).
            std::mem::forget(build);
            Built {
                report,
                cache_saved,
                documents,
                nodes: record.nodes,
                edges: record.edges,
                up_to_date: true,
            }
        }
        None => {
            let fast = match state {
                Some((state, base)) => {
                    let fast = build.finish_fast(&state, base, Some(&cache_path));
                    if fast.is_ok() {
                        // Freed by the process's exit, soon.
                        std::mem::forget(state);
                    } else {
                        // Its memory is wanted for resolving every document.
                        drop(state);
                    }
                    fast
                }
                None => Err("no rebuild state beside the graph file as it was built"),
            };
            match fast {
                Ok((delta, report, cache_saved)) => {
                    eprintln!("read {}", corpus.summary());
                    let built = save_delta(&delta, report, cache_saved, graph_path, input, &build)?;
                    // As above: the entries and documents go with the process.
                    std::mem::forget((build, delta));
                    built
                }
                Err(why) => {
                    if flags.timings && !flags.full && graph_path.exists() {
                        eprintln!("resolving every document: {why}");
                    }
                    resolve_and_save(build, graph_path, &cache_path, input, &corpus)?
                }
            }
        }
    };
    let mut report = built.report;
    report.phases.insert(0, ("list", listed, None));
    let cache_written = match built.cache_saved {
        Ok(written) => written,
        Err(error) => {
            let problem = cache_problem(&error);
            eprintln!("warning: {problem}; the next build may extract documents again");
            None
        }
    };
    let skipped = corpus.problems.iter().filter(|p| p.skipped).count();
    let reuse = if report.reused > 0 || report.removed > 0 {
        format!(
            " ({} extracted, {} unchanged, {} removed)",
            report.extracted, report.reused, report.removed
        )
    } else {
        String::new()
    };
    eprintln!(
        "{} {} from {} documents{reuse}: {} nodes, {} edges{}",
        if built.up_to_date {
            "up to date:"
        } else {
            "built"
        },
        graph_path.display(),
        built.documents,
        built.nodes,
        built.edges,
        if skipped > 0 {
            format!("; {skipped} files skipped")
        } else {
            String::new()
        }
    );
    if flags.timings {
        let total = started.elapsed().as_secs_f64();
        let mb = report.text_bytes as f64 / 1e6;
        for (phase, time, peak) in &report.phases {
            let peak = peak.map_or(String::new(), |mb| format!("  peak memory {mb} MB"));
            eprintln!("  {phase:<12} {:>8.3} s{peak}", time.as_secs_f64());
        }
        if let Some(written) = cache_written {
            let plural = |count: usize, one: &str, many: &str| {
                format!("{count} {}", if count == 1 { one } else { many })
            };
            let stamps = match written.stamps {
                0 => String::new(),
                n => format!(" and {}", plural(n, "new stamp", "new stamps")),
            };
            eprintln!(
                "  saved cache: {} of {}{stamps}, {:.1} MB",
                if written.delta {
                    "a delta"
                } else {
                    "a full cache"
                },
                plural(written.entries, "entry", "entries"),
                written.bytes as f64 / 1e6
            );
        }
        eprintln!(
            "  total        {total:>8.3} s  {mb:.1} MB of text, {} words: {:.1} MB/s, {:.0} words/s",
            report.words,
            mb / total,
            report.words as f64 / total
        );
    }
    // As with the build: the listing and the cache's index of files go with the process.
    std::mem::forget((listing.files, known));
    Ok(if skipped > 0 {
        ExitCode::from(EXIT_SKIPPED)
    } else {
        ExitCode::SUCCESS
    })
}

/// What a build did, for its summary.
struct Built {
    report: pipeline::BuildReport,
    cache_saved: pipeline::CacheSaved,
    documents: usize,
    nodes: u64,
    edges: u64,
    /// The graph file was already the one this input gives, and was left as it was.
    up_to_date: bool,
}

/// What is wrong with a cache file, for a warning: named as the cache it is, not as a
/// graph file, and without the advice to rebuild that a graph file's errors end with,
/// since this build is writing the cache again.
fn cache_problem(error: &graph::StoreError) -> String {
    match error {
        graph::StoreError::Read { path, source } => {
            format!(
                "cannot read the extraction cache {}: {source}",
                path.display()
            )
        }
        graph::StoreError::Write { path, source } => {
            format!(
                "cannot write the extraction cache {}: {source}",
                path.display()
            )
        }
        _ => {
            let message = error.to_string();
            match message.split_once("; rebuild it with") {
                Some((problem, _)) => problem.to_string(),
                None => message,
            }
        }
    }
}

/// Resolves the graph (writing the cache beside it) and saves it, recording `input`.
fn resolve_and_save(
    build: pipeline::Build,
    graph_path: &Path,
    cache_path: &Path,
    input: Option<u64>,
    corpus: &corpus::Corpus,
) -> anyhow::Result<Built> {
    let ((graph, unlinked), mut report, cache_saved, documents, mut state) =
        build.finish(Some(cache_path));
    eprintln!("read {}", corpus.summary());
    let document_count = documents.len();
    drop(documents);

    // The claims are linked while the nodes are written, and the links go straight to
    // the file: the graph is dropped once saved. What the next build needs to resolve
    // only the documents that change is written at the same time, on a thread of its
    // own (saving the graph waits on the disk as much as on the cores).
    let saving = Instant::now();
    let mut linked = 0;
    state.base = input;
    state.fingerprint = cache::extractor_fingerprint();
    let (saved, bulk) = std::thread::scope(|threads| {
        let state = &state;
        let unlinked = &unlinked;
        let encoding = threads.spawn(move || {
            let started = Instant::now();
            (state.encode_bulk(unlinked), started.elapsed())
        });
        let saved = graph::save_linked(
            &graph,
            graph_path,
            || {
                let links = unlinked.links();
                linked = links.len();
                links
            },
            input,
        );
        let bulk = encoding
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (saved, bulk)
    });
    saved.with_context(|| "the graph was not saved")?;
    report.phase("link+save", saving);
    let (bulk, encoding_time) = bulk;
    let writing = Instant::now();
    let state_path = crate::resolve::rebuild::state_path(graph_path);
    state.base_stamp = graph_stamp(graph_path);
    if state.base.is_none() || state.base_stamp.is_none() {
        // Without the input's digest no graph file can be matched with the state.
        let _ = std::fs::remove_file(&state_path);
    } else if let Err(error) = state.save(graph_path, bulk) {
        eprintln!("warning: {error}; the next build resolves every document");
    }
    report.phases.push((
        "  state encoded beside it",
        encoding_time,
        pipeline::peak_memory_mb(),
    ));
    report.phase("state", writing);
    // Counts kept by the graph: counting by label and type would walk every edge.
    let (nodes, edges) = (graph.node_count(), graph.edge_count());
    std::mem::forget((state, unlinked));
    // The process ends soon: freeing millions of nodes and edges one by one would only
    // delay the exit.
    std::mem::forget(graph);
    Ok(Built {
        report,
        cache_saved,
        documents: document_count,
        nodes: nodes as u64,
        edges: (edges + linked) as u64,
        up_to_date: false,
    })
}

/// The graph file's size and modification time as the rebuild state keeps them (the
/// cache's stamp of a source file).
fn graph_stamp(path: &Path) -> Option<(u64, u128)> {
    let stamp = FileStamp::from_metadata(&std::fs::metadata(path).ok()?)?;
    Some((stamp.size, stamp.modified_ns))
}

/// Writes the graph delta of a rebuild that resolved only its changed documents.
fn save_delta(
    delta: &graph::GraphDelta,
    mut report: pipeline::BuildReport,
    cache_saved: pipeline::CacheSaved,
    graph_path: &Path,
    input: Option<u64>,
    build: &pipeline::Build,
) -> anyhow::Result<Built> {
    let saving = Instant::now();
    graph::save_delta(graph_path, delta, input).with_context(|| "the graph was not saved")?;
    report.phase("save delta", saving);
    Ok(Built {
        report,
        cache_saved,
        documents: build.documents().len(),
        nodes: u64::from(delta.node_count()),
        edges: delta.edge_count(),
        up_to_date: false,
    })
}

/// What the reader hands on for one file: how it was read, and the file's problems and
/// count for the summary.
type FileOutcome = (SourceFileRead, corpus::Corpus);

/// What each file's look-up gave, on every core.
fn look_up(files: &[corpus::SourceFile]) -> Vec<std::io::Result<std::fs::Metadata>> {
    use rayon::prelude::*;
    files
        .par_iter()
        .map(|file| std::fs::metadata(&file.path))
        .collect()
}

/// Reads `files` a batch at a time (on a pool of [`READERS`] threads, since reading waits on
/// the disk) and sends each batch on, until the files end or the receiver is gone. A
/// file whose id, size and modification time (`looked_up`, one per file) match `known`
/// (the cache) is not read.
fn read_ahead(
    files: &[corpus::SourceFile],
    looked_up: Vec<std::io::Result<std::fs::Metadata>>,
    options: &corpus::ReadOptions,
    known: &KnownSources,
    progress: &dyn Progress,
    batches: std::sync::mpsc::SyncSender<Vec<FileOutcome>>,
) {
    let read_one = |(file, metadata): (&corpus::SourceFile, std::io::Result<_>)| -> FileOutcome {
        // Stamped before reading: a change made while it is read shows next time. The
        // same look-up tells the reader the file's kind and size.
        let stamp = metadata.as_ref().ok().and_then(FileStamp::from_metadata);
        let cached = known.get(&file.key);
        if let (Some(stamp), Some(cached)) = (stamp, cached) {
            // A file now over the size limit is read, so that it is skipped with a
            // warning as a build from scratch would.
            let within_limit = stamp.size <= options.max_file_size;
            if cached.file_id == file.id && cached.stamp == Some(stamp) && within_limit {
                let counted = corpus::Corpus {
                    files_seen: 1,
                    ..corpus::Corpus::default()
                };
                return (SourceFileRead::Unchanged(cached.entries.clone()), counted);
            }
        }
        let mut part = corpus::read_source_stated(file, options, metadata);
        let documents = std::mem::take(&mut part.documents);
        let read = SourceFileRead::Read {
            documents,
            file_id: file.id.clone(),
            key: file.key.clone(),
            stamp,
            cached: cached.map(|cached| cached.entries.clone()),
        };
        (read, part)
    };
    // Eight readers, though there are fewer cores: a file not in the page cache waits
    // on the disk, and reads in flight together overlap those waits (a cold build of
    // 100,000 articles: 13.8 s with two readers, 12.0 s with eight; a warm one is the same).
    let readers = rayon::ThreadPoolBuilder::new()
        .num_threads(READERS)
        .build()
        .ok();
    let mut looked_up = looked_up.into_iter();
    let mut pending: Vec<FileOutcome> = Vec::new();
    let mut pending_read = 0;
    for batch in files.chunks(READ_BATCH) {
        let batch: Vec<_> = batch.iter().zip(looked_up.by_ref()).collect();
        let count = batch.len() as u64;
        let read = || -> Vec<FileOutcome> {
            use rayon::prelude::*;
            batch.into_par_iter().map(read_one).collect()
        };
        let outcomes = match &readers {
            Some(pool) => pool.install(read),
            None => read(),
        };
        progress.advance(count);
        let read = outcomes.iter().filter(|(file, _)| !file.is_unchanged());
        pending_read += read.count();
        pending.extend(outcomes);
        // Unchanged files cost next to nothing to take, so they wait for files that
        // were read: a rebuild of 1% of its files otherwise extracted five documents a
        // batch, and so waited at each batch for the slowest of them.
        if pending_read >= READ_BATCH || pending.len() >= UNCHANGED_BATCH {
            pending_read = 0;
            if batches.send(std::mem::take(&mut pending)).is_err() {
                return;
            }
        }
    }
    if !pending.is_empty() {
        let _ = batches.send(pending);
    }
}

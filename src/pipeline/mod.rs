//! The build pipeline: documents -> sentences -> extraction (in parallel) -> resolution ->
//! graph.
//!
//! Extraction looks at one document at a time, so its result is kept in a cache beside
//! the graph ([`cache`]) with a hash of the document: a later build re-extracts only the
//! documents that are new or changed and drops those that are gone. Resolution merges
//! across documents, so it always runs again over every extraction, cached or new; it
//! is linear in their size, so that is cheap next to extraction.

pub mod cache;

use crate::corpus::Document;
use crate::graph::KnowledgeGraph;
use crate::{extract, resolve};
pub use cache::{
    deserialize_rule, ExtractionCache, FileStamp, KnownSources, PackedExtraction, SourceRecord,
};
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// Builds the graph of a set of documents, extracting every one.
pub fn build_graph(documents: &[Document]) -> KnowledgeGraph {
    let extractions: Vec<extract::DocumentExtraction> = documents
        .par_iter()
        .map(extract::extract_document)
        .collect();
    resolve::resolve(documents, &extractions)
}

/// What a build did, for the summary line and `--timings`.
#[derive(Clone, Debug, Default)]
pub struct BuildReport {
    pub documents: usize,
    /// Documents whose cached extraction was reused.
    pub reused: usize,
    /// Documents extracted in this build.
    pub extracted: usize,
    /// Cached documents that are no longer in the corpus.
    pub removed: usize,
    /// Bytes of article text.
    pub text_bytes: u64,
    /// Words of article text (runs of alphanumeric characters).
    pub words: u64,
    /// Each stage in order: its name, wall time, and the process's peak memory when it
    /// ended (MB, where the system tells it).
    pub phases: Vec<(&'static str, Duration, Option<u64>)>,
}

impl BuildReport {
    /// Records a stage that started at `started` and ends now.
    pub fn phase(&mut self, name: &'static str, started: Instant) {
        self.phases
            .push((name, started.elapsed(), peak_memory_mb()));
    }
}

/// The process's peak resident memory so far, in MB (Linux only; `None` elsewhere).
pub fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// Something to tell as documents are extracted (a progress bar, or nothing).
pub trait Progress: Sync {
    fn start(&self, total: u64);
    fn advance(&self, done: u64);
    fn finish(&self);
}

/// Reports nothing.
pub struct Quiet;

impl Progress for Quiet {
    fn start(&self, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// A source file as the reader hands it to a build.
pub enum SourceFileRead {
    /// Read: its documents, its id as a file, the path the cache knows it by
    /// ([`crate::corpus::SourceFile::key`]), its stamp taken before it was read, and the cache's
    /// entries of the file, where its documents' entries are looked for.
    Read {
        documents: Vec<Document>,
        file_id: String,
        key: std::path::PathBuf,
        stamp: Option<cache::FileStamp>,
        cached: Option<std::ops::Range<usize>>,
    },
    /// Unchanged since the last build (same id, size and modification time): not read;
    /// its documents are the cache's entries at these positions.
    Unchanged(std::ops::Range<usize>),
}

impl SourceFileRead {
    pub fn is_unchanged(&self) -> bool {
        matches!(self, SourceFileRead::Unchanged(_))
    }
}

/// A document that was read: its stamp (with its file's id) and the cache's entries of
/// its file, where its entry is looked for.
struct ReadDocument {
    document: Document,
    source: Option<(String, cache::FileStamp)>,
    cached: Option<std::ops::Range<usize>>,
}

/// A build in progress. Documents come in batches as they are read: each batch is
/// hashed, its unchanged documents take their extraction from the previous build's
/// cache, the others are extracted on every core, and the text is dropped (resolution
/// never reads it, and at a hundred thousand articles it is a quarter of a gigabyte).
/// [`Build::finish`] writes the cache and resolves. The graph is the same as
/// [`build_graph`] gives: extraction depends on the document alone, and resolution runs
/// over the extractions in corpus order whichever way they were made.
pub struct Build {
    previous: ExtractionCache,
    documents: Vec<Document>,
    extractions: Vec<PackedExtraction>,
    /// Documents taken from the cache without their file being read (unchanged stamp).
    not_read: usize,
    report: BuildReport,
    started: Instant,
}

impl Build {
    pub fn new(previous: Option<ExtractionCache>) -> Build {
        let previous = previous.unwrap_or_default();
        // Most of a rebuild's documents are the last build's: room for them from the
        // start spares copying a hundred thousand entries each time the vectors grow.
        let expected = previous.len();
        Build {
            previous,
            documents: Vec::with_capacity(expected),
            extractions: Vec::with_capacity(expected),
            not_read: 0,
            report: BuildReport::default(),
            started: Instant::now(),
        }
    }

    /// Takes the next batch of files, in corpus order: files read (with the stamp they
    /// had when read) and files found unchanged since the last build, whose documents
    /// and extractions come from the cache.
    pub fn add_files(&mut self, files: Vec<SourceFileRead>) {
        /// Where a file's documents come from, in corpus order.
        enum Taken {
            Cache(std::ops::Range<usize>),
            /// The next this many of the documents that were read.
            Read(usize),
        }
        let mut read = Vec::new();
        let taken: Vec<Taken> = files
            .into_iter()
            .map(|file| match file {
                SourceFileRead::Unchanged(entries) => Taken::Cache(entries),
                SourceFileRead::Read {
                    documents,
                    file_id,
                    key,
                    stamp,
                    cached,
                } => {
                    let count = documents.len();
                    // From here on a document names its file as the cache does, as
                    // those of unchanged files (taken from the cache) do.
                    read.extend(documents.into_iter().map(|mut document| {
                        document.path.clone_from(&key);
                        ReadDocument {
                            document,
                            source: stamp.map(|stamp| (file_id.clone(), stamp)),
                            cached: cached.clone(),
                        }
                    }));
                    Taken::Read(count)
                }
            })
            .collect();
        // Most files of a rebuild are unchanged: the documents that were read go through
        // hashing and extraction on their own, and the cached ones are taken in between.
        let mut made = self.take_or_extract(read).into_iter();
        for taken in taken {
            match taken {
                Taken::Cache(entries) => {
                    for packed in self.previous.take_entries(entries) {
                        let Some(record) = &packed.source else {
                            continue;
                        };
                        self.report.text_bytes += record.text_bytes;
                        self.report.words += record.words;
                        self.report.reused += 1;
                        self.not_read += 1;
                        self.documents.push(record.document.clone());
                        self.extractions.push(packed);
                    }
                }
                Taken::Read(count) => {
                    let first = self.extractions.len();
                    for (document, packed) in made.by_ref().take(count) {
                        self.documents.push(document);
                        self.extractions.push(packed);
                    }
                    cache::keep_file_together(&mut self.extractions[first..]);
                }
            }
        }
    }

    /// Hashes and counts documents that were read, on every core; takes the extractions
    /// of those the cache still has, and extracts the rest on every core, in order.
    fn take_or_extract(&mut self, read: Vec<ReadDocument>) -> Vec<(Document, PackedExtraction)> {
        /// A read document with what the reading measured and its extraction when the
        /// cache still has it.
        struct Measured {
            read: ReadDocument,
            hash: u64,
            text_bytes: u64,
            words: u64,
            found: Option<PackedExtraction>,
        }
        let mut measured: Vec<Measured> = read
            .into_par_iter()
            .map(|read| Measured {
                hash: cache::document_hash(&read.document),
                text_bytes: read.document.text.len() as u64,
                words: count_words(&read.document.text),
                read,
                found: None,
            })
            .collect();
        for m in &mut measured {
            self.report.text_bytes += m.text_bytes;
            self.report.words += m.words;
            let cached = m.read.cached.take();
            m.found = self.previous.take(&m.read.document.id, m.hash, cached);
            match m.found {
                Some(_) => self.report.reused += 1,
                None => self.report.extracted += 1,
            }
        }
        measured
            .into_par_iter()
            .map(|m| {
                let ReadDocument {
                    mut document,
                    source,
                    cached: _,
                } = m.read;
                let mut packed = m.found.unwrap_or_else(|| {
                    PackedExtraction::pack(m.hash, &extract::extract_document(&document))
                });
                document.text = String::new();
                packed.set_source(source.map(|(file_id, stamp)| SourceRecord {
                    file_id,
                    stamp,
                    document: document.clone(),
                    text_bytes: m.text_bytes,
                    words: m.words,
                }));
                (document, packed)
            })
            .collect()
    }

    /// The documents taken so far (their text already dropped).
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    /// A digest of everything resolution reads: the documents in corpus order (the
    /// [`cache::document_hash`] of each covers its id, text and header fields) and the
    /// binary, which holds the rules and lexicons. Two builds with the same digest
    /// resolve the same graph. `None` when the binary cannot be fingerprinted.
    pub fn input_digest(&self) -> Option<u64> {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&cache::extractor_fingerprint()?.to_le_bytes());
        hasher.update(&(self.extractions.len() as u64).to_le_bytes());
        for extraction in &self.extractions {
            hasher.update(&extraction.hash.to_le_bytes());
        }
        Some(hasher.digest())
    }

    /// Whether every document came from the cache and every cached document is still
    /// in the corpus: then the graph can only differ from the last build's if the
    /// documents came in another order, which [`Build::input_digest`] tells.
    pub fn nothing_changed(&self) -> bool {
        self.report.extracted == 0 && self.previous.is_empty()
    }

    /// The report of the reading and extracting, which ends here.
    fn end_reading(&mut self) -> BuildReport {
        let mut report = std::mem::take(&mut self.report);
        report.documents = self.documents.len();
        // (A rebuild that tried to resolve only what changed has ended it already.)
        if report.phases.is_empty() {
            report.phase("read+extract", self.started);
        }
        report
    }

    /// Ends a build whose graph is already up to date: nothing is resolved, and the
    /// cache is written only when a file had to be read (its new stamp spares the
    /// next build reading it again). The build is left to its caller, which may have
    /// better to do than free its hundred thousand entries.
    pub fn finish_unchanged(
        &mut self,
        cache_path: Option<&std::path::Path>,
    ) -> (BuildReport, CacheSaved) {
        let mut report = self.end_reading();
        let started = Instant::now();
        let saved = self.save_cache(cache_path);
        report.phase("cache", started);
        (report, saved)
    }

    /// Writes the cache unless no file was read (then it holds these very entries).
    fn save_cache(&mut self, cache_path: Option<&std::path::Path>) -> CacheSaved {
        match cache_path.filter(|_| self.not_read < self.documents.len()) {
            Some(path) => {
                let plan = cache::SavePlan::new(self.previous.base(), &self.extractions);
                let extractions = std::mem::take(&mut self.extractions);
                cache::save(path, plan, into_batches(extractions))
            }
            None => Ok(None),
        }
    }

    /// Each document's content hash, as [`resolve::rebuild::RebuildState`] records them.
    fn document_hashes(&self) -> Vec<u64> {
        self.extractions.iter().map(|e| e.hash).collect()
    }

    /// Resolves only the documents that changed since the full build that `state`
    /// describes, when that gives the graph a full resolution would (see
    /// `resolve::rebuild`): the graph delta, and the cache written as by
    /// [`Build::finish_unchanged`]. Otherwise says why not and leaves the build to
    /// [`Build::finish`].
    pub fn finish_fast(
        &mut self,
        state: &resolve::rebuild::RebuildState,
        base: crate::graph::BuildRecord,
        cache_path: Option<&std::path::Path>,
    ) -> Result<(crate::graph::GraphDelta, BuildReport, CacheSaved), &'static str> {
        let mut report = self.end_reading();
        let started = Instant::now();
        match self.changed_against(state, base) {
            Ok(delta) => {
                report.phase("resolve", started);
                let started = Instant::now();
                let saved = self.save_cache(cache_path);
                report.phase("cache", started);
                Ok((delta, report, saved))
            }
            Err(why) => {
                self.report = report;
                Err(why)
            }
        }
    }

    fn changed_against(
        &self,
        state: &resolve::rebuild::RebuildState,
        base: crate::graph::BuildRecord,
    ) -> Result<crate::graph::GraphDelta, &'static str> {
        if state.fingerprint.is_none() || state.fingerprint != cache::extractor_fingerprint() {
            return Err("the graph was built by another claimgraph");
        }
        if state.base != Some(base.input) {
            return Err("the rebuild state describes another graph file");
        }
        let base_links = base
            .edges
            .checked_sub(u64::from(state.own_edges()))
            .ok_or("the rebuild state describes another graph file")?;
        // Documents added after the last one are resolved as changed ones with no
        // old part; the documents before them must be the old ones, in their order.
        let old = state.documents.len();
        if self.extractions.len() < old {
            return Err("documents were removed");
        }
        let changed: Vec<usize> = (0..old)
            .filter(|i| self.extractions[*i].hash != state.documents[*i])
            .chain(old..self.extractions.len())
            .collect();
        // Past a tenth of the corpus, a full build (a new base) keeps deltas small.
        if changed.len() * 10 > self.extractions.len() {
            return Err("more than a tenth of the documents changed");
        }
        let prepared: Result<Vec<_>, &'static str> = changed
            .par_iter()
            .map(|i| {
                let packed = &self.extractions[*i];
                let url = self.documents[*i].url.as_deref();
                let document = resolve::PreparedDocument::decode(packed.bytes(), url)
                    .map_err(|_| "a changed document's extraction cannot be decoded")?;
                Ok(resolve::rebuild::ChangedDocument {
                    position: *i,
                    document,
                    people: packed.people.clone(),
                })
            })
            .collect();
        resolve::rebuild::rebuild(state, prepared?, base_links)
    }

    /// Writes the cache for the next build to `cache_path` (unless no file was read and
    /// none is gone: a delta against the cache's base when few entries changed, else
    /// a full cache) and resolves the graph, leaving its claims to be linked as it is
    /// saved ([`crate::graph::save_linked`]). The third value tells what was written
    /// of the cache; the last is the documents without their text.
    pub fn finish(
        mut self,
        cache_path: Option<&std::path::Path>,
    ) -> (
        (KnowledgeGraph, resolve::UnlinkedClaims),
        BuildReport,
        CacheSaved,
        Vec<Document>,
        resolve::rebuild::RebuildState,
    ) {
        let mut report = self.end_reading();
        let hashes = self.document_hashes();
        report.removed = self.previous.len();
        let base = self.previous.base();
        drop(self.previous);
        // The cache is written on a thread of its own while the graph is resolved (to
        // the system's buffers, without waiting for the disk): resolution keeps one
        // core busy and decodes ahead on part of the other. Both read the same batches
        // of extractions, and each batch is freed once both are done with it.
        let started = Instant::now();
        let batches = into_batches(std::mem::take(&mut self.extractions));
        let documents = &self.documents;
        // When no file was read and none is gone, the cache on disk already holds these
        // very entries with their stamps: writing it again would only copy it.
        let unchanged = self.not_read == documents.len() && report.removed == 0;
        let cache_path = cache_path.filter(|_| !unchanged);
        let (resolved, saved, cache_time) = std::thread::scope(|scope| {
            let writer = cache_path.map(|path| {
                let batches = batches.clone();
                scope.spawn(move || {
                    let started = Instant::now();
                    let extractions = batches.iter().flat_map(|batch| batch.iter());
                    let plan = cache::SavePlan::new(base, extractions);
                    (cache::save(path, plan, batches), started.elapsed())
                })
            });
            let resolver = resolve_packed(documents, batches);
            let resolved = resolver.finish_with_state(hashes);
            let (saved, cache_time) = match writer.map(|writer| writer.join()) {
                Some(Ok(outcome)) => outcome,
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => (Ok(None), std::time::Duration::ZERO),
            };
            (resolved, saved, cache_time)
        });
        report.phase("resolve", started);
        report.phases.push(("cache", cache_time, peak_memory_mb()));
        let (resolved, state) = resolved;
        (resolved, report, saved, self.documents, state)
    }
}

/// What a build wrote of the cache: nothing (`None`), a delta or a full cache.
pub type CacheSaved = Result<Option<cache::CacheWritten>, crate::graph::StoreError>;

/// Resolves packed extractions (in corpus order, beside their documents), decoding and
/// preparing the next few hundred on the other core while the current ones are added,
/// and dropping what is left of the previous few hundred there too. What only the
/// whole corpus tells is left to [`resolve::Resolver::finish`].
fn resolve_packed(documents: &[Document], batches: Vec<cache::Batch>) -> resolve::Resolver {
    let entries = || batches.iter().flat_map(|batch| batch.iter());
    let mut size = resolve::GraphSize::default();
    for extraction in entries() {
        size.add(&extraction.size);
    }
    let people = entries().flat_map(|e| e.people.iter().map(String::as_str));
    let mut resolver = resolve::Resolver::new(people, size);
    // Each batch with the position of its first document.
    let mut batches = batches.into_iter().scan(0, |first, batch| {
        let start = *first;
        *first += batch.len();
        Some((start, batch))
    });
    let decode = |(start, batch): (usize, cache::Batch)| decode_batch(documents, start, batch);
    let mut current = batches.next().map(decode);
    let mut spent = Vec::new();
    while let Some((batch, prepared)) = current.take() {
        let upcoming = batches.next();
        let previous_spent = std::mem::take(&mut spent);
        let ((), prepared_next) = rayon::join(
            || add_batch(&mut resolver, &batch, prepared, &mut spent),
            || {
                drop_spent(previous_spent);
                upcoming.map(decode)
            },
        );
        current = prepared_next;
    }
    resolver
}

/// Decodes and prepares a batch on every core (a function of its own, as are the two
/// below, so that a profile shows the parts of resolution apart).
#[inline(never)]
fn decode_batch(
    documents: &[Document],
    start: usize,
    batch: cache::Batch,
) -> (
    cache::Batch,
    Vec<Result<resolve::PreparedDocument, postcard::Error>>,
) {
    let prepared: Vec<_> = batch
        .par_iter()
        .enumerate()
        .map(|(i, packed)| {
            let url = documents.get(start + i).and_then(|d| d.url.as_deref());
            resolve::PreparedDocument::decode(packed.bytes(), url)
        })
        .collect();
    (batch, prepared)
}

/// Adds a decoded batch to the graph in corpus order.
#[inline(never)]
fn add_batch(
    resolver: &mut resolve::Resolver,
    batch: &cache::Batch,
    prepared: Vec<Result<resolve::PreparedDocument, postcard::Error>>,
    spent: &mut Vec<resolve::SpentDocument>,
) {
    for (packed, document) in batch.iter().zip(prepared) {
        match document {
            Ok(document) => spent.push(resolver.add_prepared(document)),
            // The cache is checksummed and tied to this binary, so this only happens on
            // a bug; the document is left out rather than the build lost.
            Err(error) => eprintln!(
                "warning: the extraction of {} cannot be decoded ({error}); it is left out of the graph, `claimgraph build --full` extracts it again",
                packed.document
            ),
        }
    }
}

#[inline(never)]
fn drop_spent(spent: Vec<resolve::SpentDocument>) {
    drop(spent);
}

/// Extractions in batches of a few hundred: resolution decodes one batch ahead.
fn into_batches(extractions: Vec<PackedExtraction>) -> Vec<cache::Batch> {
    const BATCH: usize = 256;
    let mut extractions = extractions.into_iter();
    std::iter::from_fn(|| {
        let batch: Vec<PackedExtraction> = extractions.by_ref().take(BATCH).collect();
        (!batch.is_empty()).then(|| std::sync::Arc::new(batch))
    })
    .collect()
}

/// Words as a reader counts them: runs of letters and digits.
pub fn count_words(text: &str) -> u64 {
    let mut words = 0;
    let mut in_word = false;
    let mut rest = text;
    loop {
        // A run of ASCII, where `char::is_alphanumeric` is the ASCII test, byte by byte...
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        for b in &rest.as_bytes()[..ascii] {
            let word_char = b.is_ascii_alphanumeric();
            words += u64::from(word_char && !in_word);
            in_word = word_char;
        }
        // ...then the character after it, decoded.
        let mut chars = rest[ascii..].chars();
        let Some(c) = chars.next() else {
            return words;
        };
        let word_char = c.is_alphanumeric();
        words += u64::from(word_char && !in_word);
        in_word = word_char;
        rest = chars.as_str();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        assert_eq!(count_words("More than 4,500 soldiers — fled."), 6);
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("Київ і Харків"), 3);
    }

    #[test]
    fn words_are_counted_as_by_chars() {
        let by_chars = |text: &str| {
            let mut words = 0;
            let mut in_word = false;
            for c in text.chars() {
                let word_char = c.is_alphanumeric();
                words += u64::from(word_char && !in_word);
                in_word = word_char;
            }
            words
        };
        let pieces = [
            "a", "Z", "7", " ", ",", "—", "é", "Київ", "٣", "\u{a0}", "_", "\n",
        ];
        for text in crate::extract::testing::random_texts(&pieces, 17, 5_000, 12) {
            assert_eq!(count_words(&text), by_chars(&text), "{text:?}");
        }
    }
}

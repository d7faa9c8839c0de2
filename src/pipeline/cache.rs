//! The extraction cache: beside `GRAPH` lives `GRAPH.cache`, holding each document's
//! extraction with a hash of its content, so the next build re-extracts only what
//! changed.
//!
//! The cache is only valid for the binary that wrote it: a new build of claimgraph may
//! extract differently (new lexicon entries, new rules), so the file records a
//! fingerprint of the running executable and a build with another binary starts over.
//! A missing, damaged or foreign cache is never an error: the build extracts everything.
//!
//! A rebuild after a few changes does not write the whole cache again: the full cache
//! (the *base*) stays as it is, and `GRAPH.cache.delta` holds what the build changed:
//! the base's entries it no longer has (changed and removed documents), the new stamps
//! of base entries whose file was read again and found the same (a checkout or a copy
//! touches files without changing them), and the entries that are not in the base.
//! A delta names its base (a random id written in the base, its length, checksum and
//! number of entries) and is ignored beside any other. Each build writes the delta
//! anew against the same base (atomically, like the base), so it grows with the
//! changes since the base was written; when it would hold more than a quarter as many
//! entries as the base, or drop more than a quarter of the base, a full cache is
//! written instead (compaction) and the delta removed. New stamps do not count: there
//! is at most one per base entry, a few bytes each.

use crate::corpus::Document;
use crate::extract::DocumentExtraction;
use crate::graph::store::{
    frame_head, unframe_while, write_framed_with, write_section, Durability, FileBytes,
};
use crate::graph::StoreError;
use crate::resolve::{self, GraphSize};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Deserializer, Serialize};
use std::cell::RefCell;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use xxhash_rust::xxh3::Xxh3;

const CACHE_MAGIC: &[u8; 8] = b"CLMCACHE";
/// 3: the payload holds a random id after the fingerprint, which a delta names.
const CACHE_VERSION: u32 = 3;
const DELTA_MAGIC: &[u8; 8] = b"CLMDELTA";
/// 2: base entries read again unchanged are kept with a new stamp (`restamped`)
/// instead of being dropped and written in full.
const DELTA_VERSION: u32 = 2;

/// A delta is written instead of a full cache while it holds at most this fraction of
/// the base's number of entries, and drops at most as many (one in four). Restamped
/// entries are not counted: a new stamp is about 13 bytes against an entry's kilobytes,
/// and a base entry has at most one, so they cannot make the delta outgrow a small
/// fraction of the base (touching every file is a delta of stamps, not a new base).
const DELTA_LIMIT_DIVISOR: usize = 4;

/// The cache file of a graph file: `GRAPH.cache`.
pub fn cache_path(graph: &Path) -> PathBuf {
    let mut name = graph.as_os_str().to_os_string();
    name.push(".cache");
    PathBuf::from(name)
}

/// The delta beside a cache file: `GRAPH.cache.delta`.
pub fn delta_path(cache: &Path) -> PathBuf {
    let mut name = cache.as_os_str().to_os_string();
    name.push(".delta");
    PathBuf::from(name)
}

/// What a delta names of the base it applies to: an id drawn when the base was
/// written, the base's payload length and checksum (from its header) and its number
/// of entries. A base written again, even with the same entries, gets another id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseId {
    id: u64,
    length: u64,
    crc: u32,
    entries: u64,
}

/// An id for a new base: the time, the process and the binary, hashed.
fn new_base_id() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut hasher = Xxh3::new();
    hasher.update(&now.to_le_bytes());
    hasher.update(&std::process::id().to_le_bytes());
    hasher.update(&extractor_fingerprint().unwrap_or(0).to_le_bytes());
    hasher.digest()
}

/// The hash a document's extraction depends on: its id and every field extraction reads.
pub fn document_hash(document: &Document) -> u64 {
    let mut hasher = Xxh3::new();
    let field = |hasher: &mut Xxh3, bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(&mut hasher, document.id.as_bytes());
    field(&mut hasher, document.text.as_bytes());
    for value in [
        &document.title,
        &document.outlet,
        &document.author,
        &document.date,
        &document.url,
    ] {
        match value {
            Some(v) => field(&mut hasher, v.as_bytes()),
            // A length no real field has marks "absent", distinct from "empty".
            None => hasher.update(&u64::MAX.to_le_bytes()),
        }
    }
    hasher.digest()
}

/// A fingerprint of the running executable: extraction rules and lexicons are compiled
/// into it, so a cache written by another binary is not trusted. The executable is
/// mapped, not read: copying its 50 MB took a core for a third of a second.
pub fn extractor_fingerprint() -> Option<u64> {
    static FINGERPRINT: LazyLock<Option<u64>> = LazyLock::new(|| {
        let exe = std::env::current_exe().ok()?;
        let bytes = crate::graph::store::read_whole(&exe).ok()?;
        Some(xxhash_rust::xxh3::xxh3_64(&bytes))
    });
    *FINGERPRINT
}

/// One document's extraction as a build holds it and the cache stores it: postcard
/// bytes, decoded only when resolution reaches the document (the decoded form is several
/// times larger, and a hundred thousand of them would not fit a laptop), with what
/// resolution must know of every document before it starts.
#[derive(Serialize)]
pub struct PackedExtraction {
    pub document: String,
    /// The [`document_hash`] of the document it was made from.
    pub hash: u64,
    /// [`resolve::people_of`] the extraction.
    pub people: Vec<String>,
    pub size: GraphSize,
    /// The file the document was read from, as it was then: a later build that finds
    /// the file unchanged takes the entry without reading the file.
    pub source: Option<SourceRecord>,
    bytes: PackedBytes,
    /// Its position in the base cache it was loaded from, while it is that very entry
    /// (taken with its file unchanged, or read again the same): a delta keeps it by not
    /// dropping it.
    #[serde(skip)]
    base: Option<u32>,
    /// A base entry whose `source` has another stamp than the base records: a delta
    /// stores the new stamp.
    #[serde(skip)]
    restamped: bool,
}

/// The reading side of a [`PackedExtraction`] in a cache file, its bytes borrowed from
/// the file.
#[derive(Deserialize)]
struct CacheEntryIn<'a> {
    document: String,
    hash: u64,
    people: Vec<String>,
    size: GraphSize,
    source: Option<SourceRecord>,
    #[serde(borrow, with = "serde_bytes")]
    bytes: &'a [u8],
}

/// An extraction's postcard bytes: made by this build, or a stretch of the cache file
/// they were loaded from. The file is mapped and shared by its entries, so loading the
/// cache of a large corpus copies nothing (it was half a gigabyte at 100,000 articles).
enum PackedBytes {
    Made(Vec<u8>),
    InFile {
        file: Arc<FileBytes>,
        range: std::ops::Range<usize>,
    },
}

impl PackedBytes {
    fn as_slice(&self) -> &[u8] {
        match self {
            PackedBytes::Made(bytes) => bytes,
            PackedBytes::InFile { file, range } => &file[range.clone()],
        }
    }
}

impl Serialize for PackedBytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.as_slice())
    }
}

/// The size and modification time of a file, to tell an unchanged file without
/// reading it (as make and cargo do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub size: u64,
    pub modified_ns: u128,
}

impl FileStamp {
    pub fn from_metadata(metadata: &std::fs::Metadata) -> Option<FileStamp> {
        let modified = metadata.modified().ok()?;
        let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(FileStamp {
            size: metadata.len(),
            modified_ns: since.as_nanos(),
        })
    }
}

/// What a cache entry keeps of its document besides the extraction: the file it came
/// from (with its id as a file, which depends on the folder the build was given) and
/// the document without its text, so an unchanged file's documents are rebuilt without
/// reading it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceRecord {
    pub file_id: String,
    pub stamp: FileStamp,
    /// The document, its text dropped.
    pub document: Document,
    pub text_bytes: u64,
    pub words: u64,
}

impl PackedExtraction {
    pub fn pack(hash: u64, extraction: &DocumentExtraction) -> PackedExtraction {
        PackedExtraction {
            document: extraction.document.clone(),
            hash,
            people: resolve::people_of(extraction),
            size: GraphSize::of(extraction),
            source: None,
            bytes: PackedBytes::Made(encode_exactly(extraction)),
            base: None,
            restamped: false,
        }
    }

    /// Gives the entry the source its document was just read from. A base entry whose
    /// source only has a new stamp stays the base's, restamped; any other difference (a
    /// corpus given by another path) makes it an entry of its own, written in full.
    pub fn set_source(&mut self, source: Option<SourceRecord>) {
        if self.base.is_some() {
            match (&self.source, &source) {
                (Some(old), Some(new))
                    if old.file_id == new.file_id
                        && old.document == new.document
                        && old.text_bytes == new.text_bytes
                        && old.words == new.words =>
                {
                    self.restamped |= old.stamp != new.stamp;
                }
                _ => {
                    self.base = None;
                    self.restamped = false;
                }
            }
        }
        self.source = source;
    }

    /// The stamp a delta records for this base entry, when it is not the base's.
    fn new_stamp(&self) -> Option<(u32, FileStamp)> {
        let source = self.source.as_ref().filter(|_| self.restamped)?;
        Some((self.base?, source.stamp))
    }

    pub fn unpack(&self) -> Result<DocumentExtraction, postcard::Error> {
        postcard::from_bytes(self.bytes.as_slice())
    }

    /// The postcard bytes of the extraction (resolution decodes them its own way,
    /// [`resolve::PreparedDocument::decode`]).
    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_slice()
    }
}

/// Settles the entries of the documents read from one file (in order) after
/// [`PackedExtraction::set_source`]: unless they are base entries in an unbroken run of
/// the base, they all become entries of their own. Loading finds a file's entries side
/// by side, all in the base or all in the delta; a file split between them would be
/// read again at every build.
pub fn keep_file_together(entries: &mut [PackedExtraction]) {
    let first = entries.first().and_then(|entry| entry.base);
    let unbroken = first.is_some_and(|first| {
        let mut expected = (first..).map(Some);
        entries
            .iter()
            .all(|entry| Some(entry.base) == expected.next())
    });
    if !unbroken {
        for entry in entries {
            entry.base = None;
            entry.restamped = false;
        }
    }
}

/// The postcard bytes of an extraction in a vector of their exact length. They are
/// encoded into a buffer kept per thread and copied out once: a vector grown from
/// empty is copied at every doubling, and a build holds every document's bytes until
/// resolution, with up to half of each vector's room unused.
fn encode_exactly(extraction: &DocumentExtraction) -> Vec<u8> {
    thread_local! {
        static BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut buffer = BUFFER.take();
    buffer.clear();
    let buffer = postcard::to_extend(extraction, buffer)
        .expect("an extraction always encodes: it holds only strings and numbers");
    let bytes = buffer.as_slice().to_vec();
    BUFFER.set(buffer);
    bytes
}

/// Extractions in corpus order come in batches that resolution and the cache writer
/// share: each batch is freed once both are done with it.
pub type Batch = Arc<Vec<PackedExtraction>>;

/// What a save wrote, for `build --timings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheWritten {
    /// A delta against the base, not a full cache.
    pub delta: bool,
    /// Entries written in full.
    pub entries: usize,
    /// Base entries a delta gives a new stamp.
    pub stamps: usize,
    /// The size of the file written.
    pub bytes: u64,
}

/// How a build writes the cache for the next one.
#[derive(Debug)]
pub enum SavePlan {
    /// A full cache (a new base), and no delta.
    Full,
    /// A delta against `base`: its entries at `dropped` (ascending) are gone, those at
    /// `restamped` (ascending) get a new stamp, and the `added` extractions that are
    /// not base entries are written in full.
    Delta {
        base: BaseId,
        dropped: Vec<u32>,
        restamped: Vec<(u32, FileStamp)>,
        added: usize,
    },
}

impl SavePlan {
    /// A delta against the base the build's cache was loaded from (`None`: no cache,
    /// or `--full`) while it stays small next to the base; a full cache otherwise.
    pub fn new<'a>(
        base: Option<BaseId>,
        extractions: impl IntoIterator<Item = &'a PackedExtraction>,
    ) -> SavePlan {
        let Some(base) = base else {
            return SavePlan::Full;
        };
        let count = base.entries as usize;
        let mut kept = vec![false; count];
        let mut restamped = Vec::new();
        let mut added = 0;
        for extraction in extractions {
            match extraction.base.map(|i| i as usize) {
                Some(i) if i < count => {
                    kept[i] = true;
                    restamped.extend(extraction.new_stamp());
                }
                _ => added += 1,
            }
        }
        let dropped: Vec<u32> = (0..count as u32).filter(|&i| !kept[i as usize]).collect();
        // Restamped entries do not count (see DELTA_LIMIT_DIVISOR).
        let limit = count / DELTA_LIMIT_DIVISOR;
        if added > limit || dropped.len() > limit {
            return SavePlan::Full;
        }
        // A corpus listed in another order than the base's takes its entries out of
        // order.
        restamped.sort_unstable_by_key(|&(index, _)| index);
        SavePlan::Delta {
            base,
            dropped,
            restamped,
            added,
        }
    }
}

/// The entries of the batches as one sequence of `count`, each batch dropped once
/// written; with `added_only`, only those that are not base entries.
struct Entries {
    batches: RefCell<Option<Vec<Batch>>>,
    count: usize,
    added_only: bool,
}

impl Serialize for Entries {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let batches = self.batches.borrow_mut().take();
        let batches = batches.ok_or_else(|| S::Error::custom("the cache is written once"))?;
        let mut seq = serializer.serialize_seq(Some(self.count))?;
        let mut written = 0;
        for batch in batches {
            for entry in batch.iter() {
                if !self.added_only || entry.base.is_none() {
                    seq.serialize_element(entry)?;
                    written += 1;
                }
            }
        }
        if written != self.count {
            return Err(S::Error::custom("the cache's entries were miscounted"));
        }
        seq.end()
    }
}

/// Writes the cache of these extractions (in corpus order) for the next build, as
/// `plan` says: a full cache atomically to `path` (then removing the delta beside it,
/// which no longer applies), or a delta atomically beside it, letting go of each batch
/// once it is written. Returns `Ok(None)` without writing when this binary cannot be
/// fingerprinted (then every build extracts everything).
pub fn save(
    path: &Path,
    plan: SavePlan,
    batches: Vec<Batch>,
) -> Result<Option<CacheWritten>, StoreError> {
    let Some(fingerprint) = extractor_fingerprint() else {
        return Ok(None);
    };
    let size = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());
    match plan {
        SavePlan::Full => {
            #[derive(Serialize)]
            struct CacheOut {
                fingerprint: u64,
                id: u64,
                entries: Entries,
            }
            let count = batches.iter().map(|batch| batch.len()).sum();
            let file = CacheOut {
                fingerprint,
                id: new_base_id(),
                entries: Entries {
                    batches: RefCell::new(Some(batches)),
                    count,
                    added_only: false,
                },
            };
            write_framed_with(
                path,
                CACHE_MAGIC,
                CACHE_VERSION,
                Durability::Disposable,
                |out| write_section(out, &file).map(|_| ()),
            )?;
            // The delta names the old base: it would be ignored, but need not be read.
            let _ = std::fs::remove_file(delta_path(path));
            Ok(Some(CacheWritten {
                delta: false,
                entries: count,
                stamps: 0,
                bytes: size(path),
            }))
        }
        SavePlan::Delta {
            base,
            dropped,
            restamped,
            added,
        } => {
            #[derive(Serialize)]
            struct DeltaOut {
                fingerprint: u64,
                base: BaseId,
                dropped: Vec<u32>,
                restamped: Vec<(u32, FileStamp)>,
                entries: Entries,
            }
            let stamps = restamped.len();
            // Only batches holding an entry to write are kept for the writer.
            let batches = batches
                .into_iter()
                .filter(|batch| batch.iter().any(|entry| entry.base.is_none()))
                .collect();
            let file = DeltaOut {
                fingerprint,
                base,
                dropped,
                restamped,
                entries: Entries {
                    batches: RefCell::new(Some(batches)),
                    count: added,
                    added_only: true,
                },
            };
            let delta = delta_path(path);
            write_framed_with(
                &delta,
                DELTA_MAGIC,
                DELTA_VERSION,
                Durability::Disposable,
                |out| write_section(out, &file).map(|_| ()),
            )?;
            Ok(Some(CacheWritten {
                delta: true,
                entries: added,
                stamps,
                bytes: size(&delta),
            }))
        }
    }
}

/// The previous build's extractions, in its corpus order, each with the hash of the
/// document it was made from. Loading indexes them by source file only: a build that
/// reads no file never looks one up by document id.
#[derive(Default)]
pub struct ExtractionCache {
    /// Entries in the order they were written; `None` once taken.
    entries: Vec<Option<PackedExtraction>>,
    /// How many entries are not taken yet.
    left: usize,
    sources: KnownSources,
    /// Document id -> entry, made on the first look-up that the source file's own
    /// entries cannot answer (a file new to the cache, or a corpus that moved).
    by_id: Option<FxHashMap<String, usize>>,
    /// The base file the entries were loaded from (a delta's entries come after its
    /// own), which the next save may write a delta against.
    base: Option<BaseId>,
    /// Why the delta beside the base could not be used, if it could not.
    delta_problem: Option<StoreError>,
}

/// The source files of a cache's entries, by path ([`crate::corpus::SourceFile::key`],
/// so that the same folder named another way finds its files): what a reader needs to
/// tell an unchanged file without reading it. Keyed by the path's bytes: hashing a
/// `Path` parses its components.
#[derive(Default)]
pub struct KnownSources(FxHashMap<OsString, KnownSource>);

/// A source file as the last build read it.
pub struct KnownSource {
    /// Its id as a file (which depends on the folder the build was given).
    pub file_id: String,
    /// `None` when its entries are not side by side (never written so): the file is
    /// then read again, and its documents found by id.
    pub stamp: Option<FileStamp>,
    /// Its documents' entries in the cache (a file's documents are written together).
    pub entries: std::ops::Range<usize>,
}

impl KnownSources {
    pub fn get(&self, path: &Path) -> Option<&KnownSource> {
        self.0.get(path.as_os_str())
    }
}

impl ExtractionCache {
    /// Entries not taken yet.
    pub fn len(&self) -> usize {
        self.left
    }

    pub fn is_empty(&self) -> bool {
        self.left == 0
    }

    /// The base the cache was loaded from, for [`SavePlan::new`].
    pub fn base(&self) -> Option<BaseId> {
        self.base
    }

    /// Why the delta beside the base was left unused (it was damaged): the base alone
    /// was loaded, which is a correct cache of an older build.
    pub fn take_delta_problem(&mut self) -> Option<StoreError> {
        self.delta_problem.take()
    }

    /// The source files of the entries, handed to the readers; the cache keeps its
    /// entries, which [`ExtractionCache::take_entries`] takes by position.
    pub fn take_sources(&mut self) -> KnownSources {
        std::mem::take(&mut self.sources)
    }

    /// Takes the extraction of a document out of the cache when its hash matches; a
    /// changed document's stale entry is dropped either way. `near` are the entries of
    /// the file the document was read from, where it is looked for first.
    pub fn take(
        &mut self,
        document: &str,
        hash: u64,
        near: Option<std::ops::Range<usize>>,
    ) -> Option<PackedExtraction> {
        let is_it = |entry: &Option<PackedExtraction>| {
            entry.as_ref().is_some_and(|e| e.document == document)
        };
        let index = match near.and_then(|mut near| near.find(|&i| is_it(&self.entries[i]))) {
            Some(index) => index,
            None => *self.ids().get(document)?,
        };
        let entry = self.entries[index].take()?;
        self.left -= 1;
        // It stays the base's until its new source says otherwise (`set_source`).
        (entry.hash == hash).then_some(entry)
    }

    /// Document id -> entry, made the first time it is needed.
    fn ids(&mut self) -> &FxHashMap<String, usize> {
        let entries = &self.entries;
        self.by_id.get_or_insert_with(|| {
            let entries = entries.iter().enumerate();
            entries
                .filter_map(|(i, entry)| Some((entry.as_ref()?.document.clone(), i)))
                .collect()
        })
    }

    /// Takes the entries at `range` (a file's, from [`KnownSources`]), in corpus order.
    pub fn take_entries(
        &mut self,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = PackedExtraction> + '_ {
        let left = &mut self.left;
        self.entries[range].iter_mut().filter_map(|entry| {
            let taken = entry.take()?;
            *left -= 1;
            Some(taken)
        })
    }

    /// Loads the cache at `path` and the delta beside it. `Ok(None)` when there is
    /// none, when it was written by another binary or in an older layout; an error when
    /// the file is there but cannot be used. A delta that names another base or binary
    /// is ignored; a damaged one is too, and told by
    /// [`ExtractionCache::take_delta_problem`].
    pub fn load(path: &Path) -> Result<Option<ExtractionCache>, StoreError> {
        let Some(bytes) = map_if_there(path)? else {
            return Ok(None);
        };
        // The delta is small next to the base: it is checked and decoded first, so
        // that the base's entries it drops are never added.
        let base = base_id(&bytes, path);
        let (delta, delta_problem) = match base {
            Some(base) => match Delta::load(&delta_path(path), base) {
                Ok(delta) => (delta, None),
                Err(problem) => (None, Some(problem)),
            },
            None => (None, None),
        };
        let dropped = delta.as_ref().map_or(&[][..], |d| &d.dropped[..]);
        let restamped = delta.as_ref().map_or(&[][..], |d| &d.restamped[..]);
        // The entries are decoded while the checksum is worked out, and kept if it holds.
        let decode = |version, payload| {
            let changes = DeltaChanges { dropped, restamped };
            ExtractionCache::decode(version, payload, &bytes, changes)
        };
        let (_, _, cache) = unframe_while(&bytes, CACHE_MAGIC, CACHE_VERSION, path, decode)?;
        let cache = cache.map_err(|e| StoreError::Decode {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Ok(cache.map(|mut cache| {
            cache.base = base;
            cache.delta_problem = delta_problem;
            if let Some(delta) = delta {
                cache.entries.reserve(delta.entries.len());
                for entry in delta.entries {
                    cache.add(entry);
                }
            }
            cache
        }))
    }

    /// Decodes the payload of a cache file of `version` mapped as `file`, leaving out
    /// the entries a delta drops and giving new stamps to those it restamps: `None`
    /// when it was written by another binary or in an older layout.
    fn decode(
        version: u32,
        payload: &[u8],
        file: &Arc<FileBytes>,
        changes: DeltaChanges,
    ) -> Result<Option<ExtractionCache>, postcard::Error> {
        if version != CACHE_VERSION {
            return Ok(None);
        }
        // The fingerprint leads the payload; check it before decoding the rest.
        let (fingerprint, rest) = postcard::take_from_bytes::<u64>(payload)?;
        if Some(fingerprint) != extractor_fingerprint() {
            return Ok(None);
        }
        let (_id, entries) = postcard::take_from_bytes::<u64>(rest)?;
        let mut decoder = postcard::Deserializer::from_bytes(entries);
        let reader = CacheReader { file, changes };
        serde::Deserializer::deserialize_seq(&mut decoder, reader).map(Some)
    }

    /// Adds an entry after those added before, indexing it by its source file.
    fn add(&mut self, entry: PackedExtraction) {
        let index = self.entries.len();
        if let Some(source) = &entry.source {
            let path = source.document.path.as_os_str();
            match self.sources.0.get_mut(path) {
                Some(known) if known.entries.end == index => known.entries.end += 1,
                Some(known) => known.stamp = None,
                None => {
                    let known = KnownSource {
                        file_id: source.file_id.clone(),
                        stamp: Some(source.stamp),
                        entries: index..index + 1,
                    };
                    self.sources.0.insert(path.to_os_string(), known);
                }
            }
        }
        self.entries.push(Some(entry));
        self.left += 1;
    }
}

impl PackedExtraction {
    /// An entry decoded from `file`, its bytes kept where they lie in the mapping
    /// rather than copied; `base` is its position when `file` is the base.
    fn loaded(entry: CacheEntryIn, file: &Arc<FileBytes>, base: Option<u32>) -> PackedExtraction {
        let start = entry.bytes.as_ptr() as usize - file.as_ptr() as usize;
        PackedExtraction {
            document: entry.document,
            hash: entry.hash,
            people: entry.people,
            size: entry.size,
            source: entry.source,
            bytes: PackedBytes::InFile {
                file: Arc::clone(file),
                range: start..start + entry.bytes.len(),
            },
            base,
            restamped: false,
        }
    }
}

/// The file at `path` mapped, or `None` when there is none.
fn map_if_there(path: &Path) -> Result<Option<Arc<FileBytes>>, StoreError> {
    match crate::graph::store::read_whole(path) {
        Ok(bytes) => Ok(Some(Arc::new(bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(StoreError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// What the start of a base cache file at `path` tells before it is checked: the
/// [`BaseId`] a delta must name. `None` when the file is not a base of this binary's
/// layout (its loading then tells what is wrong).
fn base_id(bytes: &[u8], path: &Path) -> Option<BaseId> {
    let head = frame_head(bytes, CACHE_MAGIC, CACHE_VERSION, path).ok()?;
    if head.version != CACHE_VERSION {
        return None;
    }
    let (fingerprint, rest) = postcard::take_from_bytes::<u64>(head.payload).ok()?;
    if Some(fingerprint) != extractor_fingerprint() {
        return None;
    }
    let (id, rest) = postcard::take_from_bytes::<u64>(rest).ok()?;
    // The entries' sequence starts with their number (a varint, as a u64's).
    let (entries, _) = postcard::take_from_bytes::<u64>(rest).ok()?;
    Some(BaseId {
        id,
        length: head.payload.len() as u64,
        crc: head.checksum,
        entries,
    })
}

/// A delta that applies to the base being loaded: the base's entries it drops, those
/// it gives a new stamp, and the entries it adds.
struct Delta {
    dropped: Vec<u32>,
    restamped: Vec<(u32, FileStamp)>,
    entries: Vec<PackedExtraction>,
}

impl Delta {
    /// The delta at `path` when it applies to `base`. `Ok(None)` when there is none or
    /// it names another base or binary (a build that wrote a new base and stopped
    /// before removing the delta leaves one); an error when it is damaged.
    fn load(path: &Path, base: BaseId) -> Result<Option<Delta>, StoreError> {
        let Some(bytes) = map_if_there(path)? else {
            return Ok(None);
        };
        let decode = |version, payload| Delta::decode(version, payload, &bytes, base);
        let (_, _, delta) = unframe_while(&bytes, DELTA_MAGIC, DELTA_VERSION, path, decode)?;
        delta.map_err(|reason| StoreError::Decode {
            path: path.to_path_buf(),
            reason,
        })
    }

    fn decode(
        version: u32,
        payload: &[u8],
        file: &Arc<FileBytes>,
        base: BaseId,
    ) -> Result<Option<Delta>, String> {
        if version != DELTA_VERSION {
            return Ok(None);
        }
        let (fingerprint, rest) =
            postcard::take_from_bytes::<u64>(payload).map_err(|e| e.to_string())?;
        if Some(fingerprint) != extractor_fingerprint() {
            return Ok(None);
        }
        let (named, rest) = postcard::take_from_bytes::<BaseId>(rest).map_err(|e| e.to_string())?;
        if named != base {
            return Ok(None);
        }
        let (dropped, rest) =
            postcard::take_from_bytes::<Vec<u32>>(rest).map_err(|e| e.to_string())?;
        let (restamped, rest) =
            postcard::take_from_bytes::<Vec<(u32, FileStamp)>>(rest).map_err(|e| e.to_string())?;
        // Each list ascending, within the base, and no entry both dropped and restamped.
        let in_base = |positions: &[u32]| {
            positions.windows(2).all(|pair| pair[0] < pair[1])
                && positions
                    .last()
                    .is_none_or(|&last| u64::from(last) < base.entries)
        };
        let restamped_at: Vec<u32> = restamped.iter().map(|&(at, _)| at).collect();
        if !in_base(&dropped)
            || !in_base(&restamped_at)
            || restamped_at
                .iter()
                .any(|at| dropped.binary_search(at).is_ok())
        {
            return Err("its dropped or restamped entries are not entries of the base".into());
        }
        let entries: Vec<CacheEntryIn> = postcard::from_bytes(rest).map_err(|e| e.to_string())?;
        let entries = entries
            .into_iter()
            .map(|entry| PackedExtraction::loaded(entry, file, None))
            .collect();
        Ok(Some(Delta {
            dropped,
            restamped,
            entries,
        }))
    }
}

/// What a delta changes of its base's entries, by position (each list ascending).
#[derive(Clone, Copy)]
struct DeltaChanges<'d> {
    /// Entries to leave out.
    dropped: &'d [u32],
    /// Entries to give a new stamp.
    restamped: &'d [(u32, FileStamp)],
}

/// Decodes the entries of a base cache file one at a time straight into an
/// [`ExtractionCache`] (a vector of every decoded entry first was another 30 MB to
/// fill and copy at 100,000 articles), leaving out those a delta drops: their places
/// stay empty, so that positions in the base are positions in the cache. Those it
/// restamps get their new stamp before they are indexed by source file.
struct CacheReader<'f> {
    file: &'f Arc<FileBytes>,
    changes: DeltaChanges<'f>,
}

impl<'de> serde::de::Visitor<'de> for CacheReader<'_> {
    type Value = ExtractionCache;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the entries of an extraction cache")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let count = seq.size_hint().unwrap_or(0);
        let mut cache = ExtractionCache {
            entries: Vec::with_capacity(count),
            sources: KnownSources(FxHashMap::with_capacity_and_hasher(
                count,
                Default::default(),
            )),
            ..ExtractionCache::default()
        };
        let mut dropped = self.changes.dropped.iter().peekable();
        let mut restamped = self.changes.restamped.iter().peekable();
        while let Some(entry) = seq.next_element::<CacheEntryIn<'de>>()? {
            let index = cache.entries.len() as u32;
            if dropped.next_if_eq(&&index).is_some() {
                cache.entries.push(None);
                continue;
            }
            let mut entry = PackedExtraction::loaded(entry, self.file, Some(index));
            if let Some(&(_, stamp)) = restamped.next_if(|(at, _)| *at == index) {
                if let Some(source) = &mut entry.source {
                    source.stamp = stamp;
                    entry.restamped = true;
                }
            }
            cache.add(entry);
        }
        Ok(cache)
    }
}

static RULES: LazyLock<Mutex<FxHashSet<&'static str>>> = LazyLock::new(Mutex::default);

thread_local! {
    // Looked up once per cached mention: a fast hash, not the default SipHash.
    static LOCAL_RULES: RefCell<FxHashSet<&'static str>> = RefCell::new(FxHashSet::default());
}

/// Rule ids are `&'static str` in extraction results; a cached one is read back as the
/// one shared copy of that id. The set of ids is the set of rules, so it stays small.
pub fn intern_rule(rule: &str) -> &'static str {
    LOCAL_RULES.with(|local| {
        if let Some(found) = local.borrow().get(rule) {
            return *found;
        }
        let shared = {
            let mut rules = RULES
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match rules.get(rule) {
                Some(found) => *found,
                None => {
                    let leaked: &'static str = Box::leak(rule.to_string().into_boxed_str());
                    rules.insert(leaked);
                    leaked
                }
            }
        };
        local.borrow_mut().insert(shared);
        shared
    })
}

/// Deserializes a rule id through [`intern_rule`] (used by `Mention::rule`). The id is
/// looked up where the decoder has it, not copied first (a `Cow<str>` is always read as
/// a `String`: an allocation per cached mention).
pub fn deserialize_rule<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<&'static str, D::Error> {
    struct Rule;
    impl serde::de::Visitor<'_> for Rule {
        type Value = &'static str;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a rule id")
        }

        fn visit_str<E: serde::de::Error>(self, rule: &str) -> Result<&'static str, E> {
            Ok(intern_rule(rule))
        }
    }
    deserializer.deserialize_str(Rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(id: &str, text: &str) -> Document {
        Document {
            id: id.into(),
            text: text.into(),
            ..Document::default()
        }
    }

    #[test]
    fn a_changed_text_or_field_changes_the_hash() {
        let a = document("a.txt", "Kyiv said 5 soldiers deserted.");
        let mut b = a.clone();
        assert_eq!(document_hash(&a), document_hash(&b));
        b.text.push(' ');
        assert_ne!(document_hash(&a), document_hash(&b));
        let mut c = a.clone();
        c.title = Some(String::new());
        assert_ne!(document_hash(&a), document_hash(&c));
    }

    #[test]
    fn interned_rules_are_one_copy() {
        let a = intern_rule(&String::from("person.test_rule"));
        let b = intern_rule("person.test_rule");
        assert!(std::ptr::eq(a, b));
    }

    #[test]
    fn the_cache_round_trips_and_rejects_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph.cache");
        let doc = document(
            "a.txt",
            "The governor, Oleh Syniehubov, said 12 soldiers deserted near Kupiansk.",
        );
        let extraction = crate::extract::extract_document(&doc);
        let packed = PackedExtraction::pack(document_hash(&doc), &extraction);
        assert_eq!(packed.people, ["oleh syniehubov"]);
        let written = save(&path, SavePlan::Full, vec![Arc::new(vec![packed])]).unwrap();
        assert!(written.is_some_and(|w| !w.delta && w.entries == 1));
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        assert_eq!(loaded.len(), 1);
        assert!(loaded
            .take("a.txt", document_hash(&doc) ^ 1, None)
            .is_none());
        assert!(loaded.is_empty(), "a stale entry is dropped");
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        let back = loaded
            .take("a.txt", document_hash(&doc), None)
            .unwrap()
            .unpack()
            .unwrap();
        assert_eq!(back.mentions, extraction.mentions);
        assert_eq!(back.claims, extraction.claims);

        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        assert!(ExtractionCache::load(&path).is_err());
        assert!(ExtractionCache::load(&dir.path().join("none.cache"))
            .unwrap()
            .is_none());
    }

    /// Entries of `count` one-document files, `{i}.txt`, whose text depends on `round`
    /// for the files in `changed`.
    fn entries(count: usize, changed: &[usize], round: u32) -> Vec<PackedExtraction> {
        (0..count)
            .map(|i| {
                let round = if changed.contains(&i) { round } else { 0 };
                let mut doc = document(
                    &format!("{i}.txt"),
                    &format!("Kyiv said {i} drones fell. Round {round}."),
                );
                doc.path = PathBuf::from(format!("/corpus/{i}.txt"));
                let mut packed = PackedExtraction::pack(
                    document_hash(&doc),
                    &crate::extract::extract_document(&doc),
                );
                doc.text.clear();
                packed.source = Some(SourceRecord {
                    file_id: doc.id.clone(),
                    stamp: FileStamp {
                        size: 10,
                        modified_ns: u128::from(round),
                    },
                    document: doc,
                    text_bytes: 10,
                    words: 5,
                });
                packed
            })
            .collect()
    }

    /// What a build makes of `loaded` when the files in `changed` were read again and
    /// came out as `fresh` has them, the others taken unchanged: its entries in order.
    fn rebuild(
        loaded: &mut ExtractionCache,
        fresh: Vec<PackedExtraction>,
        changed: &[usize],
    ) -> Vec<PackedExtraction> {
        let sources = loaded.take_sources();
        let mut out = Vec::new();
        for (i, entry) in fresh.into_iter().enumerate() {
            let known = sources.get(Path::new(&format!("/corpus/{i}.txt"))).unwrap();
            if changed.contains(&i) {
                assert!(loaded
                    .take(&entry.document, entry.hash, Some(known.entries.clone()))
                    .is_none());
                out.push(entry);
            } else {
                assert!(known.stamp.is_some());
                out.extend(loaded.take_entries(known.entries.clone()));
            }
        }
        assert!(loaded.is_empty());
        out
    }

    /// Each entry's document and hash, to compare loaded caches with what was saved.
    fn summary<'a>(
        entries: impl IntoIterator<Item = &'a PackedExtraction>,
    ) -> Vec<(String, u64, Vec<u8>)> {
        let mut all: Vec<_> = entries
            .into_iter()
            .map(|e| (e.document.clone(), e.hash, e.bytes().to_vec()))
            .collect();
        all.sort();
        all
    }

    fn loaded_summary(loaded: &ExtractionCache) -> Vec<(String, u64, Vec<u8>)> {
        summary(loaded.entries.iter().flatten())
    }

    #[test]
    fn a_few_changes_make_a_delta_that_loads_onto_its_base() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph.cache");
        let delta = delta_path(&path);
        let first = entries(40, &[], 0);
        save(&path, SavePlan::Full, vec![Arc::new(first)]).unwrap();
        let base_bytes = std::fs::read(&path).unwrap();

        // Round 1: two files changed. The base stays; the delta holds those two.
        let changed = [3, 17];
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        let built = rebuild(&mut loaded, entries(40, &changed, 1), &changed);
        let expected = summary(&built);
        let plan = SavePlan::new(loaded.base(), &built);
        assert!(
            matches!(&plan, SavePlan::Delta { dropped, added: 2, .. } if dropped == &[3, 17]),
            "{plan:?}"
        );
        let written = save(&path, plan, vec![Arc::new(built)]).unwrap().unwrap();
        assert!(written.delta && written.entries == 2);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            base_bytes,
            "the base was rewritten"
        );
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        assert!(loaded.take_delta_problem().is_none());
        assert_eq!(loaded.len(), 40);
        assert_eq!(loaded_summary(&loaded), expected);

        // Round 2 on top of the delta: one of the same files and a new one changed.
        // The delta, still against the first base, now holds three.
        let changed_2 = [17, 30];
        let mut fresh = entries(40, &[3, 17, 30], 2);
        fresh[3] = entries(40, &[3], 1).swap_remove(3);
        let built = rebuild(&mut loaded, fresh, &changed_2);
        let expected = summary(&built);
        let plan = SavePlan::new(loaded.base(), &built);
        assert!(
            matches!(&plan, SavePlan::Delta { dropped, added: 3, .. } if dropped == &[3, 17, 30]),
            "{plan:?}"
        );
        save(&path, plan, vec![Arc::new(built)]).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), base_bytes);
        let loaded = ExtractionCache::load(&path).unwrap().unwrap();
        assert_eq!(loaded_summary(&loaded), expected);
        let sources = &loaded.sources;
        let known = sources.get(Path::new("/corpus/3.txt")).unwrap();
        assert_eq!(
            known.stamp,
            Some(FileStamp {
                size: 10,
                modified_ns: 1
            })
        );
        assert_eq!(known.entries.len(), 1);
        assert!(
            known.entries.start >= 40,
            "a delta's entries come after the base's"
        );

        // A damaged delta: the base alone, with the problem told.
        let good_delta = std::fs::read(&delta).unwrap();
        let mut bytes = good_delta.clone();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&delta, &bytes).unwrap();
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        assert!(loaded.take_delta_problem().is_some());
        assert_eq!(loaded_summary(&loaded), summary(&entries(40, &[], 0)));

        // A delta of another base (this base written again) is ignored, silently.
        std::fs::write(&delta, &good_delta).unwrap();
        save(&path, SavePlan::Full, vec![Arc::new(entries(40, &[], 0))]).unwrap();
        assert!(!delta.exists(), "a full cache removes the delta");
        std::fs::write(&delta, &good_delta).unwrap();
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        assert!(loaded.take_delta_problem().is_none());
        assert_eq!(loaded_summary(&loaded), summary(&entries(40, &[], 0)));
    }

    /// `fresh` with the files in `touched` given a new modification time, `round`.
    fn touch(
        mut fresh: Vec<PackedExtraction>,
        touched: &[usize],
        round: u32,
    ) -> Vec<PackedExtraction> {
        for &i in touched {
            let source = fresh[i].source.as_mut().unwrap();
            source.stamp.modified_ns = u128::from(round);
        }
        fresh
    }

    /// What a build makes of `loaded` when the files in `read` were read again (each
    /// entry of `fresh` has the hash and source the reading found) and the others were
    /// taken unchanged, as the pipeline does it: its entries in order.
    fn rebuild_reading(
        loaded: &mut ExtractionCache,
        fresh: Vec<PackedExtraction>,
        read: &[usize],
    ) -> Vec<PackedExtraction> {
        let sources = loaded.take_sources();
        let mut out = Vec::new();
        for (i, mut entry) in fresh.into_iter().enumerate() {
            let known = sources.get(Path::new(&format!("/corpus/{i}.txt"))).unwrap();
            if read.contains(&i) {
                let near = Some(known.entries.clone());
                let source = entry.source.take();
                if let Some(cached) = loaded.take(&entry.document, entry.hash, near) {
                    entry = cached;
                }
                entry.set_source(source);
                out.push(entry);
                let last = out.len() - 1;
                keep_file_together(&mut out[last..]);
            } else {
                out.extend(loaded.take_entries(known.entries.clone()));
            }
        }
        assert!(loaded.is_empty());
        out
    }

    fn stamp_of(loaded: &ExtractionCache, i: usize) -> Option<FileStamp> {
        let path = format!("/corpus/{i}.txt");
        loaded.sources.get(Path::new(&path)).unwrap().stamp
    }

    #[test]
    fn files_read_again_unchanged_are_restamped_in_the_delta() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph.cache");
        let delta = delta_path(&path);
        save(&path, SavePlan::Full, vec![Arc::new(entries(40, &[], 0))]).unwrap();
        let base_bytes = std::fs::read(&path).unwrap();

        // Round 1: three files touched, one changed. The touched ones stay the base's
        // with a new stamp; only the changed one is written in full.
        let touched = [5, 6, 20];
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        let fresh = touch(entries(40, &[3], 1), &touched, 7);
        let built = rebuild_reading(&mut loaded, fresh, &[3, 5, 6, 20]);
        let expected = summary(&built);
        let plan = SavePlan::new(loaded.base(), &built);
        let new_stamp = FileStamp {
            size: 10,
            modified_ns: 7,
        };
        let stamps: Vec<(u32, FileStamp)> =
            touched.iter().map(|&i| (i as u32, new_stamp)).collect();
        assert!(
            matches!(&plan, SavePlan::Delta { dropped, restamped, added: 1, .. }
                if dropped == &[3] && restamped == &stamps),
            "{plan:?}"
        );
        let written = save(&path, plan, vec![Arc::new(built)]).unwrap().unwrap();
        assert_eq!(
            (written.delta, written.entries, written.stamps),
            (true, 1, 3)
        );
        assert_eq!(std::fs::read(&path).unwrap(), base_bytes);

        // Loaded: the touched files have their new stamp and their entries in the base.
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        assert!(loaded.take_delta_problem().is_none());
        assert_eq!(loaded_summary(&loaded), expected);
        for i in touched {
            assert_eq!(stamp_of(&loaded, i), Some(new_stamp));
            let known = loaded.sources.get(Path::new(&format!("/corpus/{i}.txt")));
            assert_eq!(known.unwrap().entries, i..i + 1);
        }
        assert_eq!(stamp_of(&loaded, 7).unwrap().modified_ns, 0);

        // Round 2: nothing read. The delta written again keeps the new stamps; a file
        // touched a second time gets its newer one.
        let fresh = touch(touch(entries(40, &[3], 1), &touched, 7), &[6], 8);
        let built = rebuild_reading(&mut loaded, fresh, &[6]);
        let expected = summary(&built);
        let plan = SavePlan::new(loaded.base(), &built);
        let mut stamps = stamps;
        stamps[1].1.modified_ns = 8;
        assert!(
            matches!(&plan, SavePlan::Delta { dropped, restamped, added: 1, .. }
                if dropped == &[3] && restamped == &stamps),
            "{plan:?}"
        );
        save(&path, plan, vec![Arc::new(built)]).unwrap();
        let loaded = ExtractionCache::load(&path).unwrap().unwrap();
        assert_eq!(loaded_summary(&loaded), expected);
        assert_eq!(stamp_of(&loaded, 6).unwrap().modified_ns, 8);
        assert_eq!(stamp_of(&loaded, 5).unwrap().modified_ns, 7);

        // Compaction writes the new stamps into the base.
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        let built = rebuild_reading(&mut loaded, touch(entries(40, &[3], 1), &[], 0), &[]);
        save(&path, SavePlan::Full, vec![Arc::new(built)]).unwrap();
        assert!(!delta.exists());
        let loaded = ExtractionCache::load(&path).unwrap().unwrap();
        assert_eq!(stamp_of(&loaded, 6).unwrap().modified_ns, 8);
        assert_eq!(stamp_of(&loaded, 3).unwrap().modified_ns, 1);
    }

    #[test]
    fn a_file_read_again_from_another_path_or_split_is_written_in_full() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph.cache");
        save(&path, SavePlan::Full, vec![Arc::new(entries(40, &[], 0))]).unwrap();
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        let mut fresh = touch(entries(40, &[], 0), &[4], 9);
        // The same document read as another file id: not the base's entry any more.
        fresh[4].source.as_mut().unwrap().file_id = "moved/4.txt".into();
        let built = rebuild_reading(&mut loaded, fresh, &[4, 9]);
        let plan = SavePlan::new(loaded.base(), &built);
        assert!(
            matches!(&plan, SavePlan::Delta { dropped, restamped, added: 1, .. }
                if dropped == &[4] && restamped.is_empty()),
            "{plan:?}"
        );

        // A file whose documents are not one unbroken run of the base goes in full.
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        let mut two = vec![
            loaded.take("1.txt", built[1].hash, None).unwrap(),
            loaded.take("3.txt", built[3].hash, None).unwrap(),
        ];
        keep_file_together(&mut two);
        assert!(two.iter().all(|entry| entry.base.is_none()));
        let mut two = vec![
            loaded.take("5.txt", built[5].hash, None).unwrap(),
            loaded.take("6.txt", built[6].hash, None).unwrap(),
        ];
        keep_file_together(&mut two);
        assert_eq!(two[1].base, Some(6));
    }

    #[test]
    fn an_older_or_inconsistent_delta_leaves_the_base_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph.cache");
        let delta = delta_path(&path);
        save(&path, SavePlan::Full, vec![Arc::new(entries(40, &[], 0))]).unwrap();
        let base = ExtractionCache::load(&path)
            .unwrap()
            .unwrap()
            .base()
            .unwrap();
        let base_summary = summary(&entries(40, &[], 0));
        let stamp = FileStamp {
            size: 10,
            modified_ns: 7,
        };

        // A delta of the layout before restamping: ignored without a word.
        write_framed_with(&delta, DELTA_MAGIC, 1, Durability::Disposable, |out| {
            write_section(out, &(0u64, base, vec![3u32])).map(|_| ())
        })
        .unwrap();
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        assert!(loaded.take_delta_problem().is_none());
        assert_eq!(loaded_summary(&loaded), base_summary);
        assert_eq!(stamp_of(&loaded, 3).unwrap().modified_ns, 0);

        // An entry both dropped and restamped, or restamped past the base: damaged.
        for restamped in [
            vec![(3, stamp)],
            vec![(40, stamp)],
            vec![(8, stamp), (5, stamp)],
        ] {
            let plan = SavePlan::Delta {
                base,
                dropped: vec![3],
                restamped,
                added: 0,
            };
            save(&path, plan, Vec::new()).unwrap();
            let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
            assert!(loaded.take_delta_problem().is_some());
            assert_eq!(loaded_summary(&loaded), base_summary);
        }
    }

    #[test]
    fn a_delta_past_a_quarter_of_the_base_becomes_a_full_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph.cache");
        save(&path, SavePlan::Full, vec![Arc::new(entries(40, &[], 0))]).unwrap();
        let changed: Vec<usize> = (0..10).collect();
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        let built = rebuild(&mut loaded, entries(40, &changed, 1), &changed);
        assert!(matches!(
            SavePlan::new(loaded.base(), &built),
            SavePlan::Delta { .. }
        ));
        let changed: Vec<usize> = (0..11).collect();
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        let built = rebuild(&mut loaded, entries(40, &changed, 1), &changed);
        assert!(matches!(
            SavePlan::new(loaded.base(), &built),
            SavePlan::Full
        ));
        // Entries gone count as well.
        let mut loaded = ExtractionCache::load(&path).unwrap().unwrap();
        let mut built = rebuild(&mut loaded, entries(40, &[], 0), &[]);
        built.truncate(29);
        assert!(matches!(
            SavePlan::new(loaded.base(), &built),
            SavePlan::Full
        ));
        assert!(matches!(SavePlan::new(None, &built), SavePlan::Full));
    }
}

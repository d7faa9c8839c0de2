//! The extraction cache: beside `GRAPH` lives `GRAPH.cache`, holding each document's
//! extraction with a hash of its content, so the next build re-extracts only what
//! changed.
//!
//! The cache is only valid for the binary that wrote it: a new build of claimgraph may
//! extract differently (new lexicon entries, new rules), so the file records a
//! fingerprint of the running executable and a build with another binary starts over.
//! A missing, damaged or foreign cache is never an error: the build extracts everything.

use crate::corpus::Document;
use crate::extract::DocumentExtraction;
use crate::graph::store::{unframe_while, write_framed_with, write_section, Durability, FileBytes};
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
const CACHE_VERSION: u32 = 2;

/// The cache file of a graph file: `GRAPH.cache`.
pub fn cache_path(graph: &Path) -> PathBuf {
    let mut name = graph.as_os_str().to_os_string();
    name.push(".cache");
    PathBuf::from(name)
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
        }
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

/// Writes the cache of these extractions atomically to `path`, in corpus order,
/// letting go of each batch once it is written. Returns `Ok(false)` without writing
/// when this binary cannot be fingerprinted (then every build extracts everything).
pub fn save(path: &Path, batches: Vec<Batch>) -> Result<bool, StoreError> {
    let Some(fingerprint) = extractor_fingerprint() else {
        return Ok(false);
    };
    /// The entries of the batches as one sequence, each batch dropped once written.
    struct Entries(RefCell<Option<Vec<Batch>>>);
    impl Serialize for Entries {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::{Error, SerializeSeq};
            let batches = self.0.borrow_mut().take();
            let batches = batches.ok_or_else(|| S::Error::custom("the cache is written once"))?;
            let count = batches.iter().map(|batch| batch.len()).sum();
            let mut seq = serializer.serialize_seq(Some(count))?;
            for batch in batches {
                for entry in batch.iter() {
                    seq.serialize_element(entry)?;
                }
            }
            seq.end()
        }
    }
    #[derive(Serialize)]
    struct CacheOut {
        fingerprint: u64,
        entries: Entries,
    }
    let file = CacheOut {
        fingerprint,
        entries: Entries(RefCell::new(Some(batches))),
    };
    write_framed_with(
        path,
        CACHE_MAGIC,
        CACHE_VERSION,
        Durability::Disposable,
        |out| write_section(out, &file).map(|_| ()),
    )?;
    Ok(true)
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
}

/// The source files of a cache's entries, by path: what a reader needs to tell an
/// unchanged file without reading it. Keyed by the path's bytes: hashing a `Path`
/// parses its components.
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

    /// Loads the cache at `path`. `Ok(None)` when there is none, when it was written by
    /// another binary or in an older layout; an error when the file is there but cannot
    /// be used.
    pub fn load(path: &Path) -> Result<Option<ExtractionCache>, StoreError> {
        let bytes = match crate::graph::store::read_whole(path) {
            Ok(bytes) => Arc::new(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(StoreError::Read {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        // The entries are decoded while the checksum is worked out, and kept if it holds.
        let decode = |version, payload| ExtractionCache::decode(version, payload, &bytes);
        let (_, _, cache) = unframe_while(&bytes, CACHE_MAGIC, CACHE_VERSION, path, decode)?;
        cache.map_err(|e| StoreError::Decode {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
    }

    /// Decodes the payload of a cache file of `version` mapped as `file`: `None` when it
    /// was written by another binary or in an older layout.
    fn decode(
        version: u32,
        payload: &[u8],
        file: &Arc<FileBytes>,
    ) -> Result<Option<ExtractionCache>, postcard::Error> {
        if version != CACHE_VERSION {
            return Ok(None);
        }
        // The fingerprint leads the payload; check it before decoding the rest.
        let (fingerprint, entries) = postcard::take_from_bytes::<u64>(payload)?;
        if Some(fingerprint) != extractor_fingerprint() {
            return Ok(None);
        }
        let mut decoder = postcard::Deserializer::from_bytes(entries);
        serde::Deserializer::deserialize_seq(&mut decoder, CacheReader { file }).map(Some)
    }

    /// Adds an entry decoded from `file`, after those added before.
    fn add_loaded(&mut self, entry: CacheEntryIn, file: &Arc<FileBytes>) {
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
        // The entry's bytes lie inside the mapped file: keep where, not a copy.
        let start = entry.bytes.as_ptr() as usize - file.as_ptr() as usize;
        self.entries.push(Some(PackedExtraction {
            document: entry.document,
            hash: entry.hash,
            people: entry.people,
            size: entry.size,
            source: entry.source,
            bytes: PackedBytes::InFile {
                file: Arc::clone(file),
                range: start..start + entry.bytes.len(),
            },
        }));
        self.left += 1;
    }
}

/// Decodes the entries of a cache file one at a time straight into an
/// [`ExtractionCache`]: a vector of every decoded entry first was another 30 MB to
/// fill and copy at 100,000 articles.
struct CacheReader<'f> {
    file: &'f Arc<FileBytes>,
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
        while let Some(entry) = seq.next_element::<CacheEntryIn<'de>>()? {
            cache.add_loaded(entry, self.file);
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
        assert!(save(&path, vec![Arc::new(vec![packed])]).unwrap());
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
}

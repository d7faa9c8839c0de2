//! Reading articles from files and folders into [`Document`]s.
//!
//! A path given on the command line may be a file or a folder; folders are walked
//! recursively in a stable order (sorted by path). The format is chosen by extension:
//! `.txt`, `.md` (with optional front matter), `.html`/`.htm` and `.jsonl`; other files
//! in a folder are ignored. Files that cannot be used (binary, empty, unreadable, a
//! symlink loop) and repairs (invalid UTF-8) are reported as [`CorpusProblem`]s so one
//! bad file in a thousand does not stop a build.

mod html;
mod jsonl;
mod markdown;
pub mod synth;

use std::path::{Path, PathBuf};

/// One source article. Every span later in the pipeline is a byte offset into `text`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// The path relative to the folder given on the command line (for a file given
    /// directly, its file name), with `/` separators; for a JSON Lines dump,
    /// `path#id` (the record's `id` field) or `path#line` (1-based line number).
    pub id: String,
    pub path: PathBuf,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub text: String,
}

/// A file that was skipped or read with a repair; the build goes on.
#[derive(Clone, Debug, PartialEq)]
pub struct CorpusProblem {
    pub path: PathBuf,
    pub message: String,
    /// True when the file contributed nothing to the corpus.
    pub skipped: bool,
}

impl std::fmt::Display for CorpusProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl CorpusProblem {
    /// The kind of problem, for the build summary: the message up to its first comma,
    /// semicolon or bracket ("binary file", "cannot read: permission denied"). Messages
    /// put the per-file details (sizes, line numbers) after one of those.
    pub fn reason(&self) -> &str {
        let end = self
            .message
            .find([',', ';', '('])
            .unwrap_or(self.message.len());
        self.message[..end].trim()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Corpus {
    pub documents: Vec<Document>,
    pub problems: Vec<CorpusProblem>,
    /// Article files found (by extension) or named on the command line, read or not.
    pub files_seen: usize,
}

impl Corpus {
    /// One line for the end of a build: files seen, files skipped and why, for example
    /// "12 files, 3 skipped (2 binary file, 1 empty file)".
    pub fn summary(&self) -> String {
        let mut reasons: Vec<(&str, usize)> = Vec::new();
        for problem in self.problems.iter().filter(|p| p.skipped) {
            match reasons.iter_mut().find(|(r, _)| *r == problem.reason()) {
                Some((_, count)) => *count += 1,
                None => reasons.push((problem.reason(), 1)),
            }
        }
        let skipped: usize = reasons.iter().map(|(_, n)| n).sum();
        let files = plural(self.files_seen, "file");
        if skipped == 0 {
            return format!("{files}, none skipped");
        }
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let reasons: Vec<String> = reasons
            .iter()
            .map(|(reason, count)| format!("{count} {reason}"))
            .collect();
        format!("{files}, {skipped} skipped ({})", reasons.join(", "))
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// Limits that keep one hostile file from taking the whole build down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// Files larger than this many bytes are skipped; a file is read whole, and
    /// extraction over one giant page is slow.
    pub max_file_size: u64,
}

/// The default `--max-file-size`: far above any article or browser-saved page, well
/// below what would exhaust memory.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 50 * 1024 * 1024;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// A byte count for messages: "512 bytes", "1.5 MB" (units of 1024).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return plural(bytes as usize, "byte");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() < 0.05 || value >= 100.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: no such file or folder")]
    Missing { path: PathBuf },
}

/// The formats the reader understands, chosen by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    JsonLines,
}

impl Format {
    /// The format of a file by its extension (case-insensitive), or `None` when the
    /// file is not an article the reader understands.
    pub fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "txt" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "jsonl" => Some(Format::JsonLines),
            _ => None,
        }
    }
}

/// Metadata found in a file's header (front matter, HTML meta tags, JSON fields).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Metadata {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

impl Metadata {
    fn into_document(self, id: String, path: &Path, text: String) -> Document {
        Document {
            id,
            path: path.to_path_buf(),
            title: self.title,
            outlet: self.outlet,
            author: self.author,
            date: self.date,
            url: self.url,
            text,
        }
    }
}

/// Reads every article under the given paths, in a stable order.
///
/// Fails only when a given path does not exist; everything else that goes wrong with
/// a single file is a [`CorpusProblem`] in the returned [`Corpus`].
pub fn read_corpus(paths: &[PathBuf]) -> Result<Corpus, CorpusError> {
    read_corpus_with(paths, &ReadOptions::default())
}

/// [`read_corpus`] with explicit limits.
pub fn read_corpus_with(paths: &[PathBuf], options: &ReadOptions) -> Result<Corpus, CorpusError> {
    let listing = list_corpus(paths)?;
    let mut corpus = listing.walk;
    // Files are read and parsed in parallel (HTML parsing is not cheap), then joined
    // in path order, so documents and problems come out as a sequential read gives them.
    use rayon::prelude::*;
    let parts: Vec<Corpus> = listing
        .files
        .par_iter()
        .map(|file| read_source(file, options))
        .collect();
    for part in parts {
        corpus.absorb(part);
    }
    Ok(corpus)
}

/// An article file to read, with its document id.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub id: String,
    /// The path as the user gave it (shown in warnings).
    pub path: PathBuf,
    /// The same file whichever way its folder was named (`news`, `./news`,
    /// `/home/me/news` or a link to it): the folder given with its links resolved and
    /// made absolute, then the path under it. The extraction cache knows files by it.
    pub key: PathBuf,
    format: Format,
}

/// The article files under some paths, in the order a build reads them (each path in
/// turn, files in path order under a folder), and what the walk itself met: unreadable
/// folders, symlink loops, a file of an unknown kind named on the command line.
#[derive(Debug, Default)]
pub struct CorpusListing {
    pub files: Vec<SourceFile>,
    pub walk: Corpus,
}

/// Finds the article files under `paths` without reading them, so that a build can
/// read them while it extracts. Fails only when a path does not exist.
pub fn list_corpus(paths: &[PathBuf]) -> Result<CorpusListing, CorpusError> {
    // Check every path first so a typo in the last argument fails before any work.
    for root in paths {
        if std::fs::symlink_metadata(root).is_err() {
            return Err(CorpusError::Missing { path: root.clone() });
        }
    }
    let mut listing = CorpusListing::default();
    let mut root_of = Vec::new();
    for (index, root) in paths.iter().enumerate() {
        list_root(root, &mut listing);
        root_of.resize(listing.files.len(), index);
    }
    // A file named twice (a path given twice, or a folder and a file in it) is one
    // article, read once. One folder never lists a file twice.
    if paths.len() > 1 {
        let named_first: Vec<bool> = {
            let mut named = rustc_hash::FxHashSet::default();
            let files = listing.files.iter();
            files.map(|file| named.insert(file.key.as_path())).collect()
        };
        let (files, kept_root_of) = std::mem::take(&mut listing.files)
            .into_iter()
            .zip(root_of)
            .zip(named_first)
            .filter_map(|(file_and_root, first)| first.then_some(file_and_root))
            .unzip();
        listing.files = files;
        root_of = kept_root_of;
    }
    qualify_shared_ids(&mut listing.files, &root_of, paths);
    Ok(listing)
}

/// Gives files from different paths that would share a document id (`a.txt` in two
/// folders) ids that start with the path they were found under (`news2023/a.txt`,
/// `news2024/a.txt`), so every article stays a document of its own. Other ids are
/// left as they are.
fn qualify_shared_ids(files: &mut [SourceFile], root_of: &[usize], roots: &[PathBuf]) {
    let mut counts: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
    for file in files.iter() {
        *counts.entry(file.id.as_str()).or_default() += 1;
    }
    let shared: rustc_hash::FxHashSet<String> = counts
        .into_iter()
        .filter(|(_, count)| *count > 1)
        .map(|(id, _)| id.to_string())
        .collect();
    if shared.is_empty() {
        return;
    }
    for (file, root) in files.iter_mut().zip(root_of) {
        if !shared.contains(&file.id) {
            continue;
        }
        let root = &roots[*root];
        let label = root.to_string_lossy().replace('\\', "/");
        let label = label.trim_start_matches("./").trim_end_matches('/');
        file.id = if root.is_dir() {
            format!("{label}/{}", file.id)
        } else {
            label.to_string()
        };
    }
}

/// Reads one article file into documents (several for a JSON Lines file), with any
/// problem it has.
pub fn read_source(file: &SourceFile, options: &ReadOptions) -> Corpus {
    read_source_stated(file, options, std::fs::metadata(&file.path))
}

/// [`read_source`] for a caller that has just looked the file up (`build` takes its
/// size and modification time from the same look-up): one system call fewer a file.
pub fn read_source_stated(
    file: &SourceFile,
    options: &ReadOptions,
    metadata: std::io::Result<std::fs::Metadata>,
) -> Corpus {
    let mut part = Corpus::default();
    read_file(file, metadata, options, &mut part);
    part
}

impl Corpus {
    /// Adds what another part of the corpus read, after what this one holds.
    pub fn absorb(&mut self, part: Corpus) {
        self.files_seen += part.files_seen;
        self.documents.extend(part.documents);
        self.problems.extend(part.problems);
    }
}

fn list_root(root: &Path, listing: &mut CorpusListing) {
    let corpus = &mut listing.walk;
    // One look-up for the whole root, not one per file.
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if !root.is_dir() {
        let id = root
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| root.to_string_lossy().into_owned());
        match Format::of(root) {
            Some(format) => listing.files.push(SourceFile {
                id,
                path: root.to_path_buf(),
                key: canonical_root,
                format,
            }),
            // A file named explicitly is something the user wanted read, so say why not.
            None => {
                corpus.files_seen += 1;
                corpus.problems.push(CorpusProblem {
                    path: root.to_path_buf(),
                    message: "not a .txt, .md, .html, .htm or .jsonl file, skipped".into(),
                    skipped: true,
                });
            }
        }
        return;
    }
    let mut files: Vec<SourceFile> = Vec::new();
    // Following links lets a corpus folder hold symlinked articles; walkdir detects
    // loops and reports them as errors instead of recursing forever.
    for entry in walkdir::WalkDir::new(root).follow_links(true) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                corpus.files_seen += 1;
                let path = error
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                let message = if error.loop_ancestor().is_some() {
                    "symlink loop, skipped".to_string()
                } else {
                    format!("cannot read: {}, skipped", io_reason(&error))
                };
                corpus.problems.push(CorpusProblem {
                    path,
                    message,
                    skipped: true,
                });
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let Some(format) = Format::of(entry.path()) else {
            continue;
        };
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        files.push(SourceFile {
            id: relative_id(relative),
            key: canonical_root.join(relative),
            path: entry.into_path(),
            format,
        });
    }
    // In path order, component by component. Comparing `Path`s parses both again at
    // every comparison, and a key of each path's components was five allocations a
    // file: a key of its bytes compares the same.
    files.sort_by_cached_key(|file| path_order_key(&file.path));
    debug_assert!(files.is_sorted_by(|a, b| a.path <= b.path));
    listing.files.extend(files);
}

/// The bytes of a path with each separator made the lowest byte, so that keys compare as
/// their paths do, component by component (`a/b` before `a.b/c`), for paths made by
/// joining names to one root as a walk does.
fn path_order_key(path: &Path) -> Vec<u8> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let low_separators = bytes.iter().map(|&b| {
        if b.is_ascii() && std::path::is_separator(char::from(b)) {
            0
        } else {
            b
        }
    });
    low_separators.collect()
}

/// The short reason of a walk error, without walkdir's path prefix.
fn io_reason(error: &walkdir::Error) -> String {
    match error.io_error() {
        Some(io) => io.kind().to_string(),
        None => error.to_string(),
    }
}

/// A relative path as a document id: components joined with `/` on every platform.
fn relative_id(relative: &Path) -> String {
    let mut id = String::new();
    for component in relative.components() {
        if !id.is_empty() {
            id.push('/');
        }
        id.push_str(&component.as_os_str().to_string_lossy());
    }
    id
}

fn read_file(
    file: &SourceFile,
    metadata: std::io::Result<std::fs::Metadata>,
    options: &ReadOptions,
    corpus: &mut Corpus,
) {
    let (path, id, format) = (file.path.as_path(), file.id.clone(), file.format);
    corpus.files_seen += 1;
    let problem = |message: String, skipped: bool| CorpusProblem {
        path: path.to_path_buf(),
        message,
        skipped,
    };
    let bytes = match read_bounded(path, metadata, options.max_file_size) {
        Ok(bytes) => bytes,
        Err(ReadFailure::Io(error)) => {
            corpus.problems.push(problem(
                format!("cannot read: {}, skipped", io_message(&error)),
                true,
            ));
            return;
        }
        Err(ReadFailure::NotAFile) => {
            corpus.problems.push(problem(
                "not a regular file (a device, pipe or socket), skipped".into(),
                true,
            ));
            return;
        }
        Err(ReadFailure::TooLarge(size)) => {
            let limit = options.max_file_size;
            corpus.problems.push(problem(
                format!(
                    "larger than the size limit ({} > {}), skipped; raise it with --max-file-size",
                    size.map_or_else(|| "more".into(), human_size),
                    human_size(limit)
                ),
                true,
            ));
            return;
        }
    };
    let raw = match decode(bytes) {
        Decoded::Binary => {
            corpus
                .problems
                .push(problem("binary file, skipped".into(), true));
            return;
        }
        Decoded::Lossy(text) => {
            corpus.problems.push(problem(
                "invalid UTF-8, bad bytes replaced with U+FFFD; save the file as UTF-8".into(),
                false,
            ));
            text
        }
        Decoded::Text(text) => text,
    };
    if raw.trim().is_empty() {
        corpus
            .problems
            .push(problem("empty file, skipped".into(), true));
        return;
    }
    match format {
        Format::Text => corpus
            .documents
            .push(Metadata::default().into_document(id, path, raw)),
        Format::Markdown => {
            let (metadata, body) = markdown::parse(&raw);
            push_single(corpus, metadata.into_document(id, path, body.to_string()));
        }
        Format::Html if html::nests_deeper_than(&raw, html::MAX_NESTING) => {
            corpus.problems.push(problem(
                format!(
                    "HTML elements nested more than {} deep, skipped; save the page as text",
                    html::MAX_NESTING
                ),
                true,
            ));
        }
        Format::Html => {
            let (metadata, body) = html::parse(&raw);
            push_single(corpus, metadata.into_document(id, path, body));
        }
        Format::JsonLines => jsonl::read(path, &id, &raw, corpus),
    }
}

enum ReadFailure {
    Io(std::io::Error),
    NotAFile,
    /// The size when known before reading.
    TooLarge(Option<u64>),
}

/// Reads a whole file of at most `limit` bytes. The limit is checked on the size the
/// file reports and again while reading, since a file can grow, and a path such as
/// `/proc/self/mem` or a link to `/dev/zero` reports a size it does not have. Pipes and
/// devices are refused before opening, because opening a pipe blocks: `metadata` is the
/// file's, looked up (following links) before it is opened.
fn read_bounded(
    path: &Path,
    metadata: std::io::Result<std::fs::Metadata>,
    limit: u64,
) -> Result<Vec<u8>, ReadFailure> {
    use std::io::Read;
    let metadata = metadata.map_err(ReadFailure::Io)?;
    if !metadata.is_file() {
        return Err(ReadFailure::NotAFile);
    }
    if metadata.len() > limit {
        return Err(ReadFailure::TooLarge(Some(metadata.len())));
    }
    let file = std::fs::File::open(path).map_err(ReadFailure::Io)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadFailure::TooLarge(None));
    }
    Ok(bytes)
}

/// An I/O error in lower case without the "(os error N)" suffix.
fn io_message(error: &std::io::Error) -> String {
    let text = error.to_string();
    let text = text.split(" (os error").next().unwrap_or_default();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => error.kind().to_string(),
    }
}

/// Adds a one-article file, or a problem when nothing readable was left after its
/// header or markup.
fn push_single(corpus: &mut Corpus, document: Document) {
    if document.text.trim().is_empty() {
        corpus.problems.push(CorpusProblem {
            path: document.path,
            message: "no article text, skipped".into(),
            skipped: true,
        });
    } else {
        corpus.documents.push(document);
    }
}

enum Decoded {
    Text(String),
    Lossy(String),
    Binary,
}

/// Turns file bytes into text: NUL bytes mean binary, a BOM is dropped, invalid UTF-8
/// is replaced, and every line ending becomes `\n` so offsets mean the same on every
/// platform.
fn decode(mut bytes: Vec<u8>) -> Decoded {
    if bytes.contains(&0) {
        return Decoded::Binary;
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded::Text(normalize_newlines(text)),
        Err(error) => Decoded::Lossy(normalize_newlines(
            String::from_utf8_lossy(error.as_bytes()).into_owned(),
        )),
    }
}

/// Replaces CRLF and lone CR with LF, without copying when there is no CR.
pub(crate) fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// Trims a metadata value and drops it when empty.
pub(crate) fn clean_value(value: &str) -> Option<String> {
    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn path_keys_sort_as_paths_do() {
        let names = [
            "c/a.b", "c/a/b", "c/a", "c/a-b/c", "c/a/b/c", "c/ab", "c/a b", "c/é", "c/z",
        ];
        let mut by_key: Vec<&Path> = names.iter().map(Path::new).collect();
        let mut by_path = by_key.clone();
        by_key.sort_by_key(|path| path_order_key(path));
        by_path.sort();
        assert_eq!(by_key, by_path);
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&path, bytes).unwrap();
        path
    }

    fn ids(corpus: &Corpus) -> Vec<&str> {
        corpus.documents.iter().map(|d| d.id.as_str()).collect()
    }

    #[test]
    fn folder_is_read_recursively_in_path_order_with_slash_ids() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b.txt", b"Second article.");
        write(dir.path(), "a/z.md", b"Nested article.");
        write(dir.path(), "a/c.txt", b"First nested.");
        write(dir.path(), "image.png", b"\x89PNG not text");
        write(dir.path(), "data.json", b"{\"text\": \"ignored\"}");
        let corpus = read_corpus(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(ids(&corpus), ["a/c.txt", "a/z.md", "b.txt"]);
        assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
        assert_eq!(corpus.documents[2].text, "Second article.");
        assert_eq!(corpus.documents[2].path, dir.path().join("b.txt"));
    }

    #[test]
    fn files_of_two_paths_never_share_an_id_and_a_file_named_twice_is_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let (first, second) = (dir.path().join("news2023"), dir.path().join("news2024"));
        for (folder, text) in [(&first, "One."), (&second, "Two.")] {
            fs::create_dir_all(folder).unwrap();
            fs::write(folder.join("a.txt"), text).unwrap();
            fs::write(folder.join(format!("only-{text}txt")), text).unwrap();
        }
        let paths = [first.clone(), second.clone(), first.join("a.txt")];
        let corpus = read_corpus(&paths).unwrap();
        let label = |root: &Path, id: &str| format!("{}/{id}", root.to_string_lossy());
        assert_eq!(
            ids(&corpus),
            [
                label(&first, "a.txt").as_str(),
                "only-One.txt",
                label(&second, "a.txt").as_str(),
                "only-Two.txt"
            ]
        );
        assert_eq!(corpus.documents[2].text.trim(), "Two.");
    }

    #[test]
    fn file_given_directly_uses_its_file_name_as_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "sub/report.txt", b"Troops withdrew.");
        let corpus = read_corpus(&[path]).unwrap();
        assert_eq!(ids(&corpus), ["report.txt"]);
    }

    #[test]
    fn unsupported_file_given_directly_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "dump.json", b"{}");
        let corpus = read_corpus(std::slice::from_ref(&path)).unwrap();
        assert!(corpus.documents.is_empty());
        assert_eq!(corpus.problems.len(), 1);
        assert!(corpus.problems[0].skipped);
        assert_eq!(corpus.problems[0].path, path);
    }

    #[test]
    fn missing_path_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let error = read_corpus(&[dir.path().to_path_buf(), missing.clone()]).unwrap_err();
        assert!(matches!(error, CorpusError::Missing { ref path } if *path == missing));
        assert!(error.to_string().contains("no such file or folder"));
    }

    #[test]
    fn several_roots_keep_argument_order() {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        write(one.path(), "z.txt", b"From the first folder.");
        write(two.path(), "a.txt", b"From the second folder.");
        let corpus = read_corpus(&[one.path().to_path_buf(), two.path().to_path_buf()]).unwrap();
        assert_eq!(ids(&corpus), ["z.txt", "a.txt"]);
    }

    #[test]
    fn binary_file_is_skipped_with_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "blob.txt", b"abc\0def");
        write(dir.path(), "ok.txt", b"Fine.");
        let corpus = read_corpus(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(ids(&corpus), ["ok.txt"]);
        assert_eq!(
            corpus.problems,
            [CorpusProblem {
                path: dir.path().join("blob.txt"),
                message: "binary file, skipped".into(),
                skipped: true,
            }]
        );
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily_with_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "latin1.txt", b"Caf\xe9 in Kyiv.");
        let corpus = read_corpus(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(corpus.documents[0].text, "Caf\u{FFFD} in Kyiv.");
        assert_eq!(corpus.problems.len(), 1);
        assert!(!corpus.problems[0].skipped);
        assert!(corpus.problems[0].message.contains("UTF-8"));
    }

    #[test]
    fn bom_is_removed_and_line_endings_become_lf() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "win.txt",
            b"\xEF\xBB\xBFLine one.\r\nLine two.\rLine three.",
        );
        let corpus = read_corpus(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(
            corpus.documents[0].text,
            "Line one.\nLine two.\nLine three."
        );
        assert!(corpus.problems.is_empty());
    }

    #[test]
    fn empty_and_whitespace_files_are_skipped_with_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "empty.txt", b"");
        write(dir.path(), "blank.md", b"  \n\t\r\n");
        let corpus = read_corpus(&[dir.path().to_path_buf()]).unwrap();
        assert!(corpus.documents.is_empty());
        assert_eq!(corpus.problems.len(), 2);
        assert!(corpus.problems.iter().all(|p| p.skipped));
        assert!(corpus.problems[0].message.contains("empty"));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_a_problem_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "sub/a.txt", b"Inside the loop.");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/back")).unwrap();
        let corpus = read_corpus(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(ids(&corpus), ["sub/a.txt"]);
        assert_eq!(corpus.problems.len(), 1);
        assert!(corpus.problems[0].message.contains("symlink loop"));
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_file_is_read_and_dangling_link_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let target = write(outside.path(), "real.txt", b"Linked article.");
        std::os::unix::fs::symlink(&target, dir.path().join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("dead.txt"))
            .unwrap();
        let corpus = read_corpus(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(ids(&corpus), ["link.txt"]);
        assert_eq!(corpus.documents[0].text, "Linked article.");
        assert_eq!(corpus.problems.len(), 1);
        assert!(corpus.problems[0].skipped);
    }

    #[test]
    fn extension_is_case_insensitive() {
        assert_eq!(Format::of(Path::new("a/B.TXT")), Some(Format::Text));
        assert_eq!(Format::of(Path::new("page.HTM")), Some(Format::Html));
        assert_eq!(Format::of(Path::new("dump.jsonl")), Some(Format::JsonLines));
        assert_eq!(Format::of(Path::new("notes")), None);
        assert_eq!(Format::of(Path::new("data.json")), None);
    }
}

//! Reading articles from files and folders into [`Document`]s.
//!
//! (Interface stub: the full reader of .txt, .md, .html and .jsonl replaces this.)

use std::path::{Path, PathBuf};

/// One source article. Every span later in the pipeline is a byte offset into `text`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The path relative to the folder given on the command line (for a file given
    /// directly, its file name); for a JSON Lines dump, `path#line`.
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

#[derive(Clone, Debug, Default)]
pub struct Corpus {
    pub documents: Vec<Document>,
    pub problems: Vec<CorpusProblem>,
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: no such file or folder")]
    Missing { path: PathBuf },
}

/// Reads every article under the given paths, in a stable order.
pub fn read_corpus(paths: &[PathBuf]) -> Result<Corpus, CorpusError> {
    let mut corpus = Corpus::default();
    for root in paths {
        if !root.exists() {
            return Err(CorpusError::Missing { path: root.clone() });
        }
        let mut files = Vec::new();
        collect(root, &mut files);
        files.sort();
        for file in files {
            let id = if root.is_dir() {
                file.strip_prefix(root)
                    .unwrap_or(&file)
                    .to_string_lossy()
                    .into_owned()
            } else {
                file.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            };
            match std::fs::read_to_string(&file) {
                Ok(text) => corpus.documents.push(Document {
                    id,
                    path: file,
                    text,
                    ..Default::default()
                }),
                Err(e) => corpus.problems.push(CorpusProblem {
                    path: file,
                    message: e.to_string(),
                    skipped: true,
                }),
            }
        }
    }
    Ok(corpus)
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for entry in entries.flatten() {
                collect(&entry.path(), files);
            }
        }
    } else if path.extension().is_some_and(|e| e == "txt" || e == "md") {
        files.push(path.to_path_buf());
    }
}

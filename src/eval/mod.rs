//! Scoring the extractor against gold annotations (corpus/README.md "Gold format").
//!
//! The graph is built in memory from the gold's corpus and read only through
//! [`GraphRead`](crate::graph::GraphRead), so the scores measure what a user of the graph would see: entities
//! mentioned in each document, claims with their reporters and relays, and figures.

mod score;

pub use score::{score, ClaimMiss, Counts, EntityMiss, Report};

use crate::corpus::{self, CorpusError};
use crate::pipeline;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: cannot read the gold file: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a gold file: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{gold}: no corpus folder; give one with --corpus or a \"corpus\" field")]
    NoCorpus { gold: PathBuf },
    #[error(transparent)]
    Corpus(#[from] CorpusError),
}

/// A gold file: the corpus folder it annotates, its entities and its claims.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Gold {
    #[serde(default)]
    pub corpus: Option<String>,
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
    #[serde(default)]
    pub claims: Vec<GoldClaim>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct GoldEntity {
    pub doc: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    Person,
    Organization,
    Place,
}

impl EntityType {
    pub const ALL: [EntityType; 3] = [
        EntityType::Person,
        EntityType::Organization,
        EntityType::Place,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Organization => "organization",
            EntityType::Place => "place",
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct GoldClaim {
    pub doc: String,
    pub reporter: String,
    #[serde(default)]
    pub via: Vec<String>,
    pub topic: String,
    #[serde(default)]
    pub places: Vec<String>,
    #[serde(default)]
    pub quantity: Option<String>,
    pub sentence: String,
    #[serde(default)]
    pub hedged: bool,
}

/// Reads and parses a gold file; errors name the file.
pub fn load_gold(path: &Path) -> Result<Gold, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| EvalError::Parse {
        path: path.to_path_buf(),
        source,
    })
}

/// The corpus folder: the override when given, else the gold's "corpus" field taken
/// relative to the gold file's folder (so the gold works from any working directory).
pub fn corpus_dir(
    gold_path: &Path,
    gold: &Gold,
    corpus: Option<&Path>,
) -> Result<PathBuf, EvalError> {
    if let Some(dir) = corpus {
        return Ok(dir.to_path_buf());
    }
    let field = gold.corpus.as_deref().ok_or_else(|| EvalError::NoCorpus {
        gold: gold_path.to_path_buf(),
    })?;
    let base = gold_path.parent().unwrap_or_else(|| Path::new(""));
    Ok(base.join(field))
}

/// The whole evaluation: load the gold, read its corpus, build the graph in memory and
/// score it. Corpus problems (skipped files) come back as warnings.
pub fn evaluate(gold_path: &Path, corpus: Option<&Path>) -> Result<Evaluation, EvalError> {
    let gold = load_gold(gold_path)?;
    let dir = corpus_dir(gold_path, &gold, corpus)?;
    let read = corpus::read_corpus(&[dir])?;
    let warnings = read
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.path.display(), p.message))
        .collect();
    let graph = pipeline::build_graph(&read.documents);
    Ok(Evaluation {
        report: score(&graph, &gold),
        warnings,
        documents: read.documents.len(),
    })
}

/// What [`evaluate`] returns.
#[derive(Debug)]
pub struct Evaluation {
    pub report: Report,
    pub warnings: Vec<String>,
    pub documents: usize,
}

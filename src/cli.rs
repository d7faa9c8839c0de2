//! The command line, declared in one place with clap.

use crate::export::ExportFormat;
use crate::present::OutputFormat;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// The graph file used when `--graph` is not given.
pub const DEFAULT_GRAPH: &str = "claimgraph.cgraph";

#[derive(Debug, Parser)]
#[command(
    name = "claimgraph",
    version,
    about = "Turn a folder of news articles into a knowledge graph of who claimed what, with sources",
    after_help = "Example:\n  claimgraph build corpus --graph sample.cgraph\n  claimgraph query --graph sample.cgraph \"who reported desertions in Luhansk\""
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read articles and build (or update) the graph file
    #[command(after_help = "Example:\n  claimgraph build corpus --graph sample.cgraph")]
    Build {
        /// Files or folders of articles (.txt, .md, .html, .jsonl)
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, default_value = DEFAULT_GRAPH)]
        graph: PathBuf,
        /// Re-extract every file instead of reusing the cache beside the graph
        #[arg(long)]
        full: bool,
        /// Print how long each stage took and the throughput
        #[arg(long, hide = true)]
        timings: bool,
    },
    /// Answer one question or Cypher query
    #[command(
        after_help = "Examples:\n  claimgraph query --graph sample.cgraph \"who reported desertions in Luhansk\"\n  claimgraph query --format csv \"MATCH (p:Person) RETURN p.name\""
    )]
    Query {
        #[arg(long, default_value = DEFAULT_GRAPH)]
        graph: PathBuf,
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
        /// The question or Cypher query
        query: String,
    },
    /// Run query scripts (*.kgq)
    #[command(
        after_help = "Example:\n  claimgraph run --graph sample.cgraph queries/desertions.kgq"
    )]
    Run {
        #[arg(long, default_value = DEFAULT_GRAPH)]
        graph: PathBuf,
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
        /// Run every statement even after an error (the exit code still reports it)
        #[arg(long)]
        keep_going: bool,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Ask questions interactively
    #[command(after_help = "Example:\n  claimgraph shell --graph sample.cgraph")]
    Shell {
        #[arg(long, default_value = DEFAULT_GRAPH)]
        graph: PathBuf,
    },
    /// Write the graph for Graphviz, spreadsheets, Neo4j or Kuzu
    #[command(
        after_help = "Examples:\n  claimgraph export --graph sample.cgraph --format dot --focus desertion --depth 2\n  claimgraph export --format neo4j --out exports/neo4j"
    )]
    Export {
        #[arg(long, default_value = DEFAULT_GRAPH)]
        graph: PathBuf,
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Output file or folder (default: under exports/)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Keep only the neighbourhood of this entity or topic
        #[arg(long)]
        focus: Option<String>,
        /// How many steps around the focus to keep
        #[arg(long, default_value_t = 2)]
        depth: usize,
        /// Overwrite existing output files
        #[arg(long)]
        force: bool,
    },
    /// Count nodes and edges by label and type
    #[command(after_help = "Example:\n  claimgraph stats --graph sample.cgraph")]
    Stats {
        #[arg(long, default_value = DEFAULT_GRAPH)]
        graph: PathBuf,
    },
    /// Score extraction against gold annotations
    #[command(after_help = "Example:\n  claimgraph eval corpus/gold/test.json")]
    Eval {
        /// Gold annotations (JSON); its corpus folder is given by its \"corpus\" field or --corpus
        gold: PathBuf,
        /// The folder of articles the gold annotates
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// Also list the missed and the extra entities and claims
        #[arg(short, long)]
        verbose: bool,
    },
    /// Write a synthetic corpus for scale runs (a developer tool)
    #[command(hide = true, name = "gen-corpus")]
    GenCorpus {
        /// How many articles
        #[arg(long)]
        docs: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The folder to write into (created if missing)
        #[arg(long)]
        out: PathBuf,
    },
    /// Time each question form on a graph (a developer tool)
    #[command(hide = true, name = "bench-queries")]
    BenchQueries {
        #[arg(long, default_value = DEFAULT_GRAPH)]
        graph: PathBuf,
        /// How many times each question runs
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
}

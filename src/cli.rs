//! The command line, declared in one place with clap.

use crate::export::{ExportFormat, RenderFormat};
use crate::present::OutputFormat;
use crate::query::{Limits, DEFAULT_MAX_ROWS};
use crate::shell::Settings;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

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
        /// Skip files larger than this: bytes, or a number with K, M or G (1024-based)
        #[arg(long, default_value = "50M", value_parser = parse_size)]
        max_file_size: u64,
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
        #[command(flatten)]
        limits: LimitArgs,
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
        #[command(flatten)]
        limits: LimitArgs,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Ask questions interactively
    #[command(after_help = "Example:\n  claimgraph shell --graph sample.cgraph")]
    Shell {
        #[arg(long, default_value = DEFAULT_GRAPH)]
        graph: PathBuf,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Write the graph for Graphviz, spreadsheets, Neo4j or Kuzu
    #[command(
        after_help = "Examples:\n  claimgraph export --graph sample.cgraph --format dot --focus desertion --depth 1 --render svg\n  claimgraph export --format neo4j --out exports/neo4j"
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
        /// Also draw the DOT export as a picture with Graphviz (graph.svg or graph.png)
        #[arg(long, value_enum)]
        render: Option<RenderFormat>,
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
        /// Time these questions (or Cypher statements) instead of the sample of every form
        #[arg(long = "question", value_name = "QUESTION")]
        questions: Vec<String>,
    },
}

/// What a query may cost, and whether to time it: shared by `query`, `run` and `shell`.
#[derive(Debug, Clone, Copy, Args)]
pub struct LimitArgs {
    /// Show at most N rows of each answer ("off" for no limit)
    #[arg(long, value_name = "N", default_value_t = RowLimit(Some(DEFAULT_MAX_ROWS)), value_parser = parse_row_limit)]
    pub max_rows: RowLimit,
    /// Stop a query that runs longer than SECONDS ("off" or 0 for no limit)
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_time_limit)]
    pub timeout: TimeLimit,
    /// Print the row count and the time taken after each answer
    #[arg(long)]
    pub timer: bool,
}

/// `--max-rows`: a number of rows, or no limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowLimit(pub Option<usize>);

impl std::fmt::Display for RowLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(rows) => write!(f, "{rows}"),
            None => f.write_str("off"),
        }
    }
}

/// `--timeout`: a duration, or no limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeLimit(pub Option<Duration>);

fn parse_row_limit(text: &str) -> Result<RowLimit, String> {
    if text.eq_ignore_ascii_case("off") {
        return Ok(RowLimit(None));
    }
    match text.parse::<usize>() {
        Ok(rows) if rows > 0 => Ok(RowLimit(Some(rows))),
        _ => Err(format!(
            "'{text}' is not a number of rows; give 1 or more, or off"
        )),
    }
}

fn parse_time_limit(text: &str) -> Result<TimeLimit, String> {
    crate::shell::command::parse_seconds(text)
        .map(TimeLimit)
        .ok_or_else(|| {
            format!("'{text}' is not a number of seconds; give one such as 10 or 0.5, or off")
        })
}

impl LimitArgs {
    /// The session settings these flags ask for, in `format`.
    pub fn settings(&self, format: OutputFormat) -> Settings {
        Settings {
            format,
            limits: Limits {
                max_rows: self.max_rows.0,
                timeout: self.timeout.0,
            },
            timer: self.timer,
            ..Settings::default()
        }
    }
}

/// A size such as `1000`, `64K`, `50M` or `2G` (units of 1024, case-insensitive, an
/// optional trailing `B`).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let upper = trimmed.to_ascii_uppercase();
    let without_b = upper.strip_suffix('B').unwrap_or(&upper);
    let (number, shift) = match without_b.chars().last() {
        Some('K') => (&without_b[..without_b.len() - 1], 10),
        Some('M') => (&without_b[..without_b.len() - 1], 20),
        Some('G') => (&without_b[..without_b.len() - 1], 30),
        _ => (without_b, 0),
    };
    let invalid = || {
        format!("'{trimmed}' is not a size; write bytes or a number with K, M or G, such as 50M")
    };
    let value: u64 = number.trim().parse().map_err(|_| invalid())?;
    value.checked_mul(1 << shift).ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_take_binary_unit_suffixes() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64k"), Ok(64 * 1024));
        assert_eq!(parse_size("50M"), Ok(50 * 1024 * 1024));
        assert_eq!(parse_size("2GB"), Ok(2 << 30));
        assert!(parse_size("lots").unwrap_err().contains("not a size"));
        assert!(parse_size("99999999999999G").is_err());
        assert!(parse_size("-1").is_err());
    }
}

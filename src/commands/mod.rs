//! One handler per subcommand; `run` dispatches to them.

pub mod bench_queries;
mod build;
mod eval;
mod export;
mod gen_corpus;
mod query;
mod run;
mod shell;
mod stats;

use crate::cli::Command;
use std::process::ExitCode;

/// Runs one subcommand and returns the process exit code.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Build {
            paths,
            graph,
            full,
            timings,
        } => build::run(&paths, &graph, build::BuildFlags { full, timings }),
        Command::Query {
            graph,
            format,
            query,
        } => query::run(&graph, format, &query),
        Command::Stats { graph } => stats::run(&graph),
        Command::Export {
            graph,
            format,
            out,
            focus,
            depth,
            force,
        } => export::run(export::ExportArgs {
            graph: &graph,
            format,
            out,
            focus,
            depth,
            force,
        }),
        Command::Shell { graph } => shell::run(&graph),
        Command::Run {
            graph,
            format,
            keep_going,
            files,
        } => run::run(&graph, format, keep_going, &files),
        Command::Eval {
            gold,
            corpus,
            verbose,
        } => eval::run(&gold, corpus.as_deref(), verbose),
        Command::GenCorpus { docs, seed, out } => gen_corpus::run(docs, seed, &out),
        Command::BenchQueries { graph, runs } => bench_queries::run(&graph, runs),
    }
}

//! One handler per subcommand; `run` dispatches to them.

mod build;
mod eval;
mod export;
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
            max_file_size,
        } => build::run(&paths, &graph, max_file_size),
        Command::Query {
            graph,
            format,
            limits,
            query,
        } => query::run(&graph, limits.settings(format), &query),
        Command::Stats { graph } => stats::run(&graph),
        Command::Export {
            graph,
            format,
            out,
            focus,
            depth,
            force,
            render,
        } => export::run(export::ExportArgs {
            graph: &graph,
            format,
            out,
            focus,
            depth,
            force,
            render,
        }),
        Command::Shell { graph, limits } => {
            shell::run(&graph, limits.settings(crate::present::OutputFormat::Table))
        }
        Command::Run {
            graph,
            format,
            keep_going,
            limits,
            files,
        } => {
            let settings = crate::shell::Settings {
                keep_going,
                ..limits.settings(format)
            };
            run::run(&graph, settings, &files)
        }
        Command::Eval {
            gold,
            corpus,
            verbose,
        } => eval::run(&gold, corpus.as_deref(), verbose),
    }
}

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
            max_file_size,
            full,
            timings,
        } => build::run(
            &paths,
            &graph,
            build::BuildFlags {
                full,
                timings,
                max_file_size,
            },
        ),
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
        Command::GenCorpus { docs, seed, out } => gen_corpus::run(docs, seed, &out),
        Command::BenchQueries {
            graph,
            runs,
            questions,
        } => bench_queries::run(&graph, runs, &questions),
    }
}

/// Lets the process end without freeing a loaded graph node by node, which the
/// operating system does at once when the process exits (freeing a graph of a hundred
/// thousand articles one allocation at a time took a tenth of a second).
pub(crate) fn discard_at_exit(graph: crate::graph::KnowledgeGraph) {
    std::mem::forget(graph);
}

/// Writes command output to stdout. A reader that stops early (`| head`) is not an
/// error: the rest of the output is dropped quietly, as other command-line tools do.
pub(crate) fn print_out(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

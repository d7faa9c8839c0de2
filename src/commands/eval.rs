//! `claimgraph eval`: build the gold's corpus in memory and print the scores.

use crate::eval;
use std::path::Path;
use std::process::ExitCode;

pub fn run(gold: &Path, corpus: Option<&Path>, verbose: bool) -> anyhow::Result<ExitCode> {
    let evaluation = eval::evaluate(gold, corpus)?;
    for warning in &evaluation.warnings {
        eprintln!("warning: {warning}");
    }
    println!("{} ({} documents)\n", gold.display(), evaluation.documents);
    print!("{}", evaluation.report);
    if verbose {
        print!("{}", evaluation.report.details());
    }
    Ok(ExitCode::SUCCESS)
}

//! `claimgraph eval`: build the gold's corpus in memory and print the scores.

use crate::eval;
use std::path::Path;
use std::process::ExitCode;

pub fn run(gold: &Path, corpus: Option<&Path>, verbose: bool) -> anyhow::Result<ExitCode> {
    let evaluation = eval::evaluate(gold, corpus)?;
    for warning in &evaluation.warnings {
        eprintln!("warning: {warning}");
    }
    let mut text = format!(
        "{} ({} documents)\n\n",
        gold.display(),
        evaluation.documents
    );
    text.push_str(&evaluation.report.to_string());
    if verbose {
        text.push_str(&evaluation.report.details().to_string());
    }
    super::print_out(&text)?;
    Ok(ExitCode::SUCCESS)
}

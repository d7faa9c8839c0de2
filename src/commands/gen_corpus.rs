//! `claimgraph gen-corpus` (hidden): write a synthetic corpus for scale runs.

use crate::corpus::synth;
use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;

pub fn run(docs: usize, seed: u64, out: &Path) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let bytes = synth::write_corpus(out, docs, seed)
        .with_context(|| format!("cannot write the corpus under {}", out.display()))?;
    eprintln!(
        "wrote {docs} articles ({:.1} MB) under {}",
        bytes as f64 / 1e6,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

//! `claimgraph shell`: the interactive shell, or a script piped to it.

use crate::shell::{self, Settings};
use std::path::Path;
use std::process::ExitCode;

pub fn run(graph_path: &Path, settings: Settings) -> anyhow::Result<ExitCode> {
    Ok(if shell::run(graph_path, settings)? {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

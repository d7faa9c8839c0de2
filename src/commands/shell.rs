//! `claimgraph shell`: the interactive shell, or a script piped to it.

use crate::shell;
use std::path::Path;
use std::process::ExitCode;

pub fn run(graph_path: &Path) -> anyhow::Result<ExitCode> {
    Ok(if shell::run(graph_path)? {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

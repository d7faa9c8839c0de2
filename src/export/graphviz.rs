//! Rendering a DOT export to SVG or PNG with Graphviz's `dot`, when it is installed.
//!
//! claimgraph does not lay graphs out itself; it runs the `dot` program found on the
//! PATH. The picture is written beside the DOT file (`graph.dot` -> `graph.svg`) through
//! a temporary file, like every export file.

use super::ExportError;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderFormat {
    Svg,
    Png,
}

impl RenderFormat {
    pub fn extension(self) -> &'static str {
        match self {
            RenderFormat::Svg => "svg",
            RenderFormat::Png => "png",
        }
    }
}

/// The most nodes `--render` draws. `dot` laid out 1,300 nodes in 0.7 s but 6,900 in
/// 43 s, and no one reads a picture of thousands of nodes.
pub const MAX_DRAWN_NODES: usize = 2_000;

/// Where the picture of `dot_file` goes.
pub fn picture_path(dot_file: &Path, format: RenderFormat) -> PathBuf {
    dot_file.with_extension(format.extension())
}

/// Runs `dot` on `dot_file` and returns the picture's path.
pub fn render_picture(dot_file: &Path, format: RenderFormat) -> Result<PathBuf, ExportError> {
    let picture = picture_path(dot_file, format);
    let file_name = picture
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = picture.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let output = Command::new("dot")
        .arg(format!("-T{}", format.extension()))
        .arg("-o")
        .arg(&temporary)
        .arg(dot_file)
        .output();
    let output = match output {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(ExportError::GraphvizMissing {
                dot_file: dot_file.to_path_buf(),
                format: format.extension(),
            })
        }
        Err(source) => {
            return Err(ExportError::Write {
                path: picture,
                source,
            })
        }
    };
    if !output.status.success() {
        let _ = std::fs::remove_file(&temporary);
        return Err(ExportError::GraphvizFailed {
            message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    std::fs::rename(&temporary, &picture).map_err(|source| {
        let _ = std::fs::remove_file(&temporary);
        ExportError::Write {
            path: picture.clone(),
            source,
        }
    })?;
    Ok(picture)
}

//! `claimgraph export`: write the graph, or the neighbourhood of a focus, for other tools.

use crate::export::{self, ExportError, ExportFormat, ExportOptions, RenderFormat};
use crate::graph;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub struct ExportArgs<'a> {
    pub graph: &'a Path,
    pub format: ExportFormat,
    pub out: Option<PathBuf>,
    pub focus: Option<String>,
    pub depth: usize,
    pub force: bool,
    pub render: Option<RenderFormat>,
}

/// Prints each written file on stdout, one per line, so scripts can pick them up.
pub fn run(args: ExportArgs<'_>) -> anyhow::Result<ExitCode> {
    if args.render.is_some() && args.format != ExportFormat::Dot {
        return Err(ExportError::RenderNeedsDot.into());
    }
    let graph = graph::load(args.graph)?;
    let options = ExportOptions {
        format: args.format,
        out: args.out.unwrap_or_else(|| args.format.default_out()),
        focus: args.focus,
        depth: args.depth,
        force: args.force,
    };
    // The picture must be free to write before the DOT file is, so a refusal writes
    // nothing.
    let picture = match (
        args.render,
        export::single_file_target(&options.out, args.format),
    ) {
        (Some(format), Some(dot_file)) => {
            let picture = export::picture_path(&dot_file, format);
            if !options.force && picture.symlink_metadata().is_ok() {
                return Err(ExportError::Exists { path: picture }.into());
            }
            Some(format)
        }
        _ => None,
    };
    // Counted before the DOT file is written; it is written either way, for other tools.
    let nodes = match picture {
        Some(_) => export::selection(&graph, &options)?.nodes.len(),
        None => 0,
    };
    let mut written = export::export(&graph, &options)?;
    super::discard_at_exit(graph);
    let mut drawn = None;
    if let (Some(format), Some(dot_file)) = (picture, written.first()) {
        if nodes > export::MAX_DRAWN_NODES {
            return Err(ExportError::TooManyToDraw {
                nodes,
                dot_file: dot_file.clone(),
                format: format.extension(),
            }
            .into());
        }
        // The DOT file is kept when drawing fails: the error says how to draw it later.
        let picture = export::render_picture(dot_file, format)?;
        drawn = Some(picture.clone());
        written.push(picture);
    }
    let listing: String = written
        .iter()
        .map(|path| format!("{}\n", path.display()))
        .collect();
    super::print_out(&listing)?;
    let files = written.len() - usize::from(drawn.is_some());
    eprintln!(
        "wrote {files} {} file{}{}",
        args.format.as_str(),
        if files == 1 { "" } else { "s" },
        drawn
            .map(|p| format!(" and drew {}", p.display()))
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

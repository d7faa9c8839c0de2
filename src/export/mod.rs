//! Writing the graph for other tools: CSV, Graphviz DOT, GraphML, Neo4j import files and
//! a Kuzu bundle.
//!
//! Each format is one submodule that plans the named files of a [`Selection`] of the
//! graph, each with what writes its rows; this module chooses the selection (whole graph
//! or a focus), checks the destination and writes the files, each as its rows are made
//! (the CSV tables of 100,000 articles are a gigabyte, and held whole they took 9 GB of
//! memory). File names are always ours, never derived from node names, so an export
//! never writes outside the folder it is given.

mod csv_tables;
mod dot;
mod focus;
mod graphml;
mod graphviz;
mod kuzu;
mod neo4j;
mod schema;

pub use focus::{parse_topic, Selection};
pub use graphviz::{picture_path, render_picture, RenderFormat, MAX_DRAWN_NODES};

use crate::graph::{GraphRead, Topic};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Dot,
    Graphml,
    Neo4j,
    Kuzu,
}

impl ExportFormat {
    /// Where the export goes when `--out` is not given.
    pub fn default_out(self) -> PathBuf {
        let exports = Path::new("exports");
        match self.file_name() {
            Some(file) => exports.join(file),
            None => exports.join(self.as_str()),
        }
    }

    /// The file name of single-file formats; `None` for formats that write a folder.
    pub fn file_name(self) -> Option<&'static str> {
        match self {
            ExportFormat::Dot => Some("graph.dot"),
            ExportFormat::Graphml => Some("graph.graphml"),
            ExportFormat::Csv | ExportFormat::Neo4j | ExportFormat::Kuzu => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Dot => "dot",
            ExportFormat::Graphml => "graphml",
            ExportFormat::Neo4j => "neo4j",
            ExportFormat::Kuzu => "kuzu",
        }
    }
}

#[derive(Clone, Debug)]
pub struct ExportOptions {
    pub format: ExportFormat,
    /// The file (dot, graphml) or folder (csv, neo4j, kuzu) to write. A single-file
    /// format given an existing folder writes its default file name inside it.
    pub out: PathBuf,
    pub focus: Option<String>,
    pub depth: usize,
    pub force: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no entity or topic '{focus}'")]
    UnknownFocus { focus: String },
    #[error("no claims about {topic} in this graph")]
    NoClaimsOnTopic { topic: Topic },
    #[error("{} already exists; pass --force to overwrite it or --out to write elsewhere", path.display())]
    Exists { path: PathBuf },
    #[error("{} is a file, but a {format} export writes a folder; choose a folder with --out", path.display())]
    NotAFolder { path: PathBuf, format: &'static str },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("Graphviz is not installed, so no {format} was drawn ({} was written); install it (Debian or Ubuntu: apt-get install graphviz; macOS: brew install graphviz) or render elsewhere with: dot -T{format} {} -o graph.{format}", dot_file.display(), dot_file.display())]
    GraphvizMissing {
        dot_file: PathBuf,
        format: &'static str,
    },
    #[error("{nodes} nodes are too many to draw (Graphviz takes minutes on a few thousand, and the picture could not be read), so no {format} was drawn ({} was written); narrow the export with --focus on a less-named entity or a topic and --depth 1, or lay it out yourself with: sfdp -T{format} {} -o graph.{format}", dot_file.display(), dot_file.display())]
    TooManyToDraw {
        nodes: usize,
        dot_file: PathBuf,
        format: &'static str,
    },
    #[error("Graphviz could not render the DOT file: {message}")]
    GraphvizFailed { message: String },
    #[error("--render draws a picture of a DOT export; use it with --format dot")]
    RenderNeedsDot,
    #[error("cannot encode the export: {0}")]
    Encode(String),
}

/// What writes one file of an export: called once, with where the bytes go.
type WriteFile<'a> = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()> + 'a>;

/// One file of an export, named relative to the export's folder, not written yet.
pub struct PlannedFile<'a> {
    name: String,
    write: WriteFile<'a>,
}

impl<'a> PlannedFile<'a> {
    fn new(
        name: impl Into<String>,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()> + 'a,
    ) -> PlannedFile<'a> {
        PlannedFile {
            name: name.into(),
            write: Box::new(write),
        }
    }

    /// A small file whose text is made up front (a schema, a README).
    fn text(name: impl Into<String>, text: String) -> PlannedFile<'a> {
        PlannedFile::new(name, move |out| out.write_all(text.as_bytes()))
    }
}

/// One file of an export with its bytes, named relative to the export's folder.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputFile {
    pub name: String,
    pub contents: Vec<u8>,
}

impl OutputFile {
    pub fn new(name: impl Into<String>, contents: Vec<u8>) -> OutputFile {
        OutputFile {
            name: name.into(),
            contents,
        }
    }
}

/// The file a single-file format writes for `--out`: a folder, or a path ending in a
/// separator (`--out pictures/`), gets the default name inside it.
pub fn single_file_target(out: &Path, format: ExportFormat) -> Option<PathBuf> {
    let default_name = format.file_name()?;
    let names_a_folder = out
        .as_os_str()
        .to_string_lossy()
        .ends_with(std::path::is_separator);
    Some(if out.is_dir() || names_a_folder {
        out.join(default_name)
    } else {
        out.to_path_buf()
    })
}

/// Writes the export and returns the files written.
pub fn export(graph: &dyn GraphRead, options: &ExportOptions) -> Result<Vec<PathBuf>, ExportError> {
    let selection = selection(graph, options)?;
    let files = plan(graph, &selection, options.format);
    let targets = destinations(options, &files)?;
    if !options.force {
        if let Some(existing) = targets.iter().find(|path| path.symlink_metadata().is_ok()) {
            return Err(ExportError::Exists {
                path: existing.clone(),
            });
        }
    }
    for (file, path) in files.into_iter().zip(&targets) {
        write_file(path, file.write)?;
    }
    Ok(targets)
}

/// What an export of `options` writes: the whole graph, or the neighbourhood of its
/// focus.
pub fn selection(graph: &dyn GraphRead, options: &ExportOptions) -> Result<Selection, ExportError> {
    match &options.focus {
        Some(focus) => Selection::around(graph, focus, options.depth),
        None => Ok(Selection::all(graph)),
    }
}

/// Renders a selection of the graph in one format into memory, without touching the
/// disk.
pub fn render(
    graph: &dyn GraphRead,
    selection: &Selection,
    format: ExportFormat,
) -> Result<Vec<OutputFile>, ExportError> {
    plan(graph, selection, format)
        .into_iter()
        .map(|file| {
            let mut contents = Vec::new();
            (file.write)(&mut contents).map_err(|e| ExportError::Encode(e.to_string()))?;
            Ok(OutputFile::new(file.name, contents))
        })
        .collect()
}

/// The files of a selection in one format, each with what writes it.
fn plan<'a>(
    graph: &'a dyn GraphRead,
    selection: &'a Selection,
    format: ExportFormat,
) -> Vec<PlannedFile<'a>> {
    match format {
        ExportFormat::Csv => csv_tables::plan(graph, selection),
        ExportFormat::Dot => vec![PlannedFile::new("graph.dot", |out| {
            dot::write(graph, selection, out)
        })],
        ExportFormat::Graphml => vec![PlannedFile::new("graph.graphml", |out| {
            graphml::write(graph, selection, out)
        })],
        ExportFormat::Neo4j => neo4j::plan(graph, selection),
        ExportFormat::Kuzu => kuzu::plan(graph, selection),
    }
}

/// The path of each planned file, creating the folders they go in.
fn destinations(
    options: &ExportOptions,
    files: &[PlannedFile],
) -> Result<Vec<PathBuf>, ExportError> {
    let out = &options.out;
    let folder_error = |source| ExportError::Write {
        path: out.clone(),
        source,
    };
    match options.format.file_name() {
        Some(_) => {
            let path = single_file_target(out, options.format).unwrap_or_else(|| out.clone());
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent).map_err(folder_error)?;
            }
            Ok(files.iter().map(|_| path.clone()).collect())
        }
        None => {
            if out.exists() && !out.is_dir() {
                return Err(ExportError::NotAFolder {
                    path: out.clone(),
                    format: options.format.as_str(),
                });
            }
            fs::create_dir_all(out).map_err(folder_error)?;
            Ok(files.iter().map(|file| out.join(&file.name)).collect())
        }
    }
}

/// Writes through a temporary file renamed into place, so that an interrupted export
/// leaves no half-written file and a symbolic link at the target is replaced rather
/// than followed out of the folder.
fn write_file(path: &Path, write: WriteFile) -> Result<(), ExportError> {
    let error = |source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = fs::File::create(&temporary)
        .and_then(|file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
            write(&mut out)?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()
        })
        .and_then(|()| fs::rename(&temporary, path));
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.map_err(error)
}

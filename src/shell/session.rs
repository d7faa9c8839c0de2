//! The shell's engine: the open graph, the output mode, parameters, limits, timer and
//! output file, and what each command does. It knows nothing of terminals: the line
//! editor, the piped-stdin reader, `.read`, `claimgraph run` and `claimgraph query` all
//! hand it complete inputs and print what it writes, so a dot-command or a query means
//! the same everywhere.

use super::command::{find_command, Command, CommandError, COMMANDS};
use super::input::{Statement, StatementReader};
use super::merge::merge;
use crate::corpus::{self, CorpusError, Document};
use crate::export::{self, ExportError, ExportOptions};
use crate::graph::{self, GraphRead, KnowledgeGraph, Label, RelType, StoreError, Value};
use crate::pipeline;
use crate::present::{self, OutputFormat, PresentOptions};
use crate::query::{self, Limits, Params, QueryError, ResultSet};
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How a query is answered; the real engine unless a test brings its own.
pub type Executor = fn(&dyn GraphRead, &str, &Params, &Limits) -> Result<ResultSet, QueryError>;

/// How deep `.read` may nest before the shell suspects a script that reads itself.
const MAX_READ_DEPTH: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    #[error(transparent)]
    Command(#[from] CommandError),
    /// A query error; shown with the statement's faulty line and a caret under the fault.
    #[error("{}", render_query_error(.error, .text))]
    Query { error: QueryError, text: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the results: {0}")]
    Output(std::io::Error),
    #[error("{failed} of {total} statements in {path} failed")]
    Script {
        path: PathBuf,
        failed: usize,
        total: usize,
    },
    #[error(".read is nested {MAX_READ_DEPTH} scripts deep; does a script read itself?")]
    TooDeep,
    #[error("no command .{0}; .help lists the commands")]
    NoHelp(String),
    #[error("line editor: {0}")]
    Editor(#[from] rustyline::error::ReadlineError),
}

/// Where the session writes: results and listings to `out`, messages to `err`.
pub struct Console<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

impl Console<'_> {
    /// Runs `work` with a console on the process's standard output and error.
    pub fn with_std<R>(work: impl FnOnce(&mut Console) -> R) -> R {
        let stdout = std::io::stdout();
        let stderr = std::io::stderr();
        let mut out = stdout.lock();
        let mut err = stderr.lock();
        work(&mut Console {
            out: &mut out,
            err: &mut err,
        })
    }
}

/// Whether the shell goes on after a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// What running a script did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScriptOutcome {
    pub statements: usize,
    pub failed: usize,
    pub quit: bool,
    /// The script stopped at a failed statement (the session does not keep going).
    pub stopped: bool,
}

/// How a session prints and what it allows; the shell's defaults, which `claimgraph run`
/// and `claimgraph query` change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    pub format: OutputFormat,
    pub limits: Limits,
    /// Print the time taken (and the row count) after each statement.
    pub timer: bool,
    /// Print "(N rows)" under each table.
    pub row_count: bool,
    /// Print each statement above its table, so a long output says what answers what.
    pub echo: bool,
    /// Run the rest of a script after a failed statement.
    pub keep_going: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            format: OutputFormat::Table,
            limits: Limits::default(),
            timer: false,
            row_count: false,
            echo: false,
            keep_going: true,
        }
    }
}

/// Results redirected by `.output FILE`.
struct OutputFile {
    path: PathBuf,
    writer: BufWriter<File>,
}

pub struct Session {
    graph: KnowledgeGraph,
    graph_path: PathBuf,
    /// The articles loaded in this session, to rebuild the graph from on `.load`.
    documents: Vec<Document>,
    settings: Settings,
    params: Params,
    output: Option<OutputFile>,
    executor: Executor,
    /// Bumped whenever the graph or the parameters change, so completion can refresh.
    generation: u64,
    read_depth: usize,
    /// The script and line being run, which messages name.
    location: Option<(String, usize)>,
    /// The terminal's width when results go to one, so wide tables fit it.
    terminal_width: Option<usize>,
}

impl Session {
    /// A session over `graph`, which `.load` saves to `graph_path`.
    pub fn new(graph: KnowledgeGraph, graph_path: PathBuf) -> Session {
        Session {
            graph,
            graph_path,
            documents: Vec::new(),
            settings: Settings::default(),
            params: Params::new(),
            output: None,
            executor: query::execute_with_limits,
            generation: 0,
            read_depth: 0,
            location: None,
            terminal_width: None,
        }
    }

    /// Tells the session how wide the terminal its results go to is (`None`: not a
    /// terminal); tables then fit that width, except those written to an `.output` file.
    pub fn set_terminal_width(&mut self, width: Option<usize>) {
        self.terminal_width = width;
    }

    /// Changes how the session prints and what it allows.
    pub fn with_settings(mut self, settings: Settings) -> Session {
        self.settings = settings;
        self
    }

    /// Opens the graph file, or starts with an empty graph when there is none yet; the
    /// second value is a notice for the user when the graph is empty.
    pub fn open(graph_path: &Path) -> Result<(Session, Option<String>), ShellError> {
        if graph_path.exists() {
            let graph = graph::load(graph_path)?;
            return Ok((Session::new(graph, graph_path.to_path_buf()), None));
        }
        let notice = format!(
            "no graph at {} yet: starting with an empty graph; `.load PATH` reads articles and saves the graph there",
            graph_path.display()
        );
        Ok((
            Session::new(KnowledgeGraph::new(), graph_path.to_path_buf()),
            Some(notice),
        ))
    }

    /// Replaces the query engine, so tests can check dispatch without real answers.
    pub fn with_executor(mut self, executor: Executor) -> Session {
        self.executor = executor;
        self
    }

    pub fn graph(&self) -> &KnowledgeGraph {
        &self.graph
    }

    pub fn graph_path(&self) -> &Path {
        &self.graph_path
    }

    pub fn format(&self) -> OutputFormat {
        self.settings.format
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn timer(&self) -> bool {
        self.settings.timer
    }

    /// Changes whenever completion data (graph names, parameter names) may have changed.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Parses and runs one complete input (which may hold several `;`-separated
    /// statements).
    pub fn run(&mut self, input: &str, console: &mut Console) -> Result<Flow, ShellError> {
        for text in super::input::split_statements(input) {
            let command = Command::parse(text)?;
            if self.execute(command, console)? == Flow::Quit {
                return Ok(Flow::Quit);
            }
        }
        Ok(Flow::Continue)
    }

    /// Runs one parsed command, timing it when the timer is on.
    pub fn execute(&mut self, command: Command, console: &mut Console) -> Result<Flow, ShellError> {
        // A query prints its own time with its rows.
        let timed = self.settings.timer
            && !matches!(
                command,
                Command::Timer(_) | Command::Empty | Command::Query(_)
            );
        let started = Instant::now();
        let flow = match command {
            Command::Empty => Flow::Continue,
            Command::Query(text) => {
                self.query(&text, console)?;
                Flow::Continue
            }
            Command::Help(topic) => {
                self.help(topic.as_deref(), console)?;
                Flow::Continue
            }
            Command::Mode(Some(format)) => {
                self.settings.format = format;
                Flow::Continue
            }
            Command::Mode(None) => {
                let name = format_name(self.settings.format);
                self.print(console, &format!("{name}\n"))?;
                Flow::Continue
            }
            Command::Param(Some((name, value))) => {
                self.params.insert(name, value);
                self.generation += 1;
                Flow::Continue
            }
            Command::Param(None) => {
                let mut listing = String::new();
                for (name, value) in &self.params {
                    listing.push_str(&format!("${name} = {}\n", render_value(value)));
                }
                self.print(console, &listing)?;
                Flow::Continue
            }
            Command::Timer(Some(on)) => {
                self.settings.timer = on;
                Flow::Continue
            }
            Command::Timer(None) => {
                let state = if self.settings.timer { "on\n" } else { "off\n" };
                self.print(console, state)?;
                Flow::Continue
            }
            Command::Limit(Some(rows)) => {
                self.settings.limits.max_rows = rows;
                Flow::Continue
            }
            Command::Limit(None) => {
                let text = match self.settings.limits.max_rows {
                    Some(rows) => format!("{rows} rows\n"),
                    None => "off\n".to_string(),
                };
                self.print(console, &text)?;
                Flow::Continue
            }
            Command::Timeout(Some(limit)) => {
                self.settings.limits.timeout = limit;
                Flow::Continue
            }
            Command::Timeout(None) => {
                let text = match self.settings.limits.timeout {
                    Some(limit) => format!("{} s\n", limit.as_secs_f64()),
                    None => "off\n".to_string(),
                };
                self.print(console, &text)?;
                Flow::Continue
            }
            Command::Output(path) => {
                self.redirect(path, console)?;
                Flow::Continue
            }
            Command::Export { format, path } => {
                let options = ExportOptions {
                    format,
                    out: path,
                    focus: None,
                    depth: 2,
                    force: false,
                };
                for file in export::export(&self.graph, &options)? {
                    message(console, &format!("wrote {}", file.display()));
                }
                Flow::Continue
            }
            Command::Read(path) => {
                self.read(&path, console)?;
                Flow::Continue
            }
            Command::Load(path) => {
                self.load(&path, console)?;
                Flow::Continue
            }
            Command::Stats => {
                let text = stats_text(&self.graph);
                self.print(console, &text)?;
                Flow::Continue
            }
            Command::Schema => {
                let text = schema_text(&self.graph);
                self.print(console, &text)?;
                Flow::Continue
            }
            Command::Quit => Flow::Quit,
        };
        if timed {
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            message(console, &format!("time {elapsed:.3} ms"));
        }
        Ok(flow)
    }

    /// Runs the statements of a script file; `name` is how messages call it.
    pub fn run_file(
        &mut self,
        path: &Path,
        name: &str,
        console: &mut Console,
    ) -> Result<ScriptOutcome, ShellError> {
        let file = File::open(path).map_err(|source| ShellError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        self.run_script(BufReader::new(file), name, console)
    }

    /// Runs every statement read from `reader`, printing each error as
    /// `source:line:column: message` (with a caret drawing for query errors). It goes on
    /// after an error when the settings say to keep going, so one bad statement does not
    /// hide the others' results; else it stops there.
    pub fn run_script(
        &mut self,
        reader: impl BufRead,
        source: &str,
        console: &mut Console,
    ) -> Result<ScriptOutcome, ShellError> {
        let mut outcome = ScriptOutcome::default();
        let mut statements = StatementReader::new();
        let mut lines = reader.lines();
        let mut finished = false;
        while !finished {
            let batch: Vec<Statement> = match lines.next() {
                Some(Ok(line)) => statements.push_line(&line),
                Some(Err(source_error)) => {
                    return Err(ShellError::Read {
                        path: PathBuf::from(source),
                        source: source_error,
                    })
                }
                None => {
                    finished = true;
                    statements.finish().into_iter().collect()
                }
            };
            for statement in batch {
                outcome.statements += 1;
                let outer = self.location.replace((source.to_string(), statement.line));
                let result = Command::parse(&statement.text)
                    .map_err(ShellError::from)
                    .and_then(|command| self.execute(command, console));
                self.location = outer;
                match result {
                    Ok(Flow::Quit) => {
                        outcome.quit = true;
                        return Ok(outcome);
                    }
                    Ok(Flow::Continue) => {}
                    Err(error) => {
                        outcome.failed += 1;
                        message(console, &script_error(source, &statement, &error));
                        if !self.settings.keep_going {
                            outcome.stopped = true;
                            return Ok(outcome);
                        }
                    }
                }
            }
        }
        Ok(outcome)
    }

    /// Writes listing text to the results stream.
    fn print(&mut self, console: &mut Console, text: &str) -> Result<(), ShellError> {
        let out = self.results_writer(console);
        out.write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .map_err(ShellError::Output)
    }

    fn results_writer<'a>(&'a mut self, console: &'a mut Console) -> &'a mut dyn Write {
        match &mut self.output {
            Some(file) => &mut file.writer,
            None => &mut *console.out,
        }
    }

    /// Answers a question or a Cypher query; returns the number of rows.
    pub fn query(&mut self, text: &str, console: &mut Console) -> Result<usize, ShellError> {
        let started = Instant::now();
        let results = (self.executor)(&self.graph, text, &self.params, &self.settings.limits)
            .map_err(|error| ShellError::Query {
                error,
                text: text.to_string(),
            })?;
        let elapsed = started.elapsed();
        for note in &results.notes {
            let prefix = match &self.location {
                Some((source, line)) => format!("{source}:{line}: "),
                None => String::new(),
            };
            message(console, &format!("{prefix}note: {note}"));
        }
        let settings = self.settings;
        let table = settings.format == OutputFormat::Table;
        let options = PresentOptions {
            row_count: settings.row_count || settings.timer,
            elapsed: settings.timer.then_some(elapsed),
            max_table_width: self.terminal_width.filter(|_| self.output.is_none()),
            ..PresentOptions::default()
        };
        let out = self.results_writer(console);
        let written = (|| {
            if settings.echo && table {
                let one_line: Vec<&str> = text.split_whitespace().collect();
                writeln!(out, "-- {}", one_line.join(" "))?;
            }
            present::write_results_with(&results, settings.format, &options, out)?;
            if settings.echo && table {
                writeln!(out)?;
            }
            out.flush()
        })();
        written.map_err(ShellError::Output)?;
        // CSV and JSON Lines stay clean for other programs: the footer goes to stderr.
        if settings.timer && !table {
            message(console, &footer(results.rows.len(), elapsed));
        }
        Ok(results.rows.len())
    }

    fn help(&mut self, topic: Option<&str>, console: &mut Console) -> Result<(), ShellError> {
        let text = match topic {
            Some(name) => {
                let command = find_command(name).ok_or_else(|| ShellError::NoHelp(name.into()))?;
                format!(".{} {}\n  {}\n", command.name, command.usage, command.help)
            }
            None => help_text(),
        };
        self.print(console, &text)
    }

    fn redirect(&mut self, path: Option<PathBuf>, console: &mut Console) -> Result<(), ShellError> {
        if let Some(mut previous) = self.output.take() {
            previous
                .writer
                .flush()
                .map_err(|source| ShellError::Write {
                    path: previous.path.clone(),
                    source,
                })?;
        }
        let Some(path) = path else {
            message(console, "results go to standard output");
            return Ok(());
        };
        let file = File::create(&path).map_err(|source| ShellError::Write {
            path: path.clone(),
            source,
        })?;
        message(console, &format!("results go to {}", path.display()));
        self.output = Some(OutputFile {
            path,
            writer: BufWriter::new(file),
        });
        Ok(())
    }

    fn read(&mut self, path: &Path, console: &mut Console) -> Result<(), ShellError> {
        if self.read_depth >= MAX_READ_DEPTH {
            return Err(ShellError::TooDeep);
        }
        self.read_depth += 1;
        let outcome = self.run_file(path, &path.display().to_string(), console);
        self.read_depth -= 1;
        let outcome = outcome?;
        if outcome.failed > 0 {
            return Err(ShellError::Script {
                path: path.to_path_buf(),
                failed: outcome.failed,
                total: outcome.statements,
            });
        }
        Ok(())
    }

    /// Adds the articles under `path` to the graph and saves it. The graph is rebuilt from
    /// every article when the session has them all, so cross-article resolution sees the
    /// new ones; a graph opened from a file has articles the session never read, and then
    /// the new articles' graph is merged into it.
    fn load(&mut self, path: &Path, console: &mut Console) -> Result<(), ShellError> {
        let corpus = corpus::read_corpus(&[path.to_path_buf()])?;
        for problem in &corpus.problems {
            message(
                console,
                &format!("warning: {}: {}", problem.path.display(), problem.message),
            );
        }
        let in_graph: HashSet<String> = self
            .graph
            .nodes_with_label(Label::Document)
            .into_iter()
            .map(|id| self.graph.node(id).name.clone())
            .collect();
        let (new, repeated): (Vec<Document>, Vec<Document>) =
            corpus.documents.into_iter().partition(|d| {
                !in_graph.contains(&d.id) && !self.documents.iter().any(|o| o.id == d.id)
            });
        let repeated = if repeated.is_empty() {
            String::new()
        } else {
            format!(" ({} already in the graph)", repeated.len())
        };
        if new.is_empty() {
            message(
                console,
                &format!("no new articles under {}{repeated}", path.display()),
            );
            return Ok(());
        }
        let added = new.len();
        let have_every_article = in_graph
            .iter()
            .all(|id| self.documents.iter().any(|d| &d.id == id));
        if have_every_article {
            self.documents.extend(new);
            self.graph = pipeline::build_graph(&self.documents);
        } else {
            let addition = pipeline::build_graph(&new);
            merge(&mut self.graph, &addition);
            self.documents.extend(new);
        }
        self.generation += 1;
        // Never replace something that is not a graph file (a folder, a device, an article).
        graph::check_overwritable(&self.graph_path)?;
        graph::save(&self.graph, &self.graph_path)?;
        message(
            console,
            &format!(
                "added {added} articles from {}{repeated}; saved {}: {} nodes, {} edges",
                path.display(),
                self.graph_path.display(),
                self.graph.node_count(),
                self.graph.edge_count()
            ),
        );
        Ok(())
    }

    /// Flushes a redirected output file.
    /// Takes the graph out of the session, leaving it an empty one.
    pub fn take_graph(&mut self) -> KnowledgeGraph {
        std::mem::take(&mut self.graph)
    }

    pub fn close(&mut self) -> Result<(), ShellError> {
        if let Some(mut file) = self.output.take() {
            file.writer.flush().map_err(|source| ShellError::Write {
                path: file.path,
                source,
            })?;
        }
        Ok(())
    }
}

/// A query error as the shell shows it: position, message, the faulty line and a caret.
fn render_query_error(error: &QueryError, text: &str) -> String {
    let rendered = error.render(text);
    rendered
        .strip_prefix("error: ")
        .unwrap_or(&rendered)
        .to_string()
}

/// A failed script statement: `source:line:column: message`, and for query errors the
/// faulty line numbered as in the file, with a caret under the fault.
fn script_error(source: &str, statement: &Statement, error: &ShellError) -> String {
    match error {
        ShellError::Query { error, text } => {
            let (line, column) = error.location(text);
            format!(
                "{source}:{}:{column}: {}\n{}",
                statement.line + line - 1,
                error.message(),
                error.drawing(text, statement.line)
            )
        }
        other => {
            let column = statement.text.len() - statement.text.trim_start().len() + 1;
            format!("{source}:{}:{column}: {other}", statement.line)
        }
    }
}

/// "(N rows, T ms)", as under a table.
fn footer(rows: usize, elapsed: Duration) -> String {
    format!(
        "({rows} row{}, {:.3} ms)",
        if rows == 1 { "" } else { "s" },
        elapsed.as_secs_f64() * 1000.0
    )
}

/// A message for the user on the error stream: confirmations, warnings, timings.
fn message(console: &mut Console, text: &str) {
    // A closed error stream leaves nobody to tell, so the failure is dropped.
    let _ = writeln!(console.err, "{text}");
}

fn format_name(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Table => "table",
        OutputFormat::Csv => "csv",
        OutputFormat::Json => "json",
    }
}

/// A parameter value as `.param` would accept it back.
fn render_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Str(text) => format!("'{}'", text.replace('\'', "\\'")),
        other => other.to_string(),
    }
}

/// The `.help` listing, from the command table.
pub fn help_text() -> String {
    let mut text = String::from(
        "Ask a question (who reported desertions in Luhansk) or run Cypher ending with ;\n\
         (MATCH (p:Person) RETURN p.name;). Tab completes, Ctrl-C cancels a line, Ctrl-D leaves.\n\n",
    );
    let width = COMMANDS
        .iter()
        .map(|c| c.name.len() + c.usage.len() + 2)
        .max()
        .unwrap_or(0);
    for command in COMMANDS {
        let synopsis = format!(".{} {}", command.name, command.usage);
        text.push_str(&format!("{synopsis:<width$}  {}\n", command.help));
    }
    text
}

/// The `.stats` listing: the same counts as `claimgraph stats`.
pub fn stats_text(graph: &KnowledgeGraph) -> String {
    let stats = graph.stats();
    let mut text = format!("nodes {}\n", stats.node_total());
    // `Label` and `RelType` print with `write_str`, which ignores widths: pad their names.
    for (label, count) in &stats.nodes {
        text.push_str(&format!("  {:<14} {count}\n", label.as_str()));
    }
    text.push_str(&format!("edges {}\n", stats.edge_total()));
    for (rel, count) in &stats.edges {
        text.push_str(&format!("  {:<16} {count}\n", rel.as_str()));
    }
    text.push_str(&format!("mentions {}\n", stats.mentions));
    text
}

/// The `.schema` listing: every label with its properties and count, every relationship
/// type with its properties and count.
pub fn schema_text(graph: &KnowledgeGraph) -> String {
    let stats = graph.stats();
    let mut text = String::from("labels\n");
    for label in Label::ALL {
        let count = stats.nodes.get(&label).copied().unwrap_or(0);
        text.push_str(&format!(
            "  {:<14} {:>6}  {}\n",
            label.as_str(),
            count,
            label.property_names().join(", ")
        ));
    }
    text.push_str("relationship types\n");
    for rel in RelType::ALL {
        let count = stats.edges.get(&rel).copied().unwrap_or(0);
        text.push_str(&format!(
            "  {:<16} {:>6}  {}\n",
            rel.as_str(),
            count,
            rel.property_names().join(", ")
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Node, NodeData};

    /// Answers every query with the statement it received and the parameters, so the
    /// tests see what reached the engine.
    fn echo(
        _: &dyn GraphRead,
        input: &str,
        params: &Params,
        _: &Limits,
    ) -> Result<ResultSet, QueryError> {
        if input.contains("fail") {
            return Err(QueryError::Syntax {
                line: 1,
                column: 1,
                message: "told to fail".into(),
            });
        }
        let params: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        // The result set is gaining fields (notes); the update keeps this test compiling.
        #[allow(clippy::needless_update)]
        Ok(ResultSet {
            columns: vec!["statement".into(), "params".into()],
            rows: vec![vec![Value::Str(input.into()), Value::Str(params.join(","))]],
            ..ResultSet::default()
        })
    }

    fn session(folder: &Path) -> Session {
        let mut graph = KnowledgeGraph::new();
        graph.add_node(Node {
            name: "Vladyslav Voloshyn".into(),
            aliases: Vec::new(),
            data: NodeData::Person { roles: Vec::new() },
        });
        Session::new(graph, folder.join("test.cgraph")).with_executor(echo)
    }

    /// Runs a script and returns (stdout, stderr, outcome).
    fn script(session: &mut Session, text: &str) -> (String, String, ScriptOutcome) {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let outcome = session
            .run_script(
                text.as_bytes(),
                "test",
                &mut Console {
                    out: &mut out,
                    err: &mut err,
                },
            )
            .unwrap();
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
            outcome,
        )
    }

    #[test]
    fn multi_line_cypher_reaches_the_engine_as_one_statement() {
        let folder = tempfile::tempdir().unwrap();
        let mut session = session(folder.path());
        let (out, err, outcome) = script(
            &mut session,
            "MATCH (p:Person)\n// only names\nRETURN p.name;\nwho is Voloshyn\n",
        );
        assert_eq!(err, "");
        assert_eq!(outcome.statements, 2);
        // The table writer shows the statement on one line; the comment line is blanked
        // (so later lines keep their numbers).
        assert!(out.contains("MATCH (p:Person)  RETURN p.name"), "{out}");
        assert!(!out.contains("only names"), "{out}");
        assert!(out.contains("who is Voloshyn"), "{out}");
    }

    #[test]
    fn params_reach_the_engine_typed() {
        let folder = tempfile::tempdir().unwrap();
        let mut session = session(folder.path());
        let (out, _, outcome) = script(
            &mut session,
            ".param place Luhansk\n.param $n 3\nMATCH (x) RETURN x;\n.param\n",
        );
        assert_eq!(outcome.failed, 0);
        assert!(out.contains("n=Int(3),place=Str(\"Luhansk\")"), "{out}");
        assert!(out.ends_with("$n = 3\n$place = 'Luhansk'\n"), "{out}");
    }

    #[test]
    fn mode_and_timer_change_what_is_printed() {
        let folder = tempfile::tempdir().unwrap();
        let mut session = session(folder.path());
        let (out, err, _) = script(
            &mut session,
            ".mode json\n.timer on\nwho is Voloshyn\n.mode\n",
        );
        assert_eq!(session.format(), OutputFormat::Json);
        assert!(session.timer());
        assert!(out.starts_with('{'), "{out}");
        assert!(out.ends_with("json\n"), "{out}");
        // JSON Lines stay clean: the row count and time go to stderr.
        assert!(err.contains("(1 row, ") && err.contains(" ms)"), "{err}");
    }

    #[test]
    fn errors_are_counted_with_their_line_and_the_script_goes_on() {
        let folder = tempfile::tempdir().unwrap();
        let mut session = session(folder.path());
        let (out, err, outcome) = script(&mut session, "who is fail\n.mdoe csv\nwho is Voloshyn\n");
        assert_eq!(outcome.statements, 3);
        assert_eq!(outcome.failed, 2);
        assert!(
            err.contains("test:1:1: told to fail\n  |\n1 | who is fail\n  | ^\n"),
            "{err}"
        );
        assert!(
            err.contains("test:2:1: unknown command .mdoe (did you mean .mode?)"),
            "{err}"
        );
        assert!(out.contains("who is Voloshyn"));
    }

    #[test]
    fn quit_stops_the_script() {
        let folder = tempfile::tempdir().unwrap();
        let mut session = session(folder.path());
        let (out, _, outcome) = script(&mut session, ".quit\nwho is Voloshyn\n");
        assert!(outcome.quit);
        assert_eq!(out, "");
    }

    #[test]
    fn output_redirects_results_to_a_file_and_back() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("answers.txt");
        let mut session = session(folder.path());
        let text = format!(
            ".output {}\nwho is Voloshyn\n.output\nwhat is Luhansk\n",
            file.display()
        );
        let (out, err, _) = script(&mut session, &text);
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(written.contains("who is Voloshyn"));
        assert!(!written.contains("what is Luhansk"));
        assert!(out.contains("what is Luhansk") && !out.contains("who is Voloshyn"));
        assert!(err.contains("results go to standard output"));
    }

    #[test]
    fn read_runs_a_script_file_and_reports_its_failures() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("q.kgq");
        std::fs::write(&file, "who is Voloshyn\nwho is fail\n").unwrap();
        let mut session = session(folder.path());
        let (out, err, outcome) = script(&mut session, &format!(".read {}\n", file.display()));
        assert!(out.contains("who is Voloshyn"));
        assert!(err.contains("q.kgq:2:1: told to fail"), "{err}");
        assert!(err.contains("1 of 2 statements in"), "{err}");
        assert_eq!(outcome.failed, 1);
    }

    #[test]
    fn a_script_that_reads_itself_stops() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("loop.kgq");
        std::fs::write(&file, format!(".read {}\n", file.display())).unwrap();
        let mut session = session(folder.path());
        let (_, err, outcome) = script(&mut session, &format!(".read {}\n", file.display()));
        assert_eq!(outcome.failed, 1);
        assert!(err.contains("nested 16 scripts deep"), "{err}");
    }

    #[test]
    fn load_adds_articles_saves_the_graph_and_skips_repeats() {
        let folder = tempfile::tempdir().unwrap();
        let articles = folder.path().join("articles");
        std::fs::create_dir(&articles).unwrap();
        std::fs::write(articles.join("one.txt"), "First article.").unwrap();
        std::fs::write(articles.join("two.txt"), "Second article.").unwrap();
        let graph_path = folder.path().join("new.cgraph");
        let (mut session, notice) = Session::open(&graph_path).unwrap();
        assert!(notice.unwrap().contains("starting with an empty graph"));

        let (_, err, outcome) = script(&mut session, &format!(".load {}\n", articles.display()));
        assert_eq!(outcome.failed, 0, "{err}");
        assert!(err.contains("added 2 articles"), "{err}");
        let saved = graph::load(&graph_path).unwrap();
        assert_eq!(saved.nodes_with_label(Label::Document).len(), 2);

        std::fs::write(articles.join("three.txt"), "Third article.").unwrap();
        let (_, err, _) = script(&mut session, &format!(".load {}\n", articles.display()));
        assert!(
            err.contains("added 1 articles") && err.contains("(2 already in the graph)"),
            "{err}"
        );
        assert_eq!(session.graph().nodes_with_label(Label::Document).len(), 3);

        // A graph opened from the file: its articles are merged with the new ones.
        let (mut reopened, notice) = Session::open(&graph_path).unwrap();
        assert_eq!(notice, None);
        let more = folder.path().join("more");
        std::fs::create_dir(&more).unwrap();
        std::fs::write(more.join("four.txt"), "Fourth article.").unwrap();
        let (_, err, _) = script(&mut reopened, &format!(".load {}\n", more.display()));
        assert!(err.contains("added 1 articles"), "{err}");
        let saved = graph::load(&graph_path).unwrap();
        assert_eq!(saved.nodes_with_label(Label::Document).len(), 4);
    }

    #[test]
    fn help_stats_and_schema_describe_the_shell_and_graph() {
        let folder = tempfile::tempdir().unwrap();
        let mut session = session(folder.path());
        let (out, _, _) = script(&mut session, ".help\n.help .mode\n.stats\n.schema\n");
        for command in COMMANDS {
            assert!(
                out.contains(&format!(".{} ", command.name)),
                "{}",
                command.name
            );
        }
        assert!(out.contains(".mode table|csv|json\n  choose how results are printed"));
        assert!(out.contains("nodes 1\n  Person         1\n"), "{out}");
        assert!(
            out.contains("Person              1  name, aliases, roles"),
            "{out}"
        );
        assert!(out.contains("AFFILIATED_WITH       0  role"), "{out}");
    }

    #[test]
    fn script_errors_name_file_line_and_column_and_draw_the_line() {
        let statement = Statement {
            line: 4,
            text: "MATCH (p:Person)\nRETURN q.name".into(),
        };
        let error = ShellError::Query {
            error: QueryError::Syntax {
                line: 2,
                column: 8,
                message: "unknown variable 'q'".into(),
            },
            text: statement.text.clone(),
        };
        assert_eq!(
            script_error("a.kgq", &statement, &error),
            "a.kgq:5:8: unknown variable 'q'\n  |\n5 | RETURN q.name\n  |        ^"
        );
        let statement = Statement {
            line: 2,
            text: "  .mdoe csv".into(),
        };
        let error = ShellError::Command(Command::parse(".mdoe csv").unwrap_err());
        assert_eq!(
            script_error("a.kgq", &statement, &error),
            "a.kgq:2:3: unknown command .mdoe (did you mean .mode?); .help lists the commands"
        );
    }

    #[test]
    fn a_session_that_does_not_keep_going_stops_at_the_first_error() {
        let folder = tempfile::tempdir().unwrap();
        let mut session = session(folder.path()).with_settings(Settings {
            keep_going: false,
            ..Settings::default()
        });
        let (out, err, outcome) = script(&mut session, "who is fail\nwho is Voloshyn\n");
        assert!(outcome.stopped);
        assert_eq!((outcome.statements, outcome.failed), (1, 1));
        assert_eq!(out, "");
        assert!(err.starts_with("test:1:1: told to fail"), "{err}");
    }

    #[test]
    fn limit_and_timeout_change_the_limits_the_engine_gets() {
        let folder = tempfile::tempdir().unwrap();
        let mut session = session(folder.path());
        let (out, _, outcome) = script(
            &mut session,
            ".limit\n.timeout\n.limit 5\n.timeout 0.25\n.limit\n.timeout\n.limit off\n.timeout off\n.limit\n.timeout\n",
        );
        assert_eq!(outcome.failed, 0);
        assert_eq!(out, "10000 rows\n10 s\n5 rows\n0.25 s\noff\noff\n");
        assert_eq!(
            session.settings().limits,
            Limits {
                max_rows: None,
                timeout: None
            }
        );
    }

    #[test]
    fn echo_and_row_count_frame_each_table() {
        let folder = tempfile::tempdir().unwrap();
        let mut session = session(folder.path()).with_settings(Settings {
            echo: true,
            row_count: true,
            ..Settings::default()
        });
        let (out, _, _) = script(&mut session, "who   is Voloshyn\n");
        assert!(out.starts_with("-- who is Voloshyn\nstatement"), "{out}");
        assert!(out.ends_with("(1 row)\n\n"), "{out}");
    }

    #[test]
    fn generation_changes_when_params_change() {
        let folder = tempfile::tempdir().unwrap();
        let mut session = session(folder.path());
        let before = session.generation();
        script(&mut session, ".param a 1\n");
        assert_ne!(session.generation(), before);
    }
}

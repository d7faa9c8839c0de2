//! Questions and a Cypher subset, compiled to one pattern syntax tree, planned and
//! executed over a [`GraphRead`].
//!
//! Stages, each printable: [`lexer`] tokens, [`ast`] syntax tree (prints as Cypher),
//! [`plan`] operators, [`execute`](mod@execute) rows. [`forms`] turns the question forms of DESIGN.md
//! into the same syntax tree the [`parser`] builds, and [`explain`](mod@explain) shows all of it
//! together with the provenance of each answer.

pub mod ast;
pub mod execute;
pub mod explain;
pub mod forms;
pub mod lexer;
pub mod parser;
pub mod plan;

use crate::graph::{GraphRead, Value};
use std::collections::BTreeMap;
use std::time::Duration;

pub use explain::explain;

/// Named query parameters (`$name`).
pub type Params = BTreeMap<String, Value>;

/// The most rows an answer shows unless told otherwise (`.limit N`, `--max-rows N`).
pub const DEFAULT_MAX_ROWS: usize = 10_000;
/// How long a query may run unless told otherwise (`.timeout SECONDS`, `--timeout`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// What one query may cost: how many rows its answer shows and how long it may run.
/// `None` lifts a limit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    pub max_rows: Option<usize>,
    pub timeout: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: Some(DEFAULT_MAX_ROWS),
            timeout: Some(DEFAULT_TIMEOUT),
        }
    }
}

/// The note added to an answer cut at the row limit.
pub fn stopped_note(max_rows: usize) -> String {
    format!(
        "stopped at {max_rows} rows (the row limit); raise it with .limit N or --max-rows N, or add LIMIT"
    )
}

/// The answer to a query: named columns and rows of values, with messages for the user
/// (an unknown name and its suggestion) and, for `explain`, the text shown before rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    /// Messages for stderr: unknown names with suggestions, and the like.
    pub notes: Vec<String>,
    /// For `explain`: the Cypher and the plan, printed before the rows in table mode.
    pub explanation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("line {line}, column {column}: {message}")]
    Unsupported {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("missing parameter ${0}; set it first (in the shell or a script: .param {0} VALUE)")]
    MissingParameter(String),
    #[error("{0}")]
    Runtime(String),
    #[error("the query was stopped after {seconds} s (the time limit); add conditions or a label, or raise the limit with .timeout SECONDS or --timeout SECONDS")]
    Timeout { seconds: f64 },
    #[error("{0}")]
    Question(String),
}

impl QueryError {
    /// The 1-based line of the fault, 1 when the error has no position.
    pub fn line(&self) -> usize {
        match self {
            QueryError::Syntax { line, .. } | QueryError::Unsupported { line, .. } => *line,
            _ => 1,
        }
    }

    /// The 1-based column of the fault, 1 when the error has no position.
    pub fn column(&self) -> usize {
        match self {
            QueryError::Syntax { column, .. } | QueryError::Unsupported { column, .. } => *column,
            _ => 1,
        }
    }

    /// The message without the position.
    pub fn message(&self) -> String {
        match self {
            QueryError::Syntax { message, .. } | QueryError::Unsupported { message, .. } => {
                message.clone()
            }
            other => other.to_string(),
        }
    }

    /// Where the fault is in `input`: its own position, or for a missing parameter the
    /// place the parameter is written.
    pub fn location(&self, input: &str) -> (usize, usize) {
        if let QueryError::MissingParameter(name) = self {
            if let Some(offset) = find_parameter(input, name) {
                let before = &input[..offset];
                let line = before.matches('\n').count() + 1;
                let column = before
                    .rsplit('\n')
                    .next()
                    .map(|l| l.chars().count())
                    .unwrap_or(0)
                    + 1;
                return (line, column);
            }
        }
        (self.line(), self.column())
    }

    /// The message, the source line and a caret under the fault:
    ///
    /// ```text
    /// error: line 1, column 10: unknown label 'Persn'; labels are ...
    ///   |
    /// 1 | MATCH (p:Persn) RETURN p
    ///   |          ^
    /// ```
    pub fn render(&self, input: &str) -> String {
        self.render_from_line(input, 1)
    }

    /// Like [`QueryError::render`], for an input that starts at line `first_line` of a
    /// file: the drawing numbers the source line as the file does.
    pub fn render_from_line(&self, input: &str, first_line: usize) -> String {
        let (line, column) = self.location(input);
        format!(
            "error: line {}, column {column}: {}\n{}",
            line + first_line - 1,
            self.message(),
            self.drawing(input, first_line)
        )
    }

    /// The faulty line of `input`, numbered from `first_line`, with a caret under the
    /// fault (tabs before it kept, so the caret lines up in a terminal).
    pub fn drawing(&self, input: &str, first_line: usize) -> String {
        let (line, column) = self.location(input);
        let source = input.lines().nth(line - 1).unwrap_or("");
        let number = (line + first_line - 1).to_string();
        let gutter = " ".repeat(number.len());
        let caret_pad: String = source
            .chars()
            .take(column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        format!("{gutter} |\n{number} | {source}\n{gutter} | {caret_pad}^")
    }
}

fn find_parameter(input: &str, name: &str) -> Option<usize> {
    let needle = format!("${name}");
    input.match_indices(&needle).map(|(i, _)| i).find(|i| {
        !input[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// What an input is: a question form, or Cypher, optionally under `explain`.
pub(crate) enum Statement {
    Question(forms::Form),
    Cypher(ast::Query),
}

/// Parses a question or a Cypher query (without `explain`).
pub(crate) fn parse_statement(graph: &dyn GraphRead, input: &str) -> Result<Statement, QueryError> {
    if let Some(form) = forms::parse_question(graph, input)? {
        return Ok(Statement::Question(form));
    }
    parser::parse_query(input)
        .map(Statement::Cypher)
        .map_err(|error| {
            // A parse error at the very first word most likely means an unknown question.
            if error.line() == 1
                && error.column() == first_word_column(input)
                && !looks_like_cypher(input)
            {
                QueryError::Question(format!(
                    "cannot understand '{}'; ask one of: {}; or write Cypher starting with MATCH",
                    input.trim(),
                    forms::FORMS.join(", ")
                ))
            } else {
                error
            }
        })
}

fn first_word_column(input: &str) -> usize {
    let first_line = input.lines().next().unwrap_or("");
    first_line.chars().take_while(|c| c.is_whitespace()).count() + 1
}

/// True when the input starts with a Cypher clause keyword rather than a question.
pub fn looks_like_cypher(input: &str) -> bool {
    let first = input
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    matches!(
        first.as_str(),
        "MATCH"
            | "OPTIONAL"
            | "RETURN"
            | "CREATE"
            | "MERGE"
            | "DELETE"
            | "DETACH"
            | "SET"
            | "REMOVE"
            | "WITH"
            | "UNWIND"
            | "CALL"
            | "FOREACH"
            | "LOAD"
            | "DROP"
            | "USE"
    )
}

/// Blanks out a leading `explain` keyword; blanks rather than cuts, so that error
/// positions in the rest still count from the start of the input.
pub fn strip_explain(input: &str) -> Option<String> {
    let start = input.len() - input.trim_start().len();
    let trimmed = &input[start..];
    let word_end = trimmed
        .find(|c: char| c.is_whitespace())
        .unwrap_or(trimmed.len());
    if trimmed[..word_end].eq_ignore_ascii_case("explain") {
        Some(format!(
            "{}{}{}",
            &input[..start],
            " ".repeat(word_end),
            &trimmed[word_end..]
        ))
    } else {
        None
    }
}

/// A parameter value as typed after `.param NAME`: a Cypher literal (`3`, `'Kyiv'`,
/// `['a', 'b']`, `true`), or else the text itself as a string.
pub fn parse_param_value(text: &str) -> Value {
    let text = text.trim();
    let literal = parser::parse_query(&format!("RETURN {text}"))
        .ok()
        .and_then(|query| {
            let empty = crate::graph::KnowledgeGraph::new();
            let (plan, params) = (plan::plan(&query), Params::new());
            let table = execute::run(&empty, &plan, &params).ok()?;
            let value = table.rows.first()?.first()?.to_value(&empty);
            (table.columns.len() == 1).then_some(value)
        });
    literal.unwrap_or_else(|| Value::Str(text.to_string()))
}

/// Runs a question or a Cypher query under the default [`Limits`]; `explain <query>`
/// returns the explanation (the Cypher, the plan, and for questions the provenance of
/// each answer row).
pub fn execute(
    graph: &dyn GraphRead,
    input: &str,
    params: &Params,
) -> Result<ResultSet, QueryError> {
    execute_with_limits(graph, input, params, &Limits::default())
}

/// Like [`execute`](fn@execute), under the given limits: past the time limit the query stops with
/// [`QueryError::Timeout`]; an answer longer than the row limit is cut, with a note.
pub fn execute_with_limits(
    graph: &dyn GraphRead,
    input: &str,
    params: &Params,
    limits: &Limits,
) -> Result<ResultSet, QueryError> {
    if let Some(rest) = strip_explain(input) {
        return explain(graph, &rest, params).map(explain::Explanation::into_result_set);
    }
    match parse_statement(graph, input)? {
        Statement::Question(form) => form.run(graph, params, limits),
        Statement::Cypher(query) => {
            let plan = plan::plan(&query);
            let table = execute::run_with_limits(graph, &plan, params, limits)?;
            Ok(ResultSet {
                columns: table.columns,
                rows: table
                    .rows
                    .iter()
                    .map(|row| row.iter().map(|v| v.to_value(graph)).collect())
                    .collect(),
                notes: table.stopped_at.map(stopped_note).into_iter().collect(),
                explanation: None,
            })
        }
    }
}

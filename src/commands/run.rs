//! `claimgraph run`: run query scripts (`*.kgq`).
//!
//! A script holds one question per line, or Cypher that may span lines up to a `;` (or a
//! blank line), `#` and `//` comment lines, and the dot-commands `.mode FORMAT`,
//! `.param NAME VALUE` and `.timer on|off`. Each statement's rows are printed after a
//! header line naming the statement (in table mode). The first error stops the run with
//! `file:line:column: message`; `--keep-going` runs the rest and still exits non-zero.

use crate::graph::KnowledgeGraph;
use crate::present::{self, OutputFormat, PresentOptions};
use crate::{graph, query};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Exit code when a statement failed.
pub const EXIT_SCRIPT_ERROR: u8 = 1;

/// One statement of a script, with where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptStatement {
    /// 1-based line of the statement's first line.
    pub line: usize,
    /// The text, with the leading blanks of its first line kept so that columns match.
    pub text: String,
    pub dot_command: bool,
}

fn is_comment(trimmed: &str) -> bool {
    trimmed.starts_with('#') || trimmed.starts_with("//")
}

fn starts_cypher(trimmed: &str) -> bool {
    let statement = crate::query::strip_explain(trimmed).unwrap_or_else(|| trimmed.to_string());
    crate::query::looks_like_cypher(&statement)
}

/// Splits a script into statements.
pub fn split_script(text: &str) -> Vec<ScriptStatement> {
    let mut statements = Vec::new();
    let mut pending: Option<ScriptStatement> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim();
        if let Some(statement) = pending.as_mut() {
            if trimmed.is_empty() {
                statements.extend(pending.take());
                continue;
            }
            // Comment lines stay as empty lines so that later lines keep their numbers.
            statement.text.push('\n');
            if !trimmed.starts_with('#') {
                statement.text.push_str(line);
            }
            if trimmed.ends_with(';') {
                statements.extend(pending.take());
            }
            continue;
        }
        if trimmed.is_empty() || is_comment(trimmed) {
            continue;
        }
        let statement = ScriptStatement {
            line: number,
            text: line.trim_end().to_string(),
            dot_command: trimmed.starts_with('.'),
        };
        if !statement.dot_command && starts_cypher(trimmed) && !trimmed.ends_with(';') {
            pending = Some(statement);
        } else {
            statements.push(statement);
        }
    }
    statements.extend(pending);
    statements
}

/// The state a script changes with dot-commands.
struct Session {
    format: OutputFormat,
    params: query::Params,
    timer: bool,
}

/// A failure at a place in a script.
struct ScriptError {
    line: usize,
    column: usize,
    message: String,
    /// The caret drawing, when the error has a position in a query.
    drawing: Option<String>,
}

impl Session {
    fn dot_command(&mut self, text: &str) -> Result<(), String> {
        let text = text.trim();
        let (command, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let rest = rest.trim();
        match command {
            ".mode" => {
                self.format = OutputFormat::parse(rest)
                    .ok_or_else(|| format!("unknown mode '{rest}'; use table, csv or json"))?;
            }
            ".param" => {
                let (name, value) = rest.split_once(char::is_whitespace).ok_or_else(|| {
                    "usage: .param NAME VALUE (a number, 'text', true, false or a [list])"
                        .to_string()
                })?;
                let name = name.trim_start_matches('$');
                self.params
                    .insert(name.to_string(), query::parse_param_value(value));
            }
            ".timer" => {
                self.timer = match rest {
                    "on" => true,
                    "off" => false,
                    _ => return Err("usage: .timer on|off".to_string()),
                };
            }
            other => {
                return Err(format!(
                    "unknown dot-command {other}; scripts take .mode, .param and .timer"
                ))
            }
        }
        Ok(())
    }

    fn statement(
        &self,
        graph: &KnowledgeGraph,
        statement: &ScriptStatement,
        out: &mut dyn Write,
    ) -> anyhow::Result<Result<Vec<String>, ScriptError>> {
        let started = Instant::now();
        let input = statement.text.trim_end().trim_end_matches(';');
        let results = match query::execute(graph, input, &self.params) {
            Ok(results) => results,
            Err(error) => {
                let (line, column) = error.location(input);
                let rendered = error.render_from_line(input, statement.line);
                return Ok(Err(ScriptError {
                    line: statement.line + line - 1,
                    column,
                    message: error.message(),
                    drawing: rendered
                        .split_once('\n')
                        .map(|(_, drawing)| drawing.to_string()),
                }));
            }
        };
        if self.format == OutputFormat::Table {
            let one_line: Vec<&str> = input.split_whitespace().collect();
            writeln!(out, "-- {}", one_line.join(" "))?;
        }
        let options = PresentOptions {
            row_count: true,
            elapsed: self.timer.then(|| started.elapsed()),
            ..PresentOptions::default()
        };
        present::write_results_with(&results, self.format, &options, out)?;
        if self.format == OutputFormat::Table {
            writeln!(out)?;
        }
        Ok(Ok(results.notes))
    }
}

pub fn run(
    graph_path: &Path,
    format: OutputFormat,
    keep_going: bool,
    files: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let graph = graph::load(graph_path)?;
    let mut session = Session {
        format,
        params: query::Params::new(),
        timer: false,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failures = 0usize;
    'files: for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("{}: cannot read the script: {error}", file.display());
                failures += 1;
                if keep_going {
                    continue;
                }
                break;
            }
        };
        for statement in split_script(&text) {
            let outcome = if statement.dot_command {
                session
                    .dot_command(&statement.text)
                    .map_err(|message| ScriptError {
                        line: statement.line,
                        column: statement.text.len() - statement.text.trim_start().len() + 1,
                        message,
                        drawing: None,
                    })
            } else {
                session
                    .statement(&graph, &statement, &mut out)?
                    .map(|notes| {
                        for note in notes {
                            eprintln!("{}:{}: note: {note}", file.display(), statement.line);
                        }
                    })
            };
            if let Err(error) = outcome {
                out.flush()?;
                eprintln!(
                    "{}:{}:{}: {}",
                    file.display(),
                    error.line,
                    error.column,
                    error.message
                );
                if let Some(drawing) = error.drawing {
                    eprintln!("{drawing}");
                }
                failures += 1;
                if !keep_going {
                    break 'files;
                }
            }
        }
    }
    out.flush()?;
    Ok(if failures > 0 {
        ExitCode::from(EXIT_SCRIPT_ERROR)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_split_into_lines_and_semicolon_statements() {
        let script = "# a comment\nwho reported desertions\n.mode csv\nMATCH (p:Person)\n// inside\n  RETURN p.name;\nhow many desertions?\nMATCH (n) RETURN n\n\nwho is Syrskyi";
        let statements = split_script(script);
        let lines: Vec<(usize, &str, bool)> = statements
            .iter()
            .map(|s| (s.line, s.text.as_str(), s.dot_command))
            .collect();
        assert_eq!(
            lines,
            vec![
                (2, "who reported desertions", false),
                (3, ".mode csv", true),
                (4, "MATCH (p:Person)\n// inside\n  RETURN p.name;", false),
                (7, "how many desertions?", false),
                (8, "MATCH (n) RETURN n", false),
                (10, "who is Syrskyi", false),
            ]
        );
    }
}

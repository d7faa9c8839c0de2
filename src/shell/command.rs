//! What one complete input means: a query (Cypher or question) or a dot-command.
//!
//! The dot-commands are declared once, in [`COMMANDS`]; parsing, `.help` and completion
//! all read that table, so a new command cannot be parsed without also being documented
//! and completed. Everything here is pure: no terminal, no graph, no files.

use crate::export::ExportFormat;
use crate::graph::Value;
use crate::present::OutputFormat;
use clap::ValueEnum;
use std::path::PathBuf;
use std::time::Duration;

/// One parsed input.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Blank input or a comment: nothing to do.
    Empty,
    /// A question or a Cypher statement, without its trailing `;`.
    Query(String),
    /// `.help [COMMAND]`
    Help(Option<String>),
    /// `.mode [table|csv|json]`; no format shows the current one.
    Mode(Option<OutputFormat>),
    /// `.param [NAME VALUE]`; no arguments lists the parameters.
    Param(Option<(String, Value)>),
    /// `.timer [on|off]`; no argument shows the current state.
    Timer(Option<bool>),
    /// `.limit [N|off]`: the most rows an answer shows; no argument shows it.
    Limit(Option<Option<usize>>),
    /// `.timeout [SECONDS|off]`: how long a query may run; no argument shows it.
    Timeout(Option<Option<Duration>>),
    /// `.output [FILE]`; no file sends results back to standard output.
    Output(Option<PathBuf>),
    /// `.export FORMAT PATH`
    Export { format: ExportFormat, path: PathBuf },
    /// `.read FILE`
    Read(PathBuf),
    /// `.load PATH`
    Load(PathBuf),
    /// `.stats`
    Stats,
    /// `.schema`
    Schema,
    /// `.quit` or `.exit`
    Quit,
}

/// Why an input could not be parsed.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum CommandError {
    #[error("unknown command .{name}{}; .help lists the commands", suggestion_text(.suggestion))]
    Unknown {
        name: String,
        suggestion: Option<&'static str>,
    },
    #[error("usage: .{name} {usage}")]
    Usage {
        name: &'static str,
        usage: &'static str,
    },
    #[error(".{name}: {message}")]
    Invalid { name: &'static str, message: String },
}

fn suggestion_text(suggestion: &Option<&'static str>) -> String {
    match suggestion {
        Some(name) => format!(" (did you mean .{name}?)"),
        None => String::new(),
    }
}

/// What the arguments of a dot-command are, for completion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arguments {
    None,
    /// One word out of a fixed list.
    OneOf(&'static [&'static str]),
    /// The name of another dot-command.
    CommandName,
    /// A file or folder.
    Path,
    /// An export format, then a path.
    ExportFormatThenPath,
    /// A parameter name, then a value (entity names are offered for the value).
    ParamNameThenValue,
}

/// One row of the command table.
pub struct DotCommand {
    /// The name without its dot.
    pub name: &'static str,
    /// The argument synopsis shown by `.help`.
    pub usage: &'static str,
    pub help: &'static str,
    pub arguments: Arguments,
    /// Turns the text after the name into a command.
    parse: fn(&'static DotCommand, &str) -> Result<Command, CommandError>,
}

const MODES: &[&str] = &["table", "csv", "json"];
const ON_OFF: &[&str] = &["on", "off"];
const LIMIT_EXAMPLES: &[&str] = &["100", "10000", "off"];
const TIMEOUT_EXAMPLES: &[&str] = &["10", "60", "off"];
/// The export formats, in the spelling `.export` accepts.
pub const EXPORT_FORMATS: &[&str] = &["csv", "dot", "graphml", "neo4j", "kuzu"];

/// The dot-commands, in the order `.help` lists them.
pub static COMMANDS: &[DotCommand] = &[
    DotCommand {
        name: "help",
        usage: "[COMMAND]",
        help: "list the commands, or explain one",
        arguments: Arguments::CommandName,
        parse: parse_help,
    },
    DotCommand {
        name: "mode",
        usage: "table|csv|json",
        help: "choose how results are printed",
        arguments: Arguments::OneOf(MODES),
        parse: parse_mode,
    },
    DotCommand {
        name: "param",
        usage: "[NAME VALUE]",
        help: "set $NAME (a number, true, false, null or text); alone, list them",
        arguments: Arguments::ParamNameThenValue,
        parse: parse_param,
    },
    DotCommand {
        name: "timer",
        usage: "on|off",
        help: "print the time and row count after each statement",
        arguments: Arguments::OneOf(ON_OFF),
        parse: parse_timer,
    },
    DotCommand {
        name: "limit",
        usage: "[N|off]",
        help: "show at most N rows of each answer (default 10000)",
        arguments: Arguments::OneOf(LIMIT_EXAMPLES),
        parse: parse_limit,
    },
    DotCommand {
        name: "timeout",
        usage: "[SECONDS|off]",
        help: "stop a query that runs longer than SECONDS (default 10)",
        arguments: Arguments::OneOf(TIMEOUT_EXAMPLES),
        parse: parse_timeout,
    },
    DotCommand {
        name: "output",
        usage: "[FILE]",
        help: "write results to FILE; alone, back to the terminal",
        arguments: Arguments::Path,
        parse: parse_output,
    },
    DotCommand {
        name: "export",
        usage: "csv|dot|graphml|neo4j|kuzu PATH",
        help: "write the whole graph for other tools",
        arguments: Arguments::ExportFormatThenPath,
        parse: parse_export,
    },
    DotCommand {
        name: "read",
        usage: "FILE",
        help: "run the statements of a script file",
        arguments: Arguments::Path,
        parse: parse_read,
    },
    DotCommand {
        name: "load",
        usage: "PATH",
        help: "read the articles under PATH, add them to the graph and save it",
        arguments: Arguments::Path,
        parse: parse_load,
    },
    DotCommand {
        name: "stats",
        usage: "",
        help: "count nodes and edges by label and type",
        arguments: Arguments::None,
        parse: parse_stats,
    },
    DotCommand {
        name: "schema",
        usage: "",
        help: "list the labels with their properties, and the relationship types",
        arguments: Arguments::None,
        parse: parse_schema,
    },
    DotCommand {
        name: "quit",
        usage: "",
        help: "leave the shell (so does Ctrl-D)",
        arguments: Arguments::None,
        parse: parse_quit,
    },
    DotCommand {
        name: "exit",
        usage: "",
        help: "leave the shell",
        arguments: Arguments::None,
        parse: parse_quit,
    },
];

/// The table row of a dot-command name (without its dot).
pub fn find_command(name: &str) -> Option<&'static DotCommand> {
    COMMANDS.iter().find(|c| c.name == name)
}

impl Command {
    /// Parses one complete input: a dot-command line, a question, or a Cypher statement
    /// (possibly over several lines, with or without its final `;`).
    pub fn parse(input: &str) -> Result<Command, CommandError> {
        let text = input.trim();
        if text.is_empty() || is_comment(text) {
            return Ok(Command::Empty);
        }
        if let Some(rest) = text.strip_prefix('.') {
            let (name, arguments) = split_word(rest);
            return match find_command(name) {
                Some(command) => (command.parse)(command, arguments),
                None => Err(CommandError::Unknown {
                    name: name.to_string(),
                    suggestion: suggest(name),
                }),
            };
        }
        let statement = text.strip_suffix(';').unwrap_or(text).trim_end();
        if statement.is_empty() {
            return Ok(Command::Empty);
        }
        // The first line keeps its indentation, so error columns match the line as typed.
        let first_line = input.trim_start_matches(['\n', '\r']);
        let indent = first_line.len() - first_line.trim_start().len();
        Ok(Command::Query(format!(
            "{}{}",
            &first_line[..indent],
            blank_comment_lines(statement)
        )))
    }
}

/// A line that holds only a comment: `//` as in Cypher, or `#` as in shell scripts.
pub fn is_comment(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("//") || line.starts_with('#')
}

/// Blanks whole-line comments inside a multi-line statement, so the query engine only
/// sees the statement itself and its lines keep their numbers.
fn blank_comment_lines(statement: &str) -> String {
    if !statement.contains('\n') {
        return statement.to_string();
    }
    statement
        .lines()
        .map(|line| if is_comment(line) { "" } else { line })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first word and the trimmed rest.
fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim();
    match text.find(char::is_whitespace) {
        Some(end) => (&text[..end], text[end..].trim()),
        None => (text, ""),
    }
}

/// Removes one pair of matching quotes, so paths and values with spaces can be quoted.
fn unquote(text: &str) -> &str {
    for quote in ['"', '\''] {
        if text.len() >= 2 && text.starts_with(quote) && text.ends_with(quote) {
            return &text[1..text.len() - 1];
        }
    }
    text
}

/// The closest command name to a mistyped one, if any is close enough to be a typo.
pub fn suggest(name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    if let Some(command) = COMMANDS.iter().find(|c| c.name.starts_with(&name)) {
        return Some(command.name);
    }
    COMMANDS
        .iter()
        // A swap of two neighbours counts as one edit ("mdoe").
        .map(|c| (strsim::osa_distance(&name, c.name), c.name))
        // Two edits turn most four-letter words into another ("nope" into "mode").
        .filter(|(distance, _)| *distance <= 1 || (*distance == 2 && name.len() >= 6))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

fn usage(command: &'static DotCommand) -> CommandError {
    CommandError::Usage {
        name: command.name,
        usage: command.usage,
    }
}

fn no_arguments(
    command: &'static DotCommand,
    arguments: &str,
    result: Command,
) -> Result<Command, CommandError> {
    if arguments.is_empty() {
        Ok(result)
    } else {
        Err(CommandError::Invalid {
            name: command.name,
            message: "takes no arguments".to_string(),
        })
    }
}

fn parse_help(_: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    let topic = arguments.trim_start_matches('.');
    Ok(Command::Help(
        (!topic.is_empty()).then(|| topic.to_string()),
    ))
}

fn parse_mode(command: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    if arguments.is_empty() {
        return Ok(Command::Mode(None));
    }
    OutputFormat::parse(arguments)
        .map(|format| Command::Mode(Some(format)))
        .ok_or_else(|| CommandError::Invalid {
            name: command.name,
            message: format!("unknown mode '{arguments}'; choose table, csv or json"),
        })
}

fn parse_timer(command: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    match arguments.to_ascii_lowercase().as_str() {
        "" => Ok(Command::Timer(None)),
        "on" => Ok(Command::Timer(Some(true))),
        "off" => Ok(Command::Timer(Some(false))),
        _ => Err(usage(command)),
    }
}

fn parse_limit(command: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    match arguments.to_ascii_lowercase().as_str() {
        "" => Ok(Command::Limit(None)),
        "off" | "none" => Ok(Command::Limit(Some(None))),
        number => match number.replace(['_', ','], "").parse::<usize>() {
            Ok(rows) if rows > 0 => Ok(Command::Limit(Some(Some(rows)))),
            _ => Err(CommandError::Invalid {
                name: command.name,
                message: format!("'{arguments}' is not a number of rows; give 1 or more, or off"),
            }),
        },
    }
}

/// A number of seconds as `.timeout` and `--timeout` take it: `10`, `0.5`, or `off`
/// (also `0`) for no limit. `None` when the text is not one.
pub fn parse_seconds(text: &str) -> Option<Option<Duration>> {
    let text = text.trim().to_ascii_lowercase();
    if text == "off" || text == "none" {
        return Some(None);
    }
    let seconds: f64 = text
        .strip_suffix('s')
        .unwrap_or(&text)
        .trim()
        .parse()
        .ok()?;
    if !seconds.is_finite() || !(0.0..=1.0e9).contains(&seconds) {
        return None;
    }
    Some((seconds > 0.0).then(|| Duration::from_secs_f64(seconds)))
}

fn parse_timeout(command: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    if arguments.is_empty() {
        return Ok(Command::Timeout(None));
    }
    parse_seconds(arguments)
        .map(|limit| Command::Timeout(Some(limit)))
        .ok_or_else(|| CommandError::Invalid {
            name: command.name,
            message: format!(
                "'{arguments}' is not a number of seconds; give one such as 10 or 0.5, or off"
            ),
        })
}

fn parse_param(command: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    if arguments.is_empty() {
        return Ok(Command::Param(None));
    }
    let (name, value) = split_word(arguments);
    let name = name.strip_prefix('$').unwrap_or(name);
    let is_identifier = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if !is_identifier {
        return Err(CommandError::Invalid {
            name: command.name,
            message: format!("'{name}' is not a parameter name (letters, digits and _)"),
        });
    }
    if value.is_empty() {
        return Err(usage(command));
    }
    Ok(Command::Param(Some((name.to_string(), parse_value(value)))))
}

/// A parameter value as typed: a Cypher literal (a number, true, false, null, 'text',
/// a list in brackets), or else the text itself (quotes optional).
pub fn parse_value(text: &str) -> Value {
    crate::query::parse_param_value(text)
}

fn parse_output(_: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    let path = unquote(arguments);
    Ok(Command::Output(
        (!path.is_empty()).then(|| PathBuf::from(path)),
    ))
}

fn parse_export(command: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    let (format, path) = split_word(arguments);
    let path = unquote(path);
    if format.is_empty() || path.is_empty() {
        return Err(usage(command));
    }
    let format = ExportFormat::from_str(format, true).map_err(|_| CommandError::Invalid {
        name: command.name,
        message: format!(
            "unknown format '{format}'; choose one of {}",
            EXPORT_FORMATS.join(", ")
        ),
    })?;
    Ok(Command::Export {
        format,
        path: PathBuf::from(path),
    })
}

fn required_path(command: &'static DotCommand, arguments: &str) -> Result<PathBuf, CommandError> {
    let path = unquote(arguments);
    if path.is_empty() {
        Err(usage(command))
    } else {
        Ok(PathBuf::from(path))
    }
}

fn parse_read(command: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    required_path(command, arguments).map(Command::Read)
}

fn parse_load(command: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    required_path(command, arguments).map(Command::Load)
}

fn parse_stats(command: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    no_arguments(command, arguments, Command::Stats)
}

fn parse_schema(command: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    no_arguments(command, arguments, Command::Schema)
}

fn parse_quit(command: &'static DotCommand, arguments: &str) -> Result<Command, CommandError> {
    no_arguments(command, arguments, Command::Quit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_and_cypher_become_queries_without_the_semicolon() {
        assert_eq!(
            Command::parse("who is Vladyslav Voloshyn?"),
            Ok(Command::Query("who is Vladyslav Voloshyn?".into()))
        );
        assert_eq!(
            Command::parse("MATCH (p:Person)\n  RETURN p.name ;\n"),
            Ok(Command::Query("MATCH (p:Person)\n  RETURN p.name".into()))
        );
    }

    #[test]
    fn comment_lines_inside_a_statement_are_dropped() {
        assert_eq!(
            Command::parse("MATCH (p:Person)\n// names only\nRETURN p.name;"),
            Ok(Command::Query("MATCH (p:Person)\n\nRETURN p.name".into()))
        );
        assert_eq!(
            Command::parse("  MATCH (p)\nRETURN p;"),
            Ok(Command::Query("  MATCH (p)\nRETURN p".into()))
        );
    }

    #[test]
    fn blank_input_and_comments_are_empty() {
        assert_eq!(Command::parse("   "), Ok(Command::Empty));
        assert_eq!(Command::parse("// a note"), Ok(Command::Empty));
        assert_eq!(Command::parse("# a note"), Ok(Command::Empty));
        assert_eq!(Command::parse(";"), Ok(Command::Empty));
    }

    #[test]
    fn mode_accepts_each_format_in_any_case() {
        assert_eq!(
            Command::parse(".mode CSV"),
            Ok(Command::Mode(Some(OutputFormat::Csv)))
        );
        assert_eq!(
            Command::parse(".mode json"),
            Ok(Command::Mode(Some(OutputFormat::Json)))
        );
        assert_eq!(Command::parse(".mode"), Ok(Command::Mode(None)));
        assert_eq!(
            Command::parse(".mode xml").unwrap_err().to_string(),
            ".mode: unknown mode 'xml'; choose table, csv or json"
        );
    }

    #[test]
    fn param_values_are_typed() {
        let value = |input: &str| match Command::parse(input) {
            Ok(Command::Param(Some((_, value)))) => value,
            other => panic!("{input}: {other:?}"),
        };
        assert_eq!(value(".param n 42"), Value::Int(42));
        assert_eq!(value(".param n -3.5"), Value::Float(-3.5));
        assert_eq!(value(".param n TRUE"), Value::Bool(true));
        assert_eq!(value(".param n null"), Value::Null);
        assert_eq!(value(".param n 'Luhansk'"), Value::Str("Luhansk".into()));
        assert_eq!(value(".param n \"42\""), Value::Str("42".into()));
        assert_eq!(
            value(".param n Vladyslav Voloshyn"),
            Value::Str("Vladyslav Voloshyn".into())
        );
        assert_eq!(value(".param n inf"), Value::Str("inf".into()));
        assert_eq!(
            value(".param n ['a', 2]"),
            Value::List(vec![Value::Str("a".into()), Value::Int(2)])
        );
    }

    #[test]
    fn limit_and_timeout_take_numbers_or_off() {
        assert_eq!(
            Command::parse(".limit 50"),
            Ok(Command::Limit(Some(Some(50))))
        );
        assert_eq!(Command::parse(".limit off"), Ok(Command::Limit(Some(None))));
        assert_eq!(Command::parse(".limit"), Ok(Command::Limit(None)));
        assert!(matches!(
            Command::parse(".limit 0"),
            Err(CommandError::Invalid { name: "limit", .. })
        ));
        assert_eq!(
            Command::parse(".timeout 0.5"),
            Ok(Command::Timeout(Some(Some(Duration::from_millis(500)))))
        );
        assert_eq!(
            Command::parse(".timeout off"),
            Ok(Command::Timeout(Some(None)))
        );
        assert_eq!(
            Command::parse(".timeout 0"),
            Ok(Command::Timeout(Some(None)))
        );
        assert!(Command::parse(".timeout soon").is_err());
        assert!(Command::parse(".timeout -1").is_err());
    }

    #[test]
    fn param_names_may_carry_a_dollar_and_must_be_identifiers() {
        assert_eq!(
            Command::parse(".param $place Luhansk"),
            Ok(Command::Param(Some((
                "place".into(),
                Value::Str("Luhansk".into())
            ))))
        );
        assert!(matches!(
            Command::parse(".param 9lives 1"),
            Err(CommandError::Invalid { name: "param", .. })
        ));
        assert!(matches!(
            Command::parse(".param lonely"),
            Err(CommandError::Usage { name: "param", .. })
        ));
        assert_eq!(Command::parse(".param"), Ok(Command::Param(None)));
    }

    #[test]
    fn timer_output_read_load_export() {
        assert_eq!(Command::parse(".timer on"), Ok(Command::Timer(Some(true))));
        assert_eq!(
            Command::parse(".timer OFF"),
            Ok(Command::Timer(Some(false)))
        );
        assert!(Command::parse(".timer maybe").is_err());
        assert_eq!(
            Command::parse(".output \"my results.csv\""),
            Ok(Command::Output(Some("my results.csv".into())))
        );
        assert_eq!(Command::parse(".output"), Ok(Command::Output(None)));
        assert_eq!(
            Command::parse(".read queries/a.kgq"),
            Ok(Command::Read("queries/a.kgq".into()))
        );
        assert!(matches!(
            Command::parse(".load"),
            Err(CommandError::Usage { name: "load", .. })
        ));
        assert_eq!(
            Command::parse(".export DOT out/graph.dot"),
            Ok(Command::Export {
                format: ExportFormat::Dot,
                path: "out/graph.dot".into()
            })
        );
        assert!(matches!(
            Command::parse(".export pdf x.pdf"),
            Err(CommandError::Invalid { name: "export", .. })
        ));
    }

    #[test]
    fn commands_without_arguments_refuse_them() {
        assert_eq!(Command::parse(".stats"), Ok(Command::Stats));
        assert_eq!(Command::parse(".schema"), Ok(Command::Schema));
        assert_eq!(Command::parse(".exit"), Ok(Command::Quit));
        assert!(Command::parse(".quit now").is_err());
    }

    #[test]
    fn unknown_commands_get_a_suggestion() {
        let error = Command::parse(".mdoe csv").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown command .mdoe (did you mean .mode?); .help lists the commands"
        );
        assert!(matches!(
            Command::parse(".sch"),
            Err(CommandError::Unknown {
                suggestion: Some("schema"),
                ..
            })
        ));
        assert!(matches!(
            Command::parse(".nope"),
            Err(CommandError::Unknown {
                suggestion: None,
                ..
            })
        ));
        assert!(matches!(
            Command::parse(".frobnicate"),
            Err(CommandError::Unknown {
                suggestion: None,
                ..
            })
        ));
    }

    #[test]
    fn every_command_has_help_and_a_unique_name() {
        for (i, command) in COMMANDS.iter().enumerate() {
            assert!(!command.help.is_empty(), "{}", command.name);
            assert!(COMMANDS[i + 1..].iter().all(|c| c.name != command.name));
        }
    }
}

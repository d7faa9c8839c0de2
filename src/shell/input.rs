//! When is input complete? Cypher statements run until a `;` (or a blank line); questions
//! and dot-commands are one line. The line editor's validator, the piped-stdin reader,
//! `.read` and `claimgraph run` all ask this module, so a script behaves the same typed,
//! piped, read or run.

/// The words a Cypher statement can start with (after an optional EXPLAIN or PROFILE),
/// including clauses the engine refuses, so that a refused statement is read whole and
/// refused once rather than line by line.
const CYPHER_STARTS: &[&str] = &[
    "match", "optional", "with", "unwind", "return", "create", "merge", "delete", "detach", "set",
    "remove", "call", "foreach", "load", "drop", "use",
];

/// True when `text` is a Cypher statement rather than a question or a dot-command.
pub fn is_cypher(text: &str) -> bool {
    let mut words = text
        .split(|c: char| c.is_whitespace() || c == '(')
        .filter(|w| !w.is_empty());
    let mut first = words.next().unwrap_or("").to_ascii_lowercase();
    if first == "explain" || first == "profile" {
        first = words.next().unwrap_or("").to_ascii_lowercase();
    }
    CYPHER_STARTS.contains(&first.as_str())
}

/// True when the buffer can be run: anything but a Cypher statement that has not yet
/// reached its `;` (outside strings and comments). A blank line also ends a statement,
/// so a forgotten `;` costs one Enter, not a stuck prompt or a swallowed script.
pub fn is_complete(buffer: &str) -> bool {
    let text = buffer.trim_start();
    if text.starts_with('.') || !is_cypher(first_statement_line(text)) {
        return true;
    }
    if ends_with_blank_line(text) {
        return true;
    }
    let mut last_significant = None;
    scan(text, |c, _| {
        if !c.is_whitespace() {
            last_significant = Some(c);
        }
    });
    last_significant == Some(';')
}

/// True when the last line of a buffer of several lines is blank.
fn ends_with_blank_line(text: &str) -> bool {
    text.rsplit_once('\n')
        .is_some_and(|(_, last)| last.trim().is_empty())
}

/// The first line that is not a comment, where the kind of the statement shows.
fn first_statement_line(text: &str) -> &str {
    text.lines()
        .find(|line| !super::command::is_comment(line) && !line.trim().is_empty())
        .unwrap_or("")
}

/// Calls `visit` with every character outside string literals and `//` comments, and its
/// byte offset. A quote left open at the end of its line is a typo more often than a
/// string over several lines, so it closes there, and a `;` ending that line still
/// ends the statement: one typo does not swallow the statements after it.
fn scan(text: &str, mut visit: impl FnMut(char, usize)) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut in_comment = false;
    // The last character seen inside the open quote that is not white space.
    let mut last_quoted: Option<(char, usize)> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if let Some(open) = quote {
            if c == '\n' {
                if let Some((';', at)) = last_quoted {
                    visit(';', at);
                }
                quote = None;
                escaped = false;
                visit(c, offset);
                continue;
            }
            if !c.is_whitespace() {
                last_quoted = Some((c, offset));
            }
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == open {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => {
                quote = Some(c);
                last_quoted = None;
            }
            '/' if chars.peek().is_some_and(|(_, next)| *next == '/') => in_comment = true,
            _ => visit(c, offset),
        }
    }
    if let (Some(_), Some((';', at))) = (quote, last_quoted) {
        visit(';', at);
    }
}

/// Splits complete input into statements at the `;`s that end Cypher statements, so
/// `MATCH (a) RETURN a; MATCH (b) RETURN b;` on one line runs twice.
pub fn split_statements(buffer: &str) -> Vec<&str> {
    if !is_cypher(first_statement_line(buffer.trim_start())) {
        return vec![buffer];
    }
    let mut ends = Vec::new();
    scan(buffer, |c, offset| {
        if c == ';' {
            ends.push(offset + 1);
        }
    });
    let mut statements = Vec::new();
    let mut start = 0;
    for end in ends {
        statements.push(&buffer[start..end]);
        start = end;
    }
    if !buffer[start..].trim().is_empty() {
        statements.push(&buffer[start..]);
    }
    statements
}

/// One statement of a script, with the line it starts on (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub line: usize,
    pub text: String,
}

/// Collects script lines into statements: blank and comment lines between statements
/// are skipped, a Cypher statement runs until its `;`.
#[derive(Debug, Default)]
pub struct StatementReader {
    buffer: String,
    start_line: usize,
    line: usize,
}

impl StatementReader {
    pub fn new() -> StatementReader {
        StatementReader::default()
    }

    /// Adds one line; returns the statements it completes.
    pub fn push_line(&mut self, line: &str) -> Vec<Statement> {
        self.line += 1;
        if self.buffer.is_empty() {
            if line.trim().is_empty() || super::command::is_comment(line) {
                return Vec::new();
            }
            self.start_line = self.line;
        } else {
            self.buffer.push('\n');
        }
        self.buffer.push_str(line.trim_end_matches(['\n', '\r']));
        if !is_complete(&self.buffer) {
            return Vec::new();
        }
        let buffer = std::mem::take(&mut self.buffer);
        let mut line = self.start_line;
        let mut statements = Vec::new();
        let mut offset = 0;
        for text in split_statements(&buffer) {
            let start = offset;
            offset += text.len();
            let body = text.trim_start();
            // A statement that follows another on the same line starts there; one that
            // follows a line break starts on the next line.
            line += text[..text.len() - body.len()].matches('\n').count();
            if body.trim_end().is_empty() {
                continue;
            }
            // Indented by as many columns as it starts into its line, so that error
            // columns count from the start of the line as an editor shows it.
            let body_start = start + text.len() - body.len();
            let line_start = buffer[..body_start].rfind('\n').map_or(0, |i| i + 1);
            let column = buffer[line_start..body_start].chars().count();
            statements.push(Statement {
                line,
                text: format!("{}{}", " ".repeat(column), body.trim_end()),
            });
            line += body.trim_end().matches('\n').count();
        }
        statements
    }

    /// The unfinished statement at the end of the input, if any: a Cypher statement whose
    /// `;` never came is still run, as the user most likely forgot it.
    pub fn finish(&mut self) -> Option<Statement> {
        let text = std::mem::take(&mut self.buffer);
        let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
        (!text.trim().is_empty()).then(|| Statement {
            line: self.start_line,
            text: format!("{}{}", " ".repeat(indent), text.trim()),
        })
    }
}

/// Splits a whole script into statements.
pub fn read_script(text: &str) -> Vec<Statement> {
    let mut reader = StatementReader::new();
    let mut statements: Vec<Statement> = text.lines().flat_map(|l| reader.push_line(l)).collect();
    statements.extend(reader.finish());
    statements
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cypher_needs_a_semicolon_questions_and_commands_do_not() {
        assert!(!is_complete("MATCH (p:Person)"));
        assert!(!is_complete("optional match (p:Person)\nRETURN p"));
        assert!(is_complete("MATCH (p:Person)\nRETURN p.name;"));
        assert!(is_complete("MATCH (p:Person) RETURN p.name ;  "));
        assert!(is_complete("who reported desertions in Luhansk"));
        assert!(is_complete(".mode csv"));
        assert!(is_complete(""));
        assert!(!is_complete("EXPLAIN MATCH (p) RETURN p"));
        // A blank line ends a statement whose `;` was forgotten.
        assert!(is_complete("MATCH (p:Person)\nRETURN p.name\n"));
        assert!(is_complete("MATCH (p:Person)\nRETURN p.name\n  "));
    }

    #[test]
    fn semicolons_in_strings_and_comments_do_not_end_a_statement() {
        assert!(!is_complete("MATCH (p {name: 'a;'})"));
        assert!(!is_complete("MATCH (p) // done;"));
        // An unclosed quote does not hide the `;` of the lines after it.
        assert!(is_complete("MATCH (p) RETURN 'oops\nRETURN 1;"));
        assert!(is_complete("MATCH (p) RETURN 'oops;"));
        assert_eq!(
            split_statements("MATCH (p) RETURN 'oops;\nMATCH (q) RETURN q;"),
            vec!["MATCH (p) RETURN 'oops;", "\nMATCH (q) RETURN q;"]
        );
        assert!(is_complete("MATCH (p {name: \"it\\\"s;\"}) RETURN p;"));
        assert!(!is_complete("// people\nMATCH (p:Person)"));
    }

    #[test]
    fn words_that_start_questions_are_not_cypher() {
        assert!(!is_cypher("who is Vladyslav Voloshyn"));
        assert!(!is_cypher("matches about Luhansk"));
        assert!(is_cypher("MATCH(p) RETURN p"));
        assert!(is_cypher("  return 1"));
    }

    #[test]
    fn one_line_with_two_statements_splits() {
        assert_eq!(
            split_statements("MATCH (a) RETURN a; MATCH (b) RETURN ';';"),
            vec!["MATCH (a) RETURN a;", " MATCH (b) RETURN ';';"]
        );
        assert_eq!(
            split_statements("who is Putin; really"),
            vec!["who is Putin; really"]
        );
    }

    #[test]
    fn scripts_split_into_statements_with_their_lines() {
        let script = "// people\n.mode csv\n\nMATCH (p:Person)\nRETURN p.name;\nwho is Voloshyn\nMATCH (a) RETURN a; MATCH (b)\nRETURN b;\n  MATCH (d)\n  RETURN d\n\nwho is Putin\nMATCH (c) RETURN c";
        let statements = read_script(script);
        let summary: Vec<(usize, &str)> = statements
            .iter()
            .map(|s| (s.line, s.text.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (2, ".mode csv"),
                (4, "MATCH (p:Person)\nRETURN p.name;"),
                (6, "who is Voloshyn"),
                (7, "MATCH (a) RETURN a;"),
                (7, "                    MATCH (b)\nRETURN b;"),
                (9, "  MATCH (d)\n  RETURN d"),
                (12, "who is Putin"),
                (13, "MATCH (c) RETURN c"),
            ]
        );
    }
}

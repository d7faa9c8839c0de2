//! When is input complete? Cypher statements run until a `;`; questions and dot-commands
//! are one line. The line editor's validator, the piped-stdin reader and `.read` all ask
//! this module, so a script behaves the same typed, piped or read.

/// The words a Cypher statement can start with (after an optional EXPLAIN or PROFILE).
const CYPHER_STARTS: &[&str] = &["match", "optional", "with", "unwind", "return"];

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
/// reached its `;` (outside strings and comments).
pub fn is_complete(buffer: &str) -> bool {
    let text = buffer.trim_start();
    if text.starts_with('.') || !is_cypher(first_statement_line(text)) {
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

/// The first line that is not a comment, where the kind of the statement shows.
fn first_statement_line(text: &str) -> &str {
    text.lines()
        .find(|line| !super::command::is_comment(line) && !line.trim().is_empty())
        .unwrap_or("")
}

/// Calls `visit` with every character outside string literals and `//` comments, and its
/// byte offset.
fn scan(text: &str, mut visit: impl FnMut(char, usize)) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut in_comment = false;
    let mut chars = text.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        if in_comment {
            in_comment = c != '\n';
            continue;
        }
        if let Some(open) = quote {
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
            '\'' | '"' | '`' => quote = Some(c),
            '/' if chars.peek().is_some_and(|(_, next)| *next == '/') => in_comment = true,
            _ => visit(c, offset),
        }
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
        for text in split_statements(&buffer) {
            // A statement that follows another on the same line starts there; one that
            // follows a line break starts on the next line.
            let leading_breaks = text.len() - text.trim_start_matches(['\n', ' ', '\t']).len();
            let breaks = text[..leading_breaks].matches('\n').count();
            line += breaks;
            if !text.trim().is_empty() {
                statements.push(Statement {
                    line,
                    text: text.trim().to_string(),
                });
            }
            line += text.trim_start().matches('\n').count();
        }
        statements
    }

    /// The unfinished statement at the end of the input, if any: a Cypher statement whose
    /// `;` never came is still run, as the user most likely forgot it.
    pub fn finish(&mut self) -> Option<Statement> {
        let text = std::mem::take(&mut self.buffer);
        (!text.trim().is_empty()).then(|| Statement {
            line: self.start_line,
            text: text.trim().to_string(),
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
    }

    #[test]
    fn semicolons_in_strings_and_comments_do_not_end_a_statement() {
        assert!(!is_complete("MATCH (p {name: 'a;'})"));
        assert!(!is_complete("MATCH (p) // done;"));
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
        let script = "// people\n.mode csv\n\nMATCH (p:Person)\nRETURN p.name;\nwho is Voloshyn\nMATCH (a) RETURN a; MATCH (b)\nRETURN b;\nMATCH (c) RETURN c";
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
                (7, "MATCH (b)\nRETURN b;"),
                (9, "MATCH (c) RETURN c"),
            ]
        );
    }
}

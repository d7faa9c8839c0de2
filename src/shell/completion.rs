//! Tab completion and hints, computed from the text before the cursor and a snapshot of
//! the graph's names. No line editor here: `repl` hands these candidates to rustyline,
//! and the unit tests call [`CompletionIndex::complete`] directly.

use super::command::{find_command, Arguments, COMMANDS, EXPORT_FORMATS};
use super::input::is_cypher;
use crate::graph::{name_key, GraphRead, Label, RelType};
use std::collections::BTreeSet;
use std::path::Path;

/// The beginnings of the question forms, as completed and hinted.
pub const QUESTION_FORMS: &[&str] = &[
    "who reported ",
    "what did ",
    "where were ",
    "how many ",
    "which sources mention ",
    "who is ",
    "what is ",
    "claims about ",
    "conflicting claims about ",
    "path from ",
    "explain ",
];

/// Forms whose next words name an entity.
const ENTITY_FORMS: &[&str] = &[
    "what did ",
    "which sources mention ",
    "who is ",
    "what is ",
    "claims about ",
    "path from ",
];

/// Forms whose next word is a topic.
const TOPIC_FORMS: &[&str] = &[
    "who reported ",
    "where were ",
    "how many ",
    "conflicting claims about ",
];

/// Topic words as a user types them in questions.
const TOPIC_WORDS: &[&str] = &[
    "casualties",
    "desertions",
    "mobilization",
    "negotiations",
    "strikes",
    "territorial control",
    "withdrawals",
];

const CYPHER_KEYWORDS: &[&str] = &[
    "MATCH",
    "OPTIONAL MATCH",
    "WHERE",
    "RETURN",
    "ORDER BY",
    "LIMIT",
    "SKIP",
    "DISTINCT",
    "AND",
    "OR",
    "NOT",
    "AS",
    "COUNT",
    "CONTAINS",
    "STARTS WITH",
    "ENDS WITH",
    "EXPLAIN",
];

/// Completions for the text before the cursor: replace `line[start..pos]` with one of
/// `candidates`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completions {
    pub start: usize,
    pub candidates: Vec<String>,
}

/// What completion knows about the open graph: its entity names, and parameter names.
#[derive(Clone, Debug, Default)]
pub struct CompletionIndex {
    /// (name key, spelling), sorted by key, one entry per key and spelling.
    names: Vec<(String, String)>,
    params: Vec<String>,
}

impl CompletionIndex {
    pub fn from_graph(graph: &dyn GraphRead) -> CompletionIndex {
        let names: BTreeSet<(String, String)> = graph
            .indexed_names()
            .into_iter()
            .filter(|(_, id)| graph.node(*id).label() != Label::Document)
            .map(|(name, _)| (name_key(name), name.to_string()))
            .collect();
        CompletionIndex {
            names: names.into_iter().collect(),
            params: Vec::new(),
        }
    }

    pub fn set_params(&mut self, names: impl IntoIterator<Item = String>) {
        self.params = names.into_iter().collect();
    }

    /// Entity names whose key starts with the key of `prefix`, in key order.
    pub fn entity_names(&self, prefix: &str) -> Vec<String> {
        let key = name_key(prefix);
        let first = self
            .names
            .partition_point(|(k, _)| k.as_str() < key.as_str());
        let mut names: Vec<String> = Vec::new();
        for (k, spelling) in &self.names[first..] {
            if !k.starts_with(&key) {
                break;
            }
            if !names.contains(spelling) {
                names.push(spelling.clone());
            }
        }
        names
    }

    /// The candidates for completing `line` at byte offset `pos`.
    pub fn complete(&self, line: &str, pos: usize) -> Completions {
        let Some(before) = line.get(..pos) else {
            return Completions::default();
        };
        let trimmed = before.trim_start();
        if trimmed.starts_with('.') {
            return self.complete_dot_command(before);
        }
        // The statement being typed: for a multi-line Cypher query, the whole buffer.
        if is_cypher(trimmed) {
            return self.complete_cypher(before);
        }
        self.complete_question(before)
    }

    fn complete_dot_command(&self, before: &str) -> Completions {
        let offset = before.len() - before.trim_start().len();
        let text = &before[offset..];
        let Some(space) = text.find(char::is_whitespace) else {
            let typed = &text[1..];
            return Completions {
                start: offset + 1,
                candidates: COMMANDS
                    .iter()
                    .filter(|c| c.name.starts_with(typed))
                    .map(|c| c.name.to_string())
                    .collect(),
            };
        };
        let Some(command) = find_command(&text[1..space]) else {
            return Completions::default();
        };
        let arguments_start =
            offset + space + (text[space..].len() - text[space..].trim_start().len());
        let arguments = &before[arguments_start..];
        let word_start =
            arguments_start + arguments.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let word = &before[word_start..];
        let first_argument = word_start == arguments_start;
        let words = |list: &[&str]| Completions {
            start: word_start,
            candidates: list
                .iter()
                .filter(|w| w.starts_with(&word.to_ascii_lowercase()))
                .map(|w| w.to_string())
                .collect(),
        };
        match command.arguments {
            Arguments::None => Completions::default(),
            Arguments::OneOf(list) if first_argument => words(list),
            Arguments::CommandName if first_argument => {
                let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
                words(&names)
            }
            Arguments::Path => complete_path(before, arguments_start),
            Arguments::ExportFormatThenPath if first_argument => words(EXPORT_FORMATS),
            Arguments::ExportFormatThenPath => complete_path(before, word_start),
            Arguments::ParamNameThenValue if first_argument => {
                let names: Vec<&str> = self.params.iter().map(String::as_str).collect();
                words(&names)
            }
            Arguments::ParamNameThenValue => {
                // The value may have several words: complete an entity name from the
                // first word of the value on.
                let value_start = arguments_start
                    + arguments
                        .find(char::is_whitespace)
                        .unwrap_or(arguments.len());
                let value_start = value_start
                    + (before[value_start..].len() - before[value_start..].trim_start().len());
                Completions {
                    start: value_start,
                    candidates: self.entity_names(&before[value_start..]),
                }
            }
            _ => Completions::default(),
        }
    }

    fn complete_cypher(&self, before: &str) -> Completions {
        let word_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[word_start..];
        let previous = before[..word_start].chars().next_back();

        // Inside a string literal: an entity name.
        if let Some(quote_start) = open_quote(before) {
            return Completions {
                start: quote_start,
                candidates: self.entity_names(&before[quote_start..]),
            };
        }
        let candidates: Vec<String> = match previous {
            Some(':') | Some('|') => match open_bracket(&before[..word_start]) {
                Some('[') => filter_prefix(RelType::ALL.iter().map(|r| r.as_str()), word),
                _ => filter_prefix(Label::ALL.iter().map(|l| l.as_str()), word),
            },
            Some('.') => {
                let variable = variable_before_dot(&before[..word_start - 1]);
                filter_prefix(property_names(before, variable).into_iter(), word)
            }
            Some('$') => filter_prefix(self.params.iter().map(String::as_str), word),
            _ if !word.is_empty() => {
                let upper = word.to_ascii_uppercase();
                CYPHER_KEYWORDS
                    .iter()
                    .filter(|k| k.starts_with(&upper))
                    .map(|k| k.to_string())
                    .collect()
            }
            _ => Vec::new(),
        };
        Completions {
            start: word_start,
            candidates,
        }
    }

    fn complete_question(&self, before: &str) -> Completions {
        let offset = before.len() - before.trim_start().len();
        let text = &before[offset..];
        let lower = text.to_lowercase();
        // Still typing the form itself.
        let forms: Vec<String> = QUESTION_FORMS
            .iter()
            .filter(|form| form.starts_with(&lower) && form.len() > lower.len())
            .map(|form| form.to_string())
            .collect();
        if !forms.is_empty() && !lower.is_empty() {
            return Completions {
                start: offset,
                candidates: forms,
            };
        }
        // Right after a form: every entity, or every topic.
        if ENTITY_FORMS.contains(&lower.as_str()) || lower.ends_with(" to ") {
            return Completions {
                start: before.len(),
                candidates: self.entity_names(""),
            };
        }
        if TOPIC_FORMS.contains(&lower.as_str()) {
            return Completions {
                start: before.len(),
                candidates: TOPIC_WORDS.iter().map(|w| w.to_string()).collect(),
            };
        }
        // Otherwise the longest run of trailing words that begins an entity name, so
        // "which sources mention Vladyslav Vol" completes the whole name.
        let mut word_starts: Vec<usize> = text
            .char_indices()
            .filter(|(i, c)| {
                !c.is_whitespace() && (*i == 0 || text[..*i].ends_with(char::is_whitespace))
            })
            .map(|(i, _)| i)
            .collect();
        word_starts.retain(|start| !text[*start..].trim().is_empty());
        for start in word_starts {
            let fragment = &text[start..];
            let names = self.entity_names(fragment);
            if !names.is_empty() {
                return Completions {
                    start: offset + start,
                    candidates: names,
                };
            }
        }
        // A topic after a topic form.
        if let Some(form) = TOPIC_FORMS.iter().find(|f| lower.starts_with(*f)) {
            let typed = &lower[form.len()..];
            return Completions {
                start: offset + form.len(),
                candidates: filter_prefix(TOPIC_WORDS.iter().copied(), typed),
            };
        }
        Completions::default()
    }

    /// A hint for the rest of the line: the rest of a question form, or of the one entity
    /// name that completes it. History hints are added by the line editor.
    pub fn hint(&self, line: &str, pos: usize) -> Option<String> {
        if pos != line.len() || line.trim().is_empty() || line.starts_with('.') {
            return None;
        }
        if is_cypher(line) {
            return None;
        }
        let lower = line.to_lowercase();
        QUESTION_FORMS
            .iter()
            .find(|form| form.starts_with(&lower) && form.len() > lower.len())
            .map(|form| form[lower.len()..].to_string())
    }
}

/// Candidates from `options` that start with `prefix`, ignoring case.
fn filter_prefix<'a>(options: impl Iterator<Item = &'a str>, prefix: &str) -> Vec<String> {
    let prefix = prefix.to_lowercase();
    options
        .filter(|o| o.to_lowercase().starts_with(&prefix))
        .map(str::to_string)
        .collect()
}

/// Where the text of an unclosed string literal starts, if the cursor is inside one.
fn open_quote(before: &str) -> Option<usize> {
    let mut open: Option<(char, usize)> = None;
    let mut escaped = false;
    for (i, c) in before.char_indices() {
        match open {
            Some((quote, _)) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == quote {
                    open = None;
                }
            }
            None if c == '\'' || c == '"' => open = Some((c, i + 1)),
            None => {}
        }
    }
    open.map(|(_, start)| start)
}

/// The innermost bracket, `(` or `[`, that is still open at the end of `text`.
fn open_bracket(text: &str) -> Option<char> {
    let mut stack = Vec::new();
    for c in text.chars() {
        match c {
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.into_iter().rev().find(|c| *c != '{')
}

/// The variable name that ends `text` (the part before a `.`).
fn variable_before_dot(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &text[start..]
}

/// The property names a variable can have: those of its label or relationship type when
/// the statement declares it (`(p:Person)`, `[r:VIA]`), else every property name.
fn property_names(statement: &str, variable: &str) -> Vec<&'static str> {
    if !variable.is_empty() {
        for (i, _) in statement.match_indices(variable) {
            let before = statement[..i].trim_end();
            let after = statement[i + variable.len()..].trim_start();
            let Some(type_name) = after.strip_prefix(':') else {
                continue;
            };
            let type_name: String = type_name
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if before.ends_with('(') {
                if let Some(label) = Label::parse(&type_name) {
                    return label.property_names().to_vec();
                }
            } else if before.ends_with('[') {
                if let Some(rel) = RelType::parse(&type_name) {
                    return rel.property_names().to_vec();
                }
            }
        }
    }
    let mut all: BTreeSet<&'static str> = BTreeSet::new();
    for label in Label::ALL {
        all.extend(label.property_names());
    }
    all.into_iter().collect()
}

/// Files and folders that complete the path typed from `start` on.
fn complete_path(before: &str, start: usize) -> Completions {
    let typed = &before[start..];
    let quote = typed.starts_with('"').then_some('"');
    let typed = typed.trim_start_matches('"');
    let (folder, prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let listing = if folder.is_empty() {
        Path::new(".")
    } else {
        Path::new(folder)
    };
    let mut candidates: Vec<String> = std::fs::read_dir(listing)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|entry| {
                    let name = entry.file_name().into_string().ok()?;
                    if !name.starts_with(prefix)
                        || (name.starts_with('.') && !prefix.starts_with('.'))
                    {
                        return None;
                    }
                    let slash = if entry.path().is_dir() { "/" } else { "" };
                    let quote = quote.map(String::from).unwrap_or_default();
                    Some(format!("{quote}{folder}{name}{slash}"))
                })
                .collect()
        })
        .unwrap_or_default();
    candidates.sort();
    Completions { start, candidates }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Edge, KnowledgeGraph, Node, NodeData, OrgKind};

    fn index() -> CompletionIndex {
        let mut graph = KnowledgeGraph::new();
        let person = graph.add_node(Node {
            name: "Vladyslav Voloshyn".into(),
            aliases: vec!["Voloshyn".into()],
            data: NodeData::Person {
                roles: vec!["spokesperson".into()],
            },
        });
        let place = graph.add_node(Node {
            name: "Luhansk".into(),
            aliases: vec!["Lugansk".into()],
            data: NodeData::Place(Box::new(crate::graph::PlaceData {
                kind: "region".into(),
                country: Some("Ukraine".into()),
                lat: None,
                lon: None,
            })),
        });
        let navy = graph.add_node(Node {
            name: "Ukrainian Navy".into(),
            aliases: Vec::new(),
            data: NodeData::Organization {
                kind: OrgKind::Military,
            },
        });
        graph.add_node(Node {
            name: "voloshyn-interview.txt".into(),
            aliases: Vec::new(),
            data: NodeData::Document(Box::new(crate::graph::DocumentData {
                title: None,
                outlet: None,
                author: None,
                date: None,
                url: None,
            })),
        });
        graph.add_edge(person, navy, Edge::new(RelType::AffiliatedWith));
        graph.add_edge(place, place, Edge::new(RelType::LocatedIn));
        let mut index = CompletionIndex::from_graph(&graph);
        index.set_params(["place".to_string(), "person".to_string()]);
        index
    }

    fn complete(line: &str) -> (String, Vec<String>) {
        let completions = index().complete(line, line.len());
        (
            line[completions.start..].to_string(),
            completions.candidates,
        )
    }

    #[test]
    fn dot_commands_complete_from_the_table() {
        assert_eq!(complete(".mo"), ("mo".into(), vec!["mode".into()]));
        assert_eq!(
            complete(".e"),
            ("e".into(), vec!["export".into(), "exit".into()])
        );
        assert_eq!(complete(".mode c"), ("c".into(), vec!["csv".into()]));
        assert_eq!(
            complete(".timer "),
            ("".into(), vec!["on".into(), "off".into()])
        );
        assert_eq!(complete(".help sch"), ("sch".into(), vec!["schema".into()]));
        assert_eq!(
            complete(".export gr"),
            ("gr".into(), vec!["graphml".into()])
        );
        assert_eq!(complete(".param pl"), ("pl".into(), vec!["place".into()]));
        assert!(complete(".stats ").1.is_empty());
    }

    #[test]
    fn param_values_complete_entity_names() {
        assert_eq!(
            complete(".param who Vladyslav V"),
            ("Vladyslav V".into(), vec!["Vladyslav Voloshyn".into()])
        );
    }

    #[test]
    fn question_forms_complete_and_hint() {
        assert_eq!(
            complete("which s"),
            ("which s".into(), vec!["which sources mention ".into()])
        );
        assert_eq!(
            complete("wh").1,
            vec![
                "who reported ".to_string(),
                "what did ".into(),
                "where were ".into(),
                "which sources mention ".into(),
                "who is ".into(),
                "what is ".into(),
            ]
        );
        assert_eq!(index().hint("which so", 8), Some("urces mention ".into()));
        assert_eq!(index().hint("MATCH (p", 8), None);
    }

    #[test]
    fn entity_names_complete_across_words_and_case() {
        assert_eq!(
            complete("which sources mention vladyslav vo"),
            ("vladyslav vo".into(), vec!["Vladyslav Voloshyn".into()])
        );
        assert_eq!(
            complete("who reported desertions in Luh"),
            ("Luh".into(), vec!["Luhansk".into()])
        );
        assert_eq!(
            complete("who is Vol"),
            ("Vol".into(), vec!["Voloshyn".into()])
        );
        // Document ids are not entities.
        assert!(!complete("who is ").1.iter().any(|n| n.ends_with(".txt")));
        assert_eq!(complete("who is ").1.len(), 5);
    }

    #[test]
    fn topics_complete_after_topic_forms() {
        assert_eq!(
            complete("who reported des"),
            ("des".into(), vec!["desertions".into()])
        );
        assert_eq!(complete("how many ").1.len(), TOPIC_WORDS.len());
    }

    #[test]
    fn labels_and_relationship_types_complete_in_patterns() {
        assert_eq!(
            complete("MATCH (p:Pe"),
            ("Pe".into(), vec!["Person".into()])
        );
        assert_eq!(
            complete("MATCH (p)-[:AF"),
            ("AF".into(), vec!["AFFILIATED_WITH".into()])
        );
        assert_eq!(
            complete("MATCH (p)-[r:VIA|SO"),
            ("SO".into(), vec!["SOURCED_FROM".into()])
        );
        assert_eq!(complete("MATCH (:").1.len(), Label::ALL.len());
    }

    #[test]
    fn properties_follow_the_variable_label() {
        assert_eq!(
            complete("MATCH (p:Person) RETURN p.").1,
            vec!["name".to_string(), "aliases".into(), "roles".into()]
        );
        assert_eq!(
            complete("MATCH (x:Place)\nWHERE x.co"),
            ("co".into(), vec!["country".into()])
        );
        assert_eq!(
            complete("MATCH (a)-[r:VIA]->(b) RETURN r.").1,
            vec!["order".to_string()]
        );
        // An unlabelled variable gets every property name.
        assert!(complete("MATCH (n) RETURN n.")
            .1
            .contains(&"quantity".to_string()));
    }

    #[test]
    fn cypher_strings_parameters_and_keywords() {
        assert_eq!(
            complete("MATCH (p {name: 'Vlad"),
            ("Vlad".into(), vec!["Vladyslav Voloshyn".into()])
        );
        assert_eq!(
            complete("MATCH (p {name: $pe").1,
            vec!["person".to_string()]
        );
        assert_eq!(
            complete("MATCH (p) RET"),
            ("RET".into(), vec!["RETURN".into()])
        );
    }

    #[test]
    fn paths_complete_from_the_file_system() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::create_dir(folder.path().join("articles")).unwrap();
        std::fs::write(folder.path().join("answers.kgq"), "").unwrap();
        let typed = format!(".read {}/a", folder.path().display());
        let completions = index().complete(&typed, typed.len());
        let base = folder.path().display().to_string();
        assert_eq!(
            completions.candidates,
            vec![format!("{base}/answers.kgq"), format!("{base}/articles/")]
        );
        assert_eq!(&typed[completions.start..], format!("{base}/a"));
    }
}

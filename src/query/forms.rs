//! The question forms of DESIGN.md ("who reported desertions in Luhansk"), each compiled
//! straight into the syntax tree the Cypher parser builds. Names are resolved through
//! the name index to canonical node names first, so the printed Cypher filters on
//! `name IN [...]` and runs unchanged in Neo4j.

use super::ast::*;
use super::execute::{self, Val};
use super::{plan, stopped_note, Limits, Params, QueryError, ResultSet};
use crate::extract::topics::topic_of_phrase;
use crate::graph::{name_key, GraphRead, Label, NodeId, RelType, Topic, Value};
use regex::Regex;
use std::sync::LazyLock;

/// The forms, as shown in help and error messages.
pub const FORMS: &[&str] = &[
    "who reported <topic> [in <place>]",
    "what did <entity> report|say|claim",
    "where were <topic> reported",
    "how many <topic> [in <place>]",
    "which sources mention <entity>",
    "who is <entity>",
    "what is <entity>",
    "claims about <entity>",
    "conflicting claims [about <topic>]",
    "path from <entity> to <entity>",
];

/// How deep "in <place>" looks: village, town, region, country.
const PLACE_DEPTH: u32 = 3;
/// How long a path `path from` looks for.
const PATH_DEPTH: u32 = 8;

/// Which form a question was, where it changes how rows are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKind {
    Rows,
    /// `path from`: one row per step of the shortest path.
    Path,
    /// `who is`: the last column is the entity's id, which makes one row per entity
    /// (two villages of one name stay two answers) and is not shown.
    Entity,
}

/// A compiled question.
#[derive(Clone, Debug)]
pub struct Form {
    pub question: String,
    pub query: Query,
    pub kind: FormKind,
    /// Notes for the user: unknown names and suggestions.
    pub notes: Vec<String>,
    /// The claim variables behind each answer row, for `explain`.
    pub provenance: Vec<&'static str>,
}

static QUESTION_WORDS: &[&str] = &[
    "who",
    "what",
    "where",
    "how",
    "which",
    "claims",
    "conflicting",
    "path",
];

fn form_regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("question form patterns compile")
}

static WHO_REPORTED: LazyLock<Regex> =
    LazyLock::new(|| form_regex(r"(?is)^who\s+(?:reported|has reported|claimed)\s+(.+)$"));
static WHAT_DID: LazyLock<Regex> = LazyLock::new(|| {
    form_regex(r"(?is)^what\s+did\s+(.+?)\s+(?:report|say|claim|said|reported|claimed)$")
});
static WHERE_WERE: LazyLock<Regex> =
    LazyLock::new(|| form_regex(r"(?is)^where\s+(?:were|was|are|is)\s+(.+?)\s+reported$"));
static HOW_MANY: LazyLock<Regex> = LazyLock::new(|| form_regex(r"(?is)^how\s+many\s+(.+)$"));
static WHICH_SOURCES: LazyLock<Regex> = LazyLock::new(|| {
    form_regex(
        r"(?is)^which\s+(?:sources|documents|articles)\s+(?:mention|mentioned|mentions)\s+(.+)$",
    )
});
static WHO_IS: LazyLock<Regex> =
    LazyLock::new(|| form_regex(r"(?is)^(?:who|what)\s+(?:is|are|was)\s+(.+)$"));
static CLAIMS_ABOUT: LazyLock<Regex> =
    LazyLock::new(|| form_regex(r"(?is)^claims\s+(?:about|on)\s+(.+)$"));
static CONFLICTING: LazyLock<Regex> = LazyLock::new(|| {
    form_regex(
        r"(?is)^(?:conflicting|contradicting|contradictory)\s+claims(?:\s+(?:about|on)\s+(.+))?$",
    )
});
static PATH_FROM: LazyLock<Regex> =
    LazyLock::new(|| form_regex(r"(?is)^(?:shortest\s+)?path\s+from\s+(.+)$"));

/// Compiles a question, or returns `None` when the input is not one (then it is Cypher).
pub fn parse_question(graph: &dyn GraphRead, input: &str) -> Result<Option<Form>, QueryError> {
    let question = input
        .trim()
        .trim_end_matches(['?', '.', ';', '!'])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let first = question
        .split(' ')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if !QUESTION_WORDS.contains(&first.as_str()) {
        return Ok(None);
    }
    let mut builder = Builder {
        graph,
        notes: Vec::new(),
    };
    let (query, kind, provenance) = if let Some(c) = WHO_REPORTED.captures(&question) {
        (builder.who_reported(&c[1]), FormKind::Rows, vec!["c"])
    } else if let Some(c) = WHAT_DID.captures(&question) {
        (builder.what_did(&c[1]), FormKind::Rows, vec!["c"])
    } else if let Some(c) = WHERE_WERE.captures(&question) {
        (builder.where_were(&c[1]), FormKind::Rows, vec!["c"])
    } else if let Some(c) = HOW_MANY.captures(&question) {
        (builder.how_many(&c[1]), FormKind::Rows, vec!["c"])
    } else if let Some(c) = WHICH_SOURCES.captures(&question) {
        (builder.which_sources(&c[1]), FormKind::Rows, vec![])
    } else if let Some(c) = CONFLICTING.captures(&question) {
        let topic = c.get(1).map(|m| m.as_str());
        (builder.conflicting(topic), FormKind::Rows, vec!["a", "b"])
    } else if let Some(c) = CLAIMS_ABOUT.captures(&question) {
        (builder.claims_about(&c[1]), FormKind::Rows, vec!["c"])
    } else if let Some(c) = PATH_FROM.captures(&question) {
        (builder.path(&c[1])?, FormKind::Path, vec![])
    } else if let Some(c) = WHO_IS.captures(&question) {
        (builder.who_is(&c[1]), FormKind::Entity, vec![])
    } else {
        return Err(QueryError::Question(format!(
            "cannot understand '{question}'; ask one of: {}",
            FORMS.join(", ")
        )));
    };
    Ok(Some(Form {
        question,
        query,
        kind,
        notes: builder.notes,
        provenance,
    }))
}

/// Nodes a name stands for, by their canonical names.
struct Resolved {
    names: Vec<String>,
    /// The label all of them share, so the pattern can say it (and use the index).
    label: Option<Label>,
}

struct Builder<'a> {
    graph: &'a dyn GraphRead,
    notes: Vec<String>,
}

fn node(var: Option<&str>, labels: &[Label]) -> NodePattern {
    NodePattern {
        var: var.map(str::to_string),
        labels: labels.to_vec(),
        props: Vec::new(),
    }
}

fn rel(var: Option<&str>, types: &[RelType], direction: Direction) -> RelPattern {
    RelPattern {
        var: var.map(str::to_string),
        types: types.to_vec(),
        direction,
        length: None,
        props: Vec::new(),
    }
}

fn pattern(start: NodePattern, steps: Vec<(RelPattern, NodePattern)>) -> Pattern {
    Pattern {
        path_var: None,
        shortest: false,
        start,
        steps,
    }
}

fn clause(patterns: Vec<Pattern>, where_: Option<Expr>) -> MatchClause {
    MatchClause {
        optional: false,
        patterns,
        where_,
    }
}

fn optional(patterns: Vec<Pattern>) -> MatchClause {
    MatchClause {
        optional: true,
        patterns,
        where_: None,
    }
}

fn item(expr: Expr, alias: &str) -> ReturnItem {
    ReturnItem {
        expr,
        alias: Some(alias.to_string()),
    }
}

fn sort(column: &str) -> SortItem {
    SortItem {
        expr: Expr::var(column),
        descending: false,
    }
}

fn ret(distinct: bool, items: Vec<ReturnItem>, order_by: Vec<SortItem>) -> Return {
    Return {
        distinct,
        items,
        order_by,
        skip: None,
        limit: None,
    }
}

/// `coalesce(v.kind, toLower(head(labels(v))))`: the kind column of DESIGN.md.
fn kind_of(var: &str) -> Expr {
    Expr::call(
        "coalesce",
        vec![
            Expr::prop(var, "kind"),
            Expr::call(
                "toLower",
                vec![Expr::call(
                    "head",
                    vec![Expr::call("labels", vec![Expr::var(var)])],
                )],
            ),
        ],
    )
}

fn collect_distinct(expr: Expr) -> Expr {
    Expr::Call {
        name: "collect".to_string(),
        distinct: true,
        args: vec![expr],
    }
}

fn names_in(var: &str, names: &[String]) -> Expr {
    Expr::binary(
        BinaryOp::In,
        Expr::prop(var, "name"),
        Expr::List(names.iter().map(|n| Expr::string(n)).collect()),
    )
}

/// The indexed name closest to `name`, when it is close enough to be a typo.
pub fn suggest(graph: &dyn GraphRead, name: &str) -> Option<String> {
    let key = name_key(name);
    let allowed = (key.chars().count() / 3).clamp(1, 3);
    // Ranked by distance, then canonical names before aliases: "Luhansck" is as close
    // to the alias "Luhans'k" as to "Luhansk", and the canonical name reads better.
    let mut best: Option<((usize, bool), &str)> = None;
    for (candidate, id) in graph.indexed_names() {
        let candidate_key = name_key(candidate);
        // Lengths that differ by more than the allowance cannot be close enough.
        if candidate_key.len().abs_diff(key.len()) > allowed * 4 {
            continue;
        }
        let distance = strsim::levenshtein(&key, &candidate_key);
        let rank = (distance, name_key(&graph.node(id).name) != candidate_key);
        if distance <= allowed && best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, candidate));
        }
    }
    best.map(|(_, name)| name.to_string())
}

/// The topic whose name is closest to a mistyped one ("desertionz", "casualtis").
fn suggest_topic(phrase: &str) -> Option<&'static str> {
    let key = name_key(phrase);
    let allowed = (key.chars().count() / 3).clamp(1, 3);
    Topic::ALL
        .iter()
        .map(|topic| {
            let name = topic.as_str();
            // "desertions" is one letter from "desertion" too many; compare both ways.
            let distance =
                strsim::levenshtein(&key, name).min(strsim::levenshtein(&key, &format!("{name}s")));
            (distance, name)
        })
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

fn clean_name(phrase: &str) -> &str {
    phrase
        .trim()
        .trim_matches(|c| {
            matches!(
                c,
                '"' | '\'' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}'
            )
        })
        .trim()
}

impl Builder<'_> {
    fn lookup(&self, phrase: &str, labels: &[Label]) -> Vec<NodeId> {
        let mut candidates = vec![phrase.to_string()];
        let lower = phrase.to_lowercase();
        if let Some(rest) = lower.strip_prefix("the ") {
            candidates.push(phrase[phrase.len() - rest.len()..].to_string());
        }
        for suffix in ["'s", "\u{2019}s"] {
            if let Some(rest) = phrase.strip_suffix(suffix) {
                candidates.push(rest.to_string());
            }
        }
        for candidate in candidates {
            let ids: Vec<NodeId> = self
                .graph
                .lookup(&candidate)
                .into_iter()
                .filter(|id| labels.is_empty() || labels.contains(&self.graph.node(*id).label()))
                .collect();
            if !ids.is_empty() {
                return ids;
            }
        }
        Vec::new()
    }

    /// Resolves an entity name, or notes that it is unknown (with a suggestion).
    fn entity(&mut self, phrase: &str, labels: &[Label], what: &str) -> Resolved {
        let phrase = clean_name(phrase);
        let ids = self.lookup(phrase, labels);
        if ids.is_empty() {
            let suggestion = suggest(self.graph, phrase)
                .map(|s| format!("; did you mean {s}?"))
                .unwrap_or_default();
            self.notes.push(format!("no {what} '{phrase}'{suggestion}"));
            return Resolved {
                names: Vec::new(),
                label: labels.first().copied().filter(|_| labels.len() == 1),
            };
        }
        let mut names: Vec<String> = Vec::new();
        for id in &ids {
            let name = &self.graph.node(*id).name;
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        let first = self.graph.node(ids[0]).label();
        let label = ids
            .iter()
            .all(|id| self.graph.node(*id).label() == first)
            .then_some(first);
        Resolved { names, label }
    }

    /// The topic a phrase names, or a note; `None` makes the query match nothing.
    fn topic(&mut self, phrase: &str) -> Option<Topic> {
        let phrase = clean_name(phrase);
        let topic = topic_of_phrase(phrase);
        if topic.is_none() {
            let suggestion = suggest_topic(phrase)
                .map(|t| format!("; did you mean {t}?"))
                .unwrap_or_default();
            let separator = if suggestion.is_empty() { ";" } else { "" };
            self.notes.push(format!(
                "no topic '{phrase}'{suggestion}{separator} topics are {}",
                Topic::ALL.map(|t| t.as_str()).join(", ")
            ));
        }
        topic
    }

    fn topic_condition(&mut self, var: &str, phrase: &str) -> Expr {
        match self.topic(phrase) {
            Some(topic) => Expr::binary(
                BinaryOp::Eq,
                Expr::prop(var, "topic"),
                Expr::string(topic.as_str()),
            ),
            None => Expr::binary(
                BinaryOp::In,
                Expr::prop(var, "topic"),
                Expr::List(Vec::new()),
            ),
        }
    }

    /// Splits "desertions in Luhansk" into topic and place, at the first " in " whose
    /// left side is a topic.
    fn topic_and_place<'p>(&self, phrase: &'p str) -> (&'p str, Option<&'p str>) {
        let lower = phrase.to_lowercase();
        let mut search = 0;
        while let Some(found) = lower[search..].find(" in ") {
            let at = search + found;
            let (topic, place) = (&phrase[..at], &phrase[at + 4..]);
            if topic_of_phrase(topic).is_some() && !place.trim().is_empty() {
                return (topic, Some(place));
            }
            search = at + 1;
        }
        (phrase, None)
    }

    /// `(c)-[:ABOUT]->(:Place)-[:LOCATED_IN*0..3]->(q:Place)` and `q.name IN [...]`.
    fn place_filter(&mut self, claim: &str, phrase: &str) -> (Pattern, Expr) {
        let place = self.entity(phrase, &[Label::Place], "place");
        let mut located = rel(None, &[RelType::LocatedIn], Direction::Right);
        located.length = Some((0, PLACE_DEPTH));
        let pattern = pattern(
            node(Some(claim), &[]),
            vec![
                (
                    rel(None, &[RelType::About], Direction::Right),
                    node(None, &[Label::Place]),
                ),
                (located, node(Some("q"), &[Label::Place])),
            ],
        );
        (pattern, names_in("q", &place.names))
    }

    fn who_reported(&mut self, phrase: &str) -> Query {
        let (topic, place) = self.topic_and_place(phrase);
        let mut patterns = vec![pattern(
            node(Some("r"), &[]),
            vec![
                (
                    rel(None, &[RelType::Reported], Direction::Right),
                    node(Some("c"), &[Label::Claim]),
                ),
                (
                    rel(None, &[RelType::SourcedFrom], Direction::Right),
                    node(Some("d"), &[Label::Document]),
                ),
            ],
        )];
        let mut condition = self.topic_condition("c", topic);
        if let Some(place) = place {
            let (place_pattern, place_condition) = self.place_filter("c", place);
            patterns.push(place_pattern);
            condition = Expr::and(Some(condition), place_condition);
        }
        Query {
            matches: vec![
                clause(patterns, Some(condition)),
                self.places_clause("c", "p"),
                self.via_clause("c", "o"),
            ],
            ret: ret(
                false,
                vec![
                    item(Expr::prop("r", "name"), "reporter"),
                    item(kind_of("r"), "reporter_kind"),
                    item(Expr::prop("c", "topic"), "topic"),
                    item(Expr::prop("c", "quantity"), "quantity"),
                    item(collect_distinct(Expr::prop("p", "name")), "places"),
                    item(collect_distinct(Expr::prop("o", "name")), "via"),
                    item(Expr::prop("d", "id"), "document"),
                    item(Expr::prop("c", "text"), "sentence"),
                ],
                vec![sort("reporter"), sort("document"), sort("sentence")],
            ),
        }
    }

    fn places_clause(&self, claim: &str, place: &str) -> MatchClause {
        optional(vec![pattern(
            node(Some(claim), &[]),
            vec![(
                rel(None, &[RelType::About], Direction::Right),
                node(Some(place), &[Label::Place]),
            )],
        )])
    }

    fn via_clause(&self, claim: &str, outlet: &str) -> MatchClause {
        optional(vec![pattern(
            node(Some(claim), &[]),
            vec![(
                rel(None, &[RelType::Via], Direction::Right),
                node(Some(outlet), &[Label::Organization]),
            )],
        )])
    }

    fn entity_node(var: &str, entity: &Resolved) -> NodePattern {
        node(Some(var), entity.label.as_slice())
    }

    fn what_did(&mut self, phrase: &str) -> Query {
        let entity = self.entity(phrase, &[], "entity");
        Query {
            matches: vec![
                clause(
                    vec![pattern(
                        Self::entity_node("e", &entity),
                        vec![
                            (
                                rel(None, &[RelType::Reported, RelType::Via], Direction::Both),
                                node(Some("c"), &[Label::Claim]),
                            ),
                            (
                                rel(None, &[RelType::SourcedFrom], Direction::Right),
                                node(Some("d"), &[Label::Document]),
                            ),
                        ],
                    )],
                    Some(names_in("e", &entity.names)),
                ),
                self.places_clause("c", "p"),
                self.via_clause("c", "o"),
            ],
            ret: ret(
                false,
                vec![
                    item(Expr::prop("c", "text"), "claim"),
                    item(Expr::prop("c", "topic"), "topic"),
                    item(Expr::prop("c", "quantity"), "quantity"),
                    item(collect_distinct(Expr::prop("p", "name")), "places"),
                    item(collect_distinct(Expr::prop("o", "name")), "via"),
                    item(Expr::prop("d", "id"), "document"),
                ],
                vec![sort("document"), sort("claim")],
            ),
        }
    }

    fn reporter_clause(&self, claim: &str, reporter: &str) -> MatchClause {
        optional(vec![pattern(
            node(Some(reporter), &[]),
            vec![(
                rel(None, &[RelType::Reported], Direction::Right),
                node(Some(claim), &[]),
            )],
        )])
    }

    fn where_were(&mut self, phrase: &str) -> Query {
        let condition = self.topic_condition("c", phrase);
        Query {
            matches: vec![
                clause(
                    vec![
                        pattern(
                            node(Some("c"), &[Label::Claim]),
                            vec![(
                                rel(None, &[RelType::About], Direction::Right),
                                node(Some("p"), &[Label::Place]),
                            )],
                        ),
                        pattern(
                            node(Some("c"), &[]),
                            vec![(
                                rel(None, &[RelType::SourcedFrom], Direction::Right),
                                node(Some("d"), &[Label::Document]),
                            )],
                        ),
                    ],
                    Some(condition),
                ),
                self.reporter_clause("c", "r"),
            ],
            ret: ret(
                true,
                vec![
                    item(Expr::prop("p", "name"), "place"),
                    item(Expr::prop("p", "kind"), "kind"),
                    item(Expr::prop("p", "country"), "country"),
                    item(Expr::prop("r", "name"), "reporter"),
                    item(Expr::prop("d", "id"), "document"),
                ],
                vec![sort("place"), sort("reporter"), sort("document")],
            ),
        }
    }

    fn how_many(&mut self, phrase: &str) -> Query {
        let (topic, place) = self.topic_and_place(phrase);
        let mut patterns = vec![pattern(
            node(Some("c"), &[Label::Claim]),
            vec![(
                rel(None, &[RelType::SourcedFrom], Direction::Right),
                node(Some("d"), &[Label::Document]),
            )],
        )];
        let mut condition = Expr::and(
            Some(self.topic_condition("c", topic)),
            Expr::IsNull {
                expr: Box::new(Expr::prop("c", "quantity")),
                negated: true,
            },
        );
        if let Some(place) = place {
            let (place_pattern, place_condition) = self.place_filter("c", place);
            patterns.push(place_pattern);
            condition = Expr::and(Some(condition), place_condition);
        }
        Query {
            matches: vec![
                clause(patterns, Some(condition)),
                self.reporter_clause("c", "r"),
            ],
            ret: ret(
                true,
                vec![
                    item(Expr::prop("c", "quantity"), "quantity"),
                    item(Expr::prop("c", "low"), "low"),
                    item(Expr::prop("c", "high"), "high"),
                    item(Expr::prop("c", "unit"), "unit"),
                    item(Expr::prop("c", "period"), "period"),
                    item(Expr::prop("r", "name"), "reporter"),
                    item(Expr::prop("d", "id"), "document"),
                    item(Expr::prop("c", "text"), "sentence"),
                ],
                vec![sort("document"), sort("sentence"), sort("reporter")],
            ),
        }
    }

    fn which_sources(&mut self, phrase: &str) -> Query {
        let entity = self.entity(phrase, &[], "entity");
        Query {
            matches: vec![clause(
                vec![pattern(
                    Self::entity_node("e", &entity),
                    vec![(
                        rel(Some("m"), &[RelType::MentionedIn], Direction::Right),
                        node(Some("d"), &[Label::Document]),
                    )],
                )],
                Some(names_in("e", &entity.names)),
            )],
            ret: ret(
                false,
                vec![
                    item(Expr::prop("d", "id"), "document"),
                    item(Expr::prop("d", "title"), "title"),
                    item(Expr::prop("d", "outlet"), "outlet"),
                    item(
                        Expr::call("sum", vec![Expr::prop("m", "count")]),
                        "mentions",
                    ),
                ],
                vec![
                    SortItem {
                        expr: Expr::var("mentions"),
                        descending: true,
                    },
                    sort("document"),
                ],
            ),
        }
    }

    fn who_is(&mut self, phrase: &str) -> Query {
        let entity = self.entity(phrase, &[], "entity");
        let mut located = rel(None, &[RelType::LocatedIn], Direction::Right);
        located.length = Some((1, PLACE_DEPTH));
        Query {
            matches: vec![
                clause(
                    vec![pattern(Self::entity_node("n", &entity), vec![])],
                    Some(names_in("n", &entity.names)),
                ),
                optional(vec![pattern(
                    node(Some("n"), &[]),
                    vec![(
                        rel(
                            None,
                            &[RelType::AffiliatedWith, RelType::PartOf],
                            Direction::Right,
                        ),
                        node(Some("a"), &[]),
                    )],
                )]),
                optional(vec![pattern(
                    node(Some("n"), &[]),
                    vec![(located, node(Some("p"), &[Label::Place]))],
                )]),
                optional(vec![pattern(
                    node(Some("n"), &[]),
                    vec![(
                        rel(None, &[RelType::MentionedIn], Direction::Right),
                        node(Some("d"), &[Label::Document]),
                    )],
                )]),
            ],
            ret: ret(
                false,
                vec![
                    item(Expr::prop("n", "name"), "name"),
                    item(kind_of("n"), "kind"),
                    item(Expr::prop("n", "aliases"), "aliases"),
                    item(
                        Expr::call(
                            "coalesce",
                            vec![Expr::prop("n", "roles"), Expr::List(Vec::new())],
                        ),
                        "roles",
                    ),
                    item(collect_distinct(Expr::prop("a", "name")), "affiliations"),
                    item(collect_distinct(Expr::prop("p", "name")), "places"),
                    item(collect_distinct(Expr::prop("d", "id")), "documents"),
                    // Grouping by the node, not only by its name; hidden from the answer.
                    item(Expr::call("id", vec![Expr::var("n")]), "entity"),
                ],
                vec![sort("name"), sort("kind"), sort("entity")],
            ),
        }
    }

    fn claims_about(&mut self, phrase: &str) -> Query {
        let entity = self.entity(phrase, &[], "entity");
        let mut located = rel(None, &[RelType::LocatedIn], Direction::Right);
        located.length = Some((0, PLACE_DEPTH));
        Query {
            matches: vec![
                clause(
                    vec![
                        pattern(
                            node(Some("c"), &[Label::Claim]),
                            vec![
                                (
                                    rel(None, &[RelType::About], Direction::Right),
                                    node(Some("t"), &[]),
                                ),
                                (located, Self::entity_node("e", &entity)),
                            ],
                        ),
                        pattern(
                            node(Some("c"), &[]),
                            vec![(
                                rel(None, &[RelType::SourcedFrom], Direction::Right),
                                node(Some("d"), &[Label::Document]),
                            )],
                        ),
                    ],
                    Some(names_in("e", &entity.names)),
                ),
                self.reporter_clause("c", "r"),
            ],
            ret: ret(
                true,
                vec![
                    item(Expr::prop("c", "text"), "claim"),
                    item(Expr::prop("c", "topic"), "topic"),
                    item(Expr::prop("r", "name"), "reporter"),
                    item(Expr::prop("c", "quantity"), "quantity"),
                    item(Expr::prop("d", "id"), "document"),
                ],
                vec![sort("document"), sort("claim"), sort("reporter")],
            ),
        }
    }

    fn conflicting(&mut self, topic: Option<&str>) -> Query {
        let sourced = |claim: &str, document: &str| {
            pattern(
                node(Some(claim), &[]),
                vec![(
                    rel(None, &[RelType::SourcedFrom], Direction::Right),
                    node(Some(document), &[Label::Document]),
                )],
            )
        };
        let condition = topic.map(|t| self.topic_condition("a", t));
        Query {
            matches: vec![
                clause(
                    vec![
                        pattern(
                            node(Some("a"), &[Label::Claim]),
                            vec![(
                                rel(None, &[RelType::Contradicts], Direction::Right),
                                node(Some("b"), &[Label::Claim]),
                            )],
                        ),
                        sourced("a", "da"),
                        sourced("b", "db"),
                    ],
                    condition,
                ),
                optional(vec![pattern(
                    node(Some("a"), &[]),
                    vec![
                        (
                            rel(None, &[RelType::About], Direction::Right),
                            node(Some("s"), &[]),
                        ),
                        (
                            rel(None, &[RelType::About], Direction::Left),
                            node(Some("b"), &[]),
                        ),
                    ],
                )]),
            ],
            ret: ret(
                false,
                vec![
                    item(Expr::prop("a", "text"), "claim_a"),
                    item(Expr::prop("da", "id"), "source_a"),
                    item(Expr::prop("b", "text"), "claim_b"),
                    item(Expr::prop("db", "id"), "source_b"),
                    item(Expr::prop("a", "topic"), "topic"),
                    item(collect_distinct(Expr::prop("s", "name")), "subject"),
                ],
                vec![sort("topic"), sort("source_a"), sort("claim_a")],
            ),
        }
    }

    /// Splits "X to Y" where both sides name something, else at the first " to ".
    fn path(&mut self, phrase: &str) -> Result<Query, QueryError> {
        let lower = phrase.to_lowercase();
        let splits: Vec<usize> = lower.match_indices(" to ").map(|(i, _)| i).collect();
        let Some(&first_split) = splits.first() else {
            return Err(QueryError::Question(
                "say where the path goes: path from <entity> to <entity>".to_string(),
            ));
        };
        let at = splits
            .iter()
            .copied()
            .find(|&i| {
                !self.lookup(clean_name(&phrase[..i]), &[]).is_empty()
                    && !self.lookup(clean_name(&phrase[i + 4..]), &[]).is_empty()
            })
            .unwrap_or(first_split);
        let from = self.entity(&phrase[..at], &[], "entity");
        let to = self.entity(&phrase[at + 4..], &[], "entity");
        let mut any = rel(None, &[], Direction::Both);
        any.length = Some((1, PATH_DEPTH));
        let shortest = Pattern {
            path_var: Some("p".to_string()),
            shortest: true,
            start: node(Some("a"), &[]),
            steps: vec![(any, node(Some("b"), &[]))],
        };
        Ok(Query {
            matches: vec![clause(
                vec![
                    pattern(Self::entity_node("a", &from), vec![]),
                    pattern(Self::entity_node("b", &to), vec![]),
                    shortest,
                ],
                Some(Expr::and(
                    Some(names_in("a", &from.names)),
                    names_in("b", &to.names),
                )),
            )],
            ret: ret(
                false,
                vec![ReturnItem {
                    expr: Expr::var("p"),
                    alias: None,
                }],
                vec![SortItem {
                    expr: Expr::call("length", vec![Expr::var("p")]),
                    descending: false,
                }],
            ),
        })
    }
}

impl Form {
    /// Runs the compiled question.
    pub fn run(
        &self,
        graph: &dyn GraphRead,
        params: &Params,
        limits: &Limits,
    ) -> Result<ResultSet, QueryError> {
        let plan = plan::plan(&self.query);
        let table = execute::run_with_limits(graph, &plan, params, limits)?;
        let mut notes = self.notes.clone();
        notes.extend(table.stopped_at.map(stopped_note));
        let (columns, rows) = match self.kind {
            FormKind::Rows => (
                table.columns,
                table
                    .rows
                    .iter()
                    .map(|row| row.iter().map(|v| v.to_value(graph)).collect())
                    .collect(),
            ),
            FormKind::Entity => {
                let shown = table.columns.len().saturating_sub(1);
                (
                    table.columns[..shown].to_vec(),
                    table
                        .rows
                        .iter()
                        .map(|row| row[..shown].iter().map(|v| v.to_value(graph)).collect())
                        .collect(),
                )
            }
            FormKind::Path => {
                let columns = ["step", "node", "kind", "relation"]
                    .map(String::from)
                    .to_vec();
                let path = table.rows.iter().find_map(|row| match row.first() {
                    Some(Val::Path(path)) => Some(path.clone()),
                    _ => None,
                });
                let rows = match path {
                    Some(path) => path_rows(graph, &path),
                    None => {
                        if self.notes.is_empty() {
                            notes.push(format!("no path within {PATH_DEPTH} steps"));
                        }
                        Vec::new()
                    }
                };
                (columns, rows)
            }
        };
        Ok(ResultSet {
            columns,
            rows,
            notes,
            explanation: None,
        })
    }
}

/// One row per node of a path, with the relationship that led to it.
fn path_rows(graph: &dyn GraphRead, path: &execute::PathData) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    for (step, node_id) in path.nodes.iter().enumerate() {
        let node = graph.node(*node_id);
        let relation = if step == 0 {
            Value::Null
        } else {
            let edge = path.edges[step - 1];
            let (source, _) = graph.endpoints(edge);
            let rel = graph.edge(edge).rel;
            Value::Str(if source == path.nodes[step - 1] {
                format!("-[:{rel}]->")
            } else {
                format!("<-[:{rel}]-")
            })
        };
        rows.push(vec![
            Value::Int(step as i64),
            Value::Str(node.name.clone()),
            Value::Str(node.kind()),
            relation,
        ]);
    }
    rows
}

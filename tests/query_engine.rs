//! The query engine through its library API: printing and parsing agree, question forms
//! build the tree the parser builds, no input makes the parser panic, errors point at
//! the fault, and entity questions start from the name index.

mod query_fixture;

use claimgraph::graph::{Edge, GraphRead, KnowledgeGraph, Label, Node, NodeData, OrgKind, RelType};
use claimgraph::query::{self, forms, parser, plan, Params, QueryError};
use std::path::Path;

fn cypher_statements() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/queries");
    let mut statements = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "kgq") {
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                let upper = line.trim_start().to_ascii_uppercase();
                if upper.starts_with("MATCH")
                    || upper.starts_with("RETURN")
                    || upper.starts_with("OPTIONAL")
                {
                    statements.push(line.to_string());
                }
            }
        }
    }
    assert!(
        statements.len() > 30,
        "the golden Cypher statements were not found"
    );
    statements
}

#[test]
fn every_golden_cypher_statement_prints_and_parses_back_to_the_same_tree() {
    let mut parsed = 0;
    for statement in cypher_statements() {
        let Ok(tree) = parser::parse_query(&statement) else {
            continue;
        };
        let printed = tree.to_string();
        let again = parser::parse_query(&printed).unwrap_or_else(|e| panic!("{printed}\n{e}"));
        assert_eq!(tree, again, "{statement}\nprinted as\n{printed}");
        parsed += 1;
    }
    assert!(parsed > 30);
}

const QUESTIONS: &[&str] = &[
    "who reported desertions",
    "who reported desertions in Luhansk",
    "what did HUR say",
    "what did Reuters report",
    "where were desertions reported",
    "how many desertions in Kherson region",
    "which sources mention Kreminna",
    "who is Syrskyi",
    "what is Kreminna",
    "claims about Luhansk",
    "conflicting claims",
    "conflicting claims about desertion",
    "path from Syrskyi to Kalanchak",
    "who is Nobody At All",
];

#[test]
fn question_forms_build_the_tree_their_printed_cypher_parses_to() {
    let graph = query_fixture::fixture();
    for question in QUESTIONS {
        let form = forms::parse_question(&graph, question).unwrap().unwrap();
        let printed = form.query.to_string();
        let parsed = parser::parse_query(&printed).unwrap_or_else(|e| panic!("{printed}\n{e}"));
        assert_eq!(parsed, form.query, "{question}");
    }
}

#[test]
fn questions_about_an_entity_start_from_the_name_index() {
    let graph = query_fixture::fixture();
    for question in [
        "who reported desertions in Luhansk",
        "what did HUR say",
        "how many desertions in Kherson region",
        "which sources mention Kreminna",
        "who is Syrskyi",
        "claims about Luhansk",
        "path from Syrskyi to Kalanchak",
    ] {
        let form = forms::parse_question(&graph, question).unwrap().unwrap();
        let plan = plan::plan(&form.query);
        let first = plan.to_string();
        assert!(first.starts_with("NameIndex"), "{question}:\n{first}");
    }
}

#[test]
fn cypher_matches_question_forms_and_is_case_insensitive() {
    let graph = query_fixture::fixture();
    let params = Params::new();
    let a = query::execute(&graph, "WHO REPORTED DESERTERS IN LUHANSK?", &params).unwrap();
    let b = query::execute(&graph, "who reported desertions in luhansk oblast", &params).unwrap();
    assert_eq!(a.rows, b.rows);
    assert_eq!(a.columns[0], "reporter");
    assert_eq!(a.rows.len(), 3);
}

#[test]
fn errors_in_multi_line_queries_point_at_line_and_column() {
    let graph = query_fixture::fixture();
    let input = "MATCH (p:Person)\nWHERE p.name = 'x' AND\nRETURN p.name";
    let error = query::execute(&graph, input, &Params::new()).unwrap_err();
    assert_eq!((error.line(), error.column()), (3, 1));
    assert_eq!(
        error.render(input),
        "error: line 3, column 1: expected an expression, found 'RETURN'\n  |\n3 | RETURN p.name\n  | ^"
    );
    let error = query::execute(&graph, "MATCH (n) RETURN $who", &Params::new()).unwrap_err();
    assert!(matches!(error, QueryError::MissingParameter(ref name) if name == "who"));
    assert_eq!(error.location("MATCH (n) RETURN $who"), (1, 18));
}

#[test]
fn explain_names_the_rule_and_span_behind_each_answer() {
    let graph = query_fixture::fixture();
    let explanation = query::explain(
        &graph,
        "how many desertions in Kherson region",
        &Params::new(),
    )
    .unwrap();
    assert!(explanation.cypher.contains("q.name IN ['Kherson region']"));
    assert!(explanation
        .plan
        .starts_with("NameIndex ['Kherson region'] (q:Place)"));
    let provenance = explanation.provenance.unwrap();
    assert_eq!(provenance.rows.len(), 1);
    let row: Vec<String> = provenance.rows[0].iter().map(|v| v.to_string()).collect();
    assert_eq!(
        row,
        [
            "1",
            "two",
            "c",
            "attribution.country_said",
            "kyiv-independent/2023-11-02-desertions.md",
            "1020..1100",
            "7"
        ]
    );
}

#[test]
fn parameters_take_literals_or_plain_text() {
    use claimgraph::graph::Value;
    assert_eq!(query::parse_param_value("3"), Value::Int(3));
    assert_eq!(
        query::parse_param_value("'Kyiv'"),
        Value::Str("Kyiv".into())
    );
    assert_eq!(query::parse_param_value("Kyiv"), Value::Str("Kyiv".into()));
    assert_eq!(
        query::parse_param_value("['a', 2]"),
        Value::List(vec![Value::Str("a".into()), Value::Int(2)])
    );
}

/// A small deterministic generator, so that a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn no_input_makes_the_parser_panic_and_what_parses_prints_back() {
    let graph = query_fixture::fixture();
    let seeds = cypher_statements();
    let pieces = [
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "-",
        "->",
        "<-",
        "*",
        "..",
        "'",
        "\"",
        "`",
        "$",
        ":",
        ",",
        ".",
        "|",
        " MATCH ",
        " RETURN ",
        " WHERE ",
        " NOT ",
        " AND ",
        " count(*) ",
        " IS NULL ",
        "é",
        "\n",
        "0",
        "1e999",
    ];
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for round in 0..4000 {
        let input: String = if round % 4 == 0 {
            // Random bytes, made into a string the way a terminal would.
            let bytes: Vec<u8> = (0..rng.below(60)).map(|_| rng.next() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            // A real statement with a few pieces inserted, replaced or deleted.
            let mut text: Vec<char> = seeds[rng.below(seeds.len())].chars().collect();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(text.len() + 1);
                match rng.below(3) {
                    0 => {
                        let piece = pieces[rng.below(pieces.len())];
                        text.splice(at..at, piece.chars());
                    }
                    1 if at < text.len() => {
                        text.remove(at);
                    }
                    _ => {
                        let end = (at + rng.below(8)).min(text.len());
                        text.drain(at..end);
                    }
                }
            }
            text.into_iter().collect()
        };
        if let Ok(tree) = parser::parse_query(&input) {
            let printed = tree.to_string();
            let again = parser::parse_query(&printed)
                .unwrap_or_else(|e| panic!("{input:?} printed as {printed:?}: {e}"));
            assert_eq!(tree, again, "{input:?}");
            // Variable-length patterns over random input may be slow in a debug build.
            if !input.contains('*') {
                let _ = query::execute(&graph, &input, &Params::new());
            }
        } else {
            let error = query::execute(&graph, &input, &Params::new());
            if let Err(error) = error {
                let _ = error.render(&input);
            }
        }
    }
}

/// A graph shaped like a large corpus: many documents, people, places and claims.
fn large_graph(claims: usize) -> KnowledgeGraph {
    use claimgraph::graph::{Claim, EdgeProps, Topic};
    let mut g = KnowledgeGraph::new();
    let country = g.add_node(Node {
        name: "Ukraine".into(),
        aliases: vec![],
        data: NodeData::Place {
            kind: "country".into(),
            country: None,
            lat: None,
            lon: None,
        },
    });
    let mut places = Vec::new();
    for i in 0..500 {
        let place = g.add_node(Node {
            name: format!("Town {i}"),
            aliases: vec![],
            data: NodeData::Place {
                kind: "town".into(),
                country: Some("Ukraine".into()),
                lat: None,
                lon: None,
            },
        });
        g.add_edge(place, country, Edge::new(RelType::LocatedIn));
        places.push(place);
    }
    let mut people = Vec::new();
    for i in 0..2000 {
        people.push(g.add_node(Node {
            name: format!("Person {i}"),
            aliases: vec![],
            data: NodeData::Person { roles: vec![] },
        }));
    }
    let outlet = g.add_node(Node {
        name: "Outlet".into(),
        aliases: vec![],
        data: NodeData::Organization {
            kind: OrgKind::Outlet,
        },
    });
    let mut documents = Vec::new();
    for i in 0..5000 {
        documents.push(g.add_node(Node {
            name: format!("doc/{i}.txt"),
            aliases: vec![],
            data: NodeData::Document {
                title: None,
                outlet: Some("Outlet".into()),
                author: None,
                date: None,
                url: None,
            },
        }));
    }
    for i in 0..claims {
        let document = documents[i % documents.len()];
        let claim = g.add_node(Node {
            name: format!("claim {i}"),
            aliases: vec![],
            data: NodeData::Claim(Box::new(Claim {
                text: format!("claim {i}"),
                quote: None,
                topic: Topic::ALL[i % Topic::ALL.len()],
                quantity: Some(format!("{i}")),
                low: Some(i as f64),
                high: Some(i as f64),
                unit: None,
                period: None,
                time: None,
                hedged: false,
                rule: "r".into(),
                document: format!("doc/{}.txt", i % documents.len()),
                sentence: 0,
                start: 0,
                end: 1,
            })),
        });
        let reporter = people[i % people.len()];
        g.add_edge(reporter, claim, Edge::new(RelType::Reported));
        g.add_edge(claim, places[i % places.len()], Edge::new(RelType::About));
        g.add_edge(claim, document, Edge::new(RelType::SourcedFrom));
        g.add_edge(
            claim,
            outlet,
            Edge {
                rel: RelType::Via,
                props: EdgeProps {
                    order: Some(1),
                    ..EdgeProps::default()
                },
            },
        );
        g.add_edge(reporter, document, Edge::new(RelType::MentionedIn));
    }
    g
}

#[test]
fn entity_questions_read_a_neighbourhood_not_the_graph() {
    // 100k claims make a graph of over 100k nodes; entity questions must not grow with it.
    let graph = large_graph(100_000);
    assert!(graph.node_count() > 100_000);
    let params = Params::new();
    for question in [
        "who is Person 7",
        "what did Person 7 say",
        "claims about Town 3",
        "which sources mention Person 7",
        "who reported desertions in Town 4",
    ] {
        let started = std::time::Instant::now();
        let results = query::execute(&graph, question, &params).unwrap();
        let elapsed = started.elapsed();
        assert!(!results.rows.is_empty(), "{question}");
        eprintln!("{question}: {} rows in {:?}", results.rows.len(), elapsed);
    }
    let people = graph.nodes_with_label(Label::Person).len();
    assert_eq!(people, 2000);
}

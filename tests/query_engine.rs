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
    use claimgraph::graph::{Claim, Topic};
    let mut g = KnowledgeGraph::new();
    let country = g.add_node(Node {
        name: "Ukraine".into(),
        aliases: vec![],
        data: NodeData::Place(Box::new(claimgraph::graph::PlaceData {
            kind: "country".into(),
            country: None,
            lat: None,
            lon: None,
        })),
    });
    let mut places = Vec::new();
    for i in 0..500 {
        let place = g.add_node(Node {
            name: format!("Town {i}"),
            aliases: vec![],
            data: NodeData::Place(Box::new(claimgraph::graph::PlaceData {
                kind: "town".into(),
                country: Some("Ukraine".into()),
                lat: None,
                lon: None,
            })),
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
            data: NodeData::Document(Box::new(claimgraph::graph::DocumentData {
                title: None,
                outlet: Some("Outlet".into()),
                author: None,
                date: None,
                url: None,
            })),
        }));
    }
    for i in 0..claims {
        let document = documents[i % documents.len()];
        let claim = g.add_node(Node {
            name: format!("claim {i}"),
            aliases: vec![],
            data: NodeData::Claim(Box::new(Claim {
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
                document: format!("doc/{}.txt", i % documents.len()).as_str().into(),
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
            Edge::new(RelType::Via).with_number("order", 1),
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

#[test]
fn who_is_gives_one_row_per_entity_with_its_lists_collected() {
    use claimgraph::graph::Edge;
    let mut g = KnowledgeGraph::new();
    let place = |g: &mut KnowledgeGraph, name: &str, kind: &str| {
        g.add_node(Node {
            name: name.into(),
            aliases: vec![],
            data: NodeData::Place(Box::new(claimgraph::graph::PlaceData {
                kind: kind.into(),
                country: Some("Ukraine".into()),
                lat: None,
                lon: None,
            })),
        })
    };
    // Two villages of one name in two regions: two answers, each with its own region.
    let donetsk = place(&mut g, "Donetsk region", "region");
    let kharkiv = place(&mut g, "Kharkiv region", "region");
    let first = place(&mut g, "Novoselivka", "village");
    let second = place(&mut g, "Novoselivka", "village");
    g.add_edge(first, donetsk, Edge::new(RelType::LocatedIn));
    g.add_edge(second, kharkiv, Edge::new(RelType::LocatedIn));
    // A person with two affiliations named in three documents: one row, not six.
    let person = g.add_node(Node {
        name: "Ivan Petrenko".into(),
        aliases: vec!["Petrenko".into()],
        data: NodeData::Person {
            roles: vec!["spokesperson".into()],
        },
    });
    for body in ["Army", "Ministry"] {
        let org = g.add_node(Node {
            name: body.into(),
            aliases: vec![],
            data: NodeData::Organization {
                kind: OrgKind::Government,
            },
        });
        g.add_edge(person, org, Edge::new(RelType::AffiliatedWith));
    }
    for i in 0..3 {
        let document = g.add_node(Node {
            name: format!("doc{i}.txt"),
            aliases: vec![],
            data: NodeData::Document(Box::new(claimgraph::graph::DocumentData {
                title: None,
                outlet: None,
                author: None,
                date: None,
                url: None,
            })),
        });
        g.add_edge(person, document, Edge::new(RelType::MentionedIn));
    }
    let answer = query::execute(&g, "who is Petrenko", &Params::new()).unwrap();
    assert_eq!(
        answer.columns,
        [
            "name",
            "kind",
            "aliases",
            "roles",
            "affiliations",
            "places",
            "documents"
        ]
    );
    assert_eq!(answer.rows.len(), 1);
    let cells: Vec<String> = answer.rows[0].iter().map(|v| v.to_string()).collect();
    assert_eq!(cells[4], "Army; Ministry");
    assert_eq!(cells[6], "doc0.txt; doc1.txt; doc2.txt");
    let answer = query::execute(&g, "what is Novoselivka", &Params::new()).unwrap();
    let places: Vec<String> = answer.rows.iter().map(|row| row[5].to_string()).collect();
    assert_eq!(places, ["Donetsk region", "Kharkiv region"]);
}

#[test]
fn the_row_limit_cuts_the_answer_and_says_so() {
    let graph = large_graph(2_000);
    let limits = query::Limits {
        max_rows: Some(50),
        timeout: None,
    };
    let answer = query::execute_with_limits(
        &graph,
        "MATCH (c:Claim) RETURN c.quantity",
        &Params::new(),
        &limits,
    )
    .unwrap();
    assert_eq!(answer.rows.len(), 50);
    assert_eq!(answer.notes, [query::stopped_note(50)]);
    // The same cap applies to question forms.
    let answer =
        query::execute_with_limits(&graph, "who reported desertions", &Params::new(), &limits)
            .unwrap();
    assert_eq!(answer.rows.len(), 50);
    assert!(answer.notes[0].starts_with("stopped at 50 rows"));
    // The default cap lets an ordinary answer through whole, without a note.
    let answer =
        query::execute(&graph, "MATCH (c:Claim) RETURN c.quantity", &Params::new()).unwrap();
    assert_eq!(answer.rows.len(), 2_000);
    assert!(answer.notes.is_empty());
}

#[test]
fn a_cut_answer_is_the_head_of_the_whole_answer() {
    // Grouped and ordered answers under a row limit or LIMIT aggregate only the groups
    // shown; they must still be the first rows of the whole answer, ties in the order
    // the groups were met.
    let graph = large_graph(2_000);
    let whole = query::Limits {
        max_rows: None,
        timeout: None,
    };
    let cut = query::Limits {
        max_rows: Some(37),
        timeout: None,
    };
    for statement in [
        "who reported desertions",
        "MATCH (r)-[:REPORTED]->(c:Claim) RETURN r.name AS reporter, collect(c.quantity) AS q, count(*) AS n ORDER BY reporter DESC",
        "MATCH (r)-[:REPORTED]->(c:Claim)-[:ABOUT]->(p) RETURN p.name AS place, r.name, count(*) ORDER BY place",
        "MATCH (r)-[:REPORTED]->(c:Claim) RETURN c.topic AS topic, r.name AS name, count(*) ORDER BY topic SKIP 5 LIMIT 20",
        "MATCH (r)-[:REPORTED]->(c:Claim) RETURN r.name, count(*) AS n SKIP 3 LIMIT 9",
        "MATCH (r)-[:REPORTED]->(c:Claim) RETURN r.name AS name, count(*) AS n ORDER BY n DESC, name",
    ] {
        let all = query::execute_with_limits(&graph, statement, &Params::new(), &whole).unwrap();
        let some = query::execute_with_limits(&graph, statement, &Params::new(), &cut).unwrap();
        let rows = all.rows.len();
        assert!(rows > 37 || statement.contains("LIMIT"), "{statement}: {rows} rows");
        let shown = all.rows.len().min(37);
        assert_eq!(some.rows, all.rows[..shown], "{statement}");
        assert_eq!(some.notes.is_empty(), all.rows.len() <= 37, "{statement}");
    }
}

#[test]
fn grouped_rows_count_once_whether_they_come_together_or_apart() {
    // 6,000 claims about 500 places, 12 each, reported by 4 people per place. Walked
    // from each place, a place's rows come one after another (and join the group
    // before them); scanned from the claims, the places come round again and again.
    let graph = large_graph(6_000);
    let run = |statement: &str| query::execute(&graph, statement, &Params::new()).unwrap();
    let together = run("MATCH (p:Place)<-[:ABOUT]-(c:Claim)<-[:REPORTED]-(r) RETURN p.name AS place, count(*) AS n, collect(DISTINCT r.name) AS reporters ORDER BY place");
    let apart = run("MATCH (c:Claim)-[:ABOUT]->(p:Place), (r)-[:REPORTED]->(c) RETURN p.name AS place, count(*) AS n, collect(DISTINCT r.name) AS reporters ORDER BY place");
    assert_eq!(together.rows.len(), 500);
    for row in &together.rows {
        assert_eq!(row[1], claimgraph::graph::Value::Int(12), "{row:?}");
        let claimgraph::graph::Value::List(reporters) = &row[2] else {
            panic!("{row:?}")
        };
        assert_eq!(reporters.len(), 4, "{row:?}");
    }
    let sorted = |rows: &[Vec<claimgraph::graph::Value>]| {
        let mut rows: Vec<_> = rows
            .iter()
            .map(|row| {
                let mut row = row.clone();
                if let claimgraph::graph::Value::List(items) = &mut row[2] {
                    items.sort_by_key(|item| format!("{item:?}"));
                }
                format!("{row:?}")
            })
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(sorted(&together.rows), sorted(&apart.rows));
}

#[test]
fn a_query_past_its_time_limit_stops_with_a_message() {
    let graph = large_graph(2_000);
    let limits = query::Limits {
        max_rows: None,
        timeout: Some(std::time::Duration::from_millis(20)),
    };
    let started = std::time::Instant::now();
    // Millions of pairs: far more than 20 ms of work, even in a release build.
    let error = query::execute_with_limits(
        &graph,
        "MATCH (a:Person), (b:Person) WHERE a.name < b.name RETURN count(*)",
        &Params::new(),
        &limits,
    )
    .unwrap_err();
    assert!(matches!(error, QueryError::Timeout { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("the query was stopped after 0.02 s (the time limit)"),
        "{error}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn the_parser_refuses_deep_nesting_on_a_small_stack() {
    // Test threads have small stacks: a recursive parser without a limit would overflow.
    for input in [
        format!("RETURN {}1{}", "(".repeat(100_000), ")".repeat(100_000)),
        format!("RETURN {}true", "NOT ".repeat(100_000)),
        format!("RETURN {}1", "-".repeat(100_000)),
        format!("RETURN {}1", "[".repeat(100_000)),
        format!("RETURN {}", "size(".repeat(100_000)),
    ] {
        let error = parser::parse_query(&input).unwrap_err();
        assert!(error.to_string().contains("nested too deeply"), "{error}");
    }
}

/// The path question gives a shortest path, step by real step, on graphs with hubs and
/// detours: checked against a plain breadth-first search on many small random graphs.
#[test]
fn path_from_gives_a_shortest_path_of_real_edges() {
    use claimgraph::graph::Edge;
    use std::collections::{HashMap, VecDeque};
    let mut seed: u64 = 7;
    let mut next = move |bound: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % bound
    };
    for case in 0..200 {
        let mut g = KnowledgeGraph::new();
        let count = 6 + next(20);
        let ids: Vec<_> = (0..count)
            .map(|i| {
                g.add_node(Node {
                    name: format!("Person{i}x"),
                    aliases: vec![],
                    data: NodeData::Person { roles: vec![] },
                })
            })
            .collect();
        let mut adjacent: HashMap<usize, Vec<usize>> = HashMap::new();
        // A hub joined to a third of the nodes, and a sparse scatter of other edges.
        for i in 1..count {
            if next(3) == 0 {
                g.add_edge(ids[0], ids[i], Edge::new(RelType::AffiliatedWith));
                adjacent.entry(0).or_default().push(i);
                adjacent.entry(i).or_default().push(0);
            }
        }
        for _ in 0..count {
            let (a, b) = (next(count), next(count));
            if a != b {
                g.add_edge(ids[a], ids[b], Edge::new(RelType::PartOf));
                adjacent.entry(a).or_default().push(b);
                adjacent.entry(b).or_default().push(a);
            }
        }
        let (from, to) = (1 + next(count - 1), 1 + next(count - 1));
        let mut distance = HashMap::from([(from, 0usize)]);
        let mut queue = VecDeque::from([from]);
        while let Some(node) = queue.pop_front() {
            for &other in adjacent.get(&node).into_iter().flatten() {
                if !distance.contains_key(&other) {
                    distance.insert(other, distance[&node] + 1);
                    queue.push_back(other);
                }
            }
        }
        let question = format!("path from Person{from}x to Person{to}x");
        let answer = query::execute(&g, &question, &Params::new()).unwrap();
        let names: Vec<String> = answer.rows.iter().map(|r| r[1].to_string()).collect();
        match distance.get(&to) {
            Some(d) if *d <= 8 => {
                assert_eq!(names.len(), d + 1, "case {case}: {question}: {names:?}");
                assert_eq!(names.first(), Some(&format!("Person{from}x")));
                assert_eq!(names.last(), Some(&format!("Person{to}x")));
                for pair in names.windows(2) {
                    let index = |name: &str| -> usize {
                        name.trim_start_matches("Person")
                            .trim_end_matches('x')
                            .parse()
                            .unwrap()
                    };
                    let (a, b) = (index(&pair[0]), index(&pair[1]));
                    assert!(
                        adjacent.get(&a).is_some_and(|n| n.contains(&b)),
                        "case {case}: {a} and {b} are not joined"
                    );
                }
            }
            _ => assert!(names.len() <= 1, "case {case}: {question}: {names:?}"),
        }
    }
}

/// A walk of every type lists a node's edges in edge order, except that edges with an
/// `order` (VIA) come after the others, in that order; on a busy node (whose edges the
/// graph lists by type) as on a quiet one.
#[test]
fn typeless_walks_list_ordered_edges_in_their_order() {
    for extra in [0, 300] {
        let mut g = KnowledgeGraph::new();
        let person = |g: &mut KnowledgeGraph, name: String| {
            g.add_node(Node {
                name,
                aliases: vec![],
                data: NodeData::Person { roles: vec![] },
            })
        };
        let a = person(&mut g, "Anchor".into());
        let second = person(&mut g, "Second".into());
        let first = person(&mut g, "First".into());
        let other = person(&mut g, "Other".into());
        g.add_edge(a, second, Edge::new(RelType::Via).with_number("order", 2));
        g.add_edge(a, other, Edge::new(RelType::AffiliatedWith));
        g.add_edge(a, first, Edge::new(RelType::Via).with_number("order", 1));
        for i in 0..extra {
            let node = person(&mut g, format!("Extra {i}"));
            g.add_edge(a, node, Edge::new(RelType::PartOf));
        }
        let answer = query::execute(
            &g,
            "MATCH (a)-[r]->(x) WHERE a.name = 'Anchor' RETURN type(r), x.name",
            &Params::new(),
        )
        .unwrap();
        let rows: Vec<String> = answer
            .rows
            .iter()
            .map(|row| format!("{} {}", row[0], row[1]))
            .collect();
        assert_eq!(rows.len(), 3 + extra);
        assert_eq!(rows[0], "AFFILIATED_WITH Other", "{extra}");
        assert_eq!(rows[extra + 1..], ["VIA First", "VIA Second"], "{extra}");
    }
}

#[test]
fn distinct_aggregates_keep_each_value_once_whether_its_rows_run_together_or_not() {
    // Two people affiliated with one organization each, mentioned in many documents:
    // `who is` meets the affiliation again in every document row. Then a walk whose
    // rows give a value, another, and the first again.
    let mut g = KnowledgeGraph::new();
    let person = |g: &mut KnowledgeGraph, name: &str| {
        g.add_node(Node {
            name: name.into(),
            aliases: vec![],
            data: NodeData::Person { roles: vec![] },
        })
    };
    let organization = |g: &mut KnowledgeGraph, name: &str| {
        g.add_node(Node {
            name: name.into(),
            aliases: vec![],
            data: NodeData::Organization {
                kind: OrgKind::Military,
            },
        })
    };
    let (anna, boris) = (person(&mut g, "Anna Lis"), person(&mut g, "Boris Lis"));
    let (army, navy) = (organization(&mut g, "Army"), organization(&mut g, "Navy"));
    g.add_edge(anna, army, Edge::new(RelType::AffiliatedWith));
    g.add_edge(boris, navy, Edge::new(RelType::AffiliatedWith));
    for i in 0..50 {
        let document = g.add_node(Node {
            name: format!("doc{i:02}.txt"),
            aliases: vec![],
            data: NodeData::Document(Box::default()),
        });
        for who in [anna, boris] {
            if i % 3 != 0 || who == anna {
                g.add_edge(who, document, Edge::new(RelType::MentionedIn));
            }
        }
    }
    let run = |statement: &str| query::execute(&g, statement, &Params::new()).unwrap();
    let answer = run("MATCH (n:Person) OPTIONAL MATCH (n)-[:AFFILIATED_WITH]->(a) OPTIONAL MATCH (n)-[:MENTIONED_IN]->(d:Document) RETURN n.name AS name, collect(DISTINCT a.name) AS affiliations, count(DISTINCT d) AS documents, count(DISTINCT a) AS bodies, count(a) AS rows ORDER BY name");
    let text = |row: &[claimgraph::graph::Value]| format!("{row:?}");
    assert_eq!(answer.rows.len(), 2);
    // Each person: one body, once, however many of its rows name it.
    for (row, (body, documents)) in answer.rows.iter().zip([("Army", 50), ("Navy", 33)]) {
        assert!(text(row).contains(&format!("\"{body}\"")), "{row:?}");
        assert_eq!(row[2], claimgraph::graph::Value::Int(documents), "{row:?}");
        assert_eq!(row[3], claimgraph::graph::Value::Int(1), "{row:?}");
        assert_eq!(row[4], claimgraph::graph::Value::Int(documents), "{row:?}");
    }
    // Documents come round to the same organization after another: still once each.
    let organizations = run("MATCH (d:Document)<-[:MENTIONED_IN]-(n)-[:AFFILIATED_WITH]->(a) RETURN count(*) AS rows, collect(DISTINCT a.name) AS bodies, count(DISTINCT a.name) AS distinct_bodies");
    assert_eq!(organizations.rows.len(), 1);
    assert_eq!(organizations.rows[0][0], claimgraph::graph::Value::Int(83));
    assert_eq!(organizations.rows[0][2], claimgraph::graph::Value::Int(2));
    let bodies = text(&organizations.rows[0][1..2]);
    assert!(
        bodies.contains("\"Army\"") && bodies.contains("\"Navy\""),
        "{bodies}"
    );
}

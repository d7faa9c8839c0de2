//! Property tests on random graphs with hostile names: a saved graph loads back equal,
//! the CSV export reads back to the same names (with formulas neutralised), and the
//! GraphML export parses with one element per node and edge and the same names.

use claimgraph::export::{render, ExportFormat, Selection};
use claimgraph::graph::{
    self, Claim, Edge, EdgeProps, GraphRead, KnowledgeGraph, Node, NodeData, OrgKind, RelType,
    Topic,
};
use proptest::prelude::*;

/// Names as scrapers deliver them: any characters, or ones that break file formats.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,16}",
        "[=+@\\-'\"<>&;,\\\\\t\r\n \u{202e}\u{0}\u{1b}a-z0-9]{0,12}",
        Just("=HYPERLINK(\"http://x\",\"y\")".to_string()),
        Just("-3.5".to_string()),
        any::<String>(),
    ]
}

fn node() -> impl Strategy<Value = Node> {
    (
        0..6u8,
        name(),
        prop::collection::vec(name(), 0..3),
        proptest::option::of(name()),
        -90.0..90.0f64,
        any::<bool>(),
    )
        .prop_map(|(label, name, aliases, text, lat, flag)| {
            let data = match label {
                0 => NodeData::Document(Box::new(claimgraph::graph::DocumentData {
                    title: text.clone(),
                    outlet: text,
                    author: None,
                    date: Some("2024-01-01".into()),
                    url: None,
                })),
                1 => NodeData::Person {
                    roles: aliases.clone(),
                },
                2 => NodeData::Organization {
                    kind: if flag {
                        OrgKind::Outlet
                    } else {
                        OrgKind::Military
                    },
                },
                3 => NodeData::Unit,
                4 => NodeData::Place(Box::new(claimgraph::graph::PlaceData {
                    kind: "city".into(),
                    country: text,
                    lat: Some(lat),
                    lon: flag.then_some(-lat),
                })),
                _ => NodeData::Claim(Box::new(Claim {
                    quote: text,
                    topic: if flag { Topic::Desertion } else { Topic::Other },
                    quantity: Some(format!("{lat:.0}")),
                    low: Some(lat),
                    high: None,
                    unit: None,
                    period: None,
                    time: None,
                    hedged: flag,
                    rule: "claim.test".into(),
                    document: "d.txt".into(),
                    sentence: 1,
                    start: 0,
                    end: 10,
                })),
            };
            Node {
                name,
                aliases,
                data,
            }
        })
}

fn random_graph() -> impl Strategy<Value = KnowledgeGraph> {
    (
        prop::collection::vec(node(), 1..10),
        prop::collection::vec((any::<usize>(), any::<usize>(), 0..10usize, name()), 0..16),
    )
        .prop_map(|(nodes, edges)| {
            let mut graph = KnowledgeGraph::new();
            let ids: Vec<_> = nodes.into_iter().map(|n| graph.add_node(n)).collect();
            for (from, to, rel, role) in edges {
                let rel = RelType::ALL[rel % RelType::ALL.len()];
                // The hostile text goes wherever the type carries text: the role of
                // AFFILIATED_WITH, the rule of REPORTED and ABOUT.
                let props = EdgeProps {
                    rule: Some(role.clone()),
                    role: Some(role),
                    order: Some(1),
                    ..EdgeProps::default()
                };
                graph.add_edge(
                    ids[from % ids.len()],
                    ids[to % ids.len()],
                    Edge::with_props(rel, &props),
                );
            }
            graph
        })
}

/// A CSV cell holds the name, or the name behind an apostrophe when a spreadsheet would
/// take it for a formula.
fn csv_cell_matches(cell: &str, name: &str) -> bool {
    if name.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        cell == format!("'{name}") || (cell == name && name.parse::<f64>().is_ok())
    } else {
        cell == name
    }
}

/// What GraphML keeps of a text: XML 1.0 cannot hold most control characters.
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn save_then_load_gives_the_same_graph(graph in random_graph()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph");
        graph::save(&graph, &path).unwrap();
        let loaded = graph::load(&path).unwrap();
        prop_assert_eq!(loaded.stats(), graph.stats());
        prop_assert_eq!(loaded.node_ids(), graph.node_ids());
        for id in graph.node_ids() {
            prop_assert_eq!(loaded.node(id), graph.node(id));
        }
        prop_assert_eq!(loaded.edge_ids().len(), graph.edge_ids().len());
        for (a, b) in graph.edge_ids().into_iter().zip(loaded.edge_ids()) {
            prop_assert_eq!(graph.endpoints(a), loaded.endpoints(b));
            prop_assert_eq!(graph.edge(a), loaded.edge(b));
        }
    }

    #[test]
    fn csv_reads_back_to_the_same_names(graph in random_graph()) {
        let files = render(&graph, &Selection::all(&graph), ExportFormat::Csv).unwrap();
        let nodes = files.iter().find(|f| f.name == "nodes.csv").unwrap();
        let mut reader = csv::Reader::from_reader(nodes.contents.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        prop_assert_eq!(rows.len(), graph.node_count());
        for (row, id) in rows.iter().zip(graph.node_ids()) {
            let name = &graph.node(id).name;
            prop_assert!(csv_cell_matches(&row[2], name), "{:?} written as {:?}", name, &row[2]);
        }
        let edges = files.iter().find(|f| f.name == "edges.csv").unwrap();
        let mut reader = csv::Reader::from_reader(edges.contents.as_slice());
        prop_assert_eq!(reader.records().count(), graph.edge_count());
    }

    #[test]
    fn graphml_parses_with_every_node_edge_and_name(graph in random_graph()) {
        let files = render(&graph, &Selection::all(&graph), ExportFormat::Graphml).unwrap();
        let xml = std::str::from_utf8(&files[0].contents).unwrap();
        let document = roxmltree::Document::parse(xml).unwrap();
        let nodes: Vec<_> = document.descendants().filter(|n| n.has_tag_name("node")).collect();
        let edges = document.descendants().filter(|n| n.has_tag_name("edge")).count();
        prop_assert_eq!(nodes.len(), graph.node_count());
        prop_assert_eq!(edges, graph.edge_count());
        for (element, id) in nodes.iter().zip(graph.node_ids()) {
            let name = element
                .children()
                .find(|d| d.attribute("key") == Some("name"))
                .and_then(|d| d.text())
                .unwrap_or_default();
            prop_assert_eq!(name, xml_text(&graph.node(id).name));
        }
    }
}

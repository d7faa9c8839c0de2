//! A small hand-built graph for the shell tests, saved with `claimgraph::graph::save`,
//! and a way to run the real binary with piped standard input.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use claimgraph::graph::{
    save, Claim, Edge, KnowledgeGraph, Node, NodeData, OrgKind, RelType, Topic,
};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Saves the fixture graph in `folder` and returns its path.
pub fn fixture_graph(folder: &Path) -> PathBuf {
    let mut graph = KnowledgeGraph::new();
    let document = graph.add_node(Node {
        name: "navy-briefing.txt".into(),
        aliases: Vec::new(),
        data: NodeData::Document(Box::new(claimgraph::graph::DocumentData {
            title: Some("Navy spokesperson on the southern front".into()),
            outlet: Some("Example Wire".into()),
            author: None,
            date: Some("2024-03-01".into()),
            url: None,
        })),
    });
    let voloshyn = graph.add_node(Node {
        name: "Vladyslav Voloshyn".into(),
        aliases: vec!["Voloshyn".into()],
        data: NodeData::Person {
            roles: vec!["spokesperson".into()],
        },
    });
    let navy = graph.add_node(Node {
        name: "Ukrainian Navy".into(),
        aliases: Vec::new(),
        data: NodeData::Organization {
            kind: OrgKind::Military,
        },
    });
    let luhansk = graph.add_node(Node {
        name: "Luhansk".into(),
        aliases: vec!["Lugansk".into()],
        data: NodeData::Place(Box::new(claimgraph::graph::PlaceData {
            kind: "region".into(),
            country: Some("Ukraine".into()),
            lat: Some(48.57),
            lon: Some(39.31),
        })),
    });
    let kreminna = graph.add_node(Node {
        name: "Kreminna".into(),
        aliases: Vec::new(),
        data: NodeData::Place(Box::new(claimgraph::graph::PlaceData {
            kind: "city".into(),
            country: Some("Ukraine".into()),
            lat: None,
            lon: None,
        })),
    });
    let text = "Voloshyn said dozens of soldiers had left their positions near Kreminna.";
    let claim = graph.add_node(Node {
        name: text.into(),
        aliases: Vec::new(),
        data: NodeData::Claim(Box::new(Claim {
            quote: None,
            topic: Topic::Desertion,
            quantity: Some("dozens".into()),
            low: Some(24.0),
            high: None,
            unit: Some("soldiers".into()),
            period: None,
            time: None,
            hedged: false,
            rule: "test.fixture".into(),
            document: "navy-briefing.txt".into(),
            sentence: 0,
            start: 0,
            end: text.len() as u32,
        })),
    });
    for entity in [voloshyn, navy, luhansk, kreminna] {
        graph.add_edge(
            entity,
            document,
            Edge::new(RelType::MentionedIn)
                .with_number("count", 1)
                .with_number("first_offset", 0),
        );
    }
    graph.add_edge(kreminna, luhansk, Edge::new(RelType::LocatedIn));
    graph.add_edge(voloshyn, navy, Edge::new(RelType::AffiliatedWith));
    graph.add_edge(voloshyn, claim, Edge::new(RelType::Reported));
    graph.add_edge(claim, kreminna, Edge::new(RelType::About));
    graph.add_edge(claim, document, Edge::new(RelType::SourcedFrom));
    let path = folder.join("fixture.cgraph");
    save(&graph, &path).expect("the fixture graph is saved");
    path
}

/// Runs `claimgraph shell --graph GRAPH` with `input` on standard input.
pub fn run_piped(graph: &Path, input: &str, folder: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_claimgraph"))
        .args(["shell", "--graph"])
        .arg(graph)
        .current_dir(folder)
        .env("CLAIMGRAPH_HISTORY", folder.join("history"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes())
        .expect("the input is written");
    child.wait_with_output().expect("the binary finishes")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

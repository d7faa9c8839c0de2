//! A small hand-built graph with hostile names, shared by the export tests.
// Each test binary that includes this module uses a different part of it.
#![allow(dead_code)]

use claimgraph::graph::{
    Claim, Edge, EdgeProps, KnowledgeGraph, Node, NodeData, NodeId, OrgKind, RelType, Topic,
};

pub const PERSON_NAME: &str = "Said \"Sam\" O'Neil \\ back\nslash <b>&amp;";
pub const FORMULA: &str = "=HYPERLINK(\"x\")";
pub const ARABIC: &str = "الجيش الأوكراني";
pub const HEBREW: &str = "שלום עולם";
pub const UNIT_NAME: &str = "🎖️ 155th \"Anne of Kyiv\" Brigade";
pub const CLAIM_TEXT: &str =
    "The governor said more than 4,500 soldiers had deserted since October, a figure that \"could not be verified\".";

/// The nodes tests look at.
pub struct Fixture {
    pub graph: KnowledgeGraph,
    pub document: NodeId,
    pub other_document: NodeId,
    pub person: NodeId,
    pub organization: NodeId,
    pub unit: NodeId,
    pub kyiv: NodeId,
    pub ukraine: NodeId,
    pub desertion: NodeId,
    pub casualties: NodeId,
    /// Named only in the first document: reachable only through a Document node.
    pub bystander: NodeId,
    /// Named only in the other document.
    pub stranger: NodeId,
}

fn entity(name: &str, aliases: &[&str], data: NodeData) -> Node {
    Node {
        name: name.to_string(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        data,
    }
}

fn claim(text: &str, topic: Topic, quantity: Option<&str>, low: Option<f64>) -> Node {
    Node {
        name: text.to_string(),
        aliases: Vec::new(),
        data: NodeData::Claim(Box::new(Claim {
            quote: Some("could not be verified".to_string()),
            topic,
            quantity: quantity.map(str::to_string),
            low,
            high: None,
            unit: Some("soldiers".to_string()),
            period: None,
            time: Some("since October".to_string()),
            hedged: true,
            rule: "claim.reported_figure".into(),
            document: "news/a \"quoted\" & <odd>.txt".into(),
            sentence: 3,
            start: 120,
            end: 230,
        })),
    }
}

fn edge(rel: RelType, props: EdgeProps) -> Edge {
    Edge::with_props(rel, &props)
}

pub fn hostile_graph() -> Fixture {
    let mut graph = KnowledgeGraph::new();
    let document = graph.add_node(entity(
        "news/a \"quoted\" & <odd>.txt",
        &[],
        NodeData::Document(Box::new(claimgraph::graph::DocumentData {
            title: Some(FORMULA.to_string()),
            outlet: Some(ARABIC.to_string()),
            author: Some("O'Brien & <Co>\r\nline two".to_string()),
            date: Some("2024-10-01".to_string()),
            url: Some("https://example.org/a?b=1&c=2".to_string()),
        })),
    ));
    let other_document = graph.add_node(entity(
        "news/other.md",
        &[],
        NodeData::Document(Box::new(claimgraph::graph::DocumentData {
            title: None,
            outlet: None,
            author: None,
            date: None,
            url: None,
        })),
    ));
    let person = graph.add_node(entity(
        PERSON_NAME,
        &[FORMULA, HEBREW, "alias;with;semicolons"],
        NodeData::Person {
            roles: vec!["regional governor".to_string(), "-spokesman".to_string()],
        },
    ));
    let organization = graph.add_node(entity(
        "Ministry <of> Defence & \u{1}Co",
        &["MoD"],
        NodeData::Organization {
            kind: OrgKind::Military,
        },
    ));
    let unit = graph.add_node(entity(UNIT_NAME, &[], NodeData::Unit));
    let kyiv = graph.add_node(entity(
        "Київ",
        &["Kyiv", "Kiev"],
        NodeData::Place(Box::new(claimgraph::graph::PlaceData {
            kind: "city".to_string(),
            country: Some("Ukraine".to_string()),
            lat: Some(50.45),
            lon: Some(30.52),
        })),
    ));
    let ukraine = graph.add_node(entity(
        "Ukraine",
        &[],
        NodeData::Place(Box::new(claimgraph::graph::PlaceData {
            kind: "country".to_string(),
            country: None,
            lat: None,
            lon: None,
        })),
    ));
    let desertion = graph.add_node(claim(
        CLAIM_TEXT,
        Topic::Desertion,
        Some("more than 4,500"),
        Some(4500.0),
    ));
    let casualties = graph.add_node(claim(
        "A change of -3.5 per cent was reported.",
        Topic::Casualties,
        Some("-3.5"),
        Some(-3.5),
    ));
    let bystander = graph.add_node(entity(
        "Bystander Person",
        &[],
        NodeData::Person { roles: Vec::new() },
    ));
    let stranger = graph.add_node(entity(
        "Stranger Person",
        &[],
        NodeData::Person { roles: Vec::new() },
    ));

    let mentioned = |count, first_offset| EdgeProps {
        count: Some(count),
        first_offset: Some(first_offset),
        ..EdgeProps::default()
    };
    graph.add_edge(
        person,
        document,
        edge(RelType::MentionedIn, mentioned(2, 10)),
    );
    graph.add_edge(
        bystander,
        document,
        edge(RelType::MentionedIn, mentioned(1, 500)),
    );
    graph.add_edge(
        stranger,
        other_document,
        edge(RelType::MentionedIn, mentioned(1, 0)),
    );
    graph.add_edge(kyiv, document, edge(RelType::MentionedIn, mentioned(1, 40)));
    let reported = EdgeProps {
        rule: Some("=cmd|' /C calc'!A0".to_string()),
        ..EdgeProps::default()
    };
    graph.add_edge(person, desertion, edge(RelType::Reported, reported));
    graph.add_edge(
        organization,
        casualties,
        edge(RelType::Reported, EdgeProps::default()),
    );
    graph.add_edge(
        desertion,
        organization,
        edge(
            RelType::Via,
            EdgeProps {
                order: Some(1),
                ..EdgeProps::default()
            },
        ),
    );
    graph.add_edge(
        desertion,
        kyiv,
        edge(
            RelType::About,
            EdgeProps {
                rule: Some("about.place".to_string()),
                ..EdgeProps::default()
            },
        ),
    );
    graph.add_edge(
        desertion,
        document,
        edge(
            RelType::SourcedFrom,
            EdgeProps {
                sentence: Some(3),
                start: Some(120),
                end: Some(230),
                ..EdgeProps::default()
            },
        ),
    );
    graph.add_edge(
        kyiv,
        ukraine,
        edge(RelType::LocatedIn, EdgeProps::default()),
    );
    graph.add_edge(
        person,
        unit,
        edge(
            RelType::AffiliatedWith,
            EdgeProps {
                role: Some("commander, \"acting\"".to_string()),
                ..EdgeProps::default()
            },
        ),
    );
    graph.add_edge(
        desertion,
        casualties,
        edge(RelType::Contradicts, EdgeProps::default()),
    );

    Fixture {
        graph,
        document,
        other_document,
        person,
        organization,
        unit,
        kyiv,
        ukraine,
        desertion,
        casualties,
        bystander,
        stranger,
    }
}

/// The key every export gives a node.
pub fn key(id: NodeId) -> String {
    format!("n{}", id.index())
}

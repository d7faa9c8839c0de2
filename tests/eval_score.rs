//! The scorer on a hand-built graph: duplicate nodes, reporters known by an alias,
//! relays and figures, independent of what the extractor finds.

use claimgraph::eval::{score, Gold};
use claimgraph::graph::{Claim, Edge, KnowledgeGraph, Node, NodeData, NodeId, RelType, Topic};

fn node(name: &str, aliases: &[&str], data: NodeData) -> Node {
    Node {
        name: name.to_string(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        data,
    }
}

fn claim(text: &str, topic: Topic, quantity: Option<&str>, hedged: bool) -> Node {
    node(
        text,
        &[],
        NodeData::Claim(Box::new(Claim {
            quote: None,
            topic,
            quantity: quantity.map(str::to_string),
            low: None,
            high: None,
            unit: None,
            period: None,
            time: None,
            hedged,
            rule: "test".into(),
            document: "a.txt".into(),
            sentence: 0,
            start: 0,
            end: 0,
        })),
    )
}

fn mention(graph: &mut KnowledgeGraph, entity: NodeId, doc: NodeId) {
    graph.add_edge(entity, doc, Edge::new(RelType::MentionedIn));
}

fn via(graph: &mut KnowledgeGraph, claim: NodeId, relay: NodeId, order: u32) {
    let edge = Edge::new(RelType::Via).with_number("order", order);
    graph.add_edge(claim, relay, edge);
}

const GOLD: &str = r#"{
 "entities": [
  {"doc": "a.txt", "name": "Christoph Vanner", "type": "person", "aliases": ["Vanner"]},
  {"doc": "a.txt", "name": "Die Welt", "type": "organization", "aliases": []}
 ],
 "claims": [
  {"doc": "a.txt", "reporter": "Christoph Vanner", "via": ["Die Welt"], "topic": "desertion",
   "places": [], "quantity": "between 15,000 and 18,000",
   "sentence": "Vanner wrote that between 15,000 and 18,000 soldiers had left", "hedged": true},
  {"doc": "a.txt", "reporter": "Christoph Vanner", "via": ["Die Welt"], "topic": "desertion",
   "places": [], "quantity": "21,600",
   "sentence": "Vanner wrote that 21,600 soldiers had left", "hedged": false}
 ]}"#;

#[test]
fn duplicates_aliases_relays_and_figures_are_scored() {
    let mut graph = KnowledgeGraph::new();
    let doc = graph.add_node(node(
        "a.txt",
        &[],
        NodeData::Document(Box::new(claimgraph::graph::DocumentData {
            title: None,
            outlet: None,
            author: None,
            date: None,
            url: None,
        })),
    ));
    // The same person split over two nodes, one of them known only by the surname.
    let full = graph.add_node(node(
        "Christoph Vanner",
        &[],
        NodeData::Person { roles: vec![] },
    ));
    let short = graph.add_node(node("Vanner", &[], NodeData::Person { roles: vec![] }));
    let welt = graph.add_node(node(
        "Die Welt",
        &[],
        NodeData::Organization {
            kind: claimgraph::graph::OrgKind::Outlet,
        },
    ));
    for entity in [full, short, welt] {
        mention(&mut graph, entity, doc);
    }
    // First claim: right reporter (by the surname node), relay, figure and hedge.
    let first = graph.add_node(claim(
        "Vanner wrote that between 15,000 and 18,000 soldiers had left.",
        Topic::Desertion,
        Some("15,000 to 18,000"),
        true,
    ));
    graph.add_edge(short, first, Edge::new(RelType::Reported));
    via(&mut graph, first, welt, 1);
    // Second claim: right reporter, no relay, wrong figure, not hedged.
    let second = graph.add_node(claim(
        "Vanner wrote that 21,600 soldiers had left.",
        Topic::Desertion,
        Some("21,000"),
        false,
    ));
    graph.add_edge(full, second, Edge::new(RelType::Reported));
    // A third claim on another topic matches no gold claim.
    let third = graph.add_node(claim(
        "Die Welt said talks stalled.",
        Topic::Negotiation,
        None,
        false,
    ));
    graph.add_edge(welt, third, Edge::new(RelType::Reported));

    let gold: Gold = serde_json::from_str(GOLD).unwrap();
    let report = score(&graph, &gold);

    assert_eq!(report.entities.predicted, 3);
    assert_eq!(report.entities.predicted_matched, 3);
    assert_eq!(report.entities.gold_matched, 2);
    assert_eq!(report.duplicated_gold, 1);
    assert_eq!(report.surplus_nodes, 1);

    assert_eq!(report.attribution.predicted, 3);
    assert_eq!(report.attribution.predicted_matched, 2);
    assert_eq!(report.attribution.gold, 2);
    assert_eq!(report.attribution.gold_matched, 2);
    assert_eq!(report.same_sentence, 2);
    assert_eq!(report.via_correct, 1);
    assert_eq!(report.hedged_correct, 2);
    assert_eq!(report.quantity_matched, 2);
    assert_eq!(report.quantity_correct, 1);
    assert_eq!(report.extra_claims.len(), 1);
    assert_eq!(report.extra_claims[0].topic, "negotiation");
}

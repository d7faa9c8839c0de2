//! Adding the graph of new articles to a graph whose own articles are not at hand.
//!
//! When the shell opened a graph file built elsewhere, it cannot rebuild from all
//! articles, so `.load` builds the new articles alone and merges: entities meet by label
//! and name (or alias), documents and claims are added as they are.

use crate::graph::{GraphRead, KnowledgeGraph, Label, NodeData, NodeId, RelType};
use std::collections::HashMap;

/// Relationship types that state a fact about two entities rather than about one
/// article, so the merged graph keeps one edge of each between the same two nodes.
const FACT_RELATIONS: &[RelType] = &[RelType::LocatedIn, RelType::PartOf, RelType::AffiliatedWith];

/// Adds every node, edge and mention of `addition` to `graph`.
pub fn merge(graph: &mut KnowledgeGraph, addition: &KnowledgeGraph) {
    let mut mapping: HashMap<NodeId, NodeId> = HashMap::new();
    for id in addition.node_ids() {
        let node = addition.node(id);
        let existing = match node.label() {
            Label::Document | Label::Claim => None,
            label => find_entity(graph, label, &node.name, &node.aliases),
        };
        let target = match existing {
            Some(target) => {
                for alias in std::iter::once(&node.name).chain(&node.aliases) {
                    graph.add_alias(target, alias);
                }
                if let (NodeData::Person { roles: new_roles }, NodeData::Person { roles }) =
                    (&node.data, &mut graph.node_mut(target).data)
                {
                    for role in new_roles {
                        if !roles.contains(role) {
                            roles.push(role.clone());
                        }
                    }
                }
                target
            }
            None => graph.add_node(node.clone()),
        };
        mapping.insert(id, target);
    }
    for edge_id in addition.edge_ids() {
        let (from, to) = addition.endpoints(edge_id);
        let (from, to) = (mapping[&from], mapping[&to]);
        let edge = addition.edge(edge_id);
        let duplicate = FACT_RELATIONS.contains(&edge.rel)
            && graph
                .outgoing(from, Some(edge.rel))
                .iter()
                .any(|(existing, other)| *other == to && graph.edge(*existing) == edge);
        if !duplicate {
            graph.add_edge(from, to, *edge);
        }
    }
    for mention in &addition.mentions {
        let node = mapping.get(&NodeId::new(mention.node as usize));
        let document = mapping.get(&NodeId::new(mention.document as usize));
        if let (Some(node), Some(document)) = (node, document) {
            let mut mention = mention.clone();
            mention.node = node.index() as u32;
            mention.document = document.index() as u32;
            graph.mentions.push(mention);
        }
    }
}

/// The node of this label named `name` or one of `aliases`, if the graph has one.
fn find_entity(
    graph: &KnowledgeGraph,
    label: Label,
    name: &str,
    aliases: &[String],
) -> Option<NodeId> {
    std::iter::once(name)
        .chain(aliases.iter().map(String::as_str))
        .find_map(|n| {
            graph
                .lookup(n)
                .into_iter()
                .find(|id| graph.node(*id).label() == label)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Edge, MentionRecord, Node};

    fn person(name: &str, aliases: &[&str], roles: &[&str]) -> Node {
        Node {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            data: NodeData::Person {
                roles: roles.iter().map(|r| r.to_string()).collect(),
            },
        }
    }

    fn document(id: &str) -> Node {
        Node {
            name: id.into(),
            aliases: Vec::new(),
            data: NodeData::Document(Box::new(crate::graph::DocumentData {
                title: None,
                outlet: None,
                author: None,
                date: None,
                url: None,
            })),
        }
    }

    #[test]
    fn entities_meet_by_name_and_alias_documents_are_added() {
        let mut graph = KnowledgeGraph::new();
        let voloshyn = graph.add_node(person("Vladyslav Voloshyn", &["Voloshyn"], &[]));
        let first = graph.add_node(document("a.txt"));
        graph.add_edge(voloshyn, first, Edge::new(RelType::MentionedIn));

        let mut addition = KnowledgeGraph::new();
        let again = addition.add_node(person("Voloshyn", &["Vlad Voloshyn"], &["spokesperson"]));
        let second = addition.add_node(document("b.txt"));
        addition.add_edge(again, second, Edge::new(RelType::MentionedIn));
        addition.mentions.push(MentionRecord {
            node: again.index() as u32,
            document: second.index() as u32,
            sentence: 0,
            start: 0,
            end: 8,
            rule: "test".into(),
        });

        merge(&mut graph, &addition);
        assert_eq!(graph.nodes_with_label(Label::Person), vec![voloshyn]);
        assert_eq!(graph.nodes_with_label(Label::Document).len(), 2);
        assert_eq!(
            graph.incoming(graph.document("b.txt").unwrap(), None).len(),
            1
        );
        assert_eq!(graph.lookup("Vlad Voloshyn"), vec![voloshyn]);
        assert_eq!(
            graph.node(voloshyn).property("roles").to_string(),
            "spokesperson"
        );
        assert_eq!(graph.mentions[0].node, voloshyn.index() as u32);
        let document = graph.document("b.txt").unwrap();
        assert_eq!(graph.mentions[0].document, document.index() as u32);
    }

    #[test]
    fn a_place_of_the_same_name_is_not_a_person() {
        let mut graph = KnowledgeGraph::new();
        graph.add_node(person("Georgia", &[], &[]));
        let mut addition = KnowledgeGraph::new();
        addition.add_node(Node {
            name: "Georgia".into(),
            aliases: Vec::new(),
            data: NodeData::Place(Box::new(crate::graph::PlaceData {
                kind: "country".into(),
                country: None,
                lat: None,
                lon: None,
            })),
        });
        merge(&mut graph, &addition);
        assert_eq!(graph.node_count(), 2);
    }
}

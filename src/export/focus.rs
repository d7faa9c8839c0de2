//! Choosing what to export: the whole graph, or the neighbourhood of an entity or topic.

use super::ExportError;
use crate::graph::{name_key, EdgeId, GraphRead, Label, NodeId, Topic};
use std::collections::{BTreeSet, VecDeque};

/// The nodes and edges to write, each in ascending id order so that output is stable.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    pub nodes: Vec<NodeId>,
    pub edges: Vec<EdgeId>,
}

impl Selection {
    /// Everything in the graph.
    pub fn all(graph: &dyn GraphRead) -> Selection {
        Selection {
            nodes: graph.node_ids(),
            edges: graph.edge_ids(),
        }
    }

    /// The nodes within `depth` undirected steps of the focus, and the edges between
    /// them.
    ///
    /// Documents reached on the way are kept but not walked through: every entity of an
    /// article is one step from its document, so walking through documents would turn
    /// any neighbourhood of depth 2 or more into most of the graph.
    pub fn around(
        graph: &dyn GraphRead,
        focus: &str,
        depth: usize,
    ) -> Result<Selection, ExportError> {
        let start = focus_nodes(graph, focus)?;
        let mut kept: BTreeSet<NodeId> = start.iter().copied().collect();
        let mut queue: VecDeque<(NodeId, usize)> = start.iter().map(|id| (*id, 0)).collect();
        while let Some((id, distance)) = queue.pop_front() {
            if distance >= depth {
                continue;
            }
            let is_start = distance == 0;
            if !is_start && graph.node(id).label() == Label::Document {
                continue;
            }
            let neighbours = graph
                .outgoing(id, None)
                .into_iter()
                .chain(graph.incoming(id, None));
            for (_, other) in neighbours {
                if kept.insert(other) {
                    queue.push_back((other, distance + 1));
                }
            }
        }
        let edges = graph
            .edge_ids()
            .into_iter()
            .filter(|edge| {
                let (from, to) = graph.endpoints(*edge);
                kept.contains(&from) && kept.contains(&to)
            })
            .collect();
        Ok(Selection {
            nodes: kept.into_iter().collect(),
            edges,
        })
    }
}

/// The nodes a focus names: entities (and documents) by name or alias first, else the
/// claims of a topic.
fn focus_nodes(graph: &dyn GraphRead, focus: &str) -> Result<Vec<NodeId>, ExportError> {
    let mut found = graph.lookup(focus);
    if found.is_empty() {
        let topic = parse_topic(focus).ok_or_else(|| ExportError::UnknownFocus {
            focus: focus.to_string(),
        })?;
        found = graph
            .nodes_with_label(Label::Claim)
            .into_iter()
            .filter(|id| graph.node(*id).claim().is_some_and(|c| c.topic == topic))
            .collect();
        if found.is_empty() {
            return Err(ExportError::NoClaimsOnTopic { topic });
        }
    }
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// A topic by its name, in the singular or plural, with spaces or hyphens for the
/// underscore ("desertions", "Territorial control", "casualty").
pub fn parse_topic(word: &str) -> Option<Topic> {
    let key: String = name_key(word)
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    Topic::ALL.into_iter().find(|topic| {
        let name = topic.as_str();
        key == name
            || key.strip_suffix('s') == Some(name)
            || (name == "casualties" && key == "casualty")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_recognised_in_singular_and_plural() {
        assert_eq!(parse_topic("Desertions"), Some(Topic::Desertion));
        assert_eq!(parse_topic("casualty"), Some(Topic::Casualties));
        assert_eq!(
            parse_topic("territorial control"),
            Some(Topic::TerritorialControl)
        );
        assert_eq!(parse_topic("weather"), None);
    }
}

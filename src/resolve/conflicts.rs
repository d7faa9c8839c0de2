//! `CONTRADICTS` and `CORROBORATES` between claims of different sources on the same
//! topic and subject, by comparing their figures.

use crate::graph::{Edge, GraphRead, KnowledgeGraph, NodeId, RelType, Topic};
use std::collections::HashMap;

/// Claims whose ranges differ by no more than this share are compatible.
const TOLERANCE: f64 = 0.10;

/// Larger groups are not compared pairwise: a subject that broad says little.
const MAX_GROUP: usize = 200;

struct Figure {
    claim: NodeId,
    low: f64,
    high: f64,
    reporter: Option<NodeId>,
    document: String,
}

fn compatible(a: &Figure, b: &Figure) -> bool {
    let slack = TOLERANCE * a.high.max(b.high).abs();
    a.low <= b.high + slack && b.low <= a.high + slack
}

/// Links claims on the same topic that share a subject (a place or unit they are about)
/// or stand in the same document, when their sources differ.
pub fn link_claims(graph: &mut KnowledgeGraph, claims: &[NodeId]) {
    let mut groups: HashMap<(Topic, String), Vec<Figure>> = HashMap::new();
    for &claim in claims {
        let Some(data) = graph.node(claim).claim() else {
            continue;
        };
        let (low, high) = match (data.low, data.high) {
            (Some(l), Some(h)) => (l, h),
            (Some(l), None) => (l, f64::INFINITY),
            (None, Some(h)) => (0.0, h),
            (None, None) => continue,
        };
        let reporter = graph
            .incoming(claim, Some(RelType::Reported))
            .first()
            .map(|(_, r)| *r);
        let mut subjects: Vec<String> = graph
            .outgoing(claim, Some(RelType::About))
            .iter()
            .map(|(_, n)| format!("node:{}", n.index()))
            .collect();
        subjects.push(format!("doc:{}", data.document));
        for subject in subjects {
            groups
                .entry((data.topic, subject))
                .or_default()
                .push(Figure {
                    claim,
                    low,
                    high,
                    reporter,
                    document: data.document.clone(),
                });
        }
    }
    let mut linked: std::collections::HashSet<(NodeId, NodeId)> = std::collections::HashSet::new();
    let mut keys: Vec<&(Topic, String)> = groups.keys().collect();
    keys.sort();
    for key in keys {
        let figures = &groups[key];
        if figures.len() > MAX_GROUP {
            continue;
        }
        for (i, a) in figures.iter().enumerate() {
            for b in &figures[i + 1..] {
                let different_sources = a.reporter != b.reporter || a.document != b.document;
                if a.claim == b.claim || !different_sources || a.reporter == b.reporter {
                    continue;
                }
                let pair = (a.claim.min(b.claim), a.claim.max(b.claim));
                if !linked.insert(pair) {
                    continue;
                }
                let rel = if compatible(a, b) {
                    RelType::Corroborates
                } else {
                    RelType::Contradicts
                };
                graph.add_edge(pair.0, pair.1, Edge::new(rel));
            }
        }
    }
}

//! `CONTRADICTS` and `CORROBORATES` between claims of different sources on the same
//! topic and subject, by comparing their figures.

use crate::graph::{Edge, GraphRead, KnowledgeGraph, NodeId, RelType, Topic};
use rustc_hash::FxHashMap;

/// Claims whose ranges differ by no more than this share are compatible.
const TOLERANCE: f64 = 0.10;

/// Groups (same topic and subject) up to this size are compared pairwise in full, as a
/// reader would; in larger ones each claim is compared with the [`WINDOW`] nearest
/// earlier claims in corpus order. A subject named in thousands of articles
/// ("casualties" about a big city) would otherwise give millions of links that say
/// little and make the graph quadratic in the corpus; with the window, links grow
/// linearly and every claim still meets its nearest neighbours.
const FULL_GROUP: usize = 6;
const WINDOW: usize = 3;

struct Figure {
    claim: NodeId,
    low: f64,
    high: f64,
    reporter: Option<NodeId>,
}

fn compatible(a: &Figure, b: &Figure) -> bool {
    let slack = TOLERANCE * a.high.max(b.high).abs();
    a.low <= b.high + slack && b.low <= a.high + slack
}

/// What claims share to be compared: a node they are about, or their document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Subject<'a> {
    Node(NodeId),
    Document(&'a str),
}

/// Links claims on the same topic that share a subject (a place or unit they are about)
/// or stand in the same document, when their reporters differ.
pub fn link_claims(graph: &mut KnowledgeGraph, claims: &[NodeId]) {
    let mut groups: FxHashMap<(Topic, Subject), Vec<Figure>> = FxHashMap::default();
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
        let figure = || Figure {
            claim,
            low,
            high,
            reporter,
        };
        for (_, about) in graph.outgoing(claim, Some(RelType::About)) {
            groups
                .entry((data.topic, Subject::Node(about)))
                .or_default()
                .push(figure());
        }
        groups
            .entry((data.topic, Subject::Document(&data.document)))
            .or_default()
            .push(figure());
    }
    // Pairs met in several groups are kept once: sorted and deduplicated at the end,
    // which at millions of pairs is much cheaper than a set asked at every meeting.
    let mut links: Vec<(NodeId, NodeId, RelType)> = Vec::new();
    // A pair's relation does not depend on the group it meets in, so groups can be
    // visited in any order.
    for figures in groups.values() {
        let window = if figures.len() <= FULL_GROUP {
            FULL_GROUP
        } else {
            WINDOW
        };
        for (i, b) in figures.iter().enumerate() {
            for a in &figures[i.saturating_sub(window)..i] {
                if a.claim == b.claim || a.reporter == b.reporter {
                    continue;
                }
                let pair = (a.claim.min(b.claim), a.claim.max(b.claim));
                let rel = if compatible(a, b) {
                    RelType::Corroborates
                } else {
                    RelType::Contradicts
                };
                links.push((pair.0, pair.1, rel));
            }
        }
    }
    // The same edges in the same order whatever order the groups were compared in.
    links.sort_unstable_by_key(|(a, b, _)| (*a, *b));
    links.dedup_by_key(|(a, b, _)| (*a, *b));
    for (a, b, rel) in links {
        graph.add_edge(a, b, Edge::new(rel));
    }
}

//! `CONTRADICTS` and `CORROBORATES` between claims of different sources on the same
//! topic and subject, by comparing their figures.

use crate::graph::{Edge, KnowledgeGraph, NodeId, RelType, Topic};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use ustr::Ustr;

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

/// What linking needs of a claim with a figure, recorded by resolution as the claim is
/// added (walking a million claims' edges again afterwards took most of this stage).
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct ClaimFigure {
    pub claim: NodeId,
    pub topic: Topic,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub reporter: NodeId,
    pub document: Ustr,
    /// The places and units the claim is about: a stretch of the shared subject list.
    pub about: std::ops::Range<u32>,
}

/// A claim's figure as a range (an open end made unbounded, or zero below), or `None`
/// when it has no figure and is never linked.
pub(super) fn bounds(claim: &ClaimFigure) -> Option<(f64, f64)> {
    match (claim.low, claim.high) {
        (Some(l), Some(h)) => Some((l, h)),
        (Some(l), None) => Some((l, f64::INFINITY)),
        (None, Some(h)) => Some((0.0, h)),
        (None, None) => None,
    }
}

/// The link between an earlier and a later claim with these [`bounds`] (low, high):
/// they corroborate when their ranges meet within [`TOLERANCE`].
pub(super) fn relation((a_low, a_high): (f64, f64), (b_low, b_high): (f64, f64)) -> RelType {
    let slack = TOLERANCE * a_high.max(b_high).abs();
    if a_low <= b_high + slack && b_low <= a_high + slack {
        RelType::Corroborates
    } else {
        RelType::Contradicts
    }
}

/// How many earlier members of a group of `len` claims each member is compared with.
pub(super) fn window(len: usize) -> usize {
    if len <= FULL_GROUP {
        FULL_GROUP
    } else {
        WINDOW
    }
}

/// What claims share to be compared: a node they are about, or their document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Subject {
    Node(NodeId),
    Document(Ustr),
}

/// A `CONTRADICTS` or `CORROBORATES` link: the earlier claim, the later, and which.
pub type ClaimLink = (NodeId, NodeId, RelType);

/// Adds the links of [`claim_links`] to the graph.
pub(super) fn link_claims(graph: &mut KnowledgeGraph, claims: &[ClaimFigure], about: &[NodeId]) {
    for (a, b, rel) in claim_links(claims, about) {
        graph.add_edge(a, b, Edge::new(rel));
    }
}

/// Links claims on the same topic that share a subject (a place or unit they are about)
/// or stand in the same document, when their reporters differ. `about` holds the
/// subjects the claims' `about` ranges point into. Comparing within groups runs on
/// every core; only the grouping is sequential. The links come sorted, each pair once.
pub(super) fn claim_links(claims: &[ClaimFigure], about: &[NodeId]) -> Vec<ClaimLink> {
    // Each claim with a figure: its figure and the subjects it shares, in claim order.
    let figures: Vec<(Figure, Topic, Vec<Subject>)> = claims
        .par_iter()
        .filter_map(|claim| {
            let (low, high) = bounds(claim)?;
            let range = claim.about.start as usize..claim.about.end as usize;
            let mut subjects: Vec<Subject> =
                about[range].iter().map(|n| Subject::Node(*n)).collect();
            subjects.push(Subject::Document(claim.document));
            let figure = Figure {
                claim: claim.claim,
                low,
                high,
                reporter: Some(claim.reporter),
            };
            Some((figure, claim.topic, subjects))
        })
        .collect();
    let mut groups: FxHashMap<(Topic, Subject), Vec<&Figure>> = FxHashMap::default();
    for (figure, topic, subjects) in &figures {
        for subject in subjects {
            groups.entry((*topic, *subject)).or_default().push(figure);
        }
    }
    // A pair's relation does not depend on the group it meets in, so groups can be
    // compared in any order; pairs met in several groups are kept once, by sorting.
    let groups: Vec<Vec<&Figure>> = groups.into_values().collect();
    let mut links: Vec<(NodeId, NodeId, RelType)> = groups
        .par_iter()
        .flat_map_iter(|figures| {
            let window = window(figures.len());
            figures.iter().enumerate().flat_map(move |(i, b)| {
                figures[i.saturating_sub(window)..i]
                    .iter()
                    .filter(move |a| a.claim != b.claim && a.reporter != b.reporter)
                    .map(move |a| {
                        let rel = relation((a.low, a.high), (b.low, b.high));
                        (a.claim.min(b.claim), a.claim.max(b.claim), rel)
                    })
            })
        })
        .collect();
    // The same edges in the same order whatever order the groups were compared in.
    links.par_sort_unstable_by_key(|(a, b, _)| (*a, *b));
    links.dedup_by_key(|(a, b, _)| (*a, *b));
    links
}

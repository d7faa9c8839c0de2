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
    counted: u32,
}

/// What linking needs of a claim with a figure, recorded by resolution as the claim is
/// added (walking a million claims' edges again afterwards took most of this stage).
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct ClaimFigure {
    pub claim: NodeId,
    pub topic: Topic,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// What the figure counts: [`counted_kind`] of its unit, or [`NOT_SAID`].
    pub counted: u32,
    pub reporter: NodeId,
    pub document: Ustr,
    /// The places and units the claim is about: a stretch of the shared subject list.
    pub about: std::ops::Range<u32>,
}

/// The [`ClaimFigure::counted`] of a figure whose unit the sentence does not say.
pub(crate) const NOT_SAID: u32 = 0;

/// What a figure with this unit counts, as a number that is equal for units that count
/// the same things: people of any description are one kind; anything else is its last
/// word without a plural "s" ("guided bombs" and "aerial bombs" are bombs). Never
/// [`NOT_SAID`]. Figures of two different kinds ("23 people", "12 guided bombs") are
/// not compared.
pub(crate) fn counted_kind(unit: &str) -> u32 {
    let last = unit
        .split_whitespace()
        .next_back()
        .unwrap_or_default()
        .to_lowercase();
    let singular = last.strip_suffix('s').unwrap_or(&last);
    let people = &crate::extract::lexicon::lexicons().people_nouns;
    let word = if people.contains(&last) || people.contains(singular) {
        "people"
    } else {
        singular
    };
    // FNV-1a: the same number on every run, which the rebuild state relies on.
    let hash = word.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash.max(1)
}

/// Whether two figures count things of one kind (or one of them does not say).
pub(super) fn comparable(a: u32, b: u32) -> bool {
    a == NOT_SAID || b == NOT_SAID || a == b
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
/// or stand in the same document, when their reporters differ and their figures count
/// things of one kind ([`comparable`]). `about` holds the
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
                counted: claim.counted,
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
                    .filter(move |a| {
                        a.claim != b.claim
                            && a.reporter != b.reporter
                            && comparable(a.counted, b.counted)
                    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(claim: usize, reporter: usize, value: f64, unit: Option<&str>) -> ClaimFigure {
        ClaimFigure {
            claim: NodeId::new(claim),
            topic: Topic::Strike,
            low: Some(value),
            high: Some(value),
            counted: unit.map_or(NOT_SAID, counted_kind),
            reporter: NodeId::new(reporter),
            document: ustr::ustr("a.txt"),
            about: 0..0,
        }
    }

    #[test]
    fn units_of_one_kind_count_the_same_things() {
        assert_eq!(counted_kind("guided bombs"), counted_kind("aerial bomb"));
        assert_eq!(counted_kind("people"), counted_kind("civilians"));
        assert_eq!(counted_kind("soldiers"), counted_kind("passers-by"));
        assert_eq!(counted_kind("Servicemen"), counted_kind("person"));
        assert_ne!(counted_kind("people"), counted_kind("guided bombs"));
        assert_ne!(counted_kind("drones"), counted_kind("missiles"));
        assert_ne!(counted_kind(""), NOT_SAID);
    }

    #[test]
    fn figures_that_count_different_things_are_not_compared() {
        // One document, four reporters: "23 people", "12 guided bombs", "20 civilians",
        // and "12" with no unit.
        let claims = [
            figure(10, 1, 23.0, Some("people")),
            figure(11, 2, 12.0, Some("guided bombs")),
            figure(12, 3, 20.0, Some("civilians")),
            figure(13, 4, 12.0, None),
        ];
        let links: Vec<(usize, usize, RelType)> = claim_links(&claims, &[])
            .into_iter()
            .map(|(a, b, rel)| (a.index(), b.index(), rel))
            .collect();
        assert_eq!(
            links,
            vec![
                (10, 12, RelType::Contradicts),
                (10, 13, RelType::Contradicts),
                (11, 13, RelType::Corroborates),
                (12, 13, RelType::Contradicts),
            ]
        );
    }
}

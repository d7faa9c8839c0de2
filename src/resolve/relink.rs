//! Updating the claim links of [`claim_links`](super::conflicts::claim_links) after a
//! few documents change, without comparing a million claims again.
//!
//! Claims are compared within groups (same topic and subject). A group none of whose
//! claims went and none of whose claims came (an untouched group) makes the same pairs
//! before and after, up to the remap of node ids, which keeps their order. So with
//! `P_old` and `P_new` the pairs the touched groups make before and after, and `U` the
//! pairs of the untouched groups: the links removed are `P_old \ (P_new ∪ U)` and the
//! links added `P_new \ (P_old ∪ U)`. Within a touched group whose window stays the
//! same, a pair of kept claims with no claim gone or come between them keeps its
//! distance, so only pairs at or across a change are compared. A pair of two kept
//! claims that one side makes this way can be made on the other side by another group
//! the two share, touched or not (links are kept once whichever groups make them);
//! that is read off the group's members: the two claims' places in it and its size
//! ([`window`]).
//!
//! Finding the touched groups takes one pass over the claims (which are gone, which
//! are new) and one over the new claims (the touched groups' members), plus one more,
//! when needed, for the untouched groups that pairs of the touched ones also meet in.

use super::conflicts::{bounds, comparable, relation, window, ClaimFigure, ClaimLink};
use crate::graph::{NodeId, Topic};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use ustr::Ustr;

/// How the claim links change when the claims with figures go from `old` to `new`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct LinkChange {
    /// Links of `old` that the new graph does not have: (earlier, later) in old ids,
    /// sorted, no duplicates.
    pub removed: Vec<(NodeId, NodeId)>,
    /// Links of `new` that the old graph did not have (comparing after the remap): in
    /// new ids, sorted by (a, b), no duplicates.
    pub added: Vec<ClaimLink>,
}

/// What a group's claims share, as the new graph names it: a node they are about, a
/// node the new graph no longer has (by its old id; only claims that went are about
/// it), or their document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Shared {
    Node(NodeId),
    Gone(NodeId),
    Document(Ustr),
}

/// A group: the claims on a topic that share a subject.
type Key = (Topic, Shared);

/// Marks a claim with no counterpart on the other side: a new claim that is not an old
/// one kept, or an old claim that is gone.
const NO_COUNTERPART: u32 = u32::MAX;

/// The groups of a claim of the new graph (`about` its subject list).
fn keys<'a>(claim: &'a ClaimFigure, about: &'a [NodeId]) -> impl Iterator<Item = Key> + 'a {
    about[claim.about.start as usize..claim.about.end as usize]
        .iter()
        .map(move |n| (claim.topic, Shared::Node(*n)))
        .chain(std::iter::once((
            claim.topic,
            Shared::Document(claim.document),
        )))
}

/// The members (indices into `claims`, in order) of the groups in `wanted`, in one pass
/// over the claims.
fn members(
    claims: &[ClaimFigure],
    about: &[NodeId],
    wanted: &FxHashSet<Key>,
) -> FxHashMap<Key, Vec<u32>> {
    let mut groups: FxHashMap<Key, Vec<u32>> = FxHashMap::default();
    if wanted.is_empty() {
        return groups;
    }
    let found: Vec<(Key, u32)> = claims
        .par_iter()
        .enumerate()
        .filter(|(_, claim)| bounds(claim).is_some())
        .flat_map_iter(|(index, claim)| {
            keys(claim, about)
                .filter(|key| wanted.contains(key))
                .map(move |key| (key, index as u32))
        })
        .collect();
    for (key, index) in found {
        groups.entry(key).or_default().push(index);
    }
    groups
}

/// The pairs a group makes (indices into `claims`, earlier first), as
/// [`claim_links`](super::conflicts::claim_links) compares its members, that may change:
/// `shift[i]` is how many claims went or came before member `i` ([`CHANGED`] for a
/// claim that went or came), and a pair of kept claims with none gone or come between
/// them keeps its distance, so the group makes it on both sides or neither (when its
/// window is the same on both).
fn group_pairs(
    claims: &[ClaimFigure],
    members: &[u32],
    shift: &[u32],
    pairs: &mut Vec<(u32, u32)>,
) {
    let window = window(members.len());
    for (j, b) in members.iter().enumerate() {
        for i in j.saturating_sub(window)..j {
            let a = members[i];
            let same = shift[i] == shift[j] && shift[j] != CHANGED;
            let (first, second) = (&claims[a as usize], &claims[*b as usize]);
            if !same
                && first.reporter != second.reporter
                && comparable(first.counted, second.counted)
            {
                pairs.push((a, *b));
            }
        }
    }
}

/// The `shift` of a claim that went or came ([`group_pairs`]).
const CHANGED: u32 = u32::MAX;

/// Whether a group with these members (in order) makes the pair of its members `a`
/// and `b` (whose reporters differ).
fn makes(members: &[u32], a: u32, b: u32) -> bool {
    let (Ok(i), Ok(j)) = (members.binary_search(&a), members.binary_search(&b)) else {
        unreachable!("a pair's claims are members of the groups they share")
    };
    i.abs_diff(j) <= window(members.len())
}

/// The groups that both claims of a pair (indices into the new claims) are in.
fn shared<'a>(
    new: (&'a [ClaimFigure], &'a [NodeId]),
    (a, b): (u32, u32),
) -> impl Iterator<Item = Key> + 'a {
    let (claims, about) = new;
    let (a, b) = (&claims[a as usize], &claims[b as usize]);
    keys(a, about).filter(move |key| keys(b, about).any(|theirs| theirs == *key))
}

/// old: (figures, subjects) of the old graph; new: (figures, subjects) of the new
/// graph; `remap`: old node id -> new node id for every kept node (claims and
/// entities), `None` for a node that is gone. The remap keeps the order of ids, and a
/// kept claim keeps its topic, figure, document, and its reporter and subjects
/// (remapped). A claim's subjects are distinct, as resolution records them.
pub(crate) fn relink(
    old: (&[ClaimFigure], &[NodeId]),
    new: (&[ClaimFigure], &[NodeId]),
    remap: impl Fn(NodeId) -> Option<NodeId> + Sync,
) -> LinkChange {
    let (old_claims, old_about) = old;
    let (new_claims, new_about) = new;
    debug_assert!(old_claims.windows(2).all(|w| w[0].claim < w[1].claim));
    debug_assert!(new_claims.windows(2).all(|w| w[0].claim < w[1].claim));

    // Which old claims are gone, and for each new claim the old one it is (or
    // NO_COUNTERPART), and back.
    let images: Vec<Option<NodeId>> = old_claims.par_iter().map(|c| remap(c.claim)).collect();
    let mut gone: Vec<u32> = Vec::new();
    let mut old_of_new: Vec<u32> = vec![NO_COUNTERPART; new_claims.len()];
    let mut new_of_old: Vec<u32> = vec![NO_COUNTERPART; old_claims.len()];
    let mut next = 0;
    for (index, image) in images.iter().enumerate() {
        let Some(image) = image else {
            gone.push(index as u32);
            continue;
        };
        while new_claims.get(next).is_some_and(|c| c.claim < *image) {
            next += 1;
        }
        debug_assert!(new_claims.get(next).is_some_and(|c| c.claim == *image));
        if new_claims.get(next).is_some_and(|c| c.claim == *image) {
            old_of_new[next] = index as u32;
            new_of_old[index] = next as u32;
            next += 1;
        }
    }
    let added = old_of_new
        .iter()
        .enumerate()
        .filter(|(_, o)| **o == NO_COUNTERPART);
    let added: Vec<u32> = added.map(|(index, _)| index as u32).collect();
    #[cfg(debug_assertions)]
    for (index, old) in old_of_new.iter().enumerate() {
        if *old != NO_COUNTERPART {
            let (was, is) = (&old_claims[*old as usize], &new_claims[index]);
            let subjects = |c: &ClaimFigure, about: &[NodeId]| {
                about[c.about.start as usize..c.about.end as usize].to_vec()
            };
            let remapped: Vec<NodeId> = subjects(was, old_about)
                .into_iter()
                .map(|n| remap(n).expect("a kept claim's subjects are kept"))
                .collect();
            debug_assert!(
                was.topic == is.topic
                    && was.low == is.low
                    && was.high == is.high
                    && was.document == is.document
                    && remap(was.reporter) == Some(is.reporter)
                    && remapped == subjects(is, new_about),
                "a kept claim is the same claim"
            );
        }
    }

    // The touched groups, by their new names, with the old members that went.
    let old_key = |(topic, shared): Key| match shared {
        Shared::Node(n) => (topic, remap(n).map_or(Shared::Gone(n), Shared::Node)),
        other => (topic, other),
    };
    let mut gone_members: FxHashMap<Key, Vec<u32>> = FxHashMap::default();
    for index in &gone {
        let claim = &old_claims[*index as usize];
        if bounds(claim).is_some() {
            for key in keys(claim, old_about) {
                gone_members.entry(old_key(key)).or_default().push(*index);
            }
        }
    }
    let mut touched: FxHashSet<Key> = gone_members.keys().copied().collect();
    for index in &added {
        let claim = &new_claims[*index as usize];
        if bounds(claim).is_some() {
            touched.extend(keys(claim, new_about));
        }
    }

    // The pairs the touched groups make, before and after, that may differ.
    let new_members = members(new_claims, new_about, &touched);
    let mut old_members: FxHashMap<Key, Vec<u32>> = FxHashMap::default();
    let mut old_pairs = Vec::new();
    let mut new_pairs = Vec::new();
    let (mut old_shift, mut new_shift) = (Vec::new(), Vec::new());
    for key in &touched {
        let now: &[u32] = new_members.get(key).map_or(&[], Vec::as_slice);
        let went: &[u32] = gone_members.get(key).map_or(&[], Vec::as_slice);
        let kept = now.iter().map(|n| old_of_new[*n as usize]);
        let mut then: Vec<u32> = kept
            .filter(|o| *o != NO_COUNTERPART)
            .chain(went.iter().copied())
            .collect();
        then.sort_unstable();
        old_shift.clear();
        new_shift.clear();
        if window(then.len()) == window(now.len()) {
            // Both lists in one walk: the kept claims in step, the others counted.
            let (mut i, mut j, mut changes) = (0, 0, 0);
            loop {
                if then.get(i).is_some_and(|o| images[*o as usize].is_none()) {
                    old_shift.push(CHANGED);
                    (i, changes) = (i + 1, changes + 1);
                } else if now
                    .get(j)
                    .is_some_and(|n| old_of_new[*n as usize] == NO_COUNTERPART)
                {
                    new_shift.push(CHANGED);
                    (j, changes) = (j + 1, changes + 1);
                } else if i < then.len() && j < now.len() {
                    debug_assert_eq!(old_of_new[now[j] as usize], then[i]);
                    old_shift.push(changes);
                    new_shift.push(changes);
                    (i, j) = (i + 1, j + 1);
                } else {
                    break;
                }
            }
        } else {
            // The window changes: every pair may.
            old_shift.resize(then.len(), CHANGED);
            new_shift.resize(now.len(), CHANGED);
        }
        group_pairs(old_claims, &then, &old_shift, &mut old_pairs);
        group_pairs(new_claims, now, &new_shift, &mut new_pairs);
        old_members.insert(*key, then);
    }
    old_pairs.sort_unstable();
    old_pairs.dedup();
    new_pairs.sort_unstable();
    new_pairs.dedup();

    // The pairs both sides make, found by walking both lists at once: a new pair of
    // kept claims in old indices keeps its place in the order, as the remap keeps the
    // order of claims.
    let mut in_both_old = vec![false; old_pairs.len()];
    let mut in_both_new = vec![false; new_pairs.len()];
    let mut at_old = 0;
    for (at, (a, b)) in new_pairs.iter().enumerate() {
        let (a, b) = (old_of_new[*a as usize], old_of_new[*b as usize]);
        if a == NO_COUNTERPART || b == NO_COUNTERPART {
            continue;
        }
        while old_pairs.get(at_old).is_some_and(|p| *p < (a, b)) {
            at_old += 1;
        }
        if old_pairs.get(at_old) == Some(&(a, b)) {
            in_both_old[at_old] = true;
            in_both_new[at] = true;
        }
    }
    // Pairs of kept claims that the touched groups compare on one side only: unchanged
    // links when another group the two share makes them on the other side. (Index
    // into old_pairs or new_pairs, the pair in new indices.)
    let mut old_only: Vec<(usize, (u32, u32))> = Vec::new();
    for (at, (a, b)) in old_pairs.iter().enumerate() {
        let (a, b) = (new_of_old[*a as usize], new_of_old[*b as usize]);
        if !in_both_old[at] && a != NO_COUNTERPART && b != NO_COUNTERPART {
            old_only.push((at, (a, b)));
        }
    }
    let mut new_only: Vec<(usize, (u32, u32))> = Vec::new();
    for (at, (a, b)) in new_pairs.iter().enumerate() {
        let kept =
            old_of_new[*a as usize] != NO_COUNTERPART && old_of_new[*b as usize] != NO_COUNTERPART;
        if kept && !in_both_new[at] {
            new_only.push((at, (*a, *b)));
        }
    }
    let wanted: FxHashSet<Key> = old_only
        .iter()
        .chain(&new_only)
        .flat_map(|(_, pair)| shared(new, *pair))
        .filter(|key| !touched.contains(key))
        .collect();
    let untouched_members = members(new_claims, new_about, &wanted);
    // Whether a group the pair's claims share makes it on the other side. Untouched
    // groups are the same on both sides (in new indices here).
    let made_after = |(a, b): (u32, u32)| {
        shared(new, (a, b)).any(|key| match new_members.get(&key) {
            Some(members) => makes(members, a, b),
            None => untouched_members
                .get(&key)
                .is_some_and(|members| makes(members, a, b)),
        })
    };
    let made_before = |(a, b): (u32, u32)| {
        shared(new, (a, b)).any(|key| match old_members.get(&key) {
            Some(members) => {
                let (a, b) = (old_of_new[a as usize], old_of_new[b as usize]);
                makes(members, a, b)
            }
            None => untouched_members
                .get(&key)
                .is_some_and(|members| makes(members, a, b)),
        })
    };
    // Pairs the other side makes elsewhere are in both; the rest are removed and added.
    for (at, pair) in old_only {
        in_both_old[at] = made_after(pair);
    }
    for (at, pair) in new_only {
        in_both_new[at] = made_before(pair);
    }

    let removed = old_pairs
        .iter()
        .zip(&in_both_old)
        .filter(|(_, in_both)| !**in_both)
        .map(|((a, b), _)| (old_claims[*a as usize].claim, old_claims[*b as usize].claim))
        .collect();
    let added = new_pairs
        .iter()
        .zip(&in_both_new)
        .filter(|(_, in_both)| !**in_both)
        .map(|((a, b), _)| {
            let (a, b) = (&new_claims[*a as usize], &new_claims[*b as usize]);
            let rel = relation(bounds(a).unwrap(), bounds(b).unwrap());
            (a.claim, b.claim, rel)
        })
        .collect();
    LinkChange { removed, added }
}

/// The links of the new graph: `old_links` (sorted by (a, b), as
/// [`claim_links`](super::conflicts::claim_links) gives them) without the removed ones,
/// remapped, with the added ones, sorted by (a, b).
#[cfg(test)]
pub(crate) fn apply(
    old_links: &[ClaimLink],
    change: &LinkChange,
    remap: impl Fn(NodeId) -> Option<NodeId>,
) -> Vec<ClaimLink> {
    let mut removed = change.removed.iter().peekable();
    let kept = old_links.iter().filter_map(|(a, b, rel)| {
        while removed.next_if(|r| **r < (*a, *b)).is_some() {}
        if removed.next_if(|r| **r == (*a, *b)).is_some() {
            return None;
        }
        let remapped = |n| remap(n).expect("a link that stays joins kept claims");
        Some((remapped(*a), remapped(*b), *rel))
    });
    let mut links = Vec::with_capacity(old_links.len() + change.added.len());
    let mut added = change.added.iter().copied().peekable();
    for link in kept {
        while let Some(new) = added.next_if(|n| (n.0, n.1) < (link.0, link.1)) {
            links.push(new);
        }
        debug_assert!(added.peek().is_none_or(|n| (n.0, n.1) != (link.0, link.1)));
        links.push(link);
    }
    links.extend(added);
    links
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::RelType;
    use crate::resolve::conflicts;
    use std::time::Instant;

    /// xorshift64*: deterministic and dependency-free.
    struct Rng(u64);

    impl Rng {
        fn new(seed: u64) -> Rng {
            Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn chance(&mut self, percent: usize) -> bool {
            self.below(100) < percent
        }
    }

    const TOPICS: [Topic; 3] = [Topic::Casualties, Topic::Strike, Topic::Desertion];

    struct Spec {
        topic: Topic,
        low: Option<f64>,
        high: Option<f64>,
        /// Two kinds of counted things, or not said.
        counted: u32,
        /// Indices into the items.
        reporter: usize,
        subjects: Vec<usize>,
        document: Ustr,
    }

    /// A node of the old graph, the new one, or both; in the order of `order`.
    struct Item {
        order: u64,
        old: bool,
        new: bool,
        claim: Option<Spec>,
    }

    /// One side's figures and subjects, and each item's id on that side.
    fn side(items: &[Item], new: bool) -> (Vec<ClaimFigure>, Vec<NodeId>, Vec<Option<NodeId>>) {
        let mut sorted: Vec<usize> = (0..items.len()).collect();
        sorted.sort_by_key(|i| items[*i].order);
        let mut ids = vec![None; items.len()];
        let on = |item: &Item| if new { item.new } else { item.old };
        for (id, index) in sorted.iter().filter(|i| on(&items[**i])).enumerate() {
            ids[*index] = Some(NodeId::new(id));
        }
        let (mut figures, mut about) = (Vec::new(), Vec::new());
        for index in sorted.iter().filter(|i| on(&items[**i])) {
            if let Some(spec) = &items[*index].claim {
                let start = about.len() as u32;
                about.extend(spec.subjects.iter().map(|s| ids[*s].unwrap()));
                figures.push(ClaimFigure {
                    claim: ids[*index].unwrap(),
                    topic: spec.topic,
                    low: spec.low,
                    high: spec.high,
                    counted: spec.counted,
                    reporter: ids[spec.reporter].unwrap(),
                    document: spec.document,
                    about: start..about.len() as u32,
                });
            }
        }
        (figures, about, ids)
    }

    /// Old id -> new id, from each item's ids on both sides.
    fn remap_table(
        items: &[Item],
        old: &[Option<NodeId>],
        new: &[Option<NodeId>],
    ) -> Vec<Option<NodeId>> {
        let mut table = vec![None; items.iter().filter(|i| i.old).count()];
        for (o, n) in old.iter().zip(new) {
            if let Some(o) = o {
                table[o.index()] = *n;
            }
        }
        table
    }

    fn figure(rng: &mut Rng) -> (Option<f64>, Option<f64>) {
        const VALUES: [f64; 6] = [10.0, 11.0, 20.0, 50.0, 100.0, 120.0];
        let mut value = || VALUES[rng.below(VALUES.len())];
        let (a, b) = (value(), value());
        match rng.below(10) {
            0 => (None, None),
            1 => (Some(a), None),
            2 => (None, Some(a)),
            _ => (Some(a.min(b)), Some(a.max(b))),
        }
    }

    /// Checks the contract: the old links less the removed ones, remapped, with the
    /// added ones, are the new links. `Err` names the links that differ.
    fn check(items: &[Item]) -> Result<LinkChange, String> {
        let (old_figures, old_about, old_ids) = side(items, false);
        let (new_figures, new_about, new_ids) = side(items, true);
        let table = remap_table(items, &old_ids, &new_ids);
        let remap = |n: NodeId| table[n.index()];
        let old_links = conflicts::claim_links(&old_figures, &old_about);
        let new_links = conflicts::claim_links(&new_figures, &new_about);
        let change = relink(
            (&old_figures, &old_about),
            (&new_figures, &new_about),
            remap,
        );
        assert!(change.removed.windows(2).all(|w| w[0] < w[1]));
        assert!(change
            .added
            .windows(2)
            .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
        for pair in &change.removed {
            assert!(old_links.iter().any(|(a, b, _)| (*a, *b) == *pair));
        }
        let applied = apply(&old_links, &change, remap);
        if applied == new_links {
            return Ok(change);
        }
        let missing: Vec<_> = new_links.iter().filter(|l| !applied.contains(l)).collect();
        let extra: Vec<_> = applied.iter().filter(|l| !new_links.contains(l)).collect();
        Err(format!(
            "{} links for {}: missing {missing:?}, extra {extra:?}",
            applied.len(),
            new_links.len()
        ))
    }

    /// Claims over a few topics, subjects, reporters and documents; some go (all of a
    /// document's, or any), new ones come interleaved, entities come and go, ids shift.
    fn round(seed: u64) -> Vec<Item> {
        let mut rng = Rng::new(seed);
        let mut items: Vec<Item> = Vec::new();
        let entity = |rng: &mut Rng, old, new| Item {
            order: rng.next(),
            old,
            new,
            claim: None,
        };
        let subjects: Vec<usize> = (0..3 + rng.below(5))
            .map(|_| {
                items.push(entity(&mut rng, true, true));
                items.len() - 1
            })
            .collect();
        items.push(entity(&mut rng, true, false));
        let gone_subject = items.len() - 1;
        items.push(entity(&mut rng, false, true));
        let new_subject = items.len() - 1;
        for _ in 0..rng.below(3) {
            let (old, new) = (rng.chance(50), rng.chance(50));
            items.push(entity(&mut rng, old, new));
        }
        let reporters: Vec<usize> = (0..2 + rng.below(5))
            .map(|_| {
                items.push(entity(&mut rng, true, true));
                items.len() - 1
            })
            .collect();
        let documents: Vec<Ustr> = (0..2 + rng.below(9))
            .map(|d| Ustr::from(&format!("doc{d}")))
            .collect();
        let topics = 1 + rng.below(TOPICS.len());
        let by_document = rng.chance(50);
        let changed: Vec<bool> = documents.iter().map(|_| rng.chance(25)).collect();
        let drop_rate = [2, 10, 30][rng.below(3)];
        let claims = 40 + rng.below(261);
        let added = rng.below(claims / 4 + 1);
        for n in 0..claims + added {
            let is_new = n >= claims;
            let document = rng.below(documents.len());
            let document = if is_new && by_document {
                // A changed document's new version, when there is one.
                match changed.iter().position(|c| *c) {
                    Some(first) if !changed[document] => first,
                    _ => document,
                }
            } else {
                document
            };
            let gone = !is_new
                && if by_document {
                    changed[document]
                } else {
                    rng.chance(drop_rate)
                };
            let mut about = Vec::new();
            for _ in 0..rng.below(4) {
                let subject = match rng.below(12) {
                    0 if gone => gone_subject,
                    1 if is_new => new_subject,
                    _ => subjects[rng.below(subjects.len())],
                };
                if !about.contains(&subject) {
                    about.push(subject);
                }
            }
            let (low, high) = figure(&mut rng);
            items.push(Item {
                order: rng.next(),
                old: !is_new,
                new: is_new || !gone,
                claim: Some(Spec {
                    topic: TOPICS[rng.below(topics)],
                    low,
                    high,
                    counted: rng.below(3) as u32,
                    reporter: reporters[rng.below(reporters.len())],
                    subjects: about,
                    document: documents[document],
                }),
            });
        }
        items
    }

    #[test]
    fn relink_matches_linking_everything_again() {
        let (mut removed, mut added, mut crossed) = (0, 0, 0);
        let mut wrong = Vec::new();
        for seed in 0..600 {
            let items = round(seed);
            let change = match check(&items) {
                Ok(change) => change,
                Err(differ) => {
                    wrong.push((seed, differ));
                    continue;
                }
            };
            removed += change.removed.len();
            added += change.added.len();
            // Some document's group goes from at most FULL_GROUP members to more, or back.
            let sizes = |new: bool| {
                let mut sizes: FxHashMap<(Topic, Ustr), usize> = FxHashMap::default();
                for f in side(&items, new).0.iter().filter(|f| bounds(f).is_some()) {
                    *sizes.entry((f.topic, f.document)).or_default() += 1;
                }
                sizes
            };
            let (before, after) = (sizes(false), sizes(true));
            if before
                .iter()
                .any(|(k, n)| (*n > 6) != (after.get(k).copied().unwrap_or(0) > 6))
            {
                crossed += 1;
            }
        }
        assert!(
            wrong.is_empty(),
            "{} of 600 rounds wrong, first: {:?}",
            wrong.len(),
            wrong.first()
        );
        eprintln!("600 rounds: {removed} links removed, {added} added, {crossed} cross 6");
        assert!(
            removed > 1000 && added > 1000,
            "{removed} removed, {added} added"
        );
        assert!(crossed > 50, "{crossed} rounds cross the full-group size");
    }

    #[test]
    fn relink_without_changed_claims_changes_nothing() {
        for seed in 0..50 {
            let mut items = round(seed);
            // Every old claim is kept and none comes; entities that no claim is about
            // still come and go, so ids still shift.
            items.retain(|i| i.claim.is_none() || i.old);
            let unkept: Vec<usize> = (0..items.len())
                .filter(|i| items[*i].old != items[*i].new)
                .collect();
            for item in &mut items {
                if let Some(spec) = &mut item.claim {
                    item.new = true;
                    spec.subjects.retain(|s| !unkept.contains(s));
                }
            }
            let change = check(&items).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            assert_eq!(change, LinkChange::default(), "seed {seed}");
        }
    }

    /// Times relink on a million claims with 1% of the documents changed, against
    /// linking every claim again: `cargo test --release --lib relink_timing -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore]
    fn relink_timing() {
        const DOCUMENTS: usize = 100_000;
        const SUBJECTS: usize = 60_000;
        const REPORTERS: usize = 20_000;
        let mut rng = Rng::new(7);
        let documents: Vec<Ustr> = (0..DOCUMENTS)
            .map(|d| Ustr::from(&format!("doc{d}")))
            .collect();
        // Entities first (ids 0..), then each document's claims as one run; a claim
        // about a few subjects, the common ones far more often.
        let claim = |rng: &mut Rng, document: usize| {
            let mut about = Vec::new();
            for _ in 0..rng.below(4) {
                let r = rng.below(SUBJECTS) as u64;
                let subject = (r * r / SUBJECTS as u64) as usize;
                if !about.contains(&subject) {
                    about.push(subject);
                }
            }
            let (low, high) = figure(rng);
            let (low, high) = if low.is_none() && high.is_none() {
                (Some(1.0), None)
            } else {
                (low, high)
            };
            let reporter = SUBJECTS + rng.below(REPORTERS);
            (
                Topic::ALL[rng.below(4)],
                low,
                high,
                reporter,
                about,
                documents[document],
            )
        };
        type Claim = (Topic, Option<f64>, Option<f64>, usize, Vec<usize>, Ustr);
        let old: Vec<Vec<Claim>> = (0..DOCUMENTS)
            .map(|d| (0..10).map(|_| claim(&mut rng, d)).collect())
            .collect();
        let changed: FxHashSet<usize> =
            (0..DOCUMENTS / 100).map(|_| rng.below(DOCUMENTS)).collect();
        let new: Vec<Vec<Claim>> = (0..DOCUMENTS)
            .map(|d| {
                if changed.contains(&d) {
                    (0..5 + rng.below(11)).map(|_| claim(&mut rng, d)).collect()
                } else {
                    Vec::new()
                }
            })
            .collect();
        let build = |new_side: bool| {
            let (mut figures, mut about) = (Vec::new(), Vec::new());
            let mut id = SUBJECTS + REPORTERS;
            for d in 0..DOCUMENTS {
                let claims = if new_side && changed.contains(&d) {
                    &new[d]
                } else {
                    &old[d]
                };
                for (topic, low, high, reporter, subjects, document) in claims {
                    let start = about.len() as u32;
                    about.extend(subjects.iter().map(|s| NodeId::new(*s)));
                    figures.push(ClaimFigure {
                        claim: NodeId::new(id),
                        topic: *topic,
                        low: *low,
                        high: *high,
                        counted: super::super::conflicts::NOT_SAID,
                        reporter: NodeId::new(*reporter),
                        document: *document,
                        about: start..about.len() as u32,
                    });
                    id += 1;
                }
            }
            (figures, about)
        };
        let (old_figures, old_about) = build(false);
        let (new_figures, new_about) = build(true);
        let mut table: Vec<Option<NodeId>> = (0..SUBJECTS + REPORTERS)
            .map(|n| Some(NodeId::new(n)))
            .collect();
        let mut next = SUBJECTS + REPORTERS;
        for d in 0..DOCUMENTS {
            for _ in &old[d] {
                table.push((!changed.contains(&d)).then(|| NodeId::new(next)));
                next += usize::from(!changed.contains(&d));
            }
            if changed.contains(&d) {
                next += new[d].len();
            }
        }
        let remap = |n: NodeId| table[n.index()];

        let old_links = conflicts::claim_links(&old_figures, &old_about);
        let start = Instant::now();
        let new_links = conflicts::claim_links(&new_figures, &new_about);
        let everything = start.elapsed();
        let mut times = Vec::new();
        let mut change = LinkChange::default();
        for _ in 0..5 {
            let start = Instant::now();
            change = relink(
                (&old_figures, &old_about),
                (&new_figures, &new_about),
                remap,
            );
            times.push(start.elapsed());
        }
        let start = Instant::now();
        let applied = apply(&old_links, &change, remap);
        let applying = start.elapsed();
        assert_eq!(applied, new_links);
        times.sort();
        let rels = |rel| change.added.iter().filter(|l| l.2 == rel).count();
        eprintln!(
            "{} old and {} new figures, {} documents changed, {} links: claim_links {:?}; relink {:?} (best of 5, worst {:?}): {} removed, {} added ({} corroborate); apply {:?}",
            old_figures.len(),
            new_figures.len(),
            changed.len(),
            new_links.len(),
            everything,
            times[0],
            times[4],
            change.removed.len(),
            change.added.len(),
            rels(RelType::Corroborates),
            applying,
        );
    }
}

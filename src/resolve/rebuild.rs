//! Rebuilds that resolve only the documents that changed (steps 3 and 4 of
//! `docs/incremental-resolution.md`).
//!
//! A full build saves, beside the graph, the [`RebuildState`]: where each document's
//! part of the graph lies, what it made first, the entity table the probe reads, and
//! the claims' figures. A later build whose documents are the old ones in the old
//! order, some of them changed and some added after the last, probes each of those in
//! corpus order ([`probe::probe`]); when all pass, every other document's part is the
//! old one with its node ids moved (less a place that a changed document now names
//! first), and the build writes only a [`GraphDelta`]: the changed and added parts' new
//! rows, where they go in the old graph's sections, the old entities' rows they change,
//! how node ids move, and the claim links that go and come.
//! Loading the graph applies it (`graph::delta`). Each delta is made against the full
//! build's graph (the *base*), not the last delta, so it never needs the last one.

use super::probe::{self, EntityTable, Fallback, FreshNodes, Probed};
use super::{add_claims, add_mentions, conflicts, Effect, PartSink, PreparedDocument, Provenance};
use crate::graph::store::{read_whole, unframe, write_framed_with, Durability};
use crate::graph::{
    moved, name_key, Edge, Edit, GraphDelta, GraphRead, KnowledgeGraph, MentionRecord, Node,
    NodeData, NodeId, RelType,
};
use crate::graph::{StoreError, Topic};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};

/// What a rebuild needs of the full build that wrote the base graph.
pub struct RebuildState {
    /// The input the base graph file was built from (its [`crate::graph::BuildRecord`]
    /// says), and the binary that built it (whose rules made the extractions and whose
    /// code resolved them).
    pub base: Option<u64>,
    pub fingerprint: Option<u64>,
    /// The base graph file's size and modification time as the full build left it: a
    /// file changed since is not built on (it is checksummed when the state is made,
    /// not at every rebuild, which would cost a tenth of a second at 100,000 articles).
    pub base_stamp: Option<(u64, u128)>,
    /// Each document's content hash, in corpus order.
    pub documents: Vec<u64>,
    /// The people each document names in full ([`super::people_of`]), as node ids:
    /// document `i`'s are `named[named_from[i]..named_from[i + 1]]`, sorted. Lone
    /// surnames are joined by who is named in full anywhere.
    named: Vec<u32>,
    named_from: Vec<u32>,
    /// The base graph's counts of nodes, edges (without the claim links) and mention
    /// records.
    ends: [u32; 3],
    provenance: Provenance,
    /// Each document's `LOCATED_IN` edges (which open its edges) and `MENTIONED_IN`
    /// edges (which follow them).
    layout: Vec<[u32; 2]>,
    /// The place each `LOCATED_IN` edge of a part leaves, in part and edge order.
    located: Vec<u32>,
    /// Documents whose document or claim node is named like a surname only one person
    /// has, so that the surname is not given to that person as an alias: changing one
    /// of them may change that ([`super::add_surname_aliases`]), so they are resolved
    /// with everything.
    pinned: Vec<u32>,
    /// The hashes of the base graph's one-word name keys (of names and aliases),
    /// sorted: a new person whose surname is among them may not get it as an alias.
    one_word_names: Vec<u64>,
    /// The people given their surname as an alias when the corpus was finished, in
    /// node order.
    surname_aliased: Vec<u32>,
    table: EntityTable,
    figures: Vec<conflicts::ClaimFigure>,
    subjects: Vec<NodeId>,
}

impl RebuildState {
    /// The state of a full build: `resolver` before it finishes, `hashes` each
    /// document's content and people hashes in corpus order.
    pub(super) fn of(
        builder_table: EntityTable,
        provenance: Provenance,
        graph: &KnowledgeGraph,
        documents: Vec<u64>,
        surname_aliased: Vec<u32>,
        (named, named_from): (Vec<u32>, Vec<u32>),
    ) -> RebuildState {
        let ends = Provenance::ends(graph);
        let mut located_children = Vec::new();
        let layout = (0..provenance.starts.len())
            .map(|i| {
                let edges = provenance.part(i, ends)[1].clone();
                let edge = |e: u32| crate::graph::EdgeId::new(e as usize);
                let rel = |e: u32| graph.edge(edge(e)).rel;
                let before = located_children.len();
                located_children.extend(
                    edges
                        .clone()
                        .take_while(|e| rel(*e) == RelType::LocatedIn)
                        .map(|e| graph.endpoints(edge(e)).0.index() as u32),
                );
                let located = (located_children.len() - before) as u32;
                let mentioned = edges
                    .skip(located as usize)
                    .take_while(|e| rel(*e) == RelType::MentionedIn)
                    .count() as u32;
                [located, mentioned]
            })
            .collect();
        // Which documents' own nodes take a lone surname from its person.
        let part_of = |id: NodeId| {
            provenance
                .starts
                .partition_point(|s| s[0] as usize <= id.index())
                - 1
        };
        let mut pinned: Vec<u32> = builder_table
            .unique_surnames()
            .flat_map(|surname| graph.lookup(surname))
            .filter(|id| {
                matches!(
                    graph.node(*id).data,
                    crate::graph::NodeData::Document(_) | crate::graph::NodeData::Claim(_)
                )
            })
            .map(|id| part_of(id) as u32)
            .collect();
        pinned.sort_unstable();
        pinned.dedup();
        let mut one_word_names: Vec<u64> = graph
            .name_keys()
            .filter(|key| !key.contains(' '))
            .map(name_hash)
            .collect();
        one_word_names.sort_unstable();
        one_word_names.dedup();
        RebuildState {
            pinned,
            one_word_names,
            surname_aliased,
            base: None,
            fingerprint: None,
            base_stamp: None,
            documents,
            named,
            named_from,
            ends,
            provenance,
            layout,
            located: located_children,
            table: builder_table,
            figures: Vec::new(),
            subjects: Vec::new(),
        }
    }

    /// The base graph's count of edges before its claim links.
    pub fn own_edges(&self) -> u32 {
        self.ends[1]
    }

    /// The bulk of the state, encoded: the entity table and the claims (`claims`: the
    /// base graph's, which a full build links as it saves the graph). A full build
    /// encodes them while the graph is saved, and then [`RebuildState::save`]s.
    pub fn encode_bulk(&self, claims: &super::UnlinkedClaims) -> EncodedBulk {
        EncodedBulk([
            postcard::to_stdvec(&self.table),
            Ok(encode_claims(&claims.figures, &claims.subjects)),
        ])
    }

    /// Saves the state beside the graph it describes, atomically: a state lost or
    /// damaged only costs the next build a full resolution. It is written in three
    /// sections, each length first, that loading decodes on different cores: the
    /// documents and their parts, the entity table, the claims.
    pub fn save(&self, graph: &Path, bulk: EncodedBulk) -> Result<(), StoreError> {
        let [table, claims] = bulk.0;
        let sections = [
            postcard::to_stdvec(&(
                &self.base,
                &self.fingerprint,
                &self.base_stamp,
                &self.documents,
                (&self.named, &self.named_from),
                &self.ends,
                &self.provenance,
                (&self.layout, &self.located),
                &self.pinned,
                &self.one_word_names,
                &self.surname_aliased,
            )),
            table,
            claims,
        ];
        write_framed_with(
            &state_path(graph),
            STATE_MAGIC,
            STATE_VERSION,
            Durability::Disposable,
            move |out| {
                for section in &sections {
                    let section = section
                        .as_ref()
                        .map_err(|e| std::io::Error::other(e.to_string()))?;
                    out.write_all(&(section.len() as u64).to_le_bytes())?;
                    out.write_all(section)?;
                }
                Ok(())
            },
        )
    }

    /// The state saved beside the graph at `graph`, if there is one this binary reads.
    pub fn load(graph: &Path) -> Result<Option<RebuildState>, StoreError> {
        let path = state_path(graph);
        let bytes = match read_whole(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(StoreError::Read { path, source }),
        };
        let (_, payload) = unframe(&bytes, STATE_MAGIC, STATE_VERSION, &path)?;
        let bad = |reason: String| StoreError::Decode {
            path: path.clone(),
            reason,
        };
        let mut sections = [&payload[..0]; 3];
        let mut rest = payload;
        for section in &mut sections {
            let length = rest
                .get(..8)
                .map(|l| u64::from_le_bytes(l.try_into().expect("8 bytes")) as usize)
                .filter(|l| *l <= rest.len() - 8)
                .ok_or_else(|| bad("a section is cut short".into()))?;
            (*section, rest) = rest[8..].split_at(length);
        }
        type Parts = (
            Option<u64>,
            Option<u64>,
            Option<(u64, u128)>,
            Vec<u64>,
            (Vec<u32>, Vec<u32>),
            [u32; 3],
            Provenance,
            (Vec<[u32; 2]>, Vec<u32>),
            Vec<u32>,
            Vec<u64>,
            Vec<u32>,
        );
        let (parts, (table, claims)) = rayon::join(
            || postcard::from_bytes::<Parts>(sections[0]),
            || {
                rayon::join(
                    || postcard::from_bytes::<EntityTable>(sections[1]),
                    || decode_claims(sections[2]),
                )
            },
        );
        let decoded = |e: postcard::Error| bad(e.to_string());
        let (
            base,
            fingerprint,
            base_stamp,
            documents,
            (named, named_from),
            ends,
            provenance,
            (layout, located),
            pinned,
            one_word_names,
            surname_aliased,
        ) = parts.map_err(decoded)?;
        let (figures, subjects) = claims.map_err(bad)?;
        let in_order = named_from.windows(2).all(|w| w[0] <= w[1])
            && named_from
                .last()
                .is_none_or(|last| *last as usize <= named.len());
        let parts = provenance.starts.len();
        let located_edges: usize = layout.iter().map(|[located, _]| *located as usize).sum();
        if named_from.len() != documents.len()
            || !in_order
            || parts != documents.len()
            || layout.len() != parts
            || located_edges != located.len()
        {
            return Err(bad("the documents' parts do not match them".into()));
        }
        Ok(Some(RebuildState {
            base,
            fingerprint,
            base_stamp,
            documents,
            named,
            named_from,
            ends,
            provenance,
            layout,
            located,
            pinned,
            one_word_names,
            surname_aliased,
            table: table.map_err(decoded)?,
            figures,
            subjects,
        }))
    }
}

/// The encoded entity table and claims of a state ([`RebuildState::encode_bulk`]).
pub struct EncodedBulk([postcard::Result<Vec<u8>>; 2]);

/// The claims' figures as saved: each claim's document as a position in a list of
/// document ids (rather than the id again for every claim, which was most of the
/// state), and each figure and subject as fixed-size little-endian fields, which
/// decode without a varint or a string in sight.
#[derive(serde::Serialize)]
struct ClaimsOut<'a> {
    documents: Vec<&'a str>,
    #[serde(with = "serde_bytes")]
    figures: Vec<u8>,
    #[serde(with = "serde_bytes")]
    subjects: Vec<u8>,
}

#[derive(serde::Deserialize)]
struct ClaimsIn<'a> {
    #[serde(borrow)]
    documents: Vec<&'a str>,
    #[serde(borrow)]
    figures: &'a [u8],
    #[serde(borrow)]
    subjects: &'a [u8],
}

/// claim, reporter, document, about (start, end): u32 each; low, high: f64 each; which
/// of low and high there are, and the topic: a byte each; what the figure counts: u32.
const FIGURE_BYTES: usize = 5 * 4 + 2 * 8 + 2 + 4;

fn encode_claims(figures: &[conflicts::ClaimFigure], subjects: &[NodeId]) -> Vec<u8> {
    let mut documents: Vec<&str> = Vec::new();
    let mut positions: FxHashMap<ustr::Ustr, u32> = FxHashMap::default();
    let mut rows = Vec::with_capacity(figures.len() * FIGURE_BYTES);
    for f in figures {
        let document = *positions.entry(f.document).or_insert_with(|| {
            documents.push(f.document.as_str());
            documents.len() as u32 - 1
        });
        for number in [
            f.claim.index() as u32,
            f.reporter.index() as u32,
            document,
            f.about.start,
            f.about.end,
        ] {
            rows.extend_from_slice(&number.to_le_bytes());
        }
        for bound in [f.low, f.high] {
            rows.extend_from_slice(&bound.unwrap_or(0.0).to_le_bytes());
        }
        rows.push(u8::from(f.low.is_some()) | u8::from(f.high.is_some()) << 1);
        rows.push(f.topic as u8);
        rows.extend_from_slice(&f.counted.to_le_bytes());
    }
    let subjects = subjects
        .iter()
        .flat_map(|s| (s.index() as u32).to_le_bytes())
        .collect();
    let out = ClaimsOut {
        documents,
        figures: rows,
        subjects,
    };
    postcard::to_stdvec(&out).unwrap_or_default()
}

fn decode_claims(section: &[u8]) -> Result<(Vec<conflicts::ClaimFigure>, Vec<NodeId>), String> {
    let claims: ClaimsIn = postcard::from_bytes(section).map_err(|e| e.to_string())?;
    let documents: Vec<ustr::Ustr> = claims.documents.iter().map(|d| ustr::ustr(d)).collect();
    if !claims.figures.len().is_multiple_of(FIGURE_BYTES)
        || !claims.subjects.len().is_multiple_of(4)
    {
        return Err("the claims are cut short".into());
    }
    let u32_at =
        |row: &[u8], at: usize| u32::from_le_bytes(row[at..at + 4].try_into().expect("4 bytes"));
    let f64_at =
        |row: &[u8], at: usize| f64::from_le_bytes(row[at..at + 8].try_into().expect("8 bytes"));
    let figures = claims
        .figures
        .chunks_exact(FIGURE_BYTES)
        .map(|row| {
            let present = row[36];
            let topic = *Topic::ALL
                .get(usize::from(row[37]))
                .ok_or("a claim's topic is unknown")?;
            Ok(conflicts::ClaimFigure {
                claim: NodeId::new(u32_at(row, 0) as usize),
                reporter: NodeId::new(u32_at(row, 4) as usize),
                document: *documents
                    .get(u32_at(row, 8) as usize)
                    .ok_or("a claim's document is not listed")?,
                about: u32_at(row, 12)..u32_at(row, 16),
                low: (present & 1 != 0).then(|| f64_at(row, 20)),
                high: (present & 2 != 0).then(|| f64_at(row, 28)),
                counted: u32_at(row, 38),
                topic,
            })
        })
        .collect::<Result<Vec<_>, &str>>()?;
    let subjects = claims
        .subjects
        .chunks_exact(4)
        .map(|s| NodeId::new(u32::from_le_bytes(s.try_into().expect("4 bytes")) as usize))
        .collect();
    Ok((figures, subjects))
}

const STATE_MAGIC: &[u8; 8] = b"CLMSTATE";
const STATE_VERSION: u32 = 2;

/// Where the rebuild state of the graph at `graph` is kept.
pub fn state_path(graph: &Path) -> PathBuf {
    let mut name = graph.as_os_str().to_owned();
    name.push(".state");
    PathBuf::from(name)
}

impl RebuildState {
    /// The people document `position` names in full, as node ids, sorted.
    fn named_by(&self, position: usize) -> &[u32] {
        let Some(start) = self.named_from.get(position) else {
            return &[]; // added since
        };
        let start = *start as usize;
        let end = self
            .named_from
            .get(position + 1)
            .map_or(self.named.len(), |e| *e as usize);
        &self.named[start..end]
    }
}

/// A rows sink for a changed document's part: nodes numbered from where the part starts
/// in the new graph.
struct PartRows {
    next: u32,
    nodes: Vec<Node>,
    edges: Vec<(NodeId, NodeId, Edge)>,
    mentions: Vec<MentionRecord>,
}

impl PartSink for PartRows {
    fn add_node(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.next += 1;
        NodeId::new(self.next as usize - 1)
    }

    fn add_edge(&mut self, from: NodeId, to: NodeId, edge: Edge) {
        self.edges.push((from, to, edge));
    }

    fn add_mention(&mut self, record: MentionRecord) {
        self.mentions.push(record);
    }
}

/// A document whose content changed since the full build: where it stands in corpus
/// order, its new version, and the full names of the people it names
/// ([`super::people_of`]).
pub struct ChangedDocument {
    pub position: usize,
    pub document: PreparedDocument,
    pub people: Vec<String>,
}

/// The delta that turns the base graph into the graph of the new corpus, whose
/// documents are the base's with those in `changed` (in position order) changed; or
/// why the whole corpus must be resolved again. `base_links`: how many claim links the
/// base graph has.
pub fn rebuild(
    state: &RebuildState,
    changed: Vec<ChangedDocument>,
    base_links: u64,
) -> Result<GraphDelta, Fallback> {
    let surnames = fresh_surnames(state, &changed)?;
    let (probed, mut fresh) = probe_in_order(state, &surnames, &changed)?;
    let takes_a_surname = |node: &Node| {
        std::iter::once(&node.name)
            .chain(&node.aliases)
            .any(|name| state.table.is_unique_surname(&name_key(name)))
    };
    let new_nodes = changed
        .iter()
        .flat_map(|c| std::iter::once(&c.document.node).chain(&c.document.claim_nodes));
    if new_nodes.chain(&fresh.nodes).any(takes_a_surname) {
        return Err("a changed document's node is named like a surname");
    }
    give_surname_aliases(&surnames, &changed, &mut fresh.nodes, state)?;
    let old_nodes = edit_old_nodes(state, &surnames, &changed, &probed)?;
    let moves = moved_places(state, &changed, &fresh.was)?;
    let mut parts = PartWriter::new(state, base_links, fresh, moves);
    for (changed, probed) in changed.into_iter().zip(probed) {
        parts.write(changed, probed);
    }
    Ok(parts.finish(old_nodes))
}

/// Probes every changed document in corpus order, so that a fresh node is made by the
/// first one naming it: what each makes, and the fresh nodes of them all.
fn probe_in_order(
    state: &RebuildState,
    surnames: &FxHashMap<String, Option<String>>,
    changed: &[ChangedDocument],
) -> Result<(Vec<Probed>, FreshNodes), Fallback> {
    let mut fresh = FreshNodes::default();
    let mut probed = Vec::with_capacity(changed.len());
    for ChangedDocument {
        position, document, ..
    } in changed
    {
        let added = *position >= state.documents.len();
        if !added && state.pinned.binary_search(&(*position as u32)).is_ok() {
            return Err("a changed document's node is named like a surname");
        }
        let owned = match added {
            true => &[],
            false => state.provenance.effects_of(*position),
        };
        let at = *position as u32;
        let table = &state.table;
        probed.push(probe::probe(
            table, surnames, &mut fresh, document, at, owned,
        )?);
    }
    Ok((probed, fresh))
}

/// Writes the delta, one changed document's part after another in corpus order.
struct PartWriter<'s> {
    state: &'s RebuildState,
    delta: GraphDelta,
    /// How far the ids after the parts written so far move.
    shift: i64,
    /// The new id of each fresh node, known once the part that makes it is written.
    fresh_ids: Vec<u32>,
    fresh_nodes: std::vec::IntoIter<Node>,
    /// The old node each fresh node stands for (a moved place), if any.
    was: Vec<Option<NodeId>>,
    moves: std::iter::Peekable<std::vec::IntoIter<MovedPlace>>,
    /// The new claims with figures of each changed document, by position.
    new_figures: Vec<(usize, Vec<conflicts::ClaimFigure>, Vec<NodeId>)>,
    /// Room for `add_mentions`, kept from one part to the next.
    mentioned: Vec<u64>,
}

impl<'s> PartWriter<'s> {
    fn new(
        state: &'s RebuildState,
        base_links: u64,
        fresh: FreshNodes,
        moves: Vec<MovedPlace>,
    ) -> PartWriter<'s> {
        PartWriter {
            state,
            delta: GraphDelta {
                base: state.ends,
                base_links,
                shifts: Vec::new(),
                nodes: Vec::new(),
                edges: Vec::new(),
                mentions: Vec::new(),
                links_removed: Vec::new(),
                links_added: Vec::new(),
                renumbered: Vec::new(),
            },
            shift: 0,
            fresh_ids: vec![0; fresh.nodes.len()],
            fresh_nodes: fresh.nodes.into_iter(),
            was: fresh.was,
            moves: moves.into_iter().peekable(),
            new_figures: Vec::new(),
            mentioned: Vec::new(),
        }
    }

    /// Writes one changed document's new part in place of its old one (an added
    /// document's after the last part).
    fn write(&mut self, changed: ChangedDocument, probed: Probed) {
        let state = self.state;
        let ChangedDocument {
            position, document, ..
        } = changed;
        // A document added after the last one has an empty old part at the end.
        let added = position >= state.documents.len();
        let (owned, [nodes, edges, mentions]) = match added {
            true => (&[][..], state.ends.map(|end| end..end)),
            false => (
                state.provenance.effects_of(position),
                state.provenance.part(position, state.ends),
            ),
        };
        // The places moved out of the parts before this one go, and ids after them
        // move down.
        while let Some(place) = self.moves.next_if(|m| m.node < nodes.start) {
            place.remove(&mut self.delta, &mut self.shift);
        }
        let linked = owned
            .iter()
            .filter(|e| matches!(e, Effect::Linked(..)))
            .count() as u32;
        let ([located, mentioned_count], document_rows) = match added {
            true => ([0, 0], 0),
            false => (state.layout[position], 1),
        };
        let new_start = (i64::from(nodes.start) + self.shift) as u32;
        let made = self.place_fresh_nodes(&probed, nodes.start + document_rows, new_start);

        // Earlier parts' ids, and this one's, moved by the shifts so far.
        let (fresh_ids, shifts) = (&self.fresh_ids, &self.delta.shifts);
        let new_id = |id: NodeId| {
            let id = id.index() as u32;
            let new = match id >= probe::FRESH {
                true => fresh_ids[(id - probe::FRESH) as usize],
                false => moved(shifts, id),
            };
            NodeId::new(new as usize)
        };
        let found: Vec<NodeId> = probed.nodes.into_iter().map(new_id).collect();
        // Fresh edges go in among the old ones the same way as fresh nodes.
        let fresh_located = probed.located.iter();
        let fresh_located = fresh_located
            .map(|(from, to)| (new_id(*from), new_id(*to), Edge::new(RelType::LocatedIn)))
            .collect();
        let (located_inserts, mut mentioned_edges) =
            interleave(&probed.located_order, fresh_located, edges.start);
        let fresh_links = probed.links.into_iter();
        let fresh_links = fresh_links
            .map(|(from, to, edge)| (new_id(from), new_id(to), edge))
            .collect();
        let links_from = edges.start + located + mentioned_count;
        let (link_inserts, links_after) = interleave(&probed.links_order, fresh_links, links_from);

        let PreparedDocument {
            node,
            key,
            mentions: document_mentions,
            claim_nodes,
            claims,
            ..
        } = document;
        let mut rows = PartRows {
            next: new_start,
            nodes: Vec::new(),
            edges: Vec::new(),
            mentions: Vec::new(),
        };
        let claim_count = claim_nodes.len() as u32;
        let doc_id = rows.add_node(node);
        rows.next += made.count;
        add_mentions(
            &mut rows,
            doc_id,
            &document_mentions,
            &found,
            &mut self.mentioned,
        );
        mentioned_edges.append(&mut rows.edges);
        let document_node = std::mem::take(&mut rows.nodes);
        // The fresh nodes and links after the last old ones, then the claims'.
        rows.edges = links_after;
        rows.nodes = made.after_the_old;
        let (mut figures, mut subjects) = (Vec::new(), Vec::new());
        add_claims(
            &mut rows,
            doc_id,
            key,
            &found,
            &document_mentions,
            claim_nodes,
            &claims,
            &mut figures,
            &mut subjects,
        );
        self.new_figures.push((position, figures, subjects));

        let delta = &mut self.delta;
        let claims_from = nodes.start + document_rows + made.old;
        let claim_edges_from = links_from + linked;
        delta.nodes.push(Edit {
            at: nodes.start,
            skip: document_rows,
            insert: document_node,
        });
        delta.nodes.extend(made.inserts);
        delta.nodes.push(Edit {
            at: claims_from,
            skip: nodes.end - claims_from,
            insert: rows.nodes,
        });
        delta.edges.extend(located_inserts);
        delta.edges.push(Edit {
            at: edges.start + located,
            skip: mentioned_count,
            insert: mentioned_edges,
        });
        delta.edges.extend(link_inserts);
        delta.edges.push(Edit {
            at: claim_edges_from,
            skip: edges.end - claim_edges_from,
            insert: rows.edges,
        });
        delta.mentions.push(Edit {
            at: mentions.start,
            skip: mentions.end - mentions.start,
            insert: rows.mentions,
        });
        let new_size = 1 + made.count + claim_count;
        self.shift += i64::from(new_size) - i64::from(nodes.end - nodes.start);
        delta.shifts.push((nodes.end, self.shift));
    }

    /// The nodes a changed document makes, in the order it makes them: fresh ones go in
    /// among those its old part made (from base id `first_made` on, one after the
    /// other), whose ids move up by the fresh ones before them. Gives each fresh node
    /// its new id (the part starts at `new_start`).
    fn place_fresh_nodes(&mut self, probed: &Probed, first_made: u32, new_start: u32) -> Made {
        let mut fresh_nodes = self.fresh_nodes.by_ref().take(probed.made.len());
        let mut made = Made {
            inserts: Vec::new(),
            after_the_old: Vec::new(),
            old: 0,
            count: 0,
        };
        for is_fresh in &probed.made_order {
            if *is_fresh {
                let fresh = made.count - made.old;
                self.fresh_ids[probed.made.start + fresh as usize] = new_start + 1 + made.count;
                made.after_the_old.extend(fresh_nodes.next());
            } else {
                let at = first_made + made.old;
                if !made.after_the_old.is_empty() {
                    let insert = std::mem::take(&mut made.after_the_old);
                    made.inserts.push(Edit {
                        at,
                        skip: 0,
                        insert,
                    });
                    let fresh = made.count - made.old;
                    self.delta.shifts.push((at, self.shift + i64::from(fresh)));
                }
                made.old += 1;
            }
            made.count += 1;
        }
        made
    }

    /// The delta: the places moved out of parts after the last changed one, the old
    /// entities' rows `old_nodes` replaced, and the claim links that change.
    fn finish(mut self, old_nodes: Vec<(u32, Node)>) -> GraphDelta {
        let state = self.state;
        for place in self.moves {
            place.remove(&mut self.delta, &mut self.shift);
        }
        let mut delta = self.delta;
        // Moved places take the ids of the parts that make them now; replaced entities
        // keep theirs, moved as their neighbours are.
        let fresh_ids = &self.fresh_ids;
        let moved_to = self.was.iter().enumerate();
        let moved_to =
            moved_to.filter_map(|(f, was)| was.map(|was| (was.index() as u32, fresh_ids[f])));
        let mut renumbered: Vec<(u32, u32)> = moved_to.collect();
        for (id, node) in old_nodes {
            renumbered.push((id, moved(&delta.shifts, id)));
            delta.nodes.push(Edit {
                at: id,
                skip: 1,
                insert: vec![node],
            });
        }
        renumbered.sort_unstable();
        delta.renumbered = renumbered;
        // In base order; edits at one place keep the order they were made in.
        delta.nodes.sort_by_key(|edit| edit.at);
        delta.edges.sort_by_key(|edit| edit.at);
        let kept = delta.new_ids();
        let (figures, subjects) = claims_after(state, &kept, self.new_figures);
        let change = super::relink::relink(
            (&state.figures, &state.subjects),
            (&figures, &subjects),
            |id: NodeId| {
                let new = kept[id.index()];
                (new != GraphDelta::GONE).then(|| NodeId::new(new as usize))
            },
        );
        delta.links_removed = change.removed;
        delta.links_added = change.added;
        delta
    }
}

/// The nodes a changed document makes ([`PartWriter::place_fresh_nodes`]).
struct Made {
    /// Fresh nodes to insert before old ones.
    inserts: Vec<Edit<Node>>,
    /// Fresh nodes after the last old one.
    after_the_old: Vec<Node>,
    /// How many its old part made, and how many it makes in all.
    old: u32,
    count: u32,
}

/// An edge row of a part: its ends and the edge.
type Row = (NodeId, NodeId, Edge);

/// New edges (`edges`, in the order they are made) among the old ones a part made:
/// `order` says which of the part's edges, in order, are new; the old ones are the
/// base's rows from `first` on. Gives the inserts before old rows, and the new edges
/// after the last old one.
fn interleave(order: &[bool], edges: Vec<Row>, first: u32) -> (Vec<Edit<Row>>, Vec<Row>) {
    let mut edges = edges.into_iter();
    let (mut inserts, mut waiting, mut old) = (Vec::new(), Vec::new(), 0);
    for is_new in order {
        if *is_new {
            waiting.extend(edges.next());
        } else {
            if !waiting.is_empty() {
                let insert = std::mem::take(&mut waiting);
                inserts.push(Edit {
                    at: first + old,
                    skip: 0,
                    insert,
                });
            }
            old += 1;
        }
    }
    (inserts, waiting)
}

/// A place a later document made that a changed document now makes: its old node,
/// and its `LOCATED_IN` edge, if it has a parent.
struct MovedPlace {
    node: u32,
    edge: Option<u32>,
}

impl MovedPlace {
    /// Takes its rows out of the part that made it, moving the ids after it down.
    fn remove(self, delta: &mut GraphDelta, shift: &mut i64) {
        delta.nodes.push(Edit {
            at: self.node,
            skip: 1,
            insert: Vec::new(),
        });
        if let Some(edge) = self.edge {
            delta.edges.push(Edit {
                at: edge,
                skip: 1,
                insert: Vec::new(),
            });
        }
        *shift -= 1;
        delta.shifts.push((self.node + 1, *shift));
    }
}

/// The places the changed documents make that later documents made (`was`: the old
/// node each fresh node stands for), in id order; turned down when the document that
/// made one changed too.
fn moved_places(
    state: &RebuildState,
    changed: &[ChangedDocument],
    was: &[Option<NodeId>],
) -> Result<Vec<MovedPlace>, Fallback> {
    let mut moved: Vec<u32> = was.iter().flatten().map(|id| id.index() as u32).collect();
    if moved.is_empty() {
        return Ok(Vec::new());
    }
    moved.sort_unstable();
    let starts = &state.provenance.starts;
    // Where each document's LOCATED_IN edges start among the recorded ones.
    let mut located_from = Vec::with_capacity(state.layout.len());
    let mut next = 0;
    for [located, _] in &state.layout {
        located_from.push(next);
        next += *located as usize;
    }
    moved
        .into_iter()
        .map(|node| {
            let part = starts.partition_point(|s| s[0] <= node).saturating_sub(1);
            if changed.iter().any(|c| c.position == part) {
                return Err("a changed document made a place another names first now");
            }
            let from = located_from[part];
            let count = state.layout[part][0] as usize;
            let children = state
                .located
                .get(from..from + count)
                .ok_or("the rebuild state's places do not match its parts")?;
            let edge = children
                .iter()
                .position(|child| *child == node)
                .map(|k| starts[part][1] + k as u32);
            Ok(MovedPlace { node, edge })
        })
        .collect()
}

/// The surnames of the people the changed documents name that no one in the old corpus
/// has, each with its one owner (`None` for several), after checking that every other
/// person a changed document names is one it named before: the surnames of the old
/// corpus then keep their owners, and lone surnames elsewhere join whom they joined.
fn fresh_surnames(
    state: &RebuildState,
    changed: &[ChangedDocument],
) -> Result<FxHashMap<String, Option<String>>, Fallback> {
    let mut surnames: FxHashMap<String, Option<String>> = FxHashMap::default();
    for ChangedDocument { people, .. } in changed {
        let fresh = people.iter().filter(|key| !state.table.has_person(key));
        for key in fresh {
            let Some((_, surname)) = key.rsplit_once(' ') else {
                continue;
            };
            match state.table.surname_owner(surname) {
                Some(Some(_)) => {
                    if state.table.is_joined(surname) {
                        // Lone mentions of it would stand for no one now.
                        return Err("a new person has a surname that stands alone for another");
                    }
                    // Its one owner has it no more, nor the alias that came with it.
                    surnames.insert(surname.to_string(), None);
                }
                // Several people have it already: it joins no lone surname.
                Some(None) => {}
                None if state.table.has_person(surname) => {
                    return Err("a new person's surname stands alone in another document");
                }
                None => {
                    let owner = surnames
                        .entry(surname.to_string())
                        .or_insert_with(|| Some(key.clone()));
                    if owner.as_ref() != Some(key) {
                        *owner = None;
                    }
                }
            }
        }
    }
    people_still_named(state, changed)?;
    Ok(surnames)
}

/// Whether every person of the old corpus is still named in full by some document,
/// so that who has which surname stays as it was (people named in more documents, or
/// fewer but not none, change nothing).
fn people_still_named(state: &RebuildState, changed: &[ChangedDocument]) -> Result<(), Fallback> {
    // How many more (or fewer) documents name each person the changes touch.
    let mut more: FxHashMap<u32, i64> = FxHashMap::default();
    for ChangedDocument {
        position, people, ..
    } in changed
    {
        let before = state.named_by(*position);
        let mut after: Vec<u32> = people
            .iter()
            .filter_map(|key| state.table.person(key))
            .map(|id| id.index() as u32)
            .collect();
        after.sort_unstable();
        for id in before.iter().filter(|id| after.binary_search(id).is_err()) {
            *more.entry(*id).or_default() -= 1;
        }
        for id in after.iter().filter(|id| before.binary_search(id).is_err()) {
            *more.entry(*id).or_default() += 1;
        }
    }
    more.retain(|_, more| *more < 0);
    if more.is_empty() {
        return Ok(());
    }
    let mut named: FxHashMap<u32, i64> = FxHashMap::default();
    for id in state.named.iter().filter(|id| more.contains_key(id)) {
        *named.entry(*id).or_default() += 1;
    }
    match more
        .iter()
        .all(|(id, more)| named.get(id).copied().unwrap_or(0) + more > 0)
    {
        true => Ok(()),
        false => Err("a changed document no longer names someone no other document names"),
    }
}

/// What a build from scratch does for fresh people when it finishes
/// (`add_surname_aliases`): a person whose surname no one else has, and that no other
/// node is named, gets it as an alias. The old graph's nodes are known here only by
/// the hashes of their one-word names, so a surname among them is turned down.
fn give_surname_aliases(
    surnames: &FxHashMap<String, Option<String>>,
    changed: &[ChangedDocument],
    fresh: &mut [Node],
    state: &RebuildState,
) -> Result<(), Fallback> {
    // Each name key of the new nodes, with the nodes that have it: the changed
    // documents' document and claim nodes, then the fresh nodes.
    let new_nodes = changed
        .iter()
        .flat_map(|c| std::iter::once(&c.document.node).chain(&c.document.claim_nodes));
    let own = new_nodes.clone().count();
    let mut named: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (n, node) in new_nodes.chain(fresh.iter()).enumerate() {
        for name in std::iter::once(&node.name).chain(&node.aliases) {
            let holders = named.entry(name_key(name)).or_default();
            if holders.last() != Some(&n) {
                holders.push(n);
            }
        }
    }
    for (f, node) in fresh.iter_mut().enumerate() {
        if !matches!(node.data, NodeData::Person { .. }) {
            continue;
        }
        let Some(surname) = node.name.rsplit_once(' ').map(|(_, s)| s.to_string()) else {
            continue;
        };
        let key = name_key(&surname);
        if key.contains(' ') {
            // Spaces other than ASCII ones: not a key the one-word names would hold.
            return Err("a new person's surname is more than a word");
        }
        if !surnames.contains_key(&key) && state.table.is_unique_surname(&key) {
            // Its name's last word is not its key's: an old person's surname.
            return Err("a new person is named with another person's surname");
        }
        if !surnames.get(&key).is_some_and(Option::is_some) {
            continue;
        }
        if state.one_word_names.binary_search(&name_hash(&key)).is_ok() {
            return Err("a new person's surname is the name of another node");
        }
        let taken = named
            .get(&key)
            .is_some_and(|holders| holders.iter().any(|n| *n != own + f));
        if !taken {
            super::give_alias(node, &surname);
        }
    }
    Ok(())
}

/// The old entity nodes the changed documents give new aliases, roles or kinds, as
/// the new corpus leaves them (by base id, in id order): made as they were, then
/// given every alias, role and kind in corpus order, the changed documents' own in
/// the order they give them, and at last the surname alias a full build gave them.
fn edit_old_nodes(
    state: &RebuildState,
    fresh_surnames: &FxHashMap<String, Option<String>>,
    changed: &[ChangedDocument],
    probed: &[Probed],
) -> Result<Vec<(u32, Node)>, Fallback> {
    let mut touched = FxHashSet::default();
    for (effect, _) in probed
        .iter()
        .flat_map(|p| &p.on_old_nodes)
        .filter(|(_, new)| *new)
    {
        let (Effect::Alias(id, _) | Effect::Role(id, _) | Effect::Kind(id, _)) = effect else {
            continue;
        };
        touched.insert(*id);
        if let Effect::Alias(_, alias) = effect {
            let key = name_key(alias);
            // Who gets a surname as an alias, and whom a lone surname is named after,
            // look names up in the whole graph.
            if state.table.is_unique_surname(&key) || fresh_surnames.contains_key(&key) {
                return Err("a new alias is a surname only one person has");
            }
            if key.contains(' ') && state.table.has_person(&key) {
                return Err("a new alias is a person's name");
            }
        }
    }
    // People whose surname a new person now shares lose it as an alias.
    let shared = |surname: &String| fresh_surnames.get(surname) == Some(&None);
    let sharing = fresh_surnames
        .keys()
        .filter(|surname| shared(surname))
        .filter_map(|surname| state.table.surname_owner(surname).flatten())
        .filter_map(|owner| state.table.person(owner));
    touched.extend(sharing);
    if touched.is_empty() {
        return Ok(Vec::new());
    }
    let mut nodes = state.table.made_nodes(&touched);
    let mut apply = |effect: &Effect| {
        let (Effect::Alias(id, _) | Effect::Role(id, _) | Effect::Kind(id, _)) = effect else {
            return;
        };
        let Some(node) = nodes.get_mut(id) else {
            return;
        };
        match effect {
            Effect::Alias(_, alias) => super::give_alias(node, alias),
            Effect::Role(_, role) => super::give_role(node, role),
            Effect::Kind(_, found) => super::settle_kind(node, *found),
            _ => false,
        };
    };
    let mut changed_at = changed.iter().zip(probed).peekable();
    for document in 0..state.documents.len() {
        match changed_at.next_if(|(c, _)| c.position == document) {
            Some((_, probed)) => probed.on_old_nodes.iter().for_each(|(e, _)| apply(e)),
            None => state
                .provenance
                .effects_of(document)
                .iter()
                .for_each(&mut apply),
        }
    }
    // Then the documents added after the last one.
    for (_, probed) in changed_at {
        probed.on_old_nodes.iter().for_each(|(e, _)| apply(e));
    }
    let mut nodes: Vec<(u32, Node)> = nodes
        .into_iter()
        .map(|(id, node)| (id.index() as u32, node))
        .collect();
    nodes.sort_unstable_by_key(|(id, _)| *id);
    for (id, node) in &mut nodes {
        if state.surname_aliased.binary_search(id).is_ok() {
            if let Some((_, surname)) = node.name.clone().rsplit_once(' ') {
                if !shared(&name_key(surname)) {
                    super::give_alias(node, surname);
                }
            }
        }
    }
    if nodes.len() != touched.len() {
        return Err("a changed document's entity is not in the rebuild state");
    }
    Ok(nodes)
}

/// The hash a one-word name key is kept by in the state.
fn name_hash(key: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
}

/// The claims with figures of the new graph, in claim order: the base's, moved, with
/// each changed document's replaced by its new ones.
fn claims_after(
    state: &RebuildState,
    kept: &[u32],
    new_figures: Vec<(usize, Vec<conflicts::ClaimFigure>, Vec<NodeId>)>,
) -> (Vec<conflicts::ClaimFigure>, Vec<NodeId>) {
    let mut claims = Claims {
        figures: Vec::with_capacity(state.figures.len()),
        subjects: Vec::with_capacity(state.subjects.len()),
    };
    let positions: Vec<usize> = new_figures.iter().map(|(p, _, _)| *p).collect();
    let starts = &state.provenance.starts;
    // Kept nodes only: a claim of a changed document is not pushed, and its subjects
    // and reporter are another document's or its own kept entities.
    let base_moved = |id: NodeId| NodeId::new(kept[id.index()] as usize);
    let mut changed = new_figures.into_iter().peekable();
    // The base's claims come in corpus order, so their documents are walked once.
    let mut document = 0;
    for figure in &state.figures {
        while starts
            .get(document + 1)
            .is_some_and(|s| s[0] as usize <= figure.claim.index())
        {
            document += 1;
        }
        while let Some((_, new, about)) = changed.next_if(|(p, _, _)| *p <= document) {
            claims.extend(&new, &about, |id| id);
        }
        if positions.binary_search(&document).is_err() {
            claims.push(figure, &state.subjects, base_moved);
        }
    }
    for (_, new, about) in changed {
        claims.extend(&new, &about, |id| id);
    }
    (claims.figures, claims.subjects)
}

/// Claims with figures and their subjects, being gathered.
struct Claims {
    figures: Vec<conflicts::ClaimFigure>,
    subjects: Vec<NodeId>,
}

impl Claims {
    /// Adds `figure` (whose subjects lie in `about`) with its ids moved.
    fn push(
        &mut self,
        figure: &conflicts::ClaimFigure,
        about: &[NodeId],
        moved: impl Fn(NodeId) -> NodeId,
    ) {
        let start = self.subjects.len() as u32;
        let range = figure.about.start as usize..figure.about.end as usize;
        self.subjects.extend(about[range].iter().map(|n| moved(*n)));
        self.figures.push(conflicts::ClaimFigure {
            claim: moved(figure.claim),
            reporter: moved(figure.reporter),
            about: start..self.subjects.len() as u32,
            ..*figure
        });
    }

    fn extend(
        &mut self,
        figures: &[conflicts::ClaimFigure],
        about: &[NodeId],
        moved: impl Fn(NodeId) -> NodeId + Copy,
    ) {
        for figure in figures {
            self.push(figure, about, moved);
        }
    }
}

//! The graph delta: what a rebuild that resolved only its changed documents writes
//! beside the graph file (the *base*) instead of writing the graph again
//! (`resolve::rebuild`). It names the base by the checksum and length in the base's
//! header; loading the graph applies it while decoding the base ([`Splice`]). A full
//! build or a save writes a new base, which makes any delta beside it stale: stale
//! deltas are removed by the save and ignored by the loader.

use super::{
    edge_row_of, node_from_row, read_whole, unframe, write_framed, BuildRecord, Durability,
    EdgeRow, MentionRow, NodeIn, NodeOut, StoreError, StringTable, HEADER_LEN,
};
use crate::graph::{Edge, MentionRecord, Node, NodeId, RelType};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const DELTA_MAGIC: &[u8; 8] = b"CLMDELTA";
/// Version 2 added [`GraphDelta::renumbered`]; a delta of version 1 has none.
const DELTA_VERSION: u32 = 2;

/// The rows that replace `skip` rows of a section of the base graph from row `at` on.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit<T> {
    pub at: u32,
    pub skip: u32,
    pub insert: Vec<T>,
}

/// The changes that turn a base graph into a rebuild's graph. Rows inserted are in the
/// new graph's node ids; kept rows of the base have their node ids moved by `shifts`.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphDelta {
    /// The base graph's counts of nodes, edges before its claim links, mention records;
    /// and of its claim links (which close its edges).
    pub base: [u32; 3],
    pub base_links: u64,
    /// Base node ids from `.0` on move by `.1` (until the next entry); earlier ones
    /// stay.
    pub shifts: Vec<(u32, i64)>,
    pub nodes: Vec<Edit<Node>>,
    /// Base nodes that node edits skip but that stay, with their new ids, sorted: an
    /// old entity whose row is replaced (a changed document gives it a new alias, role
    /// or kind), or a place that a changed document now names before the document
    /// that made it, and makes in its own part.
    pub renumbered: Vec<(u32, u32)>,
    pub edges: Vec<Edit<(NodeId, NodeId, Edge)>>,
    pub mentions: Vec<Edit<MentionRecord>>,
    /// Claim links of the base that go (base ids), and new ones (new ids), each sorted.
    pub links_removed: Vec<(NodeId, NodeId)>,
    pub links_added: Vec<(NodeId, NodeId, RelType)>,
}

/// The new id of base node `id` under `shifts` ([`GraphDelta::shifts`]).
pub fn moved(shifts: &[(u32, i64)], id: u32) -> u32 {
    match shifts.partition_point(|(from, _)| *from <= id) {
        0 => id,
        n => (i64::from(id) + shifts[n - 1].1) as u32,
    }
}

impl GraphDelta {
    /// What [`GraphDelta::new_ids`] gives a base node that the node edits skip (a
    /// changed document's document and claim nodes).
    pub const GONE: u32 = u32::MAX;

    /// Every base node's new id, or [`GraphDelta::GONE`]: for loading, and for a
    /// rebuild, which looks up every claim, subject and reporter of the base.
    pub fn new_ids(&self) -> Vec<u32> {
        let mut ids = Vec::with_capacity(self.base[0] as usize);
        let mut shifts = self.shifts.iter().peekable();
        let mut edits = self.nodes.iter().peekable();
        let mut shift = 0i64;
        for id in 0..self.base[0] {
            while let Some((_, s)) = shifts.next_if(|(from, _)| *from <= id) {
                shift = *s;
            }
            while edits
                .next_if(|edit| edit.at.saturating_add(edit.skip) <= id)
                .is_some()
            {}
            let skipped = edits.peek().is_some_and(|edit| edit.at <= id);
            ids.push(if skipped {
                match self.renumbered.binary_search_by_key(&id, |(base, _)| *base) {
                    Ok(at) => self.renumbered[at].1,
                    Err(_) => Self::GONE,
                }
            } else {
                u32::try_from(i64::from(id) + shift).unwrap_or(Self::GONE)
            });
        }
        ids
    }

    /// How many nodes the new graph has.
    pub fn node_count(&self) -> u32 {
        let shift = self.shifts.last().map_or(0, |s| s.1);
        (i64::from(self.base[0]) + shift) as u32
    }

    /// How many edges, claim links included, the new graph has.
    pub fn edge_count(&self) -> u64 {
        let edited: i64 = self
            .edges
            .iter()
            .map(|e| e.insert.len() as i64 - i64::from(e.skip))
            .sum();
        let links = self.links_added.len() as i64 - self.links_removed.len() as i64;
        (i64::from(self.base[1]) + self.base_links as i64 + edited + links) as u64
    }
}

/// Where the delta of the graph at `graph` is kept.
pub(crate) fn delta_path(graph: &Path) -> PathBuf {
    let mut name = graph.as_os_str().to_owned();
    name.push(".delta");
    PathBuf::from(name)
}

/// A graph file's name for its base: the checksum and length its header gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseId {
    pub checksum: u32,
    pub length: u64,
}

impl BaseId {
    /// The id of the graph file at `path`, from its header alone.
    pub fn of_file(path: &Path) -> Option<BaseId> {
        use std::io::Read;
        let mut header = [0u8; HEADER_LEN];
        std::fs::File::open(path)
            .ok()?
            .read_exact(&mut header)
            .ok()?;
        BaseId::of_header(&header)
    }

    fn of_header(bytes: &[u8]) -> Option<BaseId> {
        let header = bytes.get(..HEADER_LEN)?;
        Some(BaseId {
            length: u64::from_le_bytes(header[12..20].try_into().ok()?),
            checksum: u32::from_le_bytes(header[20..24].try_into().ok()?),
        })
    }
}

/// A delta as written: rows as the graph file writes them, strings by position.
#[derive(Serialize)]
struct DeltaOut<'a> {
    base_id: BaseId,
    base: [u32; 3],
    base_links: u64,
    shifts: &'a [(u32, i64)],
    nodes: Vec<(u32, u32, Vec<NodeOut<'a>>)>,
    edges: Vec<(u32, u32, Vec<EdgeRow>)>,
    mentions: Vec<(u32, u32, Vec<MentionRow>)>,
    links_removed: Vec<(u32, u32)>,
    links_added: Vec<(u32, u32, RelType)>,
    strings: Vec<&'a str>,
    renumbered: &'a [(u32, u32)],
}

/// A delta as read; `R`: its renumbered nodes (`()` for a delta of version 1, which
/// postcard reads as nothing).
#[derive(Deserialize)]
struct DeltaIn<R> {
    base_id: BaseId,
    base: [u32; 3],
    base_links: u64,
    shifts: Vec<(u32, i64)>,
    nodes: Vec<(u32, u32, Vec<NodeIn>)>,
    edges: Vec<(u32, u32, Vec<EdgeRow>)>,
    mentions: Vec<(u32, u32, Vec<MentionRow>)>,
    links_removed: Vec<(u32, u32)>,
    links_added: Vec<(u32, u32, RelType)>,
    strings: Vec<String>,
    renumbered: R,
}

/// Each edit as the file stores it: where, how many base rows it skips, and its rows
/// written by `row`.
fn rows_of<'a, T, R>(
    edits: &'a [Edit<T>],
    mut row: impl FnMut(&'a T) -> R,
) -> Vec<(u32, u32, Vec<R>)> {
    edits
        .iter()
        .map(|edit| {
            (
                edit.at,
                edit.skip,
                edit.insert.iter().map(&mut row).collect(),
            )
        })
        .collect()
}

/// Writes `delta` of the base graph at `graph` atomically beside it, ending with the
/// build record `record` (the rebuild's input and the new graph's counts).
pub fn save_delta(graph: &Path, delta: &GraphDelta, input: Option<u64>) -> Result<(), StoreError> {
    let base_id = BaseId::of_file(graph).ok_or_else(|| StoreError::Read {
        path: graph.to_path_buf(),
        source: std::io::Error::other("the graph's header cannot be read"),
    })?;
    let mut table = StringTable::default();
    let nodes = rows_of(&delta.nodes, |node| {
        super::node_out(node, |text| table.intern(text))
    });
    let edges = rows_of(&delta.edges, |(from, to, edge)| {
        edge_row_of(*from, *to, edge, |text| table.intern(text))
    });
    let mentions = rows_of(&delta.mentions, |m| {
        (
            m.node,
            m.document,
            table.intern(m.rule),
            m.sentence,
            m.start,
            m.end,
        )
    });
    let out = DeltaOut {
        base_id,
        base: delta.base,
        base_links: delta.base_links,
        shifts: &delta.shifts,
        nodes,
        edges,
        mentions,
        links_removed: delta
            .links_removed
            .iter()
            .map(|(a, b)| (a.index() as u32, b.index() as u32))
            .collect(),
        links_added: delta
            .links_added
            .iter()
            .map(|(a, b, rel)| (a.index() as u32, b.index() as u32, *rel))
            .collect(),
        strings: table.strings.iter().map(|s| s.as_str()).collect(),
        renumbered: &delta.renumbered,
    };
    let path = delta_path(graph);
    write_framed(
        &path,
        DELTA_MAGIC,
        DELTA_VERSION,
        Durability::Durable,
        |file| {
            let bytes = postcard::to_stdvec(&out).map_err(std::io::Error::other)?;
            file.write_all(&bytes)?;
            let record = input.map(|input| BuildRecord {
                input,
                nodes: u64::from(delta.node_count()),
                edges: delta.edge_count(),
            });
            Ok(record.map(BuildRecord::to_bytes).unwrap_or_default())
        },
    )
}

/// The delta beside the graph whose bytes are `base` (at `graph`), if there is one for
/// this very base, with the build record it ends with.
pub(crate) fn load_delta(
    graph: &Path,
    base: &[u8],
) -> Result<Option<(GraphDelta, Option<BuildRecord>)>, StoreError> {
    let path = delta_path(graph);
    let bytes = match read_whole(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(StoreError::Read { path, source }),
    };
    // A delta of another base is stale: a later full build or save replaced the base.
    let Some(base_id) = BaseId::of_header(base) else {
        return Ok(None);
    };
    let (version, payload) = unframe(&bytes, DELTA_MAGIC, DELTA_VERSION, &path)?;
    let bad = |reason: String| StoreError::Decode {
        path: path.clone(),
        reason,
    };
    let delta: DeltaIn<Vec<(u32, u32)>> = match version {
        1 => postcard::from_bytes::<DeltaIn<()>>(payload).map(|d| DeltaIn {
            base_id: d.base_id,
            base: d.base,
            base_links: d.base_links,
            shifts: d.shifts,
            nodes: d.nodes,
            edges: d.edges,
            mentions: d.mentions,
            links_removed: d.links_removed,
            links_added: d.links_added,
            strings: d.strings,
            renumbered: Vec::new(),
        }),
        _ => postcard::from_bytes(payload),
    }
    .map_err(|e| bad(e.to_string()))?;
    if delta.base_id != base_id {
        return Ok(None);
    }
    let record = super::record_after(&bytes, payload.len());
    let strings: Vec<ustr::Ustr> = delta.strings.iter().map(|s| ustr::Ustr::from(s)).collect();
    let string = |position: u32| -> Result<ustr::Ustr, String> {
        strings
            .get(position as usize)
            .copied()
            .ok_or_else(|| format!("string {position} of {}", strings.len()))
    };
    let node = |id: u32| NodeId::new(id as usize);
    let mut nodes = Vec::with_capacity(delta.nodes.len());
    for (at, skip, rows) in delta.nodes {
        let insert = rows
            .into_iter()
            .map(|row| node_from_row(row, &string))
            .collect::<Result<_, _>>()
            .map_err(bad)?;
        nodes.push(Edit { at, skip, insert });
    }
    let mut edges = Vec::with_capacity(delta.edges.len());
    for (at, skip, rows) in delta.edges {
        let insert = rows
            .into_iter()
            .map(|(from, to, rel, set, numbers, text)| {
                let text = match text {
                    0 => None,
                    position => Some(string(position - 1)?),
                };
                Ok((
                    node(from),
                    node(to),
                    Edge::from_parts(rel, set, numbers, text),
                ))
            })
            .collect::<Result<_, String>>()
            .map_err(bad)?;
        edges.push(Edit { at, skip, insert });
    }
    let mut mentions = Vec::with_capacity(delta.mentions.len());
    for (at, skip, rows) in delta.mentions {
        let insert = rows
            .into_iter()
            .map(|(node, document, rule, sentence, start, end)| {
                Ok(MentionRecord {
                    node,
                    document,
                    sentence,
                    start,
                    end,
                    rule: string(rule)?,
                })
            })
            .collect::<Result<_, String>>()
            .map_err(bad)?;
        mentions.push(Edit { at, skip, insert });
    }
    let delta = GraphDelta {
        base: delta.base,
        base_links: delta.base_links,
        shifts: delta.shifts,
        nodes,
        renumbered: delta.renumbered,
        edges,
        mentions,
        links_removed: delta
            .links_removed
            .into_iter()
            .map(|(a, b)| (node(a), node(b)))
            .collect(),
        links_added: delta
            .links_added
            .into_iter()
            .map(|(a, b, rel)| (node(a), node(b), rel))
            .collect(),
    };
    check(&delta).map_err(bad)?;
    Ok(Some((delta, record)))
}

/// That the edits of each section are in order and do not overlap, so that loading
/// can apply them in one pass.
fn check(delta: &GraphDelta) -> Result<(), String> {
    fn ordered<T>(edits: &[Edit<T>], rows: u32, what: &str) -> Result<(), String> {
        let mut from = 0u32;
        for edit in edits {
            let end = edit.at.checked_add(edit.skip).filter(|e| *e <= rows);
            match end {
                Some(end) if edit.at >= from => from = end,
                _ => return Err(format!("the {what} edits overlap or pass the base")),
            }
        }
        Ok(())
    }
    ordered(&delta.nodes, delta.base[0], "node")?;
    ordered(&delta.edges, delta.base[1], "edge")?;
    ordered(&delta.mentions, delta.base[2], "mention")?;
    let count = delta.node_count();
    let in_order = delta.renumbered.windows(2).all(|w| w[0].0 < w[1].0);
    if !in_order || delta.renumbered.iter().any(|(_, new)| *new >= count) {
        return Err("the renumbered nodes are out of order or past the graph".into());
    }
    Ok(())
}

/// Applies the edits of one section while its base rows are decoded in order.
pub(super) struct Splice<'d, T> {
    edits: &'d [Edit<T>],
    next: usize,
    row: u32,
    skipping: u32,
}

impl<'d, T> Splice<'d, T> {
    pub(super) fn new(edits: &'d [Edit<T>]) -> Splice<'d, T> {
        Splice {
            edits,
            next: 0,
            row: 0,
            skipping: 0,
        }
    }

    /// Before the next base row: hands `insert` the rows due before it, and says
    /// whether the base row is kept.
    pub(super) fn next_row(
        &mut self,
        mut insert: impl FnMut(&'d T) -> Result<(), String>,
    ) -> Result<bool, String> {
        loop {
            if self.skipping > 0 {
                self.skipping -= 1;
                self.row += 1;
                return Ok(false);
            }
            match self.edits.get(self.next) {
                Some(edit) if edit.at == self.row => {
                    edit.insert.iter().try_for_each(&mut insert)?;
                    self.skipping = edit.skip;
                    self.next += 1;
                }
                _ => {
                    self.row += 1;
                    return Ok(true);
                }
            }
        }
    }

    /// After the last base row: hands `insert` the rows due at the end.
    pub(super) fn finish(
        &mut self,
        mut insert: impl FnMut(&'d T) -> Result<(), String>,
    ) -> Result<(), String> {
        for edit in &self.edits[self.next..] {
            if edit.at != self.row || edit.skip != 0 {
                return Err("an edit past the base's rows".into());
            }
            edit.insert.iter().try_for_each(&mut insert)?;
        }
        self.next = self.edits.len();
        Ok(())
    }
}

/// What loading needs to apply a delta: the delta and every base node's new id.
pub(super) struct Applied<'d> {
    pub delta: &'d GraphDelta,
    remap: Vec<u32>,
    /// For each block of [`BLOCK`] base nodes, the shift that gives all of them their
    /// new ids, or [`MIXED`] when the block holds a shift's start or a skipped node
    /// (or is the last, partial, block).
    /// Loading looks up both ends of ten million edges, mostly in random order; this
    /// table (a 64th of `remap`) stays in the cache where `remap` would not.
    blocks: Vec<i32>,
}

/// Base nodes per entry of [`Applied::blocks`], as a power of two.
const BLOCK_BITS: u32 = 6;
const BLOCK: usize = 1 << BLOCK_BITS;
/// A block whose nodes do not all move by one shift: look each up in `remap`.
const MIXED: i32 = i32::MIN;

impl<'d> Applied<'d> {
    pub(super) fn new(delta: &'d GraphDelta) -> Applied<'d> {
        let remap = delta.new_ids();
        let blocks = remap
            .chunks(BLOCK)
            .enumerate()
            .map(|(block, ids)| {
                let first = (block * BLOCK) as i64;
                let shift = i64::from(ids[0]) - first;
                // A last, partial block is looked up node by node: past the base's
                // last node there is no new id.
                let uniform = ids.len() == BLOCK
                    && ids.iter().enumerate().all(|(i, new)| {
                        *new != GraphDelta::GONE && i64::from(*new) == first + i as i64 + shift
                    });
                match i32::try_from(shift) {
                    Ok(shift) if uniform && shift != MIXED => shift,
                    _ => MIXED,
                }
            })
            .collect();
        Applied {
            remap,
            blocks,
            delta,
        }
    }

    /// The new id of a base node (kept rows only refer to kept nodes).
    pub(super) fn node(&self, id: u32) -> Result<u32, String> {
        match self.blocks.get((id >> BLOCK_BITS) as usize) {
            Some(&shift) if shift != MIXED => Ok(id.wrapping_add_signed(shift)),
            _ => self
                .remap
                .get(id as usize)
                .copied()
                .filter(|new| *new != GraphDelta::GONE)
                .ok_or_else(|| {
                    format!("a kept row refers to base node {id}, which the delta replaces")
                }),
        }
    }
}

/// Removes the delta beside `graph`, if any: called once a new base is in place.
pub fn remove_stale_delta(graph: &Path) {
    let _ = std::fs::remove_file(delta_path(graph));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphRead, KnowledgeGraph, NodeData};

    fn named(name: &str) -> Node {
        Node {
            name: name.to_string(),
            aliases: Vec::new(),
            data: NodeData::Unit,
        }
    }

    /// A delta written before deltas could renumber nodes (version 1) still loads, as
    /// one that renumbers none.
    #[test]
    fn a_delta_of_version_1_loads_as_one_that_renumbers_no_node() {
        let dir = tempfile::tempdir().unwrap();
        let graph = dir.path().join("g.cgraph");
        let mut base = KnowledgeGraph::default();
        let a = base.add_node(named("1st Brigade"));
        let b = base.add_node(named("2nd Brigade"));
        base.add_edge(a, b, Edge::new(RelType::PartOf));
        crate::graph::save(&base, &graph).unwrap();
        let delta = GraphDelta {
            base: [2, 1, 0],
            base_links: 0,
            shifts: vec![(2, 1)],
            nodes: vec![Edit {
                at: 2,
                skip: 0,
                insert: vec![named("3rd Brigade")],
            }],
            renumbered: Vec::new(),
            edges: vec![Edit {
                at: 1,
                skip: 0,
                insert: vec![(NodeId::new(2), b, Edge::new(RelType::PartOf))],
            }],
            mentions: Vec::new(),
            links_removed: Vec::new(),
            links_added: Vec::new(),
        };
        save_delta(&graph, &delta, Some(7)).unwrap();
        let names = |g: &KnowledgeGraph| -> Vec<String> {
            (0..g.node_count())
                .map(|i| g.node(NodeId::new(i)).name.clone())
                .collect()
        };
        let now = crate::graph::load(&graph).unwrap();
        assert_eq!(names(&now), ["1st Brigade", "2nd Brigade", "3rd Brigade"]);
        assert_eq!(now.edge_count(), 2);

        // The same delta as version 1 wrote it: without the renumbered nodes, the last
        // field (an empty list is one byte).
        let path = delta_path(&graph);
        let bytes = std::fs::read(&path).unwrap();
        let (_, payload) = unframe(&bytes, DELTA_MAGIC, DELTA_VERSION, &path).unwrap();
        assert_eq!(payload.last(), Some(&0));
        let record = super::super::record_after(&bytes, payload.len()).unwrap();
        let old = payload[..payload.len() - 1].to_vec();
        write_framed(&path, DELTA_MAGIC, 1, Durability::Durable, |file| {
            file.write_all(&old)?;
            Ok(record.to_bytes())
        })
        .unwrap();
        let then = crate::graph::load(&graph).unwrap();
        assert_eq!(names(&then), names(&now));
        assert_eq!(then.edge_count(), 2);
        assert_eq!(
            crate::graph::BuildRecord::of_file(&graph).map(|r| r.input),
            Some(7)
        );
    }

    /// Loading moves the ends of kept edges through blocks of nodes that share one
    /// shift; each base node gets the id `new_ids` gives it, and a replaced node none,
    /// whether its block moves as one or not (shifts starting inside a block, a node
    /// edit skipping part of one, a renumbered node, a shift back).
    #[test]
    fn loading_moves_every_kept_node_to_the_id_the_delta_gives_it() {
        let base = 1000u32;
        let edit = |at: u32, skip: u32, made: usize| Edit {
            at,
            skip,
            insert: (0..made).map(|i| named(&format!("new {at}.{i}"))).collect(),
        };
        let delta = GraphDelta {
            base: [base, 0, 0],
            base_links: 0,
            // Nodes 130.. move up by 3 (three made at 130), 300..310 are replaced by
            // two (so 310.. move down by 5), 700 by one new row; 305 stays, renumbered.
            shifts: vec![(130, 3), (310, -5)],
            nodes: vec![edit(130, 0, 3), edit(300, 10, 2), edit(700, 1, 1)],
            renumbered: vec![(305, 298), (700, 695)],
            edges: Vec::new(),
            mentions: Vec::new(),
            links_removed: Vec::new(),
            links_added: Vec::new(),
        };
        let applied = Applied::new(&delta);
        let expected = delta.new_ids();
        assert_eq!(expected[129], 129);
        assert_eq!(expected[130], 133);
        assert_eq!(expected[301], GraphDelta::GONE);
        assert_eq!(expected[305], 298);
        assert_eq!(expected[999], 994);
        let uniform = applied.blocks.iter().filter(|b| **b != MIXED).count();
        assert!(uniform > 10 && uniform < applied.blocks.len());
        for id in 0..base {
            match expected[id as usize] {
                GraphDelta::GONE => assert!(applied.node(id).is_err(), "node {id}"),
                new => assert_eq!(applied.node(id), Ok(new), "node {id}"),
            }
        }
        assert!(applied.node(base).is_err());
    }
}

//! The graph file: a magic header, a format version, the payload length and a CRC-32,
//! then the postcard-encoded payload. Written to a temporary file beside the target,
//! flushed to disk and renamed over it, so a failed or killed save leaves the previous
//! graph intact.

use super::{
    Claim, Edge, KnowledgeGraph, MentionRecord, Node, NodeData, NodeId, PetGraph, RelType, Topic,
};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use ustr::Ustr;

/// The first bytes of every graph file.
pub const MAGIC: &[u8; 8] = b"CLMGRAPH";
/// Bumped whenever the payload layout changes; older binaries refuse newer files.
pub const FORMAT_VERSION: u32 = 3;
const HEADER_LEN: usize = 8 + 4 + 8 + 4;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read graph file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write graph file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a claimgraph graph file (no magic header); build one with `claimgraph build`")]
    NotAGraph { path: PathBuf },
    #[error("{path} was written by a newer claimgraph (format {found}, this one reads up to {supported}); upgrade claimgraph or rebuild the graph")]
    NewerVersion {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("{path} was written by an older claimgraph (format {found}); rebuild it with `claimgraph build` (unchanged articles are not read again)")]
    OlderVersion { path: PathBuf, found: u32 },
    #[error(
        "{path} is truncated ({actual} of {expected} bytes); rebuild it with `claimgraph build`"
    )]
    Truncated {
        path: PathBuf,
        expected: u64,
        actual: u64,
    },
    #[error("{path} is empty; rebuild it with `claimgraph build`")]
    Empty { path: PathBuf },
    #[error(
        "{path} exists and is not a claimgraph graph file; choose another --graph or remove it"
    )]
    NotOverwritable { path: PathBuf },
    #[error("{path} is a folder; give --graph a file name")]
    IsAFolder { path: PathBuf },
    #[error("{path} is corrupted (checksum mismatch); rebuild it with `claimgraph build`")]
    Corrupted { path: PathBuf },
    #[error("{path} cannot be decoded ({reason}); rebuild it with `claimgraph build`")]
    Decode { path: PathBuf, reason: String },
}

/// A payload is four postcard sections followed by their lengths (u64, little-endian;
/// at the end, so that a section can be streamed to the file without being held), so
/// that a large graph decodes on several cores: the nodes, the edges, the mention
/// records and the string table. Interned values (rule ids, document ids of claims,
/// edge texts) are written once in the string table and referred to by position.
const SECTIONS: usize = 4;

/// A node as written: an entity or document with its data, or a claim whose name is its
/// sentence and whose interned fields are string-table positions.
#[derive(Serialize)]
enum NodeOut<'a> {
    Plain {
        name: &'a str,
        aliases: &'a [String],
        data: &'a NodeData,
    },
    Claim {
        name: &'a str,
        aliases: &'a [String],
        claim: ClaimRow<&'a str>,
    },
}

/// The reading side of [`NodeOut`] (postcard writes fields in order, without names).
#[derive(Deserialize)]
enum NodeIn {
    Plain {
        name: String,
        aliases: Vec<String>,
        data: NodeData,
    },
    Claim {
        name: String,
        aliases: Vec<String>,
        claim: ClaimRow<String>,
    },
}

/// A claim's fields with `rule` and `document` as string-table positions.
#[derive(Serialize, Deserialize)]
struct ClaimRow<S> {
    quote: Option<S>,
    topic: Topic,
    quantity: Option<S>,
    low: Option<f64>,
    high: Option<f64>,
    unit: Option<S>,
    period: Option<S>,
    time: Option<S>,
    hedged: bool,
    rule: u32,
    document: u32,
    sentence: u32,
    start: u32,
    end: u32,
}

/// from, to, type, set bits, number slots, text (string-table position + 1, 0 = none).
type EdgeRow = (u32, u32, RelType, u8, [u32; 3], u32);

/// node, document node, rule (string-table position), sentence, start, end.
type MentionRow = (u32, u32, u32, u32, u32, u32);

/// Interned strings of a graph being written, numbered in order of first use.
#[derive(Default)]
struct StringTable {
    positions: HashMap<Ustr, u32>,
    strings: Vec<Ustr>,
}

impl StringTable {
    fn position(&mut self, text: Ustr) -> u32 {
        *self.positions.entry(text).or_insert_with(|| {
            self.strings.push(text);
            self.strings.len() as u32 - 1
        })
    }
}

/// Serializes what an iterator yields as a sequence of `len` items without collecting
/// them first (a large graph's rows would take hundreds of megabytes).
struct Sequence<I> {
    items: RefCell<Option<I>>,
    len: usize,
}

impl<I> Sequence<I> {
    fn new(items: I, len: usize) -> Sequence<I> {
        Sequence {
            items: RefCell::new(Some(items)),
            len,
        }
    }
}

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Sequence<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let items = self.items.borrow_mut().take();
        let items = items.ok_or_else(|| S::Error::custom("a sequence is written once"))?;
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        let mut written = 0;
        for item in items {
            seq.serialize_element(&item)?;
            written += 1;
        }
        if written != self.len {
            return Err(S::Error::custom("a sequence changed length while written"));
        }
        seq.end()
    }
}

/// A postcard output that gathers the encoder's pieces (a varint or two per field) in a
/// block and hands only whole blocks on to the file. Passing every piece through
/// `Write` cost a call and a small copy per field: a third of the time of a save.
struct Blocks<'a> {
    out: &'a mut dyn Write,
    block: Vec<u8>,
    written: u64,
    /// The write error that stopped the encoder (postcard's own error cannot carry it).
    failure: &'a mut Option<std::io::Error>,
}

impl Blocks<'_> {
    const SIZE: usize = 1 << 16;

    fn spill(&mut self) -> postcard::Result<()> {
        if let Err(error) = self.out.write_all(&self.block) {
            *self.failure = Some(error);
            return Err(postcard::Error::SerializeBufferFull);
        }
        self.written += self.block.len() as u64;
        self.block.clear();
        Ok(())
    }
}

impl postcard::ser_flavors::Flavor for Blocks<'_> {
    type Output = u64;

    #[inline]
    fn try_push(&mut self, byte: u8) -> postcard::Result<()> {
        self.block.push(byte);
        if self.block.len() >= Self::SIZE {
            return self.spill();
        }
        Ok(())
    }

    #[inline]
    fn try_extend(&mut self, bytes: &[u8]) -> postcard::Result<()> {
        // Most pieces are a few bytes long: a loop the compiler unrolls beats a call
        // to memcpy.
        if bytes.len() <= 8 {
            for byte in bytes {
                self.block.push(*byte);
            }
        } else {
            self.block.extend_from_slice(bytes);
        }
        if self.block.len() >= Self::SIZE {
            return self.spill();
        }
        Ok(())
    }

    fn finalize(mut self) -> postcard::Result<u64> {
        self.spill()?;
        Ok(self.written)
    }
}

/// Streams a value's postcard bytes (a section of a graph file, or a cache) to `out` and
/// returns how many there were.
pub(crate) fn write_section<T: Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<u64> {
    let mut failure = None;
    let blocks = Blocks {
        out,
        block: Vec::with_capacity(Blocks::SIZE + 16),
        written: 0,
        failure: &mut failure,
    };
    match postcard::serialize_with_flavor(value, blocks) {
        Ok(written) => Ok(written),
        Err(error) => {
            Err(failure.unwrap_or_else(|| std::io::Error::other(format!("cannot encode: {error}"))))
        }
    }
}

/// The bytes of one row of numbers, encoded as postcard encodes them: each integer as
/// a varint (LEB128), each `u8` as itself.
struct RowBytes {
    bytes: [u8; 64],
    len: usize,
}

impl RowBytes {
    fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.bytes[self.len] = value as u8 | 0x80;
            self.len += 1;
            value >>= 7;
        }
        self.bytes[self.len] = value as u8;
        self.len += 1;
    }

    fn byte(&mut self, value: u8) {
        self.bytes[self.len] = value;
        self.len += 1;
    }
}

/// Streams `count` rows of numbers (edges, mentions) to `out` as the postcard
/// encoding of a sequence of them, and returns how many bytes that took. Rows are
/// encoded by `encode` without serde in between: a large graph has tens of millions of
/// them, and the general path cost about 400 instructions per edge.
fn write_rows<R>(
    out: &mut dyn Write,
    rows: impl Iterator<Item = R>,
    count: usize,
    encode: impl Fn(&R, &mut RowBytes),
) -> std::io::Result<u64> {
    let mut block = Vec::with_capacity(Blocks::SIZE + 64);
    let mut written = 0u64;
    let mut row = RowBytes {
        bytes: [0; 64],
        len: 0,
    };
    row.varint(count as u64);
    block.extend_from_slice(&row.bytes[..row.len]);
    row.len = 0;
    let mut rows_written = 0;
    for item in rows {
        encode(&item, &mut row);
        block.extend_from_slice(&row.bytes[..row.len]);
        row.len = 0;
        rows_written += 1;
        if block.len() >= Blocks::SIZE {
            out.write_all(&block)?;
            written += block.len() as u64;
            block.clear();
        }
    }
    if rows_written != count {
        return Err(std::io::Error::other(
            "a section changed length while written",
        ));
    }
    out.write_all(&block)?;
    Ok(written + block.len() as u64)
}

fn encode_edge(row: &EdgeRow, bytes: &mut RowBytes) {
    let (from, to, rel, set, numbers, text) = *row;
    bytes.varint(from.into());
    bytes.varint(to.into());
    // A unit variant is written as its index, which is its declaration order.
    bytes.varint(rel as u64);
    bytes.byte(set);
    for number in numbers {
        bytes.varint(number.into());
    }
    bytes.varint(text.into());
}

fn encode_mention(row: &MentionRow, bytes: &mut RowBytes) {
    let (node, document, rule, sentence, start, end) = *row;
    for number in [node, document, rule, sentence, start, end] {
        bytes.varint(number.into());
    }
}

/// Writes the four sections of a graph, one at a time so that only one is ever held
/// in memory: nodes, edges, mentions, then the strings they refer to. Nodes are
/// numbered densely, so holes left by removals do not reach the file.
fn write_sections(
    graph: &KnowledgeGraph,
    later_edges: impl FnOnce() -> Vec<(NodeId, NodeId, RelType)> + Send,
    out: &mut dyn Write,
) -> std::io::Result<u64> {
    let bound = petgraph::visit::NodeIndexable::node_bound(&graph.graph);
    let mut position = vec![u32::MAX; bound];
    for (dense, id) in graph.graph.node_indices().enumerate() {
        position[id.index()] = dense as u32;
    }
    let place =
        |index: usize| -> Option<u32> { position.get(index).copied().filter(|p| *p != u32::MAX) };
    let table = RefCell::new(StringTable::default());
    let nodes = graph.graph.node_indices().map(|id| {
        let node = &graph.graph[id];
        match &node.data {
            NodeData::Claim(claim) => {
                // One borrow at a time: a borrow in a struct literal lives to its end.
                let rule = table.borrow_mut().position(claim.rule);
                let document = table.borrow_mut().position(claim.document);
                NodeOut::Claim {
                    name: &node.name,
                    aliases: &node.aliases,
                    claim: ClaimRow {
                        quote: claim.quote.as_deref(),
                        topic: claim.topic,
                        quantity: claim.quantity.as_deref(),
                        low: claim.low,
                        high: claim.high,
                        unit: claim.unit.as_deref(),
                        period: claim.period.as_deref(),
                        time: claim.time.as_deref(),
                        hedged: claim.hedged,
                        rule,
                        document,
                        sentence: claim.sentence,
                        start: claim.start,
                        end: claim.end,
                    },
                }
            }
            data => NodeOut::Plain {
                name: &node.name,
                aliases: &node.aliases,
                data,
            },
        }
    });
    let mut lengths = [0u64; SECTIONS];
    let (written, later) = std::thread::scope(|scope| {
        let later = scope.spawn(later_edges);
        let written = write_section(out, &Sequence::new(nodes, graph.node_count()));
        (written, later.join())
    });
    lengths[0] = written?;
    let later = later.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    // Every live edge joins two live nodes, so each has a place.
    let row = |from: NodeId, to: NodeId, edge: &Edge| {
        let (set, numbers, text) = edge.parts();
        let text = text.map_or(0, |t| table.borrow_mut().position(t) + 1);
        Some((
            place(from.index())?,
            place(to.index())?,
            edge.rel,
            set,
            numbers,
            text,
        ))
    };
    let own = graph.graph.edge_indices().filter_map(|e| {
        let (from, to) = graph.graph.edge_endpoints(e)?;
        row(from, to, &graph.graph[e])
    });
    let added = later
        .iter()
        .filter_map(|(from, to, rel)| row(*from, *to, &Edge::new(*rel)));
    let edge_count = graph.edge_count() + later.len();
    lengths[1] = write_rows(out, own.chain(added), edge_count, encode_edge)?;
    let kept = |m: &&MentionRecord| {
        place(m.node as usize).is_some() && place(m.document as usize).is_some()
    };
    let count = graph.mentions.iter().filter(kept).count();
    let mentions = graph.mentions.iter().filter(kept).map(|m| -> MentionRow {
        let (node, document) = (position[m.node as usize], position[m.document as usize]);
        let rule = table.borrow_mut().position(m.rule);
        (node, document, rule, m.sentence, m.start, m.end)
    });
    lengths[2] = write_rows(out, mentions, count, encode_mention)?;
    let table = table.into_inner();
    let strings: Vec<&str> = table.strings.iter().map(|s| s.as_str()).collect();
    lengths[3] = write_section(out, &strings)?;
    for length in lengths {
        out.write_all(&length.to_le_bytes())?;
    }
    Ok(edge_count as u64)
}

/// Splits a payload into its sections.
fn split_sections<'a>(payload: &'a [u8], path: &Path) -> Result<[&'a [u8]; SECTIONS], StoreError> {
    let bad = || StoreError::Decode {
        path: path.to_path_buf(),
        reason: "the section lengths do not match the payload".into(),
    };
    let trailer_start = payload.len().checked_sub(8 * SECTIONS).ok_or_else(bad)?;
    let (mut body, trailer) = payload.split_at(trailer_start);
    let mut sections = [&body[..0]; SECTIONS];
    for (section, length) in sections.iter_mut().zip(trailer.chunks_exact(8)) {
        let length = u64::from_le_bytes(length.try_into().expect("8 bytes"));
        let length = usize::try_from(length)
            .ok()
            .filter(|l| *l <= body.len())
            .ok_or_else(bad)?;
        (*section, body) = body.split_at(length);
    }
    if !body.is_empty() {
        return Err(bad());
    }
    Ok(sections)
}

/// The row count a section opens with, bounded by what its size could hold (each row
/// takes at least `least_row_bytes`), so a damaged count cannot make a reader allocate
/// far more than the file could fill.
fn stated_rows(section: &[u8], least_row_bytes: usize) -> usize {
    let stated = postcard::take_from_bytes::<u64>(section).map_or(0, |(n, _)| n);
    stated.min((section.len() / least_row_bytes) as u64) as usize
}

/// An error naming the row's kind unless node `index` is one of the `count` nodes.
fn within_nodes(index: u32, count: usize, what: &str) -> Result<(), String> {
    if index as usize >= count {
        return Err(format!("{what} node {index} of {count}"));
    }
    Ok(())
}

/// Decodes a section holding a sequence of rows and hands each row to `each` as soon as
/// it is decoded, so no vector of decoded rows is ever held. The first error from `each`
/// stops the decoding and is returned as it was.
fn decode_each<T: serde::de::DeserializeOwned>(
    section: &[u8],
    each: impl FnMut(T) -> Result<(), String>,
) -> Result<(), String> {
    struct Rows<T, F> {
        each: F,
        failure: Option<String>,
        row: std::marker::PhantomData<T>,
    }
    impl<'de, T: Deserialize<'de>, F: FnMut(T) -> Result<(), String>> serde::de::Visitor<'de>
        for &mut Rows<T, F>
    {
        type Value = ();

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a sequence of rows")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(row) = seq.next_element()? {
                if let Err(failure) = (self.each)(row) {
                    self.failure = Some(failure);
                    return Err(serde::de::Error::custom("row refused"));
                }
            }
            Ok(())
        }
    }
    let mut rows = Rows {
        each,
        failure: None,
        row: std::marker::PhantomData,
    };
    let mut deserializer = postcard::Deserializer::from_bytes(section);
    let decoded = serde::Deserializer::deserialize_seq(&mut deserializer, &mut rows);
    match (rows.failure, decoded) {
        (Some(failure), _) => Err(failure),
        (None, decoded) => decoded.map_err(|e| e.to_string()),
    }
}

/// A decoded node row as a node; `string` resolves string-table positions.
fn node_from_row(
    row: NodeIn,
    string: &impl Fn(u32) -> Result<Ustr, String>,
) -> Result<Node, String> {
    let interned = string;
    Ok(match row {
        NodeIn::Plain {
            name,
            aliases,
            data,
        } => {
            if matches!(data, NodeData::Claim(_)) {
                return Err("a claim stored as a plain node".into());
            }
            Node {
                name,
                aliases,
                data,
            }
        }
        NodeIn::Claim {
            name,
            aliases,
            claim,
        } => Node {
            name,
            aliases,
            data: NodeData::Claim(Box::new(Claim {
                quote: claim.quote,
                topic: claim.topic,
                quantity: claim.quantity,
                low: claim.low,
                high: claim.high,
                unit: claim.unit,
                period: claim.period,
                time: claim.time,
                hedged: claim.hedged,
                rule: interned(claim.rule)?,
                document: interned(claim.document)?,
                sentence: claim.sentence,
                start: claim.start,
                end: claim.end,
            })),
        },
    })
}

/// Decodes the sections of a version 3 payload into a graph.
///
/// Nothing is decoded into an intermediate vector of rows: at a hundred thousand
/// articles that would be another gigabyte of fresh memory, and having the kernel hand
/// out and zero pages was most of the load time. One core decodes the nodes (indexing
/// them by label and name) and the mention records; the other, at the same time, fills
/// the graph with stand-in nodes and adds every edge as it is decoded. The decoded
/// nodes then take their stand-ins' places.
fn decode_sections(payload: &[u8], path: &Path) -> Result<KnowledgeGraph, StoreError> {
    let bad = |reason: String| StoreError::Decode {
        path: path.to_path_buf(),
        reason,
    };
    let [nodes, edges, mentions, strings] = split_sections(payload, path)?;
    let strings: Vec<&str> = postcard::from_bytes(strings).map_err(|e| bad(e.to_string()))?;
    let strings: Vec<Ustr> = strings.into_iter().map(Ustr::from).collect();
    let string = |position: u32| -> Result<Ustr, String> {
        strings
            .get(position as usize)
            .copied()
            .ok_or_else(|| format!("string {position} of {}", strings.len()))
    };
    // A node row takes at least 4 bytes (variant, name, aliases, data), an edge row 8
    // and a mention row 6.
    let node_count = stated_rows(nodes, 4);
    let edge_count = stated_rows(edges, 8);
    let mention_count = stated_rows(mentions, 6);
    let (indexed, linked) = rayon::join(
        || -> Result<(KnowledgeGraph, Vec<Node>, Vec<MentionRecord>), String> {
            let mut graph = KnowledgeGraph::default();
            let mut decoded = Vec::with_capacity(node_count);
            decode_each(nodes, |row: NodeIn| {
                let node = node_from_row(row, &string)?;
                graph.index_node(NodeId::new(decoded.len()), &node);
                decoded.push(node);
                Ok(())
            })?;
            let mut records = Vec::with_capacity(mention_count);
            decode_each(mentions, |row: MentionRow| {
                let (node, document, rule, sentence, start, end) = row;
                within_nodes(node.max(document), node_count, "mention of")?;
                records.push(MentionRecord {
                    node,
                    document,
                    sentence,
                    start,
                    end,
                    rule: string(rule)?,
                });
                Ok(())
            })?;
            Ok((graph, decoded, records))
        },
        || -> Result<(PetGraph, Vec<(u32, u32)>), String> {
            let mut graph = PetGraph::with_capacity(node_count, edge_count);
            for _ in 0..node_count {
                graph.add_node(Node::stand_in());
            }
            let mut degrees = vec![(0u32, 0u32); node_count];
            decode_each(edges, |row: EdgeRow| {
                let (from, to, rel, set, numbers, text) = row;
                within_nodes(from.max(to), node_count, "edge refers to")?;
                let text = match text {
                    0 => None,
                    position => Some(string(position - 1)?),
                };
                degrees[from as usize].0 += 1;
                degrees[to as usize].1 += 1;
                graph.add_edge(
                    NodeId::new(from as usize),
                    NodeId::new(to as usize),
                    Edge::from_parts(rel, set, numbers, text),
                );
                Ok(())
            })?;
            Ok((graph, degrees))
        },
    );
    let (mut graph, decoded, mentions) = indexed.map_err(bad)?;
    let (mut petgraph, degrees) = linked.map_err(bad)?;
    if decoded.len() != node_count {
        return Err(bad(format!(
            "the node section says {node_count} nodes but holds {}",
            decoded.len()
        )));
    }
    for (index, node) in decoded.into_iter().enumerate() {
        petgraph[NodeId::new(index)] = node;
    }
    graph.graph = petgraph;
    graph.degrees = degrees;
    graph.mentions = mentions;
    Ok(graph)
}

/// Saves the graph atomically: temporary file, fsync, rename, fsync of the folder.
pub fn save(graph: &KnowledgeGraph, path: &Path) -> Result<(), StoreError> {
    save_linked(graph, path, Vec::new, None)
}

/// What `build` writes after a graph file's checksummed payload: a digest of the input
/// the graph was resolved from (see `pipeline::Build::input_digest`) and the graph's
/// size. A later build whose input has the same digest finds the graph up to date and
/// neither resolves nor saves it again. It sits outside the payload, so readers of the
/// graph never see it; a file without one (saved by the shell, or by an older
/// claimgraph) is simply built again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuildRecord {
    pub input: u64,
    pub nodes: u64,
    pub edges: u64,
}

const RECORD_MAGIC: &[u8; 8] = b"CLMBUILT";
const RECORD_LEN: usize = 8 + 3 * 8;

impl BuildRecord {
    fn to_bytes(self) -> Vec<u8> {
        let mut bytes = RECORD_MAGIC.to_vec();
        for number in [self.input, self.nodes, self.edges] {
            bytes.extend_from_slice(&number.to_le_bytes());
        }
        bytes
    }

    /// The record of the graph file at `path`: `None` unless the file is a graph of
    /// this format, intact (its checksum is checked), and ends with a record.
    pub fn of_file(path: &Path) -> Option<BuildRecord> {
        let bytes = read_whole(path).ok()?;
        let (version, payload) = unframe(&bytes, MAGIC, FORMAT_VERSION, path).ok()?;
        let record = bytes.get(HEADER_LEN + payload.len()..)?;
        if version != FORMAT_VERSION || record.len() != RECORD_LEN {
            return None;
        }
        let numbers = record.strip_prefix(RECORD_MAGIC.as_slice())?;
        let mut numbers = numbers
            .chunks_exact(8)
            .map(|n| u64::from_le_bytes(n.try_into().expect("8 bytes")));
        Some(BuildRecord {
            input: numbers.next()?,
            nodes: numbers.next()?,
            edges: numbers.next()?,
        })
    }
}

/// Saves the graph with edges that are not in it yet, worked out by `later_edges` on
/// another thread while the nodes are written, and written after the graph's own
/// edges: the file is the one [`save`] writes once those edges are added in that order.
/// A build saves this way instead of adding millions of claim links to a graph it is
/// about to drop.
///
/// With `built_from` (a build's input digest) the file ends with a [`BuildRecord`].
pub fn save_linked(
    graph: &KnowledgeGraph,
    path: &Path,
    later_edges: impl FnOnce() -> Vec<(NodeId, NodeId, RelType)> + Send,
    built_from: Option<u64>,
) -> Result<(), StoreError> {
    write_framed(path, MAGIC, FORMAT_VERSION, Durability::Durable, |out| {
        let edges = write_sections(graph, later_edges, out)?;
        let record = built_from.map(|input| BuildRecord {
            input,
            nodes: graph.node_count() as u64,
            edges,
        });
        Ok(record.map(BuildRecord::to_bytes).unwrap_or_default())
    })
}

/// Counts and checksums what passes through, so a payload can be streamed to the
/// file and its header filled in afterwards.
struct Framing<W: Write> {
    inner: W,
    length: u64,
    crc: crc32fast::Hasher,
    writeback: Option<Writeback>,
}

impl<W: Write> Write for Framing<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.crc.update(&bytes[..written]);
        self.length += written as u64;
        if let Some(writeback) = &mut self.writeback {
            writeback.wrote(written as u64);
        }
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Syncs a durable file on another thread every [`Writeback::STEP`] bytes while it is
/// still being written: otherwise the kernel starts writing it back only at the final
/// sync, which then waits for the whole file. The final sync stays; it only has the
/// tail left to wait for.
struct Writeback {
    signal: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
    since_signal: u64,
}

impl Writeback {
    const STEP: u64 = 64 << 20;

    /// `None` when the file cannot be shared with a thread: the final sync does it all.
    fn start(file: &fs::File) -> Option<Writeback> {
        let file = file.try_clone().ok()?;
        // One signal waits while a sync runs; more would only repeat it.
        let (signal, syncs) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("writeback".into())
            .spawn(move || {
                for () in syncs {
                    file.sync_data()?;
                }
                Ok(())
            })
            .ok()?;
        Some(Writeback {
            signal: Some(signal),
            thread: Some(thread),
            since_signal: 0,
        })
    }

    fn wrote(&mut self, bytes: u64) {
        self.since_signal += bytes;
        if self.since_signal >= Self::STEP {
            self.since_signal = 0;
            if let Some(signal) = &self.signal {
                // Full: a sync is already waiting. Gone: the thread stopped on an
                // error, which `finish` reports.
                let _ = signal.try_send(());
            }
        }
    }

    /// Waits for the thread. A failed sync is reported here: the file shares its
    /// error state with the thread's handle, so the final sync might not see it again.
    fn finish(mut self) -> std::io::Result<()> {
        self.signal = None;
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(std::io::Error::other("the writeback thread panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for Writeback {
    fn drop(&mut self) {
        // On an early return the thread still ends, and is waited for, before the
        // temporary file is removed.
        self.signal = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Whether a written file must survive a power cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Durability {
    /// Synced to disk before it replaces the old file: the graph.
    Durable,
    /// Left to the system to write back: a file whose loss or damage only costs time
    /// (the extraction cache; its checksum catches a torn write).
    Disposable,
}

/// Writes a payload behind a header (magic, version, length, CRC-32) to a temporary
/// file beside `path`, syncs it and renames it over `path`. The payload is streamed by
/// `write_payload`, so a large one never has to be held in memory whole.
pub(crate) fn write_framed_with(
    path: &Path,
    magic: &[u8; 8],
    version: u32,
    durability: Durability,
    write_payload: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), StoreError> {
    write_framed(path, magic, version, durability, |out| {
        write_payload(out).map(|()| Vec::new())
    })
}

/// [`write_framed_with`], where `write_payload` returns bytes to write after the
/// payload, outside its length and checksum (a [`BuildRecord`]).
fn write_framed(
    path: &Path,
    magic: &[u8; 8],
    version: u32,
    durability: Durability,
    write_payload: impl FnOnce(&mut dyn Write) -> std::io::Result<Vec<u8>>,
) -> Result<(), StoreError> {
    use std::io::{Seek, SeekFrom};
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "graph".into());
    let temporary = folder.join(format!(".{file_name}.tmp{}", std::process::id()));
    let delay = test_save_delay();
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(&[0; HEADER_LEN])?;
        let writeback = match durability {
            Durability::Durable => Writeback::start(&file),
            Durability::Disposable => None,
        };
        // Sections come in blocks of `Blocks::SIZE`, which pass straight through a
        // buffer of that size (a larger one would copy every byte once more); the few
        // small writes around them are gathered, so the CRC runs over large pieces.
        let mut buffered = std::io::BufWriter::with_capacity(
            Blocks::SIZE,
            Framing {
                inner: file,
                length: 0,
                crc: crc32fast::Hasher::new(),
                writeback,
            },
        );
        let after_payload = write_payload(&mut buffered)?;
        buffered.flush()?;
        if let Some(pause) = delay {
            // The test pause: the payload is written, the header not yet.
            std::thread::sleep(pause);
        }
        let Framing {
            inner: mut file,
            length,
            crc,
            writeback,
        } = buffered.into_inner().map_err(|e| e.into_error())?;
        if let Some(writeback) = writeback {
            writeback.finish()?;
        }
        file.write_all(&after_payload)?;
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(magic);
        header.extend_from_slice(&version.to_le_bytes());
        header.extend_from_slice(&length.to_le_bytes());
        header.extend_from_slice(&crc.finalize().to_le_bytes());
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&header)?;
        if durability == Durability::Durable {
            file.sync_all()?;
        }
        drop(file);
        if let Some(pause) = delay {
            std::thread::sleep(pause);
        }
        fs::rename(&temporary, path)?;
        // The rename is only durable once the folder itself is on disk.
        if durability == Durability::Durable {
            if let Ok(dir) = fs::File::open(&folder) {
                let _ = dir.sync_all();
            }
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.map_err(|source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// A pause between the steps of a save, read from `CLAIMGRAPH_TEST_SAVE_DELAY_MS`, so
/// that the kill-during-save test (tests/save_kill.rs) can land a SIGKILL mid-write and
/// between write and rename. Unset in normal use.
fn test_save_delay() -> Option<std::time::Duration> {
    let millis: u64 = std::env::var("CLAIMGRAPH_TEST_SAVE_DELAY_MS")
        .ok()?
        .parse()
        .ok()?;
    Some(std::time::Duration::from_millis(millis))
}

/// Fails when saving to `path` would replace something that is not a graph file: a
/// folder, or a file that does not start with the magic header (an article given as
/// `--graph` by mistake). A missing, empty or damaged graph file may be replaced.
pub fn check_overwritable(path: &Path) -> Result<(), StoreError> {
    use std::io::Read;
    let Ok(metadata) = fs::metadata(path) else {
        return Ok(());
    };
    if metadata.is_dir() {
        return Err(StoreError::IsAFolder {
            path: path.to_path_buf(),
        });
    }
    if !metadata.is_file() {
        // A device such as /dev/null would be replaced by the rename, not written to.
        return Err(StoreError::NotOverwritable {
            path: path.to_path_buf(),
        });
    }
    let mut head = Vec::with_capacity(MAGIC.len());
    let read =
        fs::File::open(path).and_then(|file| file.take(MAGIC.len() as u64).read_to_end(&mut head));
    if let Err(source) = read {
        return Err(StoreError::Read {
            path: path.to_path_buf(),
            source,
        });
    }
    if head.is_empty() || head == MAGIC {
        Ok(())
    } else {
        Err(StoreError::NotOverwritable {
            path: path.to_path_buf(),
        })
    }
}

/// Loads a graph file, checking magic, version, length and checksum before decoding.
pub fn load(path: &Path) -> Result<KnowledgeGraph, StoreError> {
    let bytes = read_whole(path).map_err(|source| StoreError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    decode(&bytes, path)
}

/// A whole file's bytes: mapped into memory where the file allows it, else read.
pub(crate) enum FileBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(map) => map,
            FileBytes::Read(bytes) => bytes,
        }
    }
}

/// Maps a graph or cache file rather than reading it: its pages then come straight from
/// the page cache, where reading would first have the kernel zero as many fresh pages
/// and then copy the file into them (half a second for a 400 MB graph on a small
/// machine). A pipe or other file that cannot be mapped is read.
pub(crate) fn read_whole(path: &Path) -> std::io::Result<FileBytes> {
    let file = fs::File::open(path)?;
    if file.metadata()?.is_file() {
        // SAFETY: the mapping is only read, and claimgraph never writes a graph or
        // cache file in place: a save writes a temporary file and renames it over the
        // old one, whose mapped pages stay as they were. Another program truncating the
        // file while it is mapped could still fault the read; the checksum catches any
        // other change.
        if let Ok(map) = unsafe { memmap2::MmapOptions::new().populate().map(&file) } {
            return Ok(FileBytes::Mapped(map));
        }
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut &file, &mut bytes)?;
    Ok(FileBytes::Read(bytes))
}

/// Decodes the bytes of a graph file; `path` only names the file in errors.
pub fn decode(bytes: &[u8], path: &Path) -> Result<KnowledgeGraph, StoreError> {
    let (version, payload) = unframe(bytes, MAGIC, FORMAT_VERSION, path)?;
    if version < FORMAT_VERSION {
        return Err(StoreError::OlderVersion {
            path: path.to_path_buf(),
            found: version,
        });
    }
    decode_sections(payload, path)
}

/// Checks the header written by [`write_framed_with`] (magic, version, length, checksum)
/// and returns the version and the payload.
pub(crate) fn unframe<'a>(
    bytes: &'a [u8],
    magic: &[u8; 8],
    supported: u32,
    path: &Path,
) -> Result<(u32, &'a [u8]), StoreError> {
    let path_buf = path.to_path_buf();
    if bytes.is_empty() {
        return Err(StoreError::Empty { path: path_buf });
    }
    if bytes.len() < magic.len() && magic.starts_with(bytes) {
        return Err(StoreError::Truncated {
            path: path_buf,
            expected: HEADER_LEN as u64,
            actual: bytes.len() as u64,
        });
    }
    if bytes.len() < magic.len() || &bytes[..magic.len()] != magic {
        return Err(StoreError::NotAGraph { path: path_buf });
    }
    if bytes.len() < HEADER_LEN {
        return Err(StoreError::Truncated {
            path: path_buf,
            expected: HEADER_LEN as u64,
            actual: bytes.len() as u64,
        });
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version > supported {
        return Err(StoreError::NewerVersion {
            path: path_buf,
            found: version,
            supported,
        });
    }
    let length = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    let checksum = u32::from_le_bytes(bytes[20..24].try_into().expect("4 bytes"));
    let payload = &bytes[HEADER_LEN..];
    if (payload.len() as u64) < length {
        return Err(StoreError::Truncated {
            path: path_buf,
            expected: (HEADER_LEN as u64).saturating_add(length),
            actual: bytes.len() as u64,
        });
    }
    let payload = &payload[..length as usize];
    if crc32fast::hash(payload) != checksum {
        return Err(StoreError::Corrupted { path: path_buf });
    }
    Ok((version, payload))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphRead, NodeData, RelType};

    /// Edge and mention rows skip serde; their bytes must still be postcard's, or
    /// files would not load. Numbers of every varint length, every edge type, and
    /// more rows than one block holds.
    #[test]
    fn rows_are_encoded_as_postcard_encodes_them() {
        let mut next = crate::extract::testing::numbers(7);
        let mut number = || -> u32 {
            let bits = next();
            (bits >> 8) as u32 >> ((bits % 33) as u32).min(31)
        };
        for count in [0, 1, 2, 127, 128, 10_000] {
            let edges: Vec<EdgeRow> = (0..count)
                .map(|i| {
                    let rel = RelType::ALL[i % RelType::ALL.len()];
                    let set = number() as u8;
                    (
                        number(),
                        number(),
                        rel,
                        set,
                        [number(), number(), number()],
                        number(),
                    )
                })
                .collect();
            let mut bytes = Vec::new();
            write_rows(&mut bytes, edges.iter().copied(), count, encode_edge).unwrap();
            assert_eq!(bytes, postcard::to_stdvec(&edges).unwrap(), "{count} edges");
            let mentions: Vec<MentionRow> = (0..count)
                .map(|_| (number(), number(), number(), number(), number(), number()))
                .collect();
            let mut bytes = Vec::new();
            write_rows(&mut bytes, mentions.iter().copied(), count, encode_mention).unwrap();
            assert_eq!(
                bytes,
                postcard::to_stdvec(&mentions).unwrap(),
                "{count} mentions"
            );
        }
    }

    fn sample_graph() -> KnowledgeGraph {
        let mut graph = KnowledgeGraph::new();
        let person = graph.add_node(Node {
            name: "Maria Zakharova".into(),
            aliases: vec!["Zakharova".into()],
            data: NodeData::Person {
                roles: vec!["spokesperson".into()],
            },
        });
        let doc = graph.add_node(Node {
            name: "a.txt".into(),
            aliases: vec![],
            data: NodeData::Document(Box::new(crate::graph::DocumentData {
                title: Some("T".into()),
                outlet: None,
                author: None,
                date: None,
                url: None,
            })),
        });
        graph.add_edge(person, doc, Edge::new(RelType::MentionedIn));
        graph
    }

    #[test]
    fn save_then_load_gives_the_same_graph() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph");
        let graph = sample_graph();
        save(&graph, &path).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.stats(), graph.stats());
        assert_eq!(loaded.lookup("zakharova").len(), 1);
    }

    /// The sample graph with a claim and mention records, as a build makes them.
    fn graph_with_claim() -> KnowledgeGraph {
        let mut graph = sample_graph();
        let text = "Zakharova said 40 soldiers deserted.";
        let claim = graph.add_node(Node {
            name: text.into(),
            aliases: vec![],
            data: NodeData::Claim(Box::new(crate::graph::Claim {
                quote: None,
                topic: crate::graph::Topic::Desertion,
                quantity: Some("40".into()),
                low: Some(40.0),
                high: Some(40.0),
                unit: Some("soldiers".into()),
                period: None,
                time: None,
                hedged: false,
                rule: "claim.topic_lexicon".into(),
                document: "a.txt".into(),
                sentence: 0,
                start: 0,
                end: text.len() as u32,
            })),
        });
        graph.add_edge(NodeId::new(0), claim, Edge::new(RelType::Reported));
        for (node, start) in [(0, 0), (0, 60), (1, 5)] {
            graph.mentions.push(MentionRecord {
                node,
                document: 1,
                sentence: 0,
                start,
                end: start + 9,
                rule: "person.full_name".into(),
            });
        }
        graph
    }

    fn nodes_and_edges(graph: &KnowledgeGraph) -> (Vec<Node>, Vec<(NodeId, NodeId, Edge)>) {
        let nodes = graph
            .node_ids()
            .iter()
            .map(|id| graph.node(*id).clone())
            .collect();
        let edges = graph
            .edge_ids()
            .iter()
            .map(|e| {
                let (a, b) = graph.endpoints(*e);
                (a, b, *graph.edge(*e))
            })
            .collect();
        (nodes, edges)
    }

    #[test]
    fn claims_and_mentions_survive_the_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph");
        let graph = graph_with_claim();
        save(&graph, &path).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(nodes_and_edges(&loaded), nodes_and_edges(&graph));
        assert_eq!(loaded.mentions, graph.mentions);
    }

    #[test]
    fn an_older_format_asks_for_a_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.cgraph");
        write_framed_with(&path, MAGIC, 2, Durability::Durable, |out| {
            out.write_all(b"x")
        })
        .unwrap();
        let error = load(&path).unwrap_err();
        assert!(matches!(error, StoreError::OlderVersion { found: 2, .. }));
        assert!(error.to_string().contains("claimgraph build"), "{error}");
    }

    #[test]
    fn a_newer_format_is_refused_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.cgraph");
        write_framed_with(
            &path,
            MAGIC,
            FORMAT_VERSION + 1,
            Durability::Durable,
            |out| out.write_all(b"x"),
        )
        .unwrap();
        let error = load(&path).unwrap_err();
        assert!(matches!(error, StoreError::NewerVersion { .. }));
        assert!(error.to_string().contains("newer claimgraph"), "{error}");
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph");
        save(&sample_graph(), &path).unwrap();
        let bytes = fs::read(&path).unwrap();
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut], &path).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn a_flipped_byte_is_reported_as_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph");
        save(&sample_graph(), &path).unwrap();
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        assert!(matches!(
            decode(&bytes, &path),
            Err(StoreError::Corrupted { .. })
        ));
    }
}

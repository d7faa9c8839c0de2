//! The graph file: a magic header, a format version, the payload length and a CRC-32,
//! then the postcard-encoded payload. Written to a temporary file beside the target,
//! flushed to disk and renamed over it, so a failed or killed save leaves the previous
//! graph intact.

use super::{
    Claim, Edge, KnowledgeGraph, MentionRecord, Node, NodeData, NodeId, PetGraph, RelType, Topic,
};
use petgraph::visit::EdgeIndexable;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use ustr::{Ustr, UstrMap, UstrSet};

mod delta;
use delta::load_delta;
pub use delta::{moved, save_delta, BaseId, Edit, GraphDelta};

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
    #[error("{path} is corrupted (checksum mismatch); rebuild it with `claimgraph build --full`")]
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

/// Interned strings of a graph being written, numbered in order of first use: claims'
/// rule and document in node order, then edge texts in edge order, then mention rules.
/// They are numbered before any section is encoded, so that the chunks of a section
/// can be encoded on every core at once.
#[derive(Default)]
struct StringTable {
    positions: UstrMap<u32>,
    strings: Vec<Ustr>,
}

impl StringTable {
    /// The table of what the sections of `graph` refer to.
    fn of(graph: &KnowledgeGraph, places: &Places) -> StringTable {
        let mut table = StringTable::default();
        let petgraph = &graph.graph;
        let nodes = graph.nodes();
        table.intern_rows(nodes.len(), |index| match &nodes[index].data {
            NodeData::Claim(claim) => [Some(claim.rule), Some(claim.document)],
            _ => [None, None],
        });
        table.intern_rows(petgraph.edge_bound(), |index| {
            let edge = petgraph.edge_weight(petgraph::graph::EdgeIndex::new(index));
            [edge.and_then(|e| e.parts().2), None]
        });
        // Links added while saving have no text.
        table.intern_rows(graph.mentions.len(), |index| {
            let mention = &graph.mentions[index];
            [places.keeps(mention).then_some(mention.rule), None]
        });
        table
    }

    /// The position of `text`, numbering it if it is new.
    fn intern(&mut self, text: Ustr) -> u32 {
        *self.positions.entry(text).or_insert_with(|| {
            self.strings.push(text);
            self.strings.len() as u32 - 1
        })
    }

    /// The position of a string numbered already.
    fn position(&self, text: Ustr) -> u32 {
        self.positions[&text]
    }

    /// Numbers the strings that rows `0..rows` use (`texts` gives a row's, in order) in
    /// order of first use. Chunks of rows are searched on every core, each listing its
    /// strings in the order they first appear in it; taken in chunk order, these lists
    /// give every string's first use over all rows.
    fn intern_rows(&mut self, rows: usize, texts: impl Fn(usize) -> [Option<Ustr>; 2] + Sync) {
        let firsts: Vec<Vec<Ustr>> = chunk_ranges(rows, SCAN_CHUNK_ROWS)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|range| {
                let mut recent = Recent::<()>::new();
                let mut seen = UstrSet::default();
                let mut firsts = Vec::new();
                for text in range.flat_map(&texts).flatten() {
                    if recent.get(text).is_none() {
                        recent.put(text, ());
                        if seen.insert(text) {
                            firsts.push(text);
                        }
                    }
                }
                firsts
            })
            .collect();
        for text in firsts.into_iter().flatten() {
            self.intern(text);
        }
    }
}

/// Strings met lately, found by their address alone: rows repeat a few dozen rules and
/// roles (and a claim shares its document with the claims around it), so most strings
/// are found here without reading their hash or searching a table.
struct Recent<T: Copy> {
    /// A string's address (0: none) and what is known of it.
    slots: [(usize, T); RECENT_SLOTS],
}

const RECENT_SLOTS: usize = 256;

impl<T: Copy + Default> Recent<T> {
    fn new() -> Recent<T> {
        Recent {
            slots: [(0, T::default()); RECENT_SLOTS],
        }
    }

    fn slot(text: Ustr) -> (usize, usize) {
        let address = text.as_char_ptr() as usize;
        // Interned strings lie at least 8 bytes apart.
        (address, (address >> 3) % RECENT_SLOTS)
    }

    fn get(&self, text: Ustr) -> Option<T> {
        let (address, slot) = Self::slot(text);
        let (held, value) = self.slots[slot];
        (held == address).then_some(value)
    }

    fn put(&mut self, text: Ustr, value: T) {
        let (address, slot) = Self::slot(text);
        self.slots[slot] = (address, value);
    }
}

/// Positions in a string table, looked up for one chunk of rows.
struct Positions<'a> {
    table: &'a StringTable,
    recent: Recent<u32>,
}

impl<'a> Positions<'a> {
    fn new(table: &'a StringTable) -> Positions<'a> {
        Positions {
            table,
            recent: Recent::new(),
        }
    }

    fn of(&mut self, text: Ustr) -> u32 {
        self.recent.get(text).unwrap_or_else(|| {
            let position = self.table.position(text);
            self.recent.put(text, position);
            position
        })
    }
}

/// Where each node is written: at its own index, as the graph never removes nodes. An
/// edge or mention naming an index past the last node is not written.
struct Places {
    nodes: usize,
}

impl Places {
    fn of(graph: &KnowledgeGraph) -> Places {
        Places {
            nodes: graph.node_count(),
        }
    }

    fn get(&self, index: usize) -> Option<u32> {
        (index < self.nodes).then_some(index as u32)
    }

    /// Whether a mention record is written: both its nodes are in the graph.
    fn keeps(&self, mention: &MentionRecord) -> bool {
        self.get(mention.node as usize).is_some() && self.get(mention.document as usize).is_some()
    }
}

/// Ranges of `size` rows (the last one shorter) that cover rows `0..count`.
fn chunk_ranges(count: usize, size: usize) -> impl Iterator<Item = Range<usize>> {
    (0..count)
        .step_by(size)
        .map(move |start| start..(start + size).min(count))
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
    fn new() -> RowBytes {
        RowBytes {
            bytes: [0; 64],
            len: 0,
        }
    }

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

/// The length prefix of a postcard sequence of `count` items.
fn sequence_prefix(count: usize) -> RowBytes {
    let mut prefix = RowBytes::new();
    prefix.varint(count as u64);
    prefix
}

/// Appends rows of numbers (edges, mentions) to `bytes` as postcard encodes the items
/// of a sequence, and returns how many rows there were. Rows are encoded by `encode`
/// without serde in between: a large graph has tens of millions of them, and the
/// general path cost about 400 instructions per edge.
fn encode_rows<R>(
    rows: impl Iterator<Item = R>,
    bytes: &mut Vec<u8>,
    encode: impl Fn(&R, &mut RowBytes),
) -> usize {
    let mut row = RowBytes::new();
    let mut count = 0;
    for item in rows {
        encode(&item, &mut row);
        bytes.extend_from_slice(&row.bytes[..row.len]);
        row.len = 0;
        count += 1;
    }
    count
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

/// A postcard output that appends to the bytes of a chunk.
struct ChunkBytes<'a>(&'a mut Vec<u8>);

impl postcard::ser_flavors::Flavor for ChunkBytes<'_> {
    type Output = ();

    #[inline]
    fn try_push(&mut self, byte: u8) -> postcard::Result<()> {
        self.0.push(byte);
        Ok(())
    }

    #[inline]
    fn try_extend(&mut self, bytes: &[u8]) -> postcard::Result<()> {
        // As in `Blocks`: most pieces are a few bytes long.
        if bytes.len() <= 8 {
            for byte in bytes {
                self.0.push(*byte);
            }
        } else {
            self.0.extend_from_slice(bytes);
        }
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
}

/// What a node is written as; `position` numbers a claim's interned fields.
fn node_out(node: &Node, mut position: impl FnMut(Ustr) -> u32) -> NodeOut<'_> {
    match &node.data {
        NodeData::Claim(claim) => NodeOut::Claim {
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
                rule: position(claim.rule),
                document: position(claim.document),
                sentence: claim.sentence,
                start: claim.start,
                end: claim.end,
            },
        },
        data => NodeOut::Plain {
            name: &node.name,
            aliases: &node.aliases,
            data,
        },
    }
}

/// Appends `nodes` to `bytes` as postcard encodes the items of a sequence, and returns
/// how many there were.
fn encode_nodes(
    nodes: &[Node],
    table: &StringTable,
    bytes: &mut Vec<u8>,
) -> std::io::Result<usize> {
    let mut positions = Positions::new(table);
    let mut count = 0;
    for node in nodes {
        let node = node_out(node, |text| positions.of(text));
        postcard::serialize_with_flavor(&node, ChunkBytes(bytes))
            .map_err(|error| std::io::Error::other(format!("cannot encode: {error}")))?;
        count += 1;
    }
    Ok(count)
}

/// An edge as written, `None` if an end is not in the graph (the section then comes
/// out short, which is an error).
fn edge_row(
    places: &Places,
    positions: &mut Positions,
    from: NodeId,
    to: NodeId,
    edge: &Edge,
) -> Option<EdgeRow> {
    let (set, numbers, text) = edge.parts();
    Some((
        places.get(from.index())?,
        places.get(to.index())?,
        edge.rel,
        set,
        numbers,
        text.map_or(0, |t| positions.of(t) + 1),
    ))
}

/// An edge as written, its ends numbered already; `position` numbers its text.
fn edge_row_of(
    from: NodeId,
    to: NodeId,
    edge: &Edge,
    mut position: impl FnMut(Ustr) -> u32,
) -> EdgeRow {
    let (set, numbers, text) = edge.parts();
    (
        from.index() as u32,
        to.index() as u32,
        edge.rel,
        set,
        numbers,
        text.map_or(0, |t| position(t) + 1),
    )
}

/// Encodes one chunk of a section into the buffer it is given and returns how many rows
/// the chunk held.
type ChunkJob<'a> = Box<dyn FnOnce(&mut Vec<u8>) -> std::io::Result<usize> + Send + 'a>;

/// What the writer of a graph's sections is handed, in file order.
enum Piece<'a> {
    /// A section begins. Its row count (postcard's length prefix) is asked for only when
    /// the writer gets there: the edges' count waits for the claim links, while chunks
    /// of the graph's own edges may already be encoded.
    Section(Box<dyn FnOnce() -> usize + 'a>),
    /// A chunk of the section's rows.
    Rows(ChunkJob<'a>),
}

/// Rows per chunk, for chunks of half a megabyte to a megabyte: a node takes about 180
/// bytes, an edge or a mention about 10.
const NODE_CHUNK_ROWS: usize = 4096;
const ROW_CHUNK_ROWS: usize = 65_536;
/// Rows per chunk when the strings are numbered.
const SCAN_CHUNK_ROWS: usize = 65_536;

/// How many chunks may be encoded, or being encoded, ahead of the writer: enough to keep
/// every core busy while the writer waits for the claim links, few enough that only
/// tens of megabytes are held.
fn chunks_ahead() -> usize {
    (16 * rayon::current_num_threads()).min(128)
}

/// A piece handed to the writer, waiting to be written.
enum Waiting<'a> {
    Section(Box<dyn FnOnce() -> usize + 'a>),
    Chunk(std::sync::mpsc::Receiver<(Vec<u8>, std::io::Result<usize>)>),
}

/// Writes sections of rows in order, each a length prefix and its chunks' bytes, and
/// keeps the counts that close each section.
struct SectionWriter<'o> {
    out: &'o mut dyn Write,
    /// Bytes of each section written, in order.
    lengths: Vec<u64>,
    /// Rows the current section said it has, and rows written since.
    stated: usize,
    rows: usize,
    /// Buffers come back once written, so that a save touches few fresh pages.
    spare: Vec<Vec<u8>>,
}

impl SectionWriter<'_> {
    fn write(&mut self, piece: Waiting) -> std::io::Result<()> {
        match piece {
            Waiting::Section(count) => {
                self.end_section()?;
                self.stated = count();
                self.rows = 0;
                let prefix = sequence_prefix(self.stated);
                self.out.write_all(&prefix.bytes[..prefix.len])?;
                self.lengths.push(prefix.len as u64);
            }
            Waiting::Chunk(chunk) => {
                // Nothing comes if the job panicked; the scope then passes the panic on.
                let (bytes, encoded) = receive(&chunk)
                    .map_err(|_| std::io::Error::other("a chunk of the graph was not encoded"))?;
                self.rows += encoded?;
                self.out.write_all(&bytes)?;
                *self.lengths.last_mut().expect("a chunk is in a section") += bytes.len() as u64;
                self.spare.push(bytes);
            }
        }
        Ok(())
    }

    fn end_section(&self) -> std::io::Result<()> {
        if self.rows != self.stated {
            return Err(std::io::Error::other(
                "a section changed length while written",
            ));
        }
        Ok(())
    }
}

/// Waits for what `chunk` brings. On a thread of the pool (a save called from parallel
/// code) the job may be queued behind others on this very thread, so they are run
/// while it waits.
fn receive<T>(chunk: &std::sync::mpsc::Receiver<T>) -> Result<T, std::sync::mpsc::RecvError> {
    use std::sync::mpsc::TryRecvError;
    loop {
        match chunk.try_recv() {
            Ok(done) => return Ok(done),
            Err(TryRecvError::Disconnected) => return Err(std::sync::mpsc::RecvError),
            Err(TryRecvError::Empty) => {}
        }
        // Not in the pool, or nothing left to run here: the job runs on another thread.
        if rayon::yield_now() != Some(rayon::Yield::Executed) {
            return chunk.recv();
        }
    }
}

/// Writes `pieces` to `out` in order, encoding their chunks on every core (at most
/// [`chunks_ahead`] of them ahead of the writer, so that no section is ever held whole),
/// and returns each section's length in bytes.
fn write_pieces<'a>(
    out: &mut dyn Write,
    pieces: impl Iterator<Item = Piece<'a>>,
) -> std::io::Result<Vec<u64>> {
    let ahead = chunks_ahead();
    let mut writer = SectionWriter {
        out,
        lengths: Vec::new(),
        stated: 0,
        rows: 0,
        spare: Vec::new(),
    };
    let mut waiting = std::collections::VecDeque::new();
    let mut chunks_waiting = 0;
    rayon::in_place_scope(|scope| {
        for piece in pieces {
            match piece {
                Piece::Section(count) => waiting.push_back(Waiting::Section(count)),
                Piece::Rows(job) => {
                    while chunks_waiting >= ahead {
                        let oldest = waiting.pop_front().expect("chunks are waiting");
                        chunks_waiting -= matches!(oldest, Waiting::Chunk(_)) as usize;
                        writer.write(oldest)?;
                    }
                    let mut bytes = writer.spare.pop().unwrap_or_default();
                    bytes.clear();
                    let (done, chunk) = std::sync::mpsc::sync_channel(1);
                    scope.spawn(move |_| {
                        let encoded = job(&mut bytes);
                        // The writer is gone only after an error of its own.
                        let _ = done.send((bytes, encoded));
                    });
                    waiting.push_back(Waiting::Chunk(chunk));
                    chunks_waiting += 1;
                }
            }
        }
        while let Some(oldest) = waiting.pop_front() {
            writer.write(oldest)?;
        }
        writer.end_section()
    })?;
    Ok(writer.lengths)
}

/// Writes the four sections of a graph: nodes, edges (the graph's own, then those
/// `later_edges` gives), mentions, then the strings they refer to. The strings are
/// numbered first; then the rows are encoded in chunks on every core and written in
/// order, while `later_edges` runs on a thread of its own.
fn write_sections(
    graph: &KnowledgeGraph,
    later_edges: impl FnOnce() -> Vec<(NodeId, NodeId, RelType)> + Send,
    out: &mut dyn Write,
) -> std::io::Result<u64> {
    let petgraph = &graph.graph;
    let places = Places::of(graph);
    std::thread::scope(|threads| {
        let linking = std::cell::Cell::new(Some(threads.spawn(later_edges)));
        let links = std::cell::OnceCell::new();
        // The links, once the thread has them: wanted for the edges' count and for
        // their own rows, whichever comes first.
        let links = || -> &Vec<(NodeId, NodeId, RelType)> {
            links.get_or_init(|| {
                let linking = linking.take().expect("the links are waited for once");
                linking
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
        };
        let table = StringTable::of(graph, &places);
        let (places, table) = (&places, &table);
        let mention_count = graph
            .mentions
            .par_chunks(ROW_CHUNK_ROWS)
            .map(|mentions| mentions.iter().filter(|m| places.keeps(m)).count())
            .sum();

        let nodes = graph.nodes().chunks(NODE_CHUNK_ROWS).map(|nodes| {
            Piece::Rows(
                Box::new(move |bytes: &mut Vec<u8>| encode_nodes(nodes, table, bytes)) as ChunkJob,
            )
        });
        let own_edges = chunk_ranges(petgraph.edge_bound(), ROW_CHUNK_ROWS).map(|range| {
            Piece::Rows(Box::new(move |bytes: &mut Vec<u8>| {
                let mut positions = Positions::new(table);
                let rows = range.filter_map(|index| {
                    let id = petgraph::graph::EdgeIndex::new(index);
                    let (from, to) = petgraph.edge_endpoints(id)?;
                    edge_row(places, &mut positions, from, to, &petgraph[id])
                });
                Ok(encode_rows(rows, bytes, encode_edge))
            }))
        });
        // Pulled once every chunk of the graph's own edges is handed out.
        let added_edges = std::iter::once_with(links).flat_map(|links| {
            links.chunks(ROW_CHUNK_ROWS).map(|links| {
                Piece::Rows(Box::new(move |bytes: &mut Vec<u8>| {
                    let mut positions = Positions::new(table);
                    let rows = links.iter().filter_map(|(from, to, rel)| {
                        edge_row(places, &mut positions, *from, *to, &Edge::new(*rel))
                    });
                    Ok(encode_rows(rows, bytes, encode_edge)) as std::io::Result<usize>
                }) as ChunkJob)
            })
        });
        let mentions = graph.mentions.chunks(ROW_CHUNK_ROWS).map(|mentions| {
            Piece::Rows(Box::new(move |bytes: &mut Vec<u8>| {
                let mut positions = Positions::new(table);
                let rows = mentions.iter().filter(|m| places.keeps(m)).map(|m| {
                    let rule = positions.of(m.rule);
                    (m.node, m.document, rule, m.sentence, m.start, m.end)
                });
                Ok(encode_rows(rows, bytes, encode_mention))
            }))
        });
        let section = |count| std::iter::once(Piece::Section(count));
        let pieces = section(Box::new(|| graph.node_count()))
            .chain(nodes)
            .chain(section(Box::new(|| graph.edge_count() + links().len())))
            .chain(own_edges)
            .chain(added_edges)
            .chain(section(Box::new(move || mention_count)))
            .chain(mentions);
        let mut lengths = write_pieces(out, pieces)?;
        let strings: Vec<&str> = table.strings.iter().map(|s| s.as_str()).collect();
        lengths.push(write_section(out, &strings)?);
        debug_assert_eq!(lengths.len(), SECTIONS);
        for length in lengths {
            out.write_all(&length.to_le_bytes())?;
        }
        Ok((graph.edge_count() + links().len()) as u64)
    })
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
/// them by label and name); the other, at the same time, fills petgraph with empty node
/// slots and adds every edge as it is decoded (the nodes themselves live beside
/// petgraph, see `PetGraph`). The mention records go to whichever finishes first.
fn decode_sections(
    payload: &[u8],
    path: &Path,
    applied: Option<&delta::Applied>,
) -> Result<KnowledgeGraph, StoreError> {
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
    let base_nodes = stated_rows(nodes, 4);
    let mut edge_count = stated_rows(edges, 8);
    let mut mention_count = stated_rows(mentions, 6);
    if let Some(applied) = applied {
        // Room for exactly the rows the delta leaves: growing a vector of ten million
        // edges past its capacity would hold both copies at once.
        let delta = applied.delta;
        edge_count = usize::try_from(delta.edge_count()).unwrap_or(edge_count);
        let edited: i64 = delta
            .mentions
            .iter()
            .map(|e| e.insert.len() as i64 - i64::from(e.skip))
            .sum();
        mention_count = usize::try_from(mention_count as i64 + edited).unwrap_or(mention_count);
    }
    // With a delta, base rows are spliced with its rows, and kept rows' node ids moved.
    let node_count = applied.map_or(base_nodes, |a| a.delta.node_count() as usize);
    if let Some(applied) = applied {
        if applied.delta.base[0] as usize != base_nodes {
            return Err(bad("the delta was made for another graph".into()));
        }
    }
    let moved = |id: u32| applied.map_or(Ok(id), |a| a.node(id));
    let decode_mentions = || -> Result<Vec<MentionRecord>, String> {
        let mut records = Vec::with_capacity(mention_count);
        let mut splice = applied.map(|a| delta::Splice::new(&a.delta.mentions));
        decode_each(mentions, |row: MentionRow| {
            let (node, document, rule, sentence, start, end) = row;
            within_nodes(node.max(document), base_nodes, "mention of")?;
            if let Some(splice) = &mut splice {
                let kept = splice.next_row(|new| {
                    records.push(new.clone());
                    Ok(())
                })?;
                if !kept {
                    return Ok(());
                }
            }
            records.push(MentionRecord {
                node: moved(node)?,
                document: moved(document)?,
                sentence,
                start,
                end,
                rule: string(rule)?,
            });
            Ok(())
        })?;
        if let Some(splice) = &mut splice {
            splice.finish(|new| {
                records.push(new.clone());
                Ok(())
            })?;
        }
        Ok(records)
    };
    let decode_nodes = || -> Result<(KnowledgeGraph, Vec<Node>), String> {
        let mut graph = KnowledgeGraph::default();
        let mut decoded = Vec::with_capacity(node_count);
        let mut add = |node: Node| {
            graph.index_node(NodeId::new(decoded.len()), &node);
            decoded.push(node);
        };
        let mut splice = applied.map(|a| delta::Splice::new(&a.delta.nodes));
        decode_each(nodes, |row: NodeIn| {
            let node = node_from_row(row, &string)?;
            if let Some(splice) = &mut splice {
                let kept = splice.next_row(|new| {
                    add(new.clone());
                    Ok(())
                })?;
                if !kept {
                    return Ok(());
                }
            }
            add(node);
            Ok(())
        })?;
        if let Some(splice) = &mut splice {
            splice.finish(|new| {
                add(new.clone());
                Ok(())
            })?;
        }
        Ok((graph, decoded))
    };
    let decode_edges = || -> Result<(PetGraph, Vec<(u32, u32)>), String> {
        let mut graph = PetGraph::with_capacity(node_count, edge_count);
        for _ in 0..node_count {
            graph.add_node(());
        }
        let mut degrees = vec![(0u32, 0u32); node_count];
        let mut add = |from: u32, to: u32, edge: Edge| -> Result<(), String> {
            within_nodes(from.max(to), node_count, "edge refers to")?;
            degrees[from as usize].0 += 1;
            degrees[to as usize].1 += 1;
            graph.add_edge(NodeId::new(from as usize), NodeId::new(to as usize), edge);
            Ok(())
        };
        let Some(applied) = applied else {
            decode_each(edges, |row: EdgeRow| {
                let (from, to, rel, set, numbers, text) = row;
                let text = match text {
                    0 => None,
                    position => Some(string(position - 1)?),
                };
                add(from, to, Edge::from_parts(rel, set, numbers, text))
            })?;
            return Ok((graph, degrees));
        };
        // The base's own edges spliced with the delta's, then its claim links less
        // those removed, merged in pair order with those added.
        let delta = applied.delta;
        let own = delta.base[1] as usize;
        let mut splice = delta::Splice::new(&delta.edges);
        let mut spliced = false;
        let mut removed = delta.links_removed.iter().peekable();
        let mut added = delta.links_added.iter().peekable();
        let mut row_index = 0;
        decode_each(edges, |row: EdgeRow| {
            let (from, to, rel, set, numbers, text) = row;
            within_nodes(from.max(to), base_nodes, "edge refers to")?;
            let text = match text {
                0 => None,
                position => Some(string(position - 1)?),
            };
            let edge = Edge::from_parts(rel, set, numbers, text);
            row_index += 1;
            if row_index <= own {
                let kept = splice.next_row(|(from, to, edge)| {
                    add(from.index() as u32, to.index() as u32, *edge)
                })?;
                if kept {
                    add(applied.node(from)?, applied.node(to)?, edge)?;
                }
                return Ok(());
            }
            if !spliced {
                splice.finish(|(from, to, edge)| {
                    add(from.index() as u32, to.index() as u32, *edge)
                })?;
                spliced = true;
            }
            let pair = (NodeId::new(from as usize), NodeId::new(to as usize));
            if removed.next_if(|r| **r == pair).is_some() {
                return Ok(());
            }
            let (from, to) = (applied.node(from)?, applied.node(to)?);
            while let Some((a, b, rel)) =
                added.next_if(|(a, b, _)| (a.index() as u32, b.index() as u32) < (from, to))
            {
                add(a.index() as u32, b.index() as u32, Edge::new(*rel))?;
            }
            add(from, to, edge)
        })?;
        if !spliced {
            splice.finish(|(from, to, edge)| add(from.index() as u32, to.index() as u32, *edge))?;
        }
        for (a, b, rel) in added {
            add(a.index() as u32, b.index() as u32, Edge::new(*rel))?;
        }
        if removed.next().is_some() {
            return Err("the delta removes a claim link the graph does not have".into());
        }
        Ok((graph, degrees))
    };
    // One core decodes and indexes the nodes, the other links the edges; the mention
    // records are decoded by whichever is free first.
    let (indexed, (linked, mentions)) =
        rayon::join(decode_nodes, || rayon::join(decode_edges, decode_mentions));
    let (mut graph, decoded) = indexed.map_err(bad)?;
    let (petgraph, degrees) = linked.map_err(bad)?;
    let mentions = mentions.map_err(bad)?;
    if decoded.len() != node_count {
        return Err(bad(format!(
            "the node section says {node_count} nodes but holds {}",
            decoded.len()
        )));
    }
    graph.nodes = decoded;
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
        if version != FORMAT_VERSION {
            return None;
        }
        // A rebuild that wrote a delta recorded its input there.
        match load_delta(path, &bytes) {
            Ok(Some((_, record))) => record,
            Ok(None) => record_after(&bytes, payload.len()),
            Err(_) => None,
        }
    }
}

impl BuildRecord {
    /// The record the graph file at `path` itself ends with (not a delta's), read from
    /// its header and its end alone: its checksum is not checked.
    pub fn of_base(path: &Path) -> Option<BuildRecord> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = fs::File::open(path).ok()?;
        let mut header = [0u8; HEADER_LEN];
        file.read_exact(&mut header).ok()?;
        let version = u32::from_le_bytes(header[8..12].try_into().ok()?);
        if !header.starts_with(MAGIC) || version != FORMAT_VERSION {
            return None;
        }
        let length = u64::from_le_bytes(header[12..20].try_into().ok()?);
        file.seek(SeekFrom::Start(HEADER_LEN as u64 + length))
            .ok()?;
        let mut record = Vec::with_capacity(RECORD_LEN + 1);
        file.take(RECORD_LEN as u64 + 1)
            .read_to_end(&mut record)
            .ok()?;
        parse_record(&record)
    }
}

/// The [`BuildRecord`] after a framed payload of `payload_len` bytes, if any.
fn record_after(bytes: &[u8], payload_len: usize) -> Option<BuildRecord> {
    parse_record(bytes.get(HEADER_LEN + payload_len..)?)
}

/// The [`BuildRecord`] that `record` (everything after a payload) holds, if any.
fn parse_record(record: &[u8]) -> Option<BuildRecord> {
    if record.len() != RECORD_LEN {
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
    })?;
    // The new base makes a delta beside it stale (it names the old base, so it would be
    // ignored; removed so that it does not linger).
    delta::remove_stale_delta(path);
    Ok(())
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
    // The delta and the graph are decoded while the other core checks the checksum
    // (for 100,000 articles, 30-80 ms of delta and 30 ms of checksum off the load).
    let (_, _, graph) = unframe_while(&bytes, MAGIC, FORMAT_VERSION, path, |version, payload| {
        if version < FORMAT_VERSION {
            return Err(StoreError::OlderVersion {
                path: path.to_path_buf(),
                found: version,
            });
        }
        let delta = load_delta(path, &bytes)?;
        let applied = delta.as_ref().map(|(delta, _)| delta::Applied::new(delta));
        decode_sections(payload, path, applied.as_ref())
    })?;
    graph
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
    decode_sections(payload, path, None)
}

/// Checks the header written by [`write_framed_with`] (magic, version, length, checksum)
/// and returns the version and the payload.
pub(crate) fn unframe<'a>(
    bytes: &'a [u8],
    magic: &[u8; 8],
    supported: u32,
    path: &Path,
) -> Result<(u32, &'a [u8]), StoreError> {
    let (version, payload, ()) = unframe_while(bytes, magic, supported, path, |_, _| ())?;
    Ok((version, payload))
}

/// [`unframe`], with `decode` given the version and the payload while their checksum
/// is worked out on the other cores: what it made is returned only if the checksum
/// holds. (Decoding the 550 MB cache of 100,000 articles took 0.13 s, checking it 0.05 s.)
pub(crate) fn unframe_while<'a, T: Send>(
    bytes: &'a [u8],
    magic: &[u8; 8],
    supported: u32,
    path: &Path,
    decode: impl FnOnce(u32, &'a [u8]) -> T + Send,
) -> Result<(u32, &'a [u8], T), StoreError> {
    let FrameHead {
        version,
        checksum,
        payload,
    } = frame_head(bytes, magic, supported, path)?;
    let (decoded, crc) = rayon::join(|| decode(version, payload), || crc32_on_every_core(payload));
    if crc != checksum {
        return Err(StoreError::Corrupted {
            path: path.to_path_buf(),
        });
    }
    Ok((version, payload, decoded))
}

/// The header written by [`write_framed_with`], and the payload it frames.
pub(crate) struct FrameHead<'a> {
    pub version: u32,
    /// The CRC-32 the payload should have (not checked yet).
    pub checksum: u32,
    pub payload: &'a [u8],
}

/// Reads the header written by [`write_framed_with`], checking everything but the
/// checksum: the magic, a version not newer than `supported`, a payload as long as the
/// header says.
pub(crate) fn frame_head<'a>(
    bytes: &'a [u8],
    magic: &[u8; 8],
    supported: u32,
    path: &Path,
) -> Result<FrameHead<'a>, StoreError> {
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
    Ok(FrameHead {
        version,
        checksum,
        payload: &payload[..length as usize],
    })
}

/// The CRC-32 of `bytes`, in pieces on every core, combined in order: checking a
/// 500 MB cache or graph took one core 50 ms.
fn crc32_on_every_core(bytes: &[u8]) -> u32 {
    use rayon::prelude::*;
    // Pieces small enough to spread over the cores even when one of them is busy
    // (a build checks its cache while it lists the corpus).
    const PIECE: usize = 16 << 20;
    let pieces: Vec<crc32fast::Hasher> = bytes
        .par_chunks(PIECE)
        .map(|piece| {
            let mut hasher = crc32fast::Hasher::new();
            hasher.update(piece);
            hasher
        })
        .collect();
    let mut whole = crc32fast::Hasher::new();
    for piece in &pieces {
        whole.combine(piece);
    }
    whole.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphRead, NodeData, RelType};

    #[test]
    fn a_checksum_in_pieces_is_the_checksum_of_the_whole() {
        let mut next = crate::extract::testing::numbers(3);
        for len in [0, 1, (16 << 20) - 1, 16 << 20, (40 << 20) + 5] {
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            assert_eq!(
                crc32_on_every_core(&bytes),
                crc32fast::hash(&bytes),
                "{len}"
            );
        }
    }

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
            let prefix = sequence_prefix(count);
            let mut bytes = prefix.bytes[..prefix.len].to_vec();
            encode_rows(edges.iter().copied(), &mut bytes, encode_edge);
            assert_eq!(bytes, postcard::to_stdvec(&edges).unwrap(), "{count} edges");
            let mentions: Vec<MentionRow> = (0..count)
                .map(|_| (number(), number(), number(), number(), number(), number()))
                .collect();
            let mut bytes = prefix.bytes[..prefix.len].to_vec();
            encode_rows(mentions.iter().copied(), &mut bytes, encode_mention);
            assert_eq!(
                bytes,
                postcard::to_stdvec(&mentions).unwrap(),
                "{count} mentions"
            );
        }
    }

    /// The payload as a plain single-threaded encoding gives it: every section collected
    /// whole and handed to postcard, strings numbered as they are met.
    fn reference_payload(graph: &KnowledgeGraph, later: &[(NodeId, NodeId, RelType)]) -> Vec<u8> {
        let places = Places::of(graph);
        let place = |id: NodeId| places.get(id.index()).unwrap();
        let mut table = StringTable::default();
        let nodes: Vec<NodeOut> = graph
            .nodes()
            .iter()
            .map(|node| node_out(node, |text| table.intern(text)))
            .collect();
        let mut edges: Vec<EdgeRow> = Vec::new();
        for id in graph.graph.edge_indices() {
            let (from, to) = graph.graph.edge_endpoints(id).unwrap();
            let edge = &graph.graph[id];
            let (set, numbers, text) = edge.parts();
            let text = text.map_or(0, |t| table.intern(t) + 1);
            edges.push((place(from), place(to), edge.rel, set, numbers, text));
        }
        for (from, to, rel) in later {
            edges.push((place(*from), place(*to), *rel, 0, [0; 3], 0));
        }
        let mentions: Vec<MentionRow> = graph
            .mentions
            .iter()
            .filter(|m| places.keeps(m))
            .map(|m| {
                let rule = table.intern(m.rule);
                (m.node, m.document, rule, m.sentence, m.start, m.end)
            })
            .collect();
        let strings: Vec<&str> = table.strings.iter().map(|s| s.as_str()).collect();
        let sections = [
            postcard::to_stdvec(&nodes).unwrap(),
            postcard::to_stdvec(&edges).unwrap(),
            postcard::to_stdvec(&mentions).unwrap(),
            postcard::to_stdvec(&strings).unwrap(),
        ];
        let mut payload = sections.concat();
        for section in &sections {
            payload.extend_from_slice(&(section.len() as u64).to_le_bytes());
        }
        payload
    }

    /// A graph whose every section spans several chunks, with strings first used late
    /// in a section, and links to add while saving.
    fn graph_of_many_chunks() -> (KnowledgeGraph, Vec<(NodeId, NodeId, RelType)>) {
        let mut graph = KnowledgeGraph::new();
        let mut next = crate::extract::testing::numbers(11);
        let nodes = 3 * NODE_CHUNK_ROWS + 100;
        let mut claims = Vec::new();
        for i in 0..nodes {
            let data = if i % 3 == 0 {
                NodeData::Person {
                    roles: vec![format!("role {}", i % 7)],
                }
            } else {
                // Rules repeat; every claim of the last chunk has a rule of its own.
                let rule = if i > nodes - NODE_CHUNK_ROWS / 2 {
                    format!("late.rule.{i}")
                } else {
                    format!("rule.{}", i % 40)
                };
                NodeData::Claim(Box::new(crate::graph::Claim {
                    quote: (i % 5 == 0).then(|| format!("quote {i}")),
                    topic: crate::graph::Topic::Desertion,
                    quantity: Some(format!("{}", i * 3)),
                    low: Some(i as f64),
                    high: (i % 2 == 0).then_some(i as f64 * 1.5),
                    unit: Some("soldiers".into()),
                    period: None,
                    time: (i % 4 == 0).then(|| "in October".into()),
                    hedged: i % 6 == 1,
                    rule: ustr::ustr(&rule),
                    document: ustr::ustr(&format!("doc{}.txt", i / 9)),
                    sentence: i as u32 % 50,
                    start: i as u32,
                    end: i as u32 + 40,
                }))
            };
            let id = graph.add_node(Node {
                name: format!("node {i}"),
                aliases: if i % 10 == 0 {
                    vec![format!("alias {i}")]
                } else {
                    vec![]
                },
                data,
            });
            if i % 3 != 0 {
                claims.push(id);
            }
        }
        let edges = 2 * ROW_CHUNK_ROWS + 500;
        for i in 0..edges {
            let from = NodeId::new((next() % nodes as u64) as usize);
            let to = NodeId::new((next() % nodes as u64) as usize);
            let rel = RelType::ALL[i % RelType::ALL.len()];
            let text = (i > edges - 1000).then(|| format!("late.edge.{}", i % 3));
            let text = text.unwrap_or_else(|| format!("edge.rule.{}", i % 30));
            let numbers = [next() as u32, next() as u32 >> 20, i as u32];
            let edge = Edge::from_parts(rel, next() as u8, numbers, Some(ustr::ustr(&text)));
            graph.add_edge(from, to, edge);
        }
        for i in 0..2 * ROW_CHUNK_ROWS + 300 {
            let rule = if i % 1000 == 999 {
                format!("late.mention.{i}")
            } else {
                format!("mention.rule.{}", i % 20)
            };
            graph.mentions.push(MentionRecord {
                node: (next() % nodes as u64) as u32,
                document: (next() % nodes as u64) as u32,
                sentence: i as u32 % 30,
                start: next() as u32 >> 8,
                end: next() as u32 >> 8,
                rule: ustr::ustr(&rule),
            });
        }
        let mut later = Vec::new();
        for pair in claims.windows(2) {
            let rel = if pair[0].index() % 2 == 0 {
                RelType::Corroborates
            } else {
                RelType::Contradicts
            };
            later.push((pair[0], pair[1], rel));
        }
        assert!(later.len() > ROW_CHUNK_ROWS / 8);
        (graph, later)
    }

    /// Sections encoded in chunks on several cores are byte for byte what a plain
    /// single-threaded encoding gives, and load back.
    #[test]
    fn chunked_sections_are_the_plain_encoding() {
        let (graph, later) = graph_of_many_chunks();
        let mut payload = Vec::new();
        let edges = write_sections(&graph, || later.clone(), &mut payload).unwrap();
        assert_eq!(edges as usize, graph.edge_count() + later.len());
        let reference = reference_payload(&graph, &later);
        assert_eq!(payload.len(), reference.len());
        assert!(payload == reference, "the chunked encoding differs");

        // What loads is the graph with the links added, without holes: saved again,
        // it gives the same bytes.
        let loaded = decode_sections(&payload, Path::new("g.cgraph"), None).unwrap();
        assert_eq!(loaded.node_count(), graph.node_count());
        assert_eq!(loaded.edge_count(), edges as usize);
        let mut again = Vec::new();
        write_sections(&loaded, Vec::new, &mut again).unwrap();
        assert!(again == payload, "the loaded graph saves differently");
    }

    /// A save from parallel code, on a pool of one thread, runs the chunks it waits for
    /// itself instead of waiting forever.
    #[test]
    fn a_save_inside_a_pool_of_one_thread_finishes() {
        let (graph, _) = graph_of_many_chunks();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let payload = pool.install(|| {
            let mut payload = Vec::new();
            write_sections(&graph, Vec::new, &mut payload).unwrap();
            payload
        });
        assert!(payload == reference_payload(&graph, &[]));
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

    /// `mentions` is open to any code, so a record naming a node the graph does not
    /// have is left out of the file rather than written as a row no load accepts.
    #[test]
    fn a_mention_of_a_node_past_the_last_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph");
        let mut graph = graph_with_claim();
        let kept = graph.mentions.clone();
        let mut stray = kept[0].clone();
        stray.node = graph.node_count() as u32 + 5;
        graph.mentions.insert(1, stray);
        save(&graph, &path).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.mentions, kept);
        assert_eq!(nodes_and_edges(&loaded), nodes_and_edges(&graph));
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

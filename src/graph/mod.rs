//! The knowledge graph: a petgraph `StableGraph` of [`Node`]s and [`Edge`]s with a
//! name-and-alias index, saved to and loaded from one versioned file.
//!
//! Other stages read the graph through [`GraphRead`], so the query engine can be tested
//! on small hand-built graphs.

mod model;
pub(crate) mod store;

pub use model::*;
pub use store::{
    check_overwritable, decode, load, moved, save, save_delta, save_linked, BaseId, BuildRecord,
    Edit, GraphDelta, StoreError, FORMAT_VERSION, MAGIC,
};

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableGraph};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use unicode_normalization::UnicodeNormalization;

pub type NodeId = NodeIndex<u32>;
pub type EdgeId = EdgeIndex<u32>;

/// The key names are indexed and looked up by: lower case, without diacritics, with
/// typographic apostrophes and dashes made plain and whitespace collapsed, so that
/// "António Guterres", "antonio guterres" and "ANTONIO  GUTERRES" meet.
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    name_key_into(name, &mut key);
    key
}

/// Appends the [`name_key`] of `name` to `out`: resolution works out the keys of every
/// mention of a document into one buffer rather than a string each.
pub fn name_key_into(name: &str, out: &mut String) {
    if name.is_ascii() {
        ascii_name_key(name, out);
    } else {
        general_name_key(name, out);
    }
}

/// [`name_key`] of an ASCII name, the common case: no decomposition is needed, so the
/// bytes are folded directly (builds and lookups call this for every mention).
fn ascii_name_key(name: &str, out: &mut String) {
    if is_plain(name.as_bytes()) {
        let start = out.len();
        out.push_str(name);
        out[start..].make_ascii_lowercase();
        return;
    }
    out.reserve(name.len());
    fold_ascii(name.as_bytes(), |byte| out.push(char::from(byte)));
}

/// [`name_key`] of a name of ASCII bytes, appended to `out`: resolution folds a
/// document's names as bytes and checks the whole as UTF-8 once (the same folding as
/// `ascii_name_key`).
pub fn push_ascii_name_key(name: &[u8], out: &mut Vec<u8>) {
    debug_assert!(name.is_ascii());
    if is_plain(name) {
        let start = out.len();
        out.extend_from_slice(name);
        out[start..].make_ascii_lowercase();
        return;
    }
    out.reserve(name.len());
    fold_ascii(name, |byte| out.push(byte));
}

/// Emits the key bytes of an ASCII name that is not plain: lower case, whitespace runs
/// as one space between words, a backquote as an apostrophe.
fn fold_ascii(name: &[u8], mut emit: impl FnMut(u8)) {
    let mut started = false;
    let mut pending_space = false;
    for &byte in name {
        // The ASCII characters `char::is_whitespace` accepts: \t \n \x0B \x0C \r and space.
        if matches!(byte, b'\t'..=b'\r' | b' ') {
            pending_space = started;
            continue;
        }
        if pending_space {
            emit(b' ');
            pending_space = false;
        }
        emit(match byte {
            b'`' => b'\'',
            _ => byte.to_ascii_lowercase(),
        });
        started = true;
    }
}

/// Whether an ASCII name is its key once in lower case, as most are: single spaces
/// between words, none at either end, no backquote.
fn is_plain(name: &[u8]) -> bool {
    // Folds with `|`, not searches that stop early: no branch per byte.
    let odd = name.iter().fold(false, |odd, &byte| {
        odd | (byte == b'`') | (byte.wrapping_sub(b'\t') <= b'\r' - b'\t')
    });
    let doubled = name
        .iter()
        .zip(name.iter().skip(1))
        .fold(false, |doubled, (&a, &b)| {
            doubled | ((a == b' ') & (b == b' '))
        });
    !odd && !doubled && name.first() != Some(&b' ') && name.last() != Some(&b' ')
}

fn general_name_key(name: &str, out: &mut String) {
    out.reserve(name.len());
    let start = out.len();
    let mut pending_space = false;
    for c in name.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = match c {
            '\u{2019}' | '\u{2018}' | '`' => '\'',
            '\u{2010}'..='\u{2015}' => '-',
            _ => c,
        };
        if c.is_whitespace() {
            pending_space = out.len() > start;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(c.to_lowercase());
    }
}

/// Read-only access to a graph: everything the query engine and the exports need.
pub trait GraphRead {
    fn node(&self, id: NodeId) -> &Node;
    fn edge(&self, id: EdgeId) -> &Edge;
    /// The label of a node (what `node(id).label()` gives, perhaps without reading it).
    fn label(&self, id: NodeId) -> Label {
        self.node(id).label()
    }
    /// Every node id, in ascending order.
    fn node_ids(&self) -> Vec<NodeId>;
    fn nodes_with_label(&self, label: Label) -> Vec<NodeId>;
    /// Edges leaving `id`, optionally of one type: (edge, other end).
    fn outgoing(&self, id: NodeId, rel: Option<RelType>) -> Vec<(EdgeId, NodeId)>;
    /// Edges arriving at `id`, optionally of one type: (edge, other end).
    fn incoming(&self, id: NodeId, rel: Option<RelType>) -> Vec<(EdgeId, NodeId)>;
    /// How many edges leave (`outgoing`) or arrive at `id`, of every type: lets the query
    /// engine walk a link from its quieter end.
    fn degree(&self, id: NodeId, outgoing: bool) -> usize {
        if outgoing {
            self.outgoing(id, None).len()
        } else {
            self.incoming(id, None).len()
        }
    }
    fn endpoints(&self, id: EdgeId) -> (NodeId, NodeId);
    /// Every edge id, in ascending order.
    fn edge_ids(&self) -> Vec<EdgeId>;
    /// Nodes whose name or one of whose aliases has the same [`name_key`] as `name`.
    fn lookup(&self, name: &str) -> Vec<NodeId>;
    /// All indexed names (canonical names and aliases) with their nodes, for suggestions
    /// and completion.
    fn indexed_names(&self) -> Vec<(&str, NodeId)>;
}

/// The petgraph graph underneath a [`KnowledgeGraph`]: its edges, and for each node only
/// the heads of its two edge lists. The nodes themselves sit in [`KnowledgeGraph`]'s own
/// array: with them inside, a petgraph node slot took about 100 bytes, so linking an
/// edge to its two ends (every edge of a file being loaded, every edge a build adds) and
/// starting a walk of a node's edges read slots spread over 140 MB at 100,000 articles;
/// empty, a slot takes 12 bytes and the slots of 1.4 million nodes take 16 MB. (Linking
/// the 11.3 million edges of that graph went from 0.79 to 0.55 s.)
type PetGraph = StableGraph<(), Edge, petgraph::Directed, u32>;

/// The graph with its indexes and the provenance of every mention.
#[derive(Clone, Debug, Default)]
pub struct KnowledgeGraph {
    graph: PetGraph,
    /// The nodes by index (`graph` has a slot of the same index for each).
    nodes: Vec<Node>,
    /// name key -> the nodes with that name or alias, and one spelling of it.
    name_index: HashMap<String, IndexedName>,
    /// Nodes of each label in ascending id order (the graph never removes nodes), so a
    /// label scan does not walk every node.
    by_label: [Vec<NodeId>; Label::ALL.len()],
    /// The label of each node by index: a query checks labels of thousands of nodes,
    /// and reading a label here is not a cache miss as reading the node is.
    labels: Vec<Label>,
    /// Where each entity was named.
    pub mentions: Vec<MentionRecord>,
    /// The edges of busy nodes grouped by type, made on first need (see [`HubLists`]).
    hubs: HubLists,
    /// (outgoing, incoming) edge counts per node index, kept by `add_edge`.
    degrees: Vec<(u32, u32)>,
}

/// The nodes with one name key, and the first spelling of it indexed (for suggestions).
/// One hash map for both: a sorted map of spellings beside it cost half the time of
/// indexing a name (a build indexes every document and entity); the few readers that
/// want the keys in order sort them.
#[derive(Clone, Debug, Default)]
struct IndexedName {
    spelling: String,
    nodes: Vec<NodeId>,
}

/// A node with at least this many edges in one direction is a hub.
const HUB_DEGREE: usize = 256;

/// The edges of the busy nodes (a capital named in thousands of articles), grouped by
/// type in edge order, each hub's made on the first walk of it. petgraph keeps a node's
/// edges in one linked list, so asking a hub for its few `LOCATED_IN` edges would walk
/// all of its `ABOUT` and `MENTIONED_IN` edges (a cache miss each), for every row of a
/// query. Quiet nodes are walked in petgraph: listing all nodes' edges up front would
/// cost a one-off query on a large graph more than the query. A new edge drops the
/// lists of its two ends.
#[derive(Default)]
struct HubLists(Mutex<HashMap<(NodeId, bool), Arc<EdgesByType>>>);

/// One node's edges in one direction, one list per relationship type (indexed by
/// `RelType as usize`), each in edge order, and last ([`ALL_TYPES`]) all of them in
/// edge order, for walks of every type (a path search).
type EdgesByType = Vec<Vec<(EdgeId, NodeId)>>;

/// The place of the list of every type in [`EdgesByType`].
const ALL_TYPES: usize = RelType::ALL.len();

impl Clone for HubLists {
    /// A copy starts without lists (they are made again as needed).
    fn clone(&self) -> HubLists {
        HubLists::default()
    }
}

impl std::fmt::Debug for HubLists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HubLists")
    }
}

impl HubLists {
    /// The lists of hub `id` in `direction`, made from petgraph's list on first need.
    fn of(&self, graph: &PetGraph, id: NodeId, direction: Direction) -> Arc<EdgesByType> {
        let key = (id, direction == Direction::Outgoing);
        // A poisoned lock only means a panic elsewhere; the lists are still whole.
        let mut lists = self.0.lock().unwrap_or_else(|e| e.into_inner());
        lists
            .entry(key)
            .or_insert_with(|| {
                let mut by_type: EdgesByType = vec![Vec::new(); ALL_TYPES + 1];
                for edge in graph.edges_directed(id, direction) {
                    let other = other_end(&edge, direction);
                    by_type[edge.weight().rel as usize].push((edge.id(), other));
                }
                // petgraph lists edges newest first.
                by_type.iter_mut().for_each(|list| list.sort_unstable());
                let mut all = by_type.concat();
                all.sort_unstable();
                by_type[ALL_TYPES] = all;
                Arc::new(by_type)
            })
            .clone()
    }

    /// Drops the lists a new edge from `from` to `to` would change.
    fn forget(&mut self, from: NodeId, to: NodeId) {
        let lists = self.0.get_mut().unwrap_or_else(|e| e.into_inner());
        if !lists.is_empty() {
            lists.remove(&(from, true));
            lists.remove(&(to, false));
        }
    }
}

/// The end of an edge walked in `direction` that is not the node walked from.
fn other_end(
    edge: &petgraph::stable_graph::EdgeReference<'_, Edge, u32>,
    direction: Direction,
) -> NodeId {
    match direction {
        Direction::Outgoing => edge.target(),
        Direction::Incoming => edge.source(),
    }
}

/// Node and edge counts per label and type, for `stats`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct GraphStats {
    pub nodes: BTreeMap<Label, usize>,
    pub edges: BTreeMap<RelType, usize>,
    pub mentions: usize,
}

/// The kinds with a count above zero, from counts indexed as `kinds`.
fn counted<K: Ord, const N: usize>(kinds: [K; N], counts: [usize; N]) -> BTreeMap<K, usize> {
    kinds
        .into_iter()
        .zip(counts)
        .filter(|(_, count)| *count > 0)
        .collect()
}

impl GraphStats {
    pub fn node_total(&self) -> usize {
        self.nodes.values().sum()
    }

    pub fn edge_total(&self) -> usize {
        self.edges.values().sum()
    }
}

impl KnowledgeGraph {
    pub fn new() -> KnowledgeGraph {
        KnowledgeGraph::default()
    }

    /// An empty graph with room for this many nodes and edges (loading a file knows).
    pub fn with_capacity(nodes: usize, edges: usize) -> KnowledgeGraph {
        KnowledgeGraph {
            graph: StableGraph::with_capacity(nodes, edges),
            nodes: Vec::with_capacity(nodes),
            ..KnowledgeGraph::default()
        }
    }

    pub fn add_node(&mut self, node: Node) -> NodeId {
        // The graph never removes nodes, so the next node takes the next index.
        let id = NodeId::new(self.nodes.len());
        self.index_node(id, &node);
        self.nodes.push(node);
        let added = self.graph.add_node(());
        debug_assert_eq!(added, id);
        id
    }

    /// Enters a node in the label and name indexes under `id` (loading a file does this
    /// apart from putting the node in the graph, on another core).
    fn index_node(&mut self, id: NodeId, node: &Node) {
        let label = node.label();
        self.by_label[label as usize].push(id);
        if self.labels.len() <= id.index() {
            self.labels.resize(id.index() + 1, label);
        }
        self.labels[id.index()] = label;
        if label != Label::Claim {
            self.index_name(&node.name, id);
            for alias in &node.aliases {
                self.index_name(alias, id);
            }
        }
    }

    /// Adds an alias to a node and indexes it.
    /// Adds `alias` to the node unless it is its name or one of its aliases already;
    /// whether it did.
    pub fn add_alias(&mut self, id: NodeId, alias: &str) -> bool {
        let node = &mut self.nodes[id.index()];
        if node.name == alias || node.aliases.iter().any(|a| a == alias) {
            return false;
        }
        node.aliases.push(alias.to_string());
        self.index_name(alias, id);
        true
    }

    /// The name keys of every node's names and aliases.
    pub fn name_keys(&self) -> impl Iterator<Item = &str> {
        self.name_index.keys().map(String::as_str)
    }

    fn index_name(&mut self, name: &str, id: NodeId) {
        let key = name_key(name);
        if key.is_empty() {
            return;
        }
        match self.name_index.get_mut(&key) {
            Some(indexed) => {
                if !indexed.nodes.contains(&id) {
                    indexed.nodes.push(id);
                }
            }
            None => {
                let indexed = IndexedName {
                    spelling: name.to_string(),
                    nodes: vec![id],
                };
                self.name_index.insert(key, indexed);
            }
        }
    }

    pub fn add_edge(&mut self, from: NodeId, to: NodeId, edge: Edge) -> EdgeId {
        self.hubs.forget(from, to);
        let needed = from.index().max(to.index()) + 1;
        if self.degrees.len() < needed {
            self.degrees.resize(needed, (0, 0));
        }
        self.degrees[from.index()].0 += 1;
        self.degrees[to.index()].1 += 1;
        self.graph.add_edge(from, to, edge)
    }

    /// Adds many edges at once (loading a file): the degree counts are sized once.
    pub fn extend_edges(&mut self, edges: impl Iterator<Item = (NodeId, NodeId, Edge)>) {
        self.hubs = HubLists::default();
        let bound = self.nodes.len();
        if self.degrees.len() < bound {
            self.degrees.resize(bound, (0, 0));
        }
        // An edge to a node that is not there is skipped (petgraph would panic); the
        // file reader has already refused such files.
        for (from, to, edge) in edges {
            if from.index() < bound && to.index() < bound {
                self.degrees[from.index()].0 += 1;
                self.degrees[to.index()].1 += 1;
                self.graph.add_edge(from, to, edge);
            }
        }
    }

    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.index()]
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Every node, by index (the store writes them in this order).
    pub(crate) fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The document node with this id, if the graph has it.
    pub fn document(&self, id: &str) -> Option<NodeId> {
        self.lookup(id)
            .into_iter()
            .find(|n| self.node(*n).label() == Label::Document && self.node(*n).name == id)
    }

    pub fn stats(&self) -> GraphStats {
        // Counted in arrays first: a map entry per element was a tenth of a rebuild's
        // own work at eleven million edges.
        let mut nodes = [0usize; Label::ALL.len()];
        for node in &self.nodes {
            nodes[node.label() as usize] += 1;
        }
        let mut edges = [0usize; RelType::ALL.len()];
        for edge in self.graph.edge_weights() {
            edges[edge.rel as usize] += 1;
        }
        GraphStats {
            nodes: counted(Label::ALL, nodes),
            edges: counted(RelType::ALL, edges),
            mentions: self.mentions.len(),
        }
    }

    fn adjacent(
        &self,
        id: NodeId,
        rel: Option<RelType>,
        direction: Direction,
    ) -> Vec<(EdgeId, NodeId)> {
        if self.degree(id, direction == Direction::Outgoing) >= HUB_DEGREE {
            let lists = self.hubs.of(&self.graph, id, direction);
            return lists[rel.map_or(ALL_TYPES, |r| r as usize)].clone();
        }
        let mut edges: Vec<(EdgeId, NodeId)> = self
            .graph
            .edges_directed(id, direction)
            .filter(|e| rel.is_none_or(|r| e.weight().rel == r))
            .map(|e| (e.id(), other_end(&e, direction)))
            .collect();
        // petgraph lists edges newest first; answers are easier to read in edge order.
        edges.sort_unstable();
        edges
    }
}

impl GraphRead for KnowledgeGraph {
    fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    fn edge(&self, id: EdgeId) -> &Edge {
        &self.graph[id]
    }

    fn label(&self, id: NodeId) -> Label {
        match self.labels.get(id.index()) {
            Some(label) => *label,
            None => self.nodes[id.index()].label(),
        }
    }

    fn node_ids(&self) -> Vec<NodeId> {
        (0..self.nodes.len()).map(NodeId::new).collect()
    }

    fn nodes_with_label(&self, label: Label) -> Vec<NodeId> {
        self.by_label[label as usize].clone()
    }

    fn outgoing(&self, id: NodeId, rel: Option<RelType>) -> Vec<(EdgeId, NodeId)> {
        self.adjacent(id, rel, Direction::Outgoing)
    }

    fn incoming(&self, id: NodeId, rel: Option<RelType>) -> Vec<(EdgeId, NodeId)> {
        self.adjacent(id, rel, Direction::Incoming)
    }

    fn degree(&self, id: NodeId, outgoing: bool) -> usize {
        self.degrees.get(id.index()).map_or(0, |(out, inc)| {
            if outgoing {
                *out as usize
            } else {
                *inc as usize
            }
        })
    }

    fn endpoints(&self, id: EdgeId) -> (NodeId, NodeId) {
        self.graph
            .edge_endpoints(id)
            .expect("edge ids handed out by this graph are valid")
    }

    fn edge_ids(&self) -> Vec<EdgeId> {
        self.graph.edge_indices().collect()
    }

    fn lookup(&self, name: &str) -> Vec<NodeId> {
        self.name_index
            .get(&name_key(name))
            .map(|indexed| indexed.nodes.clone())
            .unwrap_or_default()
    }

    fn indexed_names(&self) -> Vec<(&str, NodeId)> {
        // In key order, each key's nodes in the order they were indexed.
        let mut names: Vec<(&String, &IndexedName)> = self.name_index.iter().collect();
        names.sort_unstable_by(|a, b| a.0.cmp(b.0));
        names
            .into_iter()
            .flat_map(|(_, indexed)| {
                let spelling = indexed.spelling.as_str();
                indexed.nodes.iter().map(move |id| (spelling, *id))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_key_folds_case_accents_and_apostrophes() {
        assert_eq!(name_key("António  Guterres"), "antonio guterres");
        assert_eq!(name_key("Ukraine\u{2019}s"), "ukraine's");
        assert_eq!(name_key(" Kyiv "), "kyiv");
    }

    #[test]
    fn the_ascii_name_key_agrees_with_the_general_one() {
        // Each appends to what is already there, as resolution's buffer holds other keys.
        let fold = |name: &str, key: fn(&str, &mut String)| {
            let mut out = String::from("Ab c");
            key(name, &mut out);
            out.split_off(4)
        };
        let ascii = |name: &str| fold(name, ascii_name_key);
        let general = |name: &str| fold(name, general_name_key);
        for name in [
            "",
            "  Kyiv ",
            "ANTONIO  GUTERRES",
            "O`Brien\t \n\x0b\x0cCo.",
            "58th Army\r\n",
            "\x1f Odd \x7f",
            " a  b ",
        ] {
            assert_eq!(ascii(name), general(name), "{name:?}");
        }
        let pieces = [
            "A", "b", "Z", " ", "  ", "\t", "\n", "`", "'", "-", ".", "7",
        ];
        for name in crate::extract::testing::random_texts(&pieces, 11, 20_000, 9) {
            assert_eq!(ascii(&name), general(&name), "{name:?}");
            let mut bytes = b"Ab c".to_vec();
            push_ascii_name_key(name.as_bytes(), &mut bytes);
            assert_eq!(bytes[4..], *name_key(&name).as_bytes(), "{name:?}");
        }
    }

    /// A node's edges as petgraph lists them, in edge order: what the arrays must give.
    fn walked(
        graph: &KnowledgeGraph,
        id: NodeId,
        rel: Option<RelType>,
        direction: Direction,
    ) -> Vec<(EdgeId, NodeId)> {
        let mut edges: Vec<(EdgeId, NodeId)> = graph
            .graph
            .edges_directed(id, direction)
            .filter(|e| rel.is_none_or(|r| e.weight().rel == r))
            .map(|e| match direction {
                Direction::Outgoing => (e.id(), e.target()),
                Direction::Incoming => (e.id(), e.source()),
            })
            .collect();
        edges.sort_unstable();
        edges
    }

    #[test]
    fn hub_lists_answer_as_petgraph_while_edges_are_added() {
        let place = |name: &str| Node {
            name: name.into(),
            aliases: vec![],
            data: NodeData::Place(Box::new(PlaceData {
                kind: "city".into(),
                country: None,
                lat: None,
                lon: None,
            })),
        };
        let mut graph = KnowledgeGraph::new();
        let nodes: Vec<NodeId> = (0..50)
            .map(|i| graph.add_node(place(&format!("P{i}"))))
            .collect();
        let mut state = 7u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        let rels = [RelType::About, RelType::LocatedIn, RelType::MentionedIn];
        let check = |graph: &KnowledgeGraph| {
            for id in &nodes {
                for rel in [None, Some(RelType::About), Some(RelType::LocatedIn)] {
                    for direction in [Direction::Outgoing, Direction::Incoming] {
                        let expected = walked(graph, *id, rel, direction);
                        let got = match direction {
                            Direction::Outgoing => graph.outgoing(*id, rel),
                            Direction::Incoming => graph.incoming(*id, rel),
                        };
                        assert_eq!(got, expected, "{id:?} {rel:?} {direction:?}");
                    }
                }
            }
        };
        // Node 0 is a hub; the rest are linked at random, with self-links.
        let mut add = |graph: &mut KnowledgeGraph, count: usize| {
            for _ in 0..count {
                let from = nodes[next() % nodes.len()];
                let to = if next() % 3 == 0 {
                    nodes[0]
                } else {
                    nodes[next() % nodes.len()]
                };
                graph.add_edge(from, to, Edge::new(rels[next() % rels.len()]));
            }
        };
        let hub_listed = |graph: &KnowledgeGraph| {
            graph
                .hubs
                .0
                .lock()
                .unwrap()
                .contains_key(&(nodes[0], false))
        };
        add(&mut graph, 3000);
        assert!(graph.degree(nodes[0], false) >= HUB_DEGREE);
        assert!(!hub_listed(&graph));
        check(&graph);
        assert!(hub_listed(&graph), "walking the hub made its lists");
        check(&graph);
        // New edges drop the lists of their ends, and are seen.
        add(&mut graph, 500);
        check(&graph);
        graph.add_edge(nodes[1], nodes[0], Edge::new(RelType::LocatedIn));
        assert!(!hub_listed(&graph));
        check(&graph);
    }

    #[test]
    fn indexed_names_come_in_key_order_with_the_first_spelling() {
        let mut graph = KnowledgeGraph::new();
        let person = |name: &str, aliases: &[&str]| Node {
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            data: NodeData::Person { roles: Vec::new() },
        };
        let b = graph.add_node(person("Bravo", &["ALPHA"]));
        let a = graph.add_node(person("alpha", &[]));
        let c = graph.add_node(person("Charlie", &["bravo"]));
        assert_eq!(
            graph.indexed_names(),
            vec![
                ("ALPHA", b),
                ("ALPHA", a),
                ("Bravo", b),
                ("Bravo", c),
                ("Charlie", c)
            ]
        );
    }

    #[test]
    fn lookup_finds_nodes_by_alias() {
        let mut graph = KnowledgeGraph::new();
        let kyiv = graph.add_node(Node {
            name: "Kyiv".into(),
            aliases: vec!["Kiev".into()],
            data: NodeData::Place(Box::new(PlaceData {
                kind: "city".into(),
                country: Some("Ukraine".into()),
                lat: None,
                lon: None,
            })),
        });
        assert_eq!(graph.lookup("KIEV"), vec![kyiv]);
        assert!(graph.lookup("Lviv").is_empty());
    }

    #[test]
    fn label_index_lists_each_label_in_id_order_after_a_round_trip() {
        let mut graph = KnowledgeGraph::new();
        let person = |name: &str| Node {
            name: name.into(),
            aliases: Vec::new(),
            data: NodeData::Person { roles: Vec::new() },
        };
        let a = graph.add_node(person("A"));
        let place = graph.add_node(Node {
            name: "Kyiv".into(),
            aliases: Vec::new(),
            data: NodeData::Place(Box::new(PlaceData {
                kind: "city".into(),
                country: None,
                lat: None,
                lon: None,
            })),
        });
        let b = graph.add_node(person("B"));
        assert_eq!(graph.nodes_with_label(Label::Person), vec![a, b]);
        assert_eq!(graph.nodes_with_label(Label::Place), vec![place]);
        assert!(graph.nodes_with_label(Label::Claim).is_empty());
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("g.cgraph");
        save(&graph, &file).unwrap();
        let loaded = load(&file).unwrap();
        assert_eq!(loaded.nodes_with_label(Label::Person).len(), 2);
        assert_eq!(loaded.nodes_with_label(Label::Place).len(), 1);
    }
}

//! Canonical entities across the corpus, and the graph assembled from them.
//!
//! One node per real entity: places by gazetteer entry (with their region and country
//! linked by `LOCATED_IN`), places the gazetteer lacks, organizations and units by
//! canonical name, people by full name, a lone surname joined to the one person in the corpus who has it (and left on
//! its own when two people share it, rather than guessed).

mod conflicts;
pub mod probe;
pub mod rebuild;
mod relink;

pub use conflicts::ClaimLink;

use crate::corpus::Document;
use crate::extract::attribution::RelayKind;
use crate::extract::entities::{MentionIn, MentionKind};
use crate::extract::gazetteer::gazetteer;
use crate::extract::{ClaimIn, DocumentExtraction, ExtractionIn};
use crate::graph::{
    name_key, name_key_into, push_ascii_name_key, Claim, DocumentData, Edge, GraphRead,
    KnowledgeGraph, MentionRecord, Node, NodeData, NodeId, OrgKind, PlaceData, RelType, Topic,
};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::collections::HashMap;
use ustr::Ustr;

/// A change to what every later document's resolution sees, made by the first
/// document that makes it ([`Provenance`]): the rest of a document's part of the graph
/// (its document and claim nodes, their edges, its mention records) depends only on
/// these and on the document itself.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Effect {
    /// An organization, unit or person node, with the key it is found by.
    Created {
        node: NodeId,
        key: String,
    },
    /// A place node (and the `LOCATED_IN` edge to its parent).
    Place(NodeId),
    Alias(NodeId, String),
    Role(NodeId, String),
    /// An organization's kind, known at last (it was "other").
    Kind(NodeId, OrgKind),
    /// An `AFFILIATED_WITH` (with the role of the mention that made it) or `PART_OF`
    /// edge.
    Linked(NodeId, NodeId, RelType, Option<String>),
}

/// Where each document's part of the graph lies and what it changed first, in corpus
/// order: what a rebuild needs to keep the parts of unchanged documents.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Provenance {
    /// For each document: its first node, edge and mention record. A document's nodes,
    /// edges and mention records are one unbroken run each, up to the next document's.
    pub starts: Vec<[u32; 3]>,
    /// Document `i` made `effects[first_effect[i]..first_effect[i + 1]]` first.
    pub effects: Vec<Effect>,
    pub first_effect: Vec<u32>,
}

impl Provenance {
    /// Document `index`'s nodes, edges and mention records, as ranges of their ids;
    /// `ends`: the graph's counts of the three ([`Provenance::ends`]), where the last
    /// document's part ends (a graph's links come after every part: take the counts
    /// before linking).
    pub fn part(&self, index: usize, ends: [u32; 3]) -> [std::ops::Range<u32>; 3] {
        let next = self.starts.get(index + 1).copied().unwrap_or(ends);
        let start = self.starts[index];
        [start[0]..next[0], start[1]..next[1], start[2]..next[2]]
    }

    /// A graph's counts of nodes, edges and mention records.
    pub fn ends(graph: &KnowledgeGraph) -> [u32; 3] {
        [
            graph.node_count() as u32,
            graph.edge_count() as u32,
            graph.mentions.len() as u32,
        ]
    }

    /// The effects document `index` made first, in order.
    pub fn effects_of(&self, index: usize) -> &[Effect] {
        let end = self
            .first_effect
            .get(index + 1)
            .map_or(self.effects.len(), |e| *e as usize);
        &self.effects[self.first_effect[index] as usize..end]
    }
}

struct GraphBuilder {
    graph: KnowledgeGraph,
    /// What the current document changed first, appended to as it happens.
    effects: Vec<Effect>,
    /// Place nodes by gazetteer entry.
    places: Vec<Option<NodeId>>,
    /// Organization, unit, person and unlisted place nodes by the name key that
    /// identifies them.
    organizations: FxHashMap<String, NodeId>,
    units: FxHashMap<String, NodeId>,
    people: FxHashMap<String, NodeId>,
    unlisted_places: FxHashMap<String, NodeId>,
    /// Surname key -> the full-name key of the one person who has it, or `None` when
    /// several people do, to join lone surnames. (Not a list: a common surname is shared
    /// by hundreds of people in a large corpus, and only "exactly one" matters.)
    surnames: FxHashMap<String, Option<String>>,
    /// AFFILIATED_WITH and PART_OF links made so far, so each is made once without
    /// scanning a busy node's edges for every mention.
    links: FxHashSet<(NodeId, NodeId, RelType)>,
    /// The surnames (keys) that stood alone somewhere and were joined to their person:
    /// a rebuild may give such a surname a second owner only if none is here.
    joined: FxHashSet<String>,
}

impl GraphBuilder {
    fn place_node(&mut self, index: usize) -> NodeId {
        if let Some(Some(id)) = self.places.get(index) {
            return *id;
        }
        let entry = gazetteer().entry(index);
        let id = self.graph.add_node(gazetteer_node(index));
        if self.places.len() <= index {
            self.places.resize(index + 1, None);
        }
        self.places[index] = Some(id);
        self.effects.push(Effect::Place(id));
        if let Some(parent) = entry.parent {
            let parent_id = self.place_node(parent);
            self.graph
                .add_edge(id, parent_id, Edge::new(RelType::LocatedIn));
        }
        id
    }
}

/// The node of gazetteer entry `index`.
fn gazetteer_node(index: usize) -> Node {
    let entry = gazetteer().entry(index);
    Node {
        name: entry.name.clone(),
        aliases: entry.aliases.clone(),
        data: NodeData::Place(Box::new(PlaceData {
            kind: entry.kind.clone(),
            country: Some(entry.country.clone()),
            lat: Some(entry.lat),
            lon: Some(entry.lon),
        })),
    }
}

/// The node an organization, unit, person or unlisted place mention makes, named `name`.
fn entity_node_of(name: String, kind: MentionKind) -> Node {
    let data = match kind {
        MentionKind::Person => NodeData::Person { roles: Vec::new() },
        MentionKind::Organization(kind) => NodeData::Organization { kind },
        // Where it lies is unknown: no country, no coordinates, no LOCATED_IN.
        MentionKind::UnlistedPlace(kind) => NodeData::Place(Box::new(PlaceData {
            kind: kind.as_str().to_string(),
            country: None,
            lat: None,
            lon: None,
        })),
        _ => NodeData::Unit,
    };
    Node {
        name,
        aliases: Vec::new(),
        data,
    }
}

/// Gives a node an alias it lacks (one that is not its name either), as
/// `KnowledgeGraph::add_alias` does to a node of the graph; whether it did. For nodes
/// a rebuild makes outside a graph.
fn give_alias(node: &mut Node, alias: &str) -> bool {
    let lacks = node.name != alias && !node.aliases.iter().any(|a| a == alias);
    if lacks {
        node.aliases.push(alias.to_string());
    }
    lacks
}

/// Gives a person a role they lack; whether it did.
fn give_role(node: &mut Node, role: &str) -> bool {
    match &mut node.data {
        NodeData::Person { roles } if !roles.iter().any(|known| known == role) => {
            roles.push(role.to_string());
            true
        }
        _ => false,
    }
}

/// A known kind beats "other", found by a weaker rule elsewhere: gives an organization
/// of kind "other" the kind `found`; whether it did.
fn settle_kind(node: &mut Node, found: OrgKind) -> bool {
    match &mut node.data {
        NodeData::Organization { kind } if *kind == OrgKind::Other && found != OrgKind::Other => {
            *kind = found;
            true
        }
        _ => false,
    }
}

/// The edge of an `AFFILIATED_WITH` (with the role it was named with) or `PART_OF`
/// link.
fn link_edge(rel: RelType, role: Option<&str>) -> Edge {
    let edge = Edge::new(rel);
    match role {
        Some(role) => edge.with_text(role),
        None => edge,
    }
}

/// Which entities a mention's name key is looked up among.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Among {
    Organizations,
    Units,
    People,
    UnlistedPlaces,
}

/// The entity state that resolving a mention reads and changes: the graph builder's
/// own, or a probe's view of the state after an old corpus as a changed document saw
/// it ([`probe`]), which fails where the document would change what others see.
trait EntityState {
    type Error;

    /// The entity a mention names, made from it if it is not there yet: found by its
    /// name key, or for a lone surname by the full name of the one person in the corpus
    /// who has it.
    fn entity(
        &mut self,
        among: Among,
        mention: &PreparedMention,
        text: &str,
    ) -> Result<NodeId, Self::Error>;

    fn name(&self, id: NodeId) -> &str;

    /// `KnowledgeGraph::add_alias`: nothing when the node has that name or alias.
    fn alias(&mut self, id: NodeId, alias: &str) -> Result<(), Self::Error>;

    fn role(&mut self, id: NodeId, role: &str) -> Result<(), Self::Error>;

    /// A known kind beats "other", found by a weaker rule elsewhere.
    fn kind(&mut self, id: NodeId, found: OrgKind) -> Result<(), Self::Error>;

    fn place(&mut self, index: usize) -> Result<NodeId, Self::Error>;

    /// An `AFFILIATED_WITH` (with the role it was named with) or `PART_OF` link, unless
    /// the two entities have it already.
    fn link(
        &mut self,
        from: NodeId,
        to: NodeId,
        rel: RelType,
        role: Option<&str>,
    ) -> Result<(), Self::Error>;
}

impl EntityState for GraphBuilder {
    type Error = std::convert::Infallible;

    fn entity(
        &mut self,
        among: Among,
        mention: &PreparedMention,
        text: &str,
    ) -> Result<NodeId, Self::Error> {
        let GraphBuilder {
            graph,
            effects,
            organizations,
            units,
            people,
            unlisted_places,
            surnames,
            joined,
            ..
        } = self;
        let own_key = mention.key.of(text);
        let (entities, key) = match among {
            Among::Organizations => (organizations, own_key),
            Among::Units => (units, own_key),
            Among::People => (people, joined_key(surnames, own_key)),
            Among::UnlistedPlaces => (unlisted_places, own_key),
        };
        if key != own_key && !joined.contains(own_key) {
            joined.insert(own_key.to_string());
        }
        if let Some(id) = entities.get(key) {
            return Ok(*id);
        }
        let name = mention.name.of(text);
        // A lone surname joined to a full name takes that person's name.
        let name = if key != own_key {
            graph
                .lookup(key)
                .first()
                .map(|n| graph.node(*n).name.clone())
                .unwrap_or_else(|| name.to_string())
        } else {
            name.to_string()
        };
        let id = graph.add_node(entity_node_of(name, mention.kind));
        entities.insert(key.to_string(), id);
        effects.push(Effect::Created {
            node: id,
            key: key.to_string(),
        });
        Ok(id)
    }

    fn name(&self, id: NodeId) -> &str {
        &self.graph.node(id).name
    }

    fn alias(&mut self, id: NodeId, alias: &str) -> Result<(), Self::Error> {
        if self.graph.add_alias(id, alias) {
            self.effects.push(Effect::Alias(id, alias.to_string()));
        }
        Ok(())
    }

    fn role(&mut self, id: NodeId, role: &str) -> Result<(), Self::Error> {
        if give_role(self.graph.node_mut(id), role) {
            self.effects.push(Effect::Role(id, role.to_string()));
        }
        Ok(())
    }

    fn kind(&mut self, id: NodeId, found: OrgKind) -> Result<(), Self::Error> {
        if settle_kind(self.graph.node_mut(id), found) {
            self.effects.push(Effect::Kind(id, found));
        }
        Ok(())
    }

    fn place(&mut self, index: usize) -> Result<NodeId, Self::Error> {
        Ok(self.place_node(index))
    }

    fn link(
        &mut self,
        from: NodeId,
        to: NodeId,
        rel: RelType,
        role: Option<&str>,
    ) -> Result<(), Self::Error> {
        if self.links.insert((from, to, rel)) {
            self.effects
                .push(Effect::Linked(from, to, rel, role.map(str::to_string)));
            self.graph.add_edge(from, to, link_edge(rel, role));
        }
        Ok(())
    }
}

/// The key a person's name key is found by: for a lone surname, the full-name key of
/// the one person in the corpus who has it, if only one has it.
fn joined_key<'k>(surnames: &'k FxHashMap<String, Option<String>>, own_key: &'k str) -> &'k str {
    match surnames.get(own_key) {
        Some(Some(full)) if !own_key.contains(' ') => full.as_str(),
        _ => own_key,
    }
}

/// The links a document's mentions make between its entities: a person with the
/// organization or unit named as theirs (`AFFILIATED_WITH`, with the role), and a unit
/// with the formation it belongs to (`PART_OF`). `nodes` are the mentions' entities.
fn link_entities<S: EntityState>(
    state: &mut S,
    mentions: &[PreparedMention],
    nodes: &[NodeId],
    part_of: &[(usize, usize)],
    text: &str,
) -> Result<(), S::Error> {
    for (mention, node) in mentions.iter().zip(nodes) {
        if let Some(affiliation) = mention.affiliation {
            let target = nodes[affiliation as usize];
            if target != *node {
                let role = mention.role.map(|role| role.of(text));
                state.link(*node, target, RelType::AffiliatedWith, role)?;
            }
        }
    }
    for (unit, parent) in part_of {
        let (from, to) = (nodes[*unit], nodes[*parent]);
        if from != to {
            state.link(from, to, RelType::PartOf, None)?;
        }
    }
    Ok(())
}

/// The node of a (prepared) mention, made if need be; `text` is its document's
/// [`PreparedDocument::text`], `scratch` room for a name key.
fn entity_node<S: EntityState>(
    state: &mut S,
    mention: &PreparedMention,
    text: &str,
    scratch: &mut String,
) -> Result<NodeId, S::Error> {
    let among = match mention.kind {
        MentionKind::Place(index) => return state.place(index),
        MentionKind::Organization(_) => Among::Organizations,
        MentionKind::Unit => Among::Units,
        MentionKind::Person => Among::People,
        MentionKind::UnlistedPlace(_) => Among::UnlistedPlaces,
    };
    let own_key = mention.key.of(text);
    let name = mention.name.of(text);
    let id = state.entity(among, mention, text)?;
    // The node's name key: the mention's own when the names agree (nearly always).
    let same_name = state.name(id) == name;
    let node_key = match same_name {
        true => own_key,
        false => {
            scratch.clear();
            name_key_into(state.name(id), scratch);
            scratch.as_str()
        }
    };
    if !same_name && node_key != own_key {
        state.alias(id, name)?;
    }
    if let Some((surface, surface_key)) = mention.surface {
        if surface_key.of(text) != node_key {
            state.alias(id, surface.of(text))?;
        }
    }
    if let Some(acronym) = mention.acronym {
        state.alias(id, acronym.of(text))?;
    }
    match mention.kind {
        MentionKind::Person => {
            if let Some(role) = mention.role {
                state.role(id, role.of(text))?;
            }
        }
        MentionKind::Organization(found) => state.kind(id, found)?,
        _ => {}
    }
    Ok(id)
}

/// A document's extraction with what does not depend on the graph already worked out
/// (name keys, interned rule ids, the document and claim nodes): a build prepares the
/// next documents on other cores while [`Resolver::add_prepared`] adds these, one at a
/// time, in corpus order.
pub struct PreparedDocument {
    /// The document's node.
    node: Node,
    /// Its id, interned.
    key: Ustr,
    mentions: Vec<PreparedMention>,
    /// The strings of the mentions (their names, name keys, surfaces, roles and
    /// acronyms) one after the other: one allocation for the document, not several
    /// for each mention, when most mentions only look up an entity the graph has, and
    /// one check that it is UTF-8.
    text: String,
    part_of: Vec<(usize, usize)>,
    claim_nodes: Vec<Node>,
    /// What the claims' edges and figures need, beside their nodes.
    claims: Vec<PreparedClaim>,
}

/// What is left of a document once it is in the graph (its mentions, its claims'
/// links), for the caller to drop: a build drops it on another core, since freeing it
/// was 7% of the work of adding the document.
pub struct SpentDocument {
    _mentions: Vec<PreparedMention>,
    _text: String,
    _claims: Vec<PreparedClaim>,
}

/// Where one of a prepared document's strings lies in its [`PreparedDocument::text`].
#[derive(Clone, Copy)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// Appends `bytes` to `text`.
    fn push(text: &mut Vec<u8>, bytes: &[u8]) -> Span {
        let start = text.len() as u32;
        text.extend_from_slice(bytes);
        Span {
            start,
            end: text.len() as u32,
        }
    }

    /// Appends the name key of `name` to `text` (`scratch`: room for a key that is not
    /// ASCII). `None` when the name is not UTF-8.
    fn push_key(text: &mut Vec<u8>, name: &[u8], scratch: &mut String) -> Option<Span> {
        let start = text.len() as u32;
        if name.is_ascii() {
            push_ascii_name_key(name, text);
        } else {
            scratch.clear();
            name_key_into(std::str::from_utf8(name).ok()?, scratch);
            text.extend_from_slice(scratch.as_bytes());
        }
        Some(Span {
            start,
            end: text.len() as u32,
        })
    }

    fn of(self, text: &str) -> &str {
        &text[self.start as usize..self.end as usize]
    }

    /// Whether the span starts and ends between characters of `text`.
    fn fits(self, text: &str) -> bool {
        text.is_char_boundary(self.start as usize) && text.is_char_boundary(self.end as usize)
    }
}

/// A mention with its strings in its document's text. A place keeps none: its
/// gazetteer entry says which it is.
struct PreparedMention {
    kind: MentionKind,
    rule: Ustr,
    start: u32,
    end: u32,
    sentence: u32,
    affiliation: Option<u32>,
    name: Span,
    /// The name key of the name.
    key: Span,
    /// When the surface differs from the name: the surface without a leading "the "
    /// (the alias it gives), and the name key of the whole surface.
    surface: Option<(Span, Span)>,
    role: Option<Span>,
    acronym: Option<Span>,
}

/// What a claim's edges and figure need.
struct PreparedClaim {
    rule: Ustr,
    topic: Topic,
    low: Option<f64>,
    high: Option<f64>,
    /// What the figure counts ([`conflicts::counted_kind`]).
    counted: u32,
    sentence: u32,
    start: u32,
    end: u32,
    reporter: usize,
    via: Vec<(usize, RelayKind)>,
    about: Vec<usize>,
}

impl PreparedDocument {
    /// `url`: the document's address, if known.
    pub fn new(extraction: DocumentExtraction, url: Option<&str>) -> PreparedDocument {
        PreparedDocument::of(&extraction, url)
    }

    /// [`PreparedDocument::new`] of an extraction the caller keeps: its strings are
    /// copied either way.
    pub fn of(extraction: &DocumentExtraction, url: Option<&str>) -> PreparedDocument {
        let extraction = ExtractionIn {
            document: extraction.document.clone(),
            metadata: extraction.metadata.clone(),
            mentions: extraction.mentions.iter().map(MentionIn::from).collect(),
            claims: extraction.claims.iter().map(ClaimIn::from).collect(),
            part_of: extraction.part_of.clone(),
        };
        PreparedDocument::prepare(extraction, url).expect("an extraction's strings are UTF-8")
    }

    /// Decodes and prepares the postcard bytes of a [`DocumentExtraction`]
    /// (`pipeline::PackedExtraction`), without a string for each of its mentions.
    pub fn decode(bytes: &[u8], url: Option<&str>) -> Result<PreparedDocument, postcard::Error> {
        PreparedDocument::prepare(postcard::from_bytes(bytes)?, url)
            .ok_or(postcard::Error::DeserializeBadUtf8)
    }

    /// `None` when a string of a mention or claim is not UTF-8.
    fn prepare(extraction: ExtractionIn<'_>, url: Option<&str>) -> Option<PreparedDocument> {
        let ExtractionIn {
            document,
            metadata,
            mentions,
            claims,
            part_of,
        } = extraction;
        // Room for every string and key (a key is rarely longer than its name).
        let room = mentions
            .iter()
            .filter(|m| !matches!(m.kind, MentionKind::Place(_)))
            .map(|m| {
                2 * (m.name.len() + m.surface.len())
                    + m.role.map_or(0, <[u8]>::len)
                    + m.acronym.map_or(0, <[u8]>::len)
            })
            .sum();
        let mut text = Vec::with_capacity(room);
        let mut scratch = String::new();
        // (Not collected through `Option`, which loses the length and grows the vector.)
        let mut prepared = Vec::with_capacity(mentions.len());
        for mention in &mentions {
            prepared.push(PreparedMention::new(mention, &mut text, &mut scratch)?);
        }
        let mentions = prepared;
        // One check of the whole instead of one of each string; with every string
        // starting and ending between characters, each is UTF-8 too.
        let text = String::from_utf8(text).ok()?;
        if !mentions.iter().all(|mention| mention.fits(&text)) {
            return None;
        }
        let key = Ustr::from(&document);
        let node = Node {
            name: document,
            aliases: Vec::new(),
            data: NodeData::Document(Box::new(DocumentData {
                title: metadata.title,
                outlet: metadata.outlet,
                author: metadata.author,
                date: metadata.date,
                url: url.map(str::to_string),
            })),
        };
        // The claims' strings likewise, each then copied into a string of the graph.
        let room = claims
            .iter()
            .map(|c| {
                let quantity = c.quantity.as_ref();
                c.text.len()
                    + [
                        c.quote,
                        quantity.map(|q| q.text),
                        quantity.and_then(|q| q.unit),
                    ]
                    .into_iter()
                    .chain([c.period, c.time])
                    .flatten()
                    .map(<[u8]>::len)
                    .sum::<usize>()
            })
            .sum();
        let mut claim_text = Vec::with_capacity(room);
        let mut spans = Vec::with_capacity(claims.len());
        for claim in &claims {
            spans.push(ClaimSpans::push(claim, &mut claim_text));
        }
        let claim_text = String::from_utf8(claim_text).ok()?;
        if !spans.iter().all(|spans| spans.fits(&claim_text)) {
            return None;
        }
        let mut claim_nodes = Vec::with_capacity(claims.len());
        let mut prepared_claims = Vec::with_capacity(claims.len());
        for (claim, spans) in claims.into_iter().zip(&spans) {
            let (node, prepared) = PreparedClaim::new(claim, spans, &claim_text, key)?;
            claim_nodes.push(node);
            prepared_claims.push(prepared);
        }
        Some(PreparedDocument {
            node,
            key,
            mentions,
            text,
            part_of,
            claim_nodes,
            claims: prepared_claims,
        })
    }
}

/// Where a claim's strings lie in its document's claim text.
struct ClaimSpans {
    text: Span,
    quote: Option<Span>,
    quantity: Option<Span>,
    unit: Option<Span>,
    period: Option<Span>,
    time: Option<Span>,
}

impl ClaimSpans {
    fn push(claim: &ClaimIn, bytes: &mut Vec<u8>) -> ClaimSpans {
        let text = Span::push(bytes, claim.text);
        let mut push = |string: Option<&[u8]>| string.map(|string| Span::push(bytes, string));
        let quantity = claim.quantity.as_ref();
        ClaimSpans {
            text,
            quote: push(claim.quote),
            quantity: push(quantity.map(|q| q.text)),
            unit: push(quantity.and_then(|q| q.unit)),
            period: push(claim.period),
            time: push(claim.time),
        }
    }

    fn fits(&self, text: &str) -> bool {
        [self.quote, self.quantity, self.unit, self.period, self.time]
            .into_iter()
            .flatten()
            .chain([self.text])
            .all(|span| span.fits(text))
    }
}

impl PreparedMention {
    /// `None` when a string of the mention is not UTF-8.
    fn new(
        mention: &MentionIn,
        text: &mut Vec<u8>,
        scratch: &mut String,
    ) -> Option<PreparedMention> {
        let mut prepared = PreparedMention {
            kind: mention.kind,
            rule: interned_rule(mention.rule)?,
            start: mention.start as u32,
            end: mention.end as u32,
            sentence: mention.sentence as u32,
            affiliation: mention.affiliation.map(|a| a as u32),
            name: Span { start: 0, end: 0 },
            key: Span { start: 0, end: 0 },
            surface: None,
            role: None,
            acronym: None,
        };
        if matches!(mention.kind, MentionKind::Place(_)) {
            return Some(prepared);
        }
        prepared.name = Span::push(text, mention.name);
        prepared.key = Span::push_key(text, mention.name, scratch)?;
        if mention.surface != mention.name {
            let mut alias = mention.surface;
            while let Some(rest) = alias.strip_prefix(b"the ") {
                alias = rest;
            }
            prepared.surface = Some((
                Span::push(text, alias),
                Span::push_key(text, mention.surface, scratch)?,
            ));
        }
        prepared.role = mention.role.map(|role| Span::push(text, role));
        prepared.acronym = mention.acronym.map(|acronym| Span::push(text, acronym));
        Some(prepared)
    }

    /// Whether its strings start and end between characters of `text`.
    fn fits(&self, text: &str) -> bool {
        let spans = [Some(self.name), Some(self.key), self.role, self.acronym];
        let surface = self
            .surface
            .map_or([None, None], |(a, b)| [Some(a), Some(b)]);
        spans
            .into_iter()
            .chain(surface)
            .flatten()
            .all(|span| span.fits(text))
    }
}

impl PreparedClaim {
    /// The claim's node, and what its edges and figure need; `text` holds the claim's
    /// strings where `spans` say. `None` when its rule id is not UTF-8.
    fn new(
        claim: ClaimIn,
        spans: &ClaimSpans,
        text: &str,
        document: Ustr,
    ) -> Option<(Node, PreparedClaim)> {
        let rule = interned_rule(claim.rule)?;
        let string = |span: Span| span.of(text).to_string();
        let (low, high) = claim
            .quantity
            .as_ref()
            .map_or((None, None), |q| (q.low, q.high));
        let (sentence, start, end) = (claim.sentence as u32, claim.start as u32, claim.end as u32);
        let node = Node {
            name: string(spans.text),
            aliases: Vec::new(),
            data: NodeData::Claim(Box::new(Claim {
                quote: spans.quote.map(string),
                topic: claim.topic,
                quantity: spans.quantity.map(string),
                low,
                high,
                unit: spans.unit.map(string),
                period: spans.period.map(string),
                time: spans.time.map(string),
                hedged: claim.hedged,
                rule,
                document,
                sentence,
                start,
                end,
            })),
        };
        let links = PreparedClaim {
            rule,
            topic: claim.topic,
            low,
            high,
            counted: spans.unit.map_or(conflicts::NOT_SAID, |unit| {
                conflicts::counted_kind(unit.of(text))
            }),
            sentence,
            start,
            end,
            reporter: claim.reporter,
            via: claim.via,
            about: claim.about,
        };
        Some((node, links))
    }
}

thread_local! {
    /// Rule ids of mentions and claims (a few hundred) as `Ustr`s: [`Ustr::from`] hashes
    /// the text under a lock, and this is asked for every mention.
    static RULES: RefCell<FxHashMap<Box<[u8]>, Ustr>> = RefCell::default();
}

/// A rule id as a `Ustr`; `None` when it is not UTF-8.
fn interned_rule(rule: &[u8]) -> Option<Ustr> {
    RULES.with_borrow_mut(|rules| match rules.get(rule) {
        Some(interned) => Some(*interned),
        None => {
            let interned = Ustr::from(std::str::from_utf8(rule).ok()?);
            rules.insert(rule.into(), interned);
            Some(interned)
        }
    })
}

/// Builds the graph from the documents and what was extracted from each.
pub fn resolve(documents: &[Document], extractions: &[DocumentExtraction]) -> KnowledgeGraph {
    let by_id: HashMap<&str, &Document> = documents.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut sizes = GraphSize::default();
    for extraction in extractions {
        sizes.add(&GraphSize::of(extraction));
    }
    let people: Vec<String> = extractions.iter().flat_map(people_of).collect();
    let mut resolver = Resolver::new(people.iter().map(String::as_str), sizes);
    for extraction in extractions {
        let url = by_id
            .get(extraction.document.as_str())
            .and_then(|d| d.url.as_deref());
        resolver.add_prepared(PreparedDocument::of(extraction, url));
    }
    resolver.finish()
}

/// The full-name keys of the people a document names ("vladyslav voloshyn"): all that
/// resolution must know of every document before it starts, to join lone surnames.
pub fn people_of(extraction: &DocumentExtraction) -> Vec<String> {
    let mut keys: Vec<String> = extraction
        .mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Person)
        .map(|m| name_key(&m.name))
        .filter(|key| key.contains(' '))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// How many nodes, edges and mention records a document adds at most: known before
/// resolution starts, so the graph is allocated once instead of grown and copied.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GraphSize {
    pub nodes: u64,
    pub edges: u64,
    pub mentions: u64,
}

impl GraphSize {
    pub fn of(extraction: &DocumentExtraction) -> GraphSize {
        let claims = extraction.claims.len() as u64;
        let mentions = extraction.mentions.len() as u64;
        let claim_edges: u64 = extraction
            .claims
            .iter()
            .map(|c| 2 + c.via.len() as u64 + c.about.len() as u64)
            .sum();
        GraphSize {
            nodes: 1 + claims + mentions / 8,
            edges: mentions + claim_edges + 4 * claims,
            mentions,
        }
    }

    pub fn add(&mut self, other: &GraphSize) {
        self.nodes += other.nodes;
        self.edges += other.edges;
        self.mentions += other.mentions;
    }
}

/// Resolution one document at a time, in corpus order, so that a build can decode each
/// extraction just before it is needed and drop it right after.
pub struct Resolver {
    builder: GraphBuilder,
    /// Every claim with a figure, for linking agreeing and conflicting claims.
    figures: Vec<conflicts::ClaimFigure>,
    /// The subjects (about nodes) of those claims, which their ranges point into.
    subjects: Vec<NodeId>,
    /// The current document's mention nodes, kept from one document to the next.
    nodes: Vec<NodeId>,
    /// The current document's mentions as (node << 32 | start), likewise: sorted, they
    /// give each node's mention count and first offset in node order.
    mentioned: Vec<u64>,
    /// Room for the name key of a node whose name is not the mention's.
    scratch: String,
    /// Where each document's part starts, and where its effects start in the builder's.
    starts: Vec<[u32; 3]>,
    first_effect: Vec<u32>,
    /// The people each document names in full ([`people_of`]), as node ids: document
    /// `i`'s are `named[named_from[i]..named_from[i + 1]]`, sorted.
    named: Vec<u32>,
    named_from: Vec<u32>,
}

impl Resolver {
    /// `people`: the full-name keys of every person in the corpus ([`people_of`] of
    /// every document); `size`: the sum of the documents' [`GraphSize`]s.
    pub fn new<'a>(people: impl Iterator<Item = &'a str>, size: GraphSize) -> Resolver {
        let mut builder = GraphBuilder {
            graph: KnowledgeGraph::with_capacity(size.nodes as usize, size.edges as usize),
            places: Vec::new(),
            organizations: FxHashMap::default(),
            units: FxHashMap::default(),
            people: FxHashMap::default(),
            unlisted_places: FxHashMap::default(),
            surnames: FxHashMap::default(),
            links: FxHashSet::default(),
            joined: FxHashSet::default(),
            effects: Vec::new(),
        };
        for key in people {
            if let Some((_, surname)) = key.rsplit_once(' ') {
                match builder.surnames.get_mut(surname) {
                    None => {
                        builder
                            .surnames
                            .insert(surname.to_string(), Some(key.to_string()));
                    }
                    Some(owner) => {
                        if owner.as_deref().is_some_and(|full| full != key) {
                            *owner = None;
                        }
                    }
                }
            }
        }
        builder.graph.mentions.reserve(size.mentions as usize);
        Resolver {
            builder,
            figures: Vec::new(),
            subjects: Vec::new(),
            nodes: Vec::new(),
            mentioned: Vec::new(),
            scratch: String::new(),
            starts: Vec::new(),
            first_effect: Vec::new(),
            named: Vec::new(),
            named_from: Vec::new(),
        }
    }

    /// Adds one document's extraction (the graph copies what it keeps of it); `url` is the
    /// document's address, if known.
    pub fn add(&mut self, extraction: DocumentExtraction, url: Option<&str>) {
        self.add_prepared(PreparedDocument::new(extraction, url));
    }

    /// Adds one prepared document: its nodes move into the graph, and what is left is
    /// handed back.
    pub fn add_prepared(&mut self, document: PreparedDocument) -> SpentDocument {
        let PreparedDocument {
            node,
            key: document_key,
            mentions,
            text,
            part_of,
            claim_nodes,
            claims,
        } = document;
        let builder = &mut self.builder;
        self.starts.push([
            builder.graph.node_count() as u32,
            builder.graph.edge_count() as u32,
            builder.graph.mentions.len() as u32,
        ]);
        self.first_effect.push(builder.effects.len() as u32);
        let doc_id = builder.graph.add_node(node);
        let nodes = &mut self.nodes;
        nodes.clear();
        let scratch = &mut self.scratch;
        for mention in &mentions {
            match entity_node(builder, mention, &text, scratch) {
                Ok(node) => nodes.push(node),
                Err(never) => match never {},
            }
        }
        add_mentions(
            &mut builder.graph,
            doc_id,
            &mentions,
            nodes,
            &mut self.mentioned,
        );
        // The people it names in full: their keys are their own, not a joined one.
        self.named_from.push(self.named.len() as u32);
        let mut people: Vec<u32> = mentions
            .iter()
            .zip(nodes.iter())
            .filter(|(m, _)| m.kind == MentionKind::Person && m.key.of(&text).contains(' '))
            .map(|(_, node)| node.index() as u32)
            .collect();
        people.sort_unstable();
        people.dedup();
        self.named.extend(people);
        match link_entities(builder, &mentions, nodes, &part_of, &text) {
            Ok(()) => {}
            Err(never) => match never {},
        }
        add_claims(
            &mut builder.graph,
            doc_id,
            document_key,
            nodes,
            &mentions,
            claim_nodes,
            &claims,
            &mut self.figures,
            &mut self.subjects,
        );
        SpentDocument {
            _mentions: mentions,
            _text: text,
            _claims: claims,
        }
    }

    /// Where each document's part of the graph lies and what it changed first, so far.
    pub fn provenance(&self) -> Provenance {
        Provenance {
            starts: self.starts.clone(),
            effects: self.builder.effects.clone(),
            first_effect: self.first_effect.clone(),
        }
    }

    /// Links what only the whole corpus tells (lone surnames, agreeing and conflicting
    /// claims) and returns the graph.
    pub fn finish(mut self) -> KnowledgeGraph {
        add_surname_aliases(&mut self.builder);
        conflicts::link_claims(&mut self.builder.graph, &self.figures, &self.subjects);
        self.builder.graph
    }

    /// [`Resolver::finish_unlinked`], and what a later rebuild needs of this build
    /// ([`rebuild::RebuildState`], which describes the graph before its surname
    /// aliases are given); `documents`: each document's content hash, in corpus order.
    pub fn finish_with_state(
        mut self,
        documents: Vec<u64>,
    ) -> ((KnowledgeGraph, UnlinkedClaims), rebuild::RebuildState) {
        let given = surname_aliases(&self.builder);
        let provenance = Provenance {
            starts: std::mem::take(&mut self.starts),
            effects: std::mem::take(&mut self.builder.effects),
            first_effect: std::mem::take(&mut self.first_effect),
        };
        let table = probe::EntityTable::new(&self.builder, &provenance);
        let state = rebuild::RebuildState::of(
            table,
            provenance,
            &self.builder.graph,
            documents,
            given.iter().map(|(id, _)| id.index() as u32).collect(),
            (self.named, self.named_from),
        );
        for (id, surname) in given {
            self.builder.graph.add_alias(id, &surname);
        }
        let unlinked = UnlinkedClaims {
            figures: self.figures,
            subjects: self.subjects,
        };
        ((self.builder.graph, unlinked), state)
    }

    /// The graph with its lone surnames joined, and the claims still to link: for a
    /// build that saves the graph at once, which works the links out while the nodes
    /// are written and writes them after the graph's own edges ([`graph::save_linked`]),
    /// giving the file [`Resolver::finish`] and [`graph::save`] would.
    ///
    /// [`graph::save_linked`]: crate::graph::save_linked
    /// [`graph::save`]: crate::graph::save
    pub fn finish_unlinked(mut self) -> (KnowledgeGraph, UnlinkedClaims) {
        add_surname_aliases(&mut self.builder);
        let unlinked = UnlinkedClaims {
            figures: self.figures,
            subjects: self.subjects,
        };
        (self.builder.graph, unlinked)
    }
}

/// Where a document's own nodes, edges and mention records go: the graph being built,
/// or the rows of a changed document's part in a graph delta (`rebuild`), numbered
/// as they will be in the new graph.
pub(crate) trait PartSink {
    fn add_node(&mut self, node: Node) -> NodeId;
    fn add_edge(&mut self, from: NodeId, to: NodeId, edge: Edge);
    fn add_mention(&mut self, record: MentionRecord);
}

impl PartSink for KnowledgeGraph {
    fn add_node(&mut self, node: Node) -> NodeId {
        KnowledgeGraph::add_node(self, node)
    }

    fn add_edge(&mut self, from: NodeId, to: NodeId, edge: Edge) {
        KnowledgeGraph::add_edge(self, from, to, edge);
    }

    fn add_mention(&mut self, record: MentionRecord) {
        self.mentions.push(record);
    }
}

/// A document's mention records and its one `MENTIONED_IN` per node (`nodes`: each
/// mention's node; `mentioned`: room kept from one document to the next).
fn add_mentions(
    graph: &mut impl PartSink,
    doc_id: NodeId,
    mentions: &[PreparedMention],
    nodes: &[NodeId],
    mentioned: &mut Vec<u64>,
) {
    mentioned.clear();
    for (index, (mention, node)) in mentions.iter().zip(nodes.iter()).enumerate() {
        mentioned.push((node.index() as u64) << 32 | index as u64);
        graph.add_mention(MentionRecord {
            node: node.index() as u32,
            document: doc_id.index() as u32,
            sentence: mention.sentence,
            start: mention.start,
            end: mention.end,
            rule: mention.rule,
        });
    }
    // One MENTIONED_IN per node, in the order the document first names them: not in
    // node order, which a rebuild may change by moving a node to an earlier part.
    // (Sorting numbers is several times cheaper than sorting pairs, or than a map per
    // document.)
    mentioned.sort_unstable();
    let mut firsts: Vec<(u32, u32, u32, u32)> = mentioned
        .chunk_by(|a, b| a >> 32 == b >> 32)
        .map(|group| {
            let start = group.iter().map(|m| mentions[*m as u32 as usize].start);
            let first = start.min().unwrap_or(0);
            (
                group[0] as u32,
                (group[0] >> 32) as u32,
                group.len() as u32,
                first,
            )
        })
        .collect();
    firsts.sort_unstable();
    for (_, node, count, first_offset) in firsts {
        graph.add_edge(
            NodeId::new(node as usize),
            doc_id,
            Edge::new(RelType::MentionedIn)
                .with_number("count", count)
                .with_number("first_offset", first_offset),
        );
    }
}

/// A document's claim nodes and their edges, recording each claim's figure.
#[allow(clippy::too_many_arguments)]
fn add_claims(
    graph: &mut impl PartSink,
    doc_id: NodeId,
    document_key: Ustr,
    nodes: &[NodeId],
    mentions: &[PreparedMention],
    claim_nodes: Vec<Node>,
    claims: &[PreparedClaim],
    figures: &mut Vec<conflicts::ClaimFigure>,
    subjects: &mut Vec<NodeId>,
) {
    for (node, claim) in claim_nodes.into_iter().zip(claims) {
        let claim_id = graph.add_node(node);
        graph.add_edge(
            nodes[claim.reporter],
            claim_id,
            Edge::new(RelType::Reported).with_interned_text(claim.rule),
        );
        for (order, (via, _)) in claim.via.iter().enumerate() {
            graph.add_edge(
                claim_id,
                nodes[*via],
                Edge::new(RelType::Via).with_number("order", order as u32 + 1),
            );
        }
        let subjects_start = subjects.len();
        for about in &claim.about {
            if !subjects[subjects_start..].contains(&nodes[*about]) {
                subjects.push(nodes[*about]);
                graph.add_edge(
                    claim_id,
                    nodes[*about],
                    Edge::new(RelType::About).with_interned_text(mentions[*about].rule),
                );
            }
        }
        graph.add_edge(
            claim_id,
            doc_id,
            Edge::new(RelType::SourcedFrom)
                .with_number("sentence", claim.sentence)
                .with_number("start", claim.start)
                .with_number("end", claim.end),
        );
        if claim.low.is_some() || claim.high.is_some() {
            figures.push(conflicts::ClaimFigure {
                claim: claim_id,
                topic: claim.topic,
                low: claim.low,
                high: claim.high,
                counted: claim.counted,
                reporter: nodes[claim.reporter],
                document: document_key,
                about: subjects_start as u32..subjects.len() as u32,
            });
        } else {
            subjects.truncate(subjects_start);
        }
    }
}

/// The claims with a figure, not yet linked to those they agree or conflict with.
pub struct UnlinkedClaims {
    figures: Vec<conflicts::ClaimFigure>,
    subjects: Vec<NodeId>,
}

impl UnlinkedClaims {
    /// The `CONTRADICTS` and `CORROBORATES` links, in the order [`Resolver::finish`]
    /// adds them to the graph.
    pub fn links(&self) -> Vec<ClaimLink> {
        conflicts::claim_links(&self.figures, &self.subjects)
    }
}

/// "Voloshyn" finds Vladyslav Voloshyn even where the surname never stands alone, as long
/// as no one else in the corpus has it.
fn add_surname_aliases(builder: &mut GraphBuilder) {
    for (id, surname) in surname_aliases(builder) {
        builder.graph.add_alias(id, &surname);
    }
}

/// The people [`add_surname_aliases`] gives their surname, in node order: those whose
/// surname no one else in the corpus has and no other node is named.
fn surname_aliases(builder: &GraphBuilder) -> Vec<(NodeId, String)> {
    let mut people: Vec<NodeId> = builder.people.values().copied().collect();
    // In node order, not hash order, so every build gives the same graph.
    people.sort_unstable();
    people.dedup();
    let mut given = Vec::new();
    // The keys given so far: the graph does not hold them yet.
    let mut given_keys = FxHashSet::default();
    for id in people {
        let name = &builder.graph.node(id).name;
        let Some((_, surname)) = name.rsplit_once(' ') else {
            continue;
        };
        let key = name_key(surname);
        let unique = builder.surnames.get(&key).is_some_and(Option::is_some);
        let taken = builder
            .graph
            .lookup(surname)
            .iter()
            .any(|other| *other != id)
            || given_keys.contains(&key);
        if unique && !taken {
            given.push((id, surname.to_string()));
            given_keys.insert(key);
        }
    }
    given
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::entities::{Mention, PlaceKind};
    use crate::extract::testing::{numbers, random_texts};
    use crate::extract::ClaimDraft;

    /// Extractions of generated articles and of a few written for odd names, with
    /// mentions of random names (spaces, accents, "the ", roles, acronyms) added.
    fn sample_extractions() -> Vec<DocumentExtraction> {
        let mut texts: Vec<String> = (0..40)
            .map(|i| crate::corpus::synth::article(3, i).contents)
            .collect();
        texts.push(
            "The governor, Oleh Syniehubov, said 12 soldiers deserted near Kupiansk. \
             António Guterres said the Institute for the Study of War (ISW) counted 40 \
             strikes on Київ. Syniehubov said the 58th Army of the Southern Military \
             District lost 300 men."
                .to_string(),
        );
        let pieces = [
            "A", "b", "É", "é", "ї", " ", "  ", "\t", "`", "\u{2019}", "-", "the ", "The ", "7",
        ];
        let mut names = random_texts(&pieces, 5, 4000, 9).into_iter();
        let mut next = numbers(17);
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let document = Document {
                    id: format!("{i}.txt"),
                    text: text.clone(),
                    ..Document::default()
                };
                let mut extraction = crate::extract::extract_document(&document);
                for _ in 0..20 {
                    let mut name = || names.next().unwrap_or_default();
                    let kind = match next() % 5 {
                        0 => MentionKind::Person,
                        1 => MentionKind::Organization(OrgKind::Other),
                        2 => MentionKind::Unit,
                        3 => MentionKind::UnlistedPlace(PlaceKind::Village),
                        _ => MentionKind::Place((next() % 50) as usize),
                    };
                    let name = name();
                    let surface = match next() % 3 {
                        0 => name.clone(),
                        _ => names.next().unwrap_or_default(),
                    };
                    let optional =
                        |next: &mut dyn FnMut() -> u64, names: &mut dyn Iterator<Item = String>| {
                            next()
                                .is_multiple_of(2)
                                .then(|| names.next().unwrap_or_default())
                        };
                    let role = optional(&mut next, &mut names);
                    let acronym = optional(&mut next, &mut names);
                    let count = extraction.mentions.len();
                    extraction.mentions.push(Mention {
                        kind,
                        name,
                        surface,
                        start: next() as usize % 5000,
                        end: next() as usize % 5000,
                        sentence: next() as usize % 50,
                        rule: "test.random",
                        role,
                        affiliation: (count > 0 && next().is_multiple_of(3))
                            .then(|| next() as usize % count),
                        acronym,
                    });
                }
                extraction
            })
            .collect()
    }

    #[test]
    fn the_borrowing_decoder_reads_what_the_owned_one_reads() {
        for extraction in sample_extractions() {
            let bytes = postcard::to_stdvec(&extraction).unwrap();
            let owned: DocumentExtraction = postcard::from_bytes(&bytes).unwrap();
            let borrowed: ExtractionIn = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(borrowed.document, owned.document);
            assert_eq!(borrowed.metadata, owned.metadata);
            let claims: Vec<ClaimIn> = owned.claims.iter().map(ClaimIn::from).collect();
            assert_eq!(borrowed.claims, claims);
            assert_eq!(borrowed.part_of, owned.part_of);
            let mentions: Vec<MentionIn> = owned.mentions.iter().map(MentionIn::from).collect();
            assert_eq!(borrowed.mentions, mentions);
        }
    }

    #[test]
    fn a_mention_that_is_not_utf8_is_an_error_not_a_panic() {
        let mention = Mention {
            kind: MentionKind::Person,
            name: "Oleh Syniehubov".into(),
            surface: "Oleh Syniehubov".into(),
            start: 0,
            end: 15,
            sentence: 0,
            rule: "test.rule",
            role: Some("q\u{e9}".into()),
            affiliation: None,
            acronym: Some("\u{e9}z".into()),
        };
        let claim = ClaimDraft {
            sentence: 0,
            start: 0,
            end: 20,
            text: "Syniehubov claimed it.".into(),
            quote: None,
            topic: Topic::Desertion,
            quantity: None,
            period: None,
            time: Some("on Monday".into()),
            hedged: false,
            rule: "test.claim".into(),
            reporter: 0,
            via: Vec::new(),
            about: Vec::new(),
        };
        let extraction = DocumentExtraction {
            document: "a.txt".into(),
            mentions: vec![mention],
            claims: vec![claim],
            ..DocumentExtraction::default()
        };
        let bytes = postcard::to_stdvec(&extraction).unwrap();
        assert!(PreparedDocument::decode(&bytes, None).is_ok());
        let patched = |from: &[u8], to: &[u8]| {
            let mut bytes = bytes.clone();
            let at = bytes.windows(from.len()).position(|w| w == from).unwrap();
            bytes[at..at + to.len()].copy_from_slice(to);
            bytes
        };
        // A byte that is never UTF-8.
        let bad = patched(b"Oleh", b"Ol\xffh");
        assert!(PreparedDocument::decode(&bad, None).is_err());
        let bad = patched(b"claimed", b"cl\xe9imed");
        assert!(PreparedDocument::decode(&bad, None).is_err());
        let bad = patched(b"Monday", b"M\xc3nday");
        assert!(PreparedDocument::decode(&bad, None).is_err());
        // Two strings that are UTF-8 only together: "qq" + the first byte of "é", then
        // its second byte + "zz".
        let split = patched(b"\x03q\xc3\xa9", b"\x03qq\xc3");
        let split = {
            let mut bytes = split;
            let at = bytes
                .windows(4)
                .position(|w| w == b"\x03\xc3\xa9z")
                .unwrap();
            bytes[at + 1..at + 4].copy_from_slice(b"\xa9zz");
            bytes
        };
        assert!(PreparedDocument::decode(&split, None).is_err());
    }

    #[test]
    fn a_decoded_document_resolves_as_the_extraction_does() {
        let extractions = sample_extractions();
        let people: Vec<String> = extractions.iter().flat_map(people_of).collect();
        let mut size = GraphSize::default();
        for extraction in &extractions {
            size.add(&GraphSize::of(extraction));
        }
        let resolver = || Resolver::new(people.iter().map(String::as_str), size);
        let (mut owned, mut decoded) = (resolver(), resolver());
        for extraction in &extractions {
            let bytes = postcard::to_stdvec(extraction).unwrap();
            decoded
                .add_prepared(PreparedDocument::decode(&bytes, Some("https://a.test/")).unwrap());
            owned.add(extraction.clone(), Some("https://a.test/"));
        }
        let dir = tempfile::tempdir().unwrap();
        let save = |resolver: Resolver, name: &str| {
            let path = dir.path().join(name);
            crate::graph::save(&resolver.finish(), &path).unwrap();
            std::fs::read(path).unwrap()
        };
        let owned = save(owned, "owned.cgraph");
        assert!(owned.len() > 10_000);
        assert!(owned == save(decoded, "decoded.cgraph"));
    }

    /// Each document's nodes, edges and mention records are one run each, in corpus
    /// order, and its provenance names exactly the entity nodes and links made in it.
    #[test]
    fn each_document_owns_one_run_of_the_graph_and_its_first_effects() {
        let extractions = sample_extractions();
        let people: Vec<String> = extractions.iter().flat_map(people_of).collect();
        let mut size = GraphSize::default();
        for extraction in &extractions {
            size.add(&GraphSize::of(extraction));
        }
        let mut resolver = Resolver::new(people.iter().map(String::as_str), size);
        for extraction in &extractions {
            resolver.add(extraction.clone(), None);
        }
        let provenance = resolver.provenance();
        let graph = resolver.finish();
        let documents = extractions.len();
        assert_eq!(provenance.starts.len(), documents);
        assert_eq!(provenance.starts[0], [0, 0, 0]);
        let ends = Provenance::ends(&graph);
        let range = |i: usize, part: usize| provenance.part(i, ends)[part].clone();
        let mut made = vec![None; graph.node_count()];
        for (i, extraction) in extractions.iter().enumerate() {
            let nodes = range(i, 0);
            assert!(nodes.start < nodes.end);
            let document = graph.node(NodeId::new(nodes.start as usize));
            assert_eq!(document.name, extraction.document);
            assert_eq!(document.label(), crate::graph::Label::Document);
            for effect in provenance.effects_of(i) {
                match effect {
                    Effect::Created { node, .. } | Effect::Place(node) => {
                        assert!(nodes.contains(&(node.index() as u32)), "{effect:?} in {i}");
                        assert!(made[node.index()].replace(i).is_none(), "{effect:?} twice");
                    }
                    Effect::Linked(from, to, rel, _) => {
                        let edges = range(i, 1);
                        let found = edges.clone().any(|e| {
                            let id = crate::graph::EdgeId::new(e as usize);
                            graph.endpoints(id) == (*from, *to) && graph.edge(id).rel == *rel
                        });
                        assert!(found, "{effect:?} not among document {i}'s edges");
                    }
                    Effect::Alias(node, alias) => {
                        assert!(graph.node(*node).aliases.contains(alias), "{effect:?}");
                    }
                    Effect::Role(..) | Effect::Kind(..) => {}
                }
            }
            for record in &graph.mentions[range(i, 2).start as usize..range(i, 2).end as usize] {
                assert_eq!(record.document, nodes.start);
            }
        }
        // Every entity node was made by exactly one document.
        for id in graph.node_ids() {
            let label = graph.label(id);
            let entity = !matches!(
                label,
                crate::graph::Label::Document | crate::graph::Label::Claim
            );
            assert_eq!(made[id.index()].is_some(), entity, "{:?}", graph.node(id));
        }
        // An alias is made first once, in the order the node lists it.
        let mut aliases: FxHashMap<NodeId, Vec<&String>> = FxHashMap::default();
        for effect in &provenance.effects {
            if let Effect::Alias(node, alias) = effect {
                aliases.entry(*node).or_default().push(alias);
            }
        }
        for (node, made) in aliases {
            let listed: Vec<&String> = graph
                .node(node)
                .aliases
                .iter()
                .filter(|a| made.contains(a))
                .collect();
            assert_eq!(listed, made);
        }
    }
}

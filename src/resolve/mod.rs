//! Canonical entities across the corpus, and the graph assembled from them.
//!
//! One node per real entity: places by gazetteer entry (with their region and country
//! linked by `LOCATED_IN`), organizations and units by canonical name, people by full
//! name, a lone surname joined to the one person in the corpus who has it (and left on
//! its own when two people share it, rather than guessed).

mod conflicts;

pub use conflicts::ClaimLink;

use crate::corpus::Document;
use crate::extract::entities::{Mention, MentionKind};
use crate::extract::gazetteer::gazetteer;
use crate::extract::DocumentExtraction;
use crate::graph::{
    name_key, Claim, DocumentData, Edge, GraphRead, KnowledgeGraph, MentionRecord, Node, NodeData,
    NodeId, OrgKind, PlaceData, RelType,
};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, HashMap};
use ustr::Ustr;

/// The identity of an entity across documents.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum EntityKey {
    Place(usize),
    Organization(String),
    Unit(String),
    Person(String),
}

struct GraphBuilder {
    graph: KnowledgeGraph,
    entities: FxHashMap<EntityKey, NodeId>,
    /// Surname key -> the full-name key of the one person who has it, or `None` when
    /// several people do, to join lone surnames. (Not a list: a common surname is shared
    /// by hundreds of people in a large corpus, and only "exactly one" matters.)
    surnames: FxHashMap<String, Option<String>>,
    /// AFFILIATED_WITH and PART_OF links made so far, so each is made once without
    /// scanning a busy node's edges for every mention.
    links: FxHashSet<(NodeId, NodeId, RelType)>,
}

impl GraphBuilder {
    fn key_of(&self, mention: &Mention) -> EntityKey {
        match mention.kind {
            MentionKind::Place(index) => EntityKey::Place(index),
            MentionKind::Organization(_) => EntityKey::Organization(name_key(&mention.name)),
            MentionKind::Unit => EntityKey::Unit(name_key(&mention.name)),
            MentionKind::Person => {
                let key = name_key(&mention.name);
                if !key.contains(' ') {
                    if let Some(Some(full)) = self.surnames.get(&key) {
                        return EntityKey::Person(full.clone());
                    }
                }
                EntityKey::Person(key)
            }
        }
    }

    fn place_node(&mut self, index: usize) -> NodeId {
        if let Some(id) = self.entities.get(&EntityKey::Place(index)) {
            return *id;
        }
        let entry = gazetteer().entry(index);
        let id = self.graph.add_node(Node {
            name: entry.name.clone(),
            aliases: entry.aliases.clone(),
            data: NodeData::Place(Box::new(PlaceData {
                kind: entry.kind.clone(),
                country: Some(entry.country.clone()),
                lat: Some(entry.lat),
                lon: Some(entry.lon),
            })),
        });
        self.entities.insert(EntityKey::Place(index), id);
        if let Some(parent) = entry.parent {
            let parent_id = self.place_node(parent);
            self.graph
                .add_edge(id, parent_id, Edge::new(RelType::LocatedIn));
        }
        id
    }

    fn entity_node(&mut self, mention: &Mention) -> NodeId {
        if let MentionKind::Place(index) = mention.kind {
            return self.place_node(index);
        }
        let key = self.key_of(mention);
        let id = match self.entities.get(&key) {
            Some(id) => *id,
            None => {
                let name = match &key {
                    EntityKey::Person(full) if *full != name_key(&mention.name) => self
                        .graph
                        .lookup(full)
                        .first()
                        .map(|n| self.graph.node(*n).name.clone())
                        .unwrap_or_else(|| mention.name.clone()),
                    _ => mention.name.clone(),
                };
                let data = match mention.kind {
                    MentionKind::Person => NodeData::Person { roles: Vec::new() },
                    MentionKind::Organization(kind) => NodeData::Organization { kind },
                    _ => NodeData::Unit,
                };
                let id = self.graph.add_node(Node {
                    name,
                    aliases: Vec::new(),
                    data,
                });
                self.entities.insert(key, id);
                id
            }
        };
        let node = self.graph.node(id);
        if node.name != mention.name && name_key(&node.name) != name_key(&mention.name) {
            let alias = mention.name.clone();
            self.graph.add_alias(id, &alias);
        }
        if mention.surface != mention.name
            && name_key(&mention.surface) != name_key(&self.graph.node(id).name)
        {
            let surface = mention.surface.trim_start_matches("the ").to_string();
            self.graph.add_alias(id, &surface);
        }
        if let Some(acronym) = &mention.acronym {
            self.graph.add_alias(id, acronym);
        }
        if let (Some(role), NodeData::Person { roles }) =
            (&mention.role, &mut self.graph.node_mut(id).data)
        {
            if !roles.contains(role) {
                roles.push(role.clone());
            }
        }
        if let NodeData::Organization { kind } = &mut self.graph.node_mut(id).data {
            // A known kind beats "other", found by a weaker rule elsewhere.
            if let (OrgKind::Other, MentionKind::Organization(found)) = (*kind, mention.kind) {
                *kind = found;
            }
        }
        id
    }
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
        resolver.add(extraction.clone(), url);
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
    /// Rule ids interned once each: there are a few dozen, met millions of times.
    rules: FxHashMap<String, Ustr>,
}

impl Resolver {
    /// `people`: the full-name keys of every person in the corpus ([`people_of`] of
    /// every document); `size`: the sum of the documents' [`GraphSize`]s.
    pub fn new<'a>(people: impl Iterator<Item = &'a str>, size: GraphSize) -> Resolver {
        let mut builder = GraphBuilder {
            graph: KnowledgeGraph::with_capacity(size.nodes as usize, size.edges as usize),
            entities: FxHashMap::default(),
            surnames: FxHashMap::default(),
            links: FxHashSet::default(),
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
            rules: FxHashMap::default(),
        }
    }

    /// Adds one document's extraction (its strings move into the graph); `url` is the
    /// document's address, if known.
    pub fn add(&mut self, extraction: DocumentExtraction, url: Option<&str>) {
        let DocumentExtraction {
            document,
            metadata,
            mentions,
            claims,
            part_of,
        } = extraction;
        let builder = &mut self.builder;
        let rules = &mut self.rules;
        let mut intern = |rule: &str| -> Ustr {
            match rules.get(rule) {
                Some(interned) => *interned,
                None => *rules.entry(rule.to_string()).or_insert(Ustr::from(rule)),
            }
        };
        let document_key = Ustr::from(&document);
        let doc_id = builder.graph.add_node(Node {
            name: document,
            aliases: Vec::new(),
            data: NodeData::Document(Box::new(DocumentData {
                title: metadata.title,
                outlet: metadata.outlet,
                author: metadata.author,
                date: metadata.date,
                url: url.map(str::to_string),
            })),
        });
        let nodes: Vec<NodeId> = mentions.iter().map(|m| builder.entity_node(m)).collect();
        let mut mentioned: BTreeMap<NodeId, (u32, u32)> = BTreeMap::new();
        for (mention, node) in mentions.iter().zip(&nodes) {
            let entry = mentioned.entry(*node).or_insert((0, mention.start as u32));
            entry.0 += 1;
            entry.1 = entry.1.min(mention.start as u32);
            builder.graph.mentions.push(MentionRecord {
                node: node.index() as u32,
                document: doc_id.index() as u32,
                sentence: mention.sentence as u32,
                start: mention.start as u32,
                end: mention.end as u32,
                rule: intern(mention.rule),
            });
        }
        for (node, (count, first)) in mentioned {
            builder.graph.add_edge(
                node,
                doc_id,
                Edge::new(RelType::MentionedIn)
                    .with_number("count", count)
                    .with_number("first_offset", first),
            );
        }
        for (mention, node) in mentions.iter().zip(&nodes) {
            if let Some(affiliation) = mention.affiliation {
                let target = nodes[affiliation];
                if target != *node
                    && builder
                        .links
                        .insert((*node, target, RelType::AffiliatedWith))
                {
                    let mut edge = Edge::new(RelType::AffiliatedWith);
                    if let Some(role) = &mention.role {
                        edge = edge.with_text(role);
                    }
                    builder.graph.add_edge(*node, target, edge);
                }
            }
        }
        for (unit, parent) in &part_of {
            let (from, to) = (nodes[*unit], nodes[*parent]);
            if from != to && builder.links.insert((from, to, RelType::PartOf)) {
                builder.graph.add_edge(from, to, Edge::new(RelType::PartOf));
            }
        }
        for draft in claims {
            let rule = intern(&draft.rule);
            let (quantity, low, high, unit) = match draft.quantity {
                Some(q) => (Some(q.text), q.low, q.high, q.unit),
                None => (None, None, None, None),
            };
            let claim = Claim {
                quote: draft.quote,
                topic: draft.topic,
                quantity,
                low,
                high,
                unit,
                period: draft.period,
                time: draft.time,
                hedged: draft.hedged,
                rule,
                document: document_key,
                sentence: draft.sentence as u32,
                start: draft.start as u32,
                end: draft.end as u32,
            };
            let claim_id = builder.graph.add_node(Node {
                name: draft.text,
                aliases: Vec::new(),
                data: NodeData::Claim(Box::new(claim)),
            });
            builder.graph.add_edge(
                nodes[draft.reporter],
                claim_id,
                Edge::new(RelType::Reported).with_interned_text(rule),
            );
            for (order, (via, _)) in draft.via.iter().enumerate() {
                builder.graph.add_edge(
                    claim_id,
                    nodes[*via],
                    Edge::new(RelType::Via).with_number("order", order as u32 + 1),
                );
            }
            let subjects_start = self.subjects.len();
            for about in &draft.about {
                if !self.subjects[subjects_start..].contains(&nodes[*about]) {
                    self.subjects.push(nodes[*about]);
                    builder.graph.add_edge(
                        claim_id,
                        nodes[*about],
                        Edge::new(RelType::About).with_interned_text(intern(mentions[*about].rule)),
                    );
                }
            }
            builder.graph.add_edge(
                claim_id,
                doc_id,
                Edge::new(RelType::SourcedFrom)
                    .with_number("sentence", draft.sentence as u32)
                    .with_number("start", draft.start as u32)
                    .with_number("end", draft.end as u32),
            );
            if low.is_some() || high.is_some() {
                self.figures.push(conflicts::ClaimFigure {
                    claim: claim_id,
                    topic: draft.topic,
                    low,
                    high,
                    reporter: nodes[draft.reporter],
                    document: document_key,
                    about: subjects_start as u32..self.subjects.len() as u32,
                });
            } else {
                self.subjects.truncate(subjects_start);
            }
        }
    }

    /// Links what only the whole corpus tells (lone surnames, agreeing and conflicting
    /// claims) and returns the graph.
    pub fn finish(mut self) -> KnowledgeGraph {
        add_surname_aliases(&mut self.builder);
        conflicts::link_claims(&mut self.builder.graph, &self.figures, &self.subjects);
        self.builder.graph
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
    let mut people: Vec<(NodeId, String)> = builder
        .entities
        .iter()
        .filter_map(|(key, id)| match key {
            EntityKey::Person(_) => Some((*id, builder.graph.node(*id).name.clone())),
            _ => None,
        })
        .collect();
    // In node order, not hash order, so every build gives the same graph.
    people.sort_unstable();
    for (id, name) in people {
        let Some((_, surname)) = name.rsplit_once(' ') else {
            continue;
        };
        let unique = builder
            .surnames
            .get(&name_key(surname))
            .is_some_and(Option::is_some);
        let taken = builder
            .graph
            .lookup(surname)
            .iter()
            .any(|other| *other != id);
        if unique && !taken {
            builder.graph.add_alias(id, surname);
        }
    }
}

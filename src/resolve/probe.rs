//! Whether a changed document leaves every other document's part of the graph as it
//! was (step 2 of `docs/incremental-resolution.md`).
//!
//! A document's part depends on the documents before it only through the entity
//! state ([`Effect`]s). The probe runs resolution's own `entity_node` on a changed
//! document's mentions (and checks its links as `Resolver::add_prepared` makes them),
//! but against the state after the whole old corpus, seeing only what documents before
//! it made first (the *horizon*), and lists the effects it would make. When they are
//! the very effects the old version of the document made, in the same order, the
//! entity state after it is the old one, and every later document resolves as before.
//! Effects that no document of the old corpus made (fresh entities and places, new
//! aliases, roles, kinds and links) change nothing another document reads either, as
//! long as no other document would make them: those the probe lets through, marked new.

use super::{
    entity_node, joined_key, link_entities, Among, Effect, EntityState, GraphBuilder,
    PreparedDocument, PreparedMention, Provenance,
};
use crate::extract::entities::{MentionKind, PlaceKind};
use crate::extract::gazetteer::gazetteer;
use crate::graph::{Edge, GraphRead, Node, NodeData, NodeId, OrgKind, RelType};
use rustc_hash::{FxHashMap, FxHashSet};

/// The entity state after every document, with the document that made each part of
/// it first.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct EntityTable {
    organizations: FxHashMap<String, NodeId>,
    units: FxHashMap<String, NodeId>,
    people: FxHashMap<String, NodeId>,
    unlisted_places: FxHashMap<String, NodeId>,
    surnames: FxHashMap<String, Option<String>>,
    /// Surnames that stood alone somewhere and were joined to their person.
    joined: FxHashSet<String>,
    places: Vec<Option<NodeId>>,
    /// Entity nodes' names (a node keeps the name it was made with).
    names: FxHashMap<NodeId, String>,
    /// Organizations' kinds as they were made.
    made_kinds: FxHashMap<NodeId, OrgKind>,
    /// Unlisted places' kinds (they never change).
    place_kinds: FxHashMap<NodeId, PlaceKind>,
    created: FxHashMap<NodeId, u32>,
    placed: FxHashMap<NodeId, u32>,
    aliases: FxHashMap<(NodeId, String), u32>,
    roles: FxHashMap<(NodeId, String), u32>,
    kinds: FxHashMap<NodeId, (u32, OrgKind)>,
    links: FxHashMap<(NodeId, NodeId, RelType), u32>,
}

impl EntityTable {
    pub(super) fn new(builder: &GraphBuilder, provenance: &Provenance) -> EntityTable {
        let mut table = EntityTable {
            organizations: builder.organizations.clone(),
            units: builder.units.clone(),
            people: builder.people.clone(),
            unlisted_places: builder.unlisted_places.clone(),
            surnames: builder.surnames.clone(),
            joined: builder.joined.clone(),
            places: builder.places.clone(),
            names: FxHashMap::default(),
            made_kinds: FxHashMap::default(),
            place_kinds: FxHashMap::default(),
            created: FxHashMap::default(),
            placed: FxHashMap::default(),
            aliases: FxHashMap::default(),
            roles: FxHashMap::default(),
            kinds: FxHashMap::default(),
            links: FxHashMap::default(),
        };
        for document in 0..provenance.starts.len() {
            let at = document as u32;
            for effect in provenance.effects_of(document) {
                match effect {
                    Effect::Created { node, .. } => {
                        table.created.insert(*node, at);
                        let made = builder.graph.node(*node);
                        table.names.insert(*node, made.name.clone());
                        match &made.data {
                            NodeData::Organization { kind } => {
                                table.made_kinds.insert(*node, *kind);
                            }
                            NodeData::Place(place) => {
                                if let Some(kind) = PlaceKind::from_graph_kind(&place.kind) {
                                    table.place_kinds.insert(*node, kind);
                                }
                            }
                            _ => {}
                        }
                    }
                    Effect::Place(node) => {
                        table.placed.insert(*node, at);
                    }
                    Effect::Alias(node, alias) => {
                        table.aliases.insert((*node, alias.clone()), at);
                    }
                    Effect::Role(node, role) => {
                        table.roles.insert((*node, role.clone()), at);
                    }
                    Effect::Kind(node, kind) => {
                        table.kinds.insert(*node, (at, *kind));
                        // It was made "other", and this is when it became known.
                        table.made_kinds.insert(*node, OrgKind::Other);
                    }
                    Effect::Linked(from, to, rel, _) => {
                        table.links.insert((*from, *to, *rel), at);
                    }
                }
            }
        }
        table
    }
}

impl EntityTable {
    /// The surnames (as keys) that only one person in the corpus has.
    pub(super) fn unique_surnames(&self) -> impl Iterator<Item = &str> {
        self.surnames
            .iter()
            .filter(|(_, owner)| owner.is_some())
            .map(|(surname, _)| surname.as_str())
    }

    /// Whether someone in the corpus has the surname `key`: `Some(Some(full name key))`
    /// when only one person has it, `Some(None)` when several do.
    pub(super) fn surname_owner(&self, key: &str) -> Option<Option<&str>> {
        self.surnames.get(key).map(Option::as_deref)
    }

    /// Whether a person node is found by `key` (a full name, or a lone surname no one
    /// in the corpus has in full).
    pub(super) fn has_person(&self, key: &str) -> bool {
        self.people.contains_key(key)
    }

    /// Whether the surname `key` stood alone somewhere and was joined to its person.
    pub(super) fn is_joined(&self, key: &str) -> bool {
        self.joined.contains(key)
    }

    /// The person node found by `key`.
    pub(super) fn person(&self, key: &str) -> Option<NodeId> {
        self.people.get(key).copied()
    }

    /// The nodes `ids` (old entity nodes) as they were made: their names and kinds,
    /// without aliases or roles.
    pub(super) fn made_nodes(&self, ids: &FxHashSet<NodeId>) -> FxHashMap<NodeId, Node> {
        let name = |id: &NodeId| self.names.get(id).cloned().unwrap_or_default();
        let mut made = FxHashMap::default();
        for id in ids {
            if let Some(kind) = self.made_kinds.get(id) {
                let kind = MentionKind::Organization(*kind);
                made.insert(*id, super::entity_node_of(name(id), kind));
            }
        }
        for (id, kind) in &self.place_kinds {
            if ids.contains(id) {
                let kind = MentionKind::UnlistedPlace(*kind);
                made.insert(*id, super::entity_node_of(name(id), kind));
            }
        }
        for (entities, kind) in [
            (&self.people, MentionKind::Person),
            (&self.units, MentionKind::Unit),
        ] {
            for id in entities.values().filter(|id| ids.contains(id)) {
                made.entry(*id)
                    .or_insert_with(|| super::entity_node_of(name(id), kind));
            }
        }
        made
    }

    /// Whether `key` is a surname only one person in the corpus has.
    pub(super) fn is_unique_surname(&self, key: &str) -> bool {
        self.surnames.get(key).is_some_and(Option::is_some)
    }
}

/// Why a changed document needs the whole corpus resolved again.
pub type Fallback = &'static str;

/// Node ids from here on stand for the nodes the changed documents make that the old
/// corpus has none of (*fresh* nodes), in the order they make them: `FRESH + i` is
/// [`FreshNodes::nodes`]`[i]`. (A graph has far fewer nodes.)
pub(super) const FRESH: u32 = 1 << 31;

/// Whether `id` is a fresh node's ([`FRESH`]).
pub(super) fn is_fresh(id: NodeId) -> bool {
    id.index() as u32 >= FRESH
}

/// What the changed documents make that no document of the old corpus made: entities
/// whose keys the entity table lacks and places the corpus never named. Each is made
/// by the first changed document that names it and found by the later ones; only
/// changed documents name them, so their nodes are exactly what those make of them.
#[derive(Debug, Default)]
pub(super) struct FreshNodes {
    /// The nodes in the order they are made.
    pub(super) nodes: Vec<Node>,
    /// For each, the old node it stands for, if any: a place a later document of the
    /// old corpus made, which a changed document now names first and so makes in its
    /// own part.
    pub(super) was: Vec<Option<NodeId>>,
    ids: FxHashMap<FreshKey, NodeId>,
    /// The links no document of the old corpus made that the changed documents make,
    /// each by the first that makes it.
    links: FxHashSet<(NodeId, NodeId, RelType)>,
}

/// What a fresh node is found by.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum FreshKey {
    Entity(Among, String),
    Place(usize),
}

/// A changed document as the probe found it.
#[derive(Debug)]
pub(super) struct Probed {
    /// Each mention's node: an old id, or a fresh one.
    pub(super) nodes: Vec<NodeId>,
    /// The fresh nodes it made (of [`FreshNodes::nodes`]).
    pub(super) made: std::ops::Range<usize>,
    /// Which of the nodes it makes, in order, are fresh (`true`) and which its old
    /// version made too (the old part's nodes after its document node, in order).
    pub(super) made_order: Vec<bool>,
    /// The `LOCATED_IN` edges of the fresh places it made, in the order it made them.
    pub(super) located: Vec<(NodeId, NodeId)>,
    /// Which of its `LOCATED_IN` edges, in order, are fresh (the next of `located`) and
    /// which its old version made too.
    pub(super) located_order: Vec<bool>,
    /// Its links that no document of the old corpus made (a fresh end, or two old
    /// ends never linked), in the order it made them.
    pub(super) links: Vec<(NodeId, NodeId, Edge)>,
    /// Which of its links, in order, are new (the next of `links`) and which its old
    /// version made too.
    pub(super) links_order: Vec<bool>,
    /// The aliases, roles and kinds it gives old nodes, in the order it gives them:
    /// those its old version gave them too, and new ones (`true`).
    pub(super) on_old_nodes: Vec<(Effect, bool)>,
}

/// Whether `document`, now at `position` in corpus order where a document that made
/// `owned` first stood, makes exactly those effects first, apart from what it makes
/// of fresh nodes and new links (which go among the old ones, in the order it makes
/// them, moving the old part's own ids up). `surnames`: the surnames of the people
/// the changed documents name that no one in the old corpus has, each with its one
/// owner (or `None` for several); `fresh`: the fresh nodes of the changed documents
/// before it, which it adds to. (Its people's full names must be the old ones apart
/// from fresh ones, which the caller checks: they decide lone surnames everywhere.)
pub(super) fn probe(
    table: &EntityTable,
    surnames: &FxHashMap<String, Option<String>>,
    fresh: &mut FreshNodes,
    document: &PreparedDocument,
    position: u32,
    owned: &[Effect],
) -> Result<Probed, Fallback> {
    let first_fresh = fresh.nodes.len();
    let mut probe = Probe {
        table,
        surnames,
        horizon: position,
        made: Vec::new(),
        fresh,
        located: Vec::new(),
        located_order: Vec::new(),
        links: Vec::new(),
    };
    let text = &document.text;
    let mut nodes = Vec::with_capacity(document.mentions.len());
    let mut scratch = String::new();
    for mention in &document.mentions {
        nodes.push(entity_node(&mut probe, mention, text, &mut scratch)?);
    }
    link_entities(
        &mut probe,
        &document.mentions,
        &nodes,
        &document.part_of,
        text,
    )?;
    let made = &probe.made;
    let old_ones = made.iter().filter(|(_, new)| !new).map(|(e, _)| e);
    if !old_ones.eq(owned.iter()) {
        return Err("the document changes what it makes first");
    }
    let order = |of_kind: fn(&Effect) -> bool| {
        made.iter()
            .filter(|(e, _)| of_kind(e))
            .map(|(_, new)| *new)
            .collect()
    };
    let made_order = order(|e| matches!(e, Effect::Created { .. } | Effect::Place(_)));
    let links_order = order(|e| matches!(e, Effect::Linked(..)));
    let on_old_nodes = probe
        .made
        .iter()
        .filter(|(e, _)| matches!(e, Effect::Alias(..) | Effect::Role(..) | Effect::Kind(..)))
        .filter(|(e, _)| !e.touches_fresh())
        .cloned()
        .collect();
    Ok(Probed {
        nodes,
        made: first_fresh..probe.fresh.nodes.len(),
        made_order,
        located: probe.located,
        located_order: probe.located_order,
        links: probe.links,
        links_order,
        on_old_nodes,
    })
}

impl Effect {
    /// Whether the effect is on a fresh node ([`FRESH`]).
    fn touches_fresh(&self) -> bool {
        match self {
            Effect::Created { node, .. }
            | Effect::Place(node)
            | Effect::Alias(node, _)
            | Effect::Role(node, _)
            | Effect::Kind(node, _) => is_fresh(*node),
            Effect::Linked(from, to, _, _) => is_fresh(*from) || is_fresh(*to),
        }
    }
}

struct Probe<'t> {
    table: &'t EntityTable,
    /// Surnames only fresh people have.
    surnames: &'t FxHashMap<String, Option<String>>,
    horizon: u32,
    /// What the document has made first so far, each with whether it is new (made by
    /// no document of the old corpus: on a fresh node, or on old ones).
    made: Vec<(Effect, bool)>,
    fresh: &'t mut FreshNodes,
    located: Vec<(NodeId, NodeId)>,
    located_order: Vec<bool>,
    links: Vec<(NodeId, NodeId, Edge)>,
}

impl Probe<'_> {
    /// Whether the effect made first by document `first` (if any) is there already,
    /// is this document's to make now (`Ok(false)`), or was first made by a later
    /// document or never, so that the state changes.
    fn there(&self, first: Option<u32>, effect: &Effect) -> Result<bool, Fallback> {
        match first {
            Some(first) if first < self.horizon => Ok(true),
            Some(first) if first == self.horizon => Ok(self.has_made(effect)),
            Some(_) => Err("the document makes first what a later one made"),
            None => Err("the document makes something no document made"),
        }
    }

    fn has_made(&self, effect: &Effect) -> bool {
        self.made.iter().any(|(made, _)| made == effect)
    }

    /// `make`: the effect, made now unless [`Probe::there`]; new when no document made
    /// it (an alias, role, kind or link of old nodes: resolution makes those whenever
    /// they are not there).
    fn make(&mut self, first: Option<u32>, effect: Effect) -> Result<(), Fallback> {
        if first.is_none() {
            if !self.has_made(&effect) {
                self.made.push((effect, true));
            }
            return Ok(());
        }
        if !self.there(first, &effect)? {
            self.made.push((effect, false));
        }
        Ok(())
    }

    /// Makes `node`, fresh, found by `key` from now on (the callers looked for it
    /// first), and records its making.
    fn fresh_node(&mut self, key: FreshKey, node: Node) -> NodeId {
        let id = NodeId::new((FRESH + self.fresh.nodes.len() as u32) as usize);
        let made = match &key {
            FreshKey::Entity(_, key) => Effect::Created {
                node: id,
                key: key.clone(),
            },
            FreshKey::Place(_) => Effect::Place(id),
        };
        self.made.push((made, true));
        self.fresh.nodes.push(node);
        self.fresh.was.push(None);
        self.fresh.ids.insert(key, id);
        id
    }

    fn fresh_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.fresh.nodes[id.index() - FRESH as usize]
    }

    /// A place made fresh (standing for old node `was`, if any), and its parents.
    fn fresh_place(&mut self, index: usize, was: Option<NodeId>) -> Result<NodeId, Fallback> {
        let id = self.fresh_node(FreshKey::Place(index), super::gazetteer_node(index));
        self.fresh.was[id.index() - FRESH as usize] = was;
        if let Some(parent) = gazetteer().entry(index).parent {
            let parent = self.place(parent)?;
            self.located.push((id, parent));
            self.located_order.push(true);
        }
        Ok(id)
    }
}

impl EntityState for Probe<'_> {
    type Error = Fallback;

    fn entity(
        &mut self,
        among: Among,
        mention: &PreparedMention,
        text: &str,
    ) -> Result<NodeId, Fallback> {
        let table = self.table;
        let own_key = mention.key.of(text);
        let (entities, key) = match among {
            Among::Organizations => (&table.organizations, own_key),
            Among::Units => (&table.units, own_key),
            Among::UnlistedPlaces => (&table.unlisted_places, own_key),
            Among::People => {
                // The changed documents' new people decide first whom their surnames
                // stand for.
                let key = match self.surnames.contains_key(own_key) {
                    true => joined_key(self.surnames, own_key),
                    false => joined_key(&table.surnames, own_key),
                };
                (&table.people, key)
            }
        };
        let Some(id) = entities.get(key).copied() else {
            let fresh_key = FreshKey::Entity(among, key.to_string());
            if let Some(id) = self.fresh.ids.get(&fresh_key) {
                return Ok(*id);
            }
            if key != own_key {
                // The builder would name it after a node named like the full name.
                return Err("a lone surname comes before its new person's full name");
            }
            let name = mention.name.of(text);
            let node = super::entity_node_of(name.to_string(), mention.kind);
            return Ok(self.fresh_node(fresh_key, node));
        };
        let created = Effect::Created {
            node: id,
            key: key.to_string(),
        };
        if !self.there(table.created.get(&id).copied(), &created)? {
            // Made here, as the old document made it: same name, same kind.
            let made_name = table.names.get(&id).map(String::as_str);
            if key != own_key || made_name != Some(mention.name.of(text)) {
                return Err("an entity made here under another name");
            }
            match mention.kind {
                MentionKind::Organization(kind) if table.made_kinds.get(&id) != Some(&kind) => {
                    return Err("an organization made here with another kind");
                }
                MentionKind::UnlistedPlace(kind) if table.place_kinds.get(&id) != Some(&kind) => {
                    return Err("a place made here with another kind");
                }
                _ => {}
            }
            self.made.push((created, false));
        }
        Ok(id)
    }

    fn name(&self, id: NodeId) -> &str {
        if is_fresh(id) {
            return &self.fresh.nodes[id.index() - FRESH as usize].name;
        }
        self.table.names.get(&id).map_or("", String::as_str)
    }

    fn alias(&mut self, id: NodeId, alias: &str) -> Result<(), Fallback> {
        if self.name(id) == alias {
            return Ok(());
        }
        if is_fresh(id) {
            super::give_alias(self.fresh_mut(id), alias);
            return Ok(());
        }
        let first = self.table.aliases.get(&(id, alias.to_string())).copied();
        self.make(first, Effect::Alias(id, alias.to_string()))
    }

    fn role(&mut self, id: NodeId, role: &str) -> Result<(), Fallback> {
        if is_fresh(id) {
            super::give_role(self.fresh_mut(id), role);
            return Ok(());
        }
        let first = self.table.roles.get(&(id, role.to_string())).copied();
        self.make(first, Effect::Role(id, role.to_string()))
    }

    fn kind(&mut self, id: NodeId, found: OrgKind) -> Result<(), Fallback> {
        if is_fresh(id) {
            super::settle_kind(self.fresh_mut(id), found);
            return Ok(());
        }
        let table = self.table;
        let made_here = self.made.iter().find_map(|(e, _)| match e {
            Effect::Kind(node, kind) if *node == id => Some(*kind),
            _ => None,
        });
        let upgraded = made_here.or(table
            .kinds
            .get(&id)
            .filter(|(first, _)| *first < self.horizon)
            .map(|(_, kind)| *kind));
        let kind = upgraded.or(table.made_kinds.get(&id).copied());
        if kind == Some(OrgKind::Other) && found != OrgKind::Other {
            let first = table
                .kinds
                .get(&id)
                .filter(|(_, kind)| *kind == found)
                .map(|(first, _)| *first);
            if first.is_none() && table.kinds.contains_key(&id) {
                // A later document found another kind for it, and would find this one.
                return Err("an organization's kind is known first in a later document");
            }
            self.make(first, Effect::Kind(id, found))?;
        }
        Ok(())
    }

    fn place(&mut self, index: usize) -> Result<NodeId, Fallback> {
        if let Some(id) = self.fresh.ids.get(&FreshKey::Place(index)) {
            return Ok(*id);
        }
        let Some(id) = self.table.places.get(index).copied().flatten() else {
            return self.fresh_place(index, None);
        };
        let first = self.table.placed.get(&id).copied();
        if first.is_some_and(|first| first > self.horizon) {
            // A later document made it: now this one does, in its own part. (Its node
            // is the gazetteer's, whoever makes it.)
            return self.fresh_place(index, Some(id));
        }
        if !self.there(first, &Effect::Place(id))? {
            self.made.push((Effect::Place(id), false));
            if let Some(parent) = gazetteer().entry(index).parent {
                self.place(parent)?;
                self.located_order.push(false);
            }
        }
        Ok(id)
    }

    fn link(
        &mut self,
        from: NodeId,
        to: NodeId,
        rel: RelType,
        role: Option<&str>,
    ) -> Result<(), Fallback> {
        let made_here = self.made.iter().any(
            |(m, _)| matches!(m, Effect::Linked(f, t, r, _) if (*f, *t, *r) == (from, to, rel)),
        );
        let first = match is_fresh(from) || is_fresh(to) {
            true => None,
            false => self.table.links.get(&(from, to, rel)).copied(),
        };
        // The link is there when any document before made it, whatever its text.
        if made_here || first.is_some_and(|first| first < self.horizon) {
            return Ok(());
        }
        let effect = Effect::Linked(from, to, rel, role.map(str::to_string));
        if first.is_none() {
            if !self.fresh.links.insert((from, to, rel)) {
                return Ok(()); // an earlier changed document made it
            }
            // No document made it: a new edge of this document's part.
            self.made.push((effect, true));
            self.links.push((from, to, super::link_edge(rel, role)));
            return Ok(());
        }
        self.make(first, effect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::extract::testing::numbers;
    use crate::extract::DocumentExtraction;
    use crate::graph::{EdgeId, KnowledgeGraph};
    use crate::resolve::rebuild::{ChangedDocument, RebuildState};
    use crate::resolve::{people_of, GraphSize, Resolver};
    use std::collections::HashSet;

    fn extract(texts: &[String]) -> Vec<DocumentExtraction> {
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                crate::extract::extract_document(&Document {
                    id: format!("{i:03}.txt"),
                    text: text.clone(),
                    ..Document::default()
                })
            })
            .collect()
    }

    fn resolver(extractions: &[DocumentExtraction]) -> Resolver {
        let people: Vec<String> = extractions.iter().flat_map(people_of).collect();
        let mut size = GraphSize::default();
        for extraction in extractions {
            size.add(&GraphSize::of(extraction));
        }
        let mut resolver = Resolver::new(people.iter().map(String::as_str), size);
        for extraction in extractions {
            resolver.add(extraction.clone(), None);
        }
        resolver
    }

    /// Edits of the kinds a corpus sees: a sentence added (naming a place the document
    /// names, or one an earlier or a later document names), a figure changed, a
    /// paragraph dropped, another story in its place, and someone no article named
    /// before (with an organization and a place the corpus may not have): before the
    /// document's own mentions and named again by surname, or after them; someone an
    /// article named, with a role no article gave them; a later document's place,
    /// after the document's own mentions.
    fn edit(
        text: &str,
        how: u64,
        other: &str,
        places: [&str; 3],
        newcomer: &str,
        someone: &str,
    ) -> String {
        let sentence = |place: &str| {
            let added =
                format!(". Separately, the governor said 12 soldiers had deserted near {place}. ");
            text.replacen(". ", &added, 1)
        };
        let surname = newcomer.rsplit(' ').next().unwrap_or(newcomer);
        let news = format!(
            "Separately, {newcomer}, a spokesman for the {surname} Institute, said 40 \
             soldiers had left near {}.",
            places[2]
        );
        let envoy = format!(
            "Separately, {someone}, the regional envoy, said 30 soldiers had left near {}.",
            places[0]
        );
        match how % 13 {
            0 => sentence(places[0]),
            1 => text.replacen(|c: char| c.is_ascii_digit(), "7", 1),
            2 => match text.trim_end().rsplit_once("\n\n") {
                Some((head, _)) => head.to_string(),
                None => text.to_string(),
            },
            3 => other.to_string(),
            4 => sentence(places[1]),
            5 => sentence(places[2]),
            6 => {
                let again = format!("{news} {surname} added that more had gone.");
                text.replacen(". ", &format!(". {again} "), 1)
            }
            10 => text.replacen(". ", &format!(". {envoy} "), 1),
            11 => format!("{}\n\n{envoy}\n", text.trim_end()),
            12 => format!(
                "{}\n\nThe governor said 12 soldiers had deserted near {}.\n",
                text.trim_end(),
                places[1]
            ),
            _ => format!("{}\n\n{news}\n", text.trim_end()),
        }
    }

    /// When a rebuild resolves only the changed documents, a build from scratch of the
    /// new corpus leaves every other document's part as it was (its ids moved by the
    /// changed parts before it), every document makes the same effects first (a
    /// changed one apart from its new entities), and the base with the rebuild's delta
    /// loads as the graph from scratch, byte for byte.
    #[test]
    fn a_passed_probe_means_every_other_part_is_unchanged() {
        let mut next = numbers(5);
        let (mut passed, mut failed, mut owning, mut fresh, mut added) = (0, 0, 0, 0, 0);
        let mut moved = 0;
        let mut reasons = std::collections::BTreeMap::new();
        for round in 0..60u64 {
            let texts: Vec<String> = (0..40)
                .map(|i| crate::corpus::synth::article(round % 3, i).contents)
                .collect();
            let old = extract(&texts);
            // The first place a document names (else one the corpus may not know).
            let place_of = |i: usize| {
                old.get(i)
                    .and_then(|e| {
                        e.mentions
                            .iter()
                            .find(|m| matches!(m.kind, MentionKind::Place(_)))
                    })
                    .map_or("Kupiansk".to_string(), |m| m.surface.clone())
            };
            let mut edited = texts.clone();
            let changed: Vec<usize> = (0..1 + next() % 3)
                .map(|_| (next() % 40) as usize)
                .collect();
            let how = next();
            let letters = |n: u64| -> String {
                (0..6)
                    .map(|k| char::from(b'a' + (n >> (5 * k) & 15) as u8))
                    .collect()
            };
            let newcomers = [
                format!("Taras Vand{}", letters(next())),
                format!("Olena Marv{}", letters(next())),
            ];
            let gazetteer = gazetteer();
            let somewhere = gazetteer
                .entry(next() as usize % gazetteer.len())
                .name
                .clone();
            // A person some document names in full.
            let someone = old
                .iter()
                .flat_map(|e| &e.mentions)
                .filter(|m| m.kind == MentionKind::Person && m.name.contains(' '))
                .nth(next() as usize % 20)
                .map_or("Taras Shevchuk".to_string(), |m| m.name.clone());
            for (n, i) in changed.iter().enumerate() {
                let other = texts[(i + 7 + n) % 40].clone();
                let third = match n {
                    0 => somewhere.clone(),
                    _ => place_of(i.saturating_sub(3)),
                };
                let places = [place_of(*i), place_of(i + 5 + n), third];
                let places = [places[0].as_str(), places[1].as_str(), places[2].as_str()];
                // The same newcomer in two documents, or two newcomers.
                let newcomer = &newcomers[(n as u64 * (round / 24)) as usize % 2];
                let how = how + n as u64 * (round % 2);
                edited[*i] = edit(&texts[*i], how, &other, places, newcomer, &someone);
            }
            let mut changed = changed;
            changed.sort_unstable();
            changed.dedup();
            // Articles added after the last one, in a round of three, one of them
            // naming the newcomer.
            if round % 3 == 2 {
                for k in 0..1 + how % 2 {
                    let added = crate::corpus::synth::article(round % 3 + 7, k as usize);
                    let text = match k {
                        0 => edit(&added.contents, 7, "", ["Kupiansk"; 3], &newcomers[0], ""),
                        _ => added.contents,
                    };
                    changed.push(edited.len());
                    edited.push(text);
                }
            }
            let new = extract(&edited);
            let before = resolver(&old);
            let old_provenance = before.provenance();
            let ((old_graph, old_claims), state) = before.finish_with_state(vec![0; old.len()]);
            let after = resolver(&new);
            let new_provenance = after.provenance();
            let new_graph = after.finish_unlinked().0;
            let scratch = resolver(&new).finish();

            // Through files: the base and its state saved, the rebuild's delta written
            // beside it and applied as the graph is loaded.
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("g.cgraph");
            let links = old_claims.links();
            let link_count = links.len() as u64;
            crate::graph::save_linked(&old_graph, &path, || links, None).unwrap();
            let bulk = state.encode_bulk(&old_claims);
            state.save(&path, bulk).unwrap();
            let state = RebuildState::load(&path)
                .unwrap()
                .expect("a state was saved");
            let changed_documents = changed
                .iter()
                .map(|i| ChangedDocument {
                    position: *i,
                    document: PreparedDocument::of(&new[*i], None),
                    people: people_of(&new[*i]),
                })
                .collect();
            let delta = match super::super::rebuild::rebuild(&state, changed_documents, link_count)
            {
                Ok(delta) => delta,
                Err(reason) => {
                    *reasons.entry(reason).or_insert(0) += 1;
                    failed += 1;
                    continue;
                }
            };
            passed += 1;
            added += usize::from(edited.len() > texts.len());
            owning += changed
                .iter()
                .filter(|i| **i < texts.len() && !old_provenance.effects_of(**i).is_empty())
                .count();
            // A place a changed document names before the document that made it moves
            // to the changed document's part: the part it left is not the old one.
            let left = (0..texts.len())
                .filter(|i| !changed.contains(i))
                .any(|i| new_provenance.effects_of(i).len() != old_provenance.effects_of(i).len());
            if left {
                moved += 1;
            } else {
                let new_entities = assert_same_parts(
                    &old_graph,
                    &old_provenance,
                    &new_graph,
                    &new_provenance,
                    &changed,
                );
                fresh += usize::from(new_entities > 0);
            }

            crate::graph::save_delta(&path, &delta, Some(7)).unwrap();
            let loaded = crate::graph::load(&path).unwrap();
            // (Not assert_eq: the bytes of two graphs are no message.)
            assert!(
                saved(&loaded) == saved(&scratch),
                "round {round}, {changed:?}, through a delta"
            );
            let record = crate::graph::BuildRecord::of_file(&path).unwrap();
            assert_eq!(
                (record.input, record.nodes, record.edges),
                (7, scratch.node_count() as u64, scratch.edge_count() as u64)
            );
        }
        // Both verdicts are met, documents that made entities first pass too, and so
        // do documents that name new entities, and added ones.
        assert!(
            passed > 6 && failed > 3 && owning > 0 && fresh > 3 && added > 2 && moved > 2,
            "passed {passed}, failed {failed}, owning {owning}, new entities {fresh}, \
             added {added}, moved places {moved}: \
             {reasons:?}"
        );
    }

    fn saved(graph: &KnowledgeGraph) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.cgraph");
        crate::graph::save(graph, &path).unwrap();
        std::fs::read(path).unwrap()
    }

    fn assert_same_parts(
        old: &KnowledgeGraph,
        old_parts: &Provenance,
        new: &KnowledgeGraph,
        new_parts: &Provenance,
        changed: &[usize],
    ) -> usize {
        let documents = old_parts.starts.len();
        assert!(new_parts.starts.len() >= documents);
        let part_of = |id: NodeId| {
            old_parts
                .starts
                .partition_point(|s| s[0] as usize <= id.index())
                - 1
        };
        // Entities and places by what they are (a changed part's own ids may move up by
        // the fresh nodes made among them); document and claim nodes by their offset in
        // their part.
        let identity = |node: &crate::graph::Node| match &node.data {
            NodeData::Place(place) => Some(format!("place {} {:?}", node.name, place.lat)),
            NodeData::Person { .. } => Some(format!("person {}", node.name)),
            NodeData::Organization { .. } => Some(format!("organization {}", node.name)),
            NodeData::Unit => Some(format!("unit {}", node.name)),
            _ => None,
        };
        let by_identity: std::collections::HashMap<String, NodeId> = (0..new.node_count())
            .map(NodeId::new)
            .filter_map(|id| identity(new.node(id)).map(|key| (key, id)))
            .collect();
        let remap = |id: NodeId| {
            if let Some(id) = identity(old.node(id)).and_then(|key| by_identity.get(&key)) {
                return *id;
            }
            let part = part_of(id);
            let offset = id.index() - old_parts.starts[part][0] as usize;
            NodeId::new(new_parts.starts[part][0] as usize + offset)
        };
        let remap_effect = |effect: &Effect| match effect.clone() {
            Effect::Created { node, key } => Effect::Created {
                node: remap(node),
                key,
            },
            Effect::Place(node) => Effect::Place(remap(node)),
            Effect::Alias(node, a) => Effect::Alias(remap(node), a),
            Effect::Role(node, r) => Effect::Role(remap(node), r),
            Effect::Kind(node, k) => Effect::Kind(remap(node), k),
            Effect::Linked(f, t, r, x) => Effect::Linked(remap(f), remap(t), r, x),
        };
        let end = |parts: &Provenance, graph: &KnowledgeGraph, i: usize, k: usize| {
            parts.part(i, Provenance::ends(graph))[k].end
        };
        // The nodes the changed documents make that the old corpus has none of, and
        // the old nodes they give new aliases, roles or kinds.
        let (mut fresh, mut touched) = (HashSet::new(), HashSet::new());
        for i in changed {
            let made_before: Vec<Effect> = match *i < documents {
                true => old_parts.effects_of(*i).iter().map(remap_effect).collect(),
                false => Vec::new(), // added after the last
            };
            for effect in new_parts.effects_of(*i) {
                match effect {
                    _ if made_before.contains(effect) => {}
                    Effect::Created { node, .. } | Effect::Place(node) => {
                        fresh.insert(*node);
                    }
                    Effect::Alias(node, _) | Effect::Role(node, _) | Effect::Kind(node, _) => {
                        touched.insert(*node);
                    }
                    Effect::Linked(..) => {}
                }
            }
        }
        let mut new_entities = 0;
        for i in 0..documents {
            let effects: Vec<Effect> = old_parts.effects_of(i).iter().map(remap_effect).collect();
            let mut made = new_parts.effects_of(i).to_vec();
            // Less what it makes of fresh nodes (only changed documents name them).
            let before = made.len();
            made.retain(|e| !nodes_of(e).any(|n| fresh.contains(&n)));
            new_entities += before - made.len();
            if changed.contains(&i) {
                // And less what it gives old nodes that no document gave them.
                let mut made = made.iter();
                let kept = effects.iter().all(|e| made.any(|m| m == e));
                assert!(kept, "document {i}: {:?}", new_parts.effects_of(i));
            } else {
                assert_eq!(made, effects, "document {i}");
            }
            for effect in old_parts.effects_of(i) {
                if let Effect::Created { node, .. } | Effect::Place(node) = effect {
                    if !touched.contains(&remap(*node)) {
                        let (new, old) = (new.node(remap(*node)), old.node(*node));
                        assert_eq!(as_made(new), as_made(old), "document {i}");
                    }
                }
            }
            if changed.contains(&i) {
                continue;
            }
            let old_nodes = old_parts.starts[i][0]..end(old_parts, old, i, 0);
            for id in old_nodes {
                let id = NodeId::new(id as usize);
                if !touched.contains(&remap(id)) {
                    let (new, old) = (new.node(remap(id)), old.node(id));
                    assert_eq!(as_made(new), as_made(old), "document {i}");
                }
            }
            let (old_edges, new_start) = (
                old_parts.starts[i][1]..end(old_parts, old, i, 1),
                new_parts.starts[i][1],
            );
            assert_eq!(
                end(new_parts, new, i, 1) - new_start,
                old_edges.len() as u32
            );
            for (offset, e) in old_edges.enumerate() {
                let (old_id, new_id) = (
                    EdgeId::new(e as usize),
                    EdgeId::new(new_start as usize + offset),
                );
                let (from, to) = old.endpoints(old_id);
                assert_eq!(new.endpoints(new_id), (remap(from), remap(to)));
                assert_eq!(new.edge(new_id), old.edge(old_id));
            }
            let old_mentions = old_parts.starts[i][2] as usize..end(old_parts, old, i, 2) as usize;
            let new_start = new_parts.starts[i][2] as usize;
            for (offset, m) in old_mentions.enumerate() {
                let (was, is) = (&old.mentions[m], &new.mentions[new_start + offset]);
                assert_eq!(
                    is.node,
                    remap(NodeId::new(was.node as usize)).index() as u32
                );
                assert_eq!(
                    is.document,
                    remap(NodeId::new(was.document as usize)).index() as u32
                );
                assert_eq!(
                    (is.sentence, is.start, is.end, is.rule),
                    (was.sentence, was.start, was.end, was.rule)
                );
            }
        }
        new_entities
    }

    /// A node without the surname alias a full build gives when it finishes (which a
    /// new person with the same surname takes away).
    fn as_made(node: &crate::graph::Node) -> crate::graph::Node {
        let mut node = node.clone();
        if let Some((_, surname)) = node.name.rsplit_once(' ') {
            let surname = surname.to_string();
            node.aliases.retain(|alias| *alias != surname);
        }
        node
    }

    /// The nodes an effect is on, and for a link, of.
    fn nodes_of(effect: &Effect) -> impl Iterator<Item = NodeId> {
        let (a, b) = match effect {
            Effect::Created { node, .. }
            | Effect::Place(node)
            | Effect::Alias(node, _)
            | Effect::Role(node, _)
            | Effect::Kind(node, _) => (*node, None),
            Effect::Linked(from, to, _, _) => (*from, Some(*to)),
        };
        std::iter::once(a).chain(b)
    }
}

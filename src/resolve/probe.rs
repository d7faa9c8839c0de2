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

use super::{
    add_claims, add_mentions, conflicts, entity_node, joined_key, link_entities, Among, Effect,
    EntityState, GraphBuilder, PreparedDocument, PreparedMention, Provenance, UnlinkedClaims,
};
use crate::extract::entities::MentionKind;
use crate::extract::gazetteer::gazetteer;
use crate::graph::{
    EdgeId, GraphRead, KnowledgeGraph, MentionRecord, NodeData, NodeId, OrgKind, RelType,
};
use rustc_hash::FxHashMap;

/// The entity state after every document, with the document that made each part of
/// it first.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct EntityTable {
    organizations: FxHashMap<String, NodeId>,
    units: FxHashMap<String, NodeId>,
    people: FxHashMap<String, NodeId>,
    surnames: FxHashMap<String, Option<String>>,
    places: Vec<Option<NodeId>>,
    /// Entity nodes' names (a node keeps the name it was made with).
    names: FxHashMap<NodeId, String>,
    /// Organizations' kinds as they were made.
    made_kinds: FxHashMap<NodeId, OrgKind>,
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
            surnames: builder.surnames.clone(),
            places: builder.places.clone(),
            names: FxHashMap::default(),
            made_kinds: FxHashMap::default(),
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
                        if let NodeData::Organization { kind } = made.data {
                            table.made_kinds.insert(*node, kind);
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

    /// Whether `key` is a surname only one person in the corpus has.
    pub(super) fn is_unique_surname(&self, key: &str) -> bool {
        self.surnames.get(key).is_some_and(Option::is_some)
    }
}

/// Why a changed document needs the whole corpus resolved again.
pub type Fallback = &'static str;

/// Whether `document`, now at `position` in corpus order where a document that made
/// `owned` first stood, makes exactly those effects first. (Its people's full names
/// must be the old ones too, which the caller checks: they decide lone surnames
/// everywhere.)
pub fn probe(
    table: &EntityTable,
    document: &PreparedDocument,
    position: u32,
    owned: &[Effect],
) -> Result<Vec<NodeId>, Fallback> {
    let mut probe = Probe {
        table,
        horizon: position,
        made: Vec::new(),
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
    if probe.made != owned {
        return Err("the document changes what it makes first");
    }
    Ok(nodes)
}

/// The old corpus as resolved: its graph without links (surname aliases added), where
/// each document's part lies and what it made first, and its claims' figures.
pub struct Resolved<'a> {
    pub graph: &'a KnowledgeGraph,
    pub parts: &'a Provenance,
    pub claims: &'a UnlinkedClaims,
}

/// The graph (without links, and its claims to link) that resolving the new corpus
/// from scratch gives, made from the old one's parts: `changed` holds each changed
/// document's position, its new version, and its mentions' nodes as
/// [`probe`] found them (old ids). Every other document's part is copied, its ids
/// moved by the change in size of the parts before it.
pub fn patch(
    old: &Resolved,
    changed: Vec<(usize, PreparedDocument, Vec<NodeId>)>,
) -> (KnowledgeGraph, UnlinkedClaims) {
    let (graph, parts) = (old.graph, old.parts);
    let documents = parts.starts.len();
    let ends = Provenance::ends(graph);
    let range = |i: usize, part: usize| parts.part(i, ends)[part].clone();
    let mut new = KnowledgeGraph::with_capacity(graph.node_count(), graph.edge_count());
    // Where each document's part starts in the new graph, filled in as it is written:
    // a part only refers to nodes of its own and earlier parts.
    let mut new_starts: Vec<u32> = Vec::with_capacity(documents);
    let remap = |id: NodeId, new_starts: &[u32]| {
        let part = parts
            .starts
            .partition_point(|s| s[0] as usize <= id.index())
            - 1;
        NodeId::new((new_starts[part] + (id.index() as u32 - parts.starts[part][0])) as usize)
    };
    let copy_edge = |new: &mut KnowledgeGraph, new_starts: &[u32], e: u32| {
        let id = EdgeId::new(e as usize);
        let (from, to) = graph.endpoints(id);
        new.add_edge(
            remap(from, new_starts),
            remap(to, new_starts),
            *graph.edge(id),
        );
    };
    let old_figures = &old.claims.figures;
    let mut next_figure = 0;
    let mut figures = Vec::with_capacity(old_figures.len());
    let mut subjects = Vec::with_capacity(old.claims.subjects.len());
    let mut mentioned = Vec::new();
    let mut changed = changed.into_iter().peekable();
    for i in 0..documents {
        new_starts.push(new.node_count() as u32);
        let nodes = range(i, 0);
        // The old part's figures, in claim order.
        let first_figure = next_figure;
        while old_figures
            .get(next_figure)
            .is_some_and(|f| nodes.contains(&(f.claim.index() as u32)))
        {
            next_figure += 1;
        }
        if changed.peek().is_some_and(|(at, _, _)| *at == i) {
            let (_, document, found) = changed.next().expect("peeked");
            let PreparedDocument {
                node,
                key,
                mentions,
                part_of: _,
                claim_nodes,
                claims,
                ..
            } = document;
            let doc_id = new.add_node(node);
            // The entity and place nodes it made first, as its old part made them.
            let made = parts
                .effects_of(i)
                .iter()
                .filter(|e| matches!(e, Effect::Created { .. } | Effect::Place(_)))
                .count() as u32;
            for id in nodes.start + 1..nodes.start + 1 + made {
                new.add_node(graph.node(NodeId::new(id as usize)).clone());
            }
            let edges = range(i, 1);
            let rel = |e: &u32| graph.edge(EdgeId::new(*e as usize)).rel;
            for e in edges.clone().take_while(|e| rel(e) == RelType::LocatedIn) {
                copy_edge(&mut new, &new_starts, e);
            }
            let found: Vec<NodeId> = found.iter().map(|id| remap(*id, &new_starts)).collect();
            add_mentions(&mut new, doc_id, &mentions, &found, &mut mentioned);
            for e in edges.filter(|e| matches!(rel(e), RelType::AffiliatedWith | RelType::PartOf)) {
                copy_edge(&mut new, &new_starts, e);
            }
            add_claims(
                &mut new,
                doc_id,
                key,
                &found,
                &mentions,
                claim_nodes,
                &claims,
                &mut figures,
                &mut subjects,
            );
            continue;
        }
        for id in nodes {
            new.add_node(graph.node(NodeId::new(id as usize)).clone());
        }
        for e in range(i, 1) {
            copy_edge(&mut new, &new_starts, e);
        }
        let document = new_starts[i];
        for m in range(i, 2) {
            let record = &graph.mentions[m as usize];
            new.mentions.push(MentionRecord {
                node: remap(NodeId::new(record.node as usize), &new_starts).index() as u32,
                document,
                ..record.clone()
            });
        }
        for figure in &old_figures[first_figure..next_figure] {
            let start = subjects.len() as u32;
            let about = figure.about.start as usize..figure.about.end as usize;
            subjects.extend(
                old.claims.subjects[about]
                    .iter()
                    .map(|n| remap(*n, &new_starts)),
            );
            figures.push(conflicts::ClaimFigure {
                claim: remap(figure.claim, &new_starts),
                reporter: remap(figure.reporter, &new_starts),
                about: start..subjects.len() as u32,
                ..*figure
            });
        }
    }
    (new, UnlinkedClaims { figures, subjects })
}

struct Probe<'t> {
    table: &'t EntityTable,
    horizon: u32,
    /// What the document has made first so far.
    made: Vec<Effect>,
}

impl Probe<'_> {
    /// Whether the effect made first by document `first` (if any) is there already,
    /// is this document's to make now (`Ok(false)`), or was first made by a later
    /// document or never, so that the state changes.
    fn there(&self, first: Option<u32>, effect: &Effect) -> Result<bool, Fallback> {
        match first {
            Some(first) if first < self.horizon => Ok(true),
            Some(first) if first == self.horizon => Ok(self.made.contains(effect)),
            Some(_) => Err("the document makes first what a later one made"),
            None => Err("the document makes something no document made"),
        }
    }

    /// `make`: the effect, made now unless [`Probe::there`].
    fn make(&mut self, first: Option<u32>, effect: Effect) -> Result<(), Fallback> {
        if !self.there(first, &effect)? {
            self.made.push(effect);
        }
        Ok(())
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
            Among::People => (&table.people, joined_key(&table.surnames, own_key)),
        };
        let id = *entities.get(key).ok_or("a new entity")?;
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
            if let MentionKind::Organization(kind) = mention.kind {
                if table.made_kinds.get(&id) != Some(&kind) {
                    return Err("an organization made here with another kind");
                }
            }
            self.made.push(created);
        }
        Ok(id)
    }

    fn name(&self, id: NodeId) -> &str {
        self.table.names.get(&id).map_or("", String::as_str)
    }

    fn alias(&mut self, id: NodeId, alias: &str) -> Result<(), Fallback> {
        if self.name(id) == alias {
            return Ok(());
        }
        let first = self.table.aliases.get(&(id, alias.to_string())).copied();
        self.make(first, Effect::Alias(id, alias.to_string()))
    }

    fn role(&mut self, id: NodeId, role: &str) -> Result<(), Fallback> {
        let first = self.table.roles.get(&(id, role.to_string())).copied();
        self.make(first, Effect::Role(id, role.to_string()))
    }

    fn kind(&mut self, id: NodeId, found: OrgKind) -> Result<(), Fallback> {
        let table = self.table;
        let upgraded = table
            .kinds
            .get(&id)
            .filter(|(first, kind)| {
                *first < self.horizon || self.made.contains(&Effect::Kind(id, *kind))
            })
            .map(|(_, kind)| *kind);
        let kind = upgraded.or(table.made_kinds.get(&id).copied());
        if kind == Some(OrgKind::Other) && found != OrgKind::Other {
            let first = table
                .kinds
                .get(&id)
                .filter(|(_, kind)| *kind == found)
                .map(|(first, _)| *first);
            self.make(first, Effect::Kind(id, found))?;
        }
        Ok(())
    }

    fn place(&mut self, index: usize) -> Result<NodeId, Fallback> {
        let id = self
            .table
            .places
            .get(index)
            .copied()
            .flatten()
            .ok_or("a new place")?;
        let first = self.table.placed.get(&id).copied();
        if !self.there(first, &Effect::Place(id))? {
            self.made.push(Effect::Place(id));
            if let Some(parent) = gazetteer().entry(index).parent {
                self.place(parent)?;
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
        let first = self.table.links.get(&(from, to, rel)).copied();
        // The link is there when any document before made it, whatever its text.
        match first {
            Some(first) if first < self.horizon => Ok(()),
            _ if self.made.iter().any(
                |m| matches!(m, Effect::Linked(f, t, r, _) if (*f, *t, *r) == (from, to, rel)),
            ) =>
            {
                Ok(())
            }
            _ => self.make(
                first,
                Effect::Linked(from, to, rel, role.map(str::to_string)),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::extract::testing::numbers;
    use crate::extract::DocumentExtraction;
    use crate::graph::{EdgeId, KnowledgeGraph};
    use crate::resolve::rebuild::RebuildState;
    use crate::resolve::{people_of, GraphSize, Resolver};

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
    /// paragraph dropped, another story in its place.
    fn edit(text: &str, how: u64, other: &str, places: [&str; 3]) -> String {
        let sentence = |place: &str| {
            let added =
                format!(". Separately, the governor said 12 soldiers had deserted near {place}. ");
            text.replacen(". ", &added, 1)
        };
        match how % 6 {
            0 => sentence(places[0]),
            1 => text.replacen(|c: char| c.is_ascii_digit(), "7", 1),
            2 => match text.trim_end().rsplit_once("\n\n") {
                Some((head, _)) => head.to_string(),
                None => text.to_string(),
            },
            3 => other.to_string(),
            4 => sentence(places[1]),
            _ => sentence(places[2]),
        }
    }

    /// When the probe passes every changed document, a build from scratch of the new
    /// corpus leaves every other document's part as it was (its ids moved by the
    /// changed parts before it), and every document makes the same effects first.
    #[test]
    fn a_passed_probe_means_every_other_part_is_unchanged() {
        let mut next = numbers(5);
        let (mut passed, mut failed, mut owning) = (0, 0, 0);
        for round in 0..36u64 {
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
            for (n, i) in changed.iter().enumerate() {
                let other = texts[(i + 7 + n) % 40].clone();
                let places = [
                    place_of(*i),
                    place_of(i + 5 + n),
                    place_of(i.saturating_sub(3)),
                ];
                let places = [places[0].as_str(), places[1].as_str(), places[2].as_str()];
                edited[*i] = edit(&texts[*i], how + n as u64 * (round % 2), &other, places);
            }
            let mut changed = changed;
            changed.sort_unstable();
            changed.dedup();
            let new = extract(&edited);
            let before = resolver(&old);
            let table = before.entity_table();
            let old_provenance = before.provenance();
            let state = before.rebuild_state(Vec::new());
            let (old_graph, old_claims) = before.finish_unlinked();
            let after = resolver(&new);
            let new_provenance = after.provenance();
            let new_graph = after.finish_unlinked().0;
            let scratch = resolver(&new).finish();

            let verdict: Result<Vec<_>, Fallback> = changed
                .iter()
                .map(|i| {
                    if people_of(&old[*i]) != people_of(&new[*i]) {
                        return Err("people changed");
                    }
                    let prepared = PreparedDocument::of(&new[*i], None);
                    let found = probe(&table, &prepared, *i as u32, old_provenance.effects_of(*i))?;
                    Ok((*i, prepared, found))
                })
                .collect();
            let Ok(probed) = verdict else {
                failed += 1;
                continue;
            };
            passed += 1;
            owning += changed
                .iter()
                .filter(|i| !old_provenance.effects_of(**i).is_empty())
                .count();
            assert_same_parts(
                &old_graph,
                &old_provenance,
                &new_graph,
                &new_provenance,
                &changed,
            );
            // The graph made from the old parts is the one from scratch, byte for byte.
            let resolved = Resolved {
                graph: &old_graph,
                parts: &old_provenance,
                claims: &old_claims,
            };
            let (mut patched, claims) = patch(&resolved, probed);
            for (a, b, rel) in claims.links() {
                patched.add_edge(a, b, crate::graph::Edge::new(rel));
            }
            let scratch_bytes = saved(&scratch);
            assert_eq!(saved(&patched), scratch_bytes, "round {round}, {changed:?}");

            // Through files: the base saved, the rebuild's delta written beside it and
            // applied as the graph is loaded.
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
                .map(|i| (*i, PreparedDocument::of(&new[*i], None)))
                .collect();
            let delta = super::super::rebuild::rebuild(&state, changed_documents, link_count)
                .expect("the probe passed");
            crate::graph::save_delta(&path, &delta, Some(7)).unwrap();
            let loaded = crate::graph::load(&path).unwrap();
            assert_eq!(
                saved(&loaded),
                scratch_bytes,
                "round {round}, {changed:?}, through a delta"
            );
            let record = crate::graph::BuildRecord::of_file(&path).unwrap();
            assert_eq!(
                (record.input, record.nodes, record.edges),
                (7, scratch.node_count() as u64, scratch.edge_count() as u64)
            );
        }
        // Both verdicts are met, and documents that made entities first pass too.
        assert!(
            passed > 3 && failed > 3 && owning > 0,
            "passed {passed}, failed {failed}, owning {owning}"
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
    ) {
        let documents = old_parts.starts.len();
        assert_eq!(new_parts.starts.len(), documents);
        let part_of = |id: NodeId| {
            old_parts
                .starts
                .partition_point(|s| s[0] as usize <= id.index())
                - 1
        };
        let remap = |id: NodeId| {
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
        for i in 0..documents {
            let effects: Vec<Effect> = old_parts.effects_of(i).iter().map(remap_effect).collect();
            assert_eq!(new_parts.effects_of(i), effects.as_slice(), "document {i}");
            for effect in old_parts.effects_of(i) {
                if let Effect::Created { node, .. } | Effect::Place(node) = effect {
                    assert_eq!(new.node(remap(*node)), old.node(*node), "document {i}");
                }
            }
            if changed.contains(&i) {
                continue;
            }
            let old_nodes = old_parts.starts[i][0]..end(old_parts, old, i, 0);
            for id in old_nodes {
                let id = NodeId::new(id as usize);
                assert_eq!(new.node(remap(id)), old.node(id), "document {i}");
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
    }
}

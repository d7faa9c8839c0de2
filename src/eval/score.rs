//! The scores: entities per type, duplicate nodes, claim attribution, relays, hedging
//! and figures, with the misses listed so the extractor can be improved.

use super::{EntityType, Gold, GoldClaim};
use crate::graph::{name_key, GraphRead, Label, NodeId, RelType, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

/// Matched and total counts on both sides; precision counts predictions, recall gold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub predicted: usize,
    pub predicted_matched: usize,
    pub gold: usize,
    pub gold_matched: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.predicted_matched, self.predicted)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.gold_matched, self.gold)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, other: &Counts) {
        self.predicted += other.predicted;
        self.predicted_matched += other.predicted_matched;
        self.gold += other.gold;
        self.gold_matched += other.gold_matched;
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// An entity on one side that found no partner on the other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityMiss {
    pub doc: String,
    pub kind: EntityType,
    pub name: String,
    pub aliases: Vec<String>,
}

/// A claim on one side that found no partner on the other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimMiss {
    pub doc: String,
    pub topic: String,
    pub reporter: String,
    pub sentence: String,
}

/// Every figure of one evaluation.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Typed entity counts per type, in [`EntityType::ALL`] order.
    pub entities_by_type: Vec<(EntityType, Counts)>,
    /// Typed, summed over types (micro).
    pub entities: Counts,
    /// Matched ignoring type.
    pub entities_untyped: Counts,
    /// Gold entities matched by two or more predicted nodes of their document.
    pub duplicated_gold: usize,
    /// Predicted nodes beyond the first for those gold entities.
    pub surplus_nodes: usize,
    /// (doc, topic, reporter) triples.
    pub attribution: Counts,
    /// Of matched gold claims, those matched by a claim read from the gold sentence
    /// (the attribution match alone accepts any sentence of the same doc and topic).
    pub same_sentence: usize,
    /// Of matched gold claims, those whose relays equal the gold relays.
    pub via_correct: usize,
    /// Of matched gold claims, those whose hedged flag equals the gold flag.
    pub hedged_correct: usize,
    /// Gold claims with a figure, and those of them matched by attribution.
    pub quantity_gold: usize,
    pub quantity_matched: usize,
    /// Of the matched ones, those whose predicted figure has the same numbers.
    pub quantity_correct: usize,
    pub missed_entities: Vec<EntityMiss>,
    pub extra_entities: Vec<EntityMiss>,
    pub missed_claims: Vec<ClaimMiss>,
    pub extra_claims: Vec<ClaimMiss>,
    /// Matched gold claims whose figure differs: (doc, gold figure, predicted figure,
    /// gold sentence).
    pub quantity_misses: Vec<(String, String, String, String)>,
}

struct PredictedEntity {
    doc: String,
    kind: EntityType,
    node: NodeId,
    name: String,
    aliases: Vec<String>,
    keys: BTreeSet<String>,
}

struct PredictedClaim {
    doc: String,
    topic: String,
    text: String,
    quantity: Option<String>,
    hedged: bool,
    /// Each reporter's display name and name keys; empty when nobody was attributed.
    reporters: Vec<(String, BTreeSet<String>)>,
    via: Vec<BTreeSet<String>>,
}

/// Scores a graph against the gold.
pub fn score<G: GraphRead>(graph: &G, gold: &Gold) -> Report {
    let mut report = Report::default();
    score_entities(graph, gold, &mut report);
    score_claims(graph, gold, &mut report);
    report
}

fn entity_type(label: Label) -> Option<EntityType> {
    match label {
        Label::Person => Some(EntityType::Person),
        Label::Organization | Label::Unit => Some(EntityType::Organization),
        Label::Place => Some(EntityType::Place),
        Label::Document | Label::Claim => None,
    }
}

fn strings(value: Value) -> Vec<String> {
    match value {
        Value::Str(s) => vec![s],
        Value::List(items) => items.into_iter().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

fn keys_of<'a>(names: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
    names
        .into_iter()
        .map(|n| name_key(n))
        .filter(|k| !k.is_empty())
        .collect()
}

fn node_keys<G: GraphRead>(graph: &G, id: NodeId) -> (String, BTreeSet<String>) {
    let node = graph.node(id);
    let name = node
        .property("name")
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut names = strings(node.property("aliases"));
    names.push(name.clone());
    (name, keys_of(&names))
}

fn predicted_entities<G: GraphRead>(graph: &G) -> Vec<PredictedEntity> {
    let mut out = Vec::new();
    for doc_id in graph.nodes_with_label(Label::Document) {
        let doc = graph.node(doc_id).property("id");
        let doc = doc.as_str().unwrap_or_default().to_string();
        let mut seen = BTreeSet::new();
        for (_, id) in graph.incoming(doc_id, Some(RelType::MentionedIn)) {
            let node = graph.node(id);
            let Some(kind) = entity_type(node.label()) else {
                continue;
            };
            if !seen.insert(id) {
                continue;
            }
            let name = node
                .property("name")
                .as_str()
                .unwrap_or_default()
                .to_string();
            let aliases = strings(node.property("aliases"));
            let keys = keys_of(aliases.iter().chain(std::iter::once(&name)));
            out.push(PredictedEntity {
                doc: doc.clone(),
                kind,
                node: id,
                name,
                aliases,
                keys,
            });
        }
    }
    out
}

fn score_entities<G: GraphRead>(graph: &G, gold: &Gold, report: &mut Report) {
    let predicted = predicted_entities(graph);
    let gold_keys: Vec<BTreeSet<String>> = gold
        .entities
        .iter()
        .map(|g| keys_of(g.aliases.iter().chain(std::iter::once(&g.name))))
        .collect();
    let matches = |p: &PredictedEntity, gi: usize, typed: bool| {
        let g = &gold.entities[gi];
        g.doc == p.doc && (!typed || g.kind == p.kind) && !p.keys.is_disjoint(&gold_keys[gi])
    };
    let golds = 0..gold.entities.len();

    let mut by_type: BTreeMap<EntityType, Counts> = EntityType::ALL
        .iter()
        .map(|t| (*t, Counts::default()))
        .collect();
    for p in &predicted {
        let counts = by_type.entry(p.kind).or_default();
        counts.predicted += 1;
        if golds.clone().any(|gi| matches(p, gi, true)) {
            counts.predicted_matched += 1;
        } else {
            report.extra_entities.push(EntityMiss {
                doc: p.doc.clone(),
                kind: p.kind,
                name: p.name.clone(),
                aliases: p.aliases.clone(),
            });
        }
        report.entities_untyped.predicted += 1;
        if golds.clone().any(|gi| matches(p, gi, false)) {
            report.entities_untyped.predicted_matched += 1;
        }
    }
    for (gi, g) in gold.entities.iter().enumerate() {
        let counts = by_type.entry(g.kind).or_default();
        counts.gold += 1;
        if predicted.iter().any(|p| matches(p, gi, true)) {
            counts.gold_matched += 1;
        } else {
            report.missed_entities.push(EntityMiss {
                doc: g.doc.clone(),
                kind: g.kind,
                name: g.name.clone(),
                aliases: g.aliases.clone(),
            });
        }
        report.entities_untyped.gold += 1;
        // Duplicates ignore type: a name split into a Person and an Organization node
        // is the same fault as two Person nodes.
        let nodes: BTreeSet<NodeId> = predicted
            .iter()
            .filter(|p| matches(p, gi, false))
            .map(|p| p.node)
            .collect();
        if !nodes.is_empty() {
            report.entities_untyped.gold_matched += 1;
        }
        if nodes.len() >= 2 {
            report.duplicated_gold += 1;
            report.surplus_nodes += nodes.len() - 1;
        }
    }
    for (kind, counts) in by_type {
        report.entities.add(&counts);
        report.entities_by_type.push((kind, counts));
    }
}

fn predicted_claims<G: GraphRead>(graph: &G) -> Vec<PredictedClaim> {
    let text_of =
        |id: NodeId, name: &str| graph.node(id).property(name).as_str().map(str::to_string);
    graph
        .nodes_with_label(Label::Claim)
        .into_iter()
        .map(|id| {
            let reporters = graph
                .incoming(id, Some(RelType::Reported))
                .into_iter()
                .map(|(_, source)| node_keys(graph, source))
                .collect();
            let mut via: Vec<(i64, BTreeSet<String>)> = graph
                .outgoing(id, Some(RelType::Via))
                .into_iter()
                .map(|(edge, relay)| {
                    let order = match graph.edge(edge).property("order") {
                        Value::Int(n) => n,
                        _ => i64::MAX,
                    };
                    (order, node_keys(graph, relay).1)
                })
                .collect();
            via.sort_by_key(|(order, _)| *order);
            PredictedClaim {
                doc: text_of(id, "document").unwrap_or_default(),
                topic: text_of(id, "topic").unwrap_or_default(),
                text: text_of(id, "text").unwrap_or_default(),
                quantity: text_of(id, "quantity"),
                hedged: graph.node(id).property("hedged") == Value::Bool(true),
                reporters,
                via: via.into_iter().map(|(_, keys)| keys).collect(),
            }
        })
        .collect()
}

/// The keys a gold name stands for in one document: the name itself and, when it is a
/// gold entity of that document, that entity's other names, so that a node called
/// "Haidai" counts for the gold reporter "Serhiy Haidai".
fn gold_name_keys(gold: &Gold, doc: &str, name: &str) -> BTreeSet<String> {
    let key = name_key(name);
    let mut keys = BTreeSet::from([key.clone()]);
    for entity in gold.entities.iter().filter(|e| e.doc == doc) {
        let names = keys_of(entity.aliases.iter().chain(std::iter::once(&entity.name)));
        if names.contains(&key) {
            keys.extend(names);
        }
    }
    keys
}

fn score_claims<G: GraphRead>(graph: &G, gold: &Gold, report: &mut Report) {
    let predicted = predicted_claims(graph);
    let reporter_keys: Vec<BTreeSet<String>> = gold
        .claims
        .iter()
        .map(|c| gold_name_keys(gold, &c.doc, &c.reporter))
        .collect();
    let triple_matches = |p: &PredictedClaim, keys: &BTreeSet<String>, gi: usize| {
        let g = &gold.claims[gi];
        g.doc == p.doc && g.topic == p.topic && !keys.is_disjoint(&reporter_keys[gi])
    };
    let golds = 0..gold.claims.len();

    for p in &predicted {
        // A claim with no reporter still counts once, as an unattributed prediction.
        let no_reporter = [(String::new(), BTreeSet::new())];
        let reporters = if p.reporters.is_empty() {
            &no_reporter[..]
        } else {
            &p.reporters[..]
        };
        for (name, keys) in reporters {
            report.attribution.predicted += 1;
            if golds.clone().any(|gi| triple_matches(p, keys, gi)) {
                report.attribution.predicted_matched += 1;
            } else {
                report.extra_claims.push(ClaimMiss {
                    doc: p.doc.clone(),
                    topic: p.topic.clone(),
                    reporter: name.clone(),
                    sentence: p.text.clone(),
                });
            }
        }
    }

    for (gi, g) in gold.claims.iter().enumerate() {
        report.attribution.gold += 1;
        let has_quantity = g.quantity.is_some();
        if has_quantity {
            report.quantity_gold += 1;
        }
        let candidates: Vec<&PredictedClaim> = predicted
            .iter()
            .filter(|p| p.reporters.iter().any(|(_, k)| triple_matches(p, k, gi)))
            .collect();
        let Some((best, in_sentence)) = best_candidate(&candidates, g) else {
            report.missed_claims.push(ClaimMiss {
                doc: g.doc.clone(),
                topic: g.topic.clone(),
                reporter: g.reporter.clone(),
                sentence: g.sentence.clone(),
            });
            continue;
        };
        report.attribution.gold_matched += 1;
        if in_sentence {
            report.same_sentence += 1;
        }
        if same_relays(gold, g, &best.via) {
            report.via_correct += 1;
        }
        if best.hedged == g.hedged {
            report.hedged_correct += 1;
        }
        if let Some(quantity) = &g.quantity {
            report.quantity_matched += 1;
            if best
                .quantity
                .as_deref()
                .is_some_and(|q| same_figure(q, quantity))
            {
                report.quantity_correct += 1;
            } else {
                report.quantity_misses.push((
                    g.doc.clone(),
                    quantity.clone(),
                    best.quantity.clone().unwrap_or_else(|| "-".into()),
                    g.sentence.clone(),
                ));
            }
        }
    }
}

/// Of the predicted claims matching a gold claim, the one read from the gold sentence
/// when there is one, so that relays, hedging and figures are compared sentence to
/// sentence; the flag says whether it was.
fn best_candidate<'a>(
    candidates: &[&'a PredictedClaim],
    gold: &GoldClaim,
) -> Option<(&'a PredictedClaim, bool)> {
    let sentence = name_key(&gold.sentence);
    candidates
        .iter()
        .find(|p| {
            let text = name_key(&p.text);
            !text.is_empty() && (text.contains(&sentence) || sentence.contains(&text))
        })
        .map(|p| (*p, true))
        .or_else(|| candidates.first().map(|p| (*p, false)))
}

fn same_relays(gold: &Gold, claim: &GoldClaim, predicted: &[BTreeSet<String>]) -> bool {
    let wanted: Vec<BTreeSet<String>> = claim
        .via
        .iter()
        .map(|v| gold_name_keys(gold, &claim.doc, v))
        .collect();
    wanted.len() == predicted.len()
        && wanted
            .iter()
            .all(|w| predicted.iter().any(|p| !p.is_disjoint(w)))
        && predicted
            .iter()
            .all(|p| wanted.iter().any(|w| !p.is_disjoint(w)))
}

/// Two figures agree when they hold the same numbers in the same order; figures written
/// in words only ("dozens") agree when the predicted one contains the gold words.
pub fn same_figure(predicted: &str, gold: &str) -> bool {
    let wanted = numbers(gold);
    if wanted.is_empty() {
        let gold = name_key(gold);
        return !gold.is_empty() && name_key(predicted).contains(&gold);
    }
    numbers(predicted) == wanted
}

/// The numbers written in digits in a text: "between 15,000 and 18,000" gives
/// [15000, 18000]; a comma between digits groups thousands, a point marks decimals.
pub fn numbers(text: &str) -> Vec<f64> {
    let chars: Vec<char> = text.chars().collect();
    let digit_at = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !digit_at(i) {
            i += 1;
            continue;
        }
        let mut buf = String::new();
        while i < chars.len() {
            match chars[i] {
                c if c.is_ascii_digit() => buf.push(c),
                ',' if digit_at(i + 1) => {}
                '.' if digit_at(i + 1) => buf.push('.'),
                _ => break,
            }
            i += 1;
        }
        if let Ok(x) = buf.parse() {
            out.push(x);
        }
    }
    out
}

fn pct(part: usize, whole: usize) -> String {
    format!("{part}/{whole} ({:.1}%)", 100.0 * ratio(part, whole))
}

fn row(f: &mut fmt::Formatter<'_>, label: &str, c: &Counts) -> fmt::Result {
    writeln!(
        f,
        "{label:<22} {:>9} {:>9} {:>6} {:>6} {:>9.3} {:>7.3} {:>7.3}",
        c.predicted,
        c.predicted_matched,
        c.gold,
        c.gold_matched,
        c.precision(),
        c.recall(),
        c.f1()
    )
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<22} {:>9} {:>9} {:>6} {:>6} {:>9} {:>7} {:>7}",
            "", "predicted", "correct", "gold", "found", "precision", "recall", "F1"
        )?;
        for (kind, counts) in &self.entities_by_type {
            row(f, &format!("entities {}", kind.as_str()), counts)?;
        }
        row(f, "entities typed", &self.entities)?;
        row(f, "entities untyped", &self.entities_untyped)?;
        row(f, "claims attribution", &self.attribution)?;
        writeln!(f)?;
        writeln!(
            f,
            "duplicate nodes        {} gold entities split over 2+ nodes; {} surplus nodes = {:.1}% of predicted entities",
            self.duplicated_gold,
            self.surplus_nodes,
            100.0 * ratio(self.surplus_nodes, self.entities_untyped.predicted)
        )?;
        let matched = self.attribution.gold_matched;
        writeln!(
            f,
            "same-sentence matches  {} of matched gold claims",
            pct(self.same_sentence, matched)
        )?;
        writeln!(
            f,
            "via accuracy           {}",
            pct(self.via_correct, matched)
        )?;
        writeln!(
            f,
            "hedged accuracy        {}",
            pct(self.hedged_correct, matched)
        )?;
        writeln!(
            f,
            "quantity accuracy      {} of matched; {} gold figures",
            pct(self.quantity_correct, self.quantity_matched),
            self.quantity_gold
        )
    }
}

impl Report {
    /// The misses on both sides, for `--verbose`.
    pub fn details(&self) -> String {
        let mut out = String::new();
        let entity_list = |out: &mut String, title: &str, list: &[EntityMiss]| {
            let _ = writeln!(out, "\n{title} ({})", list.len());
            for e in list {
                let aliases = if e.aliases.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", e.aliases.join("; "))
                };
                let _ = writeln!(
                    out,
                    "  {}  {:<12} {}{}",
                    e.doc,
                    e.kind.as_str(),
                    e.name,
                    aliases
                );
            }
        };
        let claim_list = |out: &mut String, title: &str, list: &[ClaimMiss]| {
            let _ = writeln!(out, "\n{title} ({})", list.len());
            for c in list {
                let reporter = if c.reporter.is_empty() {
                    "(no reporter)"
                } else {
                    &c.reporter
                };
                let _ = writeln!(
                    out,
                    "  {}  {:<19} {}: {}",
                    c.doc, c.topic, reporter, c.sentence
                );
            }
        };
        entity_list(
            &mut out,
            "entities missed (false negatives)",
            &self.missed_entities,
        );
        entity_list(
            &mut out,
            "entities not in gold (false positives)",
            &self.extra_entities,
        );
        claim_list(
            &mut out,
            "claims missed (false negatives)",
            &self.missed_claims,
        );
        claim_list(
            &mut out,
            "claims not in gold (false positives)",
            &self.extra_claims,
        );
        if !self.quantity_misses.is_empty() {
            out.push_str(&format!(
                "\nquantities that differ ({})\n",
                self.quantity_misses.len()
            ));
            for (doc, gold, predicted, sentence) in &self.quantity_misses {
                out.push_str(&format!(
                    "  {doc}  gold {gold:?}, found {predicted:?}: {sentence}\n"
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_ranges_thousands_and_decimals() {
        assert_eq!(numbers("between 15,000 and 18,000"), vec![15000.0, 18000.0]);
        assert_eq!(numbers("1.5 million, 80%"), vec![1.5, 80.0]);
        assert_eq!(numbers("dozens"), Vec::<f64>::new());
    }

    #[test]
    fn figures_agree_on_numbers_not_wording() {
        assert!(same_figure("more than 4,500", "4,500"));
        assert!(!same_figure("4,000", "4,500"));
        assert!(same_figure("dozens of soldiers", "dozens"));
        assert!(!same_figure("hundreds", "dozens"));
    }
}

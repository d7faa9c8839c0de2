//! The graph model of DESIGN.md: node labels, relationship types and their properties.
//!
//! The same names are used by the query language and by every export, so they live in
//! one place and every other module asks this one for them.

use serde::{Deserialize, Serialize};
use std::fmt;
use ustr::Ustr;

/// A node label, as written in queries and exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Label {
    Document,
    Person,
    Organization,
    Unit,
    Place,
    Claim,
}

impl Label {
    pub const ALL: [Label; 6] = [
        Label::Document,
        Label::Person,
        Label::Organization,
        Label::Unit,
        Label::Place,
        Label::Claim,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Document => "Document",
            Label::Person => "Person",
            Label::Organization => "Organization",
            Label::Unit => "Unit",
            Label::Place => "Place",
            Label::Claim => "Claim",
        }
    }

    /// Parses a label name; case-insensitive because users type it.
    pub fn parse(name: &str) -> Option<Label> {
        Label::ALL
            .into_iter()
            .find(|label| label.as_str().eq_ignore_ascii_case(name))
    }

    /// The property names a node of this label has, in the order exports write them.
    pub fn property_names(self) -> &'static [&'static str] {
        match self {
            Label::Document => &["id", "title", "outlet", "author", "date", "url"],
            Label::Person => &["name", "aliases", "roles"],
            Label::Organization => &["name", "aliases", "kind"],
            Label::Unit => &["name", "aliases"],
            Label::Place => &["name", "aliases", "kind", "country", "lat", "lon"],
            Label::Claim => &[
                "text", "quote", "topic", "quantity", "low", "high", "unit", "period", "time",
                "hedged", "rule", "document", "sentence", "start", "end",
            ],
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A relationship type, as written in queries and exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RelType {
    MentionedIn,
    Reported,
    Via,
    About,
    SourcedFrom,
    LocatedIn,
    AffiliatedWith,
    PartOf,
    Contradicts,
    Corroborates,
}

impl RelType {
    pub const ALL: [RelType; 10] = [
        RelType::MentionedIn,
        RelType::Reported,
        RelType::Via,
        RelType::About,
        RelType::SourcedFrom,
        RelType::LocatedIn,
        RelType::AffiliatedWith,
        RelType::PartOf,
        RelType::Contradicts,
        RelType::Corroborates,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RelType::MentionedIn => "MENTIONED_IN",
            RelType::Reported => "REPORTED",
            RelType::Via => "VIA",
            RelType::About => "ABOUT",
            RelType::SourcedFrom => "SOURCED_FROM",
            RelType::LocatedIn => "LOCATED_IN",
            RelType::AffiliatedWith => "AFFILIATED_WITH",
            RelType::PartOf => "PART_OF",
            RelType::Contradicts => "CONTRADICTS",
            RelType::Corroborates => "CORROBORATES",
        }
    }

    pub fn parse(name: &str) -> Option<RelType> {
        RelType::ALL
            .into_iter()
            .find(|rel| rel.as_str().eq_ignore_ascii_case(name))
    }

    /// The property names an edge of this type has, in the order exports write them.
    pub fn property_names(self) -> &'static [&'static str] {
        match self {
            RelType::MentionedIn => &["count", "first_offset"],
            RelType::Reported => &["rule"],
            RelType::Via => &["order"],
            RelType::About => &["rule"],
            RelType::SourcedFrom => &["sentence", "start", "end"],
            RelType::AffiliatedWith => &["role"],
            RelType::LocatedIn | RelType::PartOf | RelType::Contradicts | RelType::Corroborates => {
                &[]
            }
        }
    }
}

impl fmt::Display for RelType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A property value. Lists hold aliases and roles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    fn from_strings(values: &[String]) -> Value {
        Value::List(values.iter().cloned().map(Value::Str).collect())
    }
}

/// A property value borrowed from its node or edge: a [`Value`] before its strings are
/// copied, for readers that copy only what they keep (a query reads millions of them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PropertyRef<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    Strings(&'a [String]),
}

impl PropertyRef<'_> {
    pub fn to_value(self) -> Value {
        match self {
            PropertyRef::Null => Value::Null,
            PropertyRef::Bool(b) => Value::Bool(b),
            PropertyRef::Int(i) => Value::Int(i),
            PropertyRef::Float(x) => Value::Float(x),
            PropertyRef::Str(s) => Value::Str(s.to_string()),
            PropertyRef::Strings(items) => Value::from_strings(items),
        }
    }
}

impl fmt::Display for Value {
    /// Plain text for tables and CSV cells: lists joined with "; ", null as empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => Ok(()),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Str(s) => f.write_str(s),
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{item}")?;
                }
                Ok(())
            }
        }
    }
}

/// What kind of body an organization is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OrgKind {
    Government,
    Military,
    Intelligence,
    Outlet,
    Other,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Government => "government",
            OrgKind::Military => "military",
            OrgKind::Intelligence => "intelligence",
            OrgKind::Outlet => "outlet",
            OrgKind::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<OrgKind> {
        [
            OrgKind::Government,
            OrgKind::Military,
            OrgKind::Intelligence,
            OrgKind::Outlet,
            OrgKind::Other,
        ]
        .into_iter()
        .find(|kind| kind.as_str().eq_ignore_ascii_case(name))
    }
}

/// The topic of a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Topic {
    Desertion,
    Casualties,
    Withdrawal,
    TerritorialControl,
    Strike,
    Mobilization,
    Negotiation,
    Other,
}

impl Topic {
    pub const ALL: [Topic; 8] = [
        Topic::Desertion,
        Topic::Casualties,
        Topic::Withdrawal,
        Topic::TerritorialControl,
        Topic::Strike,
        Topic::Mobilization,
        Topic::Negotiation,
        Topic::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Desertion => "desertion",
            Topic::Casualties => "casualties",
            Topic::Withdrawal => "withdrawal",
            Topic::TerritorialControl => "territorial_control",
            Topic::Strike => "strike",
            Topic::Mobilization => "mobilization",
            Topic::Negotiation => "negotiation",
            Topic::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<Topic> {
        Topic::ALL
            .into_iter()
            .find(|topic| topic.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One statement as reported in one sentence of one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The quoted words, when the claim is a direct quote.
    pub quote: Option<String>,
    pub topic: Topic,
    /// The figure as written ("more than 4,500").
    pub quantity: Option<String>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// What is counted ("soldiers", "criminal cases").
    pub unit: Option<String>,
    /// A rate's period ("each month").
    pub period: Option<String>,
    /// When it happened ("in October", "since February 2022").
    pub time: Option<String>,
    pub hedged: bool,
    /// The id of the extraction rule that made the claim (interned: a few dozen rules).
    pub rule: Ustr,
    /// The document id (interned: shared by the claims of one document).
    pub document: Ustr,
    pub sentence: u32,
    pub start: u32,
    pub end: u32,
}

/// The label-specific part of a node. The larger parts are boxed, so that a node, and
/// the million claims of a large graph with it, stays small.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum NodeData {
    Document(Box<DocumentData>),
    Person { roles: Vec<String> },
    Organization { kind: OrgKind },
    Unit,
    Place(Box<PlaceData>),
    Claim(Box<Claim>),
}

/// A document's header fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentData {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

/// A place's kind (city, region, country, ...), country and coordinates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceData {
    pub kind: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A node: a display name (the document id for documents, the sentence for claims),
/// aliases, and the label-specific data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub name: String,
    pub aliases: Vec<String>,
    pub data: NodeData,
}

impl Node {
    pub fn label(&self) -> Label {
        match self.data {
            NodeData::Document(_) => Label::Document,
            NodeData::Person { .. } => Label::Person,
            NodeData::Organization { .. } => Label::Organization,
            NodeData::Unit => Label::Unit,
            NodeData::Place(_) => Label::Place,
            NodeData::Claim(_) => Label::Claim,
        }
    }

    /// The kind column of answers: the label in lower case, refined for organizations
    /// and places.
    pub fn kind(&self) -> String {
        match &self.data {
            NodeData::Organization { kind } => kind.as_str().to_string(),
            NodeData::Place(place) => place.kind.clone(),
            _ => self.label().as_str().to_ascii_lowercase(),
        }
    }

    pub fn claim(&self) -> Option<&Claim> {
        match &self.data {
            NodeData::Claim(claim) => Some(claim),
            _ => None,
        }
    }

    /// One property by its DESIGN.md name; `Null` when the node has no such property.
    pub fn property(&self, name: &str) -> Value {
        self.property_ref(name).to_value()
    }

    /// [`Node::property`], borrowed from the node.
    pub fn property_ref(&self, name: &str) -> PropertyRef<'_> {
        use PropertyRef as P;
        fn text(value: &Option<String>) -> PropertyRef<'_> {
            value.as_deref().map(P::Str).unwrap_or(P::Null)
        }
        let number = |x: &Option<f64>| x.map(P::Float).unwrap_or(P::Null);
        match (&self.data, name) {
            (NodeData::Document(_), "id" | "name") => P::Str(&self.name),
            (NodeData::Document(document), "title") => text(&document.title),
            (NodeData::Document(document), "outlet") => text(&document.outlet),
            (NodeData::Document(document), "author") => text(&document.author),
            (NodeData::Document(document), "date") => text(&document.date),
            (NodeData::Document(document), "url") => text(&document.url),
            (NodeData::Claim(_), "text" | "name") => P::Str(&self.name),
            (NodeData::Claim(c), "quote") => text(&c.quote),
            (NodeData::Claim(c), "topic") => P::Str(c.topic.as_str()),
            (NodeData::Claim(c), "quantity") => text(&c.quantity),
            (NodeData::Claim(c), "low") => number(&c.low),
            (NodeData::Claim(c), "high") => number(&c.high),
            (NodeData::Claim(c), "unit") => text(&c.unit),
            (NodeData::Claim(c), "period") => text(&c.period),
            (NodeData::Claim(c), "time") => text(&c.time),
            (NodeData::Claim(c), "hedged") => P::Bool(c.hedged),
            (NodeData::Claim(c), "rule") => P::Str(c.rule.as_str()),
            (NodeData::Claim(c), "document") => P::Str(c.document.as_str()),
            (NodeData::Claim(c), "sentence") => P::Int(c.sentence as i64),
            (NodeData::Claim(c), "start") => P::Int(c.start as i64),
            (NodeData::Claim(c), "end") => P::Int(c.end as i64),
            (NodeData::Claim(_) | NodeData::Document(_), _) => P::Null,
            (_, "name") => P::Str(&self.name),
            (_, "aliases") => P::Strings(&self.aliases),
            (NodeData::Person { roles }, "roles") => P::Strings(roles),
            (NodeData::Organization { kind }, "kind") => P::Str(kind.as_str()),
            (NodeData::Place(place), "kind") => P::Str(&place.kind),
            (NodeData::Place(place), "country") => text(&place.country),
            (NodeData::Place(place), "lat") => number(&place.lat),
            (NodeData::Place(place), "lon") => number(&place.lon),
            _ => P::Null,
        }
    }

    /// Every property of the node's label, in `Label::property_names` order.
    pub fn properties(&self) -> Vec<(&'static str, Value)> {
        self.label()
            .property_names()
            .iter()
            .map(|name| (*name, self.property(name)))
            .collect()
    }
}

/// The properties of an edge as plain optional fields: how edges are described when they
/// are made ([`Edge::with_props`]). Only the properties of the edge's type (see
/// [`RelType::property_names`]) are kept.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EdgeProps {
    pub count: Option<u32>,
    pub first_offset: Option<u32>,
    pub order: Option<u32>,
    pub sentence: Option<u32>,
    pub start: Option<u32>,
    pub end: Option<u32>,
    pub role: Option<String>,
    pub rule: Option<String>,
}

impl EdgeProps {
    fn number(&self, name: &str) -> Option<u32> {
        match name {
            "count" => self.count,
            "first_offset" => self.first_offset,
            "order" => self.order,
            "sentence" => self.sentence,
            "start" => self.start,
            "end" => self.end,
            _ => None,
        }
    }

    fn text(&self, name: &str) -> Option<&str> {
        match name {
            "role" => self.role.as_deref(),
            "rule" => self.rule.as_deref(),
            _ => None,
        }
    }
}

/// An edge: its type and the few properties that type carries, packed into 24 bytes
/// because a large graph holds tens of millions of edges. Numbers sit in slots in the
/// order of [`RelType::number_names`]; the one text property (a rule id or a role) is
/// interned, since a handful of distinct values repeat across millions of edges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Edge {
    pub rel: RelType,
    /// Bit i: `numbers[i]` is set.
    set: u8,
    numbers: [u32; 3],
    text: Option<Ustr>,
}

impl RelType {
    /// The numeric properties of this type, in slot order.
    pub fn number_names(self) -> &'static [&'static str] {
        match self {
            RelType::MentionedIn => &["count", "first_offset"],
            RelType::Via => &["order"],
            RelType::SourcedFrom => &["sentence", "start", "end"],
            _ => &[],
        }
    }

    /// The text property of this type, if it has one.
    pub fn text_name(self) -> Option<&'static str> {
        match self {
            RelType::Reported | RelType::About => Some("rule"),
            RelType::AffiliatedWith => Some("role"),
            _ => None,
        }
    }
}

impl Edge {
    pub fn new(rel: RelType) -> Edge {
        Edge {
            rel,
            set: 0,
            numbers: [0; 3],
            text: None,
        }
    }

    /// An edge with those of `props` that its type carries.
    pub fn with_props(rel: RelType, props: &EdgeProps) -> Edge {
        let mut edge = Edge::new(rel);
        for (slot, name) in rel.number_names().iter().enumerate() {
            if let Some(value) = props.number(name) {
                edge.set |= 1 << slot;
                edge.numbers[slot] = value;
            }
        }
        edge.text = rel
            .text_name()
            .and_then(|name| props.text(name))
            .map(Ustr::from);
        edge
    }

    /// The edge with a numeric property set; a property its type lacks is ignored.
    pub fn with_number(mut self, name: &str, value: u32) -> Edge {
        if let Some(slot) = self.rel.number_names().iter().position(|n| *n == name) {
            self.set |= 1 << slot;
            self.numbers[slot] = value;
        }
        self
    }

    /// The edge with its text property (rule or role) set, when its type has one.
    pub fn with_text(self, value: &str) -> Edge {
        self.with_interned_text(Ustr::from(value))
    }

    /// [`Edge::with_text`] for text already interned.
    pub fn with_interned_text(mut self, value: Ustr) -> Edge {
        if self.rel.text_name().is_some() {
            self.text = Some(value);
        }
        self
    }

    pub fn number(&self, name: &str) -> Option<u32> {
        let slot = self.rel.number_names().iter().position(|n| *n == name)?;
        (self.set & (1 << slot) != 0).then_some(self.numbers[slot])
    }

    /// The rule or role, whichever the type carries.
    pub fn text(&self) -> Option<&'static str> {
        self.text.map(|t| t.as_str())
    }

    /// The raw parts, for the graph file: set bits, number slots, text.
    pub(crate) fn parts(&self) -> (u8, [u32; 3], Option<Ustr>) {
        (self.set, self.numbers, self.text)
    }

    pub(crate) fn from_parts(rel: RelType, set: u8, numbers: [u32; 3], text: Option<Ustr>) -> Edge {
        let slots = rel.number_names().len();
        let mask = ((1u16 << slots) - 1) as u8;
        Edge {
            rel,
            set: set & mask,
            numbers,
            text: text.filter(|_| rel.text_name().is_some()),
        }
    }

    pub fn property(&self, name: &str) -> Value {
        self.property_ref(name).to_value()
    }

    /// [`Edge::property`], borrowed from the edge.
    pub fn property_ref(&self, name: &str) -> PropertyRef<'static> {
        if self.rel.text_name() == Some(name) {
            return self
                .text()
                .map(PropertyRef::Str)
                .unwrap_or(PropertyRef::Null);
        }
        self.number(name)
            .map(|v| PropertyRef::Int(v as i64))
            .unwrap_or(PropertyRef::Null)
    }

    /// Every property of the edge's type, in `RelType::property_names` order.
    pub fn properties(&self) -> Vec<(&'static str, Value)> {
        self.rel
            .property_names()
            .iter()
            .map(|name| (*name, self.property(name)))
            .collect()
    }
}

/// Where an entity was named: kept for `explain` and for incremental rebuilds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentionRecord {
    pub node: u32,
    /// The document's node.
    pub document: u32,
    pub sentence: u32,
    pub start: u32,
    pub end: u32,
    pub rule: Ustr,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts and edge lists are kept in arrays indexed by `label as usize` and
    /// `rel as usize`, which is right only while `ALL` lists them in declaration order.
    #[test]
    fn all_lists_follow_declaration_order() {
        for (index, label) in Label::ALL.into_iter().enumerate() {
            assert_eq!(label as usize, index, "{label:?}");
        }
        for (index, rel) in RelType::ALL.into_iter().enumerate() {
            assert_eq!(rel as usize, index, "{rel:?}");
        }
    }
}

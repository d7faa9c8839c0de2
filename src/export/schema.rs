//! What every writer shares: property types, the column unions, node keys and the
//! text form of values.
//!
//! Types are fixed per property name rather than guessed from the data, so that the
//! schema of an export does not change when one graph happens to have no coordinates.

use super::focus::Selection;
use crate::graph::{EdgeId, GraphRead, Label, NodeId, RelType, Value};
use std::collections::BTreeMap;

/// The type of a property column in typed formats (GraphML, Neo4j, Kuzu).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropType {
    Str,
    Int,
    Float,
    Bool,
    StrList,
}

/// The type of a node or edge property, by its DESIGN.md name.
pub fn property_type(name: &str) -> PropType {
    match name {
        "aliases" | "roles" => PropType::StrList,
        "lat" | "lon" | "low" | "high" => PropType::Float,
        "sentence" | "start" | "end" | "count" | "first_offset" | "order" => PropType::Int,
        "hedged" => PropType::Bool,
        _ => PropType::Str,
    }
}

/// The properties a node of `label` carries in the typed exports: `name` first (every
/// node answers to `n.name` in claimgraph queries, documents and claims included), then
/// the label's own properties.
pub fn label_columns(label: Label) -> Vec<&'static str> {
    let mut columns = vec!["name"];
    for name in label.property_names() {
        if !columns.contains(name) {
            columns.push(name);
        }
    }
    columns
}

/// Every node property of every label, in label order, each once.
pub fn all_node_columns() -> Vec<&'static str> {
    let mut columns: Vec<&'static str> = Vec::new();
    for label in Label::ALL {
        for name in label_columns(label) {
            if !columns.contains(&name) {
                columns.push(name);
            }
        }
    }
    columns
}

/// Every edge property of every relationship type, in type order, each once.
pub fn all_edge_columns() -> Vec<&'static str> {
    let mut columns: Vec<&'static str> = Vec::new();
    for rel in RelType::ALL {
        for name in rel.property_names() {
            if !columns.contains(name) {
                columns.push(name);
            }
        }
    }
    columns
}

/// The key of a node in every export: unique across labels and stable for one graph
/// file, so that files exported from the same graph can be joined on it.
pub fn node_key(id: NodeId) -> String {
    format!("n{}", id.index())
}

/// A node property by name, with `name` answered for every label.
pub fn node_value(graph: &dyn GraphRead, id: NodeId, name: &str) -> Value {
    let node = graph.node(id);
    if name == "name" {
        return Value::Str(node.name.clone());
    }
    node.property(name)
}

/// The text of a scalar value, or `None` for null. Non-finite numbers are written as
/// null because none of the target tools reads them back the same way.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(x) if x.is_finite() => Some(x.to_string()),
        Value::Float(_) => None,
        Value::Str(s) => Some(s.clone()),
        Value::List(_) => Some(value.to_string()),
    }
}

/// The elements of a list value as text (a scalar counts as a one-element list).
pub fn list_items(value: &Value) -> Vec<String> {
    match value {
        Value::List(items) => items.iter().filter_map(scalar_text).collect(),
        other => scalar_text(other).into_iter().collect(),
    }
}

/// The separator for list cells in the database import files: `;` unless some list
/// element contains it, then the first candidate no element contains. Neither Neo4j nor
/// Kuzu can escape a separator inside an element, so the choice is made per export and
/// written into the import instructions.
pub fn list_separator<'a>(items: impl IntoIterator<Item = &'a str>) -> Option<char> {
    const CANDIDATES: [char; 6] = [';', '|', '\u{a6}', '\u{a7}', '\u{b6}', '\u{1f}'];
    let items: Vec<&str> = items.into_iter().collect();
    CANDIDATES
        .into_iter()
        .find(|c| items.iter().all(|item| !item.contains(*c)))
}

/// The list separator for this export (see [`list_separator`]); `;` in the
/// impossible case that every candidate occurs.
pub fn export_list_separator(graph: &dyn GraphRead, selection: &Selection) -> char {
    let items: Vec<String> = selection
        .nodes
        .iter()
        .flat_map(|id| {
            let node = graph.node(*id);
            label_columns(node.label())
                .into_iter()
                .filter(|name| property_type(name) == PropType::StrList)
                .flat_map(|name| list_items(&node_value(graph, *id, name)))
                .collect::<Vec<_>>()
        })
        .collect();
    list_separator(items.iter().map(String::as_str)).unwrap_or(';')
}

/// The nodes of a selection by label, in label order, each label's in selection order:
/// one import file per label.
pub fn nodes_by_label(
    graph: &dyn GraphRead,
    selection: &Selection,
) -> BTreeMap<Label, Vec<NodeId>> {
    let mut by_label: BTreeMap<Label, Vec<NodeId>> = BTreeMap::new();
    for id in &selection.nodes {
        by_label
            .entry(graph.node(*id).label())
            .or_default()
            .push(*id);
    }
    by_label
}

/// A node's cells in a database import file: its key, then each of `columns` (a list
/// joined with `separator`, a scalar as text, a missing value empty).
pub fn node_import_cells<'a>(
    graph: &'a dyn GraphRead,
    id: NodeId,
    columns: &'a [&'static str],
    separator: &'a str,
) -> impl Iterator<Item = String> + 'a {
    let cells = columns.iter().map(move |name| {
        let value = node_value(graph, id, name);
        if property_type(name) == PropType::StrList {
            list_items(&value).join(separator)
        } else {
            scalar_text(&value).unwrap_or_default()
        }
    });
    std::iter::once(node_key(id)).chain(cells)
}

/// An edge's property cells in a database import file, in its type's property order.
pub fn edge_import_cells(graph: &dyn GraphRead, id: EdgeId) -> impl Iterator<Item = String> + '_ {
    graph
        .edge(id)
        .properties()
        .into_iter()
        .map(|(_, value)| scalar_text(&value).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_columns_name_every_property_once() {
        let columns = all_node_columns();
        assert_eq!(columns[0], "name");
        for label in Label::ALL {
            for name in label.property_names() {
                assert_eq!(columns.iter().filter(|c| *c == name).count(), 1, "{name}");
            }
        }
    }

    #[test]
    fn list_separator_avoids_characters_in_elements() {
        assert_eq!(list_separator(["a", "b"]), Some(';'));
        assert_eq!(list_separator(["a;b", "c"]), Some('|'));
    }
}

//! A Kuzu bundle: `schema.cypher` (one node table per label, one relationship table per
//! type), CSV files per node table and per (type, from label, to label), and
//! `load.cypher` with the COPY statements. Run both files from inside the folder, since
//! Kuzu resolves the CSV paths against the working directory.
//!
//! Property names are those of DESIGN.md, so Cypher written for claimgraph runs in Kuzu
//! unchanged; the primary key is an extra `_key` column (n0, n1, ...) because `id` is a
//! Document property. Names are always back-quoted in the schema: `end`, `order` and
//! `count` are Cypher keywords or functions. Verified with the kuzu 0.11 Python package.

use super::csv_tables::{write_table, LineEnd};
use super::focus::Selection;
use super::schema::{
    edge_import_cells, export_list_separator, label_columns, node_import_cells, node_key,
    nodes_by_label, property_type, PropType,
};
use super::PlannedFile;
use crate::graph::{EdgeId, GraphRead, Label, NodeId, RelType};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The CSV options of every COPY: quoted newlines need the serial reader, and Kuzu's
/// default escape is a backslash where RFC 4180 (and our writer) doubles the quote.
const CSV_OPTIONS: &str = "HEADER=true, PARALLEL=FALSE, QUOTE='\"', ESCAPE='\"'";

fn kuzu_type(kind: PropType) -> &'static str {
    match kind {
        PropType::Str => "STRING",
        PropType::Int => "INT64",
        PropType::Float => "DOUBLE",
        PropType::Bool => "BOOLEAN",
        PropType::StrList => "STRING[]",
    }
}

/// The (from, to) label pairs DESIGN.md allows for each type. They are declared even when
/// the graph has no such edge, so that a query naming them finds an empty table instead
/// of failing.
fn design_pairs(rel: RelType) -> Vec<(Label, Label)> {
    use Label::*;
    let to = |from: &[Label], target: Label| from.iter().map(|f| (*f, target)).collect();
    let from = |source: Label, targets: &[Label]| targets.iter().map(|t| (source, *t)).collect();
    match rel {
        RelType::MentionedIn => to(&[Person, Organization, Unit, Place], Document),
        RelType::Reported => to(&[Person, Organization, Unit], Claim),
        RelType::Via => vec![(Claim, Organization)],
        RelType::About => from(Claim, &[Place, Unit, Person, Organization]),
        RelType::SourcedFrom => vec![(Claim, Document)],
        RelType::LocatedIn => vec![(Place, Place)],
        RelType::AffiliatedWith => from(Person, &[Organization, Unit]),
        RelType::PartOf => from(Unit, &[Unit, Organization]),
        RelType::Contradicts | RelType::Corroborates => vec![(Claim, Claim)],
    }
}

fn node_file(label: Label) -> String {
    format!("node_{}.csv", label.as_str().to_ascii_lowercase())
}

fn rel_file(rel: RelType, from: Label, to: Label) -> String {
    format!(
        "rel_{}_{}_{}.csv",
        rel.as_str().to_ascii_lowercase(),
        from.as_str().to_ascii_lowercase(),
        to.as_str().to_ascii_lowercase()
    )
}

fn quoted(name: &str) -> String {
    format!("`{name}`")
}

pub fn plan<'a>(graph: &'a dyn GraphRead, selection: &'a Selection) -> Vec<PlannedFile<'a>> {
    let separator = export_list_separator(graph, selection);
    let by_label = nodes_by_label(graph, selection);
    let mut by_pair: BTreeMap<(RelType, Label, Label), Vec<EdgeId>> = BTreeMap::new();
    for id in &selection.edges {
        let (from, to) = graph.endpoints(*id);
        let key = (
            graph.edge(*id).rel,
            graph.node(from).label(),
            graph.node(to).label(),
        );
        by_pair.entry(key).or_default().push(*id);
    }

    let mut files = vec![PlannedFile::text("schema.cypher", schema(by_pair.keys()))];
    let mut load = String::from(
        "// claimgraph export for Kuzu: run schema.cypher, then this file, from this folder.\n",
    );
    let _ = writeln!(
        load,
        "// List cells (aliases, roles) are split on '{}'.",
        separator.escape_debug()
    );
    for (label, ids) in by_label {
        let file = node_file(label);
        load.push_str(&copy_nodes(label, &file, &label_columns(label), separator));
        files.push(PlannedFile::new(file, move |out| {
            write_nodes(graph, label, &ids, separator, out)
        }));
    }
    for ((rel, from_label, to_label), ids) in by_pair {
        let file = rel_file(rel, from_label, to_label);
        let _ = writeln!(
            load,
            "COPY {rel} FROM \"{file}\" (from='{from_label}', to='{to_label}', {CSV_OPTIONS});"
        );
        files.push(PlannedFile::new(file, move |out| {
            write_edges(graph, rel, &ids, out)
        }));
    }
    files.push(PlannedFile::text("load.cypher", load));
    files
}

fn write_nodes(
    graph: &dyn GraphRead,
    label: Label,
    ids: &[NodeId],
    separator: char,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let columns = label_columns(label);
    let header = std::iter::once("_key").chain(columns.iter().copied());
    let separator = separator.to_string();
    let rows = ids
        .iter()
        .map(|id| node_import_cells(graph, *id, &columns, &separator));
    write_table(out, LineEnd::Lf, header, rows)
}

fn write_edges(
    graph: &dyn GraphRead,
    rel: RelType,
    ids: &[EdgeId],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let header = ["from", "to"]
        .into_iter()
        .chain(rel.property_names().iter().copied());
    let rows = ids.iter().map(|id| {
        let (from, to) = graph.endpoints(*id);
        [node_key(from), node_key(to)]
            .into_iter()
            .chain(edge_import_cells(graph, *id))
    });
    write_table(out, LineEnd::Lf, header, rows)
}

/// The DDL: every label's node table, and every relationship type's table with the
/// design pairs plus any other pair that occurs.
fn schema<'a>(occurring: impl Iterator<Item = &'a (RelType, Label, Label)>) -> String {
    let mut pairs: BTreeMap<RelType, BTreeSet<(Label, Label)>> = RelType::ALL
        .into_iter()
        .map(|rel| (rel, design_pairs(rel).into_iter().collect()))
        .collect();
    for (rel, from, to) in occurring {
        pairs.entry(*rel).or_default().insert((*from, *to));
    }
    let mut out = String::from(
        "// claimgraph export for Kuzu: run this file, then load.cypher, from this folder.\n",
    );
    for label in Label::ALL {
        let mut columns = vec![format!("{} STRING", quoted("_key"))];
        columns.extend(
            label_columns(label)
                .iter()
                .map(|name| format!("{} {}", quoted(name), kuzu_type(property_type(name)))),
        );
        let _ = writeln!(
            out,
            "CREATE NODE TABLE {label}({}, PRIMARY KEY ({}));",
            columns.join(", "),
            quoted("_key")
        );
    }
    for (rel, pairs) in &pairs {
        let mut parts: Vec<String> = pairs
            .iter()
            .map(|(from, to)| format!("FROM {from} TO {to}"))
            .collect();
        parts.extend(
            rel.property_names()
                .iter()
                .map(|name| format!("{} {}", quoted(name), kuzu_type(property_type(name)))),
        );
        let _ = writeln!(out, "CREATE REL TABLE {rel}({});", parts.join(", "));
    }
    out
}

/// The COPY for one node table. Tables with list columns load through `LOAD WITH
/// HEADERS` so the list cells can be split: Kuzu's own list syntax in CSV keeps quote
/// characters and cannot hold a comma inside an element.
fn copy_nodes(label: Label, file: &str, columns: &[&str], separator: char) -> String {
    if !columns
        .iter()
        .any(|name| property_type(name) == PropType::StrList)
    {
        return format!("COPY {label} FROM \"{file}\" ({CSV_OPTIONS});\n");
    }
    let mut typed = vec![format!("{} STRING", quoted("_key"))];
    let mut projected = vec![quoted("_key")];
    for name in columns {
        let kind = property_type(name);
        if kind == PropType::StrList {
            typed.push(format!("{} STRING", quoted(name)));
            projected.push(format!(
                "CASE WHEN {column} IS NULL THEN CAST([] AS STRING[]) ELSE string_split({column}, '{separator}') END",
                column = quoted(name),
                separator = cypher_string_char(separator),
            ));
        } else {
            typed.push(format!("{} {}", quoted(name), kuzu_type(kind)));
            projected.push(quoted(name));
        }
    }
    format!(
        "COPY {label} FROM (LOAD WITH HEADERS ({}) FROM \"{file}\" ({CSV_OPTIONS}) RETURN {});\n",
        typed.join(", "),
        projected.join(", ")
    )
}

/// A character inside a single-quoted Kuzu string. Kuzu has no escape for control
/// characters, so the unit separator (the last-resort list separator) is written raw.
fn cypher_string_char(c: char) -> String {
    match c {
        '\'' => "\\'".to_string(),
        '\\' => "\\\\".to_string(),
        c => c.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_declares_every_label_and_type() {
        let ddl = schema(std::iter::empty());
        for label in Label::ALL {
            assert!(
                ddl.contains(&format!("CREATE NODE TABLE {label}(")),
                "{label}"
            );
        }
        for rel in RelType::ALL {
            assert!(ddl.contains(&format!("CREATE REL TABLE {rel}(")), "{rel}");
        }
        assert!(ddl.contains(
            "CREATE REL TABLE MENTIONED_IN(FROM Person TO Document, FROM Organization TO Document"
        ));
    }
}

//! CSV files for `neo4j-admin database import full`: one node file per label, one
//! relationship file per type, and a README.txt with the exact import command.
//!
//! Headers carry Neo4j's type annotations (`lat:double`, `aliases:string[]`). The node
//! key column is `_key:ID` rather than `id:ID` because Document nodes have a DESIGN.md
//! property `id` (the document path) that must keep its meaning.

use super::csv_tables::{write_table, LineEnd};
use super::focus::Selection;
use super::schema::{
    edge_import_cells, export_list_separator, label_columns, node_import_cells, node_key,
    nodes_by_label, property_type, PropType,
};
use super::PlannedFile;
use crate::graph::{EdgeId, GraphRead, Label, NodeId, RelType};
use std::collections::BTreeMap;
use std::fmt::Write;

fn neo4j_type(kind: PropType) -> &'static str {
    match kind {
        PropType::Str => "string",
        PropType::Int => "long",
        PropType::Float => "double",
        PropType::Bool => "boolean",
        PropType::StrList => "string[]",
    }
}

pub fn file_name_for_label(label: Label) -> String {
    format!("{}.csv", label.as_str().to_ascii_lowercase())
}

pub fn file_name_for_rel(rel: RelType) -> String {
    format!("{}.csv", rel.as_str().to_ascii_lowercase())
}

pub fn plan<'a>(graph: &'a dyn GraphRead, selection: &'a Selection) -> Vec<PlannedFile<'a>> {
    let by_label = nodes_by_label(graph, selection);
    let mut by_rel: BTreeMap<RelType, Vec<EdgeId>> = BTreeMap::new();
    for id in &selection.edges {
        by_rel.entry(graph.edge(*id).rel).or_default().push(*id);
    }
    let separator = export_list_separator(graph, selection);
    let labels: Vec<Label> = by_label.keys().copied().collect();
    let rels: Vec<RelType> = by_rel.keys().copied().collect();
    let mut files = Vec::new();
    for (label, ids) in by_label {
        files.push(PlannedFile::new(file_name_for_label(label), move |out| {
            write_nodes(graph, label, &ids, separator, out)
        }));
    }
    for (rel, ids) in by_rel {
        files.push(PlannedFile::new(file_name_for_rel(rel), move |out| {
            write_edges(graph, rel, &ids, out)
        }));
    }
    files.push(PlannedFile::text(
        "README.txt",
        readme(&labels, &rels, separator),
    ));
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
    let header = std::iter::once("_key:ID".to_string())
        .chain(
            columns
                .iter()
                .map(|name| format!("{name}:{}", neo4j_type(property_type(name)))),
        )
        .chain(std::iter::once(":LABEL".to_string()));
    let separator = separator.to_string();
    let rows = ids.iter().map(|id| {
        node_import_cells(graph, *id, &columns, &separator)
            .chain(std::iter::once(label.to_string()))
    });
    write_table(out, LineEnd::Lf, header, rows)
}

fn write_edges(
    graph: &dyn GraphRead,
    rel: RelType,
    ids: &[EdgeId],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let header = [":START_ID", ":END_ID", ":TYPE"]
        .into_iter()
        .map(str::to_string)
        .chain(
            rel.property_names()
                .iter()
                .map(|name| format!("{name}:{}", neo4j_type(property_type(name)))),
        );
    let rows = ids.iter().map(|id| {
        let (from, to) = graph.endpoints(*id);
        [node_key(from), node_key(to), rel.to_string()]
            .into_iter()
            .chain(edge_import_cells(graph, *id))
    });
    write_table(out, LineEnd::Lf, header, rows)
}

/// The separator as a shell word for `--array-delimiter`.
fn shell_quoted(separator: char) -> String {
    if separator.is_control() {
        format!("$'\\x{:02x}'", separator as u32)
    } else {
        format!("\"{separator}\"")
    }
}

/// The import command for these files.
pub fn import_command(labels: &[Label], rels: &[RelType], separator: char) -> String {
    let mut command = String::from("neo4j-admin database import full");
    for label in labels {
        let _ = write!(command, " --nodes={label}={}", file_name_for_label(*label));
    }
    for rel in rels {
        let _ = write!(
            command,
            " --relationships={rel}={}",
            file_name_for_rel(*rel)
        );
    }
    let _ = write!(
        command,
        " --array-delimiter={} --multiline-fields=true neo4j",
        shell_quoted(separator)
    );
    command
}

fn readme(labels: &[Label], rels: &[RelType], separator: char) -> String {
    format!(
        "Neo4j import files written by `claimgraph export --format neo4j`.\n\
         \n\
         Import them into a new, stopped database (Neo4j 5) from this folder:\n\
         \n\
         \x20 {command}\n\
         \n\
         Notes\n\
         - One node file per label and one relationship file per type; the headers carry\n\
         \x20 the property types (long, double, boolean, string[]).\n\
         - `_key` (n0, n1, ...) is the node's key in every claimgraph export of the same\n\
         \x20 graph file; Document nodes keep their own `id` property (the document path).\n\
         - List properties (aliases, roles) are separated by {separator_shown} (the\n\
         \x20 --array-delimiter above); claimgraph picks a separator no list element contains.\n\
         - Sentences may span lines, hence --multiline-fields=true.\n\
         - Empty text cells are imported as missing properties.\n",
        command = import_command(labels, rels, separator),
        separator_shown = shell_quoted(separator),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_command_names_every_file() {
        let command = import_command(
            &[Label::Person, Label::Document],
            &[RelType::MentionedIn],
            ';',
        );
        assert_eq!(
            command,
            "neo4j-admin database import full --nodes=Person=person.csv \
             --nodes=Document=document.csv --relationships=MENTIONED_IN=mentioned_in.csv \
             --array-delimiter=\";\" --multiline-fields=true neo4j"
        );
    }
}

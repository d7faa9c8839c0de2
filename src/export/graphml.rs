//! GraphML for Gephi, yEd, Cytoscape and networkx: typed `<key>` declarations for every
//! node and edge property, a `label` key with the node label and a `type` key with the
//! relationship type. Lists are joined with "; ".
//!
//! Characters XML 1.0 does not allow (most control characters) are dropped, because a
//! single one makes the whole file unreadable.

use super::focus::Selection;
use super::schema::{
    all_edge_columns, all_node_columns, label_columns, node_key, node_value, property_type,
    scalar_text, PropType,
};
use crate::graph::GraphRead;
use std::fmt::Write;

fn graphml_type(kind: PropType) -> &'static str {
    match kind {
        PropType::Str | PropType::StrList => "string",
        PropType::Int => "long",
        PropType::Float => "double",
        PropType::Bool => "boolean",
    }
}

/// Key ids: node keys use the property name, edge keys an `e_` prefix, because ids are
/// shared between nodes and edges and both have properties such as `rule` and `start`.
fn edge_key_id(name: &str) -> String {
    format!("e_{name}")
}

/// Writes the selection as GraphML to `sink`, a node or edge at a time.
pub fn write(
    graph: &dyn GraphRead,
    selection: &Selection,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let node_columns = all_node_columns();
    let edge_columns = all_edge_columns();
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    out.push_str("  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n");
    for name in &node_columns {
        let _ = writeln!(
            out,
            "  <key id=\"{name}\" for=\"node\" attr.name=\"{name}\" attr.type=\"{}\"/>",
            graphml_type(property_type(name))
        );
    }
    out.push_str("  <key id=\"e_type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n");
    for name in &edge_columns {
        let _ = writeln!(
            out,
            "  <key id=\"{}\" for=\"edge\" attr.name=\"{name}\" attr.type=\"{}\"/>",
            edge_key_id(name),
            graphml_type(property_type(name))
        );
    }
    out.push_str("  <graph id=\"claimgraph\" edgedefault=\"directed\">\n");

    for id in &selection.nodes {
        let node = graph.node(*id);
        let _ = writeln!(out, "    <node id=\"{}\">", node_key(*id));
        write_data(&mut out, "label", node.label().as_str());
        for name in label_columns(node.label()) {
            if let Some(text) = scalar_text(&node_value(graph, *id, name)) {
                write_data(&mut out, name, &text);
            }
        }
        out.push_str("    </node>\n");
        flush_if_full(&mut out, sink)?;
    }
    for id in &selection.edges {
        let (from, to) = graph.endpoints(*id);
        let edge = graph.edge(*id);
        let _ = writeln!(
            out,
            "    <edge id=\"e{}\" source=\"{}\" target=\"{}\">",
            id.index(),
            node_key(from),
            node_key(to)
        );
        write_data(&mut out, "e_type", edge.rel.as_str());
        for (name, value) in edge.properties() {
            if let Some(text) = scalar_text(&value) {
                write_data(&mut out, &edge_key_id(name), &text);
            }
        }
        out.push_str("    </edge>\n");
        flush_if_full(&mut out, sink)?;
    }
    out.push_str("  </graph>\n</graphml>\n");
    sink.write_all(out.as_bytes())
}

/// Hands the text made so far to `sink` once there is enough of it to be worth a write.
pub fn flush_if_full(out: &mut String, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    if out.len() >= 1 << 16 {
        sink.write_all(out.as_bytes())?;
        out.clear();
    }
    Ok(())
}

fn write_data(out: &mut String, key: &str, text: &str) {
    let _ = writeln!(out, "      <data key=\"{key}\">{}</data>", escape(text));
}

/// Text for XML content or attributes: the five special characters as entities, a
/// carriage return as a character reference (a raw one would be read back as a line
/// feed), and characters outside the XML 1.0 set dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// The XML 1.0 `Char` production, less tab, line feed and carriage return (handled by
/// the caller).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup_and_drops_control_characters() {
        assert_eq!(
            escape("a<b>&\"c\" 'd'\u{1}\u{FFFE}\r"),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;&#13;"
        );
    }
}

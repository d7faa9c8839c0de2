//! Graphviz DOT: one shape and colour per label with a legend, claims as small nodes
//! showing topic and quantity, edges labelled by type.
//!
//! Node ids are generated (`n` and the node's number), so no name can break the syntax;
//! names only appear inside escaped, quoted labels.

use super::focus::Selection;
use super::graphml::flush_if_full;
use super::schema::node_key;
use crate::graph::{GraphRead, Label, Node};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Longest label text, in characters, before it is cut with "…".
const MAX_LABEL_CHARS: usize = 40;
/// Longest tooltip (the full name or sentence shown on hover in SVG).
const MAX_TOOLTIP_CHARS: usize = 300;

/// Shape and fill colour per label; colours from the ColorBrewer Pastel1 set so that
/// black text stays readable on every fill.
fn style(label: Label) -> (&'static str, &'static str) {
    match label {
        Label::Person => ("ellipse", "#fbb4ae"),
        Label::Organization => ("component", "#b3cde3"),
        Label::Unit => ("hexagon", "#ccebc5"),
        Label::Place => ("house", "#decbe4"),
        Label::Document => ("note", "#fed9a6"),
        Label::Claim => ("box", "#ffffcc"),
    }
}

/// Writes the selection as DOT to `sink`, a node or edge at a time.
pub fn write(
    graph: &dyn GraphRead,
    selection: &Selection,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut out = String::new();
    out.push_str("// claimgraph export: node ids are generated; see the legend for shapes\n");
    out.push_str("digraph claimgraph {\n");
    out.push_str("  graph [rankdir=LR, charset=\"UTF-8\", fontname=\"Helvetica\"];\n");
    out.push_str("  node [style=filled, fontname=\"Helvetica\", fontsize=10];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];\n");

    let labels: BTreeSet<Label> = selection
        .nodes
        .iter()
        .map(|id| graph.node(*id).label())
        .collect();
    if !labels.is_empty() {
        out.push_str("  subgraph cluster_legend {\n");
        out.push_str("    label=\"Legend\"; style=rounded; color=\"#999999\";\n");
        for label in &labels {
            let (shape, colour) = style(*label);
            let _ = writeln!(
                out,
                "    legend_{} [label=\"{label}\", shape={shape}, fillcolor=\"{colour}\"];",
                label.as_str().to_ascii_lowercase()
            );
        }
        out.push_str("  }\n");
    }

    for id in &selection.nodes {
        let node = graph.node(*id);
        let (shape, colour) = style(node.label());
        let size = if node.label() == Label::Claim {
            ", fontsize=8, margin=\"0.05,0.02\", height=0.3"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {} [label=\"{}\", tooltip=\"{}\", shape={shape}, fillcolor=\"{colour}\"{size}];",
            node_key(*id),
            escape(&display_label(node)),
            escape(&truncate(&node.name, MAX_TOOLTIP_CHARS)),
        );
        flush_if_full(&mut out, sink)?;
    }
    for id in &selection.edges {
        let (from, to) = graph.endpoints(*id);
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\"];",
            node_key(from),
            node_key(to),
            graph.edge(*id).rel
        );
        flush_if_full(&mut out, sink)?;
    }
    out.push_str("}\n");
    sink.write_all(out.as_bytes())
}

/// What a node shows: its name, or for a claim its topic and quantity (the sentence is
/// in the tooltip), each cut to a readable length. Lines are joined with a DOT line
/// break escape, never a raw newline.
fn display_label(node: &Node) -> String {
    match node.claim() {
        Some(claim) => {
            let mut lines = vec![claim.topic.as_str().replace('_', " ")];
            if let Some(quantity) = &claim.quantity {
                lines.push(truncate(quantity, MAX_LABEL_CHARS));
            }
            lines.join("\n")
        }
        None => truncate(&node.name, MAX_LABEL_CHARS),
    }
}

/// The text cut to `max` characters, ending in "…" when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Text for a double-quoted DOT string. Backslashes and quotes are escaped; a newline
/// becomes the `\n` line break; other control characters are dropped; `&` is written as
/// an entity because Graphviz decodes entities such as `&lt;` in labels.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '&' => out.push_str("&amp;"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_labels_on_one_line_inside_quotes() {
        assert_eq!(escape("a \"b\"\\\nc\r&"), "a \\\"b\\\"\\\\\\nc&amp;");
    }

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        let cut = truncate(&"x".repeat(100), 10);
        assert_eq!(cut.chars().count(), 10);
        assert!(cut.ends_with('…'));
        assert_eq!(truncate("short", 10), "short");
    }
}

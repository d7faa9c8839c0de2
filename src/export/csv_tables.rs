//! Two CSV tables for spreadsheets: `nodes.csv` and `edges.csv`.
//!
//! Lists are joined with "; ". A cell that a spreadsheet would run as a formula (it
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe,
//! unless it is a plain number such as -3.5; article text is untrusted input.

use super::focus::Selection;
use super::schema::{all_edge_columns, all_node_columns, node_key, node_value};
use super::{ExportError, OutputFile};
use crate::graph::GraphRead;

pub fn render(
    graph: &dyn GraphRead,
    selection: &Selection,
) -> Result<Vec<OutputFile>, ExportError> {
    // The document id is the node's name, already in the name column; a second `id`
    // column would clash with the node key.
    let properties: Vec<&str> = all_node_columns()
        .into_iter()
        .filter(|name| *name != "name" && *name != "id")
        .collect();
    let mut nodes = Vec::with_capacity(selection.nodes.len() + 1);
    nodes.push(
        ["id", "label", "name"]
            .into_iter()
            .chain(properties.iter().copied())
            .map(str::to_string)
            .collect::<Vec<_>>(),
    );
    for id in &selection.nodes {
        let node = graph.node(*id);
        let mut row = vec![
            node_key(*id),
            node.label().to_string(),
            neutralise(&node.name),
        ];
        for name in &properties {
            row.push(neutralise(&node_value(graph, *id, name).to_string()));
        }
        nodes.push(row);
    }

    let edge_properties = all_edge_columns();
    let mut edges = Vec::with_capacity(selection.edges.len() + 1);
    edges.push(
        ["source", "target", "type"]
            .into_iter()
            .chain(edge_properties.iter().copied())
            .map(str::to_string)
            .collect::<Vec<_>>(),
    );
    for id in &selection.edges {
        let (from, to) = graph.endpoints(*id);
        let edge = graph.edge(*id);
        let mut row = vec![node_key(from), node_key(to), edge.rel.to_string()];
        for name in &edge_properties {
            row.push(neutralise(&edge.property(name).to_string()));
        }
        edges.push(row);
    }

    Ok(vec![
        OutputFile::new("nodes.csv", csv_bytes(&nodes, LineEnd::Crlf)?),
        OutputFile::new("edges.csv", csv_bytes(&edges, LineEnd::Crlf)?),
    ])
}

/// RFC 4180 bytes of the rows, quoting only where needed. Spreadsheet tables end lines
/// with CRLF as the RFC says; database import files with LF, which every importer
/// reads and none mistakes for part of the last cell.
pub fn csv_bytes(rows: &[Vec<String>], line_end: LineEnd) -> Result<Vec<u8>, ExportError> {
    let terminator = match line_end {
        LineEnd::Crlf => csv::Terminator::CRLF,
        LineEnd::Lf => csv::Terminator::Any(b'\n'),
    };
    let mut writer = csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(row)
            .map_err(|e| ExportError::Encode(e.to_string()))?;
    }
    writer
        .into_inner()
        .map_err(|e| ExportError::Encode(e.error().to_string()))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnd {
    Crlf,
    Lf,
}

/// The cell with a leading apostrophe if a spreadsheet would take it for a formula.
pub fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Digits with an optional sign, decimal part and exponent: what a spreadsheet reads as
/// a number and nothing else.
fn is_plain_number(cell: &str) -> bool {
    let body = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (digits(whole) || whole.is_empty()) && digits(fraction)
                || digits(whole) && fraction.is_empty()
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_an_apostrophe_and_numbers_do_not() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-1+2"), "'-1+2");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("-3.5"), "-3.5");
        assert_eq!(neutralise("+4e3"), "+4e3");
        assert_eq!(neutralise("-"), "'-");
        assert_eq!(neutralise("Kyiv"), "Kyiv");
    }
}

//! Two CSV tables for spreadsheets: `nodes.csv` and `edges.csv`.
//!
//! Lists are joined with "; ". A cell that a spreadsheet would run as a formula (it
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe,
//! unless it is a plain number such as -3.5; article text is untrusted input.

use super::focus::Selection;
use super::schema::{all_edge_columns, all_node_columns, node_key, node_value};
use super::PlannedFile;
use crate::graph::GraphRead;
use std::io::Write;

pub fn plan<'a>(graph: &'a dyn GraphRead, selection: &'a Selection) -> Vec<PlannedFile<'a>> {
    vec![
        PlannedFile::new("nodes.csv", |out| write_nodes(graph, selection, out)),
        PlannedFile::new("edges.csv", |out| write_edges(graph, selection, out)),
    ]
}

fn write_nodes(
    graph: &dyn GraphRead,
    selection: &Selection,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    // The document id is the node's name, already in the name column; a second `id`
    // column would clash with the node key.
    let properties: Vec<&str> = all_node_columns()
        .into_iter()
        .filter(|name| *name != "name" && *name != "id")
        .collect();
    let header = ["id", "label", "name"].iter().chain(&properties);
    let rows = selection.nodes.iter().map(|id| {
        let node = graph.node(*id);
        [
            node_key(*id),
            node.label().to_string(),
            neutralise(&node.name),
        ]
        .into_iter()
        .chain(
            properties
                .iter()
                .map(|name| neutralise(&node_value(graph, *id, name).to_string())),
        )
    });
    write_table(out, LineEnd::Crlf, header, rows)
}

fn write_edges(
    graph: &dyn GraphRead,
    selection: &Selection,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let properties = all_edge_columns();
    let header = ["source", "target", "type"].iter().chain(&properties);
    let rows = selection.edges.iter().map(|id| {
        let (from, to) = graph.endpoints(*id);
        let edge = graph.edge(*id);
        [node_key(from), node_key(to), edge.rel.to_string()]
            .into_iter()
            .chain(
                properties
                    .iter()
                    .map(|name| neutralise(&edge.property(name).to_string())),
            )
    });
    write_table(out, LineEnd::Crlf, header, rows)
}

/// Writes `header`, then each of `rows`, as RFC 4180 records to `out`, quoting only
/// where needed, one record at a time. Spreadsheet tables end lines with CRLF as the
/// RFC says; database import files with LF, which every importer reads and none
/// mistakes for part of the last cell.
pub fn write_table<H, R>(
    out: &mut dyn Write,
    line_end: LineEnd,
    header: H,
    rows: impl Iterator<Item = R>,
) -> std::io::Result<()>
where
    H: IntoIterator,
    H::Item: AsRef<[u8]>,
    R: IntoIterator<Item = String>,
{
    let terminator = match line_end {
        LineEnd::Crlf => csv::Terminator::CRLF,
        LineEnd::Lf => csv::Terminator::Any(b'\n'),
    };
    let mut writer = csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(out);
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row)?;
    }
    writer.flush()
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

//! Result rows as an aligned table, CSV or JSON Lines.
//!
//! Tables cut long cells with "…" so that a sentence column does not push the others off
//! the screen; CSV and JSON keep every value whole. JSON Lines writes one object per row
//! with numbers as numbers, lists as arrays and null as null.

use crate::graph::Value;
use crate::query::ResultSet;
use std::io::{self, Write};
use std::time::Duration;
use unicode_width::UnicodeWidthChar;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
}

impl OutputFormat {
    /// Parses a format name as `.mode` takes it.
    pub fn parse(name: &str) -> Option<OutputFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "table" => Some(OutputFormat::Table),
            "csv" => Some(OutputFormat::Csv),
            "json" | "jsonl" | "jsonlines" => Some(OutputFormat::Json),
            _ => None,
        }
    }
}

/// The widest a table column gets before its cells are cut.
pub const DEFAULT_MAX_WIDTH: usize = 60;

/// How to write results beyond the format: the table's column cap and an optional
/// footer with the row count and the time taken (the shell's `.timer`).
#[derive(Clone, Debug, PartialEq)]
pub struct PresentOptions {
    pub max_column_width: usize,
    /// Print "(N rows)" after a table.
    pub row_count: bool,
    /// Print the time taken after a table (with the row count).
    pub elapsed: Option<Duration>,
    /// The terminal's width: wide tables narrow their widest columns to fit it.
    pub max_table_width: Option<usize>,
}

impl Default for PresentOptions {
    fn default() -> Self {
        PresentOptions {
            max_column_width: DEFAULT_MAX_WIDTH,
            row_count: false,
            elapsed: None,
            max_table_width: None,
        }
    }
}

/// Writes the rows in the chosen format.
pub fn write_results(
    results: &ResultSet,
    format: OutputFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_results_with(results, format, &PresentOptions::default(), out)
}

/// Writes the rows in the chosen format with options.
pub fn write_results_with(
    results: &ResultSet,
    format: OutputFormat,
    options: &PresentOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Table => {
            if let Some(text) = &results.explanation {
                writeln!(out, "{}", text.trim_end())?;
            }
            if !results.columns.is_empty() {
                let max = options.max_column_width.max(3);
                write_table(results, max, options.max_table_width, out)?;
            }
            write_footer(results, options, out)
        }
        OutputFormat::Csv => write_csv(results, out),
        OutputFormat::Json => write_json(results, out),
    }
}

fn write_footer(
    results: &ResultSet,
    options: &PresentOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    if results.columns.is_empty() {
        return Ok(());
    }
    let count = results.rows.len();
    let rows = format!("{count} row{}", if count == 1 { "" } else { "s" });
    match (options.row_count, options.elapsed) {
        (_, Some(elapsed)) => writeln!(out, "({rows}, {:.3} ms)", elapsed.as_secs_f64() * 1000.0),
        (true, None) => writeln!(out, "({rows})"),
        (false, None) => Ok(()),
    }
}

fn display_width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// A cell as one line: newlines and tabs become spaces, cut to `max` columns with "…".
fn cell_text(value: &Value, max: usize) -> String {
    let text: String = value
        .to_string()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if display_width(&text) <= max {
        return text;
    }
    let mut cut = String::new();
    let mut width = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if width + w > max - 1 {
            break;
        }
        cut.push(c);
        width += w;
    }
    cut.push('…');
    cut
}

fn pad(out: &mut dyn Write, text: &str, width: usize) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    let missing = width.saturating_sub(display_width(text));
    write!(out, "{:missing$}", "")
}

/// Numbers are aligned right, everything else left.
fn is_number(value: &Value) -> bool {
    matches!(value, Value::Int(_) | Value::Float(_))
}

/// The narrowest a column gets when a table is fitted to the terminal.
const MIN_FITTED_WIDTH: usize = 8;

/// Column widths for a table that must fit in `total` columns: the widest column gives
/// up one column at a time, down to [`MIN_FITTED_WIDTH`], so short columns stay whole.
fn fit_widths(mut widths: Vec<usize>, total: usize) -> Vec<usize> {
    let separators = 3 * widths.len().saturating_sub(1);
    while widths.iter().sum::<usize>() + separators > total {
        let Some((widest, width)) = widths
            .iter()
            .copied()
            .enumerate()
            .max_by_key(|(i, w)| (*w, usize::MAX - i))
        else {
            break;
        };
        if width <= MIN_FITTED_WIDTH {
            break;
        }
        widths[widest] = width - 1;
    }
    widths
}

fn write_table(
    results: &ResultSet,
    max: usize,
    max_table_width: Option<usize>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let header_values: Vec<Value> = results
        .columns
        .iter()
        .map(|c| Value::Str(c.clone()))
        .collect();
    let mut widths: Vec<usize> = header_values
        .iter()
        .map(|h| display_width(&cell_text(h, max)))
        .collect();
    for row in &results.rows {
        for (i, value) in row.iter().enumerate() {
            if let Some(width) = widths.get_mut(i) {
                *width = (*width).max(display_width(&cell_text(value, max)));
            }
        }
    }
    if let Some(total) = max_table_width {
        widths = fit_widths(widths, total);
    }
    let cut =
        |value: &Value, i: usize| cell_text(value, widths.get(i).copied().unwrap_or(max).max(3));
    let header: Vec<String> = header_values
        .iter()
        .enumerate()
        .map(|(i, h)| cut(h, i))
        .collect();
    let cells: Vec<Vec<String>> = results
        .rows
        .iter()
        .map(|row| row.iter().enumerate().map(|(i, v)| cut(v, i)).collect())
        .collect();
    let last = widths.len().saturating_sub(1);
    for (i, name) in header.iter().enumerate() {
        if i > 0 {
            out.write_all(b" | ")?;
        }
        if i == last {
            out.write_all(name.as_bytes())?;
        } else {
            pad(out, name, widths[i])?;
        }
    }
    out.write_all(b"\n")?;
    for (i, width) in widths.iter().enumerate() {
        if i > 0 {
            out.write_all(b"-+-")?;
        }
        out.write_all("-".repeat(*width).as_bytes())?;
    }
    out.write_all(b"\n")?;
    for (row, values) in cells.iter().zip(&results.rows) {
        let mut line = Vec::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.extend_from_slice(b" | ");
            }
            let width = widths.get(i).copied().unwrap_or(0);
            let missing = width.saturating_sub(display_width(cell));
            if values.get(i).is_some_and(is_number) {
                line.extend(std::iter::repeat_n(b' ', missing));
                line.extend_from_slice(cell.as_bytes());
            } else {
                line.extend_from_slice(cell.as_bytes());
                line.extend(std::iter::repeat_n(b' ', missing));
            }
        }
        // Trailing spaces are noise in files and diffs.
        while line.last() == Some(&b' ') {
            line.pop();
        }
        line.push(b'\n');
        out.write_all(&line)?;
    }
    Ok(())
}

fn write_csv(results: &ResultSet, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer
        .write_record(&results.columns)
        .map_err(io::Error::other)?;
    for row in &results.rows {
        writer
            .write_record(row.iter().map(|v| v.to_string()))
            .map_err(io::Error::other)?;
    }
    writer.flush()
}

/// A value as JSON: numbers as numbers, lists as arrays, null as null.
pub fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(x) => serde_json::Number::from_f64(*x)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::Str(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
    }
}

/// Writes each object by hand so that keys keep the column order (a JSON map sorts them).
fn write_json(results: &ResultSet, out: &mut dyn Write) -> io::Result<()> {
    for row in &results.rows {
        let mut line = String::from("{");
        for (i, (column, value)) in results.columns.iter().zip(row).enumerate() {
            if i > 0 {
                line.push(',');
            }
            line.push_str(&serde_json::Value::String(column.clone()).to_string());
            line.push(':');
            line.push_str(&to_json(value).to_string());
        }
        line.push('}');
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ResultSet {
        ResultSet {
            columns: vec!["name".into(), "count".into(), "aliases".into()],
            rows: vec![
                vec![
                    Value::Str("Kreminna".into()),
                    Value::Int(12),
                    Value::List(vec![Value::Str("Kremennaya".into())]),
                ],
                vec![Value::Str("x".repeat(100)), Value::Float(1.5), Value::Null],
            ],
            ..ResultSet::default()
        }
    }

    fn render(results: &ResultSet, format: OutputFormat) -> String {
        let mut out = Vec::new();
        write_results(results, format, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn table_cuts_long_cells_and_aligns_numbers() {
        let text = render(&sample(), OutputFormat::Table);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("{:60} | count | aliases", "name"));
        assert!(
            lines[3].starts_with(&format!("{}… |   1.5", "x".repeat(59))),
            "{text}"
        );
        assert!(lines[2].contains("|    12 | Kremennaya"), "{text}");
    }

    #[test]
    fn a_table_narrows_its_widest_columns_to_fit_the_terminal() {
        let options = PresentOptions {
            max_table_width: Some(40),
            ..PresentOptions::default()
        };
        let mut out = Vec::new();
        write_results_with(&sample(), OutputFormat::Table, &options, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        for line in text.lines() {
            assert!(display_width(line) <= 40, "{line:?} in\n{text}");
        }
        // The short columns stay whole; the long one is cut with a marker.
        assert!(text.contains("|    12 | Kremennaya"), "{text}");
        assert!(text.contains("xxx… |   1.5"), "{text}");
        assert_eq!(fit_widths(vec![50, 5, 30], 200), vec![50, 5, 30]);
        assert_eq!(fit_widths(vec![50, 5, 30], 50), vec![19, 5, 20]);
        // Never below the minimum, even when the terminal is tiny.
        assert_eq!(fit_widths(vec![50, 30], 10), vec![8, 8]);
    }

    #[test]
    fn json_lines_keep_types() {
        let text = render(&sample(), OutputFormat::Json);
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["count"], serde_json::json!(12));
        assert_eq!(first["aliases"], serde_json::json!(["Kremennaya"]));
        let second: serde_json::Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
        assert_eq!(second["aliases"], serde_json::Value::Null);
        assert_eq!(second["count"], serde_json::json!(1.5));
    }

    #[test]
    fn csv_quotes_and_joins_lists() {
        let mut results = sample();
        results.rows[1][0] = Value::Str("a, \"b\"".into());
        let text = render(&results, OutputFormat::Csv);
        assert_eq!(
            text,
            "name,count,aliases\nKreminna,12,Kremennaya\n\"a, \"\"b\"\"\",1.5,\n"
        );
    }
}

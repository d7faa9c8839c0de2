//! Result rows as an aligned table, CSV or JSON Lines.
//!
//! (Interface stub: the width-aware table writer replaces this.)

use crate::query::ResultSet;
use std::io::{self, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
}

/// Writes the rows in the chosen format.
pub fn write_results(
    results: &ResultSet,
    format: OutputFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Json => {
            for row in &results.rows {
                let object: serde_json::Map<String, serde_json::Value> = results
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| (c.clone(), serde_json::Value::String(v.to_string())))
                    .collect();
                writeln!(out, "{}", serde_json::Value::Object(object))?;
            }
        }
        _ => {
            writeln!(out, "{}", results.columns.join("\t"))?;
            for row in &results.rows {
                let cells: Vec<String> = row.iter().map(|v| v.to_string()).collect();
                writeln!(out, "{}", cells.join("\t"))?;
            }
        }
    }
    Ok(())
}

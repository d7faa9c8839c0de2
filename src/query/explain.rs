//! `explain <query>`: the Cypher a question became, the plan, and for questions the
//! provenance behind each answer row (the claim's rule id, document, byte span and
//! sentence index), so a user can see why an answer is there.

use super::ast::{Expr, ReturnItem};
use super::execute::{self, Val};
use super::forms::FormKind;
use super::{parse_statement, plan, Params, QueryError, ResultSet, Statement};
use crate::graph::{GraphRead, Value};
use std::fmt;

/// What `explain` shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The question, when the input was one.
    pub question: Option<String>,
    /// The syntax tree printed as Cypher.
    pub cypher: String,
    /// The plan, one operator a line.
    pub plan: String,
    /// For questions: per answer row, the claims behind it.
    pub provenance: Option<ResultSet>,
    pub notes: Vec<String>,
}

/// Columns of the provenance table.
pub const PROVENANCE_COLUMNS: [&str; 7] = [
    "row", "answer", "claim", "rule", "document", "span", "sentence",
];

impl Explanation {
    /// The explanation as a result set: the text in `explanation`, the provenance rows.
    pub fn into_result_set(self) -> ResultSet {
        let text = self.header();
        let provenance = self.provenance.unwrap_or_default();
        ResultSet {
            columns: provenance.columns,
            rows: provenance.rows,
            notes: self.notes,
            explanation: Some(text),
        }
    }

    fn header(&self) -> String {
        let mut text = String::new();
        if let Some(question) = &self.question {
            text.push_str(&format!("question: {question}\n"));
        }
        text.push_str("cypher:\n");
        for line in self.cypher.lines() {
            text.push_str(&format!("  {line}\n"));
        }
        text.push_str("plan:\n");
        for line in self.plan.lines() {
            text.push_str(&format!("  {line}\n"));
        }
        if self.provenance.is_some() {
            text.push_str("provenance:");
        }
        text
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.header())?;
        if let Some(provenance) = &self.provenance {
            f.write_str("\n")?;
            for row in &provenance.rows {
                let cells: Vec<String> = row.iter().map(|v| v.to_string()).collect();
                writeln!(f, "  {}", cells.join("  "))?;
            }
        }
        Ok(())
    }
}

/// Explains a question or a Cypher query (without the `explain` keyword).
pub fn explain(
    graph: &dyn GraphRead,
    input: &str,
    params: &Params,
) -> Result<Explanation, QueryError> {
    match parse_statement(graph, input)? {
        Statement::Cypher(query) => Ok(Explanation {
            question: None,
            cypher: query.to_string(),
            plan: plan::plan(&query).to_string(),
            provenance: None,
            notes: Vec::new(),
        }),
        Statement::Question(form) => {
            let plan_text = plan::plan(&form.query).to_string();
            let mut notes = form.notes.clone();
            let provenance = if form.kind == FormKind::Path || form.provenance.is_empty() {
                notes.push("this question reads entities and documents, not claims: no claim provenance to show".to_string());
                None
            } else {
                Some(provenance(graph, &form.query, &form.provenance, params)?)
            };
            Ok(Explanation {
                question: Some(form.question.clone()),
                cypher: form.query.to_string(),
                plan: plan_text,
                provenance,
                notes,
            })
        }
    }
}

/// Runs the question with one hidden column per claim variable (`collect(DISTINCT
/// id(c))`), which groups the claims behind each visible row, then reads each claim's
/// provenance.
fn provenance(
    graph: &dyn GraphRead,
    query: &super::ast::Query,
    claim_vars: &[&str],
    params: &Params,
) -> Result<ResultSet, QueryError> {
    let mut query = query.clone();
    let visible = query.ret.items.len();
    for var in claim_vars {
        query.ret.items.push(ReturnItem {
            expr: Expr::Call {
                name: "collect".to_string(),
                distinct: true,
                args: vec![Expr::call("id", vec![Expr::var(var)])],
            },
            alias: Some(format!("provenance_{var}")),
        });
    }
    let plan = plan::plan(&query);
    let table = execute::run(graph, &plan, params)?;
    let mut rows = Vec::new();
    for (number, row) in table.rows.iter().enumerate() {
        let answer = row
            .first()
            .map(|v| v.to_value(graph))
            .unwrap_or(Value::Null);
        for (var, cell) in claim_vars.iter().zip(&row[visible..]) {
            let Val::List(claims) = cell else { continue };
            for claim_id in claims.iter() {
                // The ids come from `id(c)` over this very graph, so they are valid.
                let Val::Int(index) = claim_id else { continue };
                let id = crate::graph::NodeId::new(*index as usize);
                let Some(claim) = graph.node(id).claim() else {
                    continue;
                };
                rows.push(vec![
                    Value::Int(number as i64 + 1),
                    answer.clone(),
                    Value::Str((*var).to_string()),
                    Value::Str(claim.rule.to_string()),
                    Value::Str(claim.document.to_string()),
                    Value::Str(format!("{}..{}", claim.start, claim.end)),
                    Value::Int(claim.sentence as i64),
                ]);
            }
        }
    }
    Ok(ResultSet {
        columns: PROVENANCE_COLUMNS.map(String::from).to_vec(),
        rows,
        notes: Vec::new(),
        explanation: None,
    })
}

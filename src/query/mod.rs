//! Questions and a Cypher subset, compiled to one pattern syntax tree, planned and
//! executed over a [`GraphRead`].
//!
//! (Interface stub: the parser, question forms and executor replace this.)

use crate::graph::{GraphRead, Value};
use std::collections::BTreeMap;

/// Named query parameters (`$name`).
pub type Params = BTreeMap<String, Value>;

/// The answer to a query: named columns and rows of values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
}

/// Runs a question or a Cypher query.
pub fn execute(
    _graph: &dyn GraphRead,
    input: &str,
    _params: &Params,
) -> Result<ResultSet, QueryError> {
    Err(QueryError::Syntax {
        line: 1,
        column: 1,
        message: format!("cannot understand '{input}' yet"),
    })
}

//! The build pipeline: documents -> sentences -> extraction (in parallel) -> resolution ->
//! graph.

use crate::corpus::Document;
use crate::graph::KnowledgeGraph;
use crate::{extract, resolve};
use rayon::prelude::*;

/// Builds the graph of a set of documents.
pub fn build_graph(documents: &[Document]) -> KnowledgeGraph {
    let extractions: Vec<extract::DocumentExtraction> = documents
        .par_iter()
        .map(extract::extract_document)
        .collect();
    resolve::resolve(documents, extractions)
}

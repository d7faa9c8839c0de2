//! Canonical entities across the corpus, and the graph assembled from them.

use crate::corpus::Document;
use crate::extract::DocumentExtraction;
use crate::graph::{KnowledgeGraph, Node, NodeData};

pub fn resolve(documents: &[Document], _extractions: Vec<DocumentExtraction>) -> KnowledgeGraph {
    let mut graph = KnowledgeGraph::new();
    for document in documents {
        graph.add_node(Node {
            name: document.id.clone(),
            aliases: Vec::new(),
            data: NodeData::Document {
                title: document.title.clone(),
                outlet: document.outlet.clone(),
                author: document.author.clone(),
                date: document.date.clone(),
                url: document.url.clone(),
            },
        });
    }
    graph
}

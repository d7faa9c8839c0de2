//! Mentions, attributions and claims found in one document.

pub mod gazetteer;

use crate::corpus::Document;

/// Everything extraction found in one document.
#[derive(Clone, Debug, Default)]
pub struct DocumentExtraction {}

pub fn extract_document(_document: &Document) -> DocumentExtraction {
    DocumentExtraction::default()
}

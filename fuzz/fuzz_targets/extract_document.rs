//! Any bytes as a document's text: sentence splitting, quotes and extraction must not
//! panic, and every span must point inside the text on character boundaries.

#![no_main]

use claimgraph::corpus::Document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let document = Document {
        id: "fuzz.txt".into(),
        path: "fuzz.txt".into(),
        text,
        ..Document::default()
    };
    let extraction = claimgraph::extract::extract_document(&document);
    for mention in &extraction.mentions {
        assert!(document.text.get(mention.start..mention.end).is_some());
    }
    let _ = claimgraph::pipeline::build_graph(std::slice::from_ref(&document));
});

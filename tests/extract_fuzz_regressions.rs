//! Inputs the extract_document fuzz target (fuzz/, run by scripts/fuzz.sh) once crashed
//! on. Extraction must survive any text; these keep the fixes fixed.

use claimgraph::corpus::Document;

fn extract(text: &str) {
    let document = Document {
        id: "fuzz.txt".into(),
        path: "fuzz.txt".into(),
        text: text.to_string(),
        ..Document::default()
    };
    let extraction = claimgraph::extract::extract_document(&document);
    for mention in &extraction.mentions {
        assert!(text.get(mention.start..mention.end).is_some(), "{text:?}");
    }
}

/// The context windows around a small place (40 bytes before, 30 after) were cut at a
/// byte offset, which panicked when it fell inside a multi-byte character: the fuzzer's
/// input had a U+FFFD from a bad byte 29 bytes after "Volchansk".
#[test]
fn context_windows_around_a_place_end_on_character_boundaries() {
    extract(
        "Russian forces controlled about 80% of Volchansk, a town in the Kharkiv regio\u{FFFD} \
         that Ukrainians call Vovchansk.",
    );
    for pad in 0..3 {
        for repeats in 0..16 {
            let ascii = "a".repeat(pad);
            let wide = "€".repeat(repeats);
            extract(&format!("{ascii}{wide} in Volchansk{ascii}{wide}"));
            extract(&format!(
                "{wide}{ascii} near Vovchansk, {ascii}{wide} village"
            ));
        }
    }
}

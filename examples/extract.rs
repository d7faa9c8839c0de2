//! Prints what extraction finds in each article of a folder: mentions and claims with
//! their rules. A development aid: `cargo run --example extract -- corpus/tune`.

use claimgraph::extract::entities::MentionKind;
use std::path::PathBuf;

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let corpus = claimgraph::corpus::read_corpus(&paths).expect("corpus");
    for document in &corpus.documents {
        let extraction = claimgraph::extract::extract_document(document);
        println!("=== {} {:?}", document.id, extraction.metadata);
        for m in &extraction.mentions {
            let kind = match m.kind {
                MentionKind::Place(_) => "place".to_string(),
                other => format!("{other:?}"),
            };
            println!(
                "  {:<22} {:<40} {:<28} role={:?} aff={:?}",
                kind,
                m.name,
                m.rule,
                m.role,
                m.affiliation.map(|a| &extraction.mentions[a].name)
            );
        }
        for c in &extraction.claims {
            println!(
                "  CLAIM s{} {:?} q={:?} by={} via={:?} about={:?} hedged={} rule={}\n      {}",
                c.sentence,
                c.topic,
                c.quantity.as_ref().map(|q| &q.text),
                extraction.mentions[c.reporter].name,
                c.via
                    .iter()
                    .map(|(v, _)| &extraction.mentions[*v].name)
                    .collect::<Vec<_>>(),
                c.about
                    .iter()
                    .map(|v| &extraction.mentions[*v].name)
                    .collect::<Vec<_>>(),
                c.hedged,
                c.rule,
                c.text.chars().take(150).collect::<String>()
            );
        }
    }
}

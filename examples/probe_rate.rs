//! How often the fast path of `docs/incremental-resolution.md` would apply: reads a
//! corpus, makes the change `benches/scale.sh` makes to 1% of its files (a sentence
//! added to every hundredth document), and probes each changed document against the
//! resolved old corpus.
//!
//! cargo run --release --example probe_rate -- /path/to/corpus

use claimgraph::extract::{extract_document, DocumentExtraction};
use claimgraph::resolve::probe::probe;
use claimgraph::resolve::{people_of, GraphSize, PreparedDocument, Resolver};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let documents = claimgraph::corpus::read_corpus(&paths)
        .expect("a corpus")
        .documents;
    let old: Vec<DocumentExtraction> = documents.par_iter().map(extract_document).collect();
    let changed: Vec<usize> = (0..documents.len()).step_by(100).collect();
    let new: Vec<DocumentExtraction> = changed
        .par_iter()
        .map(|i| {
            let mut document = documents[*i].clone();
            document.text = document.text.replacen(
                ". ",
                ". Separately, the governor said 12 soldiers had deserted near Kupiansk. ",
                1,
            );
            extract_document(&document)
        })
        .collect();
    let started = Instant::now();
    let people: Vec<String> = old.iter().flat_map(people_of).collect();
    let mut size = GraphSize::default();
    for extraction in &old {
        size.add(&GraphSize::of(extraction));
    }
    let mut resolver = Resolver::new(people.iter().map(String::as_str), size);
    for extraction in &old {
        resolver.add(extraction.clone(), None);
    }
    let resolved = started.elapsed();
    let started = Instant::now();
    let table = resolver.entity_table();
    let provenance = resolver.provenance();
    let recorded = started.elapsed();
    let started = Instant::now();
    let mut verdicts: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, extraction) in changed.iter().zip(&new) {
        let verdict = if people_of(&old[*i]) != people_of(extraction) {
            "people changed"
        } else {
            let prepared = PreparedDocument::of(extraction, None);
            match probe(&table, &prepared, *i as u32, provenance.effects_of(*i)) {
                Ok(_) => "passed",
                Err(reason) => reason,
            }
        };
        *verdicts.entry(verdict).or_default() += 1;
    }
    println!(
        "{} documents, {} changed; resolved in {resolved:?}, state recorded in {recorded:?}, probed in {:?}",
        documents.len(),
        changed.len(),
        started.elapsed()
    );
    for (verdict, count) in verdicts {
        println!("{count:>6}  {verdict}");
    }
}

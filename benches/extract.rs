//! Extraction throughput, in bytes of article text per second: on generated articles
//! (`claimgraph gen-corpus`) and on the bundled sample corpus, one document at a time on
//! one core, and for the whole build (extraction on every core, then resolution).
//!
//! `cargo bench --bench extract`

use claimgraph::corpus::{self, Document};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;

fn generated(count: usize) -> Vec<Document> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    corpus::synth::write_corpus(dir.path(), count, 1).expect("the corpus is written");
    corpus::read_corpus(&[dir.path().to_path_buf()])
        .expect("the corpus is read")
        .documents
}

fn sample() -> Vec<Document> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    corpus::read_corpus(&[root])
        .expect("the sample corpus is read")
        .documents
}

fn text_bytes(documents: &[Document]) -> u64 {
    documents.iter().map(|d| d.text.len() as u64).sum()
}

fn extraction(c: &mut Criterion) {
    let generated = generated(400);
    let sample = sample();
    // Compile the lexicons and automata before timing.
    claimgraph::extract::extract_document(&generated[0]);

    let mut group = c.benchmark_group("extract_one_core");
    group.sample_size(10);
    for (name, documents) in [("generated", &generated), ("sample_corpus", &sample)] {
        group.throughput(Throughput::Bytes(text_bytes(documents)));
        group.bench_function(name, |b| {
            b.iter(|| {
                for document in documents.iter() {
                    black_box(claimgraph::extract::extract_document(document));
                }
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("build_graph");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text_bytes(&generated)));
    group.bench_function("generated", |b| {
        b.iter(|| black_box(claimgraph::pipeline::build_graph(&generated)))
    });
    group.finish();
}

criterion_group!(benches, extraction);
criterion_main!(benches);

//! Latency of each question form on a graph of generated articles (the answer is
//! computed, not printed). The questions name the busiest place, reporter and
//! organization of the graph, so each form does as much work as it can.
//!
//! `cargo bench --bench query`

use claimgraph::commands::bench_queries::sample_questions;
use claimgraph::corpus;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn questions(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    corpus::synth::write_corpus(dir.path(), 2_000, 1).expect("the corpus is written");
    let documents = corpus::read_corpus(&[dir.path().to_path_buf()])
        .expect("the corpus is read")
        .documents;
    let graph = claimgraph::pipeline::build_graph(&documents);
    let params = claimgraph::query::Params::new();

    let mut group = c.benchmark_group("question_forms");
    group.sample_size(20);
    for (form, question) in sample_questions(&graph) {
        group.bench_function(form.as_str(), |b| {
            b.iter(|| black_box(claimgraph::query::execute(&graph, &question, &params)))
        });
    }
    group.finish();
}

criterion_group!(benches, questions);
criterion_main!(benches);

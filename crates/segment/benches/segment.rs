//! Throughput benchmark: segments a few MB of generated wire-style text (headline,
//! attributed quotations, abbreviations, numbers, multi-paragraph quotes) built from
//! templates in this file.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

#[path = "common/corpus.rs"]
mod corpus;

fn bench_segment(c: &mut Criterion) {
    let docs = corpus::corpus(4 << 20);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut group = c.benchmark_group("segment");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("wire_4mb", |b| {
        b.iter(|| {
            let mut sentences = 0;
            for d in &docs {
                sentences += stancegraph_segment::segment(black_box(d)).sentences.len();
            }
            black_box(sentences)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_segment);
criterion_main!(benches);

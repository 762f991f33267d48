//! Criterion benchmark: linking wire text with the full embedded knowledge base.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stancegraph_link::{KnowledgeBase, Linker};
use stancegraph_model::Document;
use std::path::Path;
use std::sync::Arc;

fn corpus() -> String {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let mut text = String::new();
    for dir in ["corpus", "dev/ggt/texts"] {
        if let Ok(rd) = std::fs::read_dir(shared.join(dir)) {
            let mut paths: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            paths.sort();
            for p in paths {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    text.push_str(&t);
                    text.push_str("\n\n");
                }
            }
        }
    }
    if text.is_empty() {
        for i in 0..2000 {
            text.push_str(&format!(
                "Norwegian Foreign Minister Kari Nordmann{i} said on Monday that Oslo would \
                 talk to the United Nations. She told reporters in Bergen that the ministry \
                 was concerned.\n\n"
            ));
        }
    }
    text
}

fn bench(c: &mut Criterion) {
    let kb = Arc::new(KnowledgeBase::embedded().expect("embedded kb"));
    let linker = Linker::new(kb);
    let text = corpus();
    let doc = Document {
        id: "d:bench".into(),
        source: "bench".into(),
        title: None,
        date: Some("2020-12-02".into()),
        text: text.clone(),
        duplicate_of: None,
    };
    let seg = stancegraph_segment::segment(&doc);
    let mut g = c.benchmark_group("link");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("wire_text", |b| b.iter(|| linker.link(&doc, &seg)));
    g.finish();
    c.bench_function("kb_embedded_load", |b| {
        b.iter(|| {
            let kb = KnowledgeBase::embedded().expect("kb");
            kb.prepare();
            kb
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Criterion benchmark: linking wire text with the full embedded knowledge base, one
//! document per news article (the shared corpus and dev texts when present, else
//! generated wire-like text), and loading the embedded knowledge base.
//!
//! It uses the allocator the `stancegraph` binary ships with (mimalloc), so that it
//! measures linking as it runs in the product.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stancegraph_link::{KnowledgeBase, Linker};
use stancegraph_model::{Document, Segmented};
use std::path::Path;
use std::sync::Arc;

#[path = "../examples/common/mod.rs"]
mod common;
use common::{paragraphs, segmented};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn texts() -> Vec<String> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let mut out = Vec::new();
    for dir in ["corpus", "dev/ggt/texts"] {
        if let Ok(rd) = std::fs::read_dir(shared.join(dir)) {
            let mut paths: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            paths.sort();
            for p in paths {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    out.push(paragraphs(&t, "\n"));
                }
            }
        }
    }
    if out.is_empty() {
        for i in 0..50 {
            let mut t = String::from("Norwegian Minister Warns of Delays\n\n");
            for j in 0..40 {
                t.push_str(&format!(
                    "Norwegian Foreign Minister Kari Nordmann{i} said on Monday that Oslo would \
                     talk to the United Nations about case {j}. She told reporters in Bergen \
                     that the ministry was concerned.\n\n"
                ));
            }
            out.push(t);
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let kb = Arc::new(KnowledgeBase::embedded().expect("embedded kb"));
    let linker = Linker::new(kb);
    let docs: Vec<(Document, Segmented)> = texts()
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let date = Some("2020-12-02".into());
            segmented(format!("d:{i:016x}"), format!("bench#{i}"), text, date)
        })
        .collect();
    let bytes: usize = docs.iter().map(|(d, _)| d.text.len()).sum();
    let mut g = c.benchmark_group("link");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("wire_articles", |b| {
        b.iter(|| {
            docs.iter()
                .map(|(d, s)| linker.link(d, s).mentions.len())
                .sum::<usize>()
        })
    });
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

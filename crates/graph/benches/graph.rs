//! Criterion benchmark: building a stance graph of about 100 000 edges from 200 000
//! generated statements (parallel partial graphs, then the view) and exporting it to
//! each format (into `io::sink()`).

use std::hint::black_box;
use std::io;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stancegraph_graph::{
    build_partial_from_tables, build_view, export, fixture, Format, ViewOptions,
};

fn graph_benchmarks(c: &mut Criterion) {
    let corpus = fixture::synthetic(100_000, 1);
    let options = ViewOptions::default();
    let partial = build_partial_from_tables(&corpus.statements, &corpus.events);
    let graph = build_view(&partial, &corpus.entities, &options).expect("view");
    eprintln!(
        "graph: {} statements, {} events -> {}",
        corpus.statements.len(),
        corpus.events.len(),
        graph.summary()
    );

    let mut group = c.benchmark_group("graph_100k");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(corpus.statements.len() as u64));
    group.bench_function("partial_graph", |b| {
        b.iter(|| build_partial_from_tables(black_box(&corpus.statements), &corpus.events))
    });
    group.bench_function("view_stance", |b| {
        b.iter(|| build_view(black_box(&partial), &corpus.entities, &options))
    });
    group.throughput(Throughput::Elements(graph.edge_count() as u64));
    for format in Format::ALL {
        group.bench_function(format!("export_{format}"), |b| {
            b.iter(|| export(black_box(&graph), format, &mut io::sink()))
        });
    }
    group.finish();
}

criterion_group!(benches, graph_benchmarks);
criterion_main!(benches);

//! Developer tool: links files (one document each) N times and prints the throughput
//! measured on the process's CPU time (robust on a busy machine) and on wall time.
//!
//!     cargo run --release -p stancegraph-link --example link_speed -- N FILE...

use stancegraph_link::{KnowledgeBase, Linker};
use std::sync::Arc;
use std::time::Instant;

mod common;
use common::{cpu_seconds, paragraphs, segmented};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|x| x.parse().ok()).unwrap_or(10);
    let docs: Vec<_> = args
        .enumerate()
        .map(|(i, p)| {
            let raw = std::fs::read_to_string(&p).unwrap_or_default();
            segmented(format!("d:{i}"), p, paragraphs(&raw, "\n"), None)
        })
        .collect();
    let linker = Linker::new(Arc::new(KnowledgeBase::embedded().expect("kb")));
    let c0 = cpu_seconds();
    let mut sentences = 0;
    for _ in 0..n {
        for (d, _) in &docs {
            sentences += stancegraph_segment::segment(d).sentences.len();
        }
    }
    let seg_cpu = cpu_seconds() - c0;
    let total: usize = docs.iter().map(|(d, _)| d.text.len()).sum();
    println!(
        "reference: segmenting ({sentences} sentences) runs at {:.1} MB/s cpu",
        (total * n) as f64 / 1e6 / seg_cpu.max(1e-9)
    );
    let bytes: usize = docs.iter().map(|(d, _)| d.text.len()).sum();
    let (t, c) = (Instant::now(), cpu_seconds());
    let mut mentions = 0;
    for _ in 0..n {
        for (d, s) in &docs {
            mentions += linker.link(d, s).mentions.len();
        }
    }
    let (wall, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
    let mb = (bytes * n) as f64 / 1e6;
    println!(
        "{} docs, {:.2} MB x {n}: {mentions} mentions; wall {wall:.2}s = {:.1} MB/s; cpu {cpu:.2}s = {:.1} MB/s",
        docs.len(),
        bytes as f64 / 1e6,
        mb / wall,
        mb / cpu.max(1e-9)
    );
}

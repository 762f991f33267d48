//! Measures segmentation throughput in MB per second of CPU time (not wall time, so that
//! a busy machine does not distort it) over the benchmark's generated wire text:
//! `cargo run --release -p stancegraph-segment --example throughput [MB] [rounds]`.

#[path = "../benches/common/corpus.rs"]
mod corpus;

use std::hint::black_box;

/// CPU time of this thread in nanoseconds, from /proc (Linux); `None` elsewhere.
fn cpu_nanos() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mb: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(4);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let docs = corpus::corpus(mb << 20);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut best = f64::MAX;
    let mut sentences = 0;
    for _ in 0..rounds {
        let wall = std::time::Instant::now();
        let cpu0 = cpu_nanos();
        sentences = 0;
        for d in &docs {
            sentences += stancegraph_segment::segment(black_box(d)).sentences.len();
        }
        let secs = match (cpu0, cpu_nanos()) {
            (Some(a), Some(b)) => (b - a) as f64 / 1e9,
            _ => wall.elapsed().as_secs_f64(),
        };
        best = best.min(secs);
    }
    println!(
        "{} documents, {:.1} MB, {} sentences: best {:.3} s CPU, {:.1} MB/s",
        docs.len(),
        bytes as f64 / 1e6,
        sentences,
        best,
        bytes as f64 / 1e6 / best
    );
}

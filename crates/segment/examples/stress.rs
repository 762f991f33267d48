//! Times the segmenter on adversarial inputs (long runs of markers, dots, quotes,
//! apostrophes) to catch quadratic behaviour:
//! `cargo run --release -p stancegraph-segment --example stress`.

use std::time::Instant;

fn main() {
    let size = 1 << 20;
    let patterns = [
        "A. The ",
        "a. ",
        "1. ",
        "‘x s’ y ",
        "s’ y ",
        ". ",
        ".",
        "“",
        "\"",
        "’",
        "a.",
        "U.S. ",
        "http://x.",
        "• ",
        "x\n",
        "(",
        "—",
        "é",
    ];
    for p in patterns {
        let text = p.repeat(size / p.len());
        let t = Instant::now();
        let seg = stancegraph_segment::segment_text("stress", &text, false);
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{:>12} {:>8} sentences {:>8} tokens {:>6} quotes {:>8.1} MB/s",
            format!("{p:?}"),
            seg.sentences.len(),
            seg.tokens.len(),
            seg.quotes.len(),
            text.len() as f64 / 1e6 / secs
        );
    }
}

//! Developer tool for speed work on JSON-lines corpora (one `{"text", "title", "date"}`
//! record a line, as in the generated benchmark corpus): links every record N times
//! inside one function, `link_all`, and prints the CPU throughput and a digest of the
//! results (equal digests: the same mentions and entities).
//!
//!     cargo run --release -p stancegraph-link --example link_jsonl -- N FILE.jsonl...
//!     valgrind --tool=callgrind --toggle-collect='*link_all*' \
//!         target/release/examples/link_jsonl 1 FILE.jsonl...

use stancegraph_link::{KnowledgeBase, Linker};
use stancegraph_model::{Document, Segmented};
use std::sync::Arc;
use std::time::Instant;

/// The allocator the `stancegraph` binary ships with.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;
use common::{cpu_seconds, paragraphs, segmented};

/// FNV-1a 64, continuing from `h`.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Links every document `n` times; returns the mention count and a digest of the
/// last round's results.
#[inline(never)]
fn link_all(linker: &Linker, docs: &[(Document, Segmented)], n: usize) -> (usize, u64) {
    let mut mentions = 0;
    let mut digest = 0xcbf2_9ce4_8422_2325;
    for round in 0..n {
        for (d, s) in docs {
            let (linked, warnings) = linker.link_with_report(d, s);
            mentions += linked.mentions.len();
            if round + 1 == n {
                let json = serde_json::to_string(&(linked, warnings)).unwrap_or_default();
                digest = fnv(digest, json.as_bytes());
            }
        }
    }
    (mentions, digest)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|x| x.parse().ok()).unwrap_or(1);
    let mut docs: Vec<(Document, Segmented)> = Vec::new();
    for path in args {
        let raw = std::fs::read_to_string(&path).unwrap_or_default();
        for line in raw.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
            let title = field("title").map(|t| paragraphs(&t, "\n\n"));
            let body = paragraphs(&field("text").unwrap_or_default(), "\n\n");
            let text = match title.filter(|t| !t.is_empty()) {
                Some(t) if body.is_empty() => t,
                Some(t) => format!("{t}\n\n{body}"),
                None => body,
            };
            let id = format!("d:{:016x}", docs.len());
            docs.push(segmented(id, path.clone(), text, field("date")));
        }
    }
    let linker = Linker::new(Arc::new(KnowledgeBase::embedded().expect("kb")));
    let bytes: usize = docs.iter().map(|(d, _)| d.text.len()).sum();
    let (t, c) = (Instant::now(), cpu_seconds());
    let (mentions, digest) = link_all(&linker, &docs, n);
    let (wall, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
    let mb = (bytes * n) as f64 / 1e6;
    println!(
        "{} docs, {:.2} MB x {n}: {mentions} mentions, digest {digest:016x}; wall {wall:.2}s = {:.1} MB/s; cpu {cpu:.2}s = {:.1} MB/s",
        docs.len(),
        bytes as f64 / 1e6,
        mb / wall,
        mb / cpu.max(1e-9)
    );
}

//! Developer tool: times loading the embedded knowledge base, merging `.actors` or TSV
//! files given as arguments, and building the name automaton.
//!
//!     cargo run --release -p stancegraph-link --example kb_timing -- [FILE...]

use stancegraph_link::KnowledgeBase;
use std::time::Instant;

fn main() {
    let t = Instant::now();
    let mut kb = KnowledgeBase::embedded().expect("embedded kb");
    let embedded = t.elapsed();
    kb.prepare();
    println!(
        "embedded: parsed in {embedded:?}, with automaton {:?}",
        t.elapsed()
    );
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        return;
    }
    let t = Instant::now();
    let mut entries = 0;
    for f in &files {
        let r = kb.merge_file(std::path::Path::new(f)).expect("merge");
        entries += r.entries;
        println!(
            "{f}: {} entries, {} merged, {} names, {} skipped, {} warnings",
            r.entries,
            r.merged,
            r.names,
            r.skipped.len(),
            r.warnings.len()
        );
    }
    let merged = t.elapsed();
    kb.prepare();
    println!(
        "{entries} entries merged in {merged:?}; automaton built after {:?}; {} entries in all",
        t.elapsed(),
        kb.entries().len()
    );
    for (ty, src, n) in kb.stats() {
        println!("  {ty:<13} {n:>6}  {src}");
    }
}

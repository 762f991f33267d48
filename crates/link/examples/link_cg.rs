//! Developer tool for instruction counts: links files (one document each) once inside
//! one function, `link_all`, so that a profiler can count linking alone:
//!
//!     valgrind --tool=callgrind --toggle-collect='*link_all*' \
//!         target/release/examples/link_cg FILE...

use stancegraph_link::{KnowledgeBase, Linker};
use stancegraph_model::{Document, Segmented};
use std::sync::Arc;

mod common;
use common::{paragraphs, segmented};

/// Links every document and drops the results; returns the mention count.
#[inline(never)]
fn link_all(linker: &Linker, docs: &[(Document, Segmented)]) -> usize {
    docs.iter()
        .map(|(d, s)| linker.link(d, s).mentions.len())
        .sum()
}

fn main() {
    let docs: Vec<_> = std::env::args()
        .skip(1)
        .enumerate()
        .map(|(i, p)| {
            let raw = std::fs::read_to_string(&p).unwrap_or_default();
            let date = Some("2020-12-02".into());
            segmented(format!("d:{i}"), p, paragraphs(&raw, "\n"), date)
        })
        .collect();
    let linker = Linker::new(Arc::new(KnowledgeBase::embedded().expect("kb")));
    let bytes: usize = docs.iter().map(|(d, _)| d.text.len()).sum();
    let mentions = link_all(&linker, &docs);
    println!("{} docs, {bytes} bytes, {mentions} mentions", docs.len());
}

//! The per-document pipeline: segment → link → relate over one ingested document, with
//! per-stage timing and a last line of defence that turns a panic inside one document
//! into that document's error.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use stancegraph_link::{KnowledgeBase, Linker};
use stancegraph_model::{Document, ErrorRecord, Linked, Processed, Relations};
use stancegraph_relate::Relator;

/// CPU time spent in one stage, summed over threads.
#[derive(Debug, Default)]
pub struct StageClock {
    nanos: AtomicU64,
    documents: AtomicU64,
    bytes: AtomicU64,
}

impl StageClock {
    fn add(&self, started: Instant, bytes: usize) {
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.nanos.fetch_add(nanos, Ordering::Relaxed);
        self.documents.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// Seconds, documents and bytes seen so far.
    pub fn totals(&self) -> (f64, u64, u64) {
        (
            self.nanos.load(Ordering::Relaxed) as f64 / 1e9,
            self.documents.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }
}

/// Clocks of the per-document stages.
#[derive(Debug, Default)]
pub struct Clocks {
    pub segment: StageClock,
    pub link: StageClock,
    pub relate: StageClock,
}

/// Everything needed to process documents, shared by all threads.
pub struct Pipeline {
    linker: Linker,
    relator: Relator,
    /// Most mentions kept per document (the linker's cap, also applied to speakers the
    /// relation stage adds).
    max_mentions: usize,
    pub clocks: Clocks,
    /// Test-only hook: a document whose text contains this marker panics inside the
    /// pipeline, proving that a panic is contained to its document.
    panic_marker: Option<String>,
}

impl Pipeline {
    pub fn new(kb: Arc<KnowledgeBase>, relator: Relator, max_mentions: usize) -> Self {
        Pipeline {
            linker: Linker::new(kb).with_max_mentions(max_mentions),
            max_mentions,
            relator,
            clocks: Clocks::default(),
            panic_marker: std::env::var("STANCEGRAPH_TEST_PANIC_MARKER")
                .ok()
                .filter(|m| !m.is_empty()),
        }
    }

    /// Runs segment, link and relate on one document. A duplicate document is only
    /// segmented: its statements would double-count the original's.
    pub fn process(&self, document: Document) -> Result<Processed, ErrorRecord> {
        let source = document.source.clone();
        let result = catch_unwind(AssertUnwindSafe(|| self.process_inner(document)));
        result.map_err(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            ErrorRecord::new(
                source,
                "pipeline",
                format!("internal error while processing this document (skipped): {message}"),
            )
        })
    }

    fn process_inner(&self, document: Document) -> Processed {
        if let Some(marker) = &self.panic_marker {
            if document.text.contains(marker.as_str()) {
                panic!("injected test panic");
            }
        }
        let bytes = document.text.len();
        let t = Instant::now();
        let segmented = stancegraph_segment::segment(&document);
        self.clocks.segment.add(t, bytes);
        if document.duplicate_of.is_some() {
            return Processed {
                warnings: Vec::new(),
                linked: Linked {
                    doc: document.id.clone(),
                    ..Default::default()
                },
                relations: Relations {
                    doc: document.id.clone(),
                    ..Default::default()
                },
                document,
                segmented,
            };
        }
        let t = Instant::now();
        let (linked, mut warnings) = self.linker.link_with_report(&document, &segmented);
        self.clocks.link.add(t, bytes);
        let t = Instant::now();
        let (mut relations, relate_warnings) = self
            .relator
            .relate_with_report(&document, &segmented, &linked);
        warnings.extend(relate_warnings);
        let mut linked = linked;
        crate::promote::promote_untyped_speakers(&mut linked, &mut relations);
        crate::promote::fold_relation_entities(&mut linked, &mut relations, self.max_mentions);
        self.clocks.relate.add(t, bytes);
        Processed {
            document,
            segmented,
            linked,
            relations,
            warnings,
        }
    }
}

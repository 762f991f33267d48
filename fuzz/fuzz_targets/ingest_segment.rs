//! Fuzz target: arbitrary bytes through ingest (the first byte picks the file name and so
//! the format: txt, html, jsonl, json, csv, gzip, or sniffed) and then segmentation of
//! every document, checking the document and segmentation invariants.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stancegraph_fuzz::{check_document, check_segmented, FILE_NAMES};
use stancegraph_ingest::{ingest_bytes, IngestOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let name = FILE_NAMES[usize::from(selector) % FILE_NAMES.len()];
    let ingested = ingest_bytes(name, body, &IngestOptions::default());
    for doc in &ingested.documents {
        check_document(doc);
        let seg = stancegraph_segment::segment(doc);
        check_segmented(&doc.text, &seg);
    }
});

//! Prints the documents (as JSON lines) and errors that ingest makes of the given inputs:
//! `cargo run -p stancegraph-ingest --example ingest_dump -- PATH...`

use stancegraph_ingest::{list_inputs, mark_duplicates, read_input, IngestOptions};
use std::path::PathBuf;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let (inputs, mut errors) = list_inputs(&args);
    let options = IngestOptions::default();
    let mut documents = Vec::new();
    let start = std::time::Instant::now();
    let mut bytes = 0usize;
    for input in &inputs {
        let r = read_input(input, &options);
        bytes += r.documents.iter().map(|d| d.text.len()).sum::<usize>();
        documents.extend(r.documents);
        errors.extend(r.errors);
    }
    let elapsed = start.elapsed();
    mark_duplicates(&mut documents);
    for d in &documents {
        println!("{}", serde_json::to_string(d).unwrap_or_default());
    }
    for e in &errors {
        eprintln!("error: {} [{}] {}", e.source, e.stage, e.error);
    }
    eprintln!(
        "{} documents, {} errors, {} bytes of text in {:.3}s",
        documents.len(),
        errors.len(),
        bytes,
        elapsed.as_secs_f64()
    );
}

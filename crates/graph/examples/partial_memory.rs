//! Measures what a partial graph costs: the resident memory it adds per observation and, for callgrind, the work of `from_relations` and
//! `merge` on generated documents shaped like the pipeline's (`d:` + 16 hex document
//! ids, `s:<hex>:<cue>:<start>` statement ids, ISO dates, CAMEO codes). Exact heap
//! bytes: run it under `valgrind --tool=dhat` and read "At t-end" (the input is dropped
//! before exit, so what is left is the graph).
//!
//! Usage: `cargo run --release -p stancegraph-graph --example partial_memory -- [DOCS] [ACTORS]`

use std::time::Instant;

use stancegraph_graph::fixture::SplitMix64;
use stancegraph_graph::PartialGraph;
use stancegraph_model::{Event, Relations, Statement, Target};

/// The resident set size of this process in bytes (0 where /proc is missing).
fn resident_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .map_or(0, |kb| kb * 1024)
}

const CODES: [&str; 5] = ["010", "046", "111", "0214", "057"];
const EVENT_TYPES: [&str; 3] = ["meet", "visit", "sign"];

fn statement(doc_hex: &str, start: usize, speaker: &str, targets: Vec<Target>) -> Statement {
    Statement {
        id: format!("s:{doc_hex}:{}:{start}", start + 117),
        doc: format!("d:{doc_hex}"),
        sentence: 0,
        start,
        end: start + 120,
        evidence: String::new(),
        speaker: speaker.to_owned(),
        speaker_text: None,
        speaker_span: None,
        cue: None,
        cue_span: None,
        predicate: "say".into(),
        content: String::new(),
        content_span: Default::default(),
        quote: false,
        targets,
        stance: 0.0,
        code: None,
        date: None,
    }
}

/// One generated document: about eight statements with one to three targets among
/// `actors` actors, and an event.
fn document(index: u64, actors: u64, rng: &mut SplitMix64) -> Relations {
    let doc_hex = format!("{:016x}", index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let actor = |rng: &mut SplitMix64| format!("new:person:actor-number-{:06}", rng.below(actors));
    let date = (rng.below(4) > 0)
        .then(|| format!("2024-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)));
    let mut statements = Vec::new();
    for k in 0..(4 + rng.below(8) as usize) {
        let targets = (0..1 + rng.below(3))
            .map(|_| Target {
                entity: actor(rng),
                stance: (rng.below(21) as f32 - 10.0) / 10.0,
            })
            .collect();
        let mut s = statement(&doc_hex, 50 + k * 173, &actor(rng), targets);
        s.code = Some(CODES[rng.below(5) as usize].to_owned());
        s.date = date.clone();
        statements.push(s);
    }
    let events = vec![Event {
        doc: format!("d:{doc_hex}"),
        sentence: 3,
        start: 40 + rng.below(2000) as usize,
        end: 0,
        evidence: String::new(),
        event_type: EVENT_TYPES[rng.below(3) as usize].to_owned(),
        actors: vec![actor(rng), actor(rng), actor(rng)],
        place: None,
        date: date.clone(),
        code: Some("036".into()),
    }];
    Relations {
        doc: format!("d:{doc_hex}"),
        statements,
        events,
        entities: Vec::new(),
    }
}

fn main() {
    let docs: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50_000);
    let actors: u64 = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300);
    let mut rng = SplitMix64(7);
    let relations: Vec<Relations> = (0..docs).map(|i| document(i, actors, &mut rng)).collect();
    let before = resident_bytes();
    let started = Instant::now();
    // As the binary does: each document's graph, merged per chunk of 64, then into one.
    let mut graph = PartialGraph::new();
    for chunk in relations.chunks(64) {
        let chunk_graph = chunk
            .iter()
            .map(PartialGraph::from_relations)
            .fold(PartialGraph::new(), PartialGraph::merge);
        graph = graph.merge(chunk_graph);
    }
    let seconds = started.elapsed().as_secs_f64();
    let held = resident_bytes().saturating_sub(before);
    drop(relations);
    let observations = graph.observation_count();
    println!(
        "{docs} documents: {observations} observations on {} edges, {} nodes",
        graph.edge_count(),
        graph.node_count()
    );
    println!(
        "resident growth while building: {held} bytes = {:.1} bytes/observation ({:.1} bytes/edge); built in {seconds:.2} s",
        held as f64 / observations.max(1) as f64,
        held as f64 / graph.edge_count().max(1) as f64
    );
    // Under `valgrind --tool=dhat` the bytes live at exit are the graph's alone.
    std::mem::forget(graph);
}

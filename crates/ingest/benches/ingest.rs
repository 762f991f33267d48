//! Throughput benchmark: ingests a few MB of generated wire-style JSON Lines and plain
//! text (titles, dates, paragraphs with curly quotes and dashes, a trailing credit line)
//! and marks duplicates, the work of the `ingest` stage.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stancegraph_ingest::{ingest_bytes, mark_duplicates, IngestOptions};
use std::hint::black_box;

const SUBJECTS: &[&str] = &[
    "The foreign minister",
    "A spokeswoman for the ministry",
    "Mr. Jonas E. Smith",
    "The council’s chairman",
    "Regional officials",
];
const SENTENCES: &[&str] = &[
    "{S} said on Tuesday that talks would resume next week.",
    "“We will not accept any threat to our security,” {S} told reporters.",
    "{S} warned of “serious consequences” if the ceasefire failed — again.",
    "The U.S. State Department said the meeting at 10 a.m. had been “constructive.”",
    "Prices rose 3.5 percent to $101.25 after the announcement, e.g. in early trading.",
    "{S} described the plan as a first step… but not the last.",
];

/// A small deterministic pseudo-random sequence (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn article(rng: &mut Rng) -> String {
    let mut paragraphs = Vec::new();
    for _ in 0..4 + rng.next(5) {
        let mut p = String::new();
        for _ in 0..2 + rng.next(3) {
            if !p.is_empty() {
                p.push(' ');
            }
            let sentence = SENTENCES[rng.next(SENTENCES.len())];
            p.push_str(&sentence.replace("{S}", SUBJECTS[rng.next(SUBJECTS.len())]));
        }
        paragraphs.push(p);
    }
    paragraphs.push("Reporting by Jane Doe; Editing by John Roe".to_string());
    paragraphs.join("\n\n")
}

/// About `bytes` of JSON Lines records.
fn jsonl(bytes: usize) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::new();
    let mut n = 0;
    while out.len() < bytes {
        n += 1;
        let record = serde_json::json!({
            "title": format!("Ministers meet for talks, round {n}"),
            "date": format!("2024-{:02}-{:02}", 1 + rng.next(12), 1 + rng.next(28)),
            "text": article(&mut rng),
        });
        out.push_str(&record.to_string());
        out.push('\n');
    }
    out.into_bytes()
}

fn bench_ingest(c: &mut Criterion) {
    let options = IngestOptions::default();
    let data = jsonl(4 << 20);
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.sample_size(10);
    group.bench_function("jsonl_4mb", |b| {
        b.iter(|| {
            let mut ingested = ingest_bytes("bench.jsonl", black_box(&data), &options);
            mark_duplicates(&mut ingested.documents);
            black_box(ingested.documents.len())
        })
    });
    let mut rng = Rng(7);
    let texts: Vec<Vec<u8>> = (0..2000)
        .map(|i| {
            format!(
                "Talks resume in the capital, day {i}\n\n{}\n",
                article(&mut rng)
            )
            .into_bytes()
        })
        .collect();
    let text_bytes: usize = texts.iter().map(Vec::len).sum();
    group.throughput(Throughput::Bytes(text_bytes as u64));
    group.bench_function("text_files", |b| {
        b.iter(|| {
            let mut documents = Vec::new();
            for text in &texts {
                documents.extend(ingest_bytes("story.txt", black_box(text), &options).documents);
            }
            mark_duplicates(&mut documents);
            black_box(documents.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench_ingest);
criterion_main!(benches);

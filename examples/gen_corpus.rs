//! Benchmark corpus generator: builds a large, realistic corpus from the sample articles
//! in `data/corpus/*.txt` by shuffling body paragraphs, mixing paragraphs across articles,
//! swapping country names and varying lengths, written as JSONL shards of 1 000 articles.
//!
//!     cargo run --release --example gen_corpus -- OUT_DIR [MEGABYTES] [SEED]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Countries swapped for one another to vary the names in the text.
const COUNTRIES: &[&str] = &[
    "Turkey",
    "Iraq",
    "Iran",
    "Egypt",
    "Libya",
    "Sudan",
    "Pakistan",
    "Afghanistan",
    "Algeria",
    "Italy",
    "Malawi",
    "Kenya",
    "Tanzania",
    "Brazil",
    "Colombia",
    "China",
    "Russia",
    "Lithuania",
    "Latvia",
    "Estonia",
    "Saudi Arabia",
    "Oman",
    "Djibouti",
    "Azerbaijan",
    "Armenia",
    "Jordan",
    "Morocco",
    "Nigeria",
    "Ghana",
    "Peru",
    "Chile",
    "India",
    "Japan",
    "Germany",
    "France",
];

/// A small deterministic generator (xorshift64*), so the corpus is the same for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

struct Article {
    title: String,
    paragraphs: Vec<String>,
}

fn load_articles(dir: &Path) -> Vec<Article> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter_map(|p| fs::read_to_string(p).ok())
        .filter_map(|text| {
            let mut blocks = text
                .split("\n\n")
                .map(|b| b.trim().replace('\n', " "))
                .filter(|b| !b.is_empty());
            let title = blocks.next()?;
            let paragraphs: Vec<String> = blocks.filter(|b| b.len() > 60).collect();
            (!paragraphs.is_empty()).then_some(Article { title, paragraphs })
        })
        .collect()
}

fn swap_countries(text: &str, rng: &mut Rng) -> String {
    let from = COUNTRIES[rng.below(COUNTRIES.len())];
    let to = COUNTRIES[rng.below(COUNTRIES.len())];
    text.replace(from, to)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let out = PathBuf::from(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("target/bench-corpus"),
    );
    let megabytes: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(7);
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus");
    let articles = load_articles(&source);
    if articles.is_empty() {
        eprintln!("no .txt articles in {}", source.display());
        std::process::exit(2);
    }
    fs::create_dir_all(&out)?;
    let mut rng = Rng(seed.max(1));
    let target = megabytes * 1_000_000;
    let (mut written, mut count, mut shard) = (0usize, 0usize, 0usize);
    while written < target {
        let path = out.join(format!("shard-{shard:05}.jsonl"));
        let mut w = std::io::BufWriter::new(fs::File::create(&path)?);
        for _ in 0..1000 {
            if written >= target {
                break;
            }
            let base = &articles[rng.below(articles.len())];
            let mut paragraphs = base.paragraphs.clone();
            // Mix in paragraphs of other articles and vary the length.
            for _ in 0..rng.below(4) {
                let other = &articles[rng.below(articles.len())];
                paragraphs.push(other.paragraphs[rng.below(other.paragraphs.len())].clone());
            }
            for i in (1..paragraphs.len()).rev() {
                paragraphs.swap(i, rng.below(i + 1));
            }
            paragraphs.truncate(2 + rng.below(paragraphs.len()));
            let body = swap_countries(&paragraphs.join("\n\n"), &mut rng);
            let day = 1 + rng.below(28);
            let month = 1 + rng.below(12);
            let record = serde_json::json!({
                "title": swap_countries(&base.title, &mut rng),
                "date": format!("2024-{month:02}-{day:02}"),
                "text": format!("{body}\n\nSample wire item {count}."),
            });
            let line = record.to_string();
            written += line.len() + 1;
            count += 1;
            writeln!(w, "{line}")?;
        }
        w.flush()?;
        shard += 1;
    }
    eprintln!(
        "wrote {count} articles, {:.1} MB, in {shard} shards to {}",
        written as f64 / 1e6,
        out.display()
    );
    Ok(())
}

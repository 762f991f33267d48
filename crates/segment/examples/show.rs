//! Prints the segmentation of text files for inspection: one line per sentence with its
//! paragraph, quotation index and text, then the quotations:
//! `cargo run -p stancegraph-segment --example show -- [--title] [--json] FILE...`.
//! With `--json`, prints one JSON line per file with the quotation spans in characters.

use stancegraph_model::Document;

fn main() {
    let mut title = false;
    let mut json = false;
    for arg in std::env::args().skip(1) {
        if arg == "--title" {
            title = true;
            continue;
        }
        if arg == "--json" {
            json = true;
            continue;
        }
        let text = match std::fs::read_to_string(&arg) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{arg}: {e}");
                continue;
            }
        };
        let doc = Document {
            id: arg.clone(),
            source: arg.clone(),
            title: title.then(|| text.lines().next().unwrap_or("").to_string()),
            date: None,
            text,
            duplicate_of: None,
        };
        let seg = stancegraph_segment::segment(&doc);
        if json {
            let chars = |b: usize| doc.text.get(..b).map_or(0, |s| s.chars().count());
            let quotes: Vec<(usize, usize, bool)> = seg
                .quotes
                .iter()
                .map(|q| (chars(q.span.start), chars(q.span.end), q.closed))
                .collect();
            println!(
                "{}",
                serde_json::json!({"file": arg, "quotes": quotes, "sentences": seg.sentences.len()})
            );
            continue;
        }
        println!("== {arg}");
        for s in &seg.sentences {
            let q = s.quote.map_or("-".to_string(), |q| q.to_string());
            let body = s.span.slice(&doc.text).unwrap_or("").replace('\n', "⏎");
            println!("{:>3} p{:<3} q{:<3} {}", s.index, s.paragraph, q, body);
        }
        for (i, q) in seg.quotes.iter().enumerate() {
            let body = q.span.slice(&doc.text).unwrap_or("").replace('\n', "⏎");
            println!("  quote {i} closed={} {}", q.closed, body);
        }
    }
}

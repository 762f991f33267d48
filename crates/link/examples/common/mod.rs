//! What the link developer tools and the link benchmark share: the process's CPU time,
//! plain text folded into paragraphs, and a segmented document built from it.

#![allow(dead_code)] // each tool uses part of it

use stancegraph_model::{Document, Segmented};

/// CPU time of this process in seconds (Linux `/proc/self/stat`, user + system).
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|x| x.parse().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|x| x.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}

/// Each non-blank piece of `raw` (split at `separator`) with its whitespace folded, the
/// pieces joined as paragraphs.
pub fn paragraphs(raw: &str, separator: &str) -> String {
    raw.split(separator)
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A document of `text` (its first line as the title) and its segmentation.
pub fn segmented(
    id: String,
    source: String,
    text: String,
    date: Option<String>,
) -> (Document, Segmented) {
    let doc = Document {
        id,
        source,
        title: text.lines().next().map(String::from),
        date,
        text,
        duplicate_of: None,
    };
    let seg = stancegraph_segment::segment(&doc);
    (doc, seg)
}

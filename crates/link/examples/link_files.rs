//! Developer tool: links text files (first line = title) and prints their mentions, or
//! with `--out DIR` writes `documents.jsonl`, `mentions.jsonl` and `entities.jsonl` in
//! the output contract's form so that `../shared/eval/score.py` can score the actors.
//!
//!     cargo run -p stancegraph-link --example link_files -- FILE... [--out DIR] [--kb FILE]

use stancegraph_link::{merge_entities, KnowledgeBase, Linker};
use stancegraph_model::Document;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

fn document(path: &str) -> Document {
    let raw = std::fs::read_to_string(path).unwrap_or_default();
    // paragraphs separated by one blank line, spaces folded
    let paras: Vec<String> = raw
        .split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    let text = paras.join("\n\n");
    let title = paras.first().cloned();
    let stem = std::path::Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    Document {
        id: format!("d:{stem}"),
        source: path.to_string(),
        title,
        date: None,
        text,
        duplicate_of: None,
    }
}

fn main() {
    let mut files = Vec::new();
    let mut out: Option<PathBuf> = None;
    let mut kbs = Vec::new();
    let mut no_people = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--kb" => kbs.extend(args.next()),
            "--no-people" => no_people = true,
            _ => files.push(a),
        }
    }
    let mut kb = if no_people {
        // the default knowledge base without its people, to exercise the new-name path
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/kb");
        let mut kb = KnowledgeBase::default();
        for f in [
            "countries.tsv",
            "organizations.tsv",
            "groups.tsv",
            "institutions.tsv",
        ] {
            let text = std::fs::read_to_string(dir.join(f)).unwrap_or_default();
            kb.merge_tsv(&text, f, "default").expect("kb file");
        }
        kb
    } else {
        KnowledgeBase::embedded().expect("embedded kb")
    };
    for k in kbs {
        let r = kb.merge_file(std::path::Path::new(&k)).expect("kb file");
        eprintln!("{k}: {} entries, {} skipped", r.entries, r.skipped.len());
    }
    let linker = Linker::new(Arc::new(kb));
    let mut docs = Vec::new();
    let mut mentions = Vec::new();
    let mut entities = Vec::new();
    for f in &files {
        let doc = document(f);
        let seg = stancegraph_segment::segment(&doc);
        let linked = linker.link(&doc, &seg);
        if out.is_none() {
            println!("== {f}");
            for m in &linked.mentions {
                println!(
                    "{:>6} {:<9} {:<40} {}",
                    m.start,
                    format!("{:?}", m.kind),
                    m.text,
                    m.entity
                );
            }
            for e in &linked.entities {
                println!(
                    "  {} [{}] {:?} roles={:?} affs={:?} n={}",
                    e.id,
                    e.entity_type.as_str(),
                    e.name,
                    e.roles,
                    e.affiliations,
                    e.mentions
                );
            }
        }
        docs.push(serde_json::json!({"id": doc.id, "source": doc.source, "title": doc.title, "text": doc.text}));
        mentions.extend(linked.mentions);
        entities.extend(linked.entities);
    }
    if let Some(dir) = out {
        std::fs::create_dir_all(&dir).expect("out dir");
        let write = |name: &str, lines: Vec<String>| {
            let mut f = std::fs::File::create(dir.join(name)).expect("create");
            for l in lines {
                writeln!(f, "{l}").expect("write");
            }
        };
        write(
            "documents.jsonl",
            docs.iter().map(|d| d.to_string()).collect(),
        );
        write(
            "mentions.jsonl",
            mentions
                .iter()
                .map(|m| serde_json::to_string(m).expect("json"))
                .collect(),
        );
        write(
            "entities.jsonl",
            merge_entities(&entities)
                .iter()
                .map(|e| serde_json::to_string(e).expect("json"))
                .collect(),
        );
        write("statements.jsonl", vec![]);
    }
}

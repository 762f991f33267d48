//! Development harness: runs the relation stage over plain-text articles with a crude
//! stand-in for segmentation and linking (a sentence splitter, string-matched names and
//! nearest-person pronouns), writing the JSONL files the scorers read. Used to tune the
//! attribution rules before the real stages are available; not part of the pipeline.
//!
//! Input (JSON lines on stdin): {"doc", "text", "date"?, "title"?,
//! "entities": [{"id", "type", "country"?, "names": [..]}]}. Output folder: argv[1].

use std::io::{BufRead, Write};

use stancegraph_model::{
    Document, Entity, EntityType, Linked, Mention, MentionKind, Segmented, Sentence, Span,
};
use stancegraph_relate::Relator;

fn etype(s: &str) -> EntityType {
    match s {
        "person" => EntityType::Person,
        "organization" => EntityType::Organization,
        "country" => EntityType::Country,
        "group" => EntityType::Group,
        "location" => EntityType::Location,
        _ => EntityType::Other,
    }
}

const ABBREV: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Prof", "Gov", "Sen", "Rep", "Lt", "Gen", "Col",
    "Sgt", "No", "Nov", "Dec", "Jan", "Feb", "Aug", "Sept", "Oct", "U.S", "B.C", "U.K", "Inc",
    "Corp", "Co", "Ltd", "Ave", "Mt", "Ont", "Que", "Alta", "Sask", "Man",
];

fn split(text: &str) -> (Vec<Span>, Vec<(Span, usize)>) {
    let mut paras = Vec::new();
    let mut pos = 0;
    for p in text.split("\n\n") {
        if !p.trim().is_empty() {
            let lead = p.len() - p.trim_start().len();
            paras.push(Span::new(pos + lead, pos + p.trim_end().len()));
        }
        pos += p.len() + 2;
    }
    let mut sents = Vec::new();
    for (pi, p) in paras.iter().enumerate() {
        let s = &text[p.start..p.end];
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let mut start = 0;
        for n in 0..chars.len() {
            let c = chars[n].1;
            if !matches!(c, '.' | '?' | '!') {
                continue;
            }
            let word_start = s[..chars[n].0]
                .rfind(|x: char| x.is_whitespace())
                .map_or(0, |x| x + 1);
            let word = &s[word_start..chars[n].0];
            if c == '.'
                && (ABBREV.contains(&word)
                    || (word.len() == 1 && word.chars().all(char::is_uppercase)))
            {
                continue;
            }
            let mut m = n + 1;
            while m < chars.len() && matches!(chars[m].1, '\u{201D}' | '"' | '\u{2019}' | ')') {
                m += 1;
            }
            if m + 1 < chars.len() && chars[m].1 == ' ' {
                let nx = chars[m + 1].1;
                if nx.is_uppercase() || matches!(nx, '\u{201C}' | '"' | '\u{2018}') {
                    sents.push((Span::new(p.start + start, p.start + chars[m].0), pi));
                    start = chars[m + 1].0;
                }
            }
        }
        if start < s.len() {
            sents.push((Span::new(p.start + start, p.end), pi));
        }
    }
    (paras, sents)
}

fn main() {
    let out = std::env::args().nth(1).expect("output folder");
    std::fs::create_dir_all(&out).expect("mkdir");
    let relator = Relator::embedded().expect("lexicons");
    let mut docs_f = std::fs::File::create(format!("{out}/documents.jsonl")).expect("f");
    let mut st_f = std::fs::File::create(format!("{out}/statements.jsonl")).expect("f");
    let mut ev_f = std::fs::File::create(format!("{out}/events.jsonl")).expect("f");
    let mut en_f = std::fs::File::create(format!("{out}/entities.jsonl")).expect("f");
    let mut me_f = std::fs::File::create(format!("{out}/mentions.jsonl")).expect("f");
    let mut total = std::time::Duration::ZERO;
    let mut cpu = 0u64;
    let mut bytes = 0usize;
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("line");
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        let text = v["text"].as_str().unwrap_or("").to_string();
        let id = format!("d:{}", v["doc"].as_str().unwrap_or(""));
        let (paras, sents) = split(&text);
        let mut entities = Vec::new();
        let mut names: Vec<(String, usize)> = Vec::new();
        for (ei, e) in v["entities"].as_array().into_iter().flatten().enumerate() {
            let ns: Vec<String> = e["names"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect();
            entities.push(Entity {
                id: e["id"].as_str().unwrap_or("").to_string(),
                name: ns.first().cloned().unwrap_or_default(),
                entity_type: etype(e["type"].as_str().unwrap_or("")),
                wikidata: None,
                country: e["country"].as_str().map(str::to_string),
                roles: vec![],
                affiliations: vec![],
                aliases: ns.clone(),
                mentions: 1,
                documents: 1,
            });
            for n in ns {
                names.push((n, ei));
            }
        }
        names.sort_by_key(|n| std::cmp::Reverse(n.0.len()));
        let mut mentions: Vec<Mention> = Vec::new();
        for (n, ei) in &names {
            let mut from = 0;
            while let Some(off) = text[from..].find(n.as_str()) {
                let s = from + off;
                let e = s + n.len();
                from = e;
                let ok_b = text[..s]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let ok_a = text[e..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                if ok_b && ok_a && !mentions.iter().any(|m| m.start < e && s < m.end) {
                    mentions.push(Mention {
                        doc: id.clone(),
                        start: s,
                        end: e,
                        text: n.clone(),
                        entity: entities[*ei].id.clone(),
                        kind: MentionKind::Name,
                        score: 1.0,
                    });
                }
            }
        }
        // Pronouns: he/she → the latest person named before.
        mentions.sort_by_key(|m| m.start);
        let mut pron = Vec::new();
        for (i, _) in text.char_indices() {
            for p in ["He", "She", "he", "she"] {
                if text[i..].starts_with(p) {
                    let e = i + p.len();
                    let ok_b = text[..i]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric());
                    let ok_a = text[e..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric());
                    if ok_b && ok_a {
                        let last = mentions.iter().rev().find(|m| {
                            m.end <= i
                                && entities.iter().any(|x| {
                                    x.id == m.entity && x.entity_type == EntityType::Person
                                })
                        });
                        if let Some(m) = last {
                            pron.push(Mention {
                                doc: id.clone(),
                                start: i,
                                end: e,
                                text: p.into(),
                                entity: m.entity.clone(),
                                kind: MentionKind::Pronoun,
                                score: 0.5,
                            });
                        }
                    }
                }
            }
        }
        mentions.extend(pron);
        mentions.sort_by_key(|m| m.start);
        let doc = Document {
            id: id.clone(),
            source: format!("{}.txt", v["doc"].as_str().unwrap_or("")),
            title: v["title"].as_str().map(str::to_string),
            date: v["date"].as_str().map(str::to_string),
            text: text.clone(),
            duplicate_of: None,
        };
        let seg = Segmented {
            doc: id.clone(),
            paragraphs: paras,
            sentences: sents
                .iter()
                .enumerate()
                .map(|(i, (s, p))| Sentence {
                    index: i,
                    span: *s,
                    paragraph: *p,
                    tokens: Span::new(0, 0),
                    quote: None,
                })
                .collect(),
            tokens: vec![],
            quotes: vec![],
        };
        let linked = Linked {
            doc: id.clone(),
            mentions,
            entities,
        };
        let repeat: usize = std::env::var("REPEAT")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(1);
        let t = std::time::Instant::now();
        let c0 = cpu_ns();
        let mut r = relator.relate(&doc, &seg, &linked);
        for _ in 1..repeat {
            r = relator.relate(&doc, &seg, &linked);
        }
        total += t.elapsed();
        cpu += cpu_ns().saturating_sub(c0);
        bytes += text.len() * repeat;
        writeln!(docs_f, "{}", serde_json::json!({"id": id, "source": doc.source, "title": doc.title, "date": doc.date, "text": text})).expect("w");
        for s in &r.statements {
            writeln!(st_f, "{}", serde_json::to_string(s).expect("s")).expect("w");
        }
        for e in &r.events {
            writeln!(ev_f, "{}", serde_json::to_string(e).expect("s")).expect("w");
        }
        for e in &linked.entities {
            writeln!(en_f, "{}", serde_json::to_string(e).expect("s")).expect("w");
        }
        for m in &linked.mentions {
            writeln!(me_f, "{}", serde_json::to_string(m).expect("s")).expect("w");
        }
    }
    eprintln!(
        "relate: {bytes} bytes in {:?} wall = {:.1} MB/s; on-CPU {:.1} ms = {:.1} MB/s",
        total,
        bytes as f64 / total.as_secs_f64() / 1e6,
        cpu as f64 / 1e6,
        bytes as f64 / (cpu as f64 / 1e9) / 1e6
    );
}

/// Nanoseconds this thread has spent on a CPU (from /proc/thread-self/schedstat).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(0)
}

//! Throughput of the relation stage on a synthetic linked document of about 1 MB built
//! here from a few hand-written paragraphs (quotes, clauses, meetings, pronouns).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stancegraph_model::{
    Document, Entity, EntityType, Linked, Mention, MentionKind, Quote, Segmented, Sentence, Span,
};
use stancegraph_relate::Relator;

const PARAGRAPHS: &[&str] = &[
    "Foreign Minister Anna Berg said that the new border rules of Norland are unacceptable and a threat to regional peace.",
    "The talks were constructive, Berg said in a meeting with visiting Norlandic Trade Minister Lars Holm in Vestby on Wednesday.",
    "\u{201C}We will never give up our fields,\u{201D} the farmer Ole Dahl told reporters. \u{201C}Nobody has come to help us.\u{201D}",
    "He also expressed concern over the fishing quotas and called for more cooperation between Vestland and Norland.",
    "\u{201C}We have never seen water this high. Everyone worked through the night.\u{201D}",
    "Referring to the new rail link, Holm announced readiness of Norland to improve bilateral ties with Vestland in various fields.",
    "The harbour was closed for three days after the storm, and the repairs will take several weeks to complete.",
    "But some observers say the new quotas will hurt the small harbours, and a spokesperson for the fishing board said talks would resume in May.",
];

const ENTITIES: &[(&str, &str, EntityType, MentionKind)] = &[
    (
        "Anna Berg",
        "kb:berg",
        EntityType::Person,
        MentionKind::Name,
    ),
    ("Berg", "kb:berg", EntityType::Person, MentionKind::Name),
    (
        "Lars Holm",
        "kb:holm",
        EntityType::Person,
        MentionKind::Name,
    ),
    ("Holm", "kb:holm", EntityType::Person, MentionKind::Name),
    (
        "Ole Dahl",
        "new:person:ole-dahl",
        EntityType::Person,
        MentionKind::Name,
    ),
    ("He", "kb:holm", EntityType::Person, MentionKind::Pronoun),
    (
        "Norlandic",
        "kb:norland",
        EntityType::Country,
        MentionKind::Demonym,
    ),
    (
        "Norland",
        "kb:norland",
        EntityType::Country,
        MentionKind::Name,
    ),
    (
        "Vestland",
        "kb:vestland",
        EntityType::Country,
        MentionKind::Name,
    ),
    (
        "Vestby",
        "kb:vestby",
        EntityType::Location,
        MentionKind::Name,
    ),
];

fn build(target: usize) -> (Document, Segmented, Linked) {
    let mut text = String::new();
    let mut paragraphs = Vec::new();
    let mut sentences = Vec::new();
    let mut quotes = Vec::new();
    let mut mentions = Vec::new();
    let mut i = 0;
    while text.len() < target {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let p = PARAGRAPHS[i % PARAGRAPHS.len()];
        let start = text.len();
        text.push_str(p);
        paragraphs.push(Span::new(start, text.len()));
        // One sentence per ". " boundary.
        let mut s0 = start;
        for (off, _) in p.match_indices(". ") {
            sentences.push((Span::new(s0, start + off + 1), paragraphs.len() - 1));
            s0 = start + off + 2;
        }
        sentences.push((Span::new(s0, text.len()), paragraphs.len() - 1));
        let mut open = None;
        for (off, c) in p.char_indices() {
            match c {
                '\u{201C}' => open = Some(start + off),
                '\u{201D}' => {
                    if let Some(o) = open.take() {
                        quotes.push(Quote {
                            span: Span::new(o, start + off + 3),
                            content: Span::new(o + 3, start + off),
                            closed: true,
                        });
                    }
                }
                _ => {}
            }
        }
        let mut taken: Vec<(usize, usize)> = Vec::new();
        for (surface, id, _, kind) in ENTITIES {
            for (off, _) in p.match_indices(surface) {
                let (s, e) = (start + off, start + off + surface.len());
                let boundary = text[e..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                if boundary && !taken.iter().any(|&(a, b)| a < e && s < b) {
                    taken.push((s, e));
                    mentions.push(Mention {
                        doc: "d:bench".into(),
                        start: s,
                        end: e,
                        text: surface.to_string(),
                        entity: id.to_string(),
                        kind: *kind,
                        score: 1.0,
                    });
                }
            }
        }
        i += 1;
    }
    mentions.sort_by_key(|m| m.start);
    let mut entities: Vec<Entity> = Vec::new();
    for (surface, id, ty, _) in ENTITIES {
        if entities.iter().any(|e| e.id == *id) {
            continue;
        }
        entities.push(Entity {
            id: id.to_string(),
            name: surface.to_string(),
            entity_type: *ty,
            wikidata: None,
            country: Some(
                if id.contains("berg") || id.contains("vest") {
                    "VST"
                } else {
                    "NRL"
                }
                .into(),
            ),
            roles: vec![],
            affiliations: vec![],
            aliases: vec![],
            mentions: 1,
            documents: 1,
        });
    }
    let doc = Document {
        id: "d:bench".into(),
        source: "bench".into(),
        title: None,
        date: Some("2021-03-12".into()),
        text,
        duplicate_of: None,
    };
    let seg = Segmented {
        doc: "d:bench".into(),
        paragraphs,
        sentences: sentences
            .into_iter()
            .enumerate()
            .map(|(index, (span, paragraph))| Sentence {
                index,
                span,
                paragraph,
                tokens: Span::new(0, 0),
                quote: None,
            })
            .collect(),
        tokens: vec![],
        quotes,
    };
    let linked = Linked {
        doc: "d:bench".into(),
        mentions,
        entities,
    };
    (doc, seg, linked)
}

fn bench(c: &mut Criterion) {
    let relator = Relator::embedded().expect("lexicons");
    // News-sized documents (about 5 kB each), 1 MB in all.
    let docs: Vec<(Document, Segmented, Linked)> = (0..200).map(|_| build(5 << 10)).collect();
    let bytes: usize = docs.iter().map(|d| d.0.text.len()).sum();
    let mut group = c.benchmark_group("relate");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("relate_200x5kb", |b| {
        b.iter(|| {
            docs.iter()
                .map(|(d, s, l)| relator.relate(d, s, l).statements.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

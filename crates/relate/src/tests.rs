//! Unit tests of the relation stage on hand-built fixtures: every attribution pattern,
//! floating quotations, stance with negation, the victim rule, target exclusion, events
//! with weekday resolution, and a property test on arbitrary input.

use proptest::prelude::*;
use stancegraph_model::{
    Document, Entity, EntityType, Linked, Mention, MentionKind, Quote, Relations, Segmented,
    Sentence, Span, Statement,
};

use crate::Relator;

/// One entity surface of a fixture: surface, entity id, type, kind, country.
type Ent<'a> = (&'a str, &'a str, EntityType, MentionKind, Option<&'a str>);

/// A tiny sentence splitter for fixtures: paragraphs, then `.`/`?`/`!` (plus closing
/// marks) followed by a space and an upper-case letter or an opening mark.
fn sentences(text: &str) -> (Vec<Span>, Vec<(Span, usize)>) {
    let mut paras = Vec::new();
    let mut pos = 0;
    for p in text.split("\n\n") {
        if !p.trim().is_empty() {
            paras.push(Span::new(pos, pos + p.len()));
        }
        pos += p.len() + 2;
    }
    let mut sents = Vec::new();
    for (pi, p) in paras.iter().enumerate() {
        let s = &text[p.start..p.end];
        let mut start = 0;
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        for (n, &(i, c)) in chars.iter().enumerate() {
            if !matches!(c, '.' | '?' | '!') {
                continue;
            }
            let mut m = n + 1;
            while m < chars.len() && matches!(chars[m].1, '\u{201D}' | '"') {
                m += 1;
            }
            if m + 1 < chars.len()
                && chars[m].1 == ' '
                && (chars[m + 1].1.is_uppercase() || chars[m + 1].1 == '\u{201C}')
            {
                let end = chars[m].0;
                sents.push((Span::new(p.start + start, p.start + end), pi));
                start = chars[m + 1].0;
                let _ = i;
            }
        }
        sents.push((Span::new(p.start + start, p.end), pi));
    }
    (paras, sents)
}

fn quotes(text: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c == '\u{201C}' {
            let para_start = text[..i].ends_with('\n');
            if open.is_none() || !para_start {
                open = Some(i);
            }
        } else if c == '\u{201D}' {
            if let Some(s) = open.take() {
                out.push(Quote {
                    span: Span::new(s, i + 3),
                    content: Span::new(s + 3, i),
                    closed: true,
                });
            }
        }
    }
    out
}

/// Builds a document with its segmentation and linking from a text and entity surfaces.
fn fixture(
    title: Option<&str>,
    body: &str,
    date: Option<&str>,
    ents: &[Ent],
) -> (Document, Segmented, Linked) {
    let text = match title {
        Some(t) => format!("{t}\n\n{body}"),
        None => body.to_string(),
    };
    let id = "d:00000000000000aa".to_string();
    let (paras, sents) = sentences(&text);
    let qs = quotes(&text);
    let sentences = sents
        .iter()
        .enumerate()
        .map(|(i, (s, p))| Sentence {
            index: i,
            span: *s,
            paragraph: *p,
            tokens: Span::new(0, 0),
            quote: qs.iter().position(|q| q.content.contains(*s)),
        })
        .collect();
    let mut mentions: Vec<Mention> = Vec::new();
    let mut entities: Vec<Entity> = Vec::new();
    for (surface, eid, ty, kind, country) in ents {
        let mut from = 0;
        while let Some(off) = text[from..].find(surface) {
            let s = from + off;
            let e = s + surface.len();
            from = e;
            let before_ok = text[..s]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = text[e..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if !before_ok || !after_ok || mentions.iter().any(|m| m.start < e && s < m.end) {
                continue;
            }
            mentions.push(Mention {
                doc: id.clone(),
                start: s,
                end: e,
                text: surface.to_string(),
                entity: eid.to_string(),
                kind: *kind,
                score: 1.0,
            });
        }
        if !entities.iter().any(|x| x.id == *eid) {
            entities.push(Entity {
                id: eid.to_string(),
                name: surface.to_string(),
                entity_type: *ty,
                wikidata: None,
                country: country.map(str::to_string),
                roles: vec![],
                affiliations: vec![],
                aliases: vec![surface.to_string()],
                mentions: 1,
                documents: 1,
            });
        }
    }
    mentions.sort_by_key(|m| m.start);
    let doc = Document {
        id: id.clone(),
        source: "fixture.txt".into(),
        title: title.map(str::to_string),
        date: date.map(str::to_string),
        text,
        duplicate_of: None,
    };
    let seg = Segmented {
        doc: id.clone(),
        paragraphs: paras,
        sentences,
        tokens: vec![],
        quotes: qs,
    };
    let linked = Linked {
        doc: id,
        mentions,
        entities,
    };
    (doc, seg, linked)
}

fn run(title: Option<&str>, body: &str, date: Option<&str>, ents: &[Ent]) -> Relations {
    let (d, s, l) = fixture(title, body, date, ents);
    let r = Relator::embedded().unwrap().relate(&d, &s, &l);
    check_spans(&d.text, &r);
    r
}

fn check_spans(text: &str, r: &Relations) {
    for s in &r.statements {
        for sp in [
            Some(Span::new(s.start, s.end)),
            s.cue_span,
            s.speaker_span,
            Some(s.content_span),
        ]
        .into_iter()
        .flatten()
        {
            assert!(
                sp.end <= text.len() && sp.start <= sp.end,
                "span out of bounds: {sp:?}"
            );
            assert!(text.is_char_boundary(sp.start) && text.is_char_boundary(sp.end));
        }
        assert!((-1.0..=1.0).contains(&s.stance));
    }
    for e in &r.events {
        assert!(
            e.end <= text.len() && text.is_char_boundary(e.start) && text.is_char_boundary(e.end)
        );
    }
}

const P: EntityType = EntityType::Person;
const C: EntityType = EntityType::Country;
const L: EntityType = EntityType::Location;
const N: MentionKind = MentionKind::Name;

fn berg() -> Ent<'static> {
    ("Anna Berg", "kb:berg", P, N, Some("VST"))
}
fn berg_short() -> Ent<'static> {
    ("Berg", "kb:berg", P, N, Some("VST"))
}
fn vestland() -> Ent<'static> {
    ("Vestland", "kb:vestland", C, N, Some("VST"))
}
fn norland() -> Ent<'static> {
    ("Norland", "kb:norland", C, N, Some("NRL"))
}

fn only(r: &Relations) -> &Statement {
    assert_eq!(r.statements.len(), 1, "{:#?}", r.statements);
    &r.statements[0]
}

#[test]
fn subject_cue_that_clause() {
    let r = run(
        None,
        "Foreign Minister Anna Berg said that the new border rules of Norland are unacceptable.",
        Some("2021-03-10"),
        &[berg(), norland()],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:berg");
    assert_eq!(s.speaker_text.as_deref(), Some("Anna Berg"));
    assert_eq!(s.cue.as_deref(), Some("said"));
    assert_eq!(s.predicate, "say");
    assert_eq!(
        s.content,
        "the new border rules of Norland are unacceptable"
    );
    assert!(s.stance < -0.2, "{}", s.stance);
    assert_eq!(s.targets.len(), 1);
    assert_eq!(s.targets[0].entity, "kb:norland");
    assert!(s.targets[0].stance < 0.0);
    assert_eq!(s.code.as_deref(), Some("010"));
    assert_eq!(s.date.as_deref(), Some("2021-03-10"));
    assert!(!s.quote);
}

#[test]
fn clause_then_subject_cue_with_weekday() {
    // 2021-03-10 is a Wednesday; "on Monday" is 2021-03-08.
    let r = run(
        None,
        "The talks with Norland were constructive and fruitful, Berg said on Monday.",
        Some("2021-03-10"),
        &[berg_short(), norland()],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:berg");
    assert_eq!(
        s.content,
        "The talks with Norland were constructive and fruitful"
    );
    assert_eq!(s.date.as_deref(), Some("2021-03-08"));
    assert!(s.stance > 0.2);
}

#[test]
fn quote_then_inverted_cue() {
    let r = run(
        None,
        "\u{201C}We will never give up our fields,\u{201D} said Berg.",
        None,
        &[berg_short()],
    );
    let s = only(&r);
    assert!(s.quote);
    assert_eq!(s.content, "We will never give up our fields,");
    assert_eq!(s.speaker_text.as_deref(), Some("Berg"));
}

#[test]
fn quote_then_subject_cue_and_continuation() {
    let r = run(
        None,
        "\u{201C}The river is rising fast,\u{201D} the farmer Ole Dahl told reporters, \u{201C}and nobody has come to help us.\u{201D}",
        None,
        &[("Ole Dahl", "new:person:ole-dahl", P, N, None)],
    );
    assert_eq!(r.statements.len(), 2, "{:#?}", r.statements);
    assert!(r
        .statements
        .iter()
        .all(|s| s.speaker == "new:person:ole-dahl" && s.quote));
    assert_eq!(r.statements[0].content, "The river is rising fast,");
    assert_eq!(r.statements[1].content, "and nobody has come to help us.");
}

#[test]
fn subject_cue_colon_quote_over_sentences() {
    let r = run(
        None,
        "Berg said: \u{201C}Our harbours stay open. Trade with Norland will grow next year.\u{201D}",
        None,
        &[berg_short(), norland()],
    );
    let s = only(&r);
    assert!(s.quote);
    assert!(s.content.starts_with("Our harbours stay open."));
    assert!(s.evidence.contains("Trade with Norland will grow"));
    assert_eq!(s.targets[0].entity, "kb:norland");
}

#[test]
fn according_to_speaker() {
    let r = run(
        None,
        "According to Berg, the flood barriers will be finished in May.",
        None,
        &[berg_short()],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:berg");
    assert_eq!(s.content, "the flood barriers will be finished in May");
}

#[test]
fn for_his_part_and_pronoun_speaker() {
    let r = run(
        None,
        "Lars Holm, for his part, welcomed the new agreement with Vestland. He also expressed concern over the fishing quotas.",
        None,
        &[
            ("Lars Holm", "kb:holm", P, N, Some("NRL")),
            ("his", "kb:holm", P, MentionKind::Pronoun, Some("NRL")),
            ("He", "kb:holm", P, MentionKind::Pronoun, Some("NRL")),
            vestland(),
        ],
    );
    assert_eq!(r.statements.len(), 2, "{:#?}", r.statements);
    let a = &r.statements[0];
    assert_eq!(a.speaker_text.as_deref(), Some("Lars Holm"));
    assert_eq!(a.predicate, "welcome");
    assert_eq!(a.code.as_deref(), Some("051"));
    assert!(a.stance > 0.5);
    assert_eq!(a.targets[0].entity, "kb:vestland");
    let b = &r.statements[1];
    assert_eq!(b.speaker_text.as_deref(), Some("He"));
    assert_eq!(b.cue.as_deref(), Some("expressed concern over"));
    assert_eq!(b.predicate, "express concern");
    assert!(b.stance < -0.5);
}

#[test]
fn two_cues_in_one_sentence() {
    let r = run(
        None,
        "Berg referred to the long friendship between Vestland and Norland, and said the border must stay open for trade.",
        None,
        &[berg_short(), vestland(), norland()],
    );
    assert_eq!(r.statements.len(), 2, "{:#?}", r.statements);
    let a = &r.statements[0];
    assert_eq!(a.predicate, "refer to");
    assert_eq!(
        a.content,
        "the long friendship between Vestland and Norland"
    );
    assert!(a.stance > 0.2);
    // The speaker's own country is not a target; the other country is.
    let ids: Vec<&str> = a.targets.iter().map(|t| t.entity.as_str()).collect();
    assert_eq!(ids, ["kb:norland"]);
    let b = &r.statements[1];
    assert_eq!(b.predicate, "say");
    assert_eq!(b.speaker, "kb:berg");
    assert_eq!(b.content, "the border must stay open for trade");
}

#[test]
fn condemn_saying_and_victim_rule() {
    let r = run(
        None,
        "Berg condemned the killing of the Norland reporter Tom Reed, saying that this cowardly act will not go unpunished.",
        None,
        &[berg_short(), norland(), ("Tom Reed", "kb:reed", P, N, Some("NRL"))],
    );
    assert_eq!(r.statements.len(), 2, "{:#?}", r.statements);
    let a = &r.statements[0];
    assert_eq!(a.predicate, "condemn");
    assert_eq!(a.code.as_deref(), Some("111"));
    assert!(a.stance < -0.5);
    // The victim of the condemned act is not a negative target.
    assert!(
        a.targets
            .iter()
            .all(|t| t.entity != "kb:reed" || t.stance >= 0.0),
        "{:?}",
        a.targets
    );
    assert!(a.targets.iter().all(|t| t.entity != "kb:reed"));
    let b = &r.statements[1];
    assert_eq!(b.predicate, "say");
    assert_eq!(b.speaker, "kb:berg");
}

#[test]
fn participial_opener_belongs_to_main_subject() {
    let r = run(
        None,
        "Referring to the new rail link with Norland, Berg announced more cooperation with the neighbours.",
        None,
        &[berg_short(), norland()],
    );
    assert_eq!(r.statements.len(), 2, "{:#?}", r.statements);
    assert!(r.statements.iter().all(|s| s.speaker == "kb:berg"));
    assert_eq!(r.statements[0].predicate, "refer to");
    assert_eq!(r.statements[0].content, "the new rail link with Norland");
    assert_eq!(r.statements[1].predicate, "announce");
}

#[test]
fn floating_quotation_takes_context_speaker() {
    let r = run(
        None,
        "The harbour master Ole Dahl said the storm had damaged three piers.\n\n\u{201C}We have never seen water this high. Everyone worked through the night.\u{201D}\n\nThe repairs will take weeks.",
        None,
        &[("Ole Dahl", "new:person:ole-dahl", P, N, None)],
    );
    assert_eq!(r.statements.len(), 2, "{:#?}", r.statements);
    let f = &r.statements[1];
    assert_eq!(f.speaker, "new:person:ole-dahl");
    assert!(f.cue.is_none() && f.cue_span.is_none());
    assert_eq!(f.predicate, "quote");
    assert!(f.quote);
    assert!(f.content.starts_with("We have never seen water"));
    assert!(f.speaker_text.is_none());
}

#[test]
fn negation_flips_content_polarity() {
    let pos = run(
        None,
        "Berg said the summit was a success.",
        None,
        &[berg_short()],
    );
    assert!(only(&pos).stance > 0.2);
    let neg = run(
        None,
        "Berg said the summit was not a success.",
        None,
        &[berg_short()],
    );
    assert!(only(&neg).stance < -0.2, "{}", only(&neg).stance);
    let rev = run(
        None,
        "Berg said the plan would put an end to the occupation.",
        None,
        &[berg_short()],
    );
    assert!(only(&rev).stance > 0.2, "{}", only(&rev).stance);
    let harm = run(
        None,
        "Berg said the new dam is a threat to regional peace.",
        None,
        &[berg_short()],
    );
    assert!(only(&harm).stance < -0.2);
}

#[test]
fn clause_marks_end_the_scope_of_a_negator() {
    let stance_of = |text: &str| only(&run(None, text, None, &[berg_short()])).stance;
    assert!(stance_of("Berg said the summit was not a success.") < -0.2);
    for mark in [",", ":"] {
        let text = format!("Berg said the summit was not{mark} a success.");
        assert!(stance_of(&text) > 0.2, "{text}");
    }
    // Dashes (one of them beyond ASCII) are no clause marks: the negator still reaches.
    for dash in ["-", "\u{2014}"] {
        let text = format!("Berg said the summit was not {dash} a success.");
        assert!(stance_of(&text) < -0.2, "{text}");
    }
}

#[test]
fn locative_country_and_speaker_country_are_not_targets() {
    let r = run(
        None,
        "Berg said that Vestland is worried about armed groups from Norland operating in Ostria.",
        None,
        &[
            berg_short(),
            vestland(),
            norland(),
            ("Ostria", "kb:ostria", C, N, Some("OST")),
        ],
    );
    let s = only(&r);
    let ids: Vec<&str> = s.targets.iter().map(|t| t.entity.as_str()).collect();
    assert_eq!(ids, ["kb:norland"]);
}

#[test]
fn no_speaker_no_statement_and_location_never_speaks() {
    let r = run(None, "It was said that the bridge would close.", None, &[]);
    assert!(r.statements.is_empty());
    let r = run(
        None,
        "Vestby said the bridge would close soon.",
        None,
        &[("Vestby", "kb:vestby", L, N, Some("VST"))],
    );
    assert!(r.statements.is_empty(), "{:#?}", r.statements);
}

#[test]
fn meeting_event_with_place_and_weekday() {
    let r = run(
        None,
        "Trade must grow, Berg said in a meeting with visiting Norlandic Trade Minister Lars Holm in Vestby on Wednesday.",
        Some("2021-03-12"),
        &[
            berg_short(),
            ("Norlandic", "kb:norland", C, MentionKind::Demonym, Some("NRL")),
            ("Lars Holm", "kb:holm", P, N, Some("NRL")),
            ("Vestby", "kb:vestby", L, N, Some("VST")),
        ],
    );
    let s = only(&r);
    assert_eq!(s.content, "Trade must grow");
    assert_eq!(s.speaker, "kb:berg");
    assert_eq!(r.events.len(), 1, "{:#?}", r.events);
    let e = &r.events[0];
    assert_eq!(e.event_type, "meet");
    assert_eq!(e.actors, ["kb:berg", "kb:holm"]);
    assert_eq!(e.place.as_deref(), Some("kb:vestby"));
    assert_eq!(e.date.as_deref(), Some("2021-03-10"));
    assert_eq!(e.code.as_deref(), Some("040"));
}

#[test]
fn subject_with_prepositional_phrase_before_cue() {
    let r = run(
        None,
        "Minister Lars Holm in talks with Berg underlined the need for new fishing rules.",
        Some("2021-03-12"),
        &[("Lars Holm", "kb:holm", P, N, Some("NRL")), berg_short()],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:holm");
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.events[0].actors, ["kb:berg", "kb:holm"]);
    assert_eq!(r.events[0].code.as_deref(), Some("046"));
}

#[test]
fn headline_description_resolves_to_first_paragraph_person() {
    let r = run(
        Some("Vestlandic Minister Warns of Floods in Norland"),
        "Vestland's Environment Minister Anna Berg said the rivers will rise again this spring.",
        Some("2021-03-12"),
        &[
            (
                "Vestlandic",
                "kb:vestland",
                C,
                MentionKind::Demonym,
                Some("VST"),
            ),
            berg(),
            vestland(),
            norland(),
        ],
    );
    assert_eq!(r.statements.len(), 2, "{:#?}", r.statements);
    let h = &r.statements[0];
    assert_eq!(h.sentence, 0);
    assert_eq!(h.speaker, "kb:berg");
    assert_eq!(h.predicate, "warn");
    assert!(h.stance < 0.0);
    assert_eq!(r.statements[1].speaker_text.as_deref(), Some("Anna Berg"));
}

#[test]
fn visit_and_call_events() {
    let r = run(
        None,
        "Berg visited Norland last month. Lars Holm spoke by phone with Berg about the fishing rules.",
        Some("2021-03-12"),
        &[berg_short(), norland(), ("Lars Holm", "kb:holm", P, N, Some("NRL"))],
    );
    assert_eq!(r.events.len(), 2, "{:#?}", r.events);
    assert_eq!(r.events[0].event_type, "visit");
    assert_eq!(r.events[0].actors, ["kb:berg", "kb:norland"]);
    assert_eq!(r.events[0].code.as_deref(), Some("042"));
    assert_eq!(r.events[1].event_type, "call");
    assert_eq!(r.events[1].actors, ["kb:berg", "kb:holm"]);
}

#[test]
fn nouns_that_look_like_cues_are_not_statements() {
    let r = run(
        None,
        "Her claims about the budget drew support from Berg's critics. The mayor's statements vary.",
        None,
        &[berg_short()],
    );
    assert!(r.statements.is_empty(), "{:#?}", r.statements);
}

#[test]
fn passive_cue_and_cue_inside_quotation_are_not_statements() {
    let r = run(
        None,
        "Berg was praised by farmers for the new dam. Holm said: \u{201C}Berg welcomed our plan and we thanked her.\u{201D}",
        None,
        &[berg_short(), ("Holm", "kb:holm", P, N, Some("NRL"))],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:holm");
    assert!(s.quote);
}

#[test]
fn definite_description_speaker_takes_recent_person() {
    let r = run(
        None,
        "Ole Dahl runs the harbour office in Vestby.\n\n\u{201C}The piers will be rebuilt by summer,\u{201D} the harbour master said.",
        None,
        &[("Ole Dahl", "new:person:ole-dahl", P, N, None), ("Vestby", "kb:vestby", L, N, None)],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "new:person:ole-dahl");
    assert!(s.speaker_text.is_none());
    assert_eq!(s.content, "The piers will be rebuilt by summer,");
}

#[test]
fn speech_verb_with_object_is_not_a_statement() {
    let r = run(
        None,
        "Berg added a second goal late in the game. Berg said 40 per cent of the boats are idle.",
        None,
        &[berg_short()],
    );
    let s = only(&r);
    assert_eq!(s.content, "40 per cent of the boats are idle");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn arbitrary_text_and_mentions_never_panic(
        text in "(\\PC|[ \n“”\",.:;])*",
        cuts in proptest::collection::vec((0usize..400, 1usize..30, 0u8..6, 0u8..7), 0..12),
        date in proptest::option::of("20[0-9]{2}-[01][0-9]-[0-3][0-9]"),
    ) {
        let words = ["said", "told", "condemned", "met with", "according to", "“Hi,” he said."];
        let mut text = text;
        for (i, w) in words.iter().enumerate() {
            if text.len() % (i + 2) == 0 { text.push(' '); text.push_str(w); }
        }
        let mut mentions = Vec::new();
        let mut entities = Vec::new();
        let mut last = 0;
        let mut sorted = cuts.clone();
        sorted.sort();
        for (n, (s, l, ty, kind)) in sorted.into_iter().enumerate() {
            let mut s = s.min(text.len());
            while !text.is_char_boundary(s) { s -= 1; }
            let mut e = (s + l).min(text.len());
            while !text.is_char_boundary(e) { e -= 1; }
            if s < last || e <= s { continue; }
            last = e;
            let ty = [P, C, L, EntityType::Organization, EntityType::Group, EntityType::Other][ty as usize];
            let kind = [N, MentionKind::Alias, MentionKind::Acronym, MentionKind::Demonym,
                MentionKind::Metonym, MentionKind::Title, MentionKind::Pronoun][kind as usize];
            let id = format!("kb:e{n}");
            mentions.push(Mention { doc: "d:1".into(), start: s, end: e, text: text[s..e].to_string(),
                entity: id.clone(), kind, score: 1.0 });
            entities.push(Entity { id, name: "x".into(), entity_type: ty, wikidata: None,
                country: Some("XYZ".into()), roles: vec![], affiliations: vec![], aliases: vec![],
                mentions: 1, documents: 1 });
        }
        let (_, sents) = sentences(&text);
        let seg = Segmented {
            doc: "d:1".into(),
            paragraphs: vec![],
            sentences: sents.iter().enumerate().map(|(i, (s, p))| Sentence {
                index: i, span: *s, paragraph: *p, tokens: Span::new(0, 0), quote: None }).collect(),
            tokens: vec![],
            quotes: quotes(&text),
        };
        let doc = Document { id: "d:1".into(), source: "p".into(), title: None, date, text: text.clone(), duplicate_of: None };
        let linked = Linked { doc: "d:1".into(), mentions, entities };
        let r = Relator::embedded().unwrap().relate(&doc, &seg, &linked);
        check_spans(&text, &r);
        // Without a segmentation the fallbacks must hold too.
        let r = Relator::embedded().unwrap().relate(&doc, &Segmented::default(), &linked);
        check_spans(&text, &r);
    }
}

#[test]
fn apposition_with_place_keeps_the_named_person() {
    let r = run(
        None,
        "\u{201C}The harbour will stay closed all winter,\u{201D} Anna Berg, a Vestland-based shipping analyst, said on Friday.",
        None,
        &[berg(), vestland()],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:berg");
    assert!(s.quote);
}

#[test]
fn inverted_cue_with_party_and_title_before_the_name() {
    let r = run(
        None,
        "\u{201C}We will not sign this treaty,\u{201D} said Vestland Party Leader Anna Berg.",
        None,
        &[
            (
                "Vestland Party",
                "kb:vparty",
                EntityType::Organization,
                N,
                None,
            ),
            berg(),
        ],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:berg");
    assert_eq!(s.speaker_text.as_deref(), Some("Anna Berg"));
}

#[test]
fn abbreviations_in_speaker_phrase_keep_the_quotation() {
    let r = run(
        None,
        "\u{201C}Prices will rise again next spring,\u{201D} Anna Berg, R-Vest., head of the U.S.-based trade council, said.",
        None,
        &[berg()],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:berg");
    assert!(s.quote);
    assert!(s.content.starts_with("Prices will rise"), "{}", s.content);
}

#[test]
fn full_stop_between_quotation_and_speaker_is_detected() {
    assert!(super::attribute::sentence_stop_for_tests(
        " It rained all day. Then Roe "
    ));
    assert!(!super::attribute::sentence_stop_for_tests(
        " Harry J. Roe, of the U.S. team, "
    ));
    assert!(!super::attribute::sentence_stop_for_tests(
        " Sen. Roe, D-Mich., "
    ));
}

#[test]
fn untyped_full_name_next_to_cue_speaks() {
    let other = EntityType::Other;
    let r = run(
        None,
        "Harbour pilot Tomas Ekdal, 52, says the channel is too shallow for the new ferries.",
        None,
        &[("Tomas Ekdal", "new:other:tomas-ekdal", other, N, None)],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "new:other:tomas-ekdal");
    assert!(
        s.content.starts_with("the channel is too shallow"),
        "{}",
        s.content
    );
}

#[test]
fn untyped_name_inside_a_relative_clause_does_not_speak() {
    let other = EntityType::Other;
    let r = run(
        None,
        "Anna Berg, who chairs the panel that oversees Harbour Works, said the dredging must start soon.",
        None,
        &[berg(), ("Harbour Works", "new:other:harbour-works", other, N, None)],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:berg");
}

#[test]
fn parenthetical_cue_keeps_both_halves() {
    let r = run(
        None,
        "The old ferry made its last crossing, Berg says, and the new one will arrive in the spring.",
        None,
        &[berg_short()],
    );
    assert_eq!(r.statements.len(), 2, "{:#?}", r.statements);
    let contents: Vec<&str> = r.statements.iter().map(|s| s.content.as_str()).collect();
    assert!(
        contents.contains(&"The old ferry made its last crossing"),
        "{contents:?}"
    );
    assert!(
        contents.contains(&"and the new one will arrive in the spring"),
        "{contents:?}"
    );
    assert!(r.statements.iter().all(|s| s.speaker == "kb:berg"));
}

#[test]
fn untyped_name_before_an_apposition_speaks() {
    let other = EntityType::Other;
    let r = run(
        None,
        "Tomas Ekdal, a harbour pilot, says the channel silts up every winter.",
        None,
        &[("Tomas Ekdal", "new:other:tomas-ekdal", other, N, None)],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "new:other:tomas-ekdal");
    assert_eq!(s.content, "the channel silts up every winter");
}

#[test]
fn told_a_named_outlet_then_a_clause() {
    let r = run(
        None,
        "Anna Berg told Harbour Radio the new ferry schedule would start in March.",
        None,
        &[berg()],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:berg");
    assert_eq!(s.content, "the new ferry schedule would start in March");
}

#[test]
fn clause_then_inverted_description_still_works_after_a_name() {
    let r = run(
        None,
        "The talks with Norland were a failure, said the chief negotiator.",
        None,
        &[norland(), berg()],
    );
    assert!(
        r.statements.iter().all(|s| s.speaker != "kb:norland"),
        "{:#?}",
        r.statements
    );
}

#[test]
fn person_of_organisation_speaks() {
    let r = run(
        None,
        "\u{201C}Freight rates will keep climbing,\u{201D} Anna Berg of Harbour Works said on Tuesday.",
        None,
        &[berg(), ("Harbour Works", "kb:hw", EntityType::Organization, N, None)],
    );
    assert_eq!(only(&r).speaker, "kb:berg");
}

#[test]
fn speaker_after_a_subordinating_after() {
    let r = run(
        None,
        "Ferry traffic resumed on Monday after Anna Berg said the storm damage had been repaired.",
        None,
        &[berg()],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:berg");
    assert_eq!(s.content, "the storm damage had been repaired");
}

#[test]
fn amounts_and_counts_are_not_content() {
    let r = run(
        None,
        "The new ferry says much about the ambitions of Vestland. Anna Berg added three more stops to the route.",
        None,
        &[berg(), vestland()],
    );
    assert!(r.statements.is_empty(), "{:#?}", r.statements);
}

#[test]
fn colon_in_a_later_paragraph_is_not_the_cue_quotation() {
    let r = run(
        None,
        "Anna Berg says the harbour is safe, and the new pier is sound.\n\nThe pilots' union is blunter: \u{201C}Nobody has inspected the pier in years.\u{201D}",
        None,
        &[berg()],
    );
    assert!(
        r.statements
            .iter()
            .all(|s| !s.content.contains("Nobody has inspected") || s.cue.is_none()),
        "{:#?}",
        r.statements
    );
}

#[test]
fn description_apposition_holding_another_person() {
    let r = run(
        None,
        "Anna Berg, the pilot who steered the ferry beside harbour master Tomas Ekdal, has said the channel was clear.",
        None,
        &[berg(), ("Tomas Ekdal", "kb:ekdal", P, N, None)],
    );
    assert_eq!(only(&r).speaker, "kb:berg");
}

#[test]
fn name_apposition_keeps_the_name() {
    let r = run(
        None,
        "Vestland's lawyer, Tomas Ekdal, said that the contract was void.",
        None,
        &[vestland(), ("Tomas Ekdal", "kb:ekdal", P, N, None)],
    );
    assert_eq!(only(&r).speaker, "kb:ekdal");
}

#[test]
fn description_refers_to_an_untyped_full_name() {
    let other = EntityType::Other;
    let r = run(
        None,
        "Tomas Ekdal joined the crew in May.\n\n\u{201C}The engines are in great shape,\u{201D} the veteran mechanic said.",
        None,
        &[("Tomas Ekdal", "new:other:tomas-ekdal", other, N, None)],
    );
    assert_eq!(only(&r).speaker, "new:other:tomas-ekdal");
}

fn group_entity<'a>(r: &'a Relations, id: &str) -> &'a Entity {
    r.entities
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no entity {id} in {:#?}", r.entities))
}

#[test]
fn collective_source_speaks_as_a_document_scoped_group() {
    let r = run(
        None,
        "The harbour fees rose again in May. But some observers say the new fees will drive the ferries away.",
        None,
        &[],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "new:group:observers");
    assert_eq!(s.speaker_text.as_deref(), Some("observers"));
    assert_eq!(s.content, "the new fees will drive the ferries away");
    let e = group_entity(&r, &s.speaker);
    assert_eq!(e.entity_type, EntityType::Group);
    assert_eq!(e.name, "observers");
    assert_eq!(e.documents, 1);
    assert_eq!(r.entities.len(), 1);
}

#[test]
fn anonymous_spokesperson_after_a_quotation() {
    let r = run(
        None,
        "\u{201C}The bridge will reopen before the summer season,\u{201D} a spokesperson said.",
        None,
        &[],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "new:group:spokesperson");
    assert!(s.quote);
    assert_eq!(
        s.content,
        "The bridge will reopen before the summer season,"
    );
    assert_eq!(group_entity(&r, &s.speaker).name, "spokesperson");
}

#[test]
fn group_name_keeps_modifiers_and_post_modifier() {
    let r = run(
        None,
        "Sources familiar with the negotiations said the two ports were close to a deal.",
        None,
        &[],
    );
    let s = only(&r);
    assert_eq!(
        s.speaker,
        "new:group:sources-familiar-with-the-negotiations"
    );
    assert_eq!(
        s.speaker_text.as_deref(),
        Some("Sources familiar with the negotiations")
    );
    assert_eq!(s.content, "the two ports were close to a deal");
    let r = run(
        None,
        "The harbour is too shallow for the new ferries, according to senior port engineers.",
        None,
        &[],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "new:group:senior-port-engineers");
    assert_eq!(s.content, "The harbour is too shallow for the new ferries");
    assert_eq!(group_entity(&r, &s.speaker).name, "senior port engineers");
}

#[test]
fn organisation_nominal_takes_the_organisation_named_before() {
    let org = EntityType::Organization;
    let works = (
        "Harbour Works",
        "new:organization:harbour-works",
        org,
        N,
        None,
    );
    let r = run(
        None,
        "Harbour Works raised its fees on Monday. The company said the money would pay for dredging.",
        None,
        &[works],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "new:organization:harbour-works");
    assert_eq!(s.speaker_text.as_deref(), Some("company"));
    assert!(r.entities.is_empty());
    // With no organisation named that fits, "the union" is a group of its own.
    let r = run(
        None,
        "The dock workers stopped work at noon. The union said the strike would go on until Friday.",
        None,
        &[works],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "new:group:union");
    assert_eq!(group_entity(&r, &s.speaker).entity_type, EntityType::Group);
    // "the company" with no organisation named just before is nobody in particular.
    let r = run(
        None,
        "The ferry was late again. The company said the engine had failed.",
        None,
        &[],
    );
    assert!(r.statements.is_empty(), "{:#?}", r.statements);
}

#[test]
fn generic_nouns_in_other_positions_do_not_speak() {
    // An apposition to a name.
    let r = run(
        None,
        "Anna Berg, a spokesperson for the port, said the ferry would be late.",
        None,
        &[berg()],
    );
    assert_eq!(only(&r).speaker, "kb:berg");
    // An object inside a relative clause, and the addressee of a cue.
    let r = run(
        None,
        "Anna Berg, who advised officials on the plan, said the dredging must start soon.",
        None,
        &[berg()],
    );
    assert_eq!(only(&r).speaker, "kb:berg");
    let r = run(
        None,
        "Anna Berg told officials that the dredging must start soon.",
        None,
        &[berg()],
    );
    assert_eq!(only(&r).speaker, "kb:berg");
    assert!(r.entities.is_empty());
    // A title before a name.
    let r = run(
        None,
        "Port spokesperson Anna Berg said the dredging must start soon.",
        None,
        &[berg()],
    );
    assert_eq!(only(&r).speaker, "kb:berg");
}

#[test]
fn subordinate_clause_cue_and_main_clause_cue_both_speak() {
    let r = run(
        None,
        "While some critics say the fees are far too high, Berg says they are fair to every user.",
        None,
        &[berg_short()],
    );
    assert_eq!(r.statements.len(), 2, "{:#?}", r.statements);
    let critics = &r.statements[0];
    assert_eq!(critics.speaker, "new:group:critics");
    assert_eq!(critics.content, "the fees are far too high");
    let berg = &r.statements[1];
    assert_eq!(berg.speaker, "kb:berg");
    assert_eq!(berg.content, "they are fair to every user");
}

#[test]
fn author_of_a_statement_and_interrupting_according_to() {
    let r = run(
        None,
        "A statement from Norland said the border would reopen next week.",
        None,
        &[norland()],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:norland");
    assert_eq!(s.content, "the border would reopen next week");
    let r = run(
        None,
        "The real problem, according to Anna Berg, is the lack of money for repairs.",
        None,
        &[berg()],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "kb:berg");
    assert_eq!(
        s.content,
        "The real problem, according to Anna Berg, is the lack of money for repairs"
    );
}

#[test]
fn documents_and_acronyms_are_not_described_persons() {
    let r = run(
        None,
        "Anna Berg presented the figures. The report said the port lost money. The PBO added that costs rose.",
        None,
        &[berg()],
    );
    assert!(r.statements.is_empty(), "{:#?}", r.statements);
}

#[test]
fn apposition_with_a_possessive_name_keeps_the_speaker() {
    let other = EntityType::Other;
    let r = run(
        None,
        "\u{201C}We needed a rival to learn from,\u{201D} Jana Roevik, Norland\u{2019}s trade chief and the architect of the pact, said on Friday.",
        None,
        &[("Jana Roevik", "new:other:jana-roevik", other, N, None)],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "new:other:jana-roevik");
    assert_eq!(s.content, "We needed a rival to learn from,");
}

#[test]
fn quotation_over_paragraphs_gives_one_statement_per_paragraph() {
    let r = run(
        None,
        "\u{201C}The ferry is old,\u{201D} Berg said. \u{201C}We asked for a new one in May.\n\n\u{201C}Nobody answered our letters for a whole year.\u{201D}",
        None,
        &[berg_short()],
    );
    assert_eq!(r.statements.len(), 3, "{:#?}", r.statements);
    let contents: Vec<&str> = r.statements.iter().map(|s| s.content.as_str()).collect();
    assert_eq!(
        contents,
        [
            "The ferry is old,",
            "We asked for a new one in May",
            "Nobody answered our letters for a whole year"
        ]
    );
    assert!(r
        .statements
        .iter()
        .all(|s| s.speaker == "kb:berg" && s.quote));
    assert!(r.statements[2].cue.is_none());
}

#[test]
fn clause_after_an_adjunct_without_that() {
    let r = run(
        None,
        "Anna Berg said in her annual speech she was ready to reopen the border talks.",
        None,
        &[berg()],
    );
    let s = only(&r);
    assert_eq!(s.content, "she was ready to reopen the border talks");
    // A mental verb after a modal is a possibility, not a position.
    let r = run(
        None,
        "Voters could think about the new tax each time they buy fuel.",
        None,
        &[],
    );
    assert!(r.statements.is_empty(), "{:#?}", r.statements);
}

#[test]
fn clause_before_a_group_cue_and_no_coordinated_adjunct_after_it() {
    let r = run(
        None,
        "Details of the offer began to circulate amid worries the bid will fail, sources said, and as workers at the yard worry about cuts that could come with a new owner.",
        None,
        &[],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "new:group:sources");
    assert_eq!(
        s.content,
        "Details of the offer began to circulate amid worries the bid will fail"
    );
    let r = run(
        None,
        "Howell says about 550 students attend the school every day.",
        None,
        &[("Howell", "new:person:howell", P, N, None)],
    );
    assert_eq!(
        only(&r).content,
        "about 550 students attend the school every day"
    );
}

#[test]
fn bare_group_noun_refers_back_to_the_fuller_phrase() {
    let r = run(
        None,
        "Sources close to the talks said the ports had agreed on a price. The deal could be signed in June, sources said.",
        None,
        &[],
    );
    assert_eq!(r.statements.len(), 2, "{:#?}", r.statements);
    let id = "new:group:sources-close-to-the-talks";
    assert!(r.statements.iter().all(|s| s.speaker == id));
    assert_eq!(r.statements[1].speaker_text.as_deref(), Some("sources"));
    assert_eq!(r.entities.len(), 1);
    assert_eq!(r.entities[0].name, "sources close to the talks");
}

#[test]
fn participle_post_modifier_stays_in_the_group_name() {
    let r = run(
        None,
        "But people arrested at the harbour camp alleged that the guards had used too much force.",
        None,
        &[],
    );
    let s = only(&r);
    assert_eq!(s.speaker, "new:group:people-arrested-at-the-harbour-camp");
    assert_eq!(s.content, "the guards had used too much force");
}

#[test]
fn unlinked_pronoun_takes_the_group_or_organisation_that_spoke_before() {
    let r = run(
        None,
        "Several shipping executives have warned about the new tolls. They say the ferries will move to other ports.",
        None,
        &[],
    );
    assert_eq!(r.statements.len(), 2, "{:#?}", r.statements);
    let id = "new:group:shipping-executives";
    assert!(r.statements.iter().all(|s| s.speaker == id));
    assert_eq!(
        r.statements[1].content,
        "the ferries will move to other ports"
    );
    // A person before does not fit "they".
    let r = run(
        None,
        "Anna Berg said the tolls were fair. They say the ferries will move to other ports.",
        None,
        &[berg()],
    );
    assert_eq!(only(&r).speaker, "kb:berg");
}

//! Interactions that are not statements: meetings, visits, calls and signings, with their
//! actors, place and date ("in a meeting with visiting X in Y on Wednesday").

use stancegraph_model::{EntityType, Event, MentionKind};

use crate::attribute::{subject_before, Found};
use crate::doc::Ctx;
use crate::lexicon::fw;

/// The actor heads of the coordinated noun phrases starting at token `k`.
fn actor_phrases(ctx: &Ctx, mut k: usize, hi: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut head: Option<usize> = None;
    while k < hi {
        if let Some(m) = ctx.mention_at(k) {
            let men = &ctx.mentions[m];
            if men.etype.is_actor() && !men.synthetic && !ctx.is_possessive(m) {
                head = Some(m);
            }
            k = ctx.mentions[m].t1.max(k + 1);
            continue;
        }
        let t = ctx.toks[k];
        let low = ctx.low(k);
        if !t.word {
            match ctx.tok_text(k) {
                "," => {
                    out.extend(head.take());
                }
                "-" | "'" | "\u{2019}" => {}
                _ => break,
            }
            k += 1;
            continue;
        }
        let possessive_s =
            low == "s" && k > 0 && matches!(ctx.punct(k - 1), Some('\'' | '\u{2019}'));
        let name_of = low == "of" && k > 0 && ctx.toks[k - 1].cap;
        if low == "and" {
            out.extend(head.take());
        } else if !possessive_s
            && !name_of
            && (ctx.flags(k) & fw::PREP != 0 || !(t.cap || ctx.flags(k) & fw::NP != 0))
        {
            break;
        }
        k += 1;
    }
    out.extend(head);
    out
}

/// The place named after the trigger ("in Tehran").
fn place_after(ctx: &Ctx, from: usize, hi: usize) -> Option<String> {
    let mut k = from;
    while k < hi {
        if ctx.flags(k) & fw::LOCPREP != 0 && ctx.low(k) != "at" {
            let mut j = k + 1;
            while j < hi && ctx.flags(j) & fw::NP != 0 {
                j += 1;
            }
            if let Some(m) = ctx.mention_at(j) {
                let men = &ctx.mentions[m];
                if men.etype == EntityType::Location
                    || men.kind == MentionKind::Metonym
                    || men.etype == EntityType::Country
                {
                    let id = ctx.entity_id(m);
                    if !id.is_empty() {
                        return Some(id.to_string());
                    }
                }
            }
        }
        k += 1;
    }
    None
}

/// Finds the interactions of a document.
pub(crate) fn find_events(ctx: &Ctx, found: &[Found]) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    // (sentence, speaker of its first statement with a cue), sorted by sentence.
    let mut speaker_of_sentence: Vec<(usize, usize)> = Vec::new();
    for f in found.iter().filter(|f| f.cue.is_some()) {
        if let Err(at) = speaker_of_sentence.binary_search_by_key(&f.sent, |x| x.0) {
            speaker_of_sentence.insert(at, (f.sent, f.speaker));
        }
    }
    let n = ctx.toks.len();
    // The first token not yet inside a trigger found.
    let mut next = 0;
    for &trigger in &ctx.triggers {
        let i = trigger as usize;
        if i < next {
            continue;
        }
        let Some(&t) = ctx.toks.get(i) else {
            continue;
        };
        if ctx
            .lex
            .kinds
            .get(t.entry as usize)
            .is_none_or(|k| k & crate::lexicon::kind::EVENT == 0)
        {
            continue;
        }
        let entry = match ctx.entry(i) {
            Some(e) if t.word && !e.events.is_empty() && t.mention == crate::doc::NONE => e,
            _ => continue,
        };
        let mut best: Option<(usize, usize)> = None;
        for &eid in &entry.events {
            let Some(def) = ctx.lex.events.get(eid as usize) else {
                continue;
            };
            let mut j = i + 1;
            let ok = def.rest.iter().all(|w| {
                let hit = j < n && ctx.toks[j].word && ctx.low(j) == w.as_str();
                j += 1;
                hit
            });
            if ok && best.is_none_or(|b| j > b.1) {
                best = Some((eid as usize, j));
            }
        }
        let Some((eid, j)) = best else {
            continue;
        };
        next = j;
        let def = &ctx.lex.events[eid];
        let si = t.sent as usize;
        let Some(sent) = ctx.sents.get(si).copied() else {
            continue;
        };
        let (lo, hi) = (sent.t0, sent.t1);
        let start = if def.partner_with {
            (j..hi).find(|&k| ctx.low(k) == "with").map(|k| k + 1)
        } else {
            Some(j)
        };
        let partners = start.map(|s| actor_phrases(ctx, s, hi)).unwrap_or_default();
        let mut place = place_after(ctx, j, hi);
        // With no partner only a visit to a place has actors enough (the subject alone).
        if partners.is_empty() && (def.event_type != "visit" || place.is_none()) {
            continue;
        }
        let named = |m: &usize| !ctx.mentions[*m].synthetic;
        let subject = subject_before(ctx, i, lo)
            .filter(named)
            .map(|m| ctx.entity_id(m).to_string())
            .or_else(|| {
                speaker_of_sentence
                    .binary_search_by_key(&si, |x| x.0)
                    .ok()
                    .map(|at| speaker_of_sentence[at].1)
                    .filter(named)
                    .map(|m| ctx.entity_id(m).to_string())
            });
        let mut actors: Vec<String> = subject.into_iter().collect();
        for &p in &partners {
            let id = ctx.entity_id(p).to_string();
            if def.event_type == "visit"
                && matches!(ctx.mentions[p].etype, EntityType::Country)
                && place.is_none()
            {
                place = Some(id.clone());
            }
            actors.push(id);
        }
        actors.retain(|a| !a.is_empty());
        actors.sort();
        actors.dedup();
        let enough = actors.len() >= 2
            || (def.event_type == "visit" && place.is_some() && !actors.is_empty());
        if enough {
            let end = partners
                .last()
                .map_or(ctx.toks[j - 1].end, |&p| ctx.mentions[p].span.end);
            let dup = out.iter().any(|e| {
                e.sentence == sent.index && e.event_type == def.event_type && e.actors == actors
            });
            if !dup {
                out.push(Event {
                    doc: ctx.doc.id.clone(),
                    sentence: sent.index,
                    start: t.start,
                    end: end.max(t.end),
                    evidence: ctx.folded(sent.span),
                    event_type: def.event_type.clone(),
                    actors,
                    place,
                    date: ctx.date_in_sentence(si),
                    code: Some(def.code.clone()),
                });
            }
        }
    }
    out
}

//! Stance and targets: scoped polarity of statement content (negation, reversal,
//! harm frames, intensifiers), the actors a statement is about with the stance toward
//! each, and the resolution of descriptive speakers ("Iranian Speaker").

use stancegraph_model::{EntityType, MentionKind, Span, Target};

use crate::attribute::{governing_prep, Cue, Found};
use crate::doc::Ctx;
use crate::lexicon::{fw, CueClass, Polar};

/// Scoped polarity sum over tokens `[t0, t1)`.
pub(crate) fn polarity(ctx: &Ctx, t0: usize, t1: usize) -> f32 {
    let mut sum = 0.0f32;
    let mut negate = 0u32;
    let mut reverse = 0u32;
    let mut harm = 0u32;
    let mut intens = 1.0f32;
    let toks = ctx.toks.get(t0..t1.min(ctx.toks.len())).unwrap_or(&[]);
    for t in toks {
        if !t.word {
            // (A character beyond the Basic Multilingual Plane is none of these.)
            if is_clause_stop(t.punct) {
                negate = 0;
                reverse = 0;
                harm = 0;
                intens = 1.0;
            }
            continue;
        }
        let entry = if t.entry == crate::doc::NONE {
            None
        } else {
            ctx.lex.entries.get(t.entry as usize)
        };
        let Some(e) = entry else {
            negate = negate.saturating_sub(1);
            reverse = reverse.saturating_sub(1);
            harm = harm.saturating_sub(1);
            continue;
        };
        let mut value: Option<f32> = None;
        match e.polar {
            Some(Polar::Negator) => negate = 4,
            Some(Polar::Reverser) => reverse = 7,
            Some(Polar::Intensifier(w)) => intens = w,
            Some(Polar::Neg(w)) | Some(Polar::Act(w)) => {
                value = Some(if reverse > 0 { 0.8 * w } else { -w })
            }
            Some(Polar::Harm(w)) => {
                value = Some(if reverse > 0 { 0.8 * w } else { -w });
                harm = 5;
            }
            Some(Polar::Pos(w)) => {
                value = Some(if harm > 0 {
                    -0.8 * w
                } else if reverse > 0 {
                    -0.5 * w
                } else {
                    w
                })
            }
            None => {
                // Position verbs inside the content ("they condemned ...").
                if let Some(&(cid, _)) = e.cues.first() {
                    let p = ctx.lex.cues.get(cid as usize).map_or(0.0, |c| c.polarity);
                    if p != 0.0 && t.mention == crate::doc::NONE {
                        value = Some(0.8 * p);
                    }
                }
            }
        }
        if let Some(mut v) = value {
            if negate > 0 {
                v *= -0.8;
            }
            sum += v * intens;
            intens = 1.0;
        }
        negate = negate.saturating_sub(1);
        reverse = reverse.saturating_sub(1);
        if !matches!(e.polar, Some(Polar::Harm(_))) {
            harm = harm.saturating_sub(1);
        }
    }
    sum
}

/// Whether [`crate::doc::Tok::punct`] is a mark that ends a polarity scope (comma, full
/// stop, semicolon, colon, exclamation or question mark).
#[inline]
fn is_clause_stop(punct: u16) -> bool {
    matches!(
        char::from_u32(u32::from(punct)),
        Some(',' | '.' | ';' | ':' | '!' | '?')
    )
}

fn squash(x: f32) -> f32 {
    x / (0.5 + x.abs())
}

/// The tokens `[a, b)` starting inside a byte span, searched first among the tokens of
/// sentence `sent` (where a statement's content mostly lies).
pub(crate) fn tok_range(ctx: &Ctx, span: Span, sent: usize) -> (usize, usize) {
    let (lo, hi) = ctx.sents.get(sent).map_or((0, 0), |s| (s.t0, s.t1));
    let a = first_tok_at(ctx, span.start, lo, hi);
    let b = first_tok_at(ctx, span.end, a, hi);
    (a, b)
}

/// `ctx.toks.partition_point(|t| t.start < pos)`, searched within the tokens `[lo, hi]`
/// when the answer lies there (the token before `lo` starts before `pos`, the token at
/// `hi` does not), else over all tokens.
fn first_tok_at(ctx: &Ctx, pos: usize, lo: usize, hi: usize) -> usize {
    let toks = &ctx.toks;
    let before = |t: &crate::doc::Tok| t.start < pos;
    let hi = hi.min(toks.len());
    if lo <= hi
        && (lo == 0 || toks.get(lo - 1).is_some_and(before))
        && toks.get(hi).is_none_or(|t| !before(t))
    {
        if let Some(window) = toks.get(lo..hi) {
            return lo + window.partition_point(before);
        }
    }
    toks.partition_point(before)
}

/// Whether a negator stands right before the cue ("did not condemn").
fn cue_negated(ctx: &Ctx, cue: &Cue) -> bool {
    let lo = cue.t0.saturating_sub(3);
    (lo..cue.t0).any(|k| matches!(ctx.entry(k).and_then(|e| e.polar), Some(Polar::Negator)))
}

/// Overall stance of a statement in [-1, 1], its content holding the tokens `[a, b)` (see
/// [`tok_range`]).
pub(crate) fn statement_stance(ctx: &Ctx, cue: Option<&Cue>, (a, b): (usize, usize)) -> f32 {
    let c = polarity(ctx, a, b);
    let mut cue_pol = cue.map_or(0.0, |c| c.polarity);
    if let Some(cue) = cue {
        if cue_pol != 0.0 && cue_negated(ctx, cue) {
            cue_pol *= -0.5;
        }
    }
    let s = if cue_pol != 0.0 {
        0.8 * cue_pol + 0.2 * squash(c)
    } else {
        squash(c)
    };
    (s.clamp(-1.0, 1.0) * 100.0).round() / 100.0
}

/// The country entity id a person, organisation or group belongs to.
fn country_of<'a>(ctx: &Ctx<'a>, entity: &stancegraph_model::Entity) -> Option<&'a str> {
    let code = entity.country.as_deref()?;
    let idx = ctx.country_entity(code)?;
    ctx.linked.entities.get(idx).map(|e| e.id.as_str())
}

/// Whether an actor mention right after an act word is its victim ("the killing of X").
fn is_victim(ctx: &Ctx, m: usize, lo: usize) -> bool {
    let t0 = ctx.mentions[m].t0;
    let mut k = t0;
    let mut steps = 0;
    while k > lo && steps < 10 {
        k -= 1;
        steps += 1;
        if !ctx.toks[k].word && !matches!(ctx.punct(k), Some('-' | '\'' | '\u{2019}')) {
            return false;
        }
        if matches!(ctx.low(k), "of" | "on" | "against")
            && k > lo
            && matches!(ctx.entry(k - 1).and_then(|e| e.polar), Some(Polar::Act(_)))
        {
            return true;
        }
    }
    false
}

/// The targets of a statement: actors in its content with a stance toward each.
pub(crate) fn targets(
    ctx: &Ctx,
    f: &Found,
    cue: Option<&Cue>,
    stance: f32,
    speaker_id: &str,
    (a, b): (usize, usize),
) -> Vec<Target> {
    let speaker_entity = ctx.entity(f.speaker);
    let speaker_country = speaker_entity.and_then(|e| {
        if e.entity_type == EntityType::Country {
            Some(e.id.as_str())
        } else {
            country_of(ctx, e)
        }
    });
    let speaker_code = speaker_entity.and_then(|e| e.country.as_deref());
    let affiliations: &[String] = speaker_entity.map_or(&[], |e| e.affiliations.as_slice());
    let lo = ctx.sents.get(f.sent).map_or(0, |s| s.t0).min(a);
    // The first word of the object phrase, after determiners.
    let mut obj = a;
    while obj < b && ctx.flags(obj) & fw::NP != 0 && ctx.mention_at(obj).is_none() {
        obj += 1;
    }
    let cue_pol = cue.map_or(0.0, |c| c.polarity);
    let mut out: Vec<Target> = Vec::new();
    let mut k = a;
    while k < b {
        let Some(m) = ctx.mention_at(k) else {
            k += 1;
            continue;
        };
        let men = ctx.mentions[m];
        k = men.t1.max(k + 1);
        if !men.etype.is_actor() || men.synthetic || men.span.end > f.content.end {
            continue;
        }
        let id = ctx.entity_id(m);
        if id.is_empty() || id == speaker_id {
            continue;
        }
        let takes_object = cue.is_some_and(|c| matches!(c.class, CueClass::Act | CueClass::Light));
        let is_object = takes_object && !f.quote && men.t0 == obj;
        let entity = ctx.entity(m);
        if !is_object {
            if Some(id) == speaker_country || affiliations.iter().any(|x| x == id) {
                continue;
            }
            // Compatriots of the speaker in the content hold positions, they are not targets.
            if let (Some(code), Some(e)) = (speaker_code, entity) {
                if e.entity_type != EntityType::Country && e.country.as_deref() == Some(code) {
                    continue;
                }
            }
        }
        if matches!(men.etype, EntityType::Country | EntityType::Location)
            && men.kind != MentionKind::Demonym
        {
            if let Some(p) = governing_prep(ctx, m, lo, 0) {
                if ctx.flags(p) & fw::LOCPREP != 0 {
                    continue;
                }
            }
        }
        if is_victim(ctx, m, a) {
            continue;
        }
        let local = polarity(ctx, men.t0.saturating_sub(5).max(a), (men.t1 + 5).min(b));
        let st = if local.abs() >= 0.3 {
            squash(local)
        } else if cue_pol != 0.0 {
            cue_pol
        } else {
            stance * 0.5
        };
        let st = (st.clamp(-1.0, 1.0) * 100.0).round() / 100.0;
        match out.iter_mut().find(|t| t.entity == id) {
            Some(t) => {
                if st.abs() > t.stance.abs() {
                    t.stance = st;
                }
            }
            None => out.push(Target {
                entity: id.to_string(),
                stance: st,
            }),
        }
    }
    out.sort_by(|x, y| x.entity.cmp(&y.entity));
    out
}

/// A demonym standing for a described person ("Iranian Speaker", "the Iranian official")
/// is resolved to that person: in a headline, the first compatriot person in the next
/// sentences; elsewhere, the latest compatriot person mentioned before. Returns the speaker
/// mention and whether it is the mention written at the cue; `None` drops the statement.
pub(crate) fn resolve_description(ctx: &Ctx, m: usize, sent: usize) -> Option<(usize, bool)> {
    let men = ctx.mentions.get(m)?;
    if men.kind != MentionKind::Demonym {
        return Some((m, true));
    }
    let next = men.t1;
    let described = ctx.toks.get(next).is_some_and(|t| {
        t.word
            && t.mention == crate::doc::NONE
            && ctx.flags(next) & (fw::PREP | fw::COMP | fw::AUX | fw::COORD) == 0
            && ctx.entry(next).is_none_or(|e| e.cues.is_empty())
    });
    if !described {
        return Some((m, true));
    }
    let code = ctx.entity(m).and_then(|e| e.country.as_deref())?;
    let role = ctx.low(next);
    let headline = ctx.doc.title.is_some() && ctx.sents.get(sent).is_some_and(|s| s.index == 0);
    let fits = |i: usize| {
        let x = &ctx.mentions[i];
        x.etype == EntityType::Person
            && ctx.entity(i).is_some_and(|e| {
                e.country.as_deref() == Some(code)
                    || e.affiliations.iter().any(|a| {
                        ctx.country_entity(code)
                            .and_then(|ci| ctx.linked.entities.get(ci))
                            .is_some_and(|ce| &ce.id == a)
                    })
            })
    };
    if headline {
        let end_sent = (sent + 4).min(ctx.sents.len());
        let hi = ctx
            .sents
            .get(end_sent.saturating_sub(1))
            .map_or(0, |s| s.t1);
        let lo = ctx.sents.get(sent + 1).map_or(hi, |s| s.t0);
        let candidates: Vec<usize> = (0..ctx.mentions.len())
            .filter(|&i| ctx.mentions[i].t0 >= lo && ctx.mentions[i].t1 <= hi && fits(i))
            .collect();
        let by_role = candidates.iter().copied().find(|&i| {
            ctx.entity(i).is_some_and(|e| {
                e.roles
                    .iter()
                    .any(|r| r.to_ascii_lowercase().contains(role))
            })
        });
        return by_role.or(candidates.first().copied()).map(|i| (i, false));
    }
    let para = ctx.sents.get(sent).map_or(0, |s| s.paragraph);
    let found = (0..m).rev().find(|&i| {
        fits(i)
            && ctx
                .sents
                .get(ctx.toks[ctx.mentions[i].t0].sent as usize)
                .is_some_and(|s| s.paragraph + 3 >= para)
    });
    Some(found.map_or((m, true), |i| (i, false)))
}

#[cfg(test)]
mod clause_stop_tests {
    #[test]
    fn clause_stops_match_the_characters_of_every_token_code() {
        for p in 0..=u16::MAX {
            let expected = matches!(
                char::from_u32(u32::from(p)),
                Some(',' | '.' | ';' | ':' | '!' | '?')
            );
            assert_eq!(super::is_clause_stop(p), expected, "{p:#x}");
        }
        assert!(!super::is_clause_stop(crate::doc::ASTRAL));
        assert!(super::is_clause_stop(u16::from(b';')));
    }
}

#[cfg(test)]
mod tok_range_tests {
    use stancegraph_model::{Sentence, Span};

    use crate::doc::Ctx;
    use crate::lexicon::Lexicon;

    /// The token range by searching all tokens.
    fn reference(ctx: &Ctx, span: Span) -> (usize, usize) {
        let a = ctx.toks.partition_point(|t| t.start < span.start);
        let b = ctx.toks.partition_point(|t| t.start < span.end);
        (a, b)
    }

    /// Checks every span of `text` against every sentence hint (and hints past the end).
    fn check(text: &str, cuts: &[usize]) {
        let lex = Lexicon::embedded().unwrap();
        let mut bounds: Vec<usize> = cuts
            .iter()
            .map(|&c| c.min(text.len()))
            .filter(|&c| text.is_char_boundary(c))
            .collect();
        bounds.push(0);
        bounds.push(text.len());
        bounds.sort_unstable();
        bounds.dedup();
        let sentences = bounds
            .windows(2)
            .enumerate()
            .map(|(index, w)| Sentence {
                index,
                span: Span::new(w[0], w[1]),
                paragraph: 0,
                tokens: Span::new(0, 0),
                quote: None,
            })
            .collect();
        let (doc, seg, linked) = crate::doc::bare_parts(text, sentences);
        let ctx = Ctx::new(&lex, &doc, &seg, &linked);
        for a in 0..=text.len() + 1 {
            for b in a..=text.len() + 2 {
                let span = Span::new(a, b);
                let want = reference(&ctx, span);
                for sent in 0..ctx.sents.len() + 2 {
                    assert_eq!(
                        super::tok_range(&ctx, span, sent),
                        want,
                        "{text:?} {a}..{b} sentence {sent}"
                    );
                }
            }
        }
    }

    #[test]
    fn windowed_token_ranges_match_the_full_search() {
        check("He said it. They met again, twice.", &[12]);
        check("One. Two three. Four", &[5, 16]);
        check("", &[]);
        check("  x  ", &[1, 3]);
    }

    proptest::proptest! {
        #[test]
        fn windowed_token_ranges_match_the_full_search_on_any_layout(
            text in "[a-c .,\u{E9}]{0,24}",
            cuts in proptest::collection::vec(0usize..26, 0..4),
        ) {
            check(&text, &cuts);
        }
    }
}

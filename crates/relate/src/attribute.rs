//! Statement attribution: finds cue phrases, the speaker each one belongs to (subject,
//! inverted, coordinated, participial opener, "according to"), and its content (clause,
//! object phrase or quotation), then gives cue-less quotations to the speaker the context
//! provides.

use std::borrow::Cow;

use stancegraph_model::{EntityType, MentionKind, Span};

use crate::doc::Ctx;
use crate::lexicon::{fw, CueClass, Form, Lexicon};

/// One cue phrase found in the text.
#[derive(Debug, Clone)]
pub(crate) struct Cue {
    /// Token range `[t0, t1)`, particles included.
    pub t0: usize,
    pub t1: usize,
    pub span: Span,
    /// The definition in `Lexicon::cues`, or [`NO_DEF`] for "according to".
    pub def: u32,
    /// The stance noun of a light verb in `Lexicon::nouns`, or [`NO_DEF`].
    pub noun: u32,
    pub polarity: f32,
    pub class: CueClass,
    pub form: Form,
    /// "according to X".
    pub according: bool,
    /// The cue may take an object phrase as its content.
    pub takes_object: bool,
    /// Index into `Ctx::sents`.
    pub sent: usize,
}

/// A statement before stance and targets are added.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Index into the cue list; `None` for a floating quotation.
    pub cue: Option<usize>,
    /// Speaker mention index.
    pub speaker: usize,
    /// Whether the speaker mention is the one written at the cue.
    pub speaker_at_cue: bool,
    pub content: Span,
    pub quote: bool,
    /// Index into `Ctx::sents` of the cue (or of the quotation's start when floating).
    pub sent: usize,
    /// The content follows the cue and runs to the end of the sentence until cut.
    pub open: bool,
}

/// Whether a token character (see [`Ctx::punct`]) is a quotation mark.
fn is_quote_mark(c: Option<char>) -> bool {
    matches!(
        c,
        Some('\u{201C}' | '\u{201D}' | '"' | '\u{00AB}' | '\u{00BB}' | '\u{2018}' | '\u{2019}')
    )
}

/// Whether a token character (see [`Ctx::punct`]) is a closing quotation mark.
fn is_close_mark(c: Option<char>) -> bool {
    matches!(c, Some('\u{201D}' | '"' | '\u{00BB}'))
}

/// [`Cue::def`] and [`Cue::noun`] when there is none.
pub(crate) const NO_DEF: u32 = u32::MAX;

impl Cue {
    /// The predicate: "according to", the cue's lemma, or for a light verb the lemma and
    /// the stance noun ("express concern").
    pub(crate) fn predicate<'l>(&self, lex: &'l Lexicon) -> Cow<'l, str> {
        let Some(def) = lex.cues.get(self.def as usize) else {
            return Cow::Borrowed("according to");
        };
        match lex.nouns.get(self.noun as usize) {
            Some(noun) => {
                let mut p = String::with_capacity(def.lemma.len() + 1 + noun.noun.len());
                p.push_str(&def.lemma);
                p.push(' ');
                p.push_str(&noun.noun);
                Cow::Owned(p)
            }
            None => Cow::Borrowed(def.lemma.as_str()),
        }
    }

    /// Whether the predicate is the single word `word`.
    fn predicate_is(&self, lex: &Lexicon, word: &str) -> bool {
        self.noun == NO_DEF
            && lex
                .cues
                .get(self.def as usize)
                .is_some_and(|d| d.lemma == word)
    }

    /// The CAMEO code: of the stance noun for a light verb, else of the cue.
    pub(crate) fn code<'l>(&self, lex: &'l Lexicon) -> &'l str {
        if let Some(noun) = lex.nouns.get(self.noun as usize) {
            return noun.code.as_str();
        }
        lex.cues
            .get(self.def as usize)
            .map_or("010", |d| d.code.as_str())
    }
}

/// Finds every cue phrase (into `out`, cleared first), trying the tokens whose word may
/// start one ([`Ctx::triggers`]).
pub(crate) fn find_cues(ctx: &Ctx, out: &mut Vec<Cue>) {
    let lex = ctx.lex;
    out.clear();
    let n = ctx.toks.len();
    // The first token not yet inside a cue found.
    let mut next = 0;
    for &trigger in &ctx.triggers {
        let i = trigger as usize;
        if i < next {
            continue;
        }
        let Some(&t) = ctx.toks.get(i) else {
            continue;
        };
        if !t.word
            || t.mention != crate::doc::NONE
            || lex
                .kinds
                .get(t.entry as usize)
                .is_none_or(|k| k & crate::lexicon::kind::CUE == 0)
        {
            continue;
        }
        let Some(entry) = ctx.entry(i) else {
            continue;
        };
        let mut best: Option<Cue> = None;
        if entry.flags & fw::ACCORDING != 0 && ctx.low(i + 1) == "to" {
            best = Some(Cue {
                t0: i,
                t1: i + 2,
                span: Span::new(t.start, ctx.toks[i + 1].end),
                def: NO_DEF,
                noun: NO_DEF,
                polarity: 0.0,
                class: CueClass::Say,
                form: Form::Base,
                according: true,
                takes_object: false,
                sent: t.sent as usize,
            });
        }
        for &(cid, form) in &entry.cues {
            let Some(def) = lex.cues.get(cid as usize) else {
                continue;
            };
            let mut j = i + 1;
            let mut ok = true;
            for w in &def.rest {
                if j < n && ctx.toks[j].word && ctx.low(j) == w.as_str() {
                    j += 1;
                } else {
                    ok = false;
                    break;
                }
            }
            if !ok {
                continue;
            }
            let mut noun_id = NO_DEF;
            let mut polarity = def.polarity;
            let mut particles: &[String] = &def.particles;
            if def.class == CueClass::Light {
                let mut k = j;
                while k < n && k < j + 3 && ctx.flags(k) & fw::GAP != 0 {
                    k += 1;
                }
                let Some(nid) = ctx.entry(k).and_then(|e| e.noun) else {
                    continue;
                };
                let Some(noun) = lex.nouns.get(nid as usize) else {
                    continue;
                };
                noun_id = nid;
                polarity = noun.polarity;
                particles = &noun.particles;
                j = k + 1;
            }
            if j < n && ctx.toks[j].word && particles.iter().any(|p| ctx.low(j) == p.as_str()) {
                j += 1;
            }
            if best.as_ref().is_none_or(|b| j > b.t1) {
                best = Some(Cue {
                    t0: i,
                    t1: j,
                    span: Span::new(t.start, ctx.toks[j - 1].end),
                    def: cid,
                    noun: noun_id,
                    polarity,
                    class: def.class,
                    form,
                    according: false,
                    takes_object: def.takes_object || def.class == CueClass::Light,
                    sent: t.sent as usize,
                });
            }
        }
        if let Some(c) = best {
            next = c.t1;
            out.push(c);
        }
    }
}

/// If mention `m` sits inside a prepositional phrase, the token of its preposition.
pub(crate) fn governing_prep(ctx: &Ctx, m: usize, lo: usize, depth: u32) -> Option<usize> {
    let mut j = ctx.mentions.get(m)?.t0;
    while j > lo {
        let k = j - 1;
        if let Some(m2) = ctx.mention_at(k) {
            j = ctx.mentions[m2].t0.min(k);
            continue;
        }
        let t = ctx.toks[k];
        if !t.word {
            let s = ctx.tok_text(k);
            if s == "-" {
                j = k;
                continue;
            }
            if s == ")" {
                let mut d = k;
                while d > lo && !ctx.is_punct(d, '(') {
                    d -= 1;
                }
                j = d;
                continue;
            }
            let listed = ctx
                .mentions
                .get(m)
                .is_some_and(|x| ctx.is_punct(x.t1, ',') || ctx.flags(x.t1) & fw::COORD != 0);
            if s == "," && depth < 3 && k > lo && listed {
                if let Some(m2) = ctx.mention_at(k - 1) {
                    return governing_prep(ctx, m2, lo, depth + 1);
                }
            }
            return None;
        }
        let low = ctx.low(k);
        if low == "s" && k > lo && (ctx.is_punct(k - 1, '\'') || ctx.is_punct(k - 1, '\u{2019}')) {
            j = k - 1;
            continue;
        }
        let f = ctx.flags(k);
        if f & fw::PREP != 0 {
            if low == "of" && k > lo && ctx.toks[k - 1].word && ctx.toks[k - 1].cap {
                j = k;
                continue;
            }
            return Some(k);
        }
        if f & fw::NP != 0 || t.cap {
            j = k;
            continue;
        }
        if f & fw::COORD != 0 && depth < 3 && k > lo {
            if let Some(m2) = ctx.mention_at(k - 1) {
                return governing_prep(ctx, m2, lo, depth + 1);
            }
        }
        return None;
    }
    None
}

/// Whether mention `m` can be a speaker or subject at all.
fn speaker_candidate(ctx: &Ctx, m: usize, lo: usize) -> bool {
    speaker_type(ctx, m) && !ctx.is_possessive(m) && governing_prep(ctx, m, lo, 0).is_none()
}

/// Whether mention `m` heads its comma-delimited phrase: no preposition, complementiser
/// or relative word between the previous comma (or token `lo`) and it ("the panel that
/// handles Acme Development" does not).
fn heads_phrase(ctx: &Ctx, m: usize, lo: usize) -> bool {
    let mut k = ctx.mentions[m].t0;
    while k > lo {
        k -= 1;
        if ctx.is_punct(k, ',') {
            break;
        }
        if ctx.toks[k].word
            && (ctx.flags(k) & (fw::PREP | fw::COMP) != 0
                || matches!(ctx.low(k), "who" | "which" | "that" | "whose"))
        {
            return false;
        }
    }
    true
}

/// "after Jane Roe said ...": an actor after a subordinating conjunction that the word
/// table lists as a preposition, right before the cue.
fn subordinated(ctx: &Ctx, m: usize, from: usize, lo: usize) -> bool {
    governing_prep(ctx, m, lo, 0).is_some_and(|p| {
        p + 1 == ctx.mentions[m].t0
            && matches!(
                ctx.low(p),
                "after" | "before" | "since" | "until" | "as" | "because" | "once"
            )
    }) && (ctx.mentions[m].t1..from).all(|k| ctx.toks[k].word && ctx.flags(k) & fw::AUX != 0)
}

/// "Jane Roe of Acme said": the person (or untyped full name) named right before "of".
fn person_of(ctx: &Ctx, m: usize, lo: usize) -> Option<usize> {
    let t0 = ctx.mentions[m].t0;
    if t0 < lo + 2 || ctx.low(t0 - 1) != "of" {
        return None;
    }
    let p = ctx.mention_at(t0 - 2)?;
    let pm = &ctx.mentions[p];
    (ctx.mentions[m].etype != EntityType::Person
        && pm.t1 == t0 - 1
        && (pm.etype == EntityType::Person
            || (pm.etype == EntityType::Other && speaker_type(ctx, p)))
        && !ctx.is_possessive(p))
    .then_some(p)
}

fn actor(ctx: &Ctx, m: usize) -> bool {
    ctx.mentions[m].etype.is_actor()
}

/// Whether only auxiliaries, commas and numbers ("Jane Roe, 50, says") or one apposition
/// stand between mention `m` and token `cue`.
fn next_to_cue(ctx: &Ctx, m: usize, cue: usize) -> bool {
    let t1 = ctx.mentions[m].phrase_end;
    if ctx.is_punct(t1, ',') && cue > t1 + 2 && ctx.is_punct(cue - 1, ',') {
        // "Jane Roe, a co-author of the study, said": an apposition closed before the cue.
        let inner = t1 + 1..cue - 1;
        let plain = inner.clone().all(|k| {
            let possessive =
                matches!(ctx.punct(k), Some('\'' | '\u{2019}')) && ctx.low(k + 1) == "s";
            (possessive || !is_quote_mark(ctx.punct(k)))
                && !matches!(ctx.punct(k), Some(';' | ':' | '(' | ')'))
                && (ctx.toks[k].cap || ctx.entry(k).is_none_or(|e| e.cues.is_empty()))
        });
        if plain && inner.len() <= 20 {
            return true;
        }
    }
    (t1..cue).all(|k| {
        let t = ctx.toks[k];
        if t.word {
            ctx.flags(k) & fw::AUX != 0 || ctx.tok_text(k).bytes().all(|b| b.is_ascii_digit())
        } else {
            ctx.is_punct(k, ',')
        }
    })
}

/// Whether mention `m` may name a speaker: an actor, or a full name (two or more capitalised
/// words) the linker left untyped (a person it had no evidence for).
fn speaker_type(ctx: &Ctx, m: usize) -> bool {
    let men = &ctx.mentions[m];
    if men.etype.is_actor() {
        return true;
    }
    men.etype == EntityType::Other
        && men.kind == MentionKind::Name
        && men.t1 >= men.t0 + 2
        && (men.t0..men.t1).all(|k| !ctx.toks[k].word || ctx.toks[k].cap)
        && ctx
            .entity(m)
            .is_some_and(|e| e.id.starts_with("new:other:"))
}

/// The nearest subject mention before token `from`, not before token `lo`.
pub(crate) fn subject_before(ctx: &Ctx, from: usize, lo: usize) -> Option<usize> {
    let mut k = from;
    let mut steps = 0;
    let mut paren = 0i32;
    while k > lo {
        k -= 1;
        steps += 1;
        if steps > 45 {
            return None;
        }
        let t = ctx.toks[k];
        if !t.word {
            let s = ctx.punct(k);
            if is_quote_mark(s) && !matches!(s, Some('\u{2019}' | '\u{2018}')) {
                // Step over a phrase quoted inside the clause ("who lost “two belt loops”").
                let qi = ctx.quotes.partition_point(|q| q.0.end < t.end);
                match ctx.quotes.get(qi) {
                    Some(q) if q.0.end == t.end && embedded_quote(ctx, q.0) => {
                        let back = ctx.toks.partition_point(|x| x.start < q.0.start);
                        if back <= lo {
                            return None;
                        }
                        k = back;
                        continue;
                    }
                    _ => return None,
                }
            }
            match s {
                Some(';') => return None,
                Some(')') => paren += 1,
                Some('(') => paren -= 1,
                _ => {}
            }
            continue;
        }
        if paren > 0 {
            continue;
        }
        if let Some(m) = ctx.mention_at(k) {
            k = ctx.mentions[m].t0.max(lo);
            if ctx.mentions[m].synthetic {
                // An unnamed or collective speaker phrase speaks only right before its cue.
                if next_to_cue(ctx, m, from) {
                    return Some(m);
                }
                continue;
            }
            if speaker_candidate(ctx, m, lo) && actor(ctx, m) {
                return Some(
                    apposition_head(ctx, m, from, lo)
                        .or_else(|| person_of(ctx, m, lo))
                        .unwrap_or(m),
                );
            }
            if actor(ctx, m) && !ctx.is_possessive(m) && subordinated(ctx, m, from, lo) {
                return Some(m);
            }
            if speaker_candidate(ctx, m, lo)
                && next_to_cue(ctx, m, from)
                && heads_phrase(ctx, m, lo)
            {
                // An untyped name ends an apposition ("Jane Roe, the head of Acme
                // Development, said"): the actor before the comma is the speaker.
                let t0 = ctx.mentions[m].t0;
                let earlier = subject_before(ctx, t0, lo).filter(|&a| {
                    actor(ctx, a) && (ctx.mentions[a].t1..t0).any(|x| ctx.is_punct(x, ','))
                });
                return Some(earlier.unwrap_or(m));
            }
            // "A statement from Acme said": the author of a document.
            if actor(ctx, m) && !ctx.is_possessive(m) && next_to_cue(ctx, m, from) {
                let from_document = governing_prep(ctx, m, lo, 0).is_some_and(|p| {
                    p > lo
                        && ctx.low(p) == "from"
                        && matches!(
                            ctx.low(p - 1),
                            "statement"
                                | "release"
                                | "letter"
                                | "memo"
                                | "email"
                                | "post"
                                | "tweet"
                        )
                });
                if from_document {
                    return Some(m);
                }
            }
            // "Her statement said", "Trudeau's office said".
            let men = ctx.mentions[m];
            let mut n = men.t1;
            if ctx.is_punct(n, '\'') || ctx.is_punct(n, '\u{2019}') {
                n += 2;
            }
            if men.etype.is_actor()
                && ctx.is_possessive(m)
                && n + 1 >= from
                && matches!(
                    ctx.low(n),
                    "statement"
                        | "office"
                        | "spokesperson"
                        | "spokesman"
                        | "spokeswoman"
                        | "post"
                        | "letter"
                        | "tweet"
                        | "website"
                )
            {
                return Some(m);
            }
        }
    }
    None
}

/// "Smith, a Moscow-based analyst, said": when the mention found before the cue sits in a
/// comma-delimited apposition closed right before the cue (and is not a person, or the
/// apposition is a description opening with an article), the person named before the
/// opening comma.
fn apposition_head(ctx: &Ctx, m: usize, from: usize, lo: usize) -> Option<usize> {
    let men = ctx.mentions[m];
    let mut close = from;
    while close > lo && ctx.toks[close - 1].word && ctx.flags(close - 1) & fw::AUX != 0 {
        close -= 1;
    }
    if close == 0 || !ctx.is_punct(close - 1, ',') {
        return None;
    }
    let person = men.etype == EntityType::Person;
    let floor = men.t0.saturating_sub(if person { 30 } else { 16 }).max(lo);
    let mut c = men.t0;
    while c > floor {
        c -= 1;
        if ctx.toks[c].word {
            continue;
        }
        let s = ctx.punct(c);
        if s == Some(',') {
            // A person inside the apposition only yields to the head when the apposition
            // is a description ("Jane Roe, the student who met John Doe, said"), not a
            // name ("Acme's lawyer, John Doe, said").
            if person && !matches!(ctx.low(c + 1), "the" | "a" | "an") {
                return None;
            }
            let head = ctx.mention_at(c.checked_sub(1)?)?;
            let h = &ctx.mentions[head];
            return (h.etype == EntityType::Person && speaker_candidate(ctx, head, lo))
                .then_some(head);
        }
        if is_quote_mark(s) || matches!(s, Some(';' | '(' | ')' | ':')) {
            return None;
        }
    }
    None
}

/// After an organisation or place named before a title ("said Conservative Leader Jane
/// Doe", "said Acme CEO John Roe"): the person mention after at most three capitalised
/// title words, if any.
fn titled_person_after(ctx: &Ctx, m: usize, hi: usize) -> Option<usize> {
    let men = &ctx.mentions[m];
    if men.etype == EntityType::Person || men.kind == MentionKind::Pronoun {
        return None;
    }
    let mut k = men.t1;
    let mut titles = 0;
    while k < hi && titles <= 3 {
        if let Some(p) = ctx.mention_at(k) {
            let pm = &ctx.mentions[p];
            return (titles > 0 && pm.etype == EntityType::Person && !ctx.is_possessive(p))
                .then_some(p);
        }
        let t = ctx.toks[k];
        if !t.word || ctx.flags(k) & (fw::PREP | fw::COMP | fw::COORD | fw::AUX) != 0 {
            return None;
        }
        titles += 1;
        k += 1;
    }
    None
}

/// The actor phrase right after token `from` (inverted order: "said Smith"), also through
/// a possessive apposition ("says Campbell's partner, Jason Louth").
fn subject_after(ctx: &Ctx, from: usize, hi: usize) -> Option<usize> {
    let end = hi.min(from + 14);
    let mut k = from;
    let mut possessor = false;
    while k < end {
        if let Some(m) = ctx.mention_at(k) {
            let men = &ctx.mentions[m];
            let ends_phrase = ctx.toks.get(men.t1).is_none_or(|t| !t.word);
            if !(actor(ctx, m) || (k == from && ends_phrase && speaker_type(ctx, m))) {
                return None;
            }
            if !ctx.is_possessive(m) {
                return Some(titled_person_after(ctx, m, hi).unwrap_or(m));
            }
            possessor = men.kind != stancegraph_model::MentionKind::Pronoun;
            k = men.t1.max(k + 1);
            continue;
        }
        let t = ctx.toks[k];
        if !t.word {
            let s = ctx.tok_text(k);
            let abbrev = s == "."
                && k > from
                && ctx.toks[k - 1].cap
                && ctx.toks[k - 1].end - ctx.toks[k - 1].start <= 4;
            let possessive_mark = possessor && matches!(s, "'" | "\u{2019}");
            if s == "-" || abbrev || possessive_mark || (possessor && s == ",") {
                k += 1;
                continue;
            }
            return None;
        }
        let f = ctx.flags(k);
        if f & (fw::PREP | fw::COMP) != 0 && f & fw::NP == 0 {
            return None;
        }
        if ctx.entry(k).is_some_and(|e| !e.cues.is_empty()) {
            return None;
        }
        k += 1;
    }
    None
}

/// Whether a cue word stands where a verb can: not a capitalised name part, not after a
/// determiner or possessive ("the comments", "Trump's demands"), not a negated speech verb
/// ("did not say"), not a bare form followed by a preposition ("back in").
fn verb_position(ctx: &Ctx, cue: &Cue, lo: usize, hi: usize) -> bool {
    let first = first_word(ctx, cue.sent);
    let headline = ctx.doc.title.is_some() && ctx.sents[cue.sent].index == 0;
    if ctx.toks[cue.t0].cap && cue.t0 != first && !headline && !cue.according {
        return false;
    }
    if cue.t0 > lo {
        let p = cue.t0 - 1;
        let low = ctx.low(p);
        if matches!(
            low,
            "the" | "a" | "an" | "this" | "these" | "those" | "such"
        ) || ctx.flags(p) & fw::POSSESSIVE != 0
            || (low == "s" && p > lo && matches!(ctx.punct(p - 1), Some('\'' | '\u{2019}')))
        {
            return false;
        }
    }
    if matches!(cue.class, CueClass::Say | CueClass::Weak) {
        let mut k = cue.t0;
        while k > lo {
            k -= 1;
            let low = ctx.low(k);
            if matches!(
                ctx.entry(k).and_then(|e| e.polar),
                Some(crate::lexicon::Polar::Negator)
            ) {
                return false;
            }
            let skip = low == "t"
                || matches!(ctx.punct(k), Some('\'' | '\u{2019}'))
                || (ctx.toks[k].word && ctx.flags(k) & fw::AUX != 0);
            if !skip {
                break;
            }
        }
    }
    if cue.form == Form::Base
        && cue.class == CueClass::Act
        && cue.t1 < hi
        && ctx.flags(cue.t1) & fw::PREP != 0
        && ctx
            .lex
            .cues
            .iter()
            .all(|c| !cue.predicate_is(ctx.lex, &c.lemma) || c.rest.is_empty())
    {
        return false;
    }
    true
}

/// Whether a past form is a passive participle ("was praised", "has been hailed").
fn passive_before(ctx: &Ctx, t0: usize, lo: usize) -> bool {
    let mut k = t0;
    while k > lo {
        k -= 1;
        let low = ctx.low(k);
        if matches!(
            low,
            "is" | "was" | "were" | "are" | "be" | "been" | "being" | "get" | "got"
        ) || (low == "s" && k > lo && matches!(ctx.punct(k - 1), Some('\'' | '\u{2019}')))
        {
            return true;
        }
        // Adverbs between the auxiliary and the participle ("was also praised").
        let adverb_or_aux =
            low.ends_with("ly") || (ctx.toks[k].word && ctx.flags(k) & fw::AUX != 0);
        if !adverb_or_aux {
            return false;
        }
    }
    false
}

/// "X, who said ...": the mention right before a relative "who".
fn relative_subject(ctx: &Ctx, t0: usize, lo: usize) -> Option<usize> {
    let mut k = t0;
    while k > lo && ctx.toks[k - 1].word && ctx.flags(k - 1) & fw::AUX != 0 {
        k -= 1;
    }
    if k <= lo + 1 || ctx.low(k - 1) != "who" {
        return None;
    }
    let mut j = k - 1;
    if j > lo && ctx.is_punct(j - 1, ',') {
        j -= 1;
    }
    let m = ctx.mention_at(j.checked_sub(1)?)?;
    let men = &ctx.mentions[m];
    (men.etype.is_actor() && !ctx.is_possessive(m)).then_some(m)
}

/// Whether token `k` may stand in a short descriptive phrase ("the lanky professor").
fn descriptive_word(ctx: &Ctx, k: usize) -> bool {
    let t = ctx.toks[k];
    if !t.word {
        return matches!(ctx.punct(k), Some('-' | ',' | '\'' | '\u{2019}'));
    }
    // A cue word inside a hyphenated compound is an adjective ("laid-back").
    let compound = (k > 0 && ctx.is_punct(k - 1, '-')) || ctx.is_punct(k + 1, '-');
    t.mention == crate::doc::NONE
        && ctx.flags(k) & (fw::PREP | fw::COMP | fw::AUX | fw::COORD | fw::POSSESSIVE) == 0
        && (compound || ctx.entry(k).is_none_or(|e| e.cues.is_empty()))
}

/// "..., said the rookie defenceman": a definite description after an inverted cue.
fn description_after(ctx: &Ctx, from: usize, hi: usize) -> Option<(usize, usize)> {
    if from >= hi || ctx.low(from) != "the" {
        return None;
    }
    let mut k = from + 1;
    while k < hi && k < from + 8 && descriptive_word(ctx, k) && !ctx.is_punct(k, ',') {
        k += 1;
    }
    let ends = k >= hi
        || !ctx.toks[k].word
        || matches!(ctx.low(k), "who" | "whose" | "in" | "on" | "at" | "of");
    (k > from + 1 && ends && describes_person(ctx, k - 1)).then_some((from, k))
}

/// Whether the head word of a definite description can stand for a person: not a
/// capitalised name or acronym ("the SMMT"), not a document or other thing ("the report").
fn describes_person(ctx: &Ctx, head: usize) -> bool {
    let t = ctx.toks[head];
    t.word
        && !t.cap
        && ctx
            .entry(head)
            .is_none_or(|e| e.generic & crate::lexicon::gs::THING == 0)
}

/// "the mayor told ...": a definite description right before the cue.
fn description_before(ctx: &Ctx, t0: usize, lo: usize) -> Option<(usize, usize)> {
    let mut end = t0;
    while end > lo && ctx.toks[end - 1].word && ctx.flags(end - 1) & fw::AUX != 0 {
        end -= 1;
    }
    let mut k = end;
    while k > lo && k + 7 > end {
        k -= 1;
        if ctx.low(k) == "the" {
            let before_ok = k == lo || !ctx.toks[k - 1].word || ctx.flags(k - 1) & fw::COORD != 0;
            return (before_ok && k + 1 < end && describes_person(ctx, end - 1))
                .then_some((k, end));
        }
        if !descriptive_word(ctx, k) {
            return None;
        }
    }
    None
}

/// The person a description most likely refers to: the latest person in subject position
/// before token `t0` within the two previous paragraphs, else the latest speaker.
fn recent_person(ctx: &Ctx, t0: usize, found: &[Found]) -> Option<usize> {
    let para = ctx.sents.get(ctx.toks.get(t0)?.sent as usize)?.paragraph;
    let upto = ctx.mentions.partition_point(|m| m.t0 < t0);
    for m in (0..upto).rev() {
        let men = &ctx.mentions[m];
        let mp = ctx
            .sents
            .get(ctx.toks[men.t0].sent as usize)
            .map_or(0, |s| s.paragraph);
        if mp + 2 < para {
            break;
        }
        let lo = ctx
            .sents
            .get(ctx.toks[men.t0].sent as usize)
            .map_or(0, |s| s.t0);
        // An untyped full name counts when the sentence goes on after it and it is not in
        // brackets (a dateline credit, a byline).
        let predicate_follows = ctx.toks.get(men.t1).is_some_and(|t| {
            t.sent == ctx.toks[men.t0].sent && t.start < ctx.sents[t.sent as usize].span.end
        });
        let bracketed = men.t0 > 0 && ctx.is_punct(men.t0 - 1, '(');
        let named = men.etype == EntityType::Person
            || (men.etype == EntityType::Other
                && speaker_type(ctx, m)
                && predicate_follows
                && !bracketed);
        if named && speaker_candidate(ctx, m, lo) {
            return Some(m);
        }
    }
    found
        .iter()
        .rev()
        .find(|f| f.cue.is_some())
        .map(|f| f.speaker)
}

/// "..., but they say": an unlinked "they" or "it" right before the cue (auxiliaries
/// between), opening its clause.
fn pronoun_subject(ctx: &Ctx, t0: usize, lo: usize) -> Option<usize> {
    let mut k = t0;
    while k > lo && ctx.toks[k - 1].word && ctx.flags(k - 1) & fw::AUX != 0 {
        k -= 1;
    }
    let p = k.checked_sub(1).filter(|&p| p >= lo)?;
    let clause_start =
        p == lo || !ctx.toks[p - 1].word || ctx.flags(p - 1) & (fw::COORD | fw::COMP) != 0;
    (matches!(ctx.low(p), "they" | "it") && ctx.toks[p].mention == crate::doc::NONE && clause_start)
        .then_some(p)
}

/// The speaker an unlinked pronoun subject refers to: the speaker of the latest statement
/// of the two sentences before, when it fits ("they": a group or organisation, "it": an
/// organisation or country).
fn pronoun_antecedent(ctx: &Ctx, p: usize, sent: usize, found: &[Found]) -> Option<usize> {
    let last = found.iter().rev().find(|f| f.cue.is_some())?;
    if last.sent > sent || last.sent + 2 < sent {
        return None;
    }
    let men = ctx.mentions.get(last.speaker)?;
    let plural_group = ctx.groups.get(men.group as usize).is_some_and(|g| g.plural);
    let fits = if ctx.low(p) == "they" {
        plural_group || matches!(men.etype, EntityType::Organization | EntityType::Group)
    } else {
        !plural_group && matches!(men.etype, EntityType::Organization | EntityType::Country)
    };
    fits.then_some(last.speaker)
}

/// The first non-space character before byte `pos`.
fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos)?.trim_end().chars().next_back()
}

/// Whether the words after token `k` are only adjuncts (a time, a place, a prepositional
/// phrase, the end of the sentence): the cue then takes no clause of its own.
fn tail_is_adjunct(ctx: &Ctx, cue: &Cue, k: usize, sent_end: usize) -> bool {
    if k >= sent_end {
        return true;
    }
    // One pass over the tail: a continuation quotation (", “...") ends it.
    let mut end = sent_end;
    let mut rest_words = 0;
    let mut quote_in_tail = false;
    let mut comp = false;
    let mut colon = false;
    for x in k..sent_end {
        let Some(t) = ctx.toks.get(x) else {
            break;
        };
        if t.word {
            rest_words += 1;
            comp |= ctx.flags(x) & fw::COMP != 0;
            continue;
        }
        let c = ctx.punct(x);
        if c == Some(',')
            && ctx.toks.get(x + 1).is_some_and(|_| {
                let s = ctx.punct(x + 1);
                is_quote_mark(s) && !is_close_mark(s) || s == Some('"')
            })
        {
            end = x;
            break;
        }
        quote_in_tail |= is_quote_mark(c) && !is_close_mark(c);
        colon |= c == Some(':');
    }
    let sent_end = end;
    if ["tell", "ask", "write"]
        .iter()
        .any(|w| cue.predicate_is(ctx.lex, w))
    {
        return rest_words <= 6 && !quote_in_tail && !comp && !colon;
    }
    if rest_words <= 3 && !quote_in_tail && !comp {
        return true;
    }
    let t = ctx.toks[k];
    if !t.word {
        return !is_quote_mark(ctx.punct(k)) || is_close_mark(ctx.punct(k));
    }
    let f = ctx.flags(k);
    if f & fw::COMP != 0 || that_after_adjunct(ctx, k, sent_end).is_some() {
        return false;
    }
    if f & fw::TEMPORAL != 0 || ctx.entry(k).is_some_and(|e| e.weekday.is_some()) {
        // "said Sunday a standoff ..." has a clause after the time word.
        let next = k + 1;
        return next >= sent_end
            || !ctx.toks[next].word
            || ctx.flags(next) & (fw::PREP | fw::TEMPORAL) != 0;
    }
    f & fw::PREP != 0 && !approximate_number(ctx, k)
}

/// "says about 550 students ...": a preposition that only rounds the number after it.
fn approximate_number(ctx: &Ctx, k: usize) -> bool {
    matches!(
        ctx.low(k),
        "about" | "around" | "over" | "under" | "nearly" | "almost"
    ) && ctx
        .low(k + 1)
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_digit)
}

/// "told Acme News the plan ...": the first token after a named addressee (a mention or
/// up to four capitalised words) when a clause
/// (at least four words, opening with a determiner) follows it.
fn clause_after_addressee(ctx: &Ctx, k: usize, hi: usize) -> Option<usize> {
    let next = match ctx.mention_at(k) {
        Some(m) => ctx.mentions[m].t1,
        None => {
            // An unlinked name: a short run of capitalised words.
            let run = (k..hi.min(k + 4))
                .take_while(|&x| ctx.toks[x].word && ctx.toks[x].cap)
                .count();
            if run == 0 {
                return None;
            }
            k + run
        }
    };
    let words = (next..hi).filter(|&x| ctx.toks[x].word).count();
    (words >= 4
        && matches!(
            ctx.low(next),
            "the" | "a" | "an" | "his" | "her" | "their" | "its"
        ))
    .then_some(next)
}

/// "A, she says, and B ...": where the clause resumes after a parenthetical cue (a comma
/// right after the cue, then at least three words of the same sentence that are not an
/// adjunct, a participle, a quotation or a clause with a cue of its own).
fn parenthetical_rest(ctx: &Ctx, k: usize, hi: usize) -> Option<usize> {
    if !ctx.is_punct(k, ',') {
        return None;
    }
    let first = k + 1;
    let tail = first..hi;
    let words = tail.clone().filter(|&x| ctx.toks[x].word).count();
    if words < 3 || !ctx.toks.get(first)?.word {
        return None;
    }
    let low = ctx.low(first);
    if coordinated_adjunct_clause(ctx, first)
        || ctx.flags(first) & (fw::PREP | fw::TEMPORAL) != 0
        || low.ends_with("ing")
        || ctx
            .entry(first)
            .is_some_and(|e| !e.cues.is_empty() || e.weekday.is_some())
        || ctx.mention_at(first).is_some()
        || tail.into_iter().any(|x| {
            is_quote_mark(ctx.punct(x)) || ctx.entry(x).is_some_and(|e| !e.cues.is_empty())
        })
    {
        return None;
    }
    Some(ctx.toks[first].start)
}

/// "said in a statement that ...": the "that" (or the subject pronoun of a clause without
/// it) closing a short adjunct after the cue.
fn that_after_adjunct(ctx: &Ctx, k: usize, sent_end: usize) -> Option<usize> {
    if k >= sent_end || ctx.flags(k) & (fw::PREP | fw::TEMPORAL) == 0 {
        return None;
    }
    let clause_may_follow = !matches!(ctx.low(k), "about" | "of" | "for");
    (k + 1..sent_end.min(k + 12))
        .take_while(|&x| !ctx.is_punct(x, ',') && !is_quote_mark(ctx.punct(x)))
        .skip(1)
        .find(|&x| {
            // "said in a statement that ...", or with the complementiser left out, "said
            // in his speech he was ready": a subject pronoun after a noun starts the clause.
            let low = ctx.low(x);
            low == "that"
                || (clause_may_follow
                    && matches!(low, "he" | "she" | "they" | "we" | "i" | "it")
                    && ctx.toks[x - 1].word
                    && ctx.flags(x - 1) & (fw::PREP | fw::NP | fw::POSSESSIVE | fw::AUX) == 0
                    && ctx.toks.get(x + 1).is_some_and(|t| t.word)
                    && x + 1 < sent_end)
        })
}

/// What [`trim_span`] removes at either end: spaces, punctuation and quotation marks.
fn trimmed_from_span_ends(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | ';' | ':' | '.' | '\u{2014}' | '\u{2013}' | '-' | '\u{201C}' | '\u{201D}' | '"'
        )
}

/// Trims spaces, punctuation and quotation marks at both ends of a span.
pub(crate) fn trim_span(text: &str, span: Span) -> Span {
    let Some(s) = crate::doc::span_text(text, span) else {
        return Span::new(span.start, span.start);
    };
    let trim = trimmed_from_span_ends;
    // (A letter or digit at an end, the common case, is kept without a call.)
    let bytes = s.as_bytes();
    let left = if bytes.first().is_some_and(u8::is_ascii_alphanumeric) {
        0
    } else {
        s.len() - s.trim_start_matches(trim).len()
    };
    let right = if bytes.last().is_some_and(u8::is_ascii_alphanumeric) {
        s.len()
    } else {
        s.trim_end_matches(trim).len()
    };
    if right <= left {
        return Span::new(span.start + left, span.start + left);
    }
    Span::new(span.start + left, span.start + right)
}

/// Whether at least `n` word tokens start inside `span` (counted only as far as needed).
fn has_words(ctx: &Ctx, span: Span, n: usize) -> bool {
    let a = ctx.toks.partition_point(|t| t.start < span.start);
    let mut count = 0;
    for t in ctx.toks.get(a..).unwrap_or(&[]) {
        if t.start >= span.end || count >= n {
            break;
        }
        count += usize::from(t.word);
    }
    count >= n
}

/// The text between two byte offsets, or "".
fn gap(text: &str, a: usize, b: usize) -> &str {
    if a <= b {
        text.get(a..b).unwrap_or("")
    } else {
        ""
    }
}

/// Whether a quotation attaches after a cue: only "," or ":" (or nothing) between.
fn quote_after(ctx: &Ctx, cue_end: usize, quotes: &[(Span, Span)], used: &[bool]) -> Option<usize> {
    let qi = quotes.partition_point(|q| q.0.start < cue_end);
    let q = quotes.get(qi)?;
    if used[qi] {
        return None;
    }
    let g = gap(ctx.text, cue_end, q.0.start);
    if g.len() > 160 {
        return None;
    }
    let t = g.trim();
    let colon = t.ends_with(':');
    if !(t.is_empty() || t.ends_with(',') || colon || t == "that") {
        return None;
    }
    if !colon && (g.contains('\n') || t.contains(['.', '!', '?'])) {
        return None;
    }
    if g.contains("\n\n") && !colon {
        return None;
    }
    if colon {
        // "X said, and ... ¶ Y is more blunt: “...”": a colon in a later sentence or
        // paragraph introduces someone else's quotation.
        let before = t.get(..t.len() - 1).unwrap_or("");
        if before.contains('\n') || sentence_stop(before) || before.contains(['!', '?']) {
            return None;
        }
    }
    // No other cue in between.
    let a = ctx.toks.partition_point(|x| x.start < cue_end);
    let b = ctx.toks.partition_point(|x| x.start < q.0.start);
    if (a..b).any(|k| {
        ctx.entry(k).is_some_and(|e| !e.cues.is_empty()) && ctx.toks[k].mention == crate::doc::NONE
    }) {
        return None;
    }
    Some(qi)
}

/// Whether a quotation ends just before `pos` with nothing but the speaker phrase between.
fn quote_before(ctx: &Ctx, pos: usize, quotes: &[(Span, Span)], used: &[bool]) -> Option<usize> {
    let qi = quotes.partition_point(|q| q.0.end <= pos).checked_sub(1)?;
    let q = quotes.get(qi)?;
    if used[qi] {
        return None;
    }
    let embedded = ctx
        .text
        .get(..q.0.start)
        .and_then(|s| s.chars().next_back())
        .is_some_and(|c| c.is_alphanumeric() || c == ' ')
        && ctx
            .text
            .get(..q.0.start)
            .map(str::trim_end)
            .and_then(|s| s.chars().next_back())
            .is_some_and(|c| c.is_alphanumeric() || c == ',');
    if embedded {
        return None;
    }
    let g = gap(ctx.text, q.0.end, pos);
    if g.len() > 200 || g.contains('\n') || g.contains(['!', '?', ';']) || sentence_stop(g) {
        return None;
    }
    if g.contains(['\u{201C}', '"']) {
        return None;
    }
    Some(qi)
}

/// Whether a speaker phrase holds a full stop that ends a sentence: a "." followed by a
/// space, not after an initial or a short capitalised abbreviation ("Harry J. Roe",
/// "Sen. Roe, D-Mich., said") and not inside a word ("U.S.-based").
fn sentence_stop(g: &str) -> bool {
    let b = g.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        if c != b'.' {
            return false;
        }
        if b.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace()) {
            return false;
        }
        let word_start = b[..i]
            .iter()
            .rposition(|x| !x.is_ascii_alphabetic())
            .map_or(0, |p| p + 1);
        let word = &b[word_start..i];
        let abbreviation = !word.is_empty()
            && word.len() <= 4
            && word[0].is_ascii_uppercase()
            && (word.len() == 1 || word[1..].iter().all(u8::is_ascii_lowercase));
        !abbreviation
    })
}

/// Attributes statements to speakers (into `found`, cleared first).
pub(crate) fn attribute(ctx: &Ctx, cues: &[Cue], found: &mut Vec<Found>) {
    found.clear();
    let quotes = &ctx.quotes;
    let mut used = vec![false; quotes.len()];
    let mut ci = 0;
    while ci < cues.len() {
        let si = cues[ci].sent;
        let mut cj = ci;
        while cj < cues.len() && cues[cj].sent == si {
            cj += 1;
        }
        attribute_sentence(ctx, cues, ci..cj, &mut used, found);
        ci = cj;
    }
    floating(ctx, &mut used, found);
    split_paragraphs(ctx, found);
    found.sort_by_key(|f| (f.content.start, f.cue));
}

/// A quotation running over several paragraphs (news style: each paragraph reopens it)
/// becomes one statement per paragraph; the later ones are continuations with no cue of
/// their own.
fn split_paragraphs(ctx: &Ctx, found: &mut Vec<Found>) {
    let mut extra: Vec<Found> = Vec::new();
    for f in found.iter_mut().filter(|f| f.quote) {
        let Some(text) = crate::doc::span_text(ctx.text, f.content) else {
            continue;
        };
        if !text.contains("\n\n") {
            continue;
        }
        let mut pieces: Vec<Span> = Vec::new();
        let mut at = f.content.start;
        for part in text.split("\n\n") {
            let span = trim_span(ctx.text, Span::new(at, at + part.len()));
            at += part.len() + 2;
            if has_words(ctx, span, 1) {
                pieces.push(span);
            }
        }
        let mut rest = pieces.into_iter();
        let Some(first) = rest.next() else { continue };
        f.content = first;
        for span in rest {
            extra.push(Found {
                cue: None,
                speaker: f.speaker,
                speaker_at_cue: false,
                content: span,
                quote: true,
                sent: ctx.sent_at(span.start),
                open: false,
            });
        }
    }
    found.extend(extra);
}

/// Index of the first word token of sentence `si`, skipping opening marks and dashes.
fn first_word(ctx: &Ctx, si: usize) -> usize {
    let s = ctx.sents[si];
    (s.t0..s.t1).find(|&k| ctx.toks[k].word).unwrap_or(s.t1)
}

fn attribute_sentence(
    ctx: &Ctx,
    cues: &[Cue],
    range: std::ops::Range<usize>,
    used: &mut [bool],
    found: &mut Vec<Found>,
) {
    let Some(first) = cues.get(range.start) else {
        return;
    };
    let sent = ctx.sents[first.sent];
    let (lo, hi) = (sent.t0, sent.t1);
    // (speaker, cue index, index into found of the open statement)
    let mut prev: Option<(usize, usize, Option<usize>)> = None;
    for c in range {
        let cue = &cues[c];
        let prev_tok = (lo..cue.t0).next_back();
        let prev_low = prev_tok.map(|k| ctx.low(k)).unwrap_or("");
        let coordinated = prev.is_some()
            && prev_tok.is_some_and(|k| {
                let mut k = k;
                while k > lo
                    && ((ctx.flags(k) & fw::AUX != 0 && ctx.toks[k].word)
                        || is_close_mark(ctx.punct(k)))
                {
                    k -= 1;
                }
                ctx.flags(k) & fw::COORD != 0 || (cue.form == Form::Gerund && ctx.is_punct(k, ','))
            });
        if !verb_position(ctx, cue, lo, hi) || inside_quote(ctx, cue.span) {
            continue;
        }
        if cue.class == CueClass::Weak
            && cue.t0 > lo
            && matches!(
                ctx.low(cue.t0 - 1),
                "could" | "would" | "might" | "may" | "should" | "must" | "can"
            )
        {
            // "voters could think about ...": a possibility, not a stated position.
            continue;
        }
        if cue.form == Form::Past && cue.t0 == first_word(ctx, cue.sent) && !coordinated {
            // "Asked about ..., he said": a participle opener, not a statement.
            continue;
        }
        let mut speaker: Option<usize> = None;
        let mut inverted = false;
        let mut opener_end: Option<usize> = None;
        // A descriptive speaker phrase with no mention ("the mayor said"): token range.
        let mut description: Option<(usize, usize)> = None;
        // The description is an unlinked "they" or "it".
        let mut pronoun = false;
        if cue.according {
            speaker = subject_after(ctx, cue.t1, hi);
        } else if coordinated {
            speaker = prev.map(|p| p.0);
            // Close the previous open statement before the coordinator.
            if let Some((_, _, Some(fi))) = prev {
                let mut cut = cue.t0;
                while cut > lo
                    && (ctx.flags(cut - 1) & (fw::COORD | fw::AUX) != 0
                        || ctx.is_punct(cut - 1, ','))
                {
                    cut -= 1;
                }
                if let Some(f) = found.get_mut(fi) {
                    let at = ctx.toks.get(cut).map_or(f.content.end, |t| t.start);
                    if f.open && at > f.content.start && at < f.content.end {
                        f.content = trim_span(ctx.text, Span::new(f.content.start, at));
                    }
                }
            }
        } else if cue.form == Form::Gerund && cue.t0 == first_word(ctx, cue.sent) {
            // Participial opener: "Referring to ..., X announced ...".
            let comma = (cue.t1..hi).find(|&k| ctx.is_punct(k, ','));
            if let Some(comma) = comma {
                let mut k = comma + 1;
                while k < hi {
                    if let Some(m) = ctx.mention_at(k) {
                        if speaker_candidate(ctx, m, lo) {
                            speaker = Some(m);
                            break;
                        }
                        k = ctx.mentions[m].t1;
                        continue;
                    }
                    k += 1;
                }
                opener_end = Some(comma);
            }
        } else {
            if let Some((_, pc, Some(fi))) = prev {
                if found.get(fi).is_some_and(|f| f.open) {
                    // Nested inside the previous cue's clause, unless that clause is a
                    // subordinate one closed by a comma before this cue's own subject
                    // ("While critics say ..., Roe says ...").
                    let Some(comma) = subordinate_clause_end(ctx, cues, pc, cue) else {
                        continue;
                    };
                    if let Some(f) = found.get_mut(fi) {
                        let at = ctx.toks[comma].start;
                        if at > f.content.start && at < f.content.end {
                            f.content = trim_span(ctx.text, Span::new(f.content.start, at));
                        }
                        f.open = false;
                    }
                }
            }
            if cue.class == CueClass::Say
                && matches!(
                    char_before(ctx.text, cue.span.start),
                    Some(',' | '\u{201D}' | '"' | '\u{2014}' | '\u{2013}')
                )
            {
                speaker = subject_after(ctx, cue.t1, hi);
                inverted = speaker.is_some();
                if speaker.is_none() && matches!(cue.form, Form::Past | Form::ThirdPerson) {
                    description = description_after(ctx, cue.t1, hi);
                    // "Jane Roe, a pilot, said the channel ...": the apposition closes before
                    // the cue, so the words after it are the content, not a description.
                    let floor = prev.map_or(lo, |p| cues[p.1].t1.max(lo));
                    if description.is_some()
                        && subject_before(ctx, cue.t0, floor).is_some_and(|m| {
                            ctx.mentions[m].t1 + 2 < cue.t0 && next_to_cue(ctx, m, cue.t0)
                        })
                    {
                        description = None;
                    }
                }
            }
            if cue.form == Form::Past
                && (passive_before(ctx, cue.t0, lo) || (cue.t1 < hi && ctx.low(cue.t1) == "by"))
            {
                continue;
            }
            if speaker.is_none() && description.is_none() {
                let floor = prev.map_or(lo, |p| cues[p.1].t1.max(lo));
                speaker = relative_subject(ctx, cue.t0, floor)
                    .or_else(|| subject_before(ctx, cue.t0, floor));
                if let Some(m) = speaker {
                    let t0 = ctx.mentions[m].t0;
                    if t0 > lo
                        && matches!(
                            ctx.low(t0 - 1),
                            "what" | "which" | "how" | "whether" | "why"
                        )
                    {
                        continue;
                    }
                }
                if speaker.is_none()
                    && cue.class == CueClass::Say
                    && matches!(cue.form, Form::Past | Form::ThirdPerson)
                {
                    description = description_before(ctx, cue.t0, floor);
                }
                if speaker.is_none() && description.is_none() && cue.class == CueClass::Say {
                    // "Officials said ... They say ...": an unlinked plural or neuter pronoun.
                    if let Some(k) = pronoun_subject(ctx, cue.t0, floor) {
                        description = Some((k, k + 1));
                        pronoun = true;
                    }
                }
                if cue.form == Form::Base {
                    // A bare base form needs its subject right before it.
                    if let Some(m) = speaker {
                        let adjacent = (ctx.mentions[m].t1..cue.t0)
                            .all(|k| ctx.flags(k) & fw::AUX != 0 && ctx.toks[k].word);
                        if !adjacent || prev_low == "to" {
                            speaker = None;
                        }
                    }
                }
                if cue.form == Form::Gerund {
                    // "is saying" keeps its subject; a bare gerund needs a comma before it.
                    let ok = prev_tok.is_some_and(|k| {
                        ctx.flags(k) & fw::AUX != 0 || ctx.is_punct(k, ',') || ctx.low(k) == "as"
                    });
                    if !ok {
                        speaker = None;
                    }
                }
            }
        }
        let (speaker, at_cue, sp_t0, sp_t1) = match (speaker, description) {
            (Some(written), _) => {
                let Some((speaker, at_cue)) =
                    crate::stance::resolve_description(ctx, written, cue.sent)
                else {
                    continue;
                };
                let sp = ctx.mentions[written];
                if !speaker_type(ctx, written) {
                    continue;
                }
                (speaker, at_cue, sp.t0, sp.phrase_end)
            }
            (None, Some((a, b))) => {
                let resolved = if pronoun {
                    pronoun_antecedent(ctx, a, cue.sent, found)
                } else {
                    recent_person(ctx, a, found)
                };
                let Some(m) = resolved else {
                    continue;
                };
                inverted = a > cue.t0;
                (m, false, a, b)
            }
            (None, None) => continue,
        };
        let sp_start = ctx.toks.get(sp_t0).map_or(cue.span.start, |t| t.start);
        // Where the speaker phrase and cue begin (for quotations before them).
        let head = if inverted || cue.according {
            cue.span.start
        } else {
            sp_start.min(cue.span.start)
        };
        let after_tok = if inverted || cue.according {
            sp_t1
        } else {
            cue.t1
        };
        let mut made: Option<usize> = None;
        let push = |found: &mut Vec<Found>, content: Span, quote: bool, open: bool| {
            found.push(Found {
                cue: Some(c),
                speaker,
                speaker_at_cue: at_cue,
                content,
                quote,
                sent: cue.sent,
                open,
            });
            found.len() - 1
        };
        // Quotation before the speaker and cue: "“...,” X said".
        if cue.class == CueClass::Say && !cue.according {
            // (The quotation is looked for first: the clause test is the dearer one.)
            if let Some(qi) = quote_before(ctx, head, &ctx.quotes, used)
                .filter(|_| !clause_follows(ctx, cue, after_tok, hi))
            {
                used[qi] = true;
                made = Some(push(found, ctx.quotes[qi].1, true, false));
            }
        }
        // Quotation after the cue: "X said: “...”".
        let cue_end = ctx
            .toks
            .get(after_tok.saturating_sub(1))
            .map_or(cue.span.end, |t| t.end);
        if let Some(qi) = quote_after(ctx, cue_end.max(cue.span.end), &ctx.quotes, used) {
            used[qi] = true;
            let f = push(found, ctx.quotes[qi].1, true, false);
            made = made.or(Some(f));
        }
        if made.is_none() {
            // A clause or object phrase.
            let content;
            let mut open = false;
            if cue.according {
                if cue.t0 == first_word(ctx, cue.sent) {
                    let comma = (sp_t1..hi).find(|&k| ctx.is_punct(k, ','));
                    let Some(comma) = comma else { continue };
                    let start = ctx.toks.get(comma + 1).map_or(sent.span.end, |t| t.start);
                    content = Span::new(start, sent.span.end);
                } else if cue.t0 > lo
                    && ctx.is_punct(cue.t0 - 1, ',')
                    && ctx.is_punct(sp_t1, ',')
                    && (sp_t1 + 1..hi).filter(|&k| ctx.toks[k].word).count() >= 3
                {
                    // "The truth, according to experts, is ...": the attribution interrupts
                    // the clause, which is the whole sentence.
                    content = Span::new(sent.span.start, sent.span.end);
                } else {
                    content = Span::new(sent.span.start, cue.span.start);
                }
            } else if let Some(comma) = opener_end {
                content = Span::new(cue.span.end, ctx.toks[comma].start);
            } else {
                // "clause, X said (adjuncts)."
                let comma_before = if inverted {
                    let mut k = cue.t0;
                    while k > lo && is_close_mark(ctx.punct(k - 1)) {
                        k -= 1;
                    }
                    (k > lo && ctx.is_punct(k - 1, ',')).then(|| k - 1)
                } else {
                    (sp_t0.saturating_sub(10).max(lo)..sp_t0)
                        .rev()
                        .find(|&k| ctx.is_punct(k, ','))
                        .filter(|&k| {
                            (k..sp_t0).all(|x| {
                                ctx.flags(x) & fw::COMP == 0
                                    && ctx.entry(x).is_none_or(|e| e.cues.is_empty())
                            })
                        })
                };
                let backward = cue.class == CueClass::Say
                    && comma_before.is_some()
                    && tail_is_adjunct(ctx, cue, after_tok, hi)
                    && comma_before.is_some_and(|k| {
                        let words = (lo..k).filter(|&x| ctx.toks[x].word).count();
                        let first = first_word(ctx, cue.sent);
                        let adjunct_start = ctx.flags(first) & fw::PREP != 0
                            || matches!(
                                ctx.low(first),
                                "as" | "when"
                                    | "while"
                                    | "if"
                                    | "although"
                                    | "though"
                                    | "because"
                                    | "since"
                                    | "whereas"
                                    | "unless"
                            );
                        let apposition = words <= 6
                            && k.checked_sub(1)
                                .and_then(|p| ctx.toks.get(p))
                                .is_some_and(|t| t.mention != crate::doc::NONE);
                        words >= 3
                            && !adjunct_start
                            && !apposition
                            && (lo..k).all(|x| !verb_like_cue(ctx, x, lo))
                    });
                if let (true, Some(k)) = (backward, comma_before) {
                    content = Span::new(sent.span.start, ctx.toks[k].start);
                    if let Some(rest) = parenthetical_rest(ctx, after_tok, hi) {
                        let rest = Span::new(rest, sent.span.end);
                        push(found, trim_span(ctx.text, rest), false, false);
                    }
                } else {
                    let mut k = after_tok;
                    while k < hi && (ctx.is_punct(k, ',') || ctx.is_punct(k, ':')) {
                        k += 1;
                    }
                    if coordinated_adjunct_clause(ctx, k) {
                        // "..., sources said, and as workers worry ...".
                        continue;
                    }
                    if let Some(t) = that_after_adjunct(ctx, k, hi) {
                        k = t;
                    }
                    if cue.predicate_is(ctx.lex, "tell") || cue.predicate_is(ctx.lex, "ask") {
                        if let Some(t) = (k..hi.min(k + 8)).find(|&x| ctx.flags(x) & fw::COMP != 0)
                        {
                            k = t + 1;
                        } else if let Some(t) =
                            (k..hi.min(k + 5)).find(|&x| pronoun_like(ctx.low(x)) && x > k)
                        {
                            k = t;
                        } else if let Some(t) = clause_after_addressee(ctx, k, hi) {
                            k = t;
                        } else {
                            continue;
                        }
                    }
                    let has_comp = k < hi && ctx.flags(k) & fw::COMP != 0 && ctx.low(k) == "that";
                    if has_comp {
                        k += 1;
                    }
                    if cue.class == CueClass::Weak {
                        let subj_like =
                            has_comp || ctx.mention_at(k).is_some() || pronoun_like(ctx.low(k));
                        if !subj_like {
                            continue;
                        }
                    }
                    let mut end = sent.span.end;
                    if let Some(semi) = (k..hi).find(|&x| ctx.is_punct(x, ';')) {
                        end = ctx.toks[semi].start;
                    }
                    let start = ctx.toks.get(k).map_or(end, |t| t.start).min(end);
                    content = Span::new(start, end);
                    open = true;
                    if cue.class == CueClass::Say && !has_comp && !object_allowed(ctx, cue, k, hi) {
                        continue;
                    }
                }
            }
            let content = trim_span(ctx.text, content);
            let min_words = if cue.class == CueClass::Act || cue.class == CueClass::Light {
                1
            } else {
                2
            };
            if !has_words(ctx, content, min_words) {
                continue;
            }
            made = Some(push(found, content, false, open));
        }
        prev = Some((speaker, c, made));
    }
}

/// "and as workers worry ...": a coordinator opening an adjunct clause at token `k`.
fn coordinated_adjunct_clause(ctx: &Ctx, k: usize) -> bool {
    ctx.toks.get(k).is_some_and(|t| t.word)
        && ctx.flags(k) & fw::COORD != 0
        && matches!(
            ctx.low(k + 1),
            "as" | "while" | "when" | "because" | "since" | "after" | "before" | "if" | "although"
        )
}

/// Whether token `x` is a cue word used as a verb: not after a determiner or possessive
/// ("the offer", "their support").
fn verb_like_cue(ctx: &Ctx, x: usize, lo: usize) -> bool {
    ctx.entry(x).is_some_and(|e| !e.cues.is_empty())
        && !(x > lo
            && (matches!(
                ctx.low(x - 1),
                "the" | "a" | "an" | "this" | "these" | "those"
            ) || ctx.flags(x - 1) & fw::POSSESSIVE != 0))
}

/// "While critics say A, Roe says B": when the sentence opens with a subordinator, the
/// previous cue (index `pc`) sits in that subordinate clause and a comma after it is
/// followed by the subject of `cue`, that comma (where the subordinate clause ends).
fn subordinate_clause_end(ctx: &Ctx, cues: &[Cue], pc: usize, cue: &Cue) -> Option<usize> {
    let prev = cues.get(pc)?;
    let first = first_word(ctx, cue.sent);
    if !matches!(
        ctx.low(first),
        "while" | "although" | "though" | "whereas" | "if" | "because" | "since" | "as" | "when"
    ) || prev.t1 >= cue.t0
    {
        return None;
    }
    let comma = (prev.t1..cue.t0).rev().find(|&k| ctx.is_punct(k, ','))?;
    let m = subject_before(ctx, cue.t0, comma + 1)?;
    (ctx.mentions[m].t0 > comma && next_to_cue(ctx, m, cue.t0)).then_some(comma)
}

/// Whether a quotation opens right after a word, inside a clause ("an “innovation” on").
fn embedded_quote(ctx: &Ctx, q: Span) -> bool {
    let before = ctx.text.get(..q.start).unwrap_or("");
    before.ends_with(' ')
        && before
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == ',')
}

/// Whether a span lies inside the words of a quotation (a cue quoted by someone else).
fn inside_quote(ctx: &Ctx, span: Span) -> bool {
    let qi = ctx.quotes.partition_point(|q| q.1.start <= span.start);
    qi > 0 && ctx.quotes[qi - 1].1.contains(span) && ctx.quotes[qi - 1].1.len() < 1500
}

fn pronoun_like(w: &str) -> bool {
    matches!(
        w,
        "it" | "this" | "there" | "we" | "they" | "i" | "he" | "she" | "you"
    )
}

/// Whether the cue is followed by its own clause or quotation ("said that ...",
/// "said: ...", "said the plan ..."), so that a quotation before it is not its content.
fn clause_follows(ctx: &Ctx, cue: &Cue, k: usize, hi: usize) -> bool {
    if k >= hi {
        return false;
    }
    if ["tell", "ask", "write"]
        .iter()
        .any(|w| cue.predicate_is(ctx.lex, w))
    {
        return (k..hi.min(k + 8)).any(|x| ctx.flags(x) & fw::COMP != 0 || ctx.is_punct(x, ':'));
    }
    !tail_is_adjunct(ctx, cue, k, hi)
}

/// Whether the words after a speech verb can be its content: a clause, not an object
/// ("added a goal", "added three more", "responded a minute later", "writes exclusively
/// for ...", "says much about").
fn object_allowed(ctx: &Ctx, cue: &Cue, k: usize, hi: usize) -> bool {
    if k >= hi {
        return false;
    }
    let mut j = k;
    while j < hi
        && ctx.toks[j].word
        && ((ctx.low(j).ends_with("ly") && ctx.flags(j) == 0)
            || ctx.entry(j).is_some_and(|e| e.weekday.is_some())
            || matches!(ctx.low(j), "today" | "yesterday" | "tonight"))
    {
        j += 1;
    }
    if j >= hi {
        return false;
    }
    let t = ctx.toks[j];
    let low = ctx.low(j);
    if ctx.flags(j) & (fw::PREP | fw::TEMPORAL) != 0
        && that_after_adjunct(ctx, j, hi).is_none()
        && !approximate_number(ctx, j)
    {
        return false;
    }
    // "said while sitting in ...": a participial adjunct, not a statement.
    if matches!(low, "while" | "when" | "after" | "before" | "since")
        && j + 1 < hi
        && ctx.low(j + 1).ends_with("ing")
    {
        return false;
    }
    // "says much about ...", "said little": an amount, not something stated.
    let amount = t.word
        && matches!(low, "much" | "little" | "nothing" | "plenty")
        && (j + 1 >= hi || !ctx.toks[j + 1].word || ctx.low(j + 1) == "about");
    if amount {
        return false;
    }
    if cue.takes_object || cue.predicate_is(ctx.lex, "say") {
        return true;
    }
    let numeric = low.as_bytes().first().is_some_and(u8::is_ascii_digit)
        || matches!(ctx.punct(j), Some('$' | '\u{20AC}' | '\u{00A3}'));
    let count = matches!(
        low,
        "a" | "an"
            | "just"
            | "only"
            | "another"
            | "two"
            | "three"
            | "four"
            | "five"
            | "six"
            | "seven"
            | "eight"
            | "nine"
            | "ten"
    );
    // "claimed a study had been done": a clause whose subject opens with an article or a
    // number, not an object ("added a goal", "added three more").
    let clause = (j + 1..hi.min(j + 6))
        .take_while(|&x| ctx.toks[x].word || ctx.is_punct(x, '-'))
        .any(|x| {
            matches!(
                ctx.low(x),
                "is" | "was"
                    | "are"
                    | "were"
                    | "has"
                    | "have"
                    | "had"
                    | "will"
                    | "would"
                    | "could"
                    | "should"
                    | "may"
                    | "might"
                    | "must"
                    | "can"
            )
        });
    clause || !(numeric || (t.word && count))
}

/// Whether a quotation stands as a sentence of its own (not a phrase quoted in a clause).
fn sentence_like(ctx: &Ctx, q: Span) -> bool {
    let before = char_before(ctx.text, q.start);
    let ok_before = match before {
        None => true,
        Some(c) => {
            matches!(
                c,
                '.' | '!' | '?' | '\u{201D}' | '"' | ':' | ')' | '\u{2026}'
            ) || ctx
                .text
                .get(..q.start)
                .is_some_and(|s| s.trim_end_matches([' ', '\t']).ends_with('\n'))
        }
    };
    let after = ctx
        .text
        .get(q.end..)
        .and_then(|s| s.trim_start_matches([' ', '\t']).chars().next());
    let ok_after = match after {
        None | Some('\n') => true,
        Some(c) => c.is_uppercase() || matches!(c, '\u{201C}' | '"' | '(' | '\u{2014}'),
    };
    ok_before && ok_after
}

/// Gives each unattributed stand-alone quotation to the speaker the context provides.
fn floating(ctx: &Ctx, used: &mut [bool], found: &mut Vec<Found>) {
    // Attributed statements by content start, with running maximum of their ends.
    let mut by_start: Vec<(Span, usize, usize)> = found
        .iter()
        .map(|f| (f.content, f.speaker, f.sent))
        .collect();
    by_start.sort_by_key(|x| (x.0.start, x.0.end));
    let mut max_end = Vec::with_capacity(by_start.len());
    let mut m = 0;
    for x in &by_start {
        m = m.max(x.0.end);
        max_end.push(m);
    }
    // The latest floating quotation given so far: (start, speaker, sentence).
    let mut last_floating: Option<(usize, usize, usize)> = None;
    for (qi, q) in ctx.quotes.iter().enumerate() {
        if used[qi] || !sentence_like(ctx, q.0) || !has_words(ctx, q.1, 2) {
            continue;
        }
        let before_end = by_start.partition_point(|x| x.0.start < q.0.end);
        if before_end > 0 && max_end[before_end - 1] > q.0.start {
            continue;
        }
        let before = by_start.partition_point(|x| x.0.start < q.0.start);
        let attributed = before
            .checked_sub(1)
            .map(|i| (by_start[i].0.start, by_start[i].1, by_start[i].2));
        let last = match (attributed, last_floating) {
            (Some(a), Some(f)) => Some(if f.0 > a.0 { f } else { a }),
            (a, f) => a.or(f),
        };
        let Some((_, speaker, last_sent)) = last else {
            continue;
        };
        let si = ctx.sent_at(q.0.start);
        let para = ctx.sents.get(si).map_or(0, |s| s.paragraph);
        let last_para = ctx.sents.get(last_sent).map_or(0, |s| s.paragraph);
        if para > last_para + 2 {
            continue;
        }
        let sp = ctx.mentions[speaker];
        // A stand-alone quotation is one person's words, not a body's ("officials").
        let plural_group = ctx.groups.get(sp.group as usize).is_some_and(|g| g.plural);
        if plural_group || (sp.etype != EntityType::Person && sp.kind == MentionKind::Pronoun) {
            continue;
        }
        used[qi] = true;
        last_floating = Some((q.0.start, speaker, si));
        found.push(Found {
            cue: None,
            speaker,
            speaker_at_cue: false,
            content: q.1,
            quote: true,
            sent: si,
            open: false,
        });
    }
}

/// Test access to [`sentence_stop`].
#[cfg(test)]
pub(crate) fn sentence_stop_for_tests(g: &str) -> bool {
    sentence_stop(g)
}

#[cfg(test)]
mod trim_tests {
    use stancegraph_model::Span;

    /// The trim without its fast path for a letter or digit at an end.
    fn reference(text: &str, span: Span) -> Span {
        let Some(s) = span.slice(text) else {
            return Span::new(span.start, span.start);
        };
        let trim = super::trimmed_from_span_ends;
        let left = s.len() - s.trim_start_matches(trim).len();
        let right = s.trim_end_matches(trim).len();
        if right <= left {
            return Span::new(span.start + left, span.start + left);
        }
        Span::new(span.start + left, span.start + right)
    }

    #[test]
    fn trims_marks_and_keeps_words() {
        let text = "\u{201C}We will, go.\u{201D} x";
        let all = Span::new(0, text.len());
        let got = super::trim_span(text, all);
        assert_eq!(&text[got.start..got.end], "We will, go.\u{201D} x");
        let inner = Span::new(3, 14);
        let got = super::trim_span(text, inner);
        assert_eq!(&text[got.start..got.end], "We will, go");
        assert_eq!(super::trim_span(text, Span::new(0, 4)), Span::new(3, 4));
        assert_eq!(super::trim_span(" ,. ", Span::new(0, 4)), Span::new(4, 4));
    }

    proptest::proptest! {
        #[test]
        fn trim_matches_the_reference(
            text in "[a-z0-9 ,.;:\"\u{201C}\u{201D}\u{2014}\u{E9}-]{0,24}|\\PC{0,16}",
            a in 0usize..30,
            b in 0usize..30,
        ) {
            let span = Span::new(a.min(b), a.max(b));
            proptest::prop_assert_eq!(super::trim_span(&text, span), reference(&text, span));
        }
    }
}

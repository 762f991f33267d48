//! Relation extraction: statements (who said what about whom, with stance and CAMEO
//! code) and events (meetings, visits, calls) from a linked document.
//!
//! The stage is rule based and data driven: the cue, stance-noun, polarity, function-word
//! and interaction lexicons live in `data/lexicon/` and are embedded at build time.

mod attribute;
mod doc;
mod events;
mod generic;
mod lexicon;
mod stance;

#[cfg(test)]
mod tests;

use std::cell::Cell;

use stancegraph_model::{
    Document, Entity, EntityType, Linked, Relations, Segmented, Span, Statement,
};

/// Why the lexicons could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RelateError {
    #[error("lexicon {name}: {message}")]
    Lexicon { name: String, message: String },
}

/// Sentences longer than this many bytes are not handed to the pattern matcher by
/// default (a paragraph with no punctuation, a table dumped as text).
pub const DEFAULT_MAX_SENTENCE_BYTES: usize = 4096;

/// Extracts statements and events using the embedded cue and polarity lexicons.
#[derive(Debug, Default)]
pub struct Relator {
    lex: lexicon::Lexicon,
    /// Sentences longer than this are skipped by the pattern matcher (0: no limit).
    max_sentence_bytes: usize,
}

impl Relator {
    /// The relator with the lexicons embedded from `data/lexicon/`.
    pub fn embedded() -> Result<Self, RelateError> {
        Ok(Relator {
            lex: lexicon::Lexicon::embedded()?,
            max_sentence_bytes: DEFAULT_MAX_SENTENCE_BYTES,
        })
    }

    /// Sets the longest sentence handed to the pattern matcher (0: no limit).
    pub fn with_max_sentence_bytes(mut self, max: usize) -> Self {
        self.max_sentence_bytes = max;
        self
    }

    /// [`Relator::relate`], plus a note for each limit hit.
    pub fn relate_with_report(
        &self,
        doc: &Document,
        segmented: &Segmented,
        linked: &Linked,
    ) -> (Relations, Vec<String>) {
        let mut warnings = Vec::new();
        let long = if self.max_sentence_bytes == 0 {
            0
        } else {
            segmented
                .sentences
                .iter()
                .filter(|s| s.span.len() > self.max_sentence_bytes)
                .count()
        };
        if long > 0 {
            warnings.push(format!(
                "{long} sentence(s) longer than the limit of {} bytes (--max-sentence-bytes) \
                 were skipped by statement extraction",
                self.max_sentence_bytes
            ));
        }
        (self.relate(doc, segmented, linked), warnings)
    }

    /// Finds the statements and events of one document.
    pub fn relate(&self, doc: &Document, segmented: &Segmented, linked: &Linked) -> Relations {
        let ctx = doc::Ctx::new(&self.lex, doc, segmented, linked);
        let (mut cues, mut found) = LISTS.try_with(Cell::take).unwrap_or_default();
        attribute::find_cues(&ctx, &mut cues);
        if self.max_sentence_bytes > 0 {
            let max = self.max_sentence_bytes;
            // (A cue's sentence is the one its first token belongs to: the last starting at
            // or before it.)
            cues.retain(|c| ctx.sents.get(c.sent).is_none_or(|s| s.span.len() <= max));
        }
        attribute::attribute(&ctx, &cues, &mut found);
        let mut statements: Vec<Statement> = Vec::with_capacity(found.len());
        let doc_key = doc.id.strip_prefix("d:").unwrap_or(&doc.id);
        // (cue or content start, content start) of the statements made, sorted.
        let mut seen: Vec<(usize, usize)> = Vec::with_capacity(found.len());
        // Sentence range of an evidence text, and the statement that holds it (sorted).
        let mut evidence_of: Vec<((usize, usize), usize)> = Vec::with_capacity(found.len());
        // Sentence of a date, and the statement that holds it (sorted).
        let mut date_of: Vec<(usize, usize)> = Vec::with_capacity(found.len());
        let doc_date = ctx.day.map(doc::format_day);
        for f in &found {
            let cue = f.cue.and_then(|c| cues.get(c));
            let speaker = ctx.entity_id(f.speaker);
            if speaker.is_empty() {
                continue;
            }
            let sp = ctx.mentions[f.speaker];
            let mut start = f.content.start;
            let mut end = f.content.end;
            if let Some(c) = cue {
                start = start.min(c.span.start);
                end = end.max(c.span.end);
            }
            let (speaker_text, speaker_span) = if f.speaker_at_cue {
                start = start.min(sp.span.start);
                end = end.max(sp.span.end);
                (
                    doc::span_text(&doc.text, sp.span).map(str::to_string),
                    Some(sp.span),
                )
            } else {
                (None, None)
            };
            let s0 = ctx.sent_at(start);
            let s1 = ctx.sent_at(end.saturating_sub(1).max(start));
            let ev_span = match (ctx.sents.get(s0), ctx.sents.get(s1)) {
                (Some(a), Some(b)) => Span::new(a.span.start, b.span.end.max(a.span.end)),
                _ => Span::new(start, end),
            };
            let content_toks = stance::tok_range(&ctx, f.content, f.sent);
            let stance = stance::statement_stance(&ctx, cue, content_toks);
            let targets = stance::targets(&ctx, f, cue, stance, speaker, content_toks);
            let key = cue.map_or(f.content.start, |c| c.span.start);
            match seen.binary_search(&(key, f.content.start)) {
                Ok(_) => continue,
                Err(at) => seen.insert(at, (key, f.content.start)),
            }
            let mut id = String::with_capacity(doc_key.len() + 24);
            id.push_str("s:");
            id.push_str(doc_key);
            id.push(':');
            push_number(&mut id, key);
            id.push(':');
            push_number(&mut id, f.content.start);
            let this = statements.len();
            let evidence = match evidence_of.binary_search_by_key(&(s0, s1), |e| e.0) {
                Ok(at) => statements
                    .get(evidence_of[at].1)
                    .map_or_else(|| ctx.folded(ev_span), |s: &Statement| s.evidence.clone()),
                Err(at) => {
                    evidence_of.insert(at, ((s0, s1), this));
                    ctx.folded(ev_span)
                }
            };
            let date_of_sentence = || match ctx.day_in_sentence(f.sent) {
                Some(d) if Some(d) == ctx.day => doc_date.clone(),
                d => d.map(doc::format_day),
            };
            let date = match date_of.binary_search_by_key(&f.sent, |d| d.0) {
                Ok(at) => statements
                    .get(date_of[at].1)
                    .map_or_else(date_of_sentence, |s| s.date.clone()),
                Err(at) => {
                    date_of.insert(at, (f.sent, this));
                    date_of_sentence()
                }
            };
            statements.push(Statement {
                id,
                doc: doc.id.clone(),
                sentence: ctx.sents.get(f.sent).map_or(0, |s| s.index),
                start,
                end,
                evidence,
                speaker: speaker.to_string(),
                speaker_text,
                speaker_span,
                cue: cue
                    .and_then(|c| doc::span_text(&doc.text, c.span))
                    .map(str::to_string),
                cue_span: cue.map(|c| c.span),
                predicate: cue.map_or_else(
                    || "quote".to_string(),
                    |c| c.predicate(&self.lex).into_owned(),
                ),
                content: doc::span_text(&doc.text, f.content)
                    .unwrap_or("")
                    .to_string(),
                content_span: f.content,
                quote: f.quote,
                targets,
                stance,
                code: cue.map(|c| c.code(&self.lex).to_string()),
                date,
            });
        }
        statements.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
        let entities = group_entities(&ctx, &found);
        let mut events = events::find_events(&ctx, &found);
        events.sort_by(|a, b| (a.start, &a.actors).cmp(&(b.start, &b.actors)));
        if cues.capacity() <= MAX_KEPT_LIST && found.capacity() <= MAX_KEPT_LIST {
            cues.clear();
            found.clear();
            let _ = LISTS.try_with(|c| c.set((cues, found)));
        }
        Relations {
            doc: doc.id.clone(),
            statements,
            events,
            entities,
        }
    }
}

/// Cue and statement lists longer than this are not kept for the next document.
const MAX_KEPT_LIST: usize = 1 << 14;

thread_local! {
    /// The cue and statement lists of the last document, kept by each thread so that the
    /// next one does not allocate them afresh.
    static LISTS: Cell<(Vec<attribute::Cue>, Vec<attribute::Found>)> =
        const { Cell::new((Vec::new(), Vec::new())) };
}

/// The group speakers of the statements found, as entities (sorted by id).
fn group_entities(ctx: &doc::Ctx, found: &[attribute::Found]) -> Vec<Entity> {
    let mut used: Vec<usize> = found
        .iter()
        .filter_map(|f| ctx.mentions.get(f.speaker))
        .filter(|m| m.group != doc::NONE)
        .map(|m| m.group as usize)
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut out: Vec<Entity> = used
        .into_iter()
        .filter_map(|g| ctx.groups.get(g))
        .map(|g| Entity {
            id: g.id.clone(),
            name: g.name.clone(),
            entity_type: EntityType::Group,
            wikidata: None,
            country: g.country.clone(),
            roles: Vec::new(),
            affiliations: g.affiliations.clone(),
            aliases: Vec::new(),
            mentions: 0,
            documents: 1,
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// Appends the decimal digits of `n` without going through `fmt`.
fn push_number(out: &mut String, mut n: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.reserve(buf.len() - i);
    for &d in &buf[i..] {
        // (The mask tells the compiler the digit is ASCII: a one-byte push.)
        out.push(char::from(d & 0x7F));
    }
}

#[cfg(test)]
mod number_tests {
    #[test]
    fn numbers_match_the_formatter() {
        for n in [0, 7, 10, 99, 100, 12_345, usize::MAX] {
            let mut s = String::from("s:");
            super::push_number(&mut s, n);
            assert_eq!(s, format!("s:{n}"));
        }
    }
}

//! Quotation spans: pairs opening and closing quotation marks over the tokens of each
//! paragraph, following news conventions.
//!
//! - Families: curly double “ ” (and low „ closed by “ or ”; doubled singles ‘‘ ’’ '' ``
//!   count as curly doubles), straight double ", guillemets « », curly single ‘ ’ and
//!   straight single ' (opening after a space, closing glued to the word before). Only top-level quotations are reported; marks of another
//!   family inside an open quotation are nested and ignored (a double opening mark after
//!   whitespace abandons an open single quotation, which was probably an apostrophe).
//! - Direction comes from the mark and, for ambiguous marks, from the spacing around it: a
//!   straight quote glued to the word before and followed by a space closes; glued to a
//!   number ("6'2\"") it is an inch mark. Apostrophes inside words ("Iran’s", "don’t",
//!   "’90s") are part of word tokens and never seen here. A ’ after an "s" followed by a
//!   lowercase word is taken as a plural possessive when a later ’ that does not look
//!   possessive can close the quotation before the next ‘.
//! - A paragraph that ends inside a quotation continues it when the next paragraph opens
//!   with an opening mark of the same family (news style for multi-paragraph quotations);
//!   the quotation then runs from the first opening mark to the final closing mark.
//!   Otherwise the quotation ends at the paragraph end with `closed = false` (an unclosed
//!   single quotation, curly or straight, is dropped: it is too likely a stray
//!   apostrophe). The headline never
//!   continues into the body.
//! - `content` is the text between the outer marks, trimmed of whitespace.

use stancegraph_model::{Quote, Span, Token, TokenKind};
use std::ops::Range;

/// How many tokens ahead a closing ’ is looked for when deciding on a possessive.
const POSSESSIVE_LOOKAHEAD: usize = 400;

/// A family of quotation marks that pair with each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Curly,
    Straight,
    Guillemet,
    Single,
    /// Straight single marks ' used as quotation marks ('No way,' he said).
    StraightSingle,
}

/// One quotation mark token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    CurlyOpen,
    CurlyClose,
    LowOpen,
    Straight,
    GuillemetOpen,
    GuillemetClose,
    SingleOpen,
    SingleClose,
    StraightSingle,
}

fn mark_of(s: &str) -> Option<Mark> {
    Some(match s {
        "“" | "‘‘" | "``" => Mark::CurlyOpen,
        "”" | "’’" | "''" => Mark::CurlyClose,
        "„" => Mark::LowOpen,
        "\"" => Mark::Straight,
        "«" => Mark::GuillemetOpen,
        "»" => Mark::GuillemetClose,
        "‘" => Mark::SingleOpen,
        "’" => Mark::SingleClose,
        "'" => Mark::StraightSingle,
        _ => return None,
    })
}

/// An open quotation.
#[derive(Debug, Clone, Copy)]
struct Open {
    family: Family,
    /// Opened by „ (closed by “ as well as ”).
    low: bool,
    start: usize,
    content_start: usize,
}

/// Finds the quotations of a text from its tokens grouped by paragraph.
pub(crate) struct QuoteFinder<'a> {
    text: &'a str,
    toks: &'a [Token],
    quotes: Vec<Quote>,
    open: Option<Open>,
    /// Last token end of the paragraph being scanned.
    para_end: usize,
}

impl<'a> QuoteFinder<'a> {
    pub(crate) fn new(text: &'a str, toks: &'a [Token]) -> Self {
        QuoteFinder {
            text,
            toks,
            quotes: Vec::with_capacity(16),
            open: None,
            para_end: 0,
        }
    }

    fn str_of(&self, k: usize) -> &'a str {
        self.toks
            .get(k)
            .and_then(|t| t.span.slice(self.text))
            .unwrap_or("")
    }

    #[inline(always)]
    fn mark(&self, k: usize) -> Option<Mark> {
        let t = self.toks.get(k)?;
        if !self.may_be_mark(t) {
            return None;
        }
        self.mark_of_token(k)
    }

    /// The quick rejection of [`Self::mark`]: a quotation mark is punctuation whose
    /// first byte is `"`, `'`, a backtick or the lead byte of `“”‘’„«»‹›`.
    #[inline(always)]
    fn may_be_mark(&self, t: &Token) -> bool {
        t.kind == TokenKind::Punct
            && matches!(
                self.text.as_bytes().get(t.span.start),
                Some(b'"' | b'\'' | b'`' | 0xE2 | 0xC2)
            )
    }

    /// [`Self::mark`] past its quick rejection.
    #[inline(never)]
    fn mark_of_token(&self, k: usize) -> Option<Mark> {
        mark_of(self.str_of(k))
    }

    /// Whether token `k` is glued to the previous token of its paragraph.
    fn glued_before(&self, k: usize, para: &Range<usize>) -> bool {
        k > para.start
            && match (self.toks.get(k - 1), self.toks.get(k)) {
                (Some(p), Some(t)) => t.span.start == p.span.end,
                _ => false,
            }
    }

    /// Whether token `k` is glued to the next token of its paragraph.
    fn glued_after(&self, k: usize, para: &Range<usize>) -> bool {
        k + 1 < para.end
            && match (self.toks.get(k), self.toks.get(k + 1)) {
                (Some(t), Some(n)) => n.span.start == t.span.end,
                _ => false,
            }
    }

    /// Whether token `k` is glued to a following word or number (opening position).
    fn opens_word(&self, k: usize, para: &Range<usize>) -> bool {
        self.glued_after(k, para)
            && self
                .toks
                .get(k + 1)
                .is_some_and(|n| n.kind != TokenKind::Punct || self.mark(k + 1).is_some())
    }

    /// Trimmed content span between two byte offsets.
    fn content(&self, start: usize, end: usize) -> Span {
        let end = end.max(start);
        match self.text.get(start..end) {
            Some(s) => {
                let lead = s.len() - s.trim_start().len();
                let trimmed = s.trim();
                Span::new(start + lead, start + lead + trimmed.len())
            }
            None => Span::new(start, start),
        }
    }

    fn open_at(&mut self, k: usize, family: Family, low: bool) {
        if let Some(t) = self.toks.get(k) {
            self.open = Some(Open {
                family,
                low,
                start: t.span.start,
                content_start: t.span.end,
            });
        }
    }

    fn close_at(&mut self, k: usize) {
        if let (Some(o), Some(t)) = (self.open.take(), self.toks.get(k)) {
            self.quotes.push(Quote {
                span: Span::new(o.start, t.span.end),
                content: self.content(o.content_start, t.span.start),
                closed: true,
            });
        }
    }

    /// Ends the open quotation unclosed at byte `end`.
    fn abandon(&mut self, end: usize) {
        if let Some(o) = self.open.take() {
            if !matches!(o.family, Family::Single | Family::StraightSingle) {
                self.quotes.push(Quote {
                    span: Span::new(o.start, end),
                    content: self.content(o.content_start, end),
                    closed: false,
                });
            }
        }
    }

    /// Whether the ’ at `k` looks like a plural possessive: after an "s", followed by a
    /// lowercase word ("voters’ trust").
    fn looks_possessive(&self, k: usize, para: &Range<usize>) -> bool {
        let after_s = k > para.start && self.str_of(k - 1).ends_with(['s', 'S']);
        after_s
            && !self.glued_after(k, para)
            && self
                .str_of(k + 1)
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase())
    }

    /// Whether the possessive-looking ’ at `k` should be read as an apostrophe: a later ’
    /// that does not look possessive can close the quotation before the next ‘ opens.
    fn is_plural_possessive(&self, k: usize, para: &Range<usize>) -> bool {
        if !self.looks_possessive(k, para) {
            return false;
        }
        let Some(own) = self.mark(k) else {
            return false;
        };
        for j in k + 1..para.end.min(k + 1 + POSSESSIVE_LOOKAHEAD) {
            let Some(mark) = self.mark(j) else {
                continue;
            };
            let glued = self.glued_before(j, para);
            match (own, mark) {
                (Mark::SingleClose, Mark::SingleOpen) => return false,
                (Mark::StraightSingle, Mark::StraightSingle) if !glued => return false,
                (Mark::SingleClose, Mark::SingleClose)
                | (Mark::StraightSingle, Mark::StraightSingle)
                    if glued && !self.looks_possessive(j, para) =>
                {
                    return true
                }
                _ => {}
            }
        }
        false
    }

    /// Handles a mark while no quotation is open.
    fn on_mark_closed_state(&mut self, k: usize, mark: Mark, para: &Range<usize>) {
        let glued_before = self.glued_before(k, para);
        match mark {
            Mark::CurlyOpen => {
                if !glued_before || self.glued_after(k, para) {
                    self.open_at(k, Family::Curly, false);
                }
            }
            Mark::LowOpen => self.open_at(k, Family::Curly, true),
            Mark::CurlyClose => {
                // A closing mark used as an opener: after a space or an opening bracket,
                // glued to a word.
                let after_bracket =
                    glued_before && matches!(self.str_of(k.wrapping_sub(1)), "(" | "[");
                if (!glued_before || after_bracket) && self.opens_word(k, para) {
                    self.open_at(k, Family::Curly, false);
                }
            }
            Mark::Straight => {
                let after_number = glued_before
                    && self
                        .toks
                        .get(k.wrapping_sub(1))
                        .is_some_and(|p| p.kind == TokenKind::Number);
                let closer_like = glued_before && !self.glued_after(k, para);
                if !after_number && !closer_like {
                    self.open_at(k, Family::Straight, false);
                }
            }
            Mark::GuillemetOpen => self.open_at(k, Family::Guillemet, false),
            Mark::SingleOpen | Mark::StraightSingle => {
                let after_opener = glued_before
                    && matches!(self.str_of(k - 1), "“" | "\"" | "(" | "[" | "«" | "„");
                if (!glued_before || after_opener) && self.opens_word(k, para) {
                    let family = if mark == Mark::SingleOpen {
                        Family::Single
                    } else {
                        Family::StraightSingle
                    };
                    self.open_at(k, family, false);
                }
            }
            Mark::GuillemetClose | Mark::SingleClose => {}
        }
    }

    /// Handles a mark while a quotation is open.
    fn on_mark_open_state(&mut self, k: usize, mark: Mark, open: Open, para: &Range<usize>) {
        let glued_before = self.glued_before(k, para);
        let closer_like = glued_before && !self.opens_word(k, para);
        match (open.family, mark) {
            (Family::Curly, Mark::CurlyClose) => self.close_at(k),
            (Family::Curly, Mark::CurlyOpen) if open.low || closer_like => self.close_at(k),
            (Family::Curly, Mark::CurlyOpen | Mark::LowOpen) => {
                // A new opening mark: the previous quotation lost its closing mark.
                let end = k
                    .checked_sub(1)
                    .and_then(|j| self.toks.get(j))
                    .map_or(open.start, |t| t.span.end);
                self.abandon(end);
                self.open_at(k, Family::Curly, mark == Mark::LowOpen);
            }
            (Family::Curly, Mark::Straight) if closer_like => self.close_at(k),
            (Family::Straight, Mark::Straight | Mark::CurlyClose) => self.close_at(k),
            (Family::Guillemet, Mark::GuillemetClose) => self.close_at(k),
            (Family::Single, Mark::SingleClose)
                if glued_before && !self.is_plural_possessive(k, para) =>
            {
                self.close_at(k)
            }
            (Family::StraightSingle, Mark::StraightSingle)
                if closer_like && !self.is_plural_possessive(k, para) =>
            {
                self.close_at(k)
            }
            (Family::StraightSingle, Mark::StraightSingle)
                if !glued_before && self.opens_word(k, para) =>
            {
                // Another opener: the first one was an elision ('em, 'til).
                self.open_at(k, Family::StraightSingle, false);
            }
            (
                Family::Single | Family::StraightSingle,
                Mark::CurlyOpen | Mark::LowOpen | Mark::Straight | Mark::GuillemetOpen,
            ) if !glued_before && self.opens_word(k, para) => {
                self.open = None;
                self.on_mark_closed_state(k, mark, para);
            }
            _ => {}
        }
    }

    /// Whether token `k` (first of a paragraph) reopens the open quotation's family.
    fn continues_open(&self, k: usize, para: &Range<usize>) -> bool {
        let Some(open) = self.open else {
            return false;
        };
        let Some(mark) = self.mark(k) else {
            return false;
        };
        let family_match = matches!(
            (open.family, mark),
            (Family::Curly, Mark::CurlyOpen | Mark::LowOpen)
                | (Family::Straight, Mark::Straight)
                | (Family::Guillemet, Mark::GuillemetOpen)
                | (Family::Single, Mark::SingleOpen)
                | (Family::StraightSingle, Mark::StraightSingle)
        );
        family_match && self.opens_word(k, para)
    }

    /// Scans the paragraphs (token ranges, in order). `isolated[p]` marks a paragraph
    /// (the headline) that neither continues nor is continued.
    pub(crate) fn run(mut self, paragraphs: &[Range<usize>], isolated: &[bool]) -> Vec<Quote> {
        let mut skip_first = false;
        for (p, para) in paragraphs.iter().enumerate() {
            if para.is_empty() {
                continue;
            }
            self.para_end = self.toks.get(para.end - 1).map_or(0, |t| t.span.end);
            let mut k = para.start;
            if skip_first {
                k += 1;
                skip_first = false;
            }
            while k < para.end {
                // Pass over the tokens that cannot be quotation marks in one sweep.
                let rest = self.toks.get(k..para.end).unwrap_or(&[]);
                k += rest
                    .iter()
                    .position(|t| self.may_be_mark(t))
                    .unwrap_or(rest.len());
                if k >= para.end {
                    break;
                }
                let Some(mark) = self.mark(k) else {
                    k += 1;
                    continue;
                };
                match self.open {
                    None => self.on_mark_closed_state(k, mark, para),
                    Some(open) => self.on_mark_open_state(k, mark, open, para),
                }
                k += 1;
            }
            if self.open.is_some() {
                let this_isolated = isolated.get(p).copied().unwrap_or(false);
                let next = paragraphs.get(p + 1);
                let next_isolated = isolated.get(p + 1).copied().unwrap_or(false);
                let continued = !this_isolated
                    && !next_isolated
                    && next.is_some_and(|n| !n.is_empty() && self.continues_open(n.start, n));
                if continued {
                    skip_first = true;
                } else {
                    self.abandon(self.para_end);
                }
            }
        }
        self.quotes
    }
}

/// Index of the quotation a sentence lies in, for each sentence span (in order).
///
/// A sentence lies in a quotation when it starts inside the quotation (at its opening
/// mark or within its content), or when the quotation's content covers more than half of
/// the sentence's bytes. `“We will win,” he said.` and `“We came.` / `We won,” he said.`
/// are in their quotation; `He said: “Yes.”` is not.
pub(crate) fn assign_quotes(sentences: &[Span], quotes: &[Quote]) -> Vec<Option<usize>> {
    let mut out = Vec::with_capacity(sentences.len());
    let mut first = 0;
    for s in sentences {
        while first < quotes.len() && quotes[first].span.end <= s.start {
            first += 1;
        }
        let mut best: Option<(usize, usize)> = None;
        let mut q = first;
        while q < quotes.len() && quotes[q].span.start < s.end {
            let quote = &quotes[q];
            let overlap = quote
                .content
                .end
                .min(s.end)
                .saturating_sub(quote.content.start.max(s.start));
            let starts_inside = quote.span.start <= s.start && s.start < quote.content.end;
            if (starts_inside || 2 * overlap > s.len()) && best.is_none_or(|(_, o)| overlap > o) {
                best = Some((q, overlap));
            }
            q += 1;
        }
        out.push(best.map(|(q, _)| q));
    }
    out
}

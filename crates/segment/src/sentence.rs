//! Sentence boundary detection over the tokens of one paragraph.
//!
//! A sentence ends after a terminator token (".", "!"/"?" runs, ellipses, a word with an
//! attached abbreviation period) together with any closing quotes or brackets glued to it,
//! when the context says so:
//! - "." ends a sentence unless the next token starts lowercase or is ",", ";", ":", a dash;
//!   "!" and "?" likewise (so `"Stop!" he said.` and "Yahoo! in" stay whole).
//! - "..."/"…" end one only before whitespace and a capitalised word, and never inside
//!   brackets ("[...]"); a spaced ellipsis ". . ." never does, a four-dot one ". . . ."
//!   does before a capitalised word. "word. . . . Next" ends after "word.".
//! - Abbreviations follow their class (see `data/lexicon/abbreviations.txt`): titles never
//!   end a sentence; general abbreviations end one before a capitalised word; dotted
//!   acronyms before a common sentence starter, a title or an opening quotation mark
//!   ("U.S. How" vs "U.S. Government"), unless the sentence so far is a short introductory
//!   prepositional phrase ("At 5 a.m. Mr. Smith left"); a time ("p.m.") before a
//!   capitalised word that does not continue the time ("5 p.m. Police said" vs "5 p.m.
//!   Thursday", "5 p.m. EST"). An initial ("E.") ends a sentence before a digit or a
//!   capitalised sentence starter ("plan B. The"); "I." after a lowercase word is the
//!   pronoun and ends one before any capitalised word ("you and I. Jones").
//! - List items start sentences: a bullet after whitespace, and the next marker of a list
//!   begun at a sentence start ("1." "2.", "a)" "b)", "1.)" "2.)").
//! - A line break inside a paragraph ends a sentence unless the next line starts lowercase
//!   or the line ends with a comma, semicolon, ampersand, hyphen, opening bracket or
//!   quote, or a title abbreviation.

use crate::lexicon::{AbbreviationClass, Lexicon};
use stancegraph_model::{Token, TokenKind};

/// How many tokens ahead the next item of a letter list is looked for.
const LIST_LOOKAHEAD: usize = 400;

/// Bullet characters that open a list item.
fn is_bullet_char(c: char) -> bool {
    matches!(
        c,
        '•' | '‣'
            | '⁃'
            | '◦'
            | '▪'
            | '▫'
            | '●'
            | '○'
            | '■'
            | '□'
            | '∙'
            | '➢'
            | '►'
            | '▶'
    )
}

/// Whether a gap between tokens holds a line feed. Gaps are short: a plain loop beats a
/// search call.
#[inline]
fn has_line_feed(gap: &[u8]) -> bool {
    for &b in gap {
        if b == b'\n' {
            return true;
        }
    }
    false
}

/// How a list marker is punctuated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkerStyle {
    Dot,
    Paren,
    DotParen,
}

/// The ordinal of a list marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkerValue {
    Number(u32),
    Letter(char),
}

impl MarkerValue {
    fn successor(self) -> Option<MarkerValue> {
        match self {
            MarkerValue::Number(n) => Some(MarkerValue::Number(n + 1)),
            MarkerValue::Letter(c) => char::from_u32(c as u32 + 1)
                .filter(|n| n.is_alphabetic())
                .map(MarkerValue::Letter),
        }
    }
}

/// A list marker found at a token index.
#[derive(Debug, Clone, Copy)]
struct Marker {
    value: MarkerValue,
    style: MarkerStyle,
    /// Token index after the marker.
    end: usize,
}

/// What kind of possible sentence end a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Terminator {
    Period,
    Exclamation,
    DotRun,
    SpacedEllipsis { dots: usize },
    Abbreviation(AbbreviationClass),
}

/// Whether a line feed lies between the first and the last token (true when the tokens
/// are not in the text): the test oracle of the flag that `segment_text` gives
/// [`Splitter::with_line_feed`].
#[cfg(test)]
pub(crate) fn spans_line_feed(text: &str, toks: &[Token]) -> bool {
    match (toks.first(), toks.last()) {
        (Some(first), Some(last)) => text
            .as_bytes()
            .get(first.span.start..last.span.end)
            .is_none_or(|span| memchr::memchr(b'\n', span).is_some()),
        _ => false,
    }
}

/// The sentence splitter of one paragraph's tokens.
pub(crate) struct Splitter<'a> {
    text: &'a str,
    toks: &'a [Token],
    lex: &'a Lexicon,
    /// Whether a line feed lies between the first and the last token (most paragraphs
    /// are one line: then no gap needs looking at).
    has_line_feed: bool,
}

impl<'a> Splitter<'a> {
    /// The splitter of `toks`, looking for line feeds between them itself (tests).
    #[cfg(test)]
    pub(crate) fn new(text: &'a str, toks: &'a [Token], lex: &'a Lexicon) -> Self {
        Self::with_line_feed(text, toks, lex, spans_line_feed(text, toks))
    }

    /// The splitter of `toks`, told whether a line feed lies between the first and the
    /// last token (`true` is always safe: it only turns off a skip).
    pub(crate) fn with_line_feed(
        text: &'a str,
        toks: &'a [Token],
        lex: &'a Lexicon,
        has_line_feed: bool,
    ) -> Self {
        Splitter {
            text,
            toks,
            lex,
            has_line_feed,
        }
    }

    fn str_of(&self, k: usize) -> &'a str {
        self.toks
            .get(k)
            .and_then(|t| t.span.slice(self.text))
            .unwrap_or("")
    }

    fn first_char(&self, k: usize) -> Option<char> {
        self.str_of(k).chars().next()
    }

    fn kind(&self, k: usize) -> Option<TokenKind> {
        self.toks.get(k).map(|t| t.kind)
    }

    /// Whether whitespace separates token `k` from the one before (true for the first).
    fn spaced_before(&self, k: usize) -> bool {
        match (
            k.checked_sub(1).and_then(|p| self.toks.get(p)),
            self.toks.get(k),
        ) {
            (Some(p), Some(t)) => t.span.start > p.span.end,
            _ => true,
        }
    }

    /// Whether a line break lies between token `k - 1` and token `k`.
    fn line_break_before(&self, k: usize) -> bool {
        if !self.has_line_feed {
            return false;
        }
        match (
            k.checked_sub(1).and_then(|p| self.toks.get(p)),
            self.toks.get(k),
        ) {
            (Some(p), Some(t)) if t.span.start > p.span.end => self
                .text
                .as_bytes()
                .get(p.span.end..t.span.start)
                .is_some_and(has_line_feed),
            _ => false,
        }
    }

    fn is_closer(&self, k: usize) -> bool {
        self.kind(k) == Some(TokenKind::Punct)
            && matches!(
                self.str_of(k),
                "\"" | "'" | "”" | "’" | "’’" | "''" | "»" | "›" | ")" | "]" | "}"
            )
    }

    fn is_opener(&self, k: usize) -> bool {
        self.kind(k) == Some(TokenKind::Punct)
            && matches!(
                self.str_of(k),
                "\"" | "'" | "“" | "‘" | "‘‘" | "``" | "„" | "«" | "‹" | "(" | "[" | "{"
            )
    }

    #[inline(always)]
    fn is_bullet(&self, k: usize) -> bool {
        let Some(t) = self.toks.get(k) else {
            return false;
        };
        // Bullets are single non-ASCII punctuation or symbol characters.
        if t.kind == TokenKind::Word
            || t.kind == TokenKind::Number
            || self
                .text
                .as_bytes()
                .get(t.span.start)
                .is_none_or(|b| b.is_ascii())
        {
            return false;
        }
        self.is_single_bullet_char(k)
    }

    /// Whether token `k` is one bullet character.
    #[inline(never)]
    fn is_single_bullet_char(&self, k: usize) -> bool {
        let s = self.str_of(k);
        let mut chars = s.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if is_bullet_char(c))
    }

    /// The index of the first token at or after `k` that is not an opening quote or
    /// bracket (at most two are skipped).
    fn skip_openers(&self, k: usize) -> usize {
        let mut w = k;
        while w < k + 2 && w + 1 < self.toks.len() && self.is_opener(w) {
            w += 1;
        }
        w
    }

    /// Whether token `t` can neither end a sentence nor start a list item, whatever
    /// surrounds it: a number, a word that does not end in a period, or punctuation or a
    /// symbol whose first byte is ASCII other than ".", "!" and "?", or that starts with
    /// general punctuation U+2000..=U+203F other than the bullets "•" "‣", the ellipsis and
    /// "‽" (curly quotes, dashes: so neither a terminator nor a bullet). Past the sentence
    /// start, in a paragraph without line feeds and outside a list, such a token is passed
    /// over.
    #[inline(always)]
    fn is_inert(&self, t: &Token) -> bool {
        let bytes = self.text.as_bytes();
        match t.kind {
            TokenKind::Number => true,
            TokenKind::Word => bytes.get(t.span.end.wrapping_sub(1)) != Some(&b'.'),
            TokenKind::Punct | TokenKind::Symbol => match bytes.get(t.span.start) {
                Some(&b) if b.is_ascii() => !matches!(b, b'.' | b'!' | b'?'),
                Some(0xE2) => matches!(
                    bytes.get(t.span.start + 1..t.span.start + 3),
                    Some(&[0x80, third]) if !matches!(third, 0xA2 | 0xA3 | 0xA6 | 0xBD)
                ),
                _ => false,
            },
        }
    }

    #[inline(always)]
    fn terminator(&self, k: usize) -> Option<Terminator> {
        let t = self.toks.get(k)?;
        let bytes = self.text.as_bytes();
        // Quick rejection on the first (punctuation) or last (word) byte.
        let quick = match t.kind {
            TokenKind::Punct => matches!(bytes.get(t.span.start), Some(b'.' | b'!' | b'?' | 0xE2)),
            TokenKind::Word => bytes.get(t.span.end.wrapping_sub(1)) == Some(&b'.'),
            _ => false,
        };
        if !quick {
            return None;
        }
        self.classify_terminator(k, t.kind)
    }

    /// [`Self::terminator`] past its quick rejection.
    #[inline(never)]
    fn classify_terminator(&self, k: usize, kind: TokenKind) -> Option<Terminator> {
        let s = self.str_of(k);
        match kind {
            TokenKind::Punct => {
                let first = s.chars().next()?;
                match first {
                    '.' if s.len() == 1 => Some(Terminator::Period),
                    '.' if s.contains(' ') => Some(Terminator::SpacedEllipsis {
                        dots: s.bytes().filter(|&b| b == b'.').count(),
                    }),
                    '.' | '…' => Some(Terminator::DotRun),
                    '!' | '?' | '‽' => Some(Terminator::Exclamation),
                    _ => None,
                }
            }
            TokenKind::Word if s.len() > 1 && s.ends_with('.') => {
                Some(Terminator::Abbreviation(self.lex.classify(s)))
            }
            _ => None,
        }
    }

    /// Whether the token at `k` (through openers) starts like a sentence: an uppercase or
    /// caseless letter.
    fn starts_capitalised(&self, k: usize) -> bool {
        self.first_char(self.skip_openers(k))
            .is_some_and(|c| c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase()))
    }

    /// Whether the token at `k` continues the sentence after a terminator.
    fn continues(&self, k: usize) -> bool {
        if matches!(
            self.str_of(k),
            "," | ";" | ":" | "-" | "–" | "—" | "‐" | "&" | "--"
        ) {
            return true;
        }
        self.first_char(self.skip_openers(k))
            .is_some_and(|c| c.is_lowercase())
    }

    fn is_starter(&self, k: usize) -> bool {
        self.lex.is_starter(self.str_of(self.skip_openers(k)))
    }

    fn is_title_abbreviation(&self, k: usize) -> bool {
        self.terminator(k) == Some(Terminator::Abbreviation(AbbreviationClass::Title))
    }

    /// Whether tokens `sent_start..=k` form a short phrase opened by a preposition.
    fn is_intro_phrase(&self, sent_start: usize, k: usize) -> bool {
        k + 1 - sent_start <= 4
            && self.kind(sent_start) == Some(TokenKind::Word)
            && self.lex.is_intro_preposition(self.str_of(sent_start))
    }

    /// A list marker at token `k` ("1." "1)" "1.)" "a." "a)"), followed by whitespace.
    fn marker_at(&self, k: usize) -> Option<Marker> {
        let s = self.str_of(k);
        let glued = |j: usize| j < self.toks.len() && !self.spaced_before(j);
        let (value, style, end) = match self.kind(k)? {
            TokenKind::Number if (1..=2).contains(&s.len()) => {
                let n: u32 = s.parse().ok()?;
                if !glued(k + 1) {
                    return None;
                }
                match self.str_of(k + 1) {
                    "." if glued(k + 2) && self.str_of(k + 2) == ")" => {
                        (MarkerValue::Number(n), MarkerStyle::DotParen, k + 3)
                    }
                    "." => (MarkerValue::Number(n), MarkerStyle::Dot, k + 2),
                    ")" => (MarkerValue::Number(n), MarkerStyle::Paren, k + 2),
                    _ => return None,
                }
            }
            TokenKind::Word => {
                let mut chars = s.chars();
                let letter = chars.next().filter(|c| c.is_alphabetic())?;
                match (chars.next(), chars.next()) {
                    (Some('.'), None) if glued(k + 1) && self.str_of(k + 1) == ")" => {
                        (MarkerValue::Letter(letter), MarkerStyle::DotParen, k + 2)
                    }
                    (Some('.'), None) => (MarkerValue::Letter(letter), MarkerStyle::Dot, k + 1),
                    (None, _) if glued(k + 1) && self.str_of(k + 1) == ")" => {
                        (MarkerValue::Letter(letter), MarkerStyle::Paren, k + 2)
                    }
                    _ => return None,
                }
            }
            _ => return None,
        };
        if end < self.toks.len() && !self.spaced_before(end) {
            return None;
        }
        Some(Marker { value, style, end })
    }

    /// Whether the marker's successor appears later in the paragraph after whitespace
    /// (within [`LIST_LOOKAHEAD`] tokens).
    fn list_continues(&self, marker: Marker) -> bool {
        let Some(next) = marker.value.successor() else {
            return false;
        };
        let horizon = self.toks.len().min(marker.end + LIST_LOOKAHEAD);
        (marker.end..horizon).any(|k| {
            self.spaced_before(k)
                && self
                    .marker_at(k)
                    .is_some_and(|m| m.value == next && m.style == marker.style)
        })
    }

    /// Whether a line break before token `k` ends the sentence.
    fn line_break_ends_sentence(&self, k: usize) -> bool {
        if self.first_char(k).is_some_and(|c| c.is_lowercase()) {
            return false;
        }
        let prev = k - 1;
        if matches!(
            self.str_of(prev),
            "," | ";" | "&" | "-" | "‐" | "(" | "[" | "{" | "“" | "‘" | "„" | "«"
        ) {
            return false;
        }
        !self.is_title_abbreviation(prev)
    }

    /// Whether the terminator at `k`, with closers up to `last`, ends the sentence that
    /// began at `sent_start`; `last + 1` is a token of the paragraph.
    fn ends_sentence(&self, term: Terminator, k: usize, last: usize, sent_start: usize) -> bool {
        let next = last + 1;
        let spaced = self.spaced_before(next);
        match term {
            Terminator::Period => {
                if let Some(Terminator::SpacedEllipsis { .. }) = self.terminator(next) {
                    if last == k {
                        // "word. . . . Next": the period ends the sentence when the ellipsis
                        // leads into a capitalised word.
                        let after = self.absorb_closers(next) + 1;
                        return after < self.toks.len()
                            && self.spaced_before(after)
                            && self.starts_capitalised(after);
                    }
                }
                spaced && !self.continues(next)
            }
            Terminator::Exclamation => spaced && !self.continues(next),
            Terminator::DotRun => {
                let in_brackets =
                    k > 0 && !self.spaced_before(k) && matches!(self.str_of(k - 1), "[" | "(");
                !in_brackets
                    && spaced
                    && self.first_char(next).is_some_and(|c| {
                        c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase())
                    })
            }
            Terminator::SpacedEllipsis { dots } => {
                dots >= 4 && spaced && self.starts_capitalised(next)
            }
            Terminator::Abbreviation(class) => {
                if !spaced {
                    return false;
                }
                match class {
                    AbbreviationClass::Title => false,
                    AbbreviationClass::General => self.starts_capitalised(next),
                    AbbreviationClass::Time => {
                        let word = self.str_of(self.skip_openers(next));
                        self.starts_capitalised(next)
                            && !self.lex.is_time_continuation(word)
                            && !self.is_intro_phrase(sent_start, k)
                    }
                    AbbreviationClass::Acronym => {
                        (self.is_starter(next)
                            || self.is_title_abbreviation(next)
                            || (matches!(self.str_of(next), "“" | "\"" | "‘‘" | "«")
                                && self.starts_capitalised(next)))
                            && !self.is_intro_phrase(sent_start, k)
                    }
                    AbbreviationClass::Initial => {
                        if self.first_char(next).is_some_and(|c| c.is_ascii_digit()) {
                            return true;
                        }
                        // The pronoun "I" after a lowercase word ("you and I.") is no
                        // initial.
                        let pronoun = self.str_of(k) == "I."
                            && k > sent_start
                            && self.first_char(k - 1).is_some_and(|c| c.is_lowercase());
                        self.starts_capitalised(next) && (self.is_starter(next) || pronoun)
                    }
                }
            }
        }
    }

    /// The last index of the closing quotes and brackets glued after token `k`.
    fn absorb_closers(&self, k: usize) -> usize {
        let mut last = k;
        while last + 1 < self.toks.len()
            && !self.spaced_before(last + 1)
            && self.is_closer(last + 1)
        {
            last += 1;
        }
        last
    }

    /// The token indices (relative to the paragraph) at which sentences start; the first
    /// is always 0 when there are tokens.
    pub(crate) fn sentence_starts(&self, starts: &mut Vec<usize>) {
        let n = self.toks.len();
        if n == 0 {
            return;
        }
        starts.push(0);
        let mut sent_start = 0;
        let mut list: Option<Marker> = None;
        let mut i = 0;
        while i < n {
            // Most tokens change nothing: pass over them before the full tests below.
            if i != sent_start && list.is_none() && !self.has_line_feed {
                let rest = self.toks.get(i..).unwrap_or(&[]);
                i += rest
                    .iter()
                    .position(|t| !self.is_inert(t))
                    .unwrap_or(rest.len());
                if i >= n {
                    break;
                }
            }
            if i == sent_start {
                let m = if self.is_bullet(i) { i + 1 } else { i };
                if let Some(marker) = self.marker_at(m) {
                    let accept = match marker.value {
                        MarkerValue::Letter(c) if c.is_uppercase() => self.list_continues(marker),
                        _ => true,
                    };
                    if accept {
                        list = Some(marker);
                        i = marker.end;
                        continue;
                    }
                }
                if m > i {
                    i = m;
                    continue;
                }
            } else if self.spaced_before(i) {
                let new_item = self.is_bullet(i)
                    || list.is_some_and(|l| {
                        self.marker_at(i).is_some_and(|m| {
                            m.style == l.style && Some(m.value) == l.value.successor()
                        })
                    });
                if new_item || (self.line_break_before(i) && self.line_break_ends_sentence(i)) {
                    starts.push(i);
                    sent_start = i;
                    continue;
                }
            }
            if let Some(term) = self.terminator(i) {
                let last = self.absorb_closers(i);
                if last + 1 < n && self.ends_sentence(term, i, last, sent_start) {
                    starts.push(last + 1);
                    sent_start = last + 1;
                }
                i = last + 1;
                continue;
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every token the skip loop passes over is neither a terminator nor a bullet.
    fn check_inert_tokens(text: &str) {
        let tokens = crate::tokenize(text);
        let splitter = Splitter::new(text, &tokens, Lexicon::embedded());
        for (k, t) in tokens.iter().enumerate() {
            if splitter.is_inert(t) {
                assert_eq!(splitter.terminator(k), None, "{text:?} token {k}");
                assert!(!splitter.is_bullet(k), "{text:?} token {k}");
            }
        }
    }

    #[test]
    fn inert_tokens_neither_end_sentences_nor_start_items() {
        check_inert_tokens(
            "“Yes,” she said — and left… Then ‽ • one ‣ two ⁃ three ‘so’ – 5. Mr. x!",
        );
        let general: String = ('\u{2000}'..='\u{206F}').flat_map(|c| [c, ' ']).collect();
        check_inert_tokens(&general);
    }

    proptest::proptest! {
        #[test]
        fn inert_tokens_are_inert_on_any_text(text in "[a-zA-Z0-9 .!?,;“”‘’—–•‣⁃…‽◦●\\-]{0,40}") {
            check_inert_tokens(&text);
        }
    }
}

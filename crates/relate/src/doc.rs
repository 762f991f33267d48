//! The per-document working view of the relation stage: tokens annotated with their
//! lexicon entry and mention, sentences with token ranges, actor mentions and quotations,
//! all validated against the text so that later rules never slice out of bounds.

use std::cell::Cell;

use stancegraph_model::{Document, EntityType, Linked, MentionKind, Segmented, Span};

use crate::lexicon::{fw, kind, Lexicon, WordEntry};

pub(crate) const NONE: u32 = u32::MAX;

/// A token: a run of alphanumeric characters, or one other non-space character.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub word: bool,
    /// The first character is upper case.
    pub cap: bool,
    /// Lexicon entry id or [`NONE`].
    pub entry: u32,
    /// Index into [`Ctx::mentions`] or [`NONE`].
    pub mention: u32,
    /// Index into [`Ctx::sents`].
    pub sent: u32,
    /// The character of a one-character token (not a word) if it lies in the Basic
    /// Multilingual Plane, [`ASTRAL`] for one beyond it, 0 for a word.
    pub punct: u16,
}

/// [`Tok::punct`] of a character beyond the Basic Multilingual Plane (read from the text).
pub(crate) const ASTRAL: u16 = u16::MAX;

/// A sentence with its token range `[t0, t1)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sent {
    pub index: usize,
    pub span: Span,
    pub paragraph: usize,
    pub t0: usize,
    pub t1: usize,
}

/// A mention with its token range `[t0, t1)` and entity index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Men {
    pub span: Span,
    pub t0: usize,
    pub t1: usize,
    /// Index into `Linked::entities`, or `None` when the entity is not listed.
    pub entity: Option<usize>,
    pub etype: EntityType,
    pub kind: MentionKind,
    /// Index into `Linked::mentions` (for a phrase the relation stage found: the mention of
    /// the organisation it refers to, or `usize::MAX`).
    pub src: usize,
    /// Index into [`Ctx::groups`] for an unnamed or collective speaker phrase, else [`NONE`].
    pub group: u32,
    /// Found by the relation stage (`generic_speakers.tsv`), not by the linker: a speaker
    /// only, never a target or event actor.
    pub synthetic: bool,
    /// Token after the whole phrase, post-modifier included ("sources familiar with the
    /// talks"); equals `t1` for linked mentions.
    pub phrase_end: usize,
}

/// A document's buffers, kept by each thread between documents so that building the view
/// of one does not allocate them afresh (buffers grown past [`SCRATCH_MAX_TOKENS`] tokens
/// are let go).
#[derive(Default)]
struct Scratch {
    lower: String,
    lists: TokenLists,
    sents: Vec<Sent>,
    mentions: Vec<Men>,
    quotes: Vec<(Span, Span)>,
    /// Mention indices in text order.
    order: Vec<u32>,
    /// The entities by id.
    by_id: IdTable,
    spare_mentions: Vec<Men>,
}

/// The entities of a document by id: an open-addressing (linear probing) table of (id
/// hash, entity index), holding the first entity of each id.
#[derive(Default)]
struct IdTable {
    slots: Vec<(u64, u32)>,
    mask: usize,
}

impl IdTable {
    /// The slot an id hash starts probing at (the high bits mix best).
    #[inline]
    fn home(&self, h: u64) -> usize {
        (h >> 40) as usize & self.mask
    }

    /// Fills the table with `entities` (the table cleared first).
    fn build(&mut self, entities: &[stancegraph_model::Entity]) {
        let size = (entities.len() * 2).next_power_of_two().max(8);
        self.slots.clear();
        self.slots.resize(size, (0, NONE));
        self.mask = size - 1;
        // (Indices are kept as u32, `NONE` marking an empty slot.)
        for (i, e) in entities.iter().enumerate().take(NONE as usize) {
            let h = hash_str(&e.id);
            let mut at = self.home(h);
            while let Some(&(sh, si)) = self.slots.get(at) {
                if si == NONE {
                    self.slots[at] = (h, i as u32);
                    break;
                }
                if sh == h && entities.get(si as usize).is_some_and(|x| x.id == e.id) {
                    break;
                }
                at = (at + 1) & self.mask;
            }
        }
    }

    /// The index of the first entity with id `id`.
    fn get(&self, entities: &[stancegraph_model::Entity], id: &str) -> Option<usize> {
        let h = hash_str(id);
        let mut at = self.home(h);
        loop {
            let &(sh, si) = self.slots.get(at)?;
            if si == NONE {
                return None;
            }
            if sh == h && entities.get(si as usize).is_some_and(|e| e.id == id) {
                return Some(si as usize);
            }
            at = (at + 1) & self.mask;
        }
    }
}

/// Buffers for documents of more tokens than this are not kept.
const SCRATCH_MAX_TOKENS: usize = 1 << 18;

thread_local! {
    static SCRATCH: Cell<Scratch> = Cell::new(Scratch::default());
}

/// The document view shared by all rules.
pub(crate) struct Ctx<'a> {
    pub lex: &'a Lexicon,
    pub doc: &'a Document,
    pub linked: &'a Linked,
    pub text: &'a str,
    pub lower: String,
    pub toks: Vec<Tok>,
    pub sents: Vec<Sent>,
    pub mentions: Vec<Men>,
    /// Validated quotations (span with marks, content without).
    pub quotes: Vec<(Span, Span)>,
    /// (country code, entity index) of the country entities, in entity order.
    country_entities: Vec<(&'a str, usize)>,
    /// Document date as days since 1970-01-01.
    pub day: Option<i64>,
    /// Unnamed and collective speakers found in the text (see [`crate::generic`]).
    pub groups: Vec<crate::generic::GroupSpeaker>,
    /// Tokens that may head such a phrase, in text order.
    pub generic_heads: Vec<u32>,
    /// Tokens whose word may start a cue or an interaction trigger, in text order.
    pub triggers: Vec<u32>,
    /// Tokens whose word names a weekday, in text order.
    weekdays: Vec<u32>,
    /// An empty buffer for a new list of mentions (kept between documents).
    pub spare_mentions: Vec<Men>,
    /// Byte offsets of the white space characters that folding changes (all but a plain
    /// space before a character that is not white space), in order.
    irregular: Vec<usize>,
}

fn entity_type_from_id(id: &str) -> EntityType {
    let mut parts = id.split(':');
    if parts.next() == Some("new") {
        match parts.next() {
            Some("person") => return EntityType::Person,
            Some("organization") => return EntityType::Organization,
            Some("country") => return EntityType::Country,
            Some("group") => return EntityType::Group,
            Some("location") => return EntityType::Location,
            _ => {}
        }
    }
    EntityType::Other
}

/// The text a span covers, or `None` when it is out of bounds or off a char boundary
/// (`Span::slice`, inlined into this crate's loops).
#[inline]
pub(crate) fn span_text(text: &str, span: Span) -> Option<&str> {
    text.get(span.start..span.end)
}

fn valid_span(text: &str, s: Span) -> bool {
    s.start <= s.end
        && s.end <= text.len()
        && text.is_char_boundary(s.start)
        && text.is_char_boundary(s.end)
}

/// Byte classes of the tokenizer: ASCII white space, ASCII letters and digits, other ASCII
/// characters, and the bytes of longer characters.
const SPACE: u8 = 0;
const WORD: u8 = 1;
const PUNCT: u8 = 2;
const MULTI: u8 = 3;

/// The class of every byte (white space as `char::is_whitespace` has it).
const BYTE_CLASS: [u8; 256] = {
    let mut t = [MULTI; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c == b' ' || (c >= 0x09 && c <= 0x0D) {
            SPACE
        } else if c.is_ascii_alphanumeric() {
            WORD
        } else {
            PUNCT
        };
        b += 1;
    }
    t
};

/// `char::is_alphanumeric`, answered at once for the General Punctuation block (curly
/// quotation marks, dashes: common in news, and none of them letters or digits).
#[inline]
fn is_alphanumeric(c: char) -> bool {
    !('\u{2000}'..='\u{206F}').contains(&c) && c.is_alphanumeric()
}

/// `toks.partition_point(pred)` for a `pred` that holds for a prefix of the tokens,
/// searched forward from `hint` (galloping) when it holds before `hint`, else before it.
fn partition_from(toks: &[Tok], hint: usize, pred: impl Fn(&Tok) -> bool) -> usize {
    let hint = hint.min(toks.len());
    if hint > 0 && !pred(&toks[hint - 1]) {
        return toks[..hint].partition_point(pred);
    }
    // Everything before `lo` holds; the answer is mostly a few tokens on.
    let mut lo = hint;
    let near = (lo + 32).min(toks.len());
    while lo < near {
        if !pred(&toks[lo]) {
            return lo;
        }
        lo += 1;
    }
    let mut step = 1;
    while lo + step <= toks.len() && pred(&toks[lo + step - 1]) {
        lo += step;
        step *= 2;
    }
    let hi = (lo + step).min(toks.len());
    lo + toks[lo..hi].partition_point(pred)
}

/// A 64-bit hash of a string (FxHash over eight-byte words; the last, partial word is read
/// with overlapping loads instead of being copied out).
fn hash_str(s: &str) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let bytes = s.as_bytes();
    let n = bytes.len();
    let mut h = n as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        h = (h.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
    let rest = chunks.remainder();
    if let (Some(&first), Some(&last)) = (rest.first(), rest.last()) {
        let load4 = |at: usize| {
            bytes.get(at..at + 4).map_or(0, |b| {
                u32::from_le_bytes(b.try_into().unwrap_or([0; 4])) as u64
            })
        };
        let w = if n >= 8 {
            bytes
                .get(n - 8..)
                .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
        } else if n >= 4 {
            load4(0) | (load4(n - 4) << 32)
        } else {
            let mid = rest.get(rest.len() / 2).copied().unwrap_or(0);
            first as u64 | ((mid as u64) << 8) | ((last as u64) << 16)
        };
        h = (h.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
    h
}

/// The character starting at byte `i`, if `i` is a character boundary of `text`.
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// `0x01` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte.
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that lies strictly between `lo` and `hi` (both below
/// 128), exactly per byte (no carries cross bytes).
#[inline]
fn bytes_between(w: u64, lo: u8, hi: u8) -> u64 {
    let x = w & !HIGHS;
    (ONES * (127 + hi as u64)).wrapping_sub(x) & !w & (x + ONES * (127 - lo as u64)) & HIGHS
}

/// The end of the run of ASCII letters and digits of the lower-cased text `lower` that
/// starts at byte `i` (eight bytes at a time).
#[inline]
fn ascii_word_end(lower: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = lower.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let word = bytes_between(w, b'a' - 1, b'z' + 1) | bytes_between(w, b'0' - 1, b'9' + 1);
        let other = !word & HIGHS;
        if other != 0 {
            return i + (other.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while lower
        .get(i)
        .is_some_and(|&c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        i += 1;
    }
    i
}

/// The high bit of each byte of `w` that is an ASCII lower-case letter or digit.
#[inline]
fn lower_alnum_bytes(w: u64) -> u64 {
    bytes_between(w, b'a' - 1, b'z' + 1) | bytes_between(w, b'0' - 1, b'9' + 1)
}

/// The length of the run of ASCII letters and digits of the lower-cased text `lower` at
/// byte `i`, with its bytes packed little-endian into two machine words (zero padded),
/// when the run ends within sixteen bytes at an ASCII byte and the text goes on for the
/// words loaded.
#[inline]
fn short_ascii_word(lower: &[u8], i: usize) -> Option<(usize, u64, u64)> {
    let chunk = lower.get(i..)?.get(..8)?;
    let w0 = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
    let other = !lower_alnum_bytes(w0) & HIGHS;
    if other != 0 {
        let len = (other.trailing_zeros() / 8) as usize;
        return (chunk.get(len)? < &0x80).then(|| (len, w0 & bytes_before_first(other), 0));
    }
    let chunk = lower.get(i + 8..)?.get(..8)?;
    let w1 = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
    let other = !lower_alnum_bytes(w1) & HIGHS;
    if other == 0 {
        return None;
    }
    let len = (other.trailing_zeros() / 8) as usize;
    (chunk.get(len)? < &0x80).then(|| (8 + len, w0, w1 & bytes_before_first(other)))
}

/// For a nonzero `marks` with only high bits of bytes set: every bit of the bytes below the
/// lowest marked byte (the mask [`keep_low_bytes`] makes for its index).
#[inline]
fn bytes_before_first(marks: u64) -> u64 {
    (marks ^ marks.wrapping_sub(1)) >> 8
}

/// The low `n` bytes of a machine word kept, the others zeroed (`n` below 8).
#[cfg(test)]
fn keep_low_bytes(w: u64, n: usize) -> u64 {
    w & !(u64::MAX << (8 * n))
}

/// The token lists [`tokenize`] fills.
#[derive(Default)]
struct TokenLists {
    toks: Vec<Tok>,
    /// Tokens that may head an unnamed or collective speaker phrase.
    heads: Vec<u32>,
    /// Tokens that may start a cue or an interaction trigger.
    triggers: Vec<u32>,
    /// Tokens whose word names a weekday.
    weekdays: Vec<u32>,
    /// See [`Ctx::irregular`].
    irregular: Vec<usize>,
}

/// Gives sentences their token ranges and tokens their sentence while the tokens are
/// made: `t0` is the first token starting at or after the sentence start, `t1` the first
/// starting at or after its end (at least `t0`), and each token belongs to the last
/// sentence starting at or before it (the first sentence for the tokens before all).
struct SentenceCursor<'s> {
    /// Sorted by start.
    sents: &'s mut [Sent],
    /// Sentences starting at or before the last token.
    starts_seen: usize,
    /// Sentences ending at or before the last token (when `ends_sorted`).
    ends_seen: usize,
    /// The sentence ends are in order too (always, but for overlapping sentences), so
    /// that `t1` is found in the same pass.
    ends_sorted: bool,
    /// The least token start at which a sentence starts or ends.
    boundary: usize,
    /// The sentence of the last token.
    sent: u32,
}

impl<'s> SentenceCursor<'s> {
    fn new(sents: &'s mut [Sent]) -> Self {
        let ends_sorted = sents.windows(2).all(|w| w[0].span.end <= w[1].span.end);
        let mut c = SentenceCursor {
            sents,
            starts_seen: 0,
            ends_seen: 0,
            ends_sorted,
            boundary: 0,
            sent: 0,
        };
        c.boundary = c.next_boundary();
        c
    }

    fn next_boundary(&self) -> usize {
        let start = self
            .sents
            .get(self.starts_seen)
            .map_or(usize::MAX, |s| s.span.start);
        let end = match self.sents.get(self.ends_seen) {
            Some(s) if self.ends_sorted => s.span.end,
            _ => usize::MAX,
        };
        start.min(end)
    }

    /// The sentence of token `k`, which starts at byte `start` (tokens in order).
    #[inline]
    fn sentence_of(&mut self, k: usize, start: usize) -> u32 {
        if start >= self.boundary {
            self.pass(k, start);
        }
        self.sent
    }

    #[cold]
    fn pass(&mut self, k: usize, start: usize) {
        while let Some(s) = self.sents.get_mut(self.starts_seen) {
            if s.span.start > start {
                break;
            }
            s.t0 = k;
            self.starts_seen += 1;
        }
        if self.ends_sorted {
            while let Some(s) = self.sents.get_mut(self.ends_seen) {
                if s.span.end > start {
                    break;
                }
                s.t1 = k;
                self.ends_seen += 1;
            }
        }
        self.sent = self.starts_seen.saturating_sub(1) as u32;
        self.boundary = self.next_boundary();
    }

    /// Closes the ranges after the last of the `toks`.
    fn finish(self, toks: &[Tok]) {
        let nt = toks.len();
        for s in self.sents.get_mut(self.starts_seen..).into_iter().flatten() {
            s.t0 = nt;
        }
        if self.ends_sorted {
            for s in self.sents.get_mut(self.ends_seen..).into_iter().flatten() {
                s.t1 = nt;
            }
        } else {
            for s in self.sents.iter_mut() {
                s.t1 = toks.partition_point(|t| t.start < s.span.end);
            }
        }
        for s in self.sents.iter_mut() {
            s.t1 = s.t1.max(s.t0);
        }
    }
}

impl TokenLists {
    /// Appends a word token with its lexicon entry.
    #[inline(always)]
    fn push_word(
        &mut self,
        sents: &mut SentenceCursor,
        (start, end): (usize, usize),
        cap: bool,
        (entry, kinds): (u32, u8),
    ) {
        let k = self.toks.len();
        // Most words (function words among them) go on no list: one test for them.
        if kinds & (kind::HEAD | kind::CUE | kind::EVENT | kind::WEEKDAY) != 0 {
            if kinds & kind::HEAD != 0 {
                self.heads.push(k as u32);
            }
            if kinds & (kind::CUE | kind::EVENT) != 0 {
                self.triggers.push(k as u32);
            }
            if kinds & kind::WEEKDAY != 0 {
                self.weekdays.push(k as u32);
            }
        }
        let sent = sents.sentence_of(k, start);
        self.toks.push(Tok {
            start,
            end,
            word: true,
            cap,
            entry,
            mention: NONE,
            sent,
            punct: 0,
        });
    }

    /// Appends a one-character token that is not a word.
    #[inline(always)]
    fn push_other(&mut self, sents: &mut SentenceCursor, start: usize, end: usize, punct: u16) {
        let sent = sents.sentence_of(self.toks.len(), start);
        self.toks.push(Tok {
            start,
            end,
            word: false,
            cap: false,
            entry: NONE,
            mention: NONE,
            sent,
            punct,
        });
    }
}

/// Splits the text into tokens, looks every word up in the lexicon and gives tokens and
/// sentences (sorted by start) each other, in one pass (the lists cleared first).
/// `lower` is `text` lower-cased (ASCII only), so both have the same byte classes.
// Kept out of line: the profile shows it apart, and the caller compiles better.
#[inline(never)]
fn tokenize(text: &str, lower: &str, lex: &Lexicon, sents: &mut [Sent], out: &mut TokenLists) {
    out.toks.clear();
    out.heads.clear();
    out.triggers.clear();
    out.weekdays.clear();
    out.irregular.clear();
    let mut cursor = SentenceCursor::new(sents);
    let bytes = text.as_bytes();
    let lower_bytes = lower.as_bytes();
    let n = bytes.len().min(lower_bytes.len());
    out.toks.reserve(n / 4);
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        match BYTE_CLASS[b as usize] {
            SPACE => {
                // All white space but a plain space before a character that is not.
                if b != b' '
                    || bytes
                        .get(i + 1)
                        .is_some_and(|&c| MAY_SPACE[c as usize] && space_len_at(text, i + 1) > 0)
                {
                    out.irregular.push(i);
                }
                i += 1;
                continue;
            }
            WORD => {
                // Most words: one or two eight-byte loads find the end of the word (an ASCII
                // byte that is no letter or digit) and are the key of its lexicon lookup.
                if let Some((len, w0, w1)) = short_ascii_word(lower_bytes, i) {
                    let entry = if b.is_ascii_digit() {
                        (NONE, 0)
                    } else {
                        lex.lookup_packed(w0, w1)
                    };
                    let start = i;
                    i += len;
                    out.push_word(&mut cursor, (start, i), b.is_ascii_uppercase(), entry);
                    // The plain space that mostly follows, before a character that is not
                    // white space: nothing to note.
                    if lower_bytes.get(i) == Some(&b' ')
                        && bytes.get(i + 1).is_none_or(|&c| !MAY_SPACE[c as usize])
                    {
                        i += 1;
                    }
                    continue;
                }
            }
            PUNCT => {
                i += 1;
                out.push_other(&mut cursor, i - 1, i, b as u16);
                continue;
            }
            _ => {
                // General Punctuation (U+2000 to U+203F: curly quotes, dashes, thin
                // spaces), common in news: decoded from its three bytes at once. None of
                // it is a letter or digit.
                if b == 0xE2 {
                    if let (Some(0x80), Some(&last)) = (bytes.get(i + 1), bytes.get(i + 2)) {
                        if let Some(c) = (0x80..0xC0)
                            .contains(&last)
                            .then(|| char::from_u32(0x2000 + u32::from(last & 0x3F)))
                            .flatten()
                        {
                            if c.is_whitespace() {
                                out.irregular.push(i);
                            } else {
                                out.push_other(&mut cursor, i, i + 3, c as u16);
                            }
                            i += 3;
                            continue;
                        }
                    }
                }
            }
        }
        i = rare_token(text, lower_bytes, lex, i, &mut cursor, out);
    }
    cursor.finish(&out.toks);
}

/// The token at byte `i` that [`tokenize`]'s fast paths leave: a word longer than sixteen
/// bytes or with characters beyond ASCII, or a character beyond ASCII (white space is
/// noted and skipped). Returns the byte after it. Kept out of line so that the common
/// paths compile tighter.
#[cold]
#[inline(never)]
fn rare_token(
    text: &str,
    lower_bytes: &[u8],
    lex: &Lexicon,
    mut i: usize,
    cursor: &mut SentenceCursor,
    out: &mut TokenLists,
) -> usize {
    let start = i;
    let Some(&b) = text.as_bytes().get(i) else {
        return i + 1;
    };
    let cap = if BYTE_CLASS[b as usize] == WORD {
        b.is_ascii_uppercase()
    } else {
        match char_at(text, i) {
            Some(c) if is_alphanumeric(c) => c.is_uppercase(),
            Some(c) => {
                i += c.len_utf8();
                // Non-ASCII white space (no-break space etc.) is skipped.
                if c.is_whitespace() {
                    out.irregular.push(start);
                } else {
                    let punct = u16::try_from(c as u32).unwrap_or(ASTRAL);
                    out.push_other(cursor, start, i, punct);
                }
                return i;
            }
            None => {
                i += 1;
                out.push_other(cursor, start, i, ASTRAL);
                return i;
            }
        }
    };
    // A longer word, or one with characters beyond ASCII.
    loop {
        i = ascii_word_end(lower_bytes, i);
        match lower_bytes.get(i) {
            Some(&c) if c >= 0x80 => match char_at(text, i) {
                Some(ch) if is_alphanumeric(ch) => i += ch.len_utf8(),
                _ => break,
            },
            _ => break,
        }
    }
    let entry = lex.lookup_in(lower_bytes, start, i);
    out.push_word(cursor, (start, i), cap, entry);
    i
}

/// Finds quotation marks pairs when the segmenter gave none.
fn detect_quotes(text: &str) -> Vec<(Span, Span)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut straight: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '\u{201C}' => {
                let para_start = text[..i].trim_end_matches([' ', '\t']).ends_with('\n') || i == 0;
                if open.is_none() || !para_start {
                    open = Some(i);
                }
            }
            '\u{201D}' => {
                if let Some(s) = open.take() {
                    let os = s + '\u{201C}'.len_utf8();
                    out.push((Span::new(s, i + c.len_utf8()), Span::new(os, i)));
                }
            }
            '"' if open.is_none() => match straight.take() {
                Some(s) => out.push((Span::new(s, i + 1), Span::new(s + 1, i))),
                None => straight = Some(i),
            },
            // Straight quotes do not run over paragraphs.
            '\n' if straight.is_some() && text[i..].starts_with("\n\n") => straight = None,
            _ => {}
        }
    }
    out.retain(|(s, _)| s.len() < 6000);
    out
}

/// The byte length of the white space character (as `char::is_whitespace` has it) at byte
/// `i` of `s`, or 0.
#[inline]
fn space_len_at(s: &str, i: usize) -> usize {
    let Some(&b) = s.as_bytes().get(i) else {
        return 0;
    };
    match BYTE_CLASS[b as usize] {
        SPACE => 1,
        // Lead bytes of U+0085, U+00A0, U+1680, U+2000-U+205F and U+3000.
        MULTI if matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) => match char_at(s, i) {
            Some(c) if c.is_whitespace() => c.len_utf8(),
            _ => 0,
        },
        _ => 0,
    }
}

/// Bytes that may start white space: ASCII white space and the lead bytes of the longer
/// white space characters (U+0085, U+00A0, U+1680, U+2000-U+205F, U+3000).
const MAY_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = BYTE_CLASS[b] == SPACE || matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3);
        b += 1;
    }
    t
};

/// `str::trim_start`, answered without a call when the first byte cannot start white space.
#[inline]
fn trim_white_start(s: &str) -> &str {
    match s.as_bytes().first() {
        Some(&b) if !MAY_SPACE[b as usize] => s,
        _ => s.trim_start(),
    }
}

/// `str::trim_end`, answered without a call when the text ends in an ASCII character that
/// is not white space.
#[inline]
fn trim_white_end(s: &str) -> &str {
    match s.as_bytes().last() {
        Some(&b) if b < 0x80 && BYTE_CLASS[b as usize] != SPACE => s,
        _ => s.trim_end(),
    }
}

/// The words of `s` (split at white space) joined by single spaces. Stretches where the
/// words are already apart by one plain space are copied whole.
pub(crate) fn fold_whitespace(s: &str) -> String {
    let t = s.trim();
    let bytes = t.as_bytes();
    let n = bytes.len();
    let mut out = String::with_capacity(n);
    // Start of the stretch not yet copied.
    let mut from = 0;
    let mut i = 0;
    while i < n {
        if !MAY_SPACE[bytes[i] as usize] {
            i += 1;
            continue;
        }
        let len = space_len_at(t, i);
        if len == 0 {
            i += 1;
            continue;
        }
        // A plain space followed by a non-space is already folded.
        if bytes[i] == b' ' && space_len_at(t, i + 1) == 0 {
            i += 1;
            continue;
        }
        // A run of white space (never at the end: the text is trimmed).
        out.push_str(t.get(from..i).unwrap_or(""));
        out.push(' ');
        i += len;
        loop {
            let l = space_len_at(t, i);
            if l == 0 {
                break;
            }
            i += l;
        }
        from = i;
    }
    out.push_str(t.get(from..).unwrap_or(""));
    out
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
pub(crate) fn parse_day(date: &str) -> Option<i64> {
    let mut it = date.get(..10)?.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146097 + doe - 719468)
}

/// `YYYY-MM-DD` of days since 1970-01-01.
pub(crate) fn format_day(z: i64) -> String {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    if !(0..=9999).contains(&y) {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    // y in 0..=9999, m in 1..=12, d in 1..=31: ten ASCII digits and dashes.
    let digit = |v: i64| char::from(b'0' + (v % 10) as u8);
    let mut out = String::with_capacity(10);
    out.push(digit(y / 1000));
    out.push(digit(y / 100));
    out.push(digit(y / 10));
    out.push(digit(y));
    out.push('-');
    out.push(digit(m / 10));
    out.push(digit(m));
    out.push('-');
    out.push(digit(d / 10));
    out.push(digit(d));
    out
}

/// Weekday (0 = Monday) of days since 1970-01-01 (a Thursday).
pub(crate) fn weekday_of(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

impl Drop for Ctx<'_> {
    /// Hands the buffers back to the thread's [`Scratch`].
    fn drop(&mut self) {
        if self.toks.capacity() > SCRATCH_MAX_TOKENS
            || self.lower.capacity() > 8 * SCRATCH_MAX_TOKENS
        {
            return;
        }
        // (Never during thread teardown in practice; then the buffers are simply freed.)
        let Ok(mut scratch) = SCRATCH.try_with(Cell::take) else {
            return;
        };
        scratch.lower = std::mem::take(&mut self.lower);
        scratch.lists = TokenLists {
            toks: std::mem::take(&mut self.toks),
            heads: std::mem::take(&mut self.generic_heads),
            triggers: std::mem::take(&mut self.triggers),
            weekdays: std::mem::take(&mut self.weekdays),
            irregular: std::mem::take(&mut self.irregular),
        };
        scratch.sents = std::mem::take(&mut self.sents);
        scratch.mentions = std::mem::take(&mut self.mentions);
        scratch.quotes = std::mem::take(&mut self.quotes);
        scratch.spare_mentions = std::mem::take(&mut self.spare_mentions);
        let _ = SCRATCH.try_with(|c| c.set(scratch));
    }
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        lex: &'a Lexicon,
        doc: &'a Document,
        seg: &'a Segmented,
        linked: &'a Linked,
    ) -> Self {
        let text = doc.text.as_str();
        let mut scratch = SCRATCH.try_with(Cell::take).unwrap_or_default();
        let mut lower = std::mem::take(&mut scratch.lower);
        lower.clear();
        lower.push_str(text);
        lower.make_ascii_lowercase();
        let first_tok_at =
            |toks: &[Tok], hint: usize, pos: usize| partition_from(toks, hint, |t| t.start < pos);
        let first_tok_ending_after =
            |toks: &[Tok], hint: usize, pos: usize| partition_from(toks, hint, |t| t.end <= pos);

        // Sentences.
        let mut sents = std::mem::take(&mut scratch.sents);
        sents.clear();
        sents.extend(
            seg.sentences
                .iter()
                .filter(|s| valid_span(text, s.span))
                .map(|s| Sent {
                    index: s.index,
                    span: s.span,
                    paragraph: s.paragraph,
                    t0: 0,
                    t1: 0,
                }),
        );
        if sents.is_empty() {
            let mut pos = 0;
            for (pi, para) in text.split("\n\n").enumerate() {
                let span = Span::new(pos, pos + para.len());
                if !para.trim().is_empty() {
                    sents.push(Sent {
                        index: sents.len(),
                        span,
                        paragraph: pi,
                        t0: 0,
                        t1: 0,
                    });
                }
                pos += para.len() + 2;
            }
        }
        if !sents
            .windows(2)
            .all(|w| (w[0].span.start, w[0].index) <= (w[1].span.start, w[1].index))
        {
            sents.sort_by_key(|s| (s.span.start, s.index));
        }
        let mut lists = std::mem::take(&mut scratch.lists);
        tokenize(text, &lower, lex, &mut sents, &mut lists);
        let TokenLists {
            mut toks,
            heads: generic_heads,
            triggers,
            weekdays,
            irregular,
        } = lists;

        // Entities and mentions.
        let mut by_id = std::mem::take(&mut scratch.by_id);
        by_id.build(&linked.entities);
        let entity_index = |id: &str| by_id.get(&linked.entities, id);
        let mut country_entity: Vec<(&str, usize)> = Vec::new();
        for (i, e) in linked.entities.iter().enumerate() {
            if e.entity_type == EntityType::Country {
                if let Some(c) = e.country.as_deref() {
                    country_entity.push((c, i));
                }
            }
        }
        let mut mentions = std::mem::take(&mut scratch.mentions);
        mentions.clear();
        let mut last_end = 0usize;
        let mut m0 = 0;
        let mut sorted = std::mem::take(&mut scratch.order);
        sorted.clear();
        sorted.extend(0..linked.mentions.len() as u32);
        let key = |i: &u32| {
            linked
                .mentions
                .get(*i as usize)
                .map_or((0, 0), |m| (m.start, m.end))
        };
        if !sorted.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
            sorted.sort_by_key(key);
        }
        for &src in &sorted {
            let src = src as usize;
            let Some(m) = linked.mentions.get(src) else {
                continue;
            };
            // (An empty or reversed span is skipped: what `Span::new` then `is_empty` say.)
            if m.end <= m.start || m.start < last_end {
                continue;
            }
            let span = Span {
                start: m.start,
                end: m.end,
            };
            if !valid_span(text, span) {
                continue;
            }
            let t0 = first_tok_ending_after(&toks, m0, m.start);
            // Every token before `t0` ends (so starts) before the mention ends.
            let t1 = first_tok_at(&toks, t0, m.end);
            m0 = t0;
            if t0 >= t1 {
                continue;
            }
            last_end = m.end;
            let entity = entity_index(m.entity.as_str());
            let etype = entity
                .map(|i| linked.entities[i].entity_type)
                .unwrap_or_else(|| entity_type_from_id(&m.entity));
            let mi = mentions.len() as u32;
            for t in &mut toks[t0..t1] {
                t.mention = mi;
            }
            mentions.push(Men {
                span,
                t0,
                t1,
                entity,
                etype,
                kind: m.kind,
                src,
                group: NONE,
                synthetic: false,
                phrase_end: t1,
            });
        }

        // Quotations.
        let mut quotes = std::mem::take(&mut scratch.quotes);
        quotes.clear();
        quotes.extend(
            seg.quotes
                .iter()
                .filter(|q| valid_span(text, q.span) && valid_span(text, q.content))
                .map(|q| (q.span, q.content)),
        );
        if quotes.is_empty() && (text.contains('\u{201C}') || text.contains('"')) {
            quotes = detect_quotes(text);
        }
        quotes.sort_by_key(|q| q.0.start);
        scratch.order = sorted;
        scratch.by_id = by_id;
        let mut spare_mentions = std::mem::take(&mut scratch.spare_mentions);
        spare_mentions.clear();
        let _ = SCRATCH.try_with(|c| c.set(scratch));

        let day = doc.date.as_deref().and_then(parse_day);
        let mut ctx = Ctx {
            lex,
            doc,
            linked,
            text,
            lower,
            toks,
            sents,
            mentions,
            quotes,
            country_entities: country_entity,
            day,
            groups: Vec::new(),
            generic_heads,
            triggers,
            weekdays,
            irregular,
            spare_mentions,
        };
        crate::generic::add_generic_speakers(&mut ctx);
        ctx
    }

    /// The index of the (first) country entity with country code `code`.
    pub(crate) fn country_entity(&self, code: &str) -> Option<usize> {
        self.country_entities
            .iter()
            .find(|c| c.0 == code)
            .map(|c| c.1)
    }

    /// The lexicon entry of token `i`, if any.
    #[inline]
    pub(crate) fn entry(&self, i: usize) -> Option<&'a WordEntry> {
        let e = self.toks.get(i)?.entry;
        if e == NONE {
            None
        } else {
            self.lex.entries.get(e as usize)
        }
    }

    /// The function-word flags of token `i`.
    #[inline]
    pub(crate) fn flags(&self, i: usize) -> u32 {
        self.toks
            .get(i)
            .and_then(|t| self.lex.flags.get(t.entry as usize))
            .copied()
            .unwrap_or(0)
    }

    /// The original text of token `i`.
    #[inline]
    pub(crate) fn tok_text(&self, i: usize) -> &'a str {
        self.toks
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    /// The lower-case text of token `i`.
    #[inline]
    pub(crate) fn low(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .and_then(|t| self.lower.get(t.start..t.end))
            .unwrap_or("")
    }

    /// The character of token `i` when it is not a word (a token that is not a word is
    /// one character), else `None`.
    #[inline]
    pub(crate) fn punct(&self, i: usize) -> Option<char> {
        let t = self.toks.get(i)?;
        if t.word {
            None
        } else if t.punct != ASTRAL {
            char::from_u32(t.punct as u32)
        } else {
            char_at(self.text, t.start)
        }
    }

    /// Whether token `i` is the punctuation character `c`.
    #[inline]
    pub(crate) fn is_punct(&self, i: usize, c: char) -> bool {
        match self.toks.get(i) {
            Some(t) if !t.word => {
                if t.punct != ASTRAL {
                    t.punct as u32 == c as u32
                } else {
                    char_at(self.text, t.start) == Some(c)
                }
            }
            _ => false,
        }
    }

    /// The mention index at token `i`.
    #[inline]
    pub(crate) fn mention_at(&self, i: usize) -> Option<usize> {
        let m = self.toks.get(i)?.mention;
        (m != NONE).then_some(m as usize)
    }

    pub(crate) fn entity(&self, m: usize) -> Option<&'a stancegraph_model::Entity> {
        self.mentions
            .get(m)
            .and_then(|x| x.entity)
            .and_then(|e| self.linked.entities.get(e))
    }

    /// Entity id of mention `m`.
    pub(crate) fn entity_id(&self, m: usize) -> &str {
        let Some(x) = self.mentions.get(m) else {
            return "";
        };
        if x.group != NONE {
            return self
                .groups
                .get(x.group as usize)
                .map_or("", |g| g.id.as_str());
        }
        self.linked
            .mentions
            .get(x.src)
            .map(|x| x.entity.as_str())
            .unwrap_or("")
    }

    /// Whether the mention is a possessive pronoun ("his") or a possessor ("Iran's").
    pub(crate) fn is_possessive(&self, m: usize) -> bool {
        let men = &self.mentions[m];
        if men.kind == MentionKind::Pronoun
            && men.t1 - men.t0 == 1
            && self.flags(men.t0) & fw::POSSESSIVE != 0
        {
            return true;
        }
        let next = men.t1;
        (self.is_punct(next, '\'') || self.is_punct(next, '\u{2019}'))
            && self.low(next + 1) == "s"
            && self
                .toks
                .get(next + 1)
                .is_some_and(|t| t.start == self.toks[next].end)
    }

    /// Whitespace-folded text of a byte range.
    pub(crate) fn folded(&self, span: Span) -> String {
        let s = span_text(self.text, span).unwrap_or("");
        let start = trim_white_start(s);
        let base = span.start + (s.len() - start.len());
        let t = trim_white_end(start);
        // Nothing to fold between the first and last word: a copy.
        let at = self.irregular.partition_point(|&p| p < base);
        if self.irregular.get(at).is_none_or(|&p| p >= base + t.len()) {
            return t.to_string();
        }
        fold_whitespace(t)
    }

    /// The sentence index (into `sents`) holding byte `pos`.
    pub(crate) fn sent_at(&self, pos: usize) -> usize {
        let i = self.sents.partition_point(|s| s.span.start <= pos);
        i.saturating_sub(1)
    }

    /// The resolved date of a weekday named in sentence `si`, else the document date.
    pub(crate) fn date_in_sentence(&self, si: usize) -> Option<String> {
        self.day_in_sentence(si).map(format_day)
    }

    /// [`Ctx::date_in_sentence`] as days since 1970-01-01.
    pub(crate) fn day_in_sentence(&self, si: usize) -> Option<i64> {
        let day = self.day?;
        if let Some(s) = self.sents.get(si) {
            let from = self.weekdays.partition_point(|&k| (k as usize) < s.t0);
            for &k in self.weekdays.get(from..).unwrap_or(&[]) {
                let k = k as usize;
                if k >= s.t1 {
                    break;
                }
                if !self.toks.get(k).is_some_and(|t| t.cap) {
                    continue;
                }
                if let Some(wd) = self.entry(k).and_then(|e| e.weekday) {
                    let back = (weekday_of(day) - wd as i64).rem_euclid(7);
                    return Some(day - back);
                }
            }
        }
        Some(day)
    }
}

/// Document `d:t` of `text`, a segmentation with only `sentences` and an empty linking
/// (for tests that need a context and nothing else).
#[cfg(test)]
pub(crate) fn bare_parts(
    text: &str,
    sentences: Vec<stancegraph_model::Sentence>,
) -> (Document, Segmented, Linked) {
    let doc = Document {
        id: "d:t".into(),
        source: "t".into(),
        title: None,
        date: None,
        text: text.to_string(),
        duplicate_of: None,
    };
    let seg = Segmented {
        doc: "d:t".into(),
        paragraphs: vec![],
        sentences,
        tokens: vec![],
        quotes: vec![],
    };
    let linked = Linked {
        doc: "d:t".into(),
        mentions: vec![],
        entities: vec![],
    };
    (doc, seg, linked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_weekdays() {
        let d = parse_day("2020-12-02").unwrap();
        assert_eq!(format_day(d), "2020-12-02");
        assert_eq!(weekday_of(d), 2); // a Wednesday
        assert_eq!(format_day(parse_day("2000-02-29").unwrap()), "2000-02-29");
        assert!(parse_day("2020-13-01").is_none());
        assert!(parse_day("20").is_none());
    }

    #[test]
    fn fast_day_format_matches_the_formatter() {
        for z in (-800_000..3_000_000).step_by(97) {
            let s = format_day(z);
            let back = parse_day(&s);
            if (0..=9999).contains(&s.get(..4).and_then(|y| y.parse::<i64>().ok()).unwrap_or(-1))
                && s.len() == 10
            {
                assert_eq!(back, Some(z), "{s}");
            }
        }
        assert_eq!(format_day(0), "1970-01-01");
        assert_eq!(format_day(parse_day("0001-03-01").unwrap()), "0001-03-01");
        assert_eq!(format_day(parse_day("0099-03-01").unwrap()), "0099-03-01");
        assert_eq!(format_day(parse_day("9999-12-31").unwrap()), "9999-12-31");
        assert_eq!(
            format_day(parse_day("9999-12-31").unwrap() + 1),
            "10000-01-01"
        );
        assert_eq!(
            format_day(parse_day("0000-01-01").unwrap() - 1),
            "-001-12-31"
        );
    }

    fn fold_reference(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn folding_matches_split_whitespace() {
        for s in [
            "",
            "   ",
            "a",
            " a  b\t\nc ",
            "x\u{0B}y\u{0C}z\u{1C}w",
            "no\u{A0}break\u{2009}thin\u{3000}ideo\u{85}nel\u{1680}og\u{205F}m",
            "\u{201C}Quoted,\u{201D} she said \u{2014} twice.\u{2028}\u{2029}",
            "caf\u{E9} \u{C2}\u{E1}\u{E2}\u{E3} \u{2060}",
        ] {
            assert_eq!(fold_whitespace(s), fold_reference(s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn white_trims_match_the_std_trims(s in "\\PC{0,12}|[ \t\n\u{85}\u{A0}\u{1680}\u{2000}-\u{200B}\u{3000}a\u{E9}.\u{201C}]{0,12}") {
            proptest::prop_assert_eq!(trim_white_start(&s), s.trim_start());
            proptest::prop_assert_eq!(trim_white_end(&s), s.trim_end());
        }

        #[test]
        fn folding_matches_split_whitespace_on_any_text(s in "\\PC{0,60}|[ \t\n\u{A0}\u{2000}-\u{200B}a\u{E9}\u{201C}]{0,30}") {
            proptest::prop_assert_eq!(fold_whitespace(&s), fold_reference(&s));
        }
    }

    #[test]
    fn general_punctuation_has_no_letters_or_digits() {
        for c in '\u{2000}'..='\u{206F}' {
            assert!(!c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric());
        }
        for c in [
            'a', 'Z', '7', '\u{e9}', '\u{2070}', '\u{2071}', '\u{2160}', '-',
        ] {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn span_text_matches_span_slice() {
        let text = "caf\u{E9} \u{201C}ok\u{201D}";
        for start in 0..=text.len() + 2 {
            for end in 0..=text.len() + 2 {
                let span = Span { start, end };
                assert_eq!(span_text(text, span), span.slice(text), "{start}..{end}");
            }
        }
        assert_eq!(span_text(text, Span::new(0, 3)), Some("caf"));
        assert_eq!(span_text(text, Span::new(0, 4)), None);
    }

    #[test]
    fn galloping_search_matches_binary_search() {
        let toks: Vec<Tok> = (0..50).map(|k| tok_at(3 * k, 3 * k + 2)).collect();
        for pos in 0..160 {
            let want = toks.partition_point(|t| t.start < pos);
            for hint in [0, 1, 7, 25, 49, 50, 80] {
                assert_eq!(partition_from(&toks, hint, |t| t.start < pos), want);
            }
        }
        assert_eq!(partition_from(&[], 3, |t: &Tok| t.start < 5), 0);
    }

    #[test]
    fn bytes_before_the_first_mark_match_keep_low_bytes() {
        for first in 0..8 {
            // The byte `first` marked, any marks above it.
            let above = !((1u64 << (8 * first + 7)) | ((1u64 << (8 * first + 7)) - 1));
            for later in [0u64, HIGHS, 0x8000_0000_0000_0000, 0x0080_0080_8000_0000] {
                let marks = (1u64 << (8 * first + 7)) | (later & above);
                assert_eq!(
                    bytes_before_first(marks),
                    keep_low_bytes(u64::MAX, first),
                    "{marks:#x}"
                );
            }
        }
    }

    #[test]
    fn id_table_finds_the_first_entity_of_each_id() {
        let entity = |id: &str| stancegraph_model::Entity {
            id: id.to_string(),
            name: id.to_string(),
            entity_type: EntityType::Person,
            wikidata: None,
            country: None,
            roles: vec![],
            affiliations: vec![],
            aliases: vec![],
            mentions: 0,
            documents: 0,
        };
        let ids = [
            "wd:Q1",
            "kb:x",
            "wd:Q1",
            "",
            "new:person:a-very-long-name-here",
            "kb:x",
            "wd:Q794",
        ];
        let entities: Vec<_> = ids.iter().map(|id| entity(id)).collect();
        let mut table = IdTable::default();
        table.build(&entities);
        for probe in ids
            .iter()
            .copied()
            .chain(["wd:Q2", "kb:", "new:person:a-very-long-name-herf"])
        {
            assert_eq!(
                table.get(&entities, probe),
                entities.iter().position(|e| e.id == probe),
                "{probe:?}"
            );
        }
        table.build(&[]);
        assert_eq!(table.get(&[], "wd:Q1"), None);
        let many: Vec<_> = (0..100)
            .map(|k| entity(&format!("wd:Q{}", k % 37)))
            .collect();
        table.build(&many);
        for k in 0..50 {
            let id = format!("wd:Q{k}");
            assert_eq!(table.get(&many, &id), many.iter().position(|e| e.id == id));
        }
    }

    #[test]
    fn ascii_word_runs() {
        let s = b"hello, world2020 x-ray abcdefghijklmnopq";
        assert_eq!(ascii_word_end(s, 0), 5);
        assert_eq!(ascii_word_end(s, 7), 16);
        assert_eq!(ascii_word_end(s, 17), 18);
        assert_eq!(ascii_word_end(s, 23), s.len());
        assert_eq!(ascii_word_end(b"ab\xc3\xa9cd", 0), 2);
        for b in 0..=255u8 {
            let mut v = vec![b'a'; 9];
            v[3] = b;
            let word = b.is_ascii_lowercase() || b.is_ascii_digit();
            assert_eq!(ascii_word_end(&v, 0) == 9, word, "{b}");
            v.truncate(5);
            assert_eq!(ascii_word_end(&v, 0) == 5, word, "{b}");
        }
    }

    fn ctx_check_folding(text: &str) {
        let lex = Lexicon::embedded().unwrap();
        let (doc, seg, linked) = bare_parts(text, vec![]);
        let ctx = Ctx::new(&lex, &doc, &seg, &linked);
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for &a in &bounds {
            for &b in bounds.iter().filter(|&&b| b >= a) {
                let span = Span::new(a, b);
                assert_eq!(
                    ctx.folded(span),
                    fold_reference(&text[a..b]),
                    "{text:?} {a}..{b}"
                );
            }
        }
        assert_eq!(ctx.folded(Span::new(0, text.len() + 5)), "");
    }

    #[test]
    fn folding_in_context_matches_split_whitespace() {
        ctx_check_folding("A  b\tc.\n\nD \u{A0}e \u{201C}f\u{201D} g\u{2003}h  ");
        ctx_check_folding(" x \u{2028}y\u{3000} \u{85}z\r\n");
        ctx_check_folding("plain words only here");
    }

    proptest::proptest! {
        #[test]
        fn folding_in_context_on_any_text(s in "[ \t\na\u{A0}\u{2000}\u{2019}\u{1F600}.]{0,14}") {
            ctx_check_folding(&s);
        }
    }

    /// Tokens of `text` the plain way: runs of letters and digits, and single other
    /// characters that are not white space, with the entries `Lexicon::lookup` gives.
    fn reference_tokens(text: &str, lex: &Lexicon) -> Vec<(usize, usize, bool, bool, u32, u16)> {
        let mut out = Vec::new();
        let mut it = text.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if c.is_whitespace() {
                continue;
            }
            if !is_alphanumeric(c) {
                let punct = u16::try_from(c as u32).unwrap_or(ASTRAL);
                out.push((i, i + c.len_utf8(), false, false, NONE, punct));
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if !is_alphanumeric(d) {
                    break;
                }
                end = j + d.len_utf8();
                it.next();
            }
            let word = text[i..end].to_ascii_lowercase();
            let entry = if c.is_ascii_digit() {
                NONE
            } else {
                lex.lookup(&word).unwrap_or(NONE)
            };
            out.push((i, end, true, c.is_uppercase(), entry, 0));
        }
        out
    }

    fn check_tokens(text: &str, lex: &Lexicon) {
        let mut lower = text.to_string();
        lower.make_ascii_lowercase();
        let mut lists = TokenLists::default();
        tokenize(text, &lower, lex, &mut [], &mut lists);
        let got: Vec<_> = lists
            .toks
            .iter()
            .map(|t| (t.start, t.end, t.word, t.cap, t.entry, t.punct))
            .collect();
        assert_eq!(got, reference_tokens(text, lex), "{text:?}");
        for (k, t) in lists.toks.iter().enumerate() {
            let kinds = lex.kinds.get(t.entry as usize).copied().unwrap_or(0);
            assert_eq!(
                lists.heads.contains(&(k as u32)),
                kinds & kind::HEAD != 0,
                "{text:?} {k}"
            );
            assert_eq!(
                lists.triggers.contains(&(k as u32)),
                kinds & (kind::CUE | kind::EVENT) != 0,
                "{text:?} {k}"
            );
            assert_eq!(
                lists.weekdays.contains(&(k as u32)),
                kinds & kind::WEEKDAY != 0,
                "{text:?} {k}"
            );
        }
    }

    #[test]
    fn tokens_and_entries_match_the_plain_tokenizer() {
        let lex = Lexicon::embedded().unwrap();
        for text in [
            "",
            "said",
            "The minister said on Sunday that officials met in Paris on monday.",
            "Spokesperson SAID: \u{201C}no\u{201D} \u{2014} 2024 talks, 3rd time",
            "caf\u{E9} na\u{EF}ve r\u{E9}sum\u{E9}s according to sources",
            "abcdefgh abcdefghi abcdefghijklmnopqrstuvwxyz x",
            "responsibilities abcdefghijklmno internationally, Ministry\u{2019}s spokespersons.",
            "abcdefghijk\u{E9}abc abcdefgh\u{201D} 1234567890123 9th",
            "a\u{A0}b\u{2003}c\td\n\ne \u{1F600}f",
        ] {
            check_tokens(text, &lex);
        }
        // Every character of General Punctuation and its neighbours, between words, and
        // glued together.
        let spaced: String = ('\u{1FF0}'..='\u{2050}')
            .flat_map(|c| [c, 'a', ' '])
            .collect();
        check_tokens(&spaced, &lex);
        let glued: String = ('\u{1FF0}'..='\u{2050}').collect();
        check_tokens(&glued, &lex);
    }

    proptest::proptest! {
        #[test]
        fn tokens_match_the_plain_tokenizer_on_any_text(
            s in "([a-zA-Z0-9]{0,12}|said|told|met|officials|according|to|[ ,.\u{A0}\u{E9}\u{201C}\u{2019}\u{1F600}\u{2000}-\u{2040}\u{1FFF}\u{E000}]){0,16}"
        ) {
            let lex = Lexicon::embedded().unwrap();
            check_tokens(&s, &lex);
        }
    }

    fn tok_at(start: usize, end: usize) -> Tok {
        Tok {
            start,
            end,
            word: true,
            cap: false,
            entry: NONE,
            mention: NONE,
            sent: 0,
            punct: 0,
        }
    }

    fn sent_at(start: usize, end: usize) -> Sent {
        Sent {
            index: 0,
            span: Span::new(start, end),
            paragraph: 0,
            t0: 0,
            t1: 0,
        }
    }

    /// The sentence ranges and token sentences by binary search.
    fn reference_sentences(toks: &[Tok], sents: &[Sent]) -> (Vec<(usize, usize)>, Vec<u32>) {
        let ranges: Vec<(usize, usize)> = sents
            .iter()
            .map(|s| {
                let t0 = toks.partition_point(|t| t.start < s.span.start);
                let t1 = toks.partition_point(|t| t.start < s.span.end);
                (t0, t1.max(t0))
            })
            .collect();
        let of_tok = (0..toks.len())
            .map(|k| ranges.iter().rposition(|r| r.0 <= k).unwrap_or(0) as u32)
            .collect();
        (ranges, of_tok)
    }

    fn check_cursor(toks: &[Tok], sents: &mut [Sent]) {
        let want = reference_sentences(toks, sents);
        let mut cursor = SentenceCursor::new(sents);
        let of_tok: Vec<u32> = toks
            .iter()
            .enumerate()
            .map(|(k, t)| cursor.sentence_of(k, t.start))
            .collect();
        cursor.finish(toks);
        let ranges: Vec<(usize, usize)> = sents.iter().map(|s| (s.t0, s.t1)).collect();
        assert_eq!((ranges, of_tok), want);
    }

    #[test]
    fn sentence_cursor_matches_binary_search() {
        let toks: Vec<Tok> = (0..12).map(|k| tok_at(4 * k + 2, 4 * k + 4)).collect();
        // Adjacent sentences, a gap, an empty one, text before and after all.
        check_cursor(
            &toks,
            &mut [
                sent_at(5, 14),
                sent_at(14, 14),
                sent_at(14, 30),
                sent_at(35, 40),
            ],
        );
        // Overlapping sentences whose ends are out of order.
        check_cursor(&toks, &mut [sent_at(0, 40), sent_at(6, 12), sent_at(6, 9)]);
        check_cursor(&toks, &mut []);
        check_cursor(&[], &mut [sent_at(0, 5)]);
    }

    proptest::proptest! {
        #[test]
        fn sentence_cursor_matches_binary_search_on_any_layout(
            gaps in proptest::collection::vec(0usize..4, 0..30),
            mut spans in proptest::collection::vec((0usize..80, 0usize..30), 0..8),
        ) {
            let mut toks = Vec::new();
            let mut at = 0;
            for g in gaps {
                at += g;
                toks.push(tok_at(at, at + 1));
                at += 1;
            }
            spans.sort();
            let mut sents: Vec<Sent> = spans.iter().map(|&(s, l)| sent_at(s, s + l)).collect();
            check_cursor(&toks, &mut sents);
        }
    }

    #[test]
    fn fallback_quotes_found() {
        let q = detect_quotes("He said, \u{201C}Yes.\u{201D} And \"no\" too.");
        assert_eq!(q.len(), 2);
    }
}

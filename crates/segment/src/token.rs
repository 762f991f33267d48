//! The tokenizer: splits a paragraph into word, number, punctuation and symbol tokens with
//! byte offsets, by scanning bytes (ASCII fast path, `char` decoding only for non-ASCII).
//!
//! Token conventions, chosen for a downstream pattern matcher:
//! - Words keep internal hyphens and apostrophes: "Nagorno-Karabakh", "don’t", "O'Brien",
//!   "they’ll". The clitic "’s"/"'s" is split off as its own word token ("Iran" + "’s",
//!   "it" + "’s") so that names match on token boundaries. A trailing plural-possessive
//!   apostrophe ("voters’") is a separate punctuation token.
//! - An elided year keeps its apostrophe: "’90s" is one word.
//! - Abbreviations keep their period: "Mr.", "Co.", "U.S.", "a.m.", initials "E.", "N°.".
//!   Any other period is its own punctuation token.
//! - Numbers keep internal separators: "3.5", "1,000", "10:30", "1026.253.553"; "5th" and
//!   "44-day" are words. "$" and "%" are symbols.
//! - URLs ("https://…", "www.…") and e-mail addresses are single symbol tokens, without
//!   trailing punctuation. Dotted names such as "example.com" are single word tokens.
//! - Runs of "!"/"?" ("?!"), of periods ("...") and of "…" are single punctuation tokens; a
//!   spaced ellipsis ". . ." is one punctuation token that contains spaces. A period
//!   glued to a word and followed by a spaced ellipsis ("word. . . .") is kept apart from it.

use crate::lexicon::Lexicon;
use stancegraph_model::{Span, Token, TokenKind};

/// Byte class bits for the ASCII fast paths.
const ALNUM: u8 = 1;
const ALPHA: u8 = 2;
const SPACE: u8 = 4;
/// Bytes that always end a word: ASCII whitespace and punctuation that never joins.
const WORD_STOP: u8 = 8;
/// Printable ASCII punctuation and symbols that are always a token of one byte (all but
/// `.`, `!`, `?`, `-`, `'` and the backtick, which may start longer tokens).
const SINGLE: u8 = 16;
/// Of the [`SINGLE`] bytes, those whose token is a symbol (see [`char_kind`]).
const SYMBOL: u8 = 32;
/// Bytes after a word that may continue it (joiners, separators inside numbers, the
/// URL colon) or that start a non-ASCII character.
const MAY_JOIN: u8 = 64;
/// Of the [`MAY_JOIN`] bytes, those that may continue a word starting with a letter
/// (all but the separators inside numbers, "," and "/").
const MAY_JOIN_WORD: u8 = 128;

const fn byte_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = if b.is_ascii_alphabetic() {
            ALNUM | ALPHA
        } else if b.is_ascii_digit() {
            ALNUM
        } else if matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
            SPACE | WORD_STOP
        } else if matches!(b, b';' | b')' | b'"' | b']' | b'(' | b'[') {
            WORD_STOP | SINGLE
        } else if matches!(b, b'!' | b'?') {
            WORD_STOP
        } else if matches!(
            b,
            b'#' | b'$' | b'%' | b'&' | b'+' | b'<' | b'=' | b'>' | b'@' | b'^' | b'|' | b'~'
        ) {
            SINGLE | SYMBOL
        } else if b.is_ascii_punctuation() && !matches!(b, b'.' | b'-' | b'\'' | b'`') {
            SINGLE
        } else {
            0
        } | if b >= 0x80 || matches!(b, b'-' | b'\'' | b'.' | b'@' | b'_' | b':') {
            MAY_JOIN | MAY_JOIN_WORD
        } else if matches!(b, b',' | b'/') {
            MAY_JOIN
        } else {
            0
        };
        i += 1;
    }
    table
}

static BYTE_CLASS: [u8; 256] = byte_classes();

/// The high bit of every byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Each byte of a `u64` set to `b`.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// For eight bytes read little-endian: the high bit of each byte that is an ASCII letter
/// or digit, and of each that is an ASCII letter. The range tests work on the low seven
/// bits (no carry crosses a byte) and non-ASCII bytes are masked out afterwards.
#[inline(always)]
fn ascii_alnum_masks(x: u64) -> (u64, u64) {
    let low = x & splat(0x7F);
    // High bit set where lo <= byte <= hi, for bytes below 0x80.
    let in_range = |v: u64, lo: u8, hi: u8| {
        let at_least_lo = v.wrapping_add(splat(0x80 - lo));
        let above_hi = v.wrapping_add(splat(0x7F - hi));
        at_least_lo & !above_hi & HIGH_BITS
    };
    let ascii = !x & HIGH_BITS;
    let digits = in_range(low, b'0', b'9');
    let letters = in_range(low | splat(0x20), b'a', b'z') & ascii;
    ((digits & ascii) | letters, letters)
}

/// The high bit of each byte of `x` that is an ASCII letter or digit, for eight ASCII
/// bytes (no high bit set: then no sum below carries into the next byte, and no byte
/// needs masking). [`ascii_alnum_masks`] handles any bytes.
#[inline(always)]
fn ascii_only_alnum_mask(x: u64) -> u64 {
    let lower = x | splat(0x20);
    let letters = lower.wrapping_add(splat(0x80 - b'a')) & !lower.wrapping_add(splat(0x7F - b'z'));
    let digits = x.wrapping_add(splat(0x80 - b'0')) & !x.wrapping_add(splat(0x7F - b'9'));
    (letters | digits) & HIGH_BITS
}

/// Whether `c` continues a word: letters, digits, combining marks and zero-width joiners.
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c as u32 {
        // General punctuation (curly quotes, dashes, bullets) is common in news: answer
        // it without the Unicode tables.
        0x200C | 0x200D => return true,
        0x2000..=0x206F | 0x00D7 | 0x00F7 => return false,
        // Latin-1 letters, Latin Extended-A/B, Greek, Cyrillic: letters without a table.
        0x00C0..=0x024F | 0x0388..=0x03F5 | 0x03F7..=0x03FF | 0x0400..=0x0481 | 0x048A..=0x04FF => {
            return true
        }
        _ => {}
    }
    c.is_alphanumeric()
        || matches!(c as u32,
            0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A
            | 0x064B..=0x065F | 0x0670 | 0x0E31..=0x0E3A | 0x0E47..=0x0E4E
            | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C | 0x200D | 0x20D0..=0x20FF
            | 0xFE20..=0xFE2F)
}

/// The kind of a single non-word character.
pub(crate) fn char_kind(c: char) -> TokenKind {
    if c.is_ascii() {
        return match c {
            '#' | '$' | '%' | '&' | '+' | '<' | '=' | '>' | '@' | '^' | '`' | '|' | '~' => {
                TokenKind::Symbol
            }
            _ if c.is_ascii_punctuation() => TokenKind::Punct,
            _ => TokenKind::Symbol,
        };
    }
    match c as u32 {
        0x2030..=0x2037 => TokenKind::Symbol,
        0x2010..=0x2027 | 0x2038..=0x205E => TokenKind::Punct,
        0x00A1 | 0x00A7 | 0x00AB | 0x00B6 | 0x00B7 | 0x00BB | 0x00BF => TokenKind::Punct,
        0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF1F => TokenKind::Punct,
        _ => TokenKind::Symbol,
    }
}

/// Whether a run of letters is a URL scheme that `Tokenizer::scan_url` knows.
fn is_url_scheme(run: &[u8]) -> bool {
    run.eq_ignore_ascii_case(b"http")
        || run.eq_ignore_ascii_case(b"https")
        || run.eq_ignore_ascii_case(b"ftp")
}

/// Scans one paragraph (or any range) of a text into tokens.
pub(crate) struct Tokenizer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    start: usize,
    end: usize,
    lex: &'a Lexicon,
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer over `text[start..end]`; the range is clamped to the text.
    pub(crate) fn new(text: &'a str, start: usize, end: usize, lex: &'a Lexicon) -> Self {
        let end = end.min(text.len());
        Tokenizer {
            text,
            bytes: text.as_bytes(),
            start: start.min(end),
            end,
            lex,
        }
    }

    /// The char starting at byte `i`, if `i` is inside the range and on a boundary.
    #[inline]
    fn peek(&self, i: usize) -> Option<char> {
        if i >= self.end {
            return None;
        }
        let b = *self.bytes.get(i)?;
        if b < 0x80 {
            Some(b as char)
        } else {
            self.text.get(i..self.end)?.chars().next()
        }
    }

    /// The char ending at byte `i`, if any inside the range.
    #[inline]
    fn prev(&self, i: usize) -> Option<char> {
        if i <= self.start || i > self.end {
            return None;
        }
        let b = *self.bytes.get(i - 1)?;
        if b < 0x80 {
            Some(b as char)
        } else {
            self.text.get(self.start..i)?.chars().next_back()
        }
    }

    /// Appends the tokens of the range to `out`.
    pub(crate) fn run(&self, out: &mut Vec<Token>) {
        let scan = self.bytes.get(..self.end).unwrap_or(&[]);
        let mut i = self.start;
        while i < self.end {
            let b = self.bytes.get(i).copied().unwrap_or(b' ');
            if b < 0x80 {
                let class = BYTE_CLASS[usize::from(b)];
                if class & SPACE != 0 {
                    i += 1;
                    continue;
                }
                if class & SINGLE != 0 {
                    // What `scan_other` and `push` give for it, without the char match.
                    let kind = if class & SYMBOL != 0 {
                        TokenKind::Symbol
                    } else {
                        TokenKind::Punct
                    };
                    out.push(Token {
                        span: Span {
                            start: i,
                            end: i + 1,
                        },
                        kind,
                    });
                    i += 1;
                    continue;
                }
                if class & ALNUM != 0 {
                    // Plain words, one after another while a single space separates them.
                    let (mut start, mut first) = (i, b);
                    while let Some((end, kind, after)) = self.scan_plain_word(scan, start, first) {
                        // `end` is past the first byte, at most the range end and on an
                        // ASCII byte: what `push` would check.
                        out.push(Token {
                            span: Span { start, end },
                            kind,
                        });
                        i = end;
                        // The single space after a word is passed over here, saving a
                        // round of the loop (it would skip it the same way), and a word
                        // after it is read at once.
                        if after != Some(b' ') {
                            break;
                        }
                        i = end + 1;
                        match scan.get(i) {
                            Some(&next) if BYTE_CLASS[usize::from(next)] & ALNUM != 0 => {
                                (start, first) = (i, next);
                            }
                            _ => break,
                        }
                    }
                    if i != start {
                        continue;
                    }
                    let (end, kind) = self.scan_word(i);
                    i = self.push(out, i, end, kind, 1);
                    continue;
                }
            }
            // General punctuation U+2010..=U+2027 (dashes, curly double quotes, bullets)
            // is a token of its own, except the single quotes and the ellipsis, which
            // `scan_other` reads further: what it and `push` give, without decoding.
            if b == 0xE2 && i + 3 <= self.end {
                if let Some(&[0x80, third]) = self.bytes.get(i + 1..i + 3) {
                    if (0x90..=0xA7).contains(&third) && !matches!(third, 0x98 | 0x99 | 0xA6) {
                        out.push(Token {
                            span: Span {
                                start: i,
                                end: i + 3,
                            },
                            kind: TokenKind::Punct,
                        });
                        i += 3;
                        continue;
                    }
                }
            }
            let Some(c) = self.peek(i) else {
                break;
            };
            let len = c.len_utf8();
            if c.is_whitespace() {
                i += len;
                continue;
            }
            let (end, kind) = if is_word_char(c) {
                self.scan_word(i)
            } else {
                self.scan_other(i, c)
            };
            i = self.push(out, i, end, kind, len);
        }
    }

    /// The common case of [`Self::scan_word`], decided from bytes alone: an ASCII word or
    /// number starting at `i` with first byte `first`. Gives what `scan_word` gives for
    /// it, or `None` when the bytes after the word need `scan_word` (non-ASCII letters,
    /// joiners followed by word characters, dotted acronyms and compounds, URLs, e-mail
    /// addresses, numbers with separators). A URL that `scan_word` reads starts with a
    /// scheme run ("http", "https", "ftp") before a colon or with "www" before a period,
    /// so both reach `scan_word`.
    /// `scan` is the text's bytes up to the range end; the byte after the token comes
    /// along (`None` at the range end).
    #[inline(always)]
    fn scan_plain_word(
        &self,
        scan: &[u8],
        i: usize,
        first: u8,
    ) -> Option<(usize, TokenKind, Option<u8>)> {
        if first.is_ascii_digit() {
            return self.scan_plain_from_digit(scan, i, first);
        }
        // A word that starts with a letter: only its end is looked for. (`j <= scan.len()`
        // throughout, so `j + 8` does not overflow.)
        let mut j = i;
        let mut stop = None;
        while j + 8 <= scan.len() {
            let Some(chunk) = scan.get(j..j + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) else {
                break;
            };
            let x = u64::from_le_bytes(chunk);
            let alnum = if x & HIGH_BITS == 0 {
                ascii_only_alnum_mask(x)
            } else {
                ascii_alnum_masks(x).0
            };
            let stops = !alnum & HIGH_BITS;
            if stops == 0 {
                j += 8;
                continue;
            }
            let run_bits = stops.trailing_zeros() & !7;
            j += (run_bits / 8) as usize;
            stop = Some((x >> run_bits) as u8);
            break;
        }
        if stop.is_none() {
            while let Some(&b) = scan.get(j) {
                if BYTE_CLASS[usize::from(b)] & ALNUM == 0 {
                    stop = Some(b);
                    break;
                }
                j += 1;
            }
        }
        let kind = TokenKind::Word;
        match stop {
            // The usual end of a word, told without the table.
            Some(b' ') => Some((j, kind, stop)),
            Some(b) if BYTE_CLASS[usize::from(b)] & MAY_JOIN_WORD != 0 => {
                let (end, kind) = self.plain_word_at_joiner(i, j, b, true, false, kind)?;
                Some((end, kind, scan.get(end).copied()))
            }
            _ => Some((j, kind, stop)),
        }
    }

    /// [`Self::scan_plain_word`] for a token that starts with a digit: a number, or a
    /// word when a letter follows ("5th").
    #[inline(never)]
    fn scan_plain_from_digit(
        &self,
        scan: &[u8],
        i: usize,
        first: u8,
    ) -> Option<(usize, TokenKind, Option<u8>)> {
        let starts_digit = first.is_ascii_digit();
        // Letters seen (high bits): a word that starts with a letter has one.
        let mut letters_seen = u64::from(!starts_digit);
        let mut j = i;
        // Eight bytes a step while they last: no branch per byte, so the end of a word
        // costs no mispredicted jump. `stop` is the byte that ends the word.
        let mut stop = None;
        while let Some(chunk) = scan.get(j..).and_then(<[u8]>::first_chunk::<8>) {
            let x = u64::from_le_bytes(*chunk);
            let (alnum, letters) = ascii_alnum_masks(x);
            let stops = !alnum & HIGH_BITS;
            if stops == 0 {
                letters_seen |= letters;
                j += 8;
                continue;
            }
            let run_bits = stops.trailing_zeros() & !7;
            if starts_digit {
                letters_seen |= letters & ((1u64 << run_bits) - 1);
            }
            j += (run_bits / 8) as usize;
            stop = Some((x >> run_bits) as u8);
            break;
        }
        if stop.is_none() {
            while let Some(&b) = scan.get(j) {
                let class = BYTE_CLASS[usize::from(b)];
                if class & ALNUM == 0 {
                    stop = Some(b);
                    break;
                }
                letters_seen |= u64::from(class & ALPHA);
                j += 1;
            }
        }
        let has_alpha = letters_seen != 0;
        let kind = if has_alpha || !starts_digit {
            TokenKind::Word
        } else {
            TokenKind::Number
        };
        match stop {
            Some(b) if BYTE_CLASS[usize::from(b)] & MAY_JOIN != 0 => {
                let (end, kind) =
                    self.plain_word_at_joiner(i, j, b, has_alpha, starts_digit, kind)?;
                Some((end, kind, scan.get(end).copied()))
            }
            _ => Some((j, kind, stop)),
        }
    }

    /// [`Self::scan_plain_word`] for a word `[i, j)` followed by `stop`, a byte that may
    /// continue it: what `scan_word` gives when the bytes after `stop` show that it ends
    /// the word there (or, for a period, that the period is the word's own), else `None`.
    #[inline(never)]
    fn plain_word_at_joiner(
        &self,
        i: usize,
        j: usize,
        stop: u8,
        has_alpha: bool,
        starts_digit: bool,
        kind: TokenKind,
    ) -> Option<(usize, TokenKind)> {
        let scan = self.bytes.get(..self.end)?;
        // The byte after the joiner: ends the word when it is ASCII but no letter or
        // digit (or when there is none); non-ASCII needs the char tests of `scan_word`.
        let plain_stop = |at: usize| match scan.get(at) {
            None => Some(true),
            Some(&b) if b >= 0x80 => None,
            Some(&b) => Some(!b.is_ascii_alphanumeric()),
        };
        // An apostrophe at `j` of `len` bytes: the word ends before it when no letter
        // follows, or when the clitic "s" follows.
        let apostrophe = |len: usize| -> Option<(usize, TokenKind)> {
            match scan.get(j + len) {
                None => Some((j, kind)),
                Some(&b) if b >= 0x80 => None,
                Some(&b) if !b.is_ascii_alphabetic() => Some((j, kind)),
                Some(b's' | b'S') if plain_stop(j + len + 1)? => Some((j, kind)),
                Some(_) => None,
            }
        };
        match stop {
            b'.' => {
                if !plain_stop(j + 1)? {
                    return None;
                }
                let url_like = matches!(
                    (scan.get(i), scan.get(i + 1)),
                    (Some(b'h' | b'H' | b'f' | b'F'), Some(b't' | b'T'))
                        | (Some(b'w' | b'W'), Some(b'w' | b'W'))
                );
                if url_like {
                    return None;
                }
                if !has_alpha {
                    return Some((j, TokenKind::Number));
                }
                let body = self.text.get(i..j)?;
                Some((if self.attaches_period(body) { j + 1 } else { j }, kind))
            }
            b'-' => plain_stop(j + 1)?.then_some((j, kind)),
            b'\'' => apostrophe(1),
            // ’ (U+2019)
            0xE2 if scan.get(j + 1..j + 3) == Some(&[0x80, 0x99]) => apostrophe(3),
            b',' | b':' | b'/' if starts_digit && !has_alpha => None,
            // A URL ("http://", "https://", "ftp://").
            b':' if scan.get(i..j).is_some_and(is_url_scheme) => None,
            b',' | b':' | b'/' => Some((j, kind)),
            _ => None,
        }
    }

    /// Pushes a token `[start, end)`, guaranteeing progress; returns the next position.
    #[inline]
    fn push(
        &self,
        out: &mut Vec<Token>,
        start: usize,
        end: usize,
        kind: TokenKind,
        min_len: usize,
    ) -> usize {
        let mut end = end.max(start + min_len).min(self.end);
        while end < self.end && !self.text.is_char_boundary(end) {
            end += 1;
        }
        out.push(Token {
            // `Span::new` without a call across crates.
            span: Span {
                start,
                end: end.max(start),
            },
            kind,
        });
        end
    }

    /// A URL starting at `i` ("http://", "https://", "ftp://", "www."): its end without
    /// trailing punctuation.
    fn scan_url(&self, i: usize) -> Option<usize> {
        let rest = self.bytes.get(i..self.end)?;
        let has_prefix = |p: &[u8]| rest.len() > p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
        if !(has_prefix(b"http://")
            || has_prefix(b"https://")
            || has_prefix(b"ftp://")
            || has_prefix(b"www."))
        {
            return None;
        }
        let mut j = i;
        while let Some(c) = self.peek(j) {
            if c.is_whitespace() || matches!(c, '"' | '<' | '>' | '“' | '”' | '«' | '»') {
                break;
            }
            j += c.len_utf8();
        }
        let url = self.text.get(i..j)?;
        let opens = url.matches('(').count();
        let mut closes = url.matches(')').count();
        let mut trimmed = url;
        while let Some(last) = trimmed.chars().next_back() {
            let drop = match last {
                ')' if closes > opens => {
                    closes -= 1;
                    true
                }
                '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | ']' | '}' | '…' => true,
                _ => false,
            };
            if !drop {
                break;
            }
            trimmed = &trimmed[..trimmed.len() - last.len_utf8()];
        }
        Some(i + trimmed.len())
    }

    /// A dotted acronym starting at `i` ("U.S.", "e.g.", "Ph.D."): groups of one to three
    /// letters each followed by a period, at least two groups; returns the end after the
    /// final period.
    fn scan_acronym(&self, i: usize) -> Option<usize> {
        let mut k = i;
        let mut groups = 0;
        loop {
            let mut letters = 0;
            while let Some(c) = self.peek(k) {
                if !c.is_alphabetic() {
                    break;
                }
                letters += 1;
                if letters > 3 {
                    return None;
                }
                k += c.len_utf8();
            }
            if letters == 0 || self.peek(k) != Some('.') {
                return None;
            }
            k += 1;
            groups += 1;
            match self.peek(k) {
                Some(c) if c.is_alphabetic() => continue,
                Some(c) if is_word_char(c) => return None,
                _ => break,
            }
        }
        (groups >= 2).then_some(k)
    }

    /// Whether a period directly after the word `body` belongs to it (an abbreviation or
    /// a single-letter initial).
    fn attaches_period(&self, body: &str) -> bool {
        let mut chars = body.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return c.is_alphabetic();
        }
        self.lex.listed_class(body).is_some()
    }

    /// Scans a word, number, URL or e-mail address starting at `i`.
    fn scan_word(&self, i: usize) -> (usize, TokenKind) {
        let url_like = matches!(
            (self.bytes.get(i), self.bytes.get(i + 1)),
            (Some(b'h' | b'H' | b'f' | b'F'), Some(b't' | b'T'))
                | (Some(b'w' | b'W'), Some(b'w' | b'W'))
        );
        if url_like {
            if let Some(end) = self.scan_url(i) {
                return (end, TokenKind::Symbol);
            }
        }
        let starts_digit = match self.bytes.get(i) {
            Some(b) if b.is_ascii() => b.is_ascii_digit(),
            _ => self.peek(i).is_some_and(|c| c.is_numeric()),
        };
        let mut has_alpha = false;
        let mut joined = false;
        let mut compound = false;
        let mut email = false;
        let mut j = i;
        loop {
            let scan = self.bytes.get(..self.end).unwrap_or(&[]);
            while let Some(&b) = scan.get(j) {
                let class = BYTE_CLASS[usize::from(b)];
                if class & ALNUM != 0 {
                    has_alpha |= class & ALPHA != 0;
                    j += 1;
                    continue;
                }
                if b.is_ascii() {
                    break;
                }
                match self.peek(j) {
                    Some(c) if is_word_char(c) => {
                        has_alpha = has_alpha || c.is_alphabetic();
                        j += c.len_utf8();
                    }
                    _ => break,
                }
            }
            // Fast exit on the common word ends.
            match self.bytes.get(j) {
                Some(&b) if j < self.end && BYTE_CLASS[usize::from(b)] & WORD_STOP == 0 => {}
                _ => break,
            }
            let Some(x) = self.peek(j) else {
                break;
            };
            let after = j + x.len_utf8();
            let next = self.peek(after);
            match x {
                '-' | '\u{2010}' | '\u{2011}' => {
                    if next.is_some_and(is_word_char) {
                        j = after;
                        joined = true;
                        continue;
                    }
                    break;
                }
                '\'' | '’' | 'ʼ' => {
                    if next.is_some_and(|c| c.is_alphabetic()) {
                        let clitic = matches!(next, Some('s' | 'S'))
                            && !self.peek(after + 1).is_some_and(is_word_char);
                        if clitic {
                            break;
                        }
                        j = after;
                        joined = true;
                        continue;
                    }
                    break;
                }
                '.' => {
                    let numeric = starts_digit && !has_alpha;
                    if numeric && next.is_some_and(|c| c.is_ascii_digit()) {
                        j = after;
                        continue;
                    }
                    if has_alpha && !joined && !compound {
                        if let Some(end) = self.scan_acronym(i) {
                            j = end;
                            // "U.S.-led"
                            if self.peek(j) == Some('-')
                                && self.peek(j + 1).is_some_and(is_word_char)
                            {
                                j += 1;
                                joined = true;
                                continue;
                            }
                            break;
                        }
                    }
                    if has_alpha && next.is_some_and(|c| c.is_alphanumeric()) {
                        j = after;
                        compound = true;
                        continue;
                    }
                    if has_alpha && !compound {
                        if let Some(body) = self.text.get(i..j) {
                            if self.attaches_period(body) {
                                j = after;
                            }
                        }
                    }
                    break;
                }
                ',' | ':' | '/' => {
                    if starts_digit && !has_alpha && next.is_some_and(|c| c.is_ascii_digit()) {
                        j = after;
                        continue;
                    }
                    break;
                }
                '@' | '_' => {
                    if next.is_some_and(|c| c.is_alphanumeric()) {
                        j = after;
                        compound = true;
                        email |= x == '@';
                        continue;
                    }
                    break;
                }
                '°' => {
                    if has_alpha && !starts_digit {
                        j = after;
                        continue;
                    }
                    break;
                }
                _ => break,
            }
        }
        let kind = if email {
            TokenKind::Symbol
        } else if has_alpha || !starts_digit {
            TokenKind::Word
        } else {
            TokenKind::Number
        };
        (j, kind)
    }

    /// Scans a token that starts with a non-word character `c` at `i`.
    fn scan_other(&self, i: usize, c: char) -> (usize, TokenKind) {
        let len = c.len_utf8();
        match c {
            '.' => self.scan_period(i),
            '!' | '?' | '‽' => {
                let mut j = i;
                while let Some(x @ ('!' | '?' | '‽')) = self.peek(j) {
                    j += x.len_utf8();
                }
                (j, TokenKind::Punct)
            }
            '…' => {
                let mut j = i;
                while let Some(x @ ('…' | '.')) = self.peek(j) {
                    j += x.len_utf8();
                }
                (j, TokenKind::Punct)
            }
            '-' => {
                let mut j = i;
                while self.peek(j) == Some('-') {
                    j += 1;
                }
                (j, TokenKind::Punct)
            }
            '\'' | '’' | '‘' | '`' if self.peek(i + len) == Some(c) => {
                // Doubled single marks stand for double quotation marks: ‘‘ ’’ '' ``.
                (i + 2 * len, TokenKind::Punct)
            }
            '\'' | '’' | '‘' | 'ʼ' => {
                let after = i + len;
                let prev = self.prev(i);
                // Clitic "’s" after a word or an abbreviation's period.
                if c != '‘'
                    && prev.is_some_and(|p| is_word_char(p) || p == '.')
                    && matches!(self.peek(after), Some('s' | 'S'))
                    && !self.peek(after + 1).is_some_and(is_word_char)
                {
                    return (after + 1, TokenKind::Word);
                }
                // Elided decade "’90s".
                let opens_word = prev.is_none_or(|p| p.is_whitespace() || "([{“\"‘".contains(p));
                if opens_word
                    && self.peek(after).is_some_and(|d| d.is_ascii_digit())
                    && self.peek(after + 1).is_some_and(|d| d.is_ascii_digit())
                {
                    let mut j = after + 2;
                    if self.peek(j) == Some('s') {
                        j += 1;
                    }
                    if !self.peek(j).is_some_and(is_word_char) {
                        return (j, TokenKind::Word);
                    }
                }
                (after, TokenKind::Punct)
            }
            _ => (i + len, char_kind(c)),
        }
    }

    /// Scans a token starting with a period: a run of periods, a spaced ellipsis, a
    /// decimal fraction or a single period.
    fn scan_period(&self, i: usize) -> (usize, TokenKind) {
        match self.peek(i + 1) {
            Some('.') => {
                let mut j = i;
                while self.peek(j) == Some('.') {
                    j += 1;
                }
                return (j, TokenKind::Punct);
            }
            Some(d) if d.is_ascii_digit() && !self.prev(i).is_some_and(is_word_char) => {
                let mut j = i + 1;
                while self.peek(j).is_some_and(|c| c.is_ascii_digit()) {
                    j += 1;
                }
                return (j, TokenKind::Number);
            }
            _ => {}
        }
        // Spaced ellipsis: ". . ." (single spaces between periods).
        let mut dots = 1;
        let mut j = i + 1;
        while self.peek(j) == Some(' ') && self.peek(j + 1) == Some('.') {
            dots += 1;
            j += 2;
        }
        if dots >= 3 {
            let glued = self.prev(i).is_some_and(|p| !p.is_whitespace());
            if glued && dots >= 4 {
                // "word. . . ." is a period followed by an ellipsis.
                return (i + 1, TokenKind::Punct);
            }
            return (j, TokenKind::Punct);
        }
        (i + 1, TokenKind::Punct)
    }
}

/// Tokenizes `text[start..end]` into `out`.
pub(crate) fn tokenize_range(
    text: &str,
    start: usize,
    end: usize,
    lex: &Lexicon,
    out: &mut Vec<Token>,
) {
    Tokenizer::new(text, start, end, lex).run(out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<(&str, TokenKind)> {
        let mut out = Vec::new();
        tokenize_range(text, 0, text.len(), Lexicon::embedded(), &mut out);
        out.iter()
            .map(|t| (t.span.slice(text).unwrap(), t.kind))
            .collect()
    }

    fn words(text: &str) -> Vec<&str> {
        toks(text).into_iter().map(|(s, _)| s).collect()
    }

    /// Where the byte-level fast path answers, it answers what `scan_word` does.
    fn check_plain_words(text: &str) {
        let lex = Lexicon::embedded();
        for start in [0, 1] {
            let tokenizer = Tokenizer::new(text, start, text.len(), lex);
            for (i, &b) in text.as_bytes().iter().enumerate().skip(start) {
                if !b.is_ascii_alphanumeric() {
                    continue;
                }
                let scan = &text.as_bytes()[..tokenizer.end];
                if let Some((end, kind, after)) = tokenizer.scan_plain_word(scan, i, b) {
                    assert_eq!((end, kind), tokenizer.scan_word(i), "{text:?} at {i}");
                    assert_eq!(after, scan.get(end).copied(), "{text:?} at {i}");
                }
            }
        }
    }

    #[test]
    fn plain_words_end_where_scan_word_ends_them() {
        for text in [
            "Mr. Smith met Dr. Who, Gen. Lee and J. Doe at 5 p.m. on Jan. 5.",
            "the U.S. and e.g. www.example.org or http://x.y and ftp. no",
            "Iran’s don’t voters’ it's O'Brien'S 'tis rock-'n'-roll ab-",
            "3.5 1,000 10:30 1/2 5th 44-day x.y.z a@b.c snake_case 7.",
            "word. . . Next; end-. and-é café. naïve’s abc’é x’",
            "abcdefghijklmnop. abcdefghijklmnopq’s 1234567890123,5",
        ] {
            check_plain_words(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_words_match_scan_word_on_any_text(
            text in "([a-zA-Z0-9]{1,10}|[ .,:/'’@_\\-]|é|www|http|Mr|U\\.S|p\\.m){0,24}"
        ) {
            check_plain_words(&text);
        }
    }

    #[test]
    fn byte_masks_match_the_byte_classes() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = [b' '; 8];
                bytes[at] = b;
                let (alnum, letters) = ascii_alnum_masks(u64::from_le_bytes(bytes));
                let bit = 0x80u64 << (at * 8);
                assert_eq!(alnum & bit != 0, b.is_ascii_alphanumeric(), "{b} at {at}");
                assert_eq!(letters & bit != 0, b.is_ascii_alphabetic(), "{b} at {at}");
                assert_eq!(alnum & !bit, 0, "{b} at {at}");
            }
        }
        for b in 0..0x80u8 {
            for at in 0..8 {
                for filler in [b' ', b'a', b'Z', b'0', 0x7F] {
                    let mut bytes = [filler; 8];
                    bytes[at] = b;
                    let x = u64::from_le_bytes(bytes);
                    assert_eq!(ascii_only_alnum_mask(x), ascii_alnum_masks(x).0, "{b} {at}");
                }
            }
        }
        // Neighbours do not disturb each other.
        let (alnum, _) = ascii_alnum_masks(u64::from_le_bytes(*b"a\xFF9Z\x7F/0@"));
        assert_eq!(alnum, 0x0080_0000_8080_0080);
    }

    #[test]
    fn single_byte_tokens_are_what_the_general_path_gives() {
        for b in 0..0x80u8 {
            let class = BYTE_CLASS[usize::from(b)];
            if class & SINGLE == 0 {
                continue;
            }
            let c = char::from(b);
            assert!(
                c.is_ascii_graphic() && !is_word_char(c) && !c.is_whitespace(),
                "{b}"
            );
            let kind = if class & SYMBOL != 0 {
                TokenKind::Symbol
            } else {
                TokenKind::Punct
            };
            assert_eq!(kind, char_kind(c), "{b}");
            let text = format!("a{c}{c}b");
            assert_eq!(
                toks(&text)[1..3],
                [(&text[1..2], kind), (&text[2..3], kind)],
                "{b}"
            );
        }
        assert_eq!(BYTE_CLASS[usize::from(b',')] & SINGLE, SINGLE);
        for b in *b".!?-'`" {
            assert_eq!(BYTE_CLASS[usize::from(b)] & SINGLE, 0, "{b}");
        }
    }

    #[test]
    fn general_punctuation_tokens_are_what_the_general_path_gives() {
        for c in '\u{2010}'..='\u{2027}' {
            if matches!(c, '‘' | '’' | '…') {
                continue;
            }
            assert!(!is_word_char(c) && !c.is_whitespace(), "{c}");
            assert_eq!(char_kind(c), TokenKind::Punct, "{c}");
            let text = format!("a{c}{c} {c}b");
            let expected = [
                (&text[1..4], TokenKind::Punct),
                (&text[4..7], TokenKind::Punct),
            ];
            assert_eq!(toks(&text)[1..3], expected, "{c}");
            assert_eq!(toks(&text)[3], (&text[8..11], TokenKind::Punct), "{c}");
        }
        assert_eq!(words("“So—no.”"), vec!["“", "So", "—", "no", ".", "”"]);
    }

    #[test]
    fn hyphens_and_apostrophes() {
        assert_eq!(
            words("Nagorno-Karabakh’s talks don’t stall; O'Brien's view"),
            vec![
                "Nagorno-Karabakh",
                "’s",
                "talks",
                "don’t",
                "stall",
                ";",
                "O'Brien",
                "'s",
                "view"
            ]
        );
        assert_eq!(
            words("the ’90s and voters’ trust, it’s fine"),
            vec!["the", "’90s", "and", "voters", "’", "trust", ",", "it", "’s", "fine"]
        );
    }

    #[test]
    fn abbreviations_keep_their_period() {
        assert_eq!(
            words("Mr. Smith of the U.S. Army met Lt. Col. J. R. Doe at 5 p.m. today."),
            vec![
                "Mr.", "Smith", "of", "the", "U.S.", "Army", "met", "Lt.", "Col.", "J.", "R.",
                "Doe", "at", "5", "p.m.", "today", "."
            ]
        );
        assert_eq!(
            words("No. 5 and N°. 7"),
            vec!["No.", "5", "and", "N°.", "7"]
        );
        assert_eq!(words("a U.S.-led force"), vec!["a", "U.S.-led", "force"]);
    }

    #[test]
    fn numbers_symbols_and_kinds() {
        let t = toks("$100.00 rose 3.5% to 1,000 at 10:30 on the 5th day.");
        assert_eq!(t[0], ("$", TokenKind::Symbol));
        assert_eq!(t[1], ("100.00", TokenKind::Number));
        assert_eq!(t[3], ("3.5", TokenKind::Number));
        assert_eq!(t[4], ("%", TokenKind::Symbol));
        assert_eq!(t[6], ("1,000", TokenKind::Number));
        assert_eq!(t[8], ("10:30", TokenKind::Number));
        assert_eq!(t[11], ("5th", TokenKind::Word));
        assert_eq!(t[13], (".", TokenKind::Punct));
    }

    #[test]
    fn url_schemes_in_any_case_still_make_urls() {
        assert_eq!(
            toks("HTTP://a.example/x and Ftp://b.example www.c.example"),
            vec![
                ("HTTP://a.example/x", TokenKind::Symbol),
                ("and", TokenKind::Word),
                ("Ftp://b.example", TokenKind::Symbol),
                ("www.c.example", TokenKind::Symbol),
            ]
        );
        assert_eq!(
            words("http: no url, ftp: none"),
            vec!["http", ":", "no", "url", ",", "ftp", ":", "none"]
        );
    }

    #[test]
    fn urls_and_emails() {
        assert_eq!(
            toks("See https://example.org/a_(b).html. Mail jo.ann@example.com."),
            vec![
                ("See", TokenKind::Word),
                ("https://example.org/a_(b).html", TokenKind::Symbol),
                (".", TokenKind::Punct),
                ("Mail", TokenKind::Word),
                ("jo.ann@example.com", TokenKind::Symbol),
                (".", TokenKind::Punct),
            ]
        );
        assert_eq!(
            words("(www.example.com)"),
            vec!["(", "www.example.com", ")"]
        );
    }

    #[test]
    fn ellipses_and_runs() {
        assert_eq!(
            words("Wait... what?! No!!"),
            vec!["Wait", "...", "what", "?!", "No", "!!"]
        );
        assert_eq!(words("then . . . . Next"), vec!["then", ". . . .", "Next"]);
        assert_eq!(
            words("ends. . . . Next"),
            vec!["ends", ".", ". . .", "Next"]
        );
        assert_eq!(words("so … on"), vec!["so", "…", "on"]);
    }

    #[test]
    fn quotes_are_punctuation() {
        assert_eq!(
            toks("“Go,” he said. «Oui»"),
            vec![
                ("“", TokenKind::Punct),
                ("Go", TokenKind::Word),
                (",", TokenKind::Punct),
                ("”", TokenKind::Punct),
                ("he", TokenKind::Word),
                ("said", TokenKind::Word),
                (".", TokenKind::Punct),
                ("«", TokenKind::Punct),
                ("Oui", TokenKind::Word),
                ("»", TokenKind::Punct),
            ]
        );
    }

    #[test]
    fn unicode_words() {
        assert_eq!(
            words("Erdoğan und Владимир Путин"),
            vec!["Erdoğan", "und", "Владимир", "Путин"]
        );
        assert_eq!(words(""), Vec::<&str>::new());
        assert_eq!(words("  \t "), Vec::<&str>::new());
    }
}

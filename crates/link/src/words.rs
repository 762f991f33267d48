//! A light word scanner for the linker: words are runs of letters and digits (with
//! inner apostrophes and dotted initials such as `U.S.`); hyphens split words but are
//! remembered as the gap between them; a possessive `'s` / `’s` is kept apart from the
//! word's core. Independent of the segmenter's tokenisation on purpose.

/// What separates a word from the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// Only spaces (no line break).
    Space,
    /// A single hyphen with no spaces.
    Hyphen,
    /// A period then spaces, after a one-letter word (an initial: `J. Smith`).
    Initial,
    /// Anything else: punctuation, a line break, the end of text.
    Other,
}

/// One word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    /// End of the core (without a possessive ending).
    pub end: usize,
    /// End including a possessive ending.
    pub full_end: usize,
    /// First character upper-case.
    pub cap: bool,
    /// Every letter upper-case and at least two letters.
    pub all_caps: bool,
    pub possessive: bool,
    /// Only ASCII and no upper-case letter (up to the end including a possessive
    /// ending): the core is its own lower-case form.
    pub plain: bool,
    /// Only ASCII (up to the end including a possessive ending).
    pub ascii: bool,
    /// Holds an apostrophe or a period (not counting a plural possessive's final
    /// apostrophe): letters after one also begin a word for the name search.
    pub joined: bool,
    pub gap: Gap,
}

impl Word {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// The character at byte `pos` (which must be a char boundary), if any.
#[inline]
fn char_at(text: &str, pos: usize) -> Option<char> {
    match text.as_bytes().get(pos) {
        Some(&b) if b < 0x80 => Some(b as char),
        Some(_) => text.get(pos..).and_then(|s| s.chars().next()),
        None => None,
    }
}

#[inline]
fn is_word_char(c: char) -> bool {
    is_alnum(c)
}

/// `char::is_alphanumeric`, answered at once for ASCII and for the General Punctuation
/// block (U+2000–U+206F: spaces, dashes, quotation marks; no letter or digit), the
/// non-ASCII characters news text holds most.
#[inline]
pub fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{2000}'..='\u{206f}').contains(&c) {
        false
    } else {
        c.is_alphanumeric()
    }
}

/// Byte classes of ASCII: a letter or digit, and the case of a letter.
const ALNUM: u8 = 1;
const LOWER: u8 = 2;
const UPPER: u8 = 8;
/// Set in a word's accumulated classes when it holds a non-ASCII character.
const NON_ASCII: u8 = 4;
/// Set in a word's accumulated classes when it holds an apostrophe or a period.
const JOINED: u8 = 16;

/// [`ALNUM`] and [`LOWER`] for every ASCII byte; 0 for bytes >= 0x80.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() {
            t[i] = ALNUM;
        }
        if b.is_ascii_lowercase() {
            t[i] |= LOWER;
        }
        if b.is_ascii_uppercase() {
            t[i] |= UPPER;
        }
        i += 1;
    }
    t
};

/// The bytes after a run of ASCII letters and digits that may continue the word: an
/// apostrophe, a period, or the first byte of a non-ASCII character.
const CONTINUES: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = i >= 0x80 || i == b'\'' as usize || i == b'.' as usize;
        i += 1;
    }
    t
};

/// Whether word `text[span]` has at least two letters and all of them upper-case
/// (every upper-case character counted against the letters, as a character-by-character
/// count does).
#[inline]
fn all_caps_of(text: &str, span: std::ops::Range<usize>, classes: u8) -> bool {
    if classes & NON_ASCII == 0 {
        // ASCII: upper-case letters equal letters exactly when no letter is lower-case
        classes & LOWER == 0
            && text
                .as_bytes()
                .get(span)
                .unwrap_or(&[])
                .iter()
                .filter(|b| b.is_ascii_alphabetic())
                .count()
                >= 2
    } else if classes & LOWER != 0 {
        // a lower-case ASCII letter is a letter that is not upper-case, and every
        // upper-case character is a letter (tested below): fewer upper-case than letters
        false
    } else {
        let word = text.get(span).unwrap_or("");
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let uppers = word.chars().filter(|c| c.is_uppercase()).count();
        letters >= 2 && uppers == letters
    }
}

/// What separates `this` from a following word starting at `next_start`.
#[inline]
fn gap_between(text: &str, this: &Word, next_start: usize) -> Gap {
    let bytes = text.as_bytes();
    // the common cases first: one space, one hyphen
    if next_start == this.full_end + 1 {
        match bytes.get(this.full_end) {
            Some(b' ') => return Gap::Space,
            Some(b'-') => return Gap::Hyphen,
            _ => {}
        }
    }
    // a gap that starts with no space, tab, hyphen, period or non-ASCII character (a
    // no-break space, a hyphen U+2010) is none of the named ones
    match bytes.get(this.full_end) {
        Some(b' ' | b'\t' | b'-' | b'.') => {}
        Some(&b) if b >= 0x80 => {}
        _ => return Gap::Other,
    }
    named_gap(text, this, next_start)
}

/// The gap between `this` and a word starting at `next_start`, read from the text between
/// them: the general rule, which [`gap_between`] answers faster for the common gaps.
fn named_gap(text: &str, this: &Word, next_start: usize) -> Gap {
    let between = text.get(this.full_end..next_start).unwrap_or("");
    if between == "-" || between == "‐" {
        Gap::Hyphen
    } else if !between.is_empty()
        && between
            .chars()
            .all(|c| c == ' ' || c == '\t' || c == '\u{a0}')
    {
        Gap::Space
    } else if between.starts_with('.')
        && between.len() > 1
        && between[1..].chars().all(|c| c == ' ')
        && this.cap
        && text
            .get(this.start..this.end)
            .is_some_and(|w| w.chars().count() == 1)
    {
        Gap::Initial
    } else {
        Gap::Other
    }
}

/// Scans every word of `text`.
#[cfg(test)]
pub fn scan(text: &str) -> Vec<Word> {
    let mut words = Vec::with_capacity(text.len() / 5);
    scan_into(text, &mut words);
    words
}

/// Scans every word of `text` into `words` (cleared first).
#[inline(never)]
pub fn scan_into(text: &str, words: &mut Vec<Word>) {
    words.clear();
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut pos = 0;
    // whether the last word's gap waits for the next word's start
    let mut gap_open = false;
    while pos < n {
        let b = bytes[pos];
        let start = pos;
        let (end, classes, cap) = if b < 0x80 {
            let class = CLASS[usize::from(b)];
            if class & ALNUM == 0 {
                pos += 1;
                continue;
            }
            let mut classes = class;
            // a byte that is no letter or digit has class 0: or-ing it in changes nothing
            let rest = bytes.get(pos + 1..).unwrap_or(&[]);
            let run = rest
                .iter()
                .position(|&d| {
                    let class = CLASS[usize::from(d)];
                    classes |= class;
                    class & ALNUM == 0
                })
                .unwrap_or(rest.len());
            let mut end = pos + 1 + run;
            match bytes.get(end) {
                Some(&d) if CONTINUES[usize::from(d)] => {
                    let segment_len = end - start;
                    (end, classes) = extend_word(text, start, end, segment_len, classes);
                }
                term => {
                    // the common word: ASCII letters and digits alone, then an ASCII byte
                    // that is no apostrophe or period (or the end of the text); it has no
                    // possessive ending
                    if gap_open {
                        if let Some(prev) = words.last_mut() {
                            prev.gap = gap_between(text, prev, start);
                        }
                    }
                    let gap = common_gap(bytes, term.copied(), end);
                    gap_open = gap == Gap::Other;
                    words.push(Word {
                        start,
                        end,
                        full_end: end,
                        cap: class & UPPER != 0,
                        all_caps: classes & LOWER == 0
                            && ascii_letters_at_least_two(bytes, start, end),
                        possessive: false,
                        plain: classes & UPPER == 0,
                        ascii: true,
                        joined: false,
                        gap,
                    });
                    pos = if gap_open { end } else { end + 1 };
                    continue;
                }
            }
            (end, classes, class & UPPER != 0)
        } else {
            let Some(c) = text.get(pos..).and_then(|s| s.chars().next()) else {
                break;
            };
            if !is_alnum(c) {
                pos += c.len_utf8();
                continue;
            }
            let (end, classes) = extend_word(text, start, pos + c.len_utf8(), 1, NON_ASCII);
            (end, classes, c.is_uppercase())
        };
        let mut core_end = end;
        let mut possessive = false;
        let mut full_end = end;
        // a possessive ending: 's, ’s, 'S or ’S after at least one more byte
        let wn = end - start;
        if wn > 0 && matches!(bytes.get(end - 1), Some(b's' | b'S')) {
            if wn > 2 && bytes.get(end - 2) == Some(&b'\'') {
                core_end = end - 2;
                possessive = true;
            } else if wn > 4 && bytes.get(end - 4..end - 1) == Some(&[0xE2, 0x80, 0x99]) {
                core_end = end - 4;
                possessive = true;
            } else if let Some(d) = char_at(text, end) {
                // plural possessive: "countries' "
                if is_apostrophe(d) {
                    let after = char_at(text, end + d.len_utf8());
                    if after.is_none_or(|a| !is_alnum(a)) {
                        full_end = end + d.len_utf8();
                        possessive = true;
                    }
                }
            }
        }
        if gap_open {
            if let Some(prev) = words.last_mut() {
                prev.gap = gap_between(text, prev, start);
            }
        }
        let gap = common_gap(bytes, bytes.get(full_end).copied(), full_end);
        gap_open = gap == Gap::Other;
        words.push(Word {
            start,
            end: core_end,
            full_end,
            cap,
            all_caps: all_caps_of(text, start..end, classes),
            possessive,
            plain: classes & (UPPER | NON_ASCII) == 0,
            ascii: classes & NON_ASCII == 0,
            joined: classes & JOINED != 0,
            gap,
        });
        pos = if gap_open { full_end } else { full_end + 1 };
    }
}

/// The common gap after a word ending at `end` (followed by byte `term`), decided at
/// once: one space or hyphen, then an ASCII letter or digit (where the next word
/// starts); [`Gap::Other`] when the next word's start decides it.
#[inline]
fn common_gap(bytes: &[u8], term: Option<u8>, end: usize) -> Gap {
    let next_is_alnum = || {
        bytes
            .get(end + 1)
            .is_some_and(|&d| CLASS[usize::from(d)] & ALNUM != 0)
    };
    match term {
        Some(b' ') if next_is_alnum() => Gap::Space,
        Some(b'-') if next_is_alnum() => Gap::Hyphen,
        _ => Gap::Other,
    }
}

/// Whether `bytes[start..end]` holds at least two ASCII letters.
#[inline]
fn ascii_letters_at_least_two(bytes: &[u8], start: usize, end: usize) -> bool {
    bytes
        .get(start..end)
        .unwrap_or(&[])
        .iter()
        .filter(|b| b.is_ascii_alphabetic())
        .nth(1)
        .is_some()
}

/// The rest of a word from `end` (after `segment_len` letters or digits since the
/// word's start or its last period) once it meets a non-ASCII character, an apostrophe
/// or a period: returns the word's end and its accumulated byte classes.
#[inline(never)]
fn extend_word(
    text: &str,
    start: usize,
    mut end: usize,
    mut segment_len: usize,
    mut classes: u8,
) -> (usize, u8) {
    let bytes = text.as_bytes();
    let mut has_dot = false;
    loop {
        // fast path: ASCII letters and digits
        let run_start = end;
        for &d in bytes.get(end..).unwrap_or(&[]) {
            let class = CLASS[usize::from(d)];
            if class & ALNUM == 0 {
                break;
            }
            classes |= class;
            end += 1;
        }
        segment_len += end - run_start;
        // the common end of a word: an ASCII byte that is no apostrophe or period
        match bytes.get(end) {
            None => break,
            Some(&b) if b < 0x80 && b != b'\'' && b != b'.' => break,
            _ => {}
        }
        let Some(d) = char_at(text, end) else { break };
        if is_word_char(d) {
            end += d.len_utf8();
            classes |= NON_ASCII;
            segment_len += 1;
            continue;
        }
        if !is_apostrophe(d) && d != '.' {
            break;
        }
        let next_alnum = char_at(text, end + d.len_utf8()).is_some_and(is_alnum);
        if is_apostrophe(d) && next_alnum {
            end += d.len_utf8();
            classes |= JOINED;
            if !d.is_ascii() {
                classes |= NON_ASCII;
            }
            continue;
        }
        if d == '.'
            && segment_len == 1
            && (next_alnum || has_dot)
            && text
                .get(start..end)
                .is_some_and(|w| w.chars().count() <= 12)
        {
            // U.S, U.S.A. , U.N.
            end += 1;
            has_dot = true;
            segment_len = 0;
            classes |= JOINED;
            continue;
        }
        break;
    }
    (end, classes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The first scanner, kept as the oracle of the fast one.
    fn scan_reference(text: &str) -> Vec<Word> {
        let bytes = text.as_bytes();
        let mut words = Vec::with_capacity(text.len() / 5);
        let mut pos = 0;
        while pos < bytes.len() {
            let b = bytes[pos];
            if b < 0x80 && !b.is_ascii_alphanumeric() {
                pos += 1;
                continue;
            }
            let Some(c) = char_at(text, pos) else { break };
            if !is_word_char(c) {
                pos += c.len_utf8();
                continue;
            }
            let start = pos;
            let mut end = pos + c.len_utf8();
            let mut letters = usize::from(c.is_alphabetic());
            let mut uppers = usize::from(c.is_uppercase());
            let mut segment_len = 1; // letters since the last dot
            let mut has_dot = false;
            loop {
                // fast path: ASCII letters and digits
                while let Some(&d) = bytes.get(end) {
                    if !d.is_ascii_alphanumeric() {
                        break;
                    }
                    letters += usize::from(d.is_ascii_alphabetic());
                    uppers += usize::from(d.is_ascii_uppercase());
                    segment_len += 1;
                    end += 1;
                }
                let Some(d) = char_at(text, end) else { break };
                if is_word_char(d) {
                    end += d.len_utf8();
                    letters += usize::from(d.is_alphabetic());
                    uppers += usize::from(d.is_uppercase());
                    segment_len += 1;
                    continue;
                }
                if !is_apostrophe(d) && d != '.' {
                    break;
                }
                let next_alnum =
                    char_at(text, end + d.len_utf8()).is_some_and(char::is_alphanumeric);
                if is_apostrophe(d) && next_alnum {
                    end += d.len_utf8();
                    continue;
                }
                if d == '.'
                    && segment_len == 1
                    && (next_alnum || has_dot)
                    && text[start..end].chars().count() <= 12
                {
                    // U.S, U.S.A. , U.N.
                    end += 1;
                    has_dot = true;
                    segment_len = 0;
                    continue;
                }
                break;
            }
            let word = &text[start..end];
            let mut core_end = end;
            let mut possessive = false;
            // a possessive ending: 's, ’s, 'S or ’S after at least one more byte
            let wb = word.as_bytes();
            let n = wb.len();
            if matches!(wb.last(), Some(b's' | b'S')) {
                if n > 2 && wb[n - 2] == b'\'' {
                    core_end = end - 2;
                    possessive = true;
                } else if n > 4 && wb[n - 4..n - 1] == [0xE2, 0x80, 0x99] {
                    core_end = end - 4;
                    possessive = true;
                }
            }
            let mut full_end = end;
            if !possessive {
                // plural possessive: "countries' "
                if let Some(d) = char_at(text, end) {
                    if is_apostrophe(d) && word.ends_with(['s', 'S']) {
                        let after = char_at(text, end + d.len_utf8());
                        if after.is_none_or(|a| !a.is_alphanumeric()) {
                            full_end = end + d.len_utf8();
                            possessive = true;
                        }
                    }
                }
            }
            words.push(Word {
                start,
                end: core_end,
                full_end,
                cap: c.is_uppercase(),
                all_caps: letters >= 2 && uppers == letters,
                possessive,
                plain: word.bytes().all(|b| b < 0x80 && !b.is_ascii_uppercase()),
                ascii: word.is_ascii(),
                joined: word.contains(['\'', '’', '.']),
                gap: Gap::Other,
            });
            pos = full_end.max(end);
        }
        for k in 0..words.len() {
            let this = words[k];
            let gap = match words.get(k + 1) {
                None => Gap::Other,
                Some(next) => gap_between(text, &this, next.start),
            };
            words[k].gap = gap;
        }
        words
    }

    #[test]
    fn words_possessives_hyphens_initials() {
        let t = "Peru’s U.S. envoy J. R. O'Neil met Lima-Quito teams; states' rights.";
        let w = scan(t);
        let texts: Vec<&str> = w.iter().map(|x| x.text(t)).collect();
        assert_eq!(
            texts,
            vec![
                "Peru", "U.S.", "envoy", "J", "R", "O'Neil", "met", "Lima", "Quito", "teams",
                "states", "rights"
            ]
        );
        assert!(w[0].possessive);
        assert_eq!(w[3].gap, Gap::Initial);
        assert_eq!(w[7].gap, Gap::Hyphen);
        assert_eq!(w[6].gap, Gap::Space);
        assert_eq!(w[9].gap, Gap::Other);
        assert!(w[10].possessive);
        assert!(w[1].all_caps && w[1].cap);
    }

    proptest! {
        #[test]
        fn gap_matches_reference(
            text in r"([A-Za-z0-9]{1,4}|[ .'’\-‐,;:\n\tÉé]|\u{a0}|s'){0,30}"
        ) {
            let words = scan(&text);
            for pair in words.windows(2) {
                prop_assert_eq!(
                    gap_between(&text, &pair[0], pair[1].start),
                    named_gap(&text, &pair[0], pair[1].start)
                );
            }
        }
    }

    proptest! {
        #[test]
        fn fast_scan_matches_reference(
            text in r"([A-Za-z0-9]{1,6}|[ .'’\-‐,;:\n\tÉéÖößİıⅧⒶ文]|\u{a0}|'s|’S|s'){0,40}"
        ) {
            prop_assert_eq!(scan(&text), scan_reference(&text));
        }

        #[test]
        fn fast_scan_matches_reference_on_any_text(text in "\\PC{0,80}") {
            prop_assert_eq!(scan(&text), scan_reference(&text));
        }
    }

    #[test]
    fn upper_case_characters_are_letters() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert!(!c.is_uppercase() || c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn is_alnum_is_is_alphanumeric() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(is_alnum(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn fast_scan_matches_reference_on_edge_cases() {
        for t in [
            "",
            "a",
            "A.",
            "U.S.A. and U.N.",
            "ABCDEFGHIJKL.M.",
            "J. R. R. Tolkien",
            "O'Neil's NATO'S NATO's states' x'",
            "Ⅷ ⒶⒷ ÉTAT État İSTANBUL",
            "a-b ‐c  d\u{a0}e",
            "x’s y’S z’",
            "1.2.3 A.1 a.b.c.d.e.f.g.h.i.j.k.l.m.n",
        ] {
            assert_eq!(scan(t), scan_reference(t), "{t}");
        }
    }
}

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
    c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric())
}

/// Scans every word of `text`.
pub fn scan(text: &str) -> Vec<Word> {
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
            let next_alnum = char_at(text, end + d.len_utf8()).is_some_and(char::is_alphanumeric);
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
            gap: Gap::Other,
        });
        pos = full_end.max(end);
    }
    for k in 0..words.len() {
        let this = words[k];
        let gap = match words.get(k + 1) {
            None => Gap::Other,
            // the common cases first: one space, one hyphen
            Some(next)
                if next.start == this.full_end + 1 && bytes.get(this.full_end) == Some(&b' ') =>
            {
                Gap::Space
            }
            Some(next)
                if next.start == this.full_end + 1 && bytes.get(this.full_end) == Some(&b'-') =>
            {
                Gap::Hyphen
            }
            Some(next) => {
                let between = text.get(this.full_end..next.start).unwrap_or("");
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
        };
        words[k].gap = gap;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

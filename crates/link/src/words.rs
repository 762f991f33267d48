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

/// Scans every word of `text`.
pub fn scan(text: &str) -> Vec<Word> {
    let mut words = Vec::with_capacity(text.len() / 5);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !(c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric())) {
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        let mut letters = usize::from(c.is_alphabetic());
        let mut uppers = usize::from(c.is_uppercase());
        let mut segment_len = 1; // letters since the last dot
        let mut has_dot = false;
        while let Some(&(j, d)) = chars.peek() {
            if d.is_ascii_alphanumeric() || (!d.is_ascii() && d.is_alphanumeric()) {
                chars.next();
                end = j + d.len_utf8();
                letters += usize::from(d.is_alphabetic());
                uppers += usize::from(d.is_uppercase());
                segment_len += 1;
                continue;
            }
            let next = text.get(j + d.len_utf8()..).and_then(|s| s.chars().next());
            let next_alnum = next.is_some_and(char::is_alphanumeric);
            if is_apostrophe(d) && next_alnum {
                chars.next();
                end = j + d.len_utf8();
                continue;
            }
            if d == '.'
                && segment_len == 1
                && (next_alnum || has_dot)
                && text[start..j].chars().count() <= 12
            {
                // U.S, U.S.A. , U.N.
                chars.next();
                end = j + 1;
                has_dot = true;
                segment_len = 0;
                continue;
            }
            break;
        }
        let word = &text[start..end];
        let mut core_end = end;
        let mut possessive = false;
        for suffix in ["'s", "’s", "'S", "’S"] {
            if word.len() > suffix.len() && word.ends_with(suffix) {
                core_end = end - suffix.len();
                possessive = true;
                break;
            }
        }
        let mut full_end = end;
        if !possessive {
            // plural possessive: "countries' "
            if let Some(&(j, d)) = chars.peek() {
                if is_apostrophe(d) && word.ends_with(['s', 'S']) {
                    let after = text.get(j + d.len_utf8()..).and_then(|s| s.chars().next());
                    if after.is_none_or(|a| !a.is_alphanumeric()) {
                        full_end = j + d.len_utf8();
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
    }
    for k in 0..words.len() {
        let this = words[k];
        let gap = match words.get(k + 1) {
            None => Gap::Other,
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

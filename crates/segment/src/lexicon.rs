//! The segmentation lexicon: abbreviation classes, sentence starters and introductory
//! prepositions, parsed once from the data files under `data/lexicon/` that are embedded
//! with `include_str!`.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// Embedded abbreviation list (`[title]`, `[general]`, `[acronym]` sections).
pub const ABBREVIATIONS_DATA: &str = include_str!("../../../data/lexicon/abbreviations.txt");
/// Embedded sentence-starter list (`[starter]`, `[intro_preposition]` sections).
pub const SENTENCE_STARTERS_DATA: &str =
    include_str!("../../../data/lexicon/sentence_starters.txt");

/// FNV-1a: a fast hash for the short keys of the lexicon (no untrusted-input DoS concern:
/// keys come from the embedded data files).
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv1a>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<Fnv1a>>;

/// Longest abbreviation (in bytes, without the final period) that is looked up.
const MAX_ABBREVIATION_BYTES: usize = 24;

/// How a period after an abbreviation behaves at a possible sentence boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AbbreviationClass {
    /// Always precedes what it qualifies ("Mr.", "Gen.", "e.g."): never ends a sentence.
    Title,
    /// May end a sentence: does so only before a capitalised word ("Co.", "Jan.", "p.").
    General,
    /// Dotted acronym ("U.S.", "a.m."): ends a sentence only before a sentence starter.
    Acronym,
    /// A time of day ("a.m.", "p.m."): ends a sentence before a capitalised word that
    /// does not continue a time ("5 p.m. Thursday", "5 p.m. EST").
    Time,
    /// A single uppercase letter ("E." in "Jonas E. Smith"): an initial unless the context
    /// says otherwise.
    Initial,
}

/// An error in a segmentation data file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LexiconError {
    #[error("{file}:{line}: entry before any [section] header")]
    NoSection { file: &'static str, line: usize },
    #[error("{file}:{line}: unknown section [{section}]")]
    UnknownSection {
        file: &'static str,
        line: usize,
        section: String,
    },
    #[error("{file}:{line}: abbreviation {entry:?} must end with a period")]
    MissingPeriod {
        file: &'static str,
        line: usize,
        entry: String,
    },
}

/// The parsed lexicon used by the tokenizer and the sentence splitter.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Lowercased abbreviation without its final period → class, and whether the entry
    /// is capitalised (then it matches only capitalised words: "Co." but not "co.").
    abbreviations: FastMap<String, (AbbreviationClass, bool)>,
    /// For each lowercased first byte, a bit per body length (1..=31) that some entry
    /// has: a cheap rejection before hashing.
    first_byte_lengths: Vec<u32>,
    /// Capitalised words that commonly begin a sentence (case-sensitive).
    starters: FastSet<String>,
    /// Capitalised words that continue a time of day ("Thursday", "EST").
    time_continuations: FastSet<String>,
    /// Lowercased prepositions opening a short introductory phrase.
    intro_prepositions: FastSet<String>,
}

/// Yields `(line number, section, entry)` for the non-comment lines of a data file.
fn entries(
    file: &'static str,
    data: &'static str,
) -> impl Iterator<Item = Result<(usize, &'static str, &'static str), LexiconError>> {
    let mut section: Option<&'static str> = None;
    data.lines().enumerate().filter_map(move |(n, raw)| {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(name.trim());
            return None;
        }
        Some(match section {
            Some(s) => Ok((n + 1, s, line)),
            None => Err(LexiconError::NoSection { file, line: n + 1 }),
        })
    })
}

impl Lexicon {
    /// Parses the two data files.
    pub fn parse(
        abbreviations: &'static str,
        starters: &'static str,
    ) -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon::default();
        const ABBR_FILE: &str = "abbreviations.txt";
        for entry in entries(ABBR_FILE, abbreviations) {
            let (line, section, text) = entry?;
            let class = match section {
                "title" => AbbreviationClass::Title,
                "general" => AbbreviationClass::General,
                "acronym" => AbbreviationClass::Acronym,
                "time" => AbbreviationClass::Time,
                other => {
                    return Err(LexiconError::UnknownSection {
                        file: ABBR_FILE,
                        line,
                        section: other.to_string(),
                    })
                }
            };
            let body = text
                .strip_suffix('.')
                .ok_or_else(|| LexiconError::MissingPeriod {
                    file: ABBR_FILE,
                    line,
                    entry: text.to_string(),
                })?;
            let capitalised = body.chars().next().is_some_and(|c| c.is_uppercase());
            let key = body.to_lowercase();
            lex.note_first_byte(&key);
            lex.abbreviations.insert(key, (class, capitalised));
        }
        const STARTER_FILE: &str = "sentence_starters.txt";
        for entry in entries(STARTER_FILE, starters) {
            let (line, section, text) = entry?;
            match section {
                "starter" => {
                    lex.starters.insert(text.to_string());
                }
                "time_continuation" => {
                    lex.time_continuations
                        .insert(text.trim_end_matches('.').to_string());
                }
                "intro_preposition" => {
                    lex.intro_prepositions.insert(text.to_lowercase());
                }
                other => {
                    return Err(LexiconError::UnknownSection {
                        file: STARTER_FILE,
                        line,
                        section: other.to_string(),
                    })
                }
            }
        }
        Ok(lex)
    }

    fn note_first_byte(&mut self, key: &str) {
        if self.first_byte_lengths.is_empty() {
            self.first_byte_lengths = vec![0; 256];
        }
        if let (Some(&b), true) = (key.as_bytes().first(), key.len() < 32) {
            self.first_byte_lengths[usize::from(b)] |= 1 << key.len();
        }
    }

    /// Whether some entry could have this body (by first byte and length).
    fn may_list(&self, body: &str) -> bool {
        let Some(&b) = body.as_bytes().first() else {
            return false;
        };
        if body.len() >= 32 || !b.is_ascii() {
            return true;
        }
        let mask = self
            .first_byte_lengths
            .get(usize::from(b.to_ascii_lowercase()))
            .copied()
            .unwrap_or(0);
        mask & (1 << body.len()) != 0
    }

    /// The lexicon built from the embedded data files (parsed once).
    pub fn embedded() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        // The embedded files are checked by a unit test; a broken file degrades to an
        // empty lexicon rather than a panic.
        LEXICON.get_or_init(|| {
            Lexicon::parse(ABBREVIATIONS_DATA, SENTENCE_STARTERS_DATA).unwrap_or_default()
        })
    }

    /// The listed class of `body` (an abbreviation without its final period), if any.
    /// Capitalised entries match only words that start uppercase.
    pub fn listed_class(&self, body: &str) -> Option<AbbreviationClass> {
        if body.is_empty() || body.len() > MAX_ABBREVIATION_BYTES || !self.may_list(body) {
            return None;
        }
        let found = if body.is_ascii() {
            let mut buf = [0u8; MAX_ABBREVIATION_BYTES];
            let lower = &mut buf[..body.len()];
            lower.copy_from_slice(body.as_bytes());
            lower.make_ascii_lowercase();
            let key = std::str::from_utf8(lower).ok()?;
            self.abbreviations.get(key).copied()
        } else {
            self.abbreviations.get(&body.to_lowercase()).copied()
        };
        let (class, capitalised) = found?;
        if capitalised && !body.chars().next().is_some_and(|c| c.is_uppercase()) {
            return None;
        }
        Some(class)
    }

    /// The class of a token that ends with an attached period (`token` includes it).
    pub fn classify(&self, token: &str) -> AbbreviationClass {
        let body = token.strip_suffix('.').unwrap_or(token);
        let mut chars = body.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if c.is_uppercase() {
                return AbbreviationClass::Initial;
            }
        }
        if let Some(class) = self.listed_class(body) {
            return class;
        }
        if body.contains('.') {
            AbbreviationClass::Acronym
        } else {
            AbbreviationClass::General
        }
    }

    /// Whether `word` is a common sentence starter ("The", "How", "Did").
    pub fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }

    /// Whether `word` continues a time of day ("Thursday", "EST", "Eastern").
    pub fn is_time_continuation(&self, word: &str) -> bool {
        self.time_continuations.contains(word.trim_end_matches('.'))
    }

    /// Whether `word` is a preposition that opens a short introductory phrase.
    pub fn is_intro_preposition(&self, word: &str) -> bool {
        if word.len() > MAX_ABBREVIATION_BYTES || !word.is_ascii() {
            return false;
        }
        let mut buf = [0u8; MAX_ABBREVIATION_BYTES];
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        std::str::from_utf8(lower)
            .map(|w| self.intro_prepositions.contains(w))
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_parse() {
        let lex = Lexicon::parse(ABBREVIATIONS_DATA, SENTENCE_STARTERS_DATA).unwrap();
        assert!(lex.abbreviations.len() > 100);
        assert_eq!(lex.listed_class("Mr"), Some(AbbreviationClass::Title));
        assert_eq!(lex.listed_class("CO"), Some(AbbreviationClass::General));
        assert_eq!(lex.listed_class("co"), None);
        assert_eq!(lex.listed_class("ETC"), Some(AbbreviationClass::General));
        assert_eq!(lex.listed_class("e.g"), Some(AbbreviationClass::Title));
        assert_eq!(lex.listed_class("N°"), Some(AbbreviationClass::General));
        assert_eq!(lex.listed_class("house"), None);
        assert!(lex.is_starter("How"));
        assert!(!lex.is_starter("Government"));
        assert!(lex.is_intro_preposition("At"));
        assert!(lex.is_time_continuation("Thursday"));
        assert_eq!(lex.classify("p.m."), AbbreviationClass::Time);
        assert_eq!(lex.classify("P.M."), AbbreviationClass::Time);
    }

    #[test]
    fn classify_tokens() {
        let lex = Lexicon::embedded();
        assert_eq!(lex.classify("E."), AbbreviationClass::Initial);
        assert_eq!(lex.classify("Gen."), AbbreviationClass::Title);
        assert_eq!(lex.classify("U.S."), AbbreviationClass::Acronym);
        assert_eq!(lex.classify("X.Y.Z."), AbbreviationClass::Acronym);
        assert_eq!(lex.classify("i.e."), AbbreviationClass::Title);
        assert_eq!(lex.classify("p."), AbbreviationClass::General);
        assert_eq!(lex.classify("Inc."), AbbreviationClass::General);
    }

    #[test]
    fn malformed_files_are_errors() {
        assert!(matches!(
            Lexicon::parse("Mr.\n", ""),
            Err(LexiconError::NoSection { line: 1, .. })
        ));
        assert!(matches!(
            Lexicon::parse("[title]\nMr\n", ""),
            Err(LexiconError::MissingPeriod { line: 2, .. })
        ));
        assert!(matches!(
            Lexicon::parse("[title]\n", "[bogus]\nx\n"),
            Err(LexiconError::UnknownSection { .. })
        ));
    }
}

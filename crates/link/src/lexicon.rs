//! The linker's word lists (`data/link/*`), embedded at build time and parsed once per
//! process into hash sets and maps shared by every linker.

use crate::fxhash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

const ROLES: &str = include_str!("../../../data/link/roles.tsv");
const ROLE_MODIFIERS: &str = include_str!("../../../data/link/role_modifiers.txt");
const HONORIFICS: &str = include_str!("../../../data/link/honorifics.tsv");
const ORG_HEADS: &str = include_str!("../../../data/link/org_heads.tsv");
const LOCATION_HEADS: &str = include_str!("../../../data/link/location_heads.txt");
const LOCATIVE_PREPS: &str = include_str!("../../../data/link/locative_preps.txt");
const PARTICLES: &str = include_str!("../../../data/link/particles.txt");
const STOPWORDS: &str = include_str!("../../../data/link/stopwords.txt");
const SPEECH_VERBS: &str = include_str!("../../../data/link/speech_verbs.txt");
const SPEECH_ADVERBS: &str = include_str!("../../../data/link/speech_adverbs.txt");
const PRONOUNS: &str = include_str!("../../../data/link/pronouns.tsv");
const CAMEO_SECTORS: &str = include_str!("../../../data/link/cameo_sectors.tsv");
const EPITHETS: &str = include_str!("../../../data/link/epithets.tsv");
const GIVEN_NAMES: &str = include_str!("../../../data/link/given_names.tsv");
const AMBIGUOUS_NAMES: &str = include_str!("../../../data/link/ambiguous_names.tsv");

/// Grammatical gender known for a word or an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Gender {
    #[default]
    Unknown,
    Male,
    Female,
}

impl Gender {
    fn parse(s: &str) -> Gender {
        match s.trim() {
            "m" => Gender::Male,
            "f" => Gender::Female,
            _ => Gender::Unknown,
        }
    }
}

/// What a pronoun can refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PronounInfo {
    pub gender: Gender,
    pub possessive: bool,
    pub object: bool,
}

/// [`Lexicon::word_flags`] bits.
pub const STOP: u8 = 1;
pub const HONOR: u8 = 2;
pub const ROLE: u8 = 4;
pub const MOD: u8 = 8;

/// A role head noun.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleInfo {
    pub norm: String,
    pub gender: Gender,
    /// Held in a place ("Surrey Mayor"): a name before it is a location.
    pub place: bool,
}

/// What an ambiguous knowledge-base name stands for when its context says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherReading {
    /// A common noun: no mention ("roast the Turkey").
    Drop,
    /// Another place of that name (a new location entity).
    Location,
}

/// A knowledge-base name with another reading and the context words for each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmbiguousName {
    pub reading: OtherReading,
    /// Words that point to the other reading.
    pub cues: WordSet,
    /// Words that point to the knowledge-base entity.
    pub counter: WordSet,
}

/// A quick "certainly not in the list" test for a word list: one bit per (first byte,
/// last byte, length) slot of its words. A clear bit spares a hash look-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordFilter {
    bits: [u64; 64],
}

impl Default for WordFilter {
    fn default() -> Self {
        WordFilter { bits: [0; 64] }
    }
}

impl WordFilter {
    fn slot(word: &str) -> usize {
        let b = word.as_bytes();
        match (b.first(), b.last()) {
            (Some(&f), Some(&l)) => {
                (usize::from(f) * 131 + usize::from(l) * 31 + b.len()) & (64 * 64 - 1)
            }
            _ => 0,
        }
    }

    fn of<'a>(words: impl IntoIterator<Item = &'a String>) -> WordFilter {
        let mut filter = WordFilter::default();
        for w in words {
            let s = Self::slot(w);
            filter.bits[s >> 6] |= 1 << (s & 63);
        }
        filter
    }

    /// False when `word` is certainly not in the list.
    #[inline]
    pub fn may_contain(&self, word: &str) -> bool {
        let s = Self::slot(word);
        self.bits[s >> 6] & (1 << (s & 63)) != 0
    }
}

/// The shapes of a few lower-case words: for each first byte (in either case), the
/// byte lengths of the words starting with it. A word whose first byte and length fit
/// no shape is none of them (in any case), whatever its other bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordShapes {
    /// bit `n` (below 64): a word of `n` bytes; a longer word sets every bit
    lengths: [u64; 256],
}

impl Default for WordShapes {
    fn default() -> Self {
        WordShapes { lengths: [0; 256] }
    }
}

impl WordShapes {
    fn of<'a>(words: impl IntoIterator<Item = &'a str>) -> WordShapes {
        let mut shapes = WordShapes::default();
        for w in words {
            let Some(&first) = w.as_bytes().first() else {
                continue;
            };
            let bits = if w.len() < 64 { 1 << w.len() } else { u64::MAX };
            for b in [first.to_ascii_lowercase(), first.to_ascii_uppercase()] {
                shapes.lengths[usize::from(b)] |= bits;
            }
        }
        shapes
    }

    /// False when a word starting with byte `first` and `len` bytes long is certainly
    /// none of the words (compared after ASCII lower-casing).
    #[inline]
    pub fn may_fit(&self, first: u8, len: usize) -> bool {
        let bits = self.lengths[usize::from(first)];
        if len < 64 {
            bits & (1 << len) != 0
        } else {
            bits == u64::MAX
        }
    }
}

/// All word lists, lowercase keys.
/// A word set behind a [`WordFilter`]: most words are ruled out without hashing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordSet {
    words: HashSet<String>,
    filter: WordFilter,
}

impl WordSet {
    fn of(words: HashSet<String>) -> WordSet {
        let filter = WordFilter::of(&words);
        WordSet { words, filter }
    }

    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        self.filter.may_contain(word) && self.words.contains(word)
    }
}

impl<'a> IntoIterator for &'a WordSet {
    type Item = &'a String;
    type IntoIter = std::collections::hash_set::Iter<'a, String>;
    fn into_iter(self) -> Self::IntoIter {
        self.words.iter()
    }
}

/// A word map behind a [`WordFilter`] (built by [`WordMap::seal`] once every word is
/// in): most words are ruled out without hashing.
#[derive(Debug, Clone)]
pub struct WordMap<V> {
    words: HashMap<String, V>,
    filter: WordFilter,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            words: HashMap::default(),
            filter: WordFilter::default(),
        }
    }
}

impl<V> WordMap<V> {
    fn insert(&mut self, word: String, value: V) {
        self.words.insert(word, value);
    }

    /// Builds the filter over the words now in the map.
    fn seal(&mut self) {
        self.filter = WordFilter::of(self.words.keys());
    }

    #[inline]
    pub fn get(&self, word: &str) -> Option<&V> {
        if !self.filter.may_contain(word) {
            return None;
        }
        self.words.get(word)
    }

    #[inline]
    pub fn contains_key(&self, word: &str) -> bool {
        self.get(word).is_some()
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.words.keys()
    }
}

#[derive(Debug, Default)]
pub struct Lexicon {
    /// role head noun → its normalised form, gender and whether it is held in a place
    pub roles: WordMap<RoleInfo>,
    pub role_modifiers: WordSet,
    pub honorifics: WordMap<Gender>,
    /// org head word → is a group (armed/non-state) rather than an organisation
    pub org_heads: WordMap<bool>,
    pub location_heads: WordSet,
    pub locative_preps: WordSet,
    pub particles: HashSet<String>,
    pub stopwords: WordSet,
    pub speech_verbs: WordSet,
    pub speech_adverbs: WordSet,
    pub pronouns: HashMap<String, PronounInfo>,
    /// CAMEO sector → (entity type name, description)
    pub cameo_sectors: HashMap<String, (String, String)>,
    /// (surface, kb key, kind)
    pub epithets: Vec<(String, String, String)>,
    /// given name → gender
    pub given_names: WordMap<Gender>,
    /// word → STOP | HONOR | ROLE | MOD: one lookup for a capitalised word
    pub word_flags: HashMap<String, u8>,
    /// lower-cased knowledge-base name → its other reading and context words
    pub ambiguous: HashMap<String, AmbiguousName>,
    particle_filter: WordFilter,
    flag_filter: WordFilter,
    pronoun_filter: WordFilter,
    /// the shapes of the pronouns and of "the" (the words the pronoun pass looks at)
    pub pronoun_or_the: WordShapes,
    /// the shapes of the particles
    pub particle_shapes: WordShapes,
    /// the shapes of both (a word of neither is checked no further)
    pub pronoun_or_particle: WordShapes,
}

fn lines(data: &str) -> impl Iterator<Item = &str> {
    data.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

fn word_set(data: &str) -> HashSet<String> {
    lines(data).map(|l| l.trim().to_lowercase()).collect()
}

impl Lexicon {
    fn parse() -> Lexicon {
        let mut lex = Lexicon {
            role_modifiers: WordSet::of(word_set(ROLE_MODIFIERS)),
            location_heads: WordSet::of(word_set(LOCATION_HEADS)),
            locative_preps: WordSet::of(word_set(LOCATIVE_PREPS)),
            particles: word_set(PARTICLES),
            stopwords: WordSet::of(word_set(STOPWORDS)),
            speech_verbs: WordSet::of(word_set(SPEECH_VERBS)),
            speech_adverbs: WordSet::of(word_set(SPEECH_ADVERBS)),
            ..Default::default()
        };
        for l in lines(ROLES) {
            let mut cols = l.split('\t');
            let surface = cols.next().unwrap_or("").trim().to_lowercase();
            let norm = cols.next().unwrap_or("").trim().to_string();
            let gender = Gender::parse(cols.next().unwrap_or(""));
            let place = cols.next().unwrap_or("").trim() == "p";
            if !surface.is_empty() && !norm.is_empty() {
                lex.roles.insert(
                    surface,
                    RoleInfo {
                        norm,
                        gender,
                        place,
                    },
                );
            }
        }
        for l in lines(HONORIFICS) {
            let mut cols = l.split('\t');
            let surface = cols.next().unwrap_or("").trim().to_lowercase();
            let gender = Gender::parse(cols.next().unwrap_or(""));
            if !surface.is_empty() {
                lex.honorifics.insert(surface, gender);
            }
        }
        for l in lines(ORG_HEADS) {
            let mut cols = l.split('\t');
            let word = cols.next().unwrap_or("").trim().to_lowercase();
            let group = cols.next().unwrap_or("").trim() == "group";
            if !word.is_empty() {
                lex.org_heads.insert(word, group);
            }
        }
        for l in lines(PRONOUNS) {
            let cols: Vec<&str> = l.split('\t').map(str::trim).collect();
            if cols.len() >= 4 {
                lex.pronouns.insert(
                    cols[0].to_lowercase(),
                    PronounInfo {
                        gender: Gender::parse(cols[1]),
                        possessive: cols[3] == "possessive",
                        object: cols[3] == "object",
                    },
                );
            }
        }
        for l in lines(CAMEO_SECTORS) {
            let cols: Vec<&str> = l.split('\t').map(str::trim).collect();
            if cols.len() >= 3 {
                lex.cameo_sectors.insert(
                    cols[0].to_string(),
                    (cols[1].to_string(), cols[2].to_string()),
                );
            }
        }
        for l in lines(GIVEN_NAMES) {
            let mut cols = l.split('\t');
            let name = cols.next().unwrap_or("").trim().to_lowercase();
            if !name.is_empty() {
                lex.given_names
                    .insert(name, Gender::parse(cols.next().unwrap_or("")));
            }
        }
        for l in lines(AMBIGUOUS_NAMES) {
            let cols: Vec<&str> = l.split('\t').map(str::trim).collect();
            let reading = match cols.get(1).copied() {
                Some("drop") => OtherReading::Drop,
                Some("location") => OtherReading::Location,
                _ => continue,
            };
            let set = |i: usize| -> HashSet<String> {
                cols.get(i)
                    .map(|c| {
                        c.split('|')
                            .map(|w| w.trim().to_lowercase())
                            .filter(|w| !w.is_empty())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            if let Some(name) = cols.first().filter(|n| !n.is_empty()) {
                lex.ambiguous.insert(
                    name.to_lowercase(),
                    AmbiguousName {
                        reading,
                        cues: WordSet::of(set(2)),
                        counter: WordSet::of(set(3)),
                    },
                );
            }
        }
        for l in lines(EPITHETS) {
            let cols: Vec<&str> = l.split('\t').map(str::trim).collect();
            if cols.len() >= 3 {
                lex.epithets.push((
                    cols[0].to_string(),
                    cols[1].to_string(),
                    cols[2].to_string(),
                ));
            }
        }
        let mut flags: HashMap<String, u8> = HashMap::default();
        for w in &lex.stopwords {
            *flags.entry(w.clone()).or_default() |= STOP;
        }
        for w in lex.honorifics.keys() {
            *flags.entry(w.clone()).or_default() |= HONOR;
        }
        for w in lex.roles.keys() {
            *flags.entry(w.clone()).or_default() |= ROLE;
        }
        for w in &lex.role_modifiers {
            *flags.entry(w.clone()).or_default() |= MOD;
        }
        lex.word_flags = flags;
        lex.particle_filter = WordFilter::of(&lex.particles);
        lex.flag_filter = WordFilter::of(lex.word_flags.keys());
        lex.pronoun_filter = WordFilter::of(lex.pronouns.keys());
        lex.pronoun_or_the = WordShapes::of(lex.pronouns.keys().map(String::as_str).chain(["the"]));
        lex.particle_shapes = WordShapes::of(lex.particles.iter().map(String::as_str));
        lex.pronoun_or_particle = WordShapes::of(
            lex.pronouns
                .keys()
                .chain(&lex.particles)
                .map(String::as_str)
                .chain(["the"]),
        );
        lex.roles.seal();
        lex.honorifics.seal();
        lex.org_heads.seal();
        lex.given_names.seal();
        lex
    }

    /// Whether `word` (lower-case) is a name particle ("al", "van").
    #[inline]
    pub fn is_particle(&self, word: &str) -> bool {
        self.particle_filter.may_contain(word) && self.particles.contains(word)
    }

    /// [`Lexicon::word_flags`] of `word` (lower-case), 0 when it has none.
    #[inline]
    pub fn flags_of(&self, word: &str) -> u8 {
        if !self.flag_filter.may_contain(word) {
            return 0;
        }
        self.word_flags.get(word).copied().unwrap_or(0)
    }

    /// The pronoun `word` (lower-case), if it is one.
    #[inline]
    pub fn pronoun(&self, word: &str) -> Option<PronounInfo> {
        if !self.pronoun_filter.may_contain(word) {
            return None;
        }
        self.pronouns.get(word).copied()
    }

    /// The process-wide lexicon.
    pub fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(Lexicon::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filtered_sets_and_maps_find_every_word() {
        let lex = Lexicon::get();
        for set in [
            &lex.role_modifiers,
            &lex.location_heads,
            &lex.locative_preps,
            &lex.stopwords,
            &lex.speech_verbs,
            &lex.speech_adverbs,
        ] {
            assert!(set.into_iter().count() > 0);
            for w in set {
                assert!(set.contains(w), "{w}");
            }
        }
        for w in lex.roles.keys() {
            assert!(lex.roles.contains_key(w), "{w}");
        }
        for w in lex.honorifics.keys() {
            assert!(lex.honorifics.contains_key(w), "{w}");
        }
        for w in lex.org_heads.keys() {
            assert!(lex.org_heads.contains_key(w), "{w}");
        }
        for w in lex.given_names.keys() {
            assert!(lex.given_names.contains_key(w), "{w}");
        }
        for amb in lex.ambiguous.values() {
            for w in amb.cues.into_iter().chain(&amb.counter) {
                assert!(amb.cues.contains(w) || amb.counter.contains(w), "{w}");
            }
        }
        assert!(!lex.stopwords.contains("ministerial-xyz"));
    }

    #[test]
    fn word_shapes_rule_out_by_first_byte_and_length() {
        let shapes = WordShapes::of(["he", "she", "the"]);
        assert!(shapes.may_fit(b'h', 2) && shapes.may_fit(b'H', 2));
        assert!(shapes.may_fit(b's', 3) && shapes.may_fit(b'T', 3));
        assert!(!shapes.may_fit(b's', 4)); // "said"
        assert!(!shapes.may_fit(b't', 2)); // "to"
        assert!(!shapes.may_fit(b'x', 3));
        assert!(!shapes.may_fit(b'h', 70));
        let long = "h".repeat(70);
        assert!(WordShapes::of([long.as_str()]).may_fit(b'h', 90));
        let lex = Lexicon::get();
        for w in lex.pronouns.keys() {
            assert!(lex.pronoun_or_the.may_fit(w.as_bytes()[0], w.len()), "{w}");
        }
        assert!(lex.pronoun_or_the.may_fit(b'T', 3));
        for w in &lex.particles {
            assert!(lex.particle_shapes.may_fit(w.as_bytes()[0], w.len()), "{w}");
            assert!(
                lex.pronoun_or_particle.may_fit(w.as_bytes()[0], w.len()),
                "{w}"
            );
        }
        for w in lex.pronouns.keys().map(String::as_str).chain(["the"]) {
            assert!(
                lex.pronoun_or_particle.may_fit(w.as_bytes()[0], w.len()),
                "{w}"
            );
        }
    }

    #[test]
    fn lexicon_files_parse() {
        let lex = Lexicon::get();
        assert_eq!(lex.roles.get("minister").unwrap().norm, "Minister");
        assert!(lex.roles.get("mayor").unwrap().place);
        assert!(lex.role_modifiers.contains("foreign"));
        assert_eq!(lex.honorifics.get("mrs"), Some(&Gender::Female));
        assert_eq!(lex.org_heads.get("brigades"), Some(&true));
        assert_eq!(lex.org_heads.get("council"), Some(&false));
        assert!(lex.stopwords.contains("wednesday"));
        assert!(lex.pronouns["his"].possessive);
        assert_eq!(lex.cameo_sectors["REB"].0, "group");
        assert_eq!(lex.given_names.get("fatima"), Some(&Gender::Female));
        assert_eq!(lex.ambiguous["turkey"].reading, OtherReading::Drop);
        assert!(lex.ambiguous["georgia"].cues.contains("atlanta"));
        assert!(lex.ambiguous["georgia"].counter.contains("tbilisi"));
    }

    #[test]
    fn filtered_lookups_agree_with_the_lists() {
        let lex = Lexicon::get();
        let mut words: Vec<&str> = vec!["", "x", "the", "of", "and", "said", "zzzzzz"];
        words.extend(lex.particles.iter().map(String::as_str));
        words.extend(lex.word_flags.keys().map(String::as_str));
        words.extend(lex.pronouns.keys().map(String::as_str));
        words.extend(lex.given_names.keys().map(String::as_str));
        words.extend(lex.org_heads.keys().map(String::as_str));
        for w in words {
            assert_eq!(lex.is_particle(w), lex.particles.contains(w), "{w}");
            assert_eq!(
                lex.flags_of(w),
                lex.word_flags.get(w).copied().unwrap_or(0),
                "{w}"
            );
            assert_eq!(lex.pronoun(w), lex.pronouns.get(w).copied(), "{w}");
        }
    }
}

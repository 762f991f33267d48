//! The embedded lexicons of the relation stage (cues, stance nouns, polarity, function
//! words, interaction triggers), parsed once into a single word table so that every token
//! of a document costs one hash lookup.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::RelateError;

const CUES: &str = include_str!("../../../data/lexicon/cues.tsv");
const CUE_NOUNS: &str = include_str!("../../../data/lexicon/cue_nouns.tsv");
const CUE_GAPS: &str = include_str!("../../../data/lexicon/cue_gaps.txt");
const POLARITY: &str = include_str!("../../../data/lexicon/polarity.tsv");
const WORDS: &str = include_str!("../../../data/lexicon/relate_words.tsv");
const EVENTS: &str = include_str!("../../../data/lexicon/events.tsv");
const GENERIC: &str = include_str!("../../../data/lexicon/generic_speakers.tsv");

/// A small, fast, deterministic hasher for short word keys (FxHash).
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            let word = u64::from_le_bytes(buf);
            self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
        }
    }
    fn write_u8(&mut self, byte: u8) {
        self.hash =
            (self.hash.rotate_left(5) ^ byte as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// How a cue behaves syntactically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueClass {
    /// Speech verb: may follow its quotation and may invert ("said Smith").
    Say,
    /// Position verb taking an object or clause.
    Act,
    /// Mental verb: only with a clause or quotation.
    Weak,
    /// Light verb taking a stance noun ("express concern").
    Light,
}

/// One cue of `cues.tsv`.
#[derive(Debug, Clone)]
pub(crate) struct CueDef {
    pub lemma: String,
    /// The literal words after the first one ("to" of "refer to").
    pub rest: Vec<String>,
    pub polarity: f32,
    pub code: String,
    pub class: CueClass,
    pub particles: Vec<String>,
    /// The cue takes an object phrase as content ("stressed the need").
    pub takes_object: bool,
}

/// One stance noun of `cue_nouns.tsv`.
#[derive(Debug, Clone)]
pub(crate) struct NounDef {
    pub noun: String,
    pub polarity: f32,
    pub code: String,
    pub particles: Vec<String>,
}

/// The grammatical form in which a cue's first word was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Base,
    ThirdPerson,
    Past,
    Gerund,
}

/// The polarity role of a word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Polar {
    Neg(f32),
    Pos(f32),
    Harm(f32),
    Act(f32),
    Negator,
    Reverser,
    Intensifier(f32),
}

/// Function-word classes (bit flags).
pub(crate) mod fw {
    pub const PREP: u32 = 1;
    pub const LOCPREP: u32 = 2;
    pub const NP: u32 = 4;
    pub const AUX: u32 = 8;
    pub const COORD: u32 = 16;
    pub const COMP: u32 = 32;
    pub const POSSESSIVE: u32 = 64;
    pub const TEMPORAL: u32 = 128;
    pub const ACCORDING: u32 = 256;
    pub const GAP: u32 = 512;
}

/// What an entry may start (bit flags of `Lexicon::kinds`).
pub(crate) mod kind {
    /// A cue (or "according to").
    pub const CUE: u8 = 1;
    /// An interaction trigger.
    pub const EVENT: u8 = 2;
    /// A head of an unnamed or collective speaker phrase (`generic_speakers.tsv`).
    pub const HEAD: u8 = 4;
    /// A weekday name.
    pub const WEEKDAY: u8 = 8;
}

/// Classes of `generic_speakers.tsv` (bit flags): the words of unnamed and collective
/// speaker phrases ("officials familiar with the talks", "a spokesperson", "the company").
pub(crate) mod gs {
    pub const GROUP: u16 = 1;
    pub const ROLE: u16 = 2;
    pub const ORG: u16 = 4;
    pub const QUANT: u16 = 8;
    pub const POSTMOD: u16 = 16;
    pub const INDEF: u16 = 32;
    /// An organisation nominal that any recent organisation fits ("the company").
    pub const ORG_ANY: u16 = 64;
    pub const OPENER: u16 = 128;
    /// A thing, never a described person ("the report said").
    pub const THING: u16 = 256;
}

/// An interaction trigger of `events.tsv`.
#[derive(Debug, Clone)]
pub(crate) struct EventDef {
    pub rest: Vec<String>,
    pub event_type: String,
    pub code: String,
    /// The partner is an actor phrase after a later "with" rather than right after.
    pub partner_with: bool,
}

/// Everything known about one lower-case word form.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordEntry {
    pub cues: Vec<(u32, Form)>,
    pub noun: Option<u32>,
    pub polar: Option<Polar>,
    pub flags: u32,
    pub weekday: Option<u8>,
    pub events: Vec<u32>,
    /// `generic_speakers.tsv` classes ([`gs`] flags).
    pub generic: u16,
}

/// All lexicons, indexed by word.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    pub cues: Vec<CueDef>,
    pub nouns: Vec<NounDef>,
    pub events: Vec<EventDef>,
    pub entries: Vec<WordEntry>,
    /// `WordEntry::generic` of every entry, packed for the per-token scan.
    pub generic: Vec<u16>,
    /// [`kind`] flags of every entry, packed for the per-token scans.
    pub kinds: Vec<u8>,
    /// `WordEntry::flags` of every entry, packed.
    pub flags: Vec<u32>,
    index: HashMap<Box<str>, u32, FxBuild>,
    /// The words of up to [`PACKED_MAX`] bytes again, in an open-addressing table keyed by
    /// their bytes packed into two machine words (the per-token lookup).
    packed: PackedTable,
    /// Length in bytes of the longest word in the index.
    max_len: usize,
}

/// Words of at most this many bytes are found in [`PackedTable`].
const PACKED_MAX: usize = 16;

/// A word of up to [`PACKED_MAX`] bytes as two little-endian machine words, zero padded.
#[inline]
fn pack(word: &[u8]) -> (u64, u64) {
    let mut buf = [0u8; PACKED_MAX];
    let n = word.len().min(PACKED_MAX);
    buf[..n].copy_from_slice(&word[..n]);
    let (a, b) = buf.split_at(8);
    (
        u64::from_le_bytes(a.try_into().unwrap_or([0; 8])),
        u64::from_le_bytes(b.try_into().unwrap_or([0; 8])),
    )
}

/// The low `n` bytes of a machine word kept, the others zeroed (`n` at most 8).
#[inline]
fn keep_low_bytes(w: u64, n: usize) -> u64 {
    if n >= 8 {
        w
    } else {
        w & ((1u64 << (8 * n)) - 1)
    }
}

/// One slot of [`PackedTable`]: the packed word, its entry id and kinds (`len == 0`:
/// empty).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    w0: u64,
    w1: u64,
    id: u32,
    /// The entry's [`kind`] bits, so that the tokenizer needs no second table.
    kinds: u8,
    len: u8,
}

/// An open-addressing (linear probing) table from short words to entry ids, with a
/// one-bit-per-hash filter in front (small enough to stay in the first-level cache) so
/// that most words the lexicon does not know never touch the table. A word holds no NUL
/// byte, so its two zero-padded machine words alone tell it apart (its length is not
/// hashed or compared).
#[derive(Debug)]
struct PackedTable {
    slots: Vec<Slot>,
    mask: usize,
    filter: Box<[u64; FILTER_BITS / 64]>,
}

impl Default for PackedTable {
    fn default() -> Self {
        PackedTable {
            slots: Vec::new(),
            mask: 0,
            filter: Box::new([0; FILTER_BITS / 64]),
        }
    }
}

/// Bits in the filter of [`PackedTable`] (a power of two).
const FILTER_BITS: usize = 1 << 16;

impl PackedTable {
    #[inline]
    fn slot_of(w0: u64, w1: u64) -> u64 {
        (w0 ^ w1.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    /// Builds the table from (word, id, kinds) of one to [`PACKED_MAX`] bytes with no NUL
    /// byte.
    fn build<'w>(words: impl Iterator<Item = (&'w [u8], u32, u8)> + Clone) -> Self {
        let n = words.clone().count();
        let size = (n * 2).next_power_of_two().max(16);
        let mut t = PackedTable {
            slots: vec![Slot::default(); size],
            mask: size - 1,
            filter: Box::new([0; FILTER_BITS / 64]),
        };
        for (w, id, kinds) in words {
            let (w0, w1) = pack(w);
            let h = Self::slot_of(w0, w1);
            let bit = (h >> 48) as usize & (FILTER_BITS - 1);
            t.filter[bit / 64] |= 1 << (bit % 64);
            let mut i = (h >> 24) as usize & t.mask;
            while t.slots[i].len != 0 {
                i = (i + 1) & t.mask;
            }
            t.slots[i] = Slot {
                w0,
                w1,
                id,
                kinds,
                len: w.len() as u8,
            };
        }
        t
    }

    /// The (entry id, kinds) of a packed word, or `(NONE, 0)`.
    #[inline]
    fn get(&self, w0: u64, w1: u64) -> (u32, u8) {
        const MISSING: (u32, u8) = (crate::doc::NONE, 0);
        let h = Self::slot_of(w0, w1);
        let bit = (h >> 48) as usize & (FILTER_BITS - 1);
        if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return MISSING;
        }
        let mut i = (h >> 24) as usize & self.mask;
        loop {
            let Some(s) = self.slots.get(i) else {
                return MISSING;
            };
            if s.len == 0 {
                return MISSING;
            }
            if s.w0 == w0 && s.w1 == w1 {
                return (s.id, s.kinds);
            }
            i = (i + 1) & self.mask;
        }
    }
}

fn err(name: &str, line: usize, message: impl Into<String>) -> RelateError {
    RelateError::Lexicon {
        name: name.to_string(),
        message: format!("line {}: {}", line + 1, message.into()),
    }
}

/// Data lines of a lexicon file: not blank, not a `#` comment, not a `--` section mark.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(n, line)| {
        let t = line.trim_end_matches('\r');
        if t.trim().is_empty() || t.starts_with('#') || t.starts_with("--") {
            None
        } else {
            Some((n, t.split('\t').map(str::trim).collect()))
        }
    })
}

fn parse_f32(name: &str, line: usize, s: &str) -> Result<f32, RelateError> {
    s.parse::<f32>()
        .map_err(|_| err(name, line, format!("not a number: {s:?}")))
}

fn split_list(s: Option<&&str>) -> Vec<String> {
    s.map(|s| {
        s.split('|')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Regular inflections of an English verb: (form, kind).
pub(crate) fn regular_forms(lemma: &str) -> Vec<(String, Form)> {
    let b = lemma.as_bytes();
    let n = b.len();
    let mut out = vec![(lemma.to_string(), Form::Base)];
    if n < 2 {
        return out;
    }
    let last = b[n - 1];
    let before = b[n - 2];
    let stem = &lemma[..n - 1];
    let third = if lemma.ends_with('s')
        || lemma.ends_with("sh")
        || lemma.ends_with("ch")
        || lemma.ends_with('x')
        || lemma.ends_with('z')
        || lemma.ends_with('o')
    {
        format!("{lemma}es")
    } else if last == b'y' && !is_vowel(before) {
        format!("{stem}ies")
    } else {
        format!("{lemma}s")
    };
    let past = if last == b'e' {
        format!("{lemma}d")
    } else if last == b'y' && !is_vowel(before) {
        format!("{stem}ied")
    } else {
        format!("{lemma}ed")
    };
    let gerund = if lemma.ends_with("ie") {
        format!("{}ying", &lemma[..n - 2])
    } else if last == b'e' && !lemma.ends_with("ee") && !lemma.ends_with("ye") {
        format!("{stem}ing")
    } else {
        format!("{lemma}ing")
    };
    out.push((third, Form::ThirdPerson));
    out.push((past, Form::Past));
    out.push((gerund, Form::Gerund));
    out
}

/// Classifies an explicitly listed irregular form.
fn classify_form(form: &str) -> Form {
    if form.ends_with("ing") {
        Form::Gerund
    } else if form.ends_with('s') && !form.ends_with("ss") {
        Form::ThirdPerson
    } else {
        Form::Past
    }
}

impl Lexicon {
    /// Parses the embedded lexicon files.
    pub(crate) fn embedded() -> Result<Self, RelateError> {
        let mut lex = Lexicon::default();
        lex.load_cues()?;
        lex.load_nouns()?;
        for (_, cols) in data_lines(CUE_GAPS) {
            if let Some(w) = cols.first() {
                lex.entry(w).flags |= fw::GAP;
            }
        }
        lex.load_polarity()?;
        lex.load_words()?;
        lex.load_events()?;
        lex.load_generic()?;
        lex.generic = lex.entries.iter().map(|e| e.generic).collect();
        lex.flags = lex.entries.iter().map(|e| e.flags).collect();
        lex.kinds = lex
            .entries
            .iter()
            .map(|e| {
                let mut k = 0;
                if !e.cues.is_empty() || e.flags & fw::ACCORDING != 0 {
                    k |= kind::CUE;
                }
                if !e.events.is_empty() {
                    k |= kind::EVENT;
                }
                if e.generic & crate::generic::HEADS != 0 {
                    k |= kind::HEAD;
                }
                if e.weekday.is_some() {
                    k |= kind::WEEKDAY;
                }
                k
            })
            .collect();
        let kinds = &lex.kinds;
        lex.packed = PackedTable::build(
            lex.index
                .iter()
                .filter(|(w, _)| !w.is_empty() && w.len() <= PACKED_MAX && !w.contains('\0'))
                .map(|(w, &id)| {
                    let k = kinds.get(id as usize).copied().unwrap_or(0);
                    (w.as_bytes(), id, k)
                }),
        );
        Ok(lex)
    }

    fn entry(&mut self, word: &str) -> &mut WordEntry {
        let key = word.to_ascii_lowercase();
        let id = match self.index.get(key.as_str()) {
            Some(&id) => id,
            None => {
                let id = self.entries.len() as u32;
                self.entries.push(WordEntry::default());
                self.max_len = self.max_len.max(key.len());
                self.index.insert(key.into_boxed_str(), id);
                id
            }
        };
        &mut self.entries[id as usize]
    }

    /// The entry of a lower-case word, if any lexicon knows it.
    #[cfg(test)]
    pub(crate) fn lookup(&self, lower_word: &str) -> Option<u32> {
        let (id, _) = self.lookup_in(lower_word.as_bytes(), 0, lower_word.len());
        (id != crate::doc::NONE).then_some(id)
    }

    /// The entry of a lower-case word of one to sixteen ASCII letters and digits that does
    /// not start with a digit, packed little-endian into `w0` and `w1` (zero padded), with
    /// the entry's [`kind`] bits: what [`Lexicon::lookup_in`] answers for it, without the
    /// checks.
    #[inline]
    pub(crate) fn lookup_packed(&self, w0: u64, w1: u64) -> (u32, u8) {
        self.packed.get(w0, w1)
    }

    /// The entry of the lower-case word at bytes `[start, end)` of `lower` (a lower-cased
    /// text, the word on character boundaries) and its [`kind`] bits, or `(NONE, 0)` when
    /// no lexicon knows it. Reads the word straight from the text, without copying it out.
    #[inline]
    pub(crate) fn lookup_in(&self, lower: &[u8], start: usize, end: usize) -> (u32, u8) {
        const MISSING: (u32, u8) = (crate::doc::NONE, 0);
        let Some(b) = lower.get(start..end) else {
            return MISSING;
        };
        match b.first() {
            Some(c) if !c.is_ascii_digit() && b.len() <= self.max_len => {}
            _ => return MISSING,
        }
        if b.len() > PACKED_MAX {
            return std::str::from_utf8(b)
                .ok()
                .and_then(|w| self.index.get(w).copied())
                .map_or(MISSING, |id| {
                    (id, self.kinds.get(id as usize).copied().unwrap_or(0))
                });
        }
        // (Packed words are told apart by their bytes alone, which holds for words
        // without a NUL byte only.)
        if b.contains(&0) {
            return MISSING;
        }
        let n = b.len();
        if n <= 8 {
            // Most words: one unaligned 8-byte load when the text goes on far enough.
            let w0 = match lower.get(start..start + 8) {
                Some(window) => {
                    u64::from_le_bytes(window.try_into().unwrap_or([0; 8]))
                        & (u64::MAX >> (64 - 8 * n))
                }
                None => pack(b).0,
            };
            return self.packed.get(w0, 0);
        }
        // Two unaligned 8-byte loads when the text goes on far enough, else a copy.
        let (w0, w1) = match lower.get(start..start + PACKED_MAX) {
            Some(window) => {
                let (a, c) = window.split_at(8);
                let a = u64::from_le_bytes(a.try_into().unwrap_or([0; 8]));
                let c = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
                (
                    keep_low_bytes(a, n),
                    if n > 8 { keep_low_bytes(c, n - 8) } else { 0 },
                )
            }
            None => pack(b),
        };
        self.packed.get(w0, w1)
    }

    fn load_cues(&mut self) -> Result<(), RelateError> {
        let name = "cues.tsv";
        for (n, cols) in data_lines(CUES) {
            if cols.len() < 6 {
                return Err(err(name, n, "expected at least 6 columns"));
            }
            let words: Vec<&str> = cols[0].split_whitespace().collect();
            let Some((first, rest)) = words.split_first() else {
                return Err(err(name, n, "empty lemma"));
            };
            let class = match cols[5] {
                "say" => CueClass::Say,
                "act" => CueClass::Act,
                "weak" => CueClass::Weak,
                "light" => CueClass::Light,
                other => return Err(err(name, n, format!("unknown class {other:?}"))),
            };
            let id = self.cues.len() as u32;
            self.cues.push(CueDef {
                lemma: cols[0].to_string(),
                rest: rest.iter().map(|s| s.to_ascii_lowercase()).collect(),
                polarity: parse_f32(name, n, cols[2])?,
                code: cols[3].to_string(),
                class,
                particles: split_list(cols.get(6)),
                takes_object: cols[4].contains('o'),
            });
            let forms: Vec<(String, Form)> = if cols[1] == "*" {
                regular_forms(&first.to_ascii_lowercase())
            } else {
                let mut f = vec![(first.to_ascii_lowercase(), Form::Base)];
                for form in cols[1].split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let lower = form.to_ascii_lowercase();
                    if lower != f[0].0 {
                        let kind = classify_form(&lower);
                        f.push((lower, kind));
                    }
                }
                f
            };
            for (form, kind) in forms {
                let e = self.entry(&form);
                if !e.cues.iter().any(|&(c, _)| c == id) {
                    e.cues.push((id, kind));
                }
            }
        }
        Ok(())
    }

    fn load_nouns(&mut self) -> Result<(), RelateError> {
        let name = "cue_nouns.tsv";
        for (n, cols) in data_lines(CUE_NOUNS) {
            if cols.len() < 3 {
                return Err(err(name, n, "expected at least 3 columns"));
            }
            let id = self.nouns.len() as u32;
            self.nouns.push(NounDef {
                noun: cols[0].to_ascii_lowercase(),
                polarity: parse_f32(name, n, cols[1])?,
                code: cols[2].to_string(),
                particles: split_list(cols.get(3)),
            });
            self.entry(cols[0]).noun = Some(id);
        }
        Ok(())
    }

    fn load_polarity(&mut self) -> Result<(), RelateError> {
        let name = "polarity.tsv";
        for (n, cols) in data_lines(POLARITY) {
            if cols.len() < 3 {
                return Err(err(name, n, "expected 3 columns"));
            }
            let w = parse_f32(name, n, cols[2])?;
            let polar = match cols[1] {
                "neg" => Polar::Neg(w),
                "pos" => Polar::Pos(w),
                "harm" => Polar::Harm(w),
                "act" => Polar::Act(w),
                "negator" => Polar::Negator,
                "reverser" => Polar::Reverser,
                "intensifier" => Polar::Intensifier(w),
                other => return Err(err(name, n, format!("unknown class {other:?}"))),
            };
            self.entry(cols[0]).polar = Some(polar);
        }
        Ok(())
    }

    fn load_words(&mut self) -> Result<(), RelateError> {
        let name = "relate_words.tsv";
        for (n, cols) in data_lines(WORDS) {
            if cols.len() < 2 {
                return Err(err(name, n, "expected 2 columns"));
            }
            let flag = match cols[1] {
                "prep" => fw::PREP,
                "locprep" => fw::LOCPREP,
                "np" => fw::NP,
                "aux" => fw::AUX,
                "coord" => fw::COORD,
                "comp" => fw::COMP,
                "possessive" => fw::POSSESSIVE,
                "temporal" => fw::TEMPORAL,
                "according" => fw::ACCORDING,
                "weekday" => {
                    let day = cols
                        .get(2)
                        .and_then(|d| d.parse::<u8>().ok())
                        .filter(|&d| d < 7)
                        .ok_or_else(|| err(name, n, "weekday needs a value 0-6"))?;
                    self.entry(cols[0]).weekday = Some(day);
                    0
                }
                other => return Err(err(name, n, format!("unknown class {other:?}"))),
            };
            self.entry(cols[0]).flags |= flag;
        }
        Ok(())
    }

    fn load_generic(&mut self) -> Result<(), RelateError> {
        let name = "generic_speakers.tsv";
        for (n, cols) in data_lines(GENERIC) {
            if cols.len() < 2 {
                return Err(err(name, n, "expected at least 2 columns"));
            }
            let mut flag = match cols[1] {
                "group" => gs::GROUP,
                "role" => gs::ROLE,
                "org" => gs::ORG,
                "quant" => gs::QUANT,
                "postmod" => gs::POSTMOD,
                "indef" => gs::INDEF,
                "opener" => gs::OPENER,
                "thing" => gs::THING,
                other => return Err(err(name, n, format!("unknown class {other:?}"))),
            };
            if flag == gs::ORG {
                flag |= match cols.get(2).copied() {
                    Some("any") => gs::ORG_ANY,
                    Some("name") => 0,
                    _ => return Err(err(name, n, "org needs the option any or name")),
                };
            }
            self.entry(cols[0]).generic |= flag;
        }
        Ok(())
    }

    fn load_events(&mut self) -> Result<(), RelateError> {
        let name = "events.tsv";
        for (n, cols) in data_lines(EVENTS) {
            if cols.len() < 4 {
                return Err(err(name, n, "expected 4 columns"));
            }
            let words: Vec<String> = cols[0]
                .split_whitespace()
                .map(|w| w.to_ascii_lowercase())
                .collect();
            let Some((first, rest)) = words.split_first() else {
                return Err(err(name, n, "empty phrase"));
            };
            let id = self.events.len() as u32;
            self.events.push(EventDef {
                rest: rest.to_vec(),
                event_type: cols[1].to_string(),
                code: cols[2].to_string(),
                partner_with: cols[3] == "with",
            });
            let first = first.clone();
            self.entry(&first).events.push(id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_inflections() {
        let f: Vec<String> = regular_forms("urge").into_iter().map(|x| x.0).collect();
        assert_eq!(f, ["urge", "urges", "urged", "urging"]);
        let f: Vec<String> = regular_forms("deny").into_iter().map(|x| x.0).collect();
        assert_eq!(f, ["deny", "denies", "denied", "denying"]);
        let f: Vec<String> = regular_forms("stress").into_iter().map(|x| x.0).collect();
        assert_eq!(f, ["stress", "stresses", "stressed", "stressing"]);
    }

    #[test]
    fn packed_lookup_agrees_with_the_index() {
        let lex = Lexicon::embedded().unwrap();
        let mut probes: Vec<String> = Vec::new();
        for k in lex.index.keys() {
            probes.push(k.to_string());
            probes.push(format!("{k}s"));
            probes.push(format!("x{k}"));
            probes.push(k.chars().skip(1).collect());
        }
        probes.extend(
            [
                "",
                "a",
                "zzzzzzzzzzzzzzzzzzzzzzzz",
                "caf\u{e9}",
                "0day",
                "said\0",
            ]
            .map(String::from),
        );
        for p in &probes {
            assert_eq!(
                lex.lookup(p),
                lex.index.get(p.as_str()).copied().filter(|_| {
                    p.len() <= lex.max_len && !p.starts_with(|c: char| c.is_ascii_digit())
                }),
                "{p:?}"
            );
            // Inside a longer text (the two-load path), and at its very end (the copy path).
            let text = format!("{p} and more text after it");
            let want = lex
                .lookup(p)
                .map_or((crate::doc::NONE, 0), |id| (id, lex.kinds[id as usize]));
            assert_eq!(lex.lookup_in(text.as_bytes(), 0, p.len()), want, "{p:?}");
            let text = format!("lead {p}");
            assert_eq!(lex.lookup_in(text.as_bytes(), 5, text.len()), want, "{p:?}");
        }
    }

    #[test]
    fn embedded_lexicons_load() {
        let lex = Lexicon::embedded().unwrap();
        let said = lex.lookup("said").unwrap();
        assert!(!lex.entries[said as usize].cues.is_empty());
        let e = lex.lookup("emphasised").unwrap();
        assert_eq!(lex.entries[e as usize].cues[0].1, Form::Past);
        let t = lex.lookup("terrorism").unwrap();
        assert!(matches!(lex.entries[t as usize].polar, Some(Polar::Neg(_))));
        let w = lex.lookup("wednesday").unwrap();
        assert_eq!(lex.entries[w as usize].weekday, Some(2));
        assert!(lex.lookup("satisfaction").is_some());
    }
}

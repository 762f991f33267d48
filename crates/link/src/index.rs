//! The name index of a knowledge base: every name, alias, acronym, demonym, capital and
//! epithet compiled into one leftmost-longest double-array Aho-Corasick automaton
//! (daachorse) over ASCII-lower-cased forms, built once and shared. Each match is then
//! checked against the forms as written: acronyms exactly, other names with their
//! capital letters, and both on word boundaries.

use crate::fxhash::FxHashMap;
use crate::kb::KbEntry;
use crate::lexicon::Lexicon;
use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};
use stancegraph_model::{EntityType, MentionKind};
use std::collections::HashMap;

/// How a knowledge-base form names its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    Name,
    Alias,
    Acronym,
    Epithet,
    Demonym,
    Capital,
}

impl NameKind {
    pub fn label(self) -> &'static str {
        match self {
            NameKind::Name => "name",
            NameKind::Alias => "alias",
            NameKind::Acronym => "acronym",
            NameKind::Epithet => "epithet",
            NameKind::Demonym => "demonym",
            NameKind::Capital => "metonym",
        }
    }
    pub fn mention_kind(self) -> MentionKind {
        match self {
            NameKind::Name => MentionKind::Name,
            NameKind::Alias | NameKind::Epithet => MentionKind::Alias,
            NameKind::Acronym => MentionKind::Acronym,
            NameKind::Demonym => MentionKind::Demonym,
            NameKind::Capital => MentionKind::Metonym,
        }
    }
    pub fn score(self) -> f32 {
        match self {
            NameKind::Name => 0.95,
            NameKind::Alias => 0.9,
            NameKind::Acronym => 0.85,
            NameKind::Epithet => 0.85,
            NameKind::Demonym => 0.8,
            NameKind::Capital => 0.75,
        }
    }
}

/// One entity a form can stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub entry: usize,
    pub kind: NameKind,
}

/// One distinct form.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub text: String,
    /// Matched case-sensitively (acronyms).
    pub exact: bool,
    /// Best target first.
    pub targets: Vec<Target>,
}

/// A form found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

/// A role of a knowledge-base person: (role, affiliation id, from year, to year).
pub type EntryRole = (String, Option<String>, Option<i32>, Option<i32>);

/// Precomputed per-entry output fields.
#[derive(Debug, Clone)]
pub struct EntryInfo {
    pub id: String,
    /// Affiliation entity ids (keys resolved).
    pub affiliations: Vec<String>,
    /// (role, affiliation id, from, to)
    pub roles: Vec<EntryRole>,
    /// Entry index of the entity's country (by ISO3), when known.
    pub country_entry: Option<usize>,
}

/// Free blocks the double-array builder searches when placing a state.
const FREE_BLOCKS: u32 = 1;

/// The double-array automaton over ASCII-lower-cased forms (value: index into `keys`).
pub struct Automaton(Option<DoubleArrayAhoCorasick<u32>>);

impl std::fmt::Debug for Automaton {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(a) => write!(f, "Automaton({} bytes)", a.heap_bytes()),
            None => write!(f, "Automaton(empty)"),
        }
    }
}

/// The compiled index.
#[derive(Debug)]
pub struct Index {
    pub patterns: Vec<Pattern>,
    automaton: Automaton,
    /// automaton value → patterns with that folded form
    keys: Vec<Vec<usize>>,
    by_folded: FxHashMap<String, Vec<usize>>,
    /// " normalised form " → patterns
    by_norm: FxHashMap<String, Vec<usize>>,
    pub info: Vec<EntryInfo>,
    pub types: Vec<EntityType>,
    pub names: Vec<String>,
    pub wikidata: Vec<Option<String>>,
    pub countries: Vec<Option<String>>,
    /// ISO 3166-1 alpha-3 → country entry
    pub country_of_iso3: HashMap<String, usize>,
    /// last word of a person's canonical name → person entries (surname-only mentions)
    pub person_surnames: FxHashMap<String, Vec<usize>>,
}

fn type_rank(t: EntityType) -> u8 {
    match t {
        EntityType::Country => 0,
        EntityType::Group => 1,
        EntityType::Organization => 2,
        EntityType::Person => 3,
        EntityType::Location => 4,
        EntityType::Other => 5,
    }
}

impl Index {
    pub fn build(entries: &[KbEntry], by_key: &HashMap<String, usize>) -> Index {
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut seen: FxHashMap<(String, bool), usize> = FxHashMap::default();
        let mut add = |text: &str, exact: bool, target: Target| {
            let text = text.trim();
            if text.is_empty() || !text.chars().any(char::is_alphanumeric) {
                return;
            }
            let id = *seen.entry((text.to_string(), exact)).or_insert_with(|| {
                patterns.push(Pattern {
                    text: text.to_string(),
                    exact,
                    targets: vec![],
                });
                patterns.len() - 1
            });
            let p = &mut patterns[id];
            if !p.targets.contains(&target) {
                p.targets.push(target);
            }
        };
        for (i, e) in entries.iter().enumerate() {
            let t = |kind| Target { entry: i, kind };
            add(&e.name, false, t(NameKind::Name));
            for a in &e.aliases {
                add(a, false, t(NameKind::Alias));
            }
            for a in &e.acronyms {
                add(a, true, t(NameKind::Acronym));
            }
            for a in &e.demonyms {
                add(a, false, t(NameKind::Demonym));
            }
            for a in &e.capitals {
                add(a, false, t(NameKind::Capital));
            }
            for a in &e.epithets {
                add(a, false, t(NameKind::Epithet));
            }
        }
        for (surface, key, kind) in &Lexicon::get().epithets {
            if let Some(&i) = by_key.get(key) {
                let kind = match kind.as_str() {
                    "demonym" => NameKind::Demonym,
                    "metonym" => NameKind::Capital,
                    _ => NameKind::Epithet,
                };
                add(surface, false, Target { entry: i, kind });
            }
        }
        // Best target first: later (user) sources win, then the kind and type ranks.
        for p in &mut patterns {
            p.targets.sort_by_key(|t| {
                let e = &entries[t.entry];
                (
                    e.source == "default",
                    t.kind,
                    type_rank(e.entity_type),
                    t.entry,
                )
            });
        }
        let mut by_folded: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut by_norm: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, p) in patterns.iter().enumerate() {
            by_folded
                .entry(p.text.to_ascii_lowercase())
                .or_default()
                .push(i);
            let mut key = String::with_capacity(p.text.len() + 2);
            key.push(' ');
            normalise_into(&p.text, &mut key);
            key.push(' ');
            by_norm.entry(key).or_default().push(i);
        }
        let mut folded_keys: Vec<(&String, &Vec<usize>)> = by_norm.iter().collect();
        folded_keys.sort();
        let keys: Vec<Vec<usize>> = folded_keys.iter().map(|(_, v)| (*v).clone()).collect();
        let automaton = Automaton(if folded_keys.is_empty() {
            None
        } else {
            DoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                // fewer free blocks searched when placing states: a faster build for a
                // slightly larger array (matching is unchanged)
                .num_free_blocks(FREE_BLOCKS)
                .build_with_values(
                    folded_keys
                        .iter()
                        .enumerate()
                        .map(|(i, (k, _))| (k.as_bytes(), i as u32)),
                )
                .ok()
        });
        let id_of = |key: &str| by_key.get(key).map(|&j| entries[j].id());
        let mut country_of_iso3: HashMap<String, usize> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if e.entity_type == EntityType::Country {
                if let Some(c) = &e.country {
                    country_of_iso3.entry(c.clone()).or_insert(i);
                }
            }
        }
        let info = entries
            .iter()
            .map(|e| EntryInfo {
                id: e.id(),
                affiliations: e.affiliations.iter().filter_map(|k| id_of(k)).collect(),
                roles: e
                    .roles
                    .iter()
                    .map(|r| {
                        (
                            r.role.clone(),
                            r.affiliation.as_deref().and_then(id_of),
                            r.from,
                            r.to,
                        )
                    })
                    .collect(),
                country_entry: e
                    .country
                    .as_deref()
                    .and_then(|c| country_of_iso3.get(c).copied()),
            })
            .collect();
        let mut person_surnames: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, e) in entries.iter().enumerate() {
            if e.entity_type != EntityType::Person {
                continue;
            }
            let words: Vec<&str> = e.name.split_whitespace().collect();
            if words.len() >= 2 {
                if let Some(last) = words.last() {
                    let list = person_surnames.entry((*last).to_string()).or_default();
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            }
        }
        Index {
            person_surnames,
            patterns,
            automaton,
            keys,
            by_folded,
            by_norm,
            info,
            types: entries.iter().map(|e| e.entity_type).collect(),
            names: entries.iter().map(|e| e.name.clone()).collect(),
            wikidata: entries.iter().map(|e| e.wikidata.clone()).collect(),
            countries: entries.iter().map(|e| e.country.clone()).collect(),
            country_of_iso3,
        }
    }

    /// Patterns whose folded form equals `name`, exact-case ones first.
    pub fn lookup_exactish(&self, name: &str) -> Vec<(&Pattern, Target)> {
        let mut out = Vec::new();
        if let Some(ids) = self.by_folded.get(&name.to_ascii_lowercase()) {
            let mut ids = ids.clone();
            ids.sort_by_key(|&i| (self.patterns[i].text != name, i));
            for i in ids {
                let p = &self.patterns[i];
                if p.exact && p.text != name {
                    continue;
                }
                for &t in &p.targets {
                    out.push((p, t));
                }
            }
        }
        out
    }

    /// Every knowledge-base form in `text`, on word boundaries and with a compatible
    /// case, sorted by start, not overlapping.
    pub fn find(&self, text: &str, out: &mut Vec<Hit>) {
        let Some(pma) = &self.automaton.0 else {
            return;
        };
        // " " + text with ASCII folded and punctuation blanked + " ": byte offsets are
        // those of the text plus one, and every key starts and ends with a blank, so
        // matches fall on word boundaries.
        let mut hay = String::with_capacity(text.len() + 2);
        hay.push(' ');
        normalise_into(text, &mut hay);
        hay.push(' ');
        let hb = hay.as_bytes();
        let mut pos = 0;
        while pos + 1 < hb.len() {
            let Some(m) = hb.get(pos..).and_then(|h| pma.leftmost_find_iter(h).next()) else {
                break;
            };
            // key span in hay: [pos + m.start(), pos + m.end()); text span: one less at
            // the start (the leading blank), two less at the end (both blanks)
            let (ks, ke) = (pos + m.start(), pos + m.end());
            let (start, end) = (ks, ke - 2);
            let key = m.value() as usize;
            if let Some(pid) = self.keys[key]
                .iter()
                .copied()
                .find(|&p| self.accept(text, start, end, p))
            {
                out.push(Hit {
                    start,
                    end,
                    pattern: pid,
                });
                pos = ke - 1;
                continue;
            }
            // The longest form failed: try shorter forms from the same start.
            let mut found = false;
            let mut e = ke - 1;
            while e > ks + 1 {
                e -= 1;
                if hb[e] != b' ' {
                    continue;
                }
                if let Some(cands) = hay.get(ks..=e).and_then(|k| self.by_norm.get(k)) {
                    let end2 = e - 1;
                    if let Some(&pid2) = cands.iter().find(|&&p| self.accept(text, start, end2, p))
                    {
                        out.push(Hit {
                            start,
                            end: end2,
                            pattern: pid2,
                        });
                        pos = e;
                        found = true;
                        break;
                    }
                }
            }
            if !found {
                // resume at the next blank after the failed match's start
                let mut p = ks + 1;
                while p < hb.len() && hb[p] != b' ' {
                    p += 1;
                }
                pos = p.max(ks + 1);
            }
        }
    }

    fn accept(&self, text: &str, start: usize, end: usize, pid: usize) -> bool {
        let Some(p) = self.patterns.get(pid) else {
            return false;
        };
        let Some(found) = text.get(start..end) else {
            return false;
        };
        if !at_word_start(text, start) || !at_word_end(text, end) {
            return false;
        }
        if p.exact {
            return found == p.text;
        }
        capitalisation_ok(&p.text, found)
    }
}

/// Appends `text` with ASCII letters lower-cased and every character that is not a
/// letter or digit replaced by as many blanks as its UTF-8 length (byte offsets kept).
pub fn normalise_into(text: &str, out: &mut String) {
    let mut bytes = std::mem::take(out).into_bytes();
    let base = bytes.len();
    // every byte through the ASCII table (non-ASCII bytes unchanged) ...
    bytes.extend(text.as_bytes().iter().map(|&b| FOLD[usize::from(b)]));
    // ... then non-ASCII characters that are not letters or digits become blanks
    let tb = text.as_bytes();
    let mut i = 0;
    while let Some(off) = tb.get(i..).and_then(|r| r.iter().position(|&b| b >= 0x80)) {
        let at = i + off;
        let Some(c) = text.get(at..).and_then(|r| r.chars().next()) else {
            break;
        };
        let len = c.len_utf8();
        if !c.is_alphanumeric() {
            if let Some(span) = bytes.get_mut(base + at..base + at + len) {
                span.fill(b' ');
            }
        }
        i = at + len;
    }
    // Whole characters were kept or replaced by ASCII blanks, so the bytes stay UTF-8.
    *out = String::from_utf8(bytes).unwrap_or_default();
}

/// ASCII letters and digits lower-cased, other ASCII bytes blank, bytes >= 0x80 kept.
const FOLD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b >= 0x80 {
            b
        } else if b.is_ascii_alphanumeric() {
            b.to_ascii_lowercase()
        } else {
            b' '
        };
        i += 1;
    }
    t
};

/// Whether no letter or digit precedes `pos`.
pub fn at_word_start(text: &str, pos: usize) -> bool {
    text.get(..pos)
        .and_then(|s| s.chars().next_back())
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Whether no letter or digit follows `pos`.
pub fn at_word_end(text: &str, pos: usize) -> bool {
    text.get(pos..)
        .and_then(|s| s.chars().next())
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Every word the pattern writes capitalised must be capitalised in the text (the
/// automaton already matched the rest ASCII-case-insensitively).
pub fn capitalisation_ok(pattern: &str, found: &str) -> bool {
    let mut prev_alnum = false;
    for (pc, fc) in pattern.chars().zip(found.chars()) {
        if !prev_alnum && pc.is_uppercase() && !fc.is_uppercase() {
            return false;
        }
        prev_alnum = pc.is_alphanumeric();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::KnowledgeBase;

    fn kb() -> KnowledgeBase {
        let text = "key\ttype\tname\twikidata\tiso2\tcountry\taliases\tacronyms\tdemonyms\tcapital\tepithets\troles\taffiliations\n\
peru\tcountry\tPeru\tQ419\tPE\tPER\tRepublic of Peru\t\tPeruvian|Peruvians\tLima\t\t\t\n\
un\torganization\tUnited Nations\tQ1065\t\t\t\tUN|U.N.\t\t\t\t\t\n";
        KnowledgeBase::from_tsv(text, "t").unwrap()
    }

    fn found(kb: &KnowledgeBase, text: &str) -> Vec<String> {
        let mut hits = vec![];
        kb.index().find(text, &mut hits);
        hits.iter()
            .map(|h| text[h.start..h.end].to_string())
            .collect()
    }

    #[test]
    fn word_boundaries_case_and_possessives() {
        let kb = kb();
        assert_eq!(
            found(
                &kb,
                "The Peruvian envoy told the UN that Peru’s and Lima's plans stand."
            ),
            vec!["Peruvian", "UN", "Peru", "Lima"]
        );
        // acronyms are case-sensitive; names need their capital letter
        assert!(found(&kb, "tell us about peru and the un").is_empty());
        assert!(found(&kb, "Unperuvian Peruse").is_empty());
        assert_eq!(found(&kb, "THE REPUBLIC OF PERU"), vec!["REPUBLIC OF PERU"]);
        assert_eq!(found(&kb, "the Republic of Peru"), vec!["Republic of Peru"]);
        // a failed longest form falls back to a shorter one
        assert_eq!(found(&kb, "Lima-Peru ties"), vec!["Lima", "Peru"]);
    }

    #[test]
    fn capitalisation_rule() {
        assert!(capitalisation_ok("Zionist regime", "Zionist Regime"));
        assert!(!capitalisation_ok("Zionist regime", "zionist regime"));
        assert!(capitalisation_ok("Republic of Peru", "REPUBLIC OF PERU"));
    }
}

//! The knowledge base: entries parsed from the embedded `data/kb/*.tsv` files, merged
//! with user files (`--kb FILE`, same TSV schema or PETRARCH/TABARI `.actors`), plus
//! `lookup` and `stats` for the `kb` subcommands. The name index is built lazily
//! once (see [`crate::index`]) and shared by every thread.

use crate::index::{Index, NameKind};
use crate::lexicon::Lexicon;
use crate::LinkError;
use stancegraph_model::EntityType;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

const COUNTRIES: &str = include_str!("../../../data/kb/countries.tsv");
const ORGANIZATIONS: &str = include_str!("../../../data/kb/organizations.tsv");
const GROUPS: &str = include_str!("../../../data/kb/groups.tsv");
const PEOPLE: &str = include_str!("../../../data/kb/people.tsv");
const INSTITUTIONS: &str = include_str!("../../../data/kb/institutions.tsv");

/// The exact header line of a knowledge-base TSV file.
pub const KB_HEADER: &str = "key\ttype\tname\twikidata\tiso2\tcountry\taliases\tacronyms\tdemonyms\tcapital\tepithets\troles\taffiliations";

/// A role held by a person, possibly bounded in time (years, inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbRole {
    pub role: String,
    /// Key of the entity the role is held in (a country, an organisation).
    pub affiliation: Option<String>,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl KbRole {
    /// Whether the role is held in `year`; with no year, whether it is still held.
    pub fn active(&self, year: Option<i32>) -> bool {
        match year {
            Some(y) => self.from.is_none_or(|f| f <= y) && self.to.is_none_or(|t| y <= t),
            None => self.to.is_none(),
        }
    }
}

/// One knowledge-base entity with every name it goes by.
#[derive(Debug, Clone, PartialEq)]
pub struct KbEntry {
    pub key: String,
    pub entity_type: EntityType,
    pub name: String,
    pub wikidata: Option<String>,
    pub iso2: Option<String>,
    /// ISO 3166-1 alpha-3 of the entity's country.
    pub country: Option<String>,
    pub aliases: Vec<String>,
    pub acronyms: Vec<String>,
    pub demonyms: Vec<String>,
    pub capitals: Vec<String>,
    pub epithets: Vec<String>,
    pub roles: Vec<KbRole>,
    /// Keys of the entities this one belongs to.
    pub affiliations: Vec<String>,
    /// CAMEO actor codes as written in a PETRARCH dictionary (with date bounds).
    pub cameo: Vec<String>,
    /// Where the entry comes from: `default`, or the path of a merged file.
    pub source: String,
    /// Names came from an upper-case dictionary: matched word-capitalised, any case.
    pub folded_names: bool,
}

impl KbEntry {
    fn new(key: &str, entity_type: EntityType, name: &str, source: &str) -> Self {
        KbEntry {
            key: key.to_string(),
            entity_type,
            name: name.to_string(),
            wikidata: None,
            iso2: None,
            country: None,
            aliases: vec![],
            acronyms: vec![],
            demonyms: vec![],
            capitals: vec![],
            epithets: vec![],
            roles: vec![],
            affiliations: vec![],
            cameo: vec![],
            source: source.to_string(),
            folded_names: false,
        }
    }

    /// Output entity id: `wd:<Q>` when a Wikidata id is known, else `kb:<key>`.
    pub fn id(&self) -> String {
        match &self.wikidata {
            Some(q) => format!("wd:{q}"),
            None => format!("kb:{}", self.key),
        }
    }
}

/// What merging one file did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub path: String,
    /// `tsv` or `petrarch`.
    pub format: String,
    /// Entries read from the file.
    pub entries: usize,
    /// Of those, merged into an entry that already existed.
    pub merged: usize,
    /// Names (names, synonyms, acronyms) read.
    pub names: usize,
    /// Lines or entries that could not be used, with the reason (`line N: ...`).
    pub skipped: Vec<String>,
    /// Entries used with a caveat (e.g. no code, inherited code).
    pub warnings: Vec<String>,
}

/// Why a name links to an entity (for `kb lookup`).
#[derive(Debug, Clone, PartialEq)]
pub struct LookupHit {
    pub id: String,
    pub key: String,
    pub name: String,
    pub entity_type: EntityType,
    pub country: Option<String>,
    /// `name`, `alias`, `acronym`, `demonym`, `metonym` (capital), `epithet`.
    pub matched_as: String,
    /// The knowledge-base form that matched.
    pub form: String,
    pub source: String,
    pub roles: Vec<String>,
    pub cameo: Vec<String>,
    /// Plain-language reason.
    pub why: String,
}

/// The knowledge base: actors, their names and attributes.
#[derive(Debug, Default)]
pub struct KnowledgeBase {
    entries: Vec<KbEntry>,
    by_key: HashMap<String, usize>,
    index: OnceLock<Index>,
}

fn split_list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

pub(crate) fn parse_type(s: &str) -> Option<EntityType> {
    Some(match s.trim() {
        "person" => EntityType::Person,
        "organization" | "organisation" => EntityType::Organization,
        "country" => EntityType::Country,
        "group" => EntityType::Group,
        "location" => EntityType::Location,
        "other" => EntityType::Other,
        _ => return None,
    })
}

fn parse_role(s: &str) -> Option<KbRole> {
    let mut parts = s.split('@');
    let role = parts.next()?.trim();
    if role.is_empty() {
        return None;
    }
    let affiliation = parts.next().and_then(opt);
    let (mut from, mut to) = (None, None);
    if let Some(years) = parts.next() {
        let mut ys = years.splitn(2, '-');
        from = ys.next().and_then(|y| y.trim().parse().ok());
        to = ys.next().and_then(|y| y.trim().parse().ok());
        if !years.contains('-') {
            to = from;
        }
    }
    Some(KbRole {
        role: role.to_string(),
        affiliation,
        from,
        to,
    })
}

fn union(dst: &mut Vec<String>, src: &[String]) {
    for s in src {
        if !dst.contains(s) {
            dst.push(s.clone());
        }
    }
}

impl KnowledgeBase {
    /// The default knowledge base embedded from `data/kb/`.
    pub fn embedded() -> Result<Self, LinkError> {
        let mut kb = KnowledgeBase::default();
        for (name, text) in [
            ("data/kb/countries.tsv", COUNTRIES),
            ("data/kb/organizations.tsv", ORGANIZATIONS),
            ("data/kb/groups.tsv", GROUPS),
            ("data/kb/people.tsv", PEOPLE),
            ("data/kb/institutions.tsv", INSTITUTIONS),
        ] {
            let report = kb.merge_tsv(text, name, "default")?;
            if let Some(first) = report.skipped.first() {
                return Err(LinkError::Kb {
                    path: name.to_string(),
                    message: first.clone(),
                });
            }
        }
        Ok(kb)
    }

    /// A knowledge base from TSV text (same schema as `data/kb/*.tsv`), for tests and tools.
    pub fn from_tsv(text: &str, source: &str) -> Result<Self, LinkError> {
        let mut kb = KnowledgeBase::default();
        kb.merge_tsv(text, source, source)?;
        Ok(kb)
    }

    /// Every entry, in load order.
    pub fn entries(&self) -> &[KbEntry] {
        &self.entries
    }

    /// The entry with this key.
    pub fn get(&self, key: &str) -> Option<&KbEntry> {
        self.by_key.get(key).map(|&i| &self.entries[i])
    }

    pub(crate) fn index(&self) -> &Index {
        self.index
            .get_or_init(|| Index::build(&self.entries, &self.by_key))
    }

    /// Builds the name index now (it is otherwise built on first use).
    pub fn prepare(&self) {
        let _ = self.index();
    }

    /// Merges a user file over the current entries: a TSV file of the knowledge-base
    /// schema (recognised by its header) or a PETRARCH/TABARI `.actors` dictionary.
    pub fn merge_file(&mut self, path: &Path) -> Result<LoadReport, LinkError> {
        let err = |message: String| LinkError::Kb {
            path: path.display().to_string(),
            message,
        };
        let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
        let text = String::from_utf8_lossy(&bytes);
        let source = path.display().to_string();
        let is_tsv = text
            .lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .is_some_and(|l| l.starts_with("key\t"));
        if is_tsv {
            self.merge_tsv(&text, &source, &source)
        } else {
            Ok(self.merge_petrarch(&text, &source))
        }
    }

    /// Merges PETRARCH/TABARI `.actors` text (see [`crate::petrarch`]).
    pub fn merge_petrarch(&mut self, text: &str, source: &str) -> LoadReport {
        let report = crate::petrarch::merge(self, text, source);
        self.index.take();
        report
    }

    /// Merges TSV text of the knowledge-base schema; rows replace the scalar fields and
    /// extend the lists of an entry with the same key.
    pub fn merge_tsv(
        &mut self,
        text: &str,
        path: &str,
        source: &str,
    ) -> Result<LoadReport, LinkError> {
        let mut report = LoadReport {
            path: path.to_string(),
            format: "tsv".into(),
            ..Default::default()
        };
        let mut header_seen = false;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if !header_seen {
                if line.trim_end() != KB_HEADER {
                    return Err(LinkError::Kb {
                        path: path.to_string(),
                        message: format!("line {}: expected the header `{KB_HEADER}`", n + 1),
                    });
                }
                header_seen = true;
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 3 {
                report
                    .skipped
                    .push(format!("line {}: fewer than 3 columns", n + 1));
                continue;
            }
            let col = |i: usize| cols.get(i).copied().unwrap_or("");
            let key = col(0).trim();
            let Some(entity_type) = parse_type(col(1)) else {
                report
                    .skipped
                    .push(format!("line {}: unknown type `{}`", n + 1, col(1)));
                continue;
            };
            if key.is_empty() || col(2).trim().is_empty() {
                report
                    .skipped
                    .push(format!("line {}: empty key or name", n + 1));
                continue;
            }
            let mut e = KbEntry::new(key, entity_type, col(2).trim(), source);
            e.wikidata = opt(col(3));
            e.iso2 = opt(col(4));
            e.country = opt(col(5));
            e.aliases = split_list(col(6));
            e.acronyms = split_list(col(7));
            e.demonyms = split_list(col(8));
            e.capitals = split_list(col(9));
            e.epithets = split_list(col(10));
            e.roles = split_list(col(11))
                .iter()
                .filter_map(|r| parse_role(r))
                .collect();
            e.affiliations = split_list(col(12));
            report.entries += 1;
            report.names += 1
                + e.aliases.len()
                + e.acronyms.len()
                + e.demonyms.len()
                + e.capitals.len()
                + e.epithets.len();
            if self.upsert(e) {
                report.merged += 1;
            }
        }
        self.index.take();
        Ok(report)
    }

    /// Inserts an entry, or merges it into the entry with the same key; true when merged.
    pub(crate) fn upsert(&mut self, e: KbEntry) -> bool {
        match self.by_key.get(&e.key) {
            Some(&i) => {
                let m = &mut self.entries[i];
                m.entity_type = e.entity_type;
                if m.name != e.name {
                    let old = std::mem::replace(&mut m.name, e.name);
                    if !m.aliases.contains(&old) {
                        m.aliases.push(old);
                    }
                }
                for (dst, src) in [
                    (&mut m.wikidata, e.wikidata),
                    (&mut m.iso2, e.iso2),
                    (&mut m.country, e.country),
                ] {
                    if src.is_some() {
                        *dst = src;
                    }
                }
                union(&mut m.aliases, &e.aliases);
                union(&mut m.acronyms, &e.acronyms);
                union(&mut m.demonyms, &e.demonyms);
                union(&mut m.capitals, &e.capitals);
                union(&mut m.epithets, &e.epithets);
                union(&mut m.affiliations, &e.affiliations);
                union(&mut m.cameo, &e.cameo);
                for r in e.roles {
                    if !m.roles.contains(&r) {
                        m.roles.push(r);
                    }
                }
                if m.source != e.source && !m.source.contains(&e.source) {
                    m.source = format!("{}+{}", m.source, e.source);
                }
                true
            }
            None => {
                self.by_key.insert(e.key.clone(), self.entries.len());
                self.entries.push(e);
                false
            }
        }
    }

    pub(crate) fn entry_mut(&mut self, idx: usize) -> Option<&mut KbEntry> {
        self.entries.get_mut(idx)
    }

    pub(crate) fn key_index(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    /// Entity counts by type and source, sorted.
    pub fn stats(&self) -> Vec<(String, String, usize)> {
        let mut counts = BTreeMap::<(String, String), usize>::new();
        for e in &self.entries {
            *counts
                .entry((e.entity_type.as_str().to_string(), e.source.clone()))
                .or_default() += 1;
        }
        counts.into_iter().map(|((t, s), n)| (t, s, n)).collect()
    }

    /// What a name links to and why: exact (case-sensitive) and case-folded matches of
    /// every knowledge-base form, possessive `'s` ignored.
    pub fn lookup(&self, name: &str) -> Vec<LookupHit> {
        let name = strip_possessive(name.trim());
        let lex = Lexicon::get();
        let _ = lex;
        let index = self.index();
        let mut hits = Vec::new();
        for (pattern, target) in index.lookup_exactish(name) {
            let Some(e) = self.entries.get(target.entry) else {
                continue;
            };
            let matched_as = target.kind.label();
            let why = format!(
                "`{}` is the {} of {} `{}` ({}) in {}{}",
                pattern.text,
                match target.kind {
                    NameKind::Capital => "capital (metonym for the government)",
                    other => other.label(),
                },
                e.entity_type.as_str(),
                e.name,
                e.id(),
                e.source,
                if pattern.text == name {
                    String::new()
                } else {
                    " (case differs)".to_string()
                }
            );
            hits.push(LookupHit {
                id: e.id(),
                key: e.key.clone(),
                name: e.name.clone(),
                entity_type: e.entity_type,
                country: e.country.clone(),
                matched_as: matched_as.to_string(),
                form: pattern.text.clone(),
                source: e.source.clone(),
                roles: e
                    .roles
                    .iter()
                    .map(|r| {
                        let years = match (r.from, r.to) {
                            (None, None) => String::new(),
                            (f, t) => format!(
                                " {}-{}",
                                f.map(|y| y.to_string()).unwrap_or_default(),
                                t.map(|y| y.to_string()).unwrap_or_default()
                            ),
                        };
                        match &r.affiliation {
                            Some(a) => format!("{} ({a}){years}", r.role),
                            None => format!("{}{years}", r.role),
                        }
                    })
                    .collect(),
                cameo: e.cameo.clone(),
                why,
            });
        }
        hits
    }
}

/// `Iran's` / `Iran’s` / `Azeris'` → the name without the possessive ending.
pub fn strip_possessive(s: &str) -> &str {
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(x) = s.strip_suffix(suffix) {
            return x;
        }
    }
    s.strip_suffix('\'')
        .or_else(|| s.strip_suffix('’'))
        .unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const FIXTURE: &str = "# test knowledge base\nkey\ttype\tname\twikidata\tiso2\tcountry\taliases\tacronyms\tdemonyms\tcapital\tepithets\troles\taffiliations\n\
norway\tcountry\tNorway\tQ20\tNO\tNOR\tKingdom of Norway\t\tNorwegian|Norwegians\tOslo\t\t\t\n\
chile\tcountry\tChile\tQ298\tCL\tCHL\tRepublic of Chile\t\tChilean|Chileans\tSantiago\t\t\t\n\
ana_ruiz\tperson\tAna Ruiz\t\t\tCHL\tRuiz\t\t\t\t\tForeign Minister@chile@2019-2022|Senator@chile@2010-2018\tchile\n";

    #[test]
    fn tsv_loads_and_merges_by_key() {
        let mut kb = KnowledgeBase::from_tsv(FIXTURE, "fixture").unwrap();
        assert_eq!(kb.entries().len(), 3);
        let chile = kb.get("chile").unwrap();
        assert_eq!(chile.id(), "wd:Q298");
        assert_eq!(chile.demonyms, vec!["Chilean", "Chileans"]);
        let ruiz = kb.get("ana_ruiz").unwrap();
        assert_eq!(ruiz.id(), "kb:ana_ruiz");
        assert_eq!(ruiz.roles[0].from, Some(2019));
        assert!(ruiz.roles[0].active(Some(2020)));
        assert!(!ruiz.roles[1].active(Some(2020)));
        let extra =
            format!("{KB_HEADER}\nchile\tcountry\tChile\t\t\t\tChile Republic\t\t\t\t\t\t\n");
        let r = kb.merge_tsv(&extra, "extra", "extra").unwrap();
        assert_eq!((r.entries, r.merged), (1, 1));
        let chile = kb.get("chile").unwrap();
        assert_eq!(chile.wikidata.as_deref(), Some("Q298"));
        assert!(chile.aliases.contains(&"Chile Republic".to_string()));
        assert_eq!(kb.stats().len(), 3);
    }

    #[test]
    fn bad_header_is_an_error() {
        assert!(KnowledgeBase::from_tsv("name\ttype\nx\tcountry\n", "bad").is_err());
    }

    #[test]
    fn lookup_explains_forms_and_possessives() {
        let kb = KnowledgeBase::from_tsv(FIXTURE, "fixture").unwrap();
        let hits = kb.lookup("Norway’s");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, "wd:Q20");
        let hits = kb.lookup("Oslo");
        assert_eq!(hits[0].matched_as, "metonym");
        assert!(hits[0].why.contains("capital"));
        let hits = kb.lookup("Chilean");
        assert_eq!(hits[0].matched_as, "demonym");
        assert!(kb.lookup("Atlantis").is_empty());
    }

    #[test]
    fn embedded_kb_has_unique_keys_and_wikidata_ids() {
        let kb = KnowledgeBase::embedded().unwrap();
        let mut seen = std::collections::HashSet::new();
        for e in kb.entries() {
            if let Some(q) = &e.wikidata {
                assert!(
                    seen.insert(q.clone()),
                    "wikidata id {q} repeats ({})",
                    e.key
                );
            }
        }
        // keys are unique by construction of `upsert`; also check the raw files
        let mut keys = std::collections::HashSet::new();
        for text in [COUNTRIES, ORGANIZATIONS, GROUPS, PEOPLE, INSTITUTIONS] {
            for line in text
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            {
                if line.starts_with("key\t") {
                    continue;
                }
                let key = line.split('\t').next().unwrap_or("");
                assert!(keys.insert(key.to_string()), "key {key} repeats");
            }
        }
    }
}

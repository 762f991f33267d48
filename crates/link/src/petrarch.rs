//! Reader for PETRARCH/TABARI `.actors` dictionaries: root phrases (`WORD_WORD_`), `+SYNONYM`
//! lines, `[CODE]` codes with optional date bounds (`>YYMMDD`, `<YYMMDD`,
//! `YYMMDD-YYMMDD`), `#`/`;` comments. The CAMEO code gives the country (its first three
//! letters when they are a country code), the sector and so the entity type; it is kept
//! in [`KbEntry::cameo`], and date-bounded codes of persons become roles.

use crate::kb::{KbEntry, KbRole, KnowledgeBase, LoadReport};
use crate::lexicon::Lexicon;
use stancegraph_model::EntityType;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Default)]
struct RawEntry {
    line: usize,
    phrase: String,
    synonyms: Vec<String>,
    codes: Vec<String>,
    comment: String,
}

/// A CAMEO code with its date bounds (years).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub code: String,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub dated: bool,
}

fn year_of(date: &str) -> Option<i32> {
    let digits: String = date.chars().take_while(char::is_ascii_digit).collect();
    match digits.len() {
        6 => {
            let yy: i32 = digits.get(..2)?.parse().ok()?;
            Some(if yy <= 30 { 2000 + yy } else { 1900 + yy })
        }
        7 | 8 => digits.get(..4)?.parse().ok(),
        _ => None,
    }
}

/// Parses the inside of `[...]`: `AFGGOV 331108-730717`, `IGOUNO >20070101`, `AFG`.
pub fn parse_code(raw: &str) -> Option<Code> {
    let mut parts = raw.split_whitespace();
    let code = parts.next()?.to_string();
    if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (mut from, mut to, mut dated) = (None, None, false);
    if let Some(bound) = parts.next() {
        dated = true;
        if let Some(d) = bound.strip_prefix('>') {
            from = year_of(d);
        } else if let Some(d) = bound.strip_prefix('<') {
            to = year_of(d);
        } else if let Some((a, b)) = bound.split_once('-') {
            from = year_of(a);
            to = year_of(b);
        } else {
            from = year_of(bound);
            to = from;
        }
    }
    Some(Code {
        code,
        from,
        to,
        dated,
    })
}

const SMALL_WORDS: &[&str] = &[
    "of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "de", "du", "des", "la", "le",
    "al", "el", "bin", "ibn", "van", "von", "y", "da", "di", "del", "dos", "das",
];

/// `THE_UNITED_NATIONS_` → ("United Nations", None); `ADEN_ARMY_(AA)_` → ("Aden Army",
/// Some("AA")). Short single words (four letters or fewer) are kept upper-case as
/// acronyms.
pub fn phrase_to_name(phrase: &str) -> (String, Option<String>) {
    let mut s = phrase.replace(['_', '+'], " ");
    let mut acronym = None;
    if let (Some(a), Some(b)) = (s.find('('), s.find(')')) {
        if a < b {
            let inner = s.get(a + 1..b).unwrap_or("").trim().to_string();
            if !inner.is_empty() {
                acronym = Some(inner);
            }
            s = format!(
                "{}{}",
                s.get(..a).unwrap_or(""),
                s.get(b + 1..).unwrap_or("")
            );
        }
    }
    let mut words: Vec<&str> = s.split_whitespace().collect();
    if words.len() > 1 && words[0].eq_ignore_ascii_case("THE") {
        words.remove(0);
    }
    if words.len() == 1 {
        let w = words[0];
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if letters <= 4 || w.contains('.') {
            return (w.to_string(), acronym);
        }
    }
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = w.to_lowercase();
        if i > 0 && SMALL_WORDS.contains(&lower.as_str()) {
            out.push_str(&lower);
            continue;
        }
        if w.contains('.') {
            out.push_str(w);
            continue;
        }
        let mut first = true;
        for c in lower.chars() {
            if first && c.is_alphabetic() {
                out.extend(c.to_uppercase());
                first = false;
            } else {
                out.push(c);
            }
        }
    }
    (out, acronym)
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

fn strip_comment(line: &str) -> (&str, &str) {
    let cut = line
        .char_indices()
        .find(|&(i, c)| c == '#' || (c == ';' && (i == 0 || line[..i].ends_with(' '))))
        .map(|(i, _)| i);
    match cut {
        Some(i) => (&line[..i], &line[i..]),
        None => (line, ""),
    }
}

fn split_codes(s: &str) -> (String, Vec<String>) {
    let mut phrase = String::new();
    let mut codes = Vec::new();
    let mut rest = s;
    while let Some(a) = rest.find('[') {
        phrase.push_str(&rest[..a]);
        match rest[a..].find(']') {
            Some(b) => {
                codes.push(rest[a + 1..a + b].trim().to_string());
                rest = &rest[a + b + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    phrase.push_str(rest);
    (phrase.trim().to_string(), codes)
}

fn parse(text: &str, report: &mut LoadReport) -> Vec<RawEntry> {
    let mut out: Vec<RawEntry> = Vec::new();
    let mut in_block = false;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let raw = raw.trim_end_matches('\r');
        let (body, comment) = strip_comment(raw);
        if in_block {
            if body.contains('}') {
                in_block = false;
            }
            continue;
        }
        if body.trim_start().starts_with('{') {
            report
                .skipped
                .push(format!("line {line_no}: `{{...}}` block ignored"));
            in_block = !body.contains('}');
            continue;
        }
        if body.trim().is_empty() {
            continue;
        }
        if let Some(rest) = body.strip_prefix('+') {
            let (phrase, codes) = split_codes(rest);
            match out.last_mut() {
                Some(e) => {
                    if !phrase.is_empty() {
                        e.synonyms.push(phrase);
                    }
                    e.codes.extend(codes);
                }
                None => report
                    .skipped
                    .push(format!("line {line_no}: synonym before any entry")),
            }
        } else if body.starts_with([' ', '\t', '[']) {
            let (phrase, codes) = split_codes(body);
            match out.last_mut() {
                Some(e) => {
                    e.codes.extend(codes);
                    if !phrase.is_empty() {
                        report.warnings.push(format!(
                            "line {line_no}: text `{phrase}` beside codes ignored"
                        ));
                    }
                }
                None => report
                    .skipped
                    .push(format!("line {line_no}: code before any entry")),
            }
        } else {
            let (phrase, codes) = split_codes(body);
            out.push(RawEntry {
                line: line_no,
                phrase,
                synonyms: vec![],
                codes,
                comment: comment.to_string(),
            });
        }
    }
    out
}

/// Merges `.actors` text into the knowledge base.
pub fn merge(kb: &mut KnowledgeBase, text: &str, source: &str) -> LoadReport {
    let mut report = LoadReport {
        path: source.to_string(),
        format: "petrarch".into(),
        ..Default::default()
    };
    let raw = parse(text, &mut report);
    let lex = Lexicon::get();
    // Country codes: the knowledge base's countries plus bare three-letter root codes.
    let mut iso3_key: HashMap<String, String> = HashMap::new();
    for e in kb.entries() {
        if e.entity_type == EntityType::Country {
            if let Some(c) = &e.country {
                iso3_key.entry(c.clone()).or_insert_with(|| e.key.clone());
            }
        }
    }
    let mut country_codes: HashSet<String> = iso3_key.keys().cloned().collect();
    for e in &raw {
        for c in &e.codes {
            if let Some(code) = parse_code(c) {
                if code.code.len() == 3 && code.code.chars().all(|c| c.is_ascii_uppercase()) {
                    country_codes.insert(code.code);
                }
            }
        }
    }
    let mut previous_codes: Vec<String> = Vec::new();
    let mut bare_codes_seen: HashSet<String> = HashSet::new();
    for e in raw {
        let (name, acronym) = phrase_to_name(&e.phrase);
        if name.is_empty() || !name.chars().any(char::is_alphanumeric) {
            report
                .skipped
                .push(format!("line {}: empty phrase `{}`", e.line, e.phrase));
            continue;
        }
        let mut code_texts = e.codes.clone();
        if code_texts.is_empty() {
            if previous_codes.is_empty() {
                report
                    .warnings
                    .push(format!("line {}: `{}` has no code", e.line, e.phrase));
            } else {
                report.warnings.push(format!(
                    "line {}: `{}` has no code; using the previous entry's",
                    e.line, e.phrase
                ));
                code_texts = previous_codes.clone();
            }
        } else {
            previous_codes = code_texts.clone();
        }
        let mut codes = Vec::new();
        for c in &code_texts {
            match parse_code(c) {
                Some(code) => codes.push(code),
                None => report
                    .warnings
                    .push(format!("line {}: bad code `[{c}]` ignored", e.line)),
            }
        }
        // The primary code: undated, or the one with the latest start.
        let primary = codes
            .iter()
            .rfind(|c| !c.dated)
            .or_else(|| codes.iter().max_by_key(|c| (c.to.is_none(), c.from)))
            .cloned();
        let (country, sector) = match &primary {
            Some(c) => {
                let head = c.code.get(..3).unwrap_or("");
                if country_codes.contains(head) {
                    (
                        Some(head.to_string()),
                        c.code.get(3..6).unwrap_or("").to_string(),
                    )
                } else {
                    (None, head.to_string())
                }
            }
            None => (None, String::new()),
        };
        let dated = codes.iter().any(|c| c.dated);
        // A bare country code names the country only on the first root entry with that
        // code in the file ("AFGHANISTAN_ [AFG]"); later ones are national bodies.
        let bare = country.is_some() && sector.is_empty() && !dated;
        let first_for_code = bare
            && country
                .as_ref()
                .is_some_and(|c| bare_codes_seen.insert(c.clone()));
        let entity_type = if bare && first_for_code {
            EntityType::Country
        } else if dated || e.comment.contains("CountryInfo") {
            EntityType::Person
        } else {
            match lex.cameo_sectors.get(&sector).map(|s| s.0.as_str()) {
                Some("group") => EntityType::Group,
                Some("person") => EntityType::Person,
                _ => EntityType::Organization,
            }
        };
        let mut names: Vec<String> = Vec::new();
        let mut acronyms: Vec<String> = acronym.into_iter().collect();
        for syn in &e.synonyms {
            let (n, a) = phrase_to_name(syn);
            if let Some(a) = a {
                acronyms.push(a);
            }
            if n.is_empty() {
                continue;
            }
            if n.chars().filter(|c| c.is_alphabetic()).count() <= 4 && !n.contains(' ') {
                acronyms.push(n);
            } else {
                names.push(n);
            }
        }
        report.entries += 1;
        report.names += 1 + names.len() + acronyms.len();
        let single_short =
            !name.contains(' ') && name.chars().filter(|c| c.is_alphabetic()).count() <= 4;
        // A country's root entry merges into the knowledge base's country.
        let existing_country = (entity_type == EntityType::Country)
            .then(|| country.as_ref().and_then(|c| iso3_key.get(c)).cloned())
            .flatten();
        let key = match &existing_country {
            Some(k) => k.clone(),
            None => format!("cameo_{}", slug(&name)),
        };
        if key == "cameo_" {
            report
                .skipped
                .push(format!("line {}: no usable name in `{}`", e.line, e.phrase));
            continue;
        }
        let mut entry = KbEntry {
            key: key.clone(),
            entity_type,
            name: name.clone(),
            wikidata: None,
            iso2: None,
            country: country.clone(),
            aliases: names,
            acronyms,
            demonyms: vec![],
            capitals: vec![],
            epithets: vec![],
            roles: vec![],
            affiliations: vec![],
            cameo: code_texts.clone(),
            source: source.to_string(),
            folded_names: true,
        };
        if single_short {
            entry.acronyms.push(name.clone());
        }
        let country_key = country.as_ref().and_then(|c| iso3_key.get(c)).cloned();
        if entity_type != EntityType::Country {
            if let Some(k) = &country_key {
                entry.affiliations.push(k.clone());
            }
        }
        if entity_type == EntityType::Person {
            for c in &codes {
                let head = c.code.get(..3).unwrap_or("");
                let (aff, sec) = if country_codes.contains(head) {
                    (iso3_key.get(head).cloned(), c.code.get(3..6).unwrap_or(""))
                } else {
                    (None, head)
                };
                let role = match lex.cameo_sectors.get(sec) {
                    Some((_, desc)) => title_case(desc),
                    None => c.code.clone(),
                };
                entry.roles.push(KbRole {
                    role,
                    affiliation: aff,
                    from: c.from,
                    to: c.to,
                });
            }
        }
        if existing_country.is_some() {
            // keep the knowledge base's canonical name; the phrase becomes an alias
            if let Some(idx) = kb.key_index(&key) {
                if let Some(m) = kb.entry_mut(idx) {
                    entry.aliases.push(name.clone());
                    entry.name = m.name.clone();
                    entry.entity_type = m.entity_type;
                    entry.source = m.source.clone();
                    entry.country = m.country.clone();
                }
            }
        }
        if kb.upsert(entry) {
            report.merged += 1;
        }
        if entity_type == EntityType::Country {
            if let Some(c) = &country {
                iso3_key.entry(c.clone()).or_insert(key);
            }
        }
    }
    report
}

fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const SAMPLE: &str = "# sample dictionary\n\
NORWAY_  [NOR]\n\
+NORGE_ \n\
+OSLO_ # capital\n\
\n\
THE_NORDIC_COUNCIL_ [IGONOR]\n\
NC_\n\
\n\
KARI_NORDMANN_  # CountryInfo.txt\n\
\t[NORGOV 130101-171231]\n\
\t[NORELI >180101]\n\
FJORD_LIBERATION_FRONT_(FLF)_ [NORREB] ; comment\n\
+FJORD_FIGHTERS_\n\
{ a block\n\
that is ignored }\n\
+ORPHAN\n";

    #[test]
    fn sample_dictionary_loads() {
        let mut kb = KnowledgeBase::default();
        let r = kb.merge_petrarch(SAMPLE, "sample.actors");
        assert_eq!(r.entries, 5, "{r:?}");
        assert!(r.skipped.iter().any(|s| s.contains("block")));
        let norway = kb.get("cameo_norway").unwrap();
        assert_eq!(norway.entity_type, EntityType::Country);
        assert!(norway.aliases.contains(&"Norge".to_string()));
        let council = kb.get("cameo_nordic_council").unwrap();
        assert_eq!(council.entity_type, EntityType::Organization);
        assert_eq!(council.cameo, vec!["IGONOR"]);
        // NC_ inherits the previous code
        assert!(kb.get("cameo_nc").is_some());
        let kari = kb.get("cameo_kari_nordmann").unwrap();
        assert_eq!(kari.entity_type, EntityType::Person);
        assert_eq!(kari.country.as_deref(), Some("NOR"));
        assert_eq!(kari.roles.len(), 2);
        assert_eq!(kari.roles[0].from, Some(2013));
        assert_eq!(kari.roles[1].from, Some(2018));
        let front = kb.get("cameo_fjord_liberation_front").unwrap();
        assert_eq!(front.entity_type, EntityType::Group);
        assert!(front.acronyms.contains(&"FLF".to_string()));
        assert!(front.aliases.contains(&"Fjord Fighters".to_string()));
        // names match in running text
        let hits = kb.lookup("Fjord Liberation Front");
        assert_eq!(hits[0].key, "cameo_fjord_liberation_front");
    }

    #[test]
    fn country_codes_merge_into_the_kb_country() {
        let tsv = "key\ttype\tname\twikidata\tiso2\tcountry\taliases\tacronyms\tdemonyms\tcapital\tepithets\troles\taffiliations\n\
norway\tcountry\tNorway\tQ20\tNO\tNOR\t\t\tNorwegian\tOslo\t\t\t\n";
        let mut kb = KnowledgeBase::from_tsv(tsv, "default").unwrap();
        kb.merge_petrarch(SAMPLE, "sample.actors");
        let norway = kb.get("norway").unwrap();
        assert_eq!(norway.name, "Norway");
        assert!(norway.aliases.contains(&"Norge".to_string()));
        assert_eq!(
            kb.get("cameo_kari_nordmann").unwrap().affiliations,
            vec!["norway"]
        );
    }

    #[test]
    fn phrase_names() {
        assert_eq!(phrase_to_name("THE_UNITED_NATIONS_").0, "United Nations");
        assert_eq!(phrase_to_name("UN_").0, "UN");
        assert_eq!(phrase_to_name("U.N._").0, "U.N.");
        assert_eq!(phrase_to_name("BAN_KI-MOON").0, "Ban Ki-moon");
        assert_eq!(
            phrase_to_name("ISLAMIC_REPUBLIC_OF_AFGHANISTAN").0,
            "Islamic Republic of Afghanistan"
        );
        assert_eq!(parse_code("AFGGOV 331108-730717").unwrap().from, Some(1933));
        assert_eq!(parse_code("IGOUNO >20070101").unwrap().from, Some(2007));
        assert_eq!(parse_code("X <991231").unwrap().to, Some(1999));
    }

    #[test]
    fn phoenix_dictionaries_load_quickly() {
        let dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/dictionaries/petrarch2");
        if !dir.exists() {
            eprintln!("skipping: {} absent", dir.display());
            return;
        }
        let mut kb = KnowledgeBase::embedded().unwrap();
        let t = std::time::Instant::now();
        let mut total = 0;
        for f in [
            "Phoenix.Countries.actors.txt",
            "Phoenix.International.actors.txt",
            "Phoenix.MilNonState.actors.txt",
        ] {
            let r = kb.merge_file(&dir.join(f)).unwrap();
            eprintln!(
                "{f}: {} entries, {} merged, {} names, {} skipped, {} warnings",
                r.entries,
                r.merged,
                r.names,
                r.skipped.len(),
                r.warnings.len()
            );
            total += r.entries + r.skipped.len();
        }
        let loaded = t.elapsed();
        kb.prepare();
        eprintln!(
            "loaded {total} entries in {loaded:?}, index built after {:?}",
            t.elapsed()
        );
        assert!(total > 10_000);
        assert!(!kb.lookup("Ban Ki-moon").is_empty());
    }
}

//! Site boilerplate removal, driven by `data/ingest/boilerplate.txt`: paragraphs that are
//! boilerplate wherever they stand ("Story continues below advertisement") are dropped,
//! and trailing boilerplate (share/follow/cookie/subscription lines, copyright and
//! "Reporting by" credits, bylines, dangling "Read more about:" lead-ins, contact lines)
//! is trimmed from the end of a document. Real content is never matched by name: the
//! rules are generic, and trimming stops at the first paragraph that reads as content.

use crate::headline::looks_like_byline;
use std::collections::HashSet;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../../data/ingest/boilerplate.txt");

/// Longest paragraph (in words) that a `prefix` rule may remove.
const MAX_PREFIX_WORDS: usize = 60;
/// Longest paragraph (in words) that an `anywhere-prefix` rule may remove.
const MAX_ANYWHERE_PREFIX_WORDS: usize = 40;
/// Longest paragraph (in words) that a `contains` rule may remove.
const MAX_CONTAINS_WORDS: usize = 30;
/// Longest trailing line judged by the general rule.
const MAX_GENERAL_WORDS: usize = 10;

/// The parsed rule file.
#[derive(Debug, Default)]
struct Rules {
    exact: HashSet<String>,
    prefix: Vec<String>,
    anywhere: HashSet<String>,
    anywhere_prefix: Vec<String>,
    contains: Vec<String>,
    words: HashSet<String>,
    /// Longest `exact` key, in bytes: longer keys are not looked up.
    exact_max_len: usize,
    /// The starts of the `anywhere` keys and `anywhere-prefix` rules, for a quick
    /// rejection; `None` when a rule is empty (then they say nothing).
    anywhere_starts: Option<RuleStarts>,
    /// The `prefix` rules by their first byte.
    prefix_index: PrefixIndex,
    /// The `contains` rules as prebuilt substring searchers.
    contains_finders: Vec<memchr::memmem::Finder<'static>>,
    /// The `contains` rules as one automaton: a single pass answers whether any of them
    /// occurs (`None` if it cannot be built: then the searchers answer).
    contains_automaton: Option<aho_corasick::AhoCorasick>,
}

/// A set of prefix rules sorted so that the rules with a given first byte lie together:
/// a text is tested only against the rules that start like it.
#[derive(Debug, Default)]
struct PrefixIndex {
    /// The rules, sorted.
    rules: Vec<String>,
    /// Per first byte: the range of `rules` that start with it.
    ranges: Vec<(usize, usize)>,
    /// Whether some rule is empty (it prefixes every text).
    has_empty: bool,
}

impl PrefixIndex {
    fn new(mut rules: Vec<String>) -> PrefixIndex {
        rules.sort();
        let mut ranges = vec![(0, 0); 256];
        for (at, rule) in rules.iter().enumerate() {
            if let Some(&first) = rule.as_bytes().first() {
                let range = &mut ranges[usize::from(first)];
                if range.0 == range.1 {
                    *range = (at, at + 1);
                } else {
                    range.1 = at + 1;
                }
            }
        }
        let has_empty = rules.iter().any(String::is_empty);
        PrefixIndex {
            rules,
            ranges,
            has_empty,
        }
    }

    /// Whether some rule is a prefix of `text` (what `starts_with_any` answers).
    fn any_prefix_of(&self, text: &str) -> bool {
        if self.has_empty {
            return true;
        }
        let Some(&first) = text.as_bytes().first() else {
            return false;
        };
        let (start, end) = self
            .ranges
            .get(usize::from(first))
            .copied()
            .unwrap_or((0, 0));
        self.rules
            .get(start..end)
            .is_some_and(|rules| starts_with_any(text, rules))
    }
}

/// The first two bytes of a set of rules, for ASCII.
#[derive(Debug)]
struct RuleStarts {
    /// Per first byte: whether some rule starts with it.
    first: [bool; 128],
    /// Per first byte: whether some rule is that byte alone.
    single: [bool; 128],
    /// Per first byte: a bit per second byte that some rule has after it.
    second: [u128; 128],
}

impl RuleStarts {
    fn new<'a>(rules: impl Iterator<Item = &'a String>) -> Option<RuleStarts> {
        let mut starts = RuleStarts {
            first: [false; 128],
            single: [false; 128],
            second: [0; 128],
        };
        for rule in rules {
            match *rule.as_bytes() {
                [] => return None,
                [b0, ..] if !b0.is_ascii() => {}
                [b0] => {
                    starts.first[usize::from(b0)] = true;
                    starts.single[usize::from(b0)] = true;
                }
                [b0, b1, ..] => {
                    starts.first[usize::from(b0)] = true;
                    if b1.is_ascii() {
                        starts.second[usize::from(b0)] |= 1u128 << b1;
                    } else {
                        // A non-ASCII second byte cannot be told apart here.
                        starts.single[usize::from(b0)] = true;
                    }
                }
            }
        }
        Some(starts)
    }

    /// Whether a lower-cased text starting like `lead` (in original case; ASCII bytes
    /// lower-case to themselves or their ASCII lowercase) surely starts no rule.
    fn rejects(&self, lead: &[u8]) -> bool {
        let Some(&b0) = lead.first().filter(|b| b.is_ascii()) else {
            return false;
        };
        let l0 = usize::from(b0.to_ascii_lowercase());
        if !self.first.get(l0).copied().unwrap_or(true) {
            return true;
        }
        if self.single.get(l0).copied().unwrap_or(true) {
            return false;
        }
        match lead.get(1) {
            Some(&b1) if b1.is_ascii() => {
                let bits = self.second.get(l0).copied().unwrap_or(u128::MAX);
                bits & (1u128 << b1.to_ascii_lowercase()) == 0
            }
            _ => false,
        }
    }
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut r = Rules::default();
        for line in DATA.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((kind, text)) = line.split_once(char::is_whitespace) else {
                continue;
            };
            let text = text.trim().to_lowercase();
            match kind {
                "exact" => {
                    r.exact.insert(key(&text));
                }
                "prefix" => r.prefix.push(text),
                "anywhere" => {
                    r.anywhere.insert(key(&text));
                }
                "anywhere-prefix" => r.anywhere_prefix.push(text),
                "contains" => r.contains.push(text),
                "word" => {
                    r.words.insert(text);
                }
                _ => {}
            }
        }
        r.exact_max_len = r.exact.iter().map(String::len).max().unwrap_or(0);
        r.prefix_index = PrefixIndex::new(r.prefix.clone());
        r.contains_finders = r
            .contains
            .iter()
            .map(|c| memchr::memmem::Finder::new(c.as_bytes()).into_owned())
            .collect();
        r.contains_automaton = aho_corasick::AhoCorasick::new(&r.contains).ok();
        r.anywhere_starts = RuleStarts::new(r.anywhere.iter().chain(r.anywhere_prefix.iter()));
        r
    })
}

/// Leading bullets and arrows that decorate boilerplate lines.
fn strip_leading_marks(s: &str) -> &str {
    if s.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric) {
        // The common case: nothing to strip.
        return s;
    }
    s.trim_start_matches(|c: char| "•·*»›>|-–—▶►■□◆●".contains(c) || c.is_whitespace())
}

/// Non-ASCII characters that have no lowercase form other than themselves: Latin-1
/// punctuation and signs, general punctuation (quotes, dashes, spaces) and currency
/// signs, the usual non-ASCII characters of news text.
fn is_caseless_punctuation(c: char) -> bool {
    matches!(c, '\u{A0}'..='\u{BF}' | '\u{2000}'..='\u{206F}' | '\u{20A0}'..='\u{20CF}')
}

/// Whether `s` holds only ASCII and caseless punctuation: then its lower case is its
/// ASCII lower case.
fn lowercases_as_ascii(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Eight ASCII bytes a step; other characters decoded one by one.
        if let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
            if u64::from_ne_bytes(*chunk) & 0x8080_8080_8080_8080 == 0 {
                i += 8;
                continue;
            }
        }
        match bytes.get(i) {
            Some(b) if b.is_ascii() => i += 1,
            _ => match s.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) if is_caseless_punctuation(c) => i += c.len_utf8(),
                _ => return false,
            },
        }
    }
    true
}

/// `s.to_lowercase()`, faster when `s` holds only ASCII and caseless punctuation (then
/// only ASCII letters change).
fn lowercase(s: &str) -> String {
    if lowercases_as_ascii(s) {
        let mut lower = s.to_string();
        lower.make_ascii_lowercase();
        lower
    } else {
        s.to_lowercase()
    }
}

/// The comparison key: lower case, leading marks and trailing punctuation removed.
fn key(s: &str) -> String {
    key_of_lower(&lowercase(s)).to_string()
}

/// [`key`] of text that is already lower case.
fn key_of_lower(lower: &str) -> &str {
    strip_leading_marks(lower).trim_end_matches(|c: char| " .:!|»›>-–—…".contains(c))
}

fn word_count(s: &str) -> usize {
    words_up_to(s, usize::MAX)
}

/// `s.split_whitespace().take(limit).count()`, byte by byte: an ASCII byte is looked up
/// in a table, only other characters are decoded.
fn words_up_to(s: &str, limit: usize) -> usize {
    let bytes = s.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut i = 0;
    while count < limit {
        let Some(&b) = bytes.get(i) else {
            break;
        };
        let (space, len) = if b.is_ascii() {
            // `char::is_whitespace` for ASCII: the ASCII whitespace and the vertical tab.
            (b.is_ascii_whitespace() || b == 0x0B, 1)
        } else {
            match s.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => break,
            }
        };
        count += usize::from(!space && !in_word);
        in_word = !space;
        i += len;
    }
    count
}

fn starts_with_any(lead: &str, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| lead.starts_with(p.as_str()))
}

/// Longest paragraph (in bytes) that can equal an exact rule; longer ones are not looked at.
const MAX_EXACT_BYTES: usize = 120;

/// A paragraph that is boilerplate wherever it stands.
fn is_anywhere_boilerplate(p: &str) -> bool {
    let r = rules();
    // Quick rejection: both tests need the paragraph, past its leading marks, to start
    // like some rule (a paragraph cut short by the head can only match a one-byte rule,
    // which `RuleStarts` does not reject). Leading marks are caseless and an ASCII
    // character lowercases to one ASCII character, so the first bytes of the lower-cased
    // lead are known.
    if let Some(starts) = &r.anywhere_starts {
        if starts.rejects(strip_leading_marks(p).as_bytes()) {
            return false;
        }
    }
    with_lower_head(p, |head| {
        let lead = strip_leading_marks(head);
        // A paragraph that fits in the head has the head's key.
        (p.len() <= MAX_EXACT_BYTES && r.anywhere.contains(key_of_lower(head)))
            || (starts_with_any(lead, &r.anywhere_prefix)
                && word_count(p) <= MAX_ANYWHERE_PREFIX_WORDS)
    })
}

/// Runs `f` on the lower-cased start of `p` (its first [`MAX_EXACT_BYTES`], enough to test
/// every prefix rule), lower-cased in a buffer kept per thread when the head holds only
/// ASCII and caseless punctuation (the usual case), else in a new string.
fn with_lower_head<R>(p: &str, f: impl FnOnce(&str) -> R) -> R {
    thread_local! {
        static HEAD: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    let head = p
        .get(..floor_char_boundary(p, MAX_EXACT_BYTES))
        .unwrap_or("");
    if !lowercases_as_ascii(head) {
        return f(&head.to_lowercase());
    }
    HEAD.with(|cell| match cell.try_borrow_mut() {
        Ok(mut lower) => {
            lower.clear();
            lower.push_str(head);
            lower.make_ascii_lowercase();
            f(&lower)
        }
        Err(_) => f(&lowercase(head)),
    })
}

/// The largest char boundary of `s` at or below `at`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut end = s.len().min(at);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// Whether the line ends like a sentence.
fn has_sentence_end(p: &str) -> bool {
    p.trim_end()
        .ends_with(['.', '!', '?', '"', '”', '’', '»', ')'])
}

/// Holds an e-mail address (`name@host.tld`).
fn has_email(p: &str) -> bool {
    // Every address holds an at sign.
    if memchr::memchr(b'@', p.as_bytes()).is_none() {
        return false;
    }
    p.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        match w.split_once('@') {
            Some((user, host)) => !user.is_empty() && host.contains('.') && !host.ends_with('.'),
            None => false,
        }
    })
}

/// Whether some `contains` rule occurs in `lower` (a byte substring search: on UTF-8
/// text the same answer as `str::contains`).
fn contains_rule(r: &Rules, lower: &str) -> bool {
    match &r.contains_automaton {
        Some(automaton) => automaton.is_match(lower.as_bytes()),
        None => r
            .contains_finders
            .iter()
            .any(|f| f.find(lower.as_bytes()).is_some()),
    }
}

/// A paragraph that is boilerplate when it ends a document.
fn is_trailing_boilerplate(p: &str) -> bool {
    let r = rules();
    let lower = lowercase(p);
    let lead = strip_leading_marks(&lower);
    // Every test below compares the word count with at most MAX_PREFIX_WORDS: counting
    // one more than that is enough.
    let words = words_up_to(p, MAX_PREFIX_WORDS + 1);
    let key = key_of_lower(&lower);
    if (key.len() <= r.exact_max_len && r.exact.contains(key)) || is_anywhere_boilerplate(p) {
        return true;
    }
    if words <= MAX_PREFIX_WORDS && r.prefix_index.any_prefix_of(lead) {
        return true;
    }
    // Byte substring search: on UTF-8 text the same answer as `str::contains`.
    if words <= MAX_CONTAINS_WORDS && contains_rule(r, &lower) {
        return true;
    }
    if looks_like_byline(p) {
        return true;
    }
    // A dangling lead-in whose list, video or links were not kept.
    if words <= 12 && p.trim_end().ends_with(':') {
        return true;
    }
    // Author contact lines.
    if words <= 30 && has_email(p) {
        return true;
    }
    // Decoration only: "***", "—", "# # #".
    if !p.chars().any(char::is_alphanumeric) {
        return true;
    }
    // General rule: a short line with no sentence punctuation, made of boilerplate words.
    if words <= MAX_GENERAL_WORDS && !has_sentence_end(p) {
        let boiler = lower
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| r.words.contains(*w))
            .count();
        if boiler > 0 && (words <= 4 || boiler * 3 >= words) {
            return true;
        }
    }
    false
}

/// Drops paragraphs that are boilerplate wherever they stand, unless all of them are.
pub fn remove_anywhere<P: AsRef<str>>(paragraphs: &mut Vec<P>) {
    let boilerplate: Vec<bool> = paragraphs
        .iter()
        .map(|p| is_anywhere_boilerplate(p.as_ref()))
        .collect();
    if boilerplate.iter().all(|&b| !b) || boilerplate.iter().all(|&b| b) {
        return;
    }
    // `retain` visits the paragraphs in order, exactly once each.
    let mut flags = boilerplate.into_iter();
    paragraphs.retain(|_| !flags.next().unwrap_or(false));
}

/// Trims trailing boilerplate paragraphs, keeping at least one paragraph.
pub fn trim_trailing<P: AsRef<str>>(paragraphs: &mut Vec<P>) {
    let mut keep = paragraphs.len();
    while keep > 1 && is_trailing_boilerplate(paragraphs[keep - 1].as_ref()) {
        keep -= 1;
    }
    paragraphs.truncate(keep);
}

/// Both: boilerplate anywhere, then trailing boilerplate.
#[cfg(test)]
pub fn clean(paragraphs: &mut Vec<String>) {
    remove_anywhere(paragraphs);
    trim_trailing(paragraphs);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn contains_automaton_agrees_with_the_searchers(
            text in "([a-z ]{0,6}|all rights reserved|cookie|policy|terms of (use|service)|privacy|may not be)*"
        ) {
            let r = rules();
            let by_searchers = r
                .contains_finders
                .iter()
                .any(|f| f.find(text.as_bytes()).is_some());
            prop_assert!(r.contains_automaton.is_some());
            prop_assert_eq!(contains_rule(r, &text), by_searchers);
        }

        #[test]
        fn fast_lowercase_matches_the_standard_one(text in "[A-Za-z0-9 .,ΣσİK\u{A0}-\u{BF}\u{2000}-\u{206F}\u{20AC}\u{212A}]{0,30}") {
            prop_assert_eq!(lowercase(&text), text.to_lowercase());
        }

        #[test]
        fn caseless_texts_are_told_apart(text in "[ -~A-Z\u{80}-\u{FF}\u{2000}-\u{206F}ÀÉΣİ]{0,40}") {
            let caseless = text.chars().all(|c| c.is_ascii() || is_caseless_punctuation(c));
            prop_assert_eq!(lowercases_as_ascii(&text), caseless);
        }

        #[test]
        fn anywhere_rules_match_the_plain_definition(text in "[•*\\- ]{0,3}(Story|story|STORY|Read|READ|Advertisement|Open|Sponsored|Σ|Tale|“|Also read:|Watch|W|S|St|Sk|Skip advertisement|Related:|Click here to|See also:|A|a|Ω|)[ a-zA-Z:.…]{0,30}( [a-z]{1,9}){0,40}") {
            let r = rules();
            let head = p_lower_head(&text);
            prop_assert_eq!(with_lower_head(&text, str::to_string), head.clone());
            let lead = strip_leading_marks(&head);
            let plain = (text.len() <= MAX_EXACT_BYTES && r.anywhere.contains(&key(&text)))
                || (starts_with_any(lead, &r.anywhere_prefix) && text.split_whitespace().count() <= MAX_ANYWHERE_PREFIX_WORDS);
            prop_assert_eq!(is_anywhere_boilerplate(&text), plain);
        }

        #[test]
        fn counted_words_match_split_whitespace(text in "[a-z .\t\n\u{B}\u{C}\u{1C}\u{85}\u{A0}\u{2003}\u{2028}\u{3000}é“]{0,40}", limit in 0usize..12) {
            prop_assert_eq!(words_up_to(&text, limit), text.split_whitespace().take(limit).count());
            prop_assert_eq!(word_count(&text), text.split_whitespace().count());
        }
    }

    #[test]
    fn indexed_prefix_rules_answer_like_the_plain_scan() {
        let r = rules();
        let mut texts: Vec<String> = r.prefix.iter().map(|p| format!("{p} and more")).collect();
        texts.extend(
            r.prefix
                .iter()
                .map(|p| p.chars().skip(1).collect::<String>()),
        );
        texts.extend(["", "z", "é", "share", "x y z"].map(String::from));
        for text in &texts {
            assert_eq!(
                r.prefix_index.any_prefix_of(text),
                starts_with_any(text, &r.prefix),
                "{text:?}"
            );
        }
        let index = PrefixIndex::new(vec!["ab".into(), String::new()]);
        assert!(index.any_prefix_of("zz"));
        let index = PrefixIndex::new(vec!["ab".into(), "aa".into(), "é".into(), "b".into()]);
        assert!(
            index.any_prefix_of("aab") && index.any_prefix_of("éa") && index.any_prefix_of("b")
        );
        assert!(
            !index.any_prefix_of("ac") && !index.any_prefix_of("") && !index.any_prefix_of("c")
        );
    }

    proptest! {
        #[test]
        fn prefix_index_matches_a_scan(rules in proptest::collection::vec("[abé]{0,3}", 0..6), text in "[abé]{0,5}") {
            let index = PrefixIndex::new(rules.clone());
            prop_assert_eq!(index.any_prefix_of(&text), starts_with_any(&text, &rules));
        }
    }

    /// The head as the rule was first written: `to_lowercase` of the first 120 bytes.
    fn p_lower_head(p: &str) -> String {
        let mut end = p.len().min(MAX_EXACT_BYTES);
        while !p.is_char_boundary(end) {
            end -= 1;
        }
        p[..end].to_lowercase()
    }

    fn cleaned(ps: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = ps.iter().map(|s| s.to_string()).collect();
        clean(&mut v);
        v
    }

    #[test]
    fn trailing_site_lines_are_trimmed() {
        let body = "The committee approved the measure after a long debate.";
        for tail in [
            "Back to top button",
            "Share this",
            "Related Articles",
            "Read more",
            "Follow us on Twitter and Facebook",
            "© 2024 Example Media. All rights reserved.",
            "Copyright 2024 Example Media",
            "We use cookies to improve your experience. By continuing you agree.",
            "Subscribe to our newsletter",
            "By Jane Doe",
            "Reporting by Jane Doe; Editing by John Roe",
            "Read more about:",
            "• Email: someone@example.com | Twitter: someone",
            "***",
        ] {
            assert_eq!(cleaned(&[body, tail]), vec![body], "tail {tail:?}");
        }
    }

    #[test]
    fn several_trailing_lines_go_and_content_stays() {
        assert_eq!(
            cleaned(&[
                "First paragraph of the story.",
                "The last words were cut off mid sente",
                "Share this",
                "Back to top button",
            ]),
            vec![
                "First paragraph of the story.",
                "The last words were cut off mid sente"
            ]
        );
    }

    #[test]
    fn real_endings_are_kept() {
        for tail in [
            "The talks will resume next week.",
            "He said the share of voters who follow the race is rising.",
            "Officials gave no timeline",
            "The group defends human rights in the region",
            "More from the minister's statement is expected on Friday.",
            "Copyright holders will have until March to respond.",
        ] {
            assert_eq!(cleaned(&["Opening line.", tail]).len(), 2, "tail {tail:?}");
        }
    }

    #[test]
    fn boilerplate_anywhere_is_dropped_but_never_everything() {
        assert_eq!(
            cleaned(&[
                "First part.",
                "Story continues below advertisement",
                "READ MORE: Another headline elsewhere",
                "Second part."
            ]),
            vec!["First part.", "Second part."]
        );
        assert_eq!(cleaned(&["Advertisement"]), vec!["Advertisement"]);
    }

    #[test]
    fn trailing_boilerplate_only_at_the_end() {
        // "Share this" in the middle is not an anywhere rule: it stays.
        assert_eq!(cleaned(&["One.", "Share this", "Two."]).len(), 3);
    }
}

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
        r
    })
}

/// Leading bullets and arrows that decorate boilerplate lines.
fn strip_leading_marks(s: &str) -> &str {
    s.trim_start_matches(|c: char| "•·*»›>|-–—▶►■□◆●".contains(c) || c.is_whitespace())
}

/// The comparison key: lower case, leading marks and trailing punctuation removed.
fn key(s: &str) -> String {
    strip_leading_marks(&s.to_lowercase())
        .trim_end_matches(|c: char| " .:!|»›>-–—…".contains(c))
        .to_string()
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn starts_with_any(lead: &str, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| lead.starts_with(p.as_str()))
}

/// Longest paragraph (in bytes) that can equal an exact rule; longer ones are not looked at.
const MAX_EXACT_BYTES: usize = 120;

/// The lower-cased start of a paragraph, enough to test every prefix rule.
fn lower_head(p: &str) -> String {
    let mut end = p.len().min(MAX_EXACT_BYTES);
    while !p.is_char_boundary(end) {
        end -= 1;
    }
    p[..end].to_lowercase()
}

/// A paragraph that is boilerplate wherever it stands.
fn is_anywhere_boilerplate(p: &str) -> bool {
    let r = rules();
    let head = lower_head(p);
    let lead = strip_leading_marks(&head);
    (p.len() <= MAX_EXACT_BYTES && r.anywhere.contains(&key(p)))
        || (starts_with_any(lead, &r.anywhere_prefix) && word_count(p) <= MAX_ANYWHERE_PREFIX_WORDS)
}

/// Whether the line ends like a sentence.
fn has_sentence_end(p: &str) -> bool {
    p.trim_end()
        .ends_with(['.', '!', '?', '"', '”', '’', '»', ')'])
}

/// Holds an e-mail address (`name@host.tld`).
fn has_email(p: &str) -> bool {
    p.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        match w.split_once('@') {
            Some((user, host)) => !user.is_empty() && host.contains('.') && !host.ends_with('.'),
            None => false,
        }
    })
}

/// A paragraph that is boilerplate when it ends a document.
fn is_trailing_boilerplate(p: &str) -> bool {
    let r = rules();
    let lower = p.to_lowercase();
    let lead = strip_leading_marks(&lower);
    let words = word_count(p);
    if r.exact.contains(&key(p)) || is_anywhere_boilerplate(p) {
        return true;
    }
    if words <= MAX_PREFIX_WORDS && starts_with_any(lead, &r.prefix) {
        return true;
    }
    if words <= MAX_CONTAINS_WORDS && r.contains.iter().any(|c| lower.contains(c.as_str())) {
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
pub fn remove_anywhere(paragraphs: &mut Vec<String>) {
    if paragraphs.iter().any(|p| !is_anywhere_boilerplate(p)) {
        paragraphs.retain(|p| !is_anywhere_boilerplate(p));
    }
}

/// Trims trailing boilerplate paragraphs, keeping at least one paragraph.
pub fn trim_trailing(paragraphs: &mut Vec<String>) {
    let mut keep = paragraphs.len();
    while keep > 1 && is_trailing_boilerplate(&paragraphs[keep - 1]) {
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

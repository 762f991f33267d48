//! Headline and byline recognition for plain-text input: is the first line of a file a
//! headline (short, title-like, no final full stop), or a byline / credit line that
//! must not be taken for one?

use std::sync::OnceLock;

const BYLINE_DATA: &str = include_str!("../../../data/ingest/bylines.txt");

/// The longest headline accepted, in characters and in words.
const MAX_HEADLINE_CHARS: usize = 200;
const MAX_HEADLINE_WORDS: usize = 25;

/// Words and phrases that mark a credit after a comma ("Jane Doe, The Associated Press").
fn byline_markers() -> &'static [Vec<String>] {
    static MARKERS: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    MARKERS.get_or_init(|| {
        BYLINE_DATA
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split_whitespace().map(str::to_lowercase).collect())
            .collect()
    })
}

/// Lower-cased words of a line, punctuation stripped from their ends.
fn words_lower(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.')
                .trim_end_matches('.')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// A byline or credit line: "By Jane Doe", "By JANE DOE and John Roe, Reuters",
/// "Jane Doe, The Associated Press", "John Roe, staff reporter".
pub fn looks_like_byline(line: &str) -> bool {
    // More than 14 words is never a byline: collecting 15 is enough to tell.
    // A sentence is no byline (tested before the words are collected).
    if line.ends_with(['.', '!', '?']) {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().take(15).collect();
    if words.is_empty() || words.len() > 14 {
        return false;
    }
    if words[0].eq_ignore_ascii_case("by") && words.len() >= 2 && words.len() <= 10 {
        return words[1..]
            .iter()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .all(|w| starts_upper(w) || matches!(*w, "and" | "&" | "de" | "van" | "von" | "al"));
    }
    let Some((name, credit)) = line.split_once(',') else {
        return false;
    };
    let name_words: Vec<&str> = name.split_whitespace().collect();
    if !(2..=4).contains(&name_words.len()) || !name_words.iter().all(|w| starts_upper(w)) {
        return false;
    }
    let credit_words = words_lower(credit);
    if credit_words.is_empty() || credit_words.len() > 6 {
        return false;
    }
    byline_markers().iter().any(|marker| {
        !marker.is_empty()
            && credit_words
                .windows(marker.len())
                .any(|window| window == marker.as_slice())
    })
}

/// A photo caption ending with a credit in parentheses: "... (Jane Doe/Agency)".
fn looks_like_caption(line: &str) -> bool {
    if !line.ends_with(')') {
        return false;
    }
    match line.rfind('(') {
        Some(open) => line.get(open..).is_some_and(|credit| credit.contains('/')),
        None => false,
    }
}

/// Whether a line reads as a headline: 2 to 25 words and at most 200 characters, with
/// a letter, starting with no lowercase letter, not ending like a sentence (full stop)
/// or a lead-in (comma, colon, semicolon), and not a byline or photo caption.
pub fn looks_like_headline(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > MAX_HEADLINE_CHARS {
        return false;
    }
    let word_count = line.split_whitespace().count();
    if !(2..=MAX_HEADLINE_WORDS).contains(&word_count) {
        return false;
    }
    if !line.chars().any(char::is_alphabetic) {
        return false;
    }
    if line
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_lowercase)
    {
        return false;
    }
    // A full stop inside closing quotes or brackets still ends a sentence.
    let end = line.trim_end_matches(['"', '”', '’', '\'', ')', ']', '»']);
    if end.ends_with(['.', ',', ';', ':', '-', '–', '—']) && !end.ends_with("...") {
        return false;
    }
    !looks_like_byline(line) && !looks_like_caption(line)
}

/// Words that cannot end a headline but often end a wrapped line of running text.
const CONTINUATION_WORDS: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "and", "or", "for", "with", "on", "at", "by", "from", "as",
    "that", "is", "was", "his", "her", "their", "its",
];

/// When the first line is directly followed by another line (no blank line between), it
/// is only a headline if the next line starts anew and the first does not stop mid-phrase.
pub fn headline_before_line(first: &str, next: &str) -> bool {
    let next_starts_anew = next
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'«(".contains(c));
    let last_word = first.rsplit(' ').next().unwrap_or("").to_lowercase();
    next_starts_anew && !CONTINUATION_WORDS.contains(&last_word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_are_recognised() {
        assert!(looks_like_headline(
            "Council Rejects Plan to Close Harbour Bridge"
        ));
        assert!(looks_like_headline("Will the harbour bridge close?"));
        assert!(looks_like_headline(
            "Minister: talks with unions to resume in spring"
        ));
        assert!(looks_like_headline("Talks stall...")); // ellipsis is not a full stop
    }

    #[test]
    fn sentences_and_fragments_are_not_headlines() {
        assert!(!looks_like_headline(
            "The council rejected the plan on Monday."
        ));
        assert!(!looks_like_headline("Breaking"));
        assert!(!looks_like_headline("continued from the previous page"));
        assert!(!looks_like_headline("The following points were raised:"));
        assert!(!looks_like_headline("The mayor finally said “no more.”"));
        assert!(looks_like_headline("Mayor: “No more”"));
        let long = "word ".repeat(30);
        assert!(!looks_like_headline(&long));
        assert!(!looks_like_headline("12345 67890"));
    }

    #[test]
    fn bylines_and_captions_are_not_headlines() {
        assert!(looks_like_byline("By Jane Doe"));
        assert!(looks_like_byline("By JANE DOE and John Roe"));
        assert!(looks_like_byline("Jane Doe, The Associated Press"));
        assert!(looks_like_byline("Jane Q. Doe, staff reporter"));
        assert!(!looks_like_byline(
            "By the end of the week the talks had stalled"
        ));
        assert!(!looks_like_byline("Paris, Berlin Agree on Budget Rules"));
        assert!(!looks_like_headline("Jane Doe, The Associated Press"));
        assert!(!looks_like_headline(
            "A firefighter walks past the damaged hall (Jane Doe/Example Agency)"
        ));
    }

    #[test]
    fn wrapped_first_lines_are_not_headlines() {
        assert!(!headline_before_line(
            "The mayor said on Tuesday that the",
            "city would review its budget."
        ));
        assert!(headline_before_line(
            "Mayor Promises Budget Review",
            "The mayor said on Tuesday that the city would review its budget."
        ));
    }
}

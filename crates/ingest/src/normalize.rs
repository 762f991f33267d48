//! Text normalisation shared by every input format: line breaks to LF, invisible and
//! bidi-control characters removed, other controls and exotic spaces to a plain space,
//! NFC, runs of spaces folded, lines trimmed; and the grouping of lines into paragraphs.
//!
//! Everything here is linear in the input and never panics.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Characters removed outright: zero-width characters, the BOM / word joiner, bidi
/// embedding/override/isolate controls and marks, the soft hyphen, invisible operators.
pub fn is_removed_char(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{FEFF}'
            | '\u{2060}'..='\u{2064}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{206A}'..='\u{206F}'
            | '\u{061C}'
            | '\u{00AD}'
            | '\u{180E}'
    )
}

/// Characters that become a plain space: tab, no-break and typographic spaces.
fn is_space_like(c: char) -> bool {
    matches!(
        c,
        '\t' | ' ' | '\u{000B}' | '\u{000C}' | '\u{00A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Characters that end a line.
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\u{0085}' | '\u{2028}' | '\u{2029}')
}

/// Maps characters (line breaks to `\n`, spaces and controls to ` `, invisible
/// characters dropped), then applies NFC.
fn map_and_compose(input: &str, keep_newlines: bool) -> String {
    let mut mapped = String::with_capacity(input.len());
    let bytes = input.as_bytes();
    let plain = |b: u8| (0x20..0x7F).contains(&b) || (keep_newlines && b == b'\n');
    let mut i = 0;
    while i < bytes.len() {
        // Copy a run of printable ASCII in one go.
        let start = i;
        while i < bytes.len() && plain(bytes[i]) {
            i += 1;
        }
        if let Some(run) = input.get(start..i) {
            mapped.push_str(run);
        }
        let Some(c) = input.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if c == '\r' {
            if bytes.get(i) == Some(&b'\n') {
                i += 1;
            }
            mapped.push(if keep_newlines { '\n' } else { ' ' });
        } else if is_line_break(c) {
            mapped.push(if keep_newlines { '\n' } else { ' ' });
        } else if is_removed_char(c) {
            // dropped
        } else if is_space_like(c) || c.is_control() {
            mapped.push(' ');
        } else {
            mapped.push(c);
        }
    }
    if is_nfc_quick(mapped.chars()) == IsNormalized::Yes {
        mapped
    } else {
        mapped.nfc().collect()
    }
}

/// Appends `line` to `out` with runs of spaces folded to one and ends trimmed.
fn push_folded(out: &mut String, line: &str) {
    let mut first = true;
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        if !first {
            out.push(' ');
        }
        out.push_str(word);
        first = false;
    }
}

/// Normalises a block of text keeping its line structure: lines are trimmed and folded,
/// runs of blank lines become a single empty line, leading and trailing blank lines go.
pub fn normalize_block(input: &str) -> String {
    let mapped = map_and_compose(input, true);
    let mut out = String::with_capacity(mapped.len());
    let mut pending_blank = false;
    for line in mapped.split('\n') {
        let start = out.len();
        if !out.is_empty() {
            out.push('\n');
            if pending_blank {
                out.push('\n');
            }
        }
        let content_start = out.len();
        push_folded(&mut out, line);
        if out.len() == content_start {
            // blank line: undo the separator, remember the break
            out.truncate(start);
            if !out.is_empty() {
                pending_blank = true;
            }
        } else {
            pending_blank = false;
        }
    }
    out
}

/// Normalises text into a single line: every line break becomes a space.
pub fn normalize_inline(input: &str) -> String {
    let mapped = map_and_compose(input, false);
    let mut out = String::with_capacity(mapped.len());
    push_folded(&mut out, &mapped);
    out
}

/// Joins the lines of one paragraph: a single line break becomes a space, except after a
/// hyphen followed by a lowercase letter (a word broken by wrapping keeps its hyphen).
fn join_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        if !out.is_empty() {
            let hyphenated = out.ends_with('-')
                && !out.ends_with(" -")
                && line.chars().next().is_some_and(char::is_lowercase);
            if !hyphenated {
                out.push(' ');
            }
        }
        out.push_str(line);
    }
    out
}

/// Groups the lines of normalised text (from [`normalize_block`]) into paragraphs.
/// Paragraphs are separated by blank lines and their inner line breaks fold to spaces;
/// when the text has no blank line at all, every line is a paragraph.
pub fn paragraphs(normalised: &str, blank_separated: bool) -> Vec<String> {
    if normalised.is_empty() {
        return Vec::new();
    }
    if !blank_separated {
        return normalised
            .split('\n')
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
    }
    normalised
        .split("\n\n")
        .map(|block| join_lines(block.split('\n').filter(|l| !l.is_empty())))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether normalised text separates paragraphs with blank lines.
pub fn has_blank_lines(normalised: &str) -> bool {
    memchr::memmem::find(normalised.as_bytes(), b"\n\n").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_cr_become_lf() {
        assert_eq!(normalize_block("a\r\nb\rc\n"), "a\nb\nc");
    }

    #[test]
    fn invisible_and_bidi_characters_are_removed() {
        let s = "Zero\u{200B}width\u{200D} and \u{202E}bidi\u{202C} \u{2066}iso\u{2069}\u{FEFF}";
        assert_eq!(normalize_inline(s), "Zerowidth and bidi iso");
    }

    #[test]
    fn controls_and_odd_spaces_become_single_spaces() {
        assert_eq!(
            normalize_inline("a\u{0001}b\u{00A0}\u{00A0}c\t\td\u{3000}e"),
            "a b c d e"
        );
    }

    #[test]
    fn nfc_is_applied_even_after_removing_a_joiner() {
        // e + ZWJ + combining acute: once the joiner goes, the pair composes to é.
        assert_eq!(normalize_inline("e\u{200D}\u{0301}"), "\u{e9}");
    }

    #[test]
    fn blank_line_runs_collapse_and_lines_are_trimmed() {
        assert_eq!(
            normalize_block("\n\n  one   two \n\n\n\n three\n \n"),
            "one two\n\nthree"
        );
    }

    #[test]
    fn paragraphs_fold_wrapped_lines() {
        let norm = normalize_block("First line\nwraps here.\n\nSecond well-\nknown one.");
        assert_eq!(
            paragraphs(&norm, true),
            vec!["First line wraps here.", "Second well-known one."]
        );
    }

    #[test]
    fn without_blank_lines_every_line_is_a_paragraph() {
        let norm = normalize_block("One.\nTwo.\nThree.");
        assert!(!has_blank_lines(&norm));
        assert_eq!(paragraphs(&norm, false), vec!["One.", "Two.", "Three."]);
    }
}

//! Text normalisation shared by every input format: line breaks to LF, invisible and
//! bidi-control characters removed, other controls and exotic spaces to a plain space,
//! NFC, runs of spaces folded, lines trimmed; and the grouping of lines into paragraphs.
//!
//! Everything here is linear in the input and never panics.

use std::sync::OnceLock;
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

/// Whether byte `b` is copied unchanged by [`map_and_compose`]: printable ASCII, and
/// the line feed when line breaks are kept.
#[inline]
fn is_plain_byte(b: u8, keep_newlines: bool) -> bool {
    (0x20..0x7F).contains(&b) || (keep_newlines && b == b'\n')
}

/// Each byte of a `u64` set to `b`.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// Whether all eight bytes of `word` are printable ASCII (0x20..=0x7E): no byte has its
/// high bit set, none is below 0x20 and none is 0x7F (the usual SWAR byte tests, exact
/// for "any byte" questions).
#[inline]
fn all_printable_ascii(word: u64) -> bool {
    const HIGH: u64 = splat(0x80);
    let below_space = word.wrapping_sub(splat(0x20)) & !word & HIGH;
    let del = word ^ splat(0x7F);
    let is_del = del.wrapping_sub(splat(0x01)) & !del & HIGH;
    (word & HIGH) | below_space | is_del == 0
}

/// Whether the two bytes after an 0xE2 lead byte make one of U+2010..=U+2027 (dashes,
/// curly quotes, bullets, the ellipsis): characters that are kept as they are, and that
/// the NFC quick check passes like ASCII (starters, allowed in NFC).
#[inline]
fn is_plain_punctuation(rest: Option<&[u8]>) -> bool {
    matches!(rest, Some([0x80, 0x90..=0xA7]))
}

/// How many bytes the block tests below look at in one step.
const BLOCK: usize = 32;

/// The block of [`BLOCK`] bytes at `at`, if the slice holds that many there.
#[inline]
fn block_at(bytes: &[u8], at: usize) -> Option<&[u8; BLOCK]> {
    bytes
        .get(at..at.checked_add(BLOCK)?)
        .and_then(|b| <&[u8; BLOCK]>::try_from(b).ok())
}

/// Whether every byte of `block` is [`is_plain_byte`] as ASCII: printable, or a line
/// feed when line breaks are kept. A fold without an early exit over a fixed-size
/// block, which the compiler turns into a few vector compares.
#[inline]
fn block_is_plain(block: &[u8; BLOCK], keep_newlines: bool) -> bool {
    // A space is plain anyway: it stands for the line feed when line feeds are not.
    let line_feed = if keep_newlines { b'\n' } else { b' ' };
    block.iter().fold(true, |all, &b| {
        all & ((b.wrapping_sub(0x20) < 0x5F) | (b == line_feed))
    })
}

/// The length of the leading run of bytes that [`map_and_compose`] copies unchanged:
/// printable ASCII, line feeds when they are kept, and U+2010..=U+2027.
fn plain_run_len(bytes: &[u8], keep_newlines: bool) -> usize {
    let mut i = 0;
    loop {
        // Whole blocks first (line feeds included), then eight bytes a step.
        while let Some(block) = block_at(bytes, i) {
            if !block_is_plain(block, keep_newlines) {
                break;
            }
            i += BLOCK;
        }
        // Eight printable bytes a step, then the next eight (or the tail) one by one:
        // they may hold a line feed that is plain too.
        while let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if !all_printable_ascii(u64::from_ne_bytes(word)) {
                break;
            }
            i += 8;
        }
        let stop = bytes.len().min(i + 8);
        while i < stop {
            match bytes.get(i) {
                Some(&b) if is_plain_byte(b, keep_newlines) => i += 1,
                Some(0xE2) if is_plain_punctuation(bytes.get(i + 1..i + 3)) => i += 3,
                _ => return i,
            }
        }
        if i >= bytes.len() {
            return i;
        }
    }
}

/// Maps characters (line breaks to `\n`, spaces and controls to ` `, invisible
/// characters dropped), then applies NFC.
fn map_and_compose(input: &str, keep_newlines: bool) -> String {
    let mut mapped = String::with_capacity(input.len());
    let bytes = input.as_bytes();
    let mut i = 0;
    // Whether a non-ASCII character was kept: pure ASCII is NFC already.
    let mut kept_non_ascii = false;
    while i < bytes.len() {
        // Copy a run of printable ASCII in one go.
        let start = i;
        i += plain_run_len(bytes.get(i..).unwrap_or(&[]), keep_newlines);
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
            kept_non_ascii |= !c.is_ascii();
            mapped.push(c);
        }
    }
    // The punctuation copied in runs by `plain_run_len` passes the quick check like
    // ASCII, so it needs no check of its own.
    if !kept_non_ascii || is_nfc_by_runs(&mapped) {
        mapped
    } else {
        mapped.nfc().collect()
    }
}

/// `is_nfc_quick(s) == Yes`, checked only over the runs of non-ASCII characters: the
/// quick check treats every ASCII character as a starter that resets its state, so each
/// run can be checked on its own with the same answer.
fn is_nfc_by_runs(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut pos = 0;
    while let Some(offset) = bytes.get(pos..).and_then(first_non_ascii) {
        let start = pos + offset;
        let end = bytes
            .get(start..)
            .and_then(|rest| rest.iter().position(u8::is_ascii))
            .map_or(bytes.len(), |n| start + n);
        match s.get(start..end) {
            Some(run) if is_nfc_quick(run.chars()) == IsNormalized::Yes => {}
            Some(_) => return false,
            None => return is_nfc_quick(s.chars()) == IsNormalized::Yes,
        }
        pos = end;
    }
    true
}

/// The index of the first non-ASCII byte, looking at a block, then eight bytes, a step.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(block) = block_at(bytes, i) {
        if block.iter().fold(0, |any, &b| any | b) & 0x80 != 0 {
            break;
        }
        i += BLOCK;
    }
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if u64::from_ne_bytes(word) & splat(0x80) != 0 {
            break;
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|b| !b.is_ascii())
        .map(|n| i + n)
}

/// Whether two spaces stand next to each other in `bytes` (a vectorised substring
/// search with a searcher built once).
fn has_double_space(bytes: &[u8]) -> bool {
    static DOUBLE_SPACE: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    DOUBLE_SPACE
        .get_or_init(|| memchr::memmem::Finder::new(b"  "))
        .find(bytes)
        .is_some()
}

/// Whether `normalize_block` would give mapped text back unchanged: no space or line
/// feed at either end, no two spaces in a row, no space next to a line feed and no
/// three line feeds in a row. Then every line is non-empty, trimmed and folded, and
/// lines are separated by one line feed or one empty line, as in the output.
fn is_folded_block(mapped: &str) -> bool {
    let bytes = mapped.as_bytes();
    let at_ends = |b: Option<&u8>| matches!(b, Some(b' ' | b'\n'));
    if at_ends(bytes.first()) || at_ends(bytes.last()) {
        return false;
    }
    if has_double_space(bytes) {
        return false;
    }
    // Line feeds are rare: look around each one.
    for at in memchr::memchr_iter(b'\n', bytes) {
        let before = at.checked_sub(1).and_then(|i| bytes.get(i));
        let after = bytes.get(at + 1);
        if before == Some(&b' ') || after == Some(&b' ') {
            return false;
        }
        if after == Some(&b'\n') && bytes.get(at + 2) == Some(&b'\n') {
            return false;
        }
    }
    true
}

/// `text.split('\n')`, searching with the `memchr` crate.
pub(crate) fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match memchr::memchr(b'\n', current.as_bytes()) {
            Some(at) => {
                rest = current.get(at + 1..);
                current.get(..at)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// Appends `line` to `out` with runs of spaces folded to one and ends trimmed.
fn push_folded(out: &mut String, line: &str) {
    let line = line.trim_matches(' ');
    if !has_double_space(line.as_bytes()) {
        // Nothing to fold: the common case.
        out.push_str(line);
        return;
    }
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
    if is_folded_block(&mapped) {
        // Already in the output form (the common case for clean JSON bodies).
        return mapped;
    }
    let mut out = String::with_capacity(mapped.len());
    // Whether a blank line came after the last line that was kept.
    let mut blank_seen = false;
    for line in split_lines(&mapped) {
        let line = line.trim_matches(' ');
        if line.is_empty() {
            if !out.is_empty() {
                blank_seen = true;
            }
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank_seen {
                out.push('\n');
            }
        }
        blank_seen = false;
        push_folded(&mut out, line);
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

/// [`normalize_inline`] of an owned text: the text itself, without a copy, when it is
/// already in the output form (the usual title): printable ASCII and the punctuation
/// U+2010..=U+2027 only (what the mapping keeps as it is, NFC already), no space at
/// either end and no two spaces in a row (nothing to trim or fold).
pub fn normalize_inline_owned(input: String) -> String {
    let bytes = input.as_bytes();
    let normal = plain_run_len(bytes, false) == bytes.len()
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !has_double_space(bytes);
    if normal {
        input
    } else {
        normalize_inline(&input)
    }
}

/// Appends the next line of a paragraph to `out`: a single line break becomes a space,
/// except after a hyphen followed by a lowercase letter (a word broken by wrapping keeps
/// its hyphen).
fn join_line(out: &mut String, line: &str) {
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
    // An empty line ends a paragraph; so does the end of the text.
    let mut out = Vec::new();
    let mut current = String::new();
    for line in split_lines(normalised) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            join_line(&mut current, line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The paragraphs of `normalised` when each is one line: [`paragraphs`] gives exactly
/// these (in place instead of copied) when the text is not empty, does not start or end
/// with a line feed, and every line feed is one of a pair that separates two lines (no
/// single line break, no run of three). `None` for any other text.
pub fn one_line_paragraphs(normalised: &str) -> Option<Vec<&str>> {
    let bytes = normalised.as_bytes();
    if bytes.is_empty() || bytes.first() == Some(&b'\n') || bytes.last() == Some(&b'\n') {
        return None;
    }
    let mut lines = Vec::with_capacity(16);
    let mut start = 0;
    while let Some(offset) = bytes
        .get(start..)
        .and_then(|rest| memchr::memchr(b'\n', rest))
    {
        let at = start + offset;
        if bytes.get(at + 1) != Some(&b'\n') || bytes.get(at + 2) == Some(&b'\n') {
            return None;
        }
        lines.push(normalised.get(start..at)?);
        start = at + 2;
    }
    lines.push(normalised.get(start..)?);
    Some(lines)
}

/// Whether normalised text separates paragraphs with blank lines.
pub fn has_blank_lines(normalised: &str) -> bool {
    memchr::memmem::find(normalised.as_bytes(), b"\n\n").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_line_paragraphs_are_the_paragraphs() {
        for text in [
            "One.\n\nTwo.\n\nThree.",
            "Only one line.",
            "One.\nTwo.\n\nThree.",
            "One.\n\n\nTwo.",
            "\n\nOne.",
            "One.\n\n",
            "",
            "\n",
            "a\n\nb\nc",
        ] {
            check_one_line_paragraphs(text);
        }
        assert!(one_line_paragraphs("a\nb").is_none());
        assert_eq!(one_line_paragraphs("a\n\nb"), Some(vec!["a", "b"]));
    }

    /// When `one_line_paragraphs` answers, it answers what `paragraphs` gives.
    fn check_one_line_paragraphs(text: &str) {
        if let Some(lines) = one_line_paragraphs(text) {
            let fast: Vec<String> = lines.into_iter().map(str::to_string).collect();
            assert_eq!(fast, paragraphs(text, has_blank_lines(text)), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn owned_inline_normalisation_matches(
            text in "([A-Za-z]{1,6}|[ ,.:'\"]|  |\u{2013}|\u{201C}|\u{201D}|\u{2026}|\u{2028}|é|\u{A0}|\t|\n|\u{200B})*"
        ) {
            prop_assert_eq!(normalize_inline_owned(text.clone()), normalize_inline(&text));
        }

        #[test]
        fn one_line_paragraphs_match_on_any_text(text in "[ab .\n]{0,24}") {
            check_one_line_paragraphs(&text);
            let norm = normalize_block(&text);
            check_one_line_paragraphs(&norm);
        }
    }

    /// The straightforward implementations the fast ones must match exactly.
    mod reference {
        use super::super::{is_line_break, is_removed_char, is_space_like};
        use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

        fn map_and_compose(input: &str, keep_newlines: bool) -> String {
            let mut mapped = String::new();
            let mut chars = input.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '\r' {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    mapped.push(if keep_newlines { '\n' } else { ' ' });
                } else if c == '\n' || is_line_break(c) {
                    mapped.push(if keep_newlines { '\n' } else { ' ' });
                } else if is_removed_char(c) {
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

        fn folded(line: &str) -> String {
            line.split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        }

        pub fn normalize_block(input: &str) -> String {
            let mapped = map_and_compose(input, true);
            let mut out = String::new();
            let mut pending_blank = false;
            for line in mapped.split('\n') {
                let line = folded(line);
                if line.is_empty() {
                    pending_blank |= !out.is_empty();
                    continue;
                }
                if !out.is_empty() {
                    out.push_str(if pending_blank { "\n\n" } else { "\n" });
                }
                pending_blank = false;
                out.push_str(&line);
            }
            out
        }

        pub fn normalize_inline(input: &str) -> String {
            folded(&map_and_compose(input, false))
        }

        pub fn paragraphs(normalised: &str, blank_separated: bool) -> Vec<String> {
            if !blank_separated {
                return normalised
                    .split('\n')
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect();
            }
            normalised
                .split("\n\n")
                .map(|block| {
                    let mut out = String::new();
                    for line in block.split('\n').filter(|l| !l.is_empty()) {
                        let hyphenated = out.ends_with('-')
                            && !out.ends_with(" -")
                            && line.chars().next().is_some_and(char::is_lowercase);
                        if !out.is_empty() && !hyphenated {
                            out.push(' ');
                        }
                        out.push_str(line);
                    }
                    out
                })
                .filter(|p| !p.is_empty())
                .collect()
        }
    }

    /// Text made of the characters normalisation treats specially, plus plain ones.
    fn tricky_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just("Word"),
                Just("x-"),
                Just(" "),
                Just("  "),
                Just("\n"),
                Just("\r"),
                Just("\r\n"),
                Just("\t"),
                Just("\u{0}"),
                Just("\u{7F}"),
                Just("\u{85}"),
                Just("\u{A0}"),
                Just("\u{AD}"),
                Just("\u{200B}"),
                Just("\u{202E}"),
                Just("\u{2028}"),
                Just("\u{3000}"),
                Just("\u{FEFF}"),
                Just("e\u{301}"),
                Just("\u{301}"),
                Just("\u{323}\u{301}"),
                Just("\u{301}\u{323}"),
                Just("é"),
                Just("“"),
                Just("…"),
                Just("Σ"),
                Just("한"),
                Just("\u{1100}\u{1161}"),
                Just("\u{212B}"),
                Just("abcdefghij"),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn fast_normalisation_matches_the_reference(text in tricky_text()) {
            let block = normalize_block(&text);
            prop_assert_eq!(&block, &reference::normalize_block(&text));
            prop_assert_eq!(normalize_inline(&text), reference::normalize_inline(&text));
            for blank in [false, true] {
                prop_assert_eq!(paragraphs(&block, blank), reference::paragraphs(&block, blank));
                prop_assert_eq!(paragraphs(&text, blank), reference::paragraphs(&text, blank));
            }
        }

        #[test]
        fn fast_normalisation_matches_the_reference_on_any_text(text in any::<String>()) {
            prop_assert_eq!(normalize_block(&text), reference::normalize_block(&text));
            prop_assert_eq!(normalize_inline(&text), reference::normalize_inline(&text));
        }
    }

    #[test]
    fn double_spaces_are_found_at_every_position() {
        for len in 0..20 {
            let plain = "x".repeat(len);
            assert!(!has_double_space(plain.as_bytes()));
            for at in 0..len.saturating_sub(1) {
                let mut bytes = plain.clone().into_bytes();
                bytes[at] = b' ';
                assert!(!has_double_space(&bytes), "single space at {at} of {len}");
                bytes[at + 1] = b' ';
                assert!(has_double_space(&bytes), "pair at {at} of {len}");
            }
        }
        assert!(!has_double_space("a b c d e f g h i j".as_bytes()));
    }

    #[test]
    fn first_non_ascii_byte_is_found_at_every_position() {
        for len in 1..80 {
            for at in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[at] = 0xC3;
                assert_eq!(first_non_ascii(&bytes), Some(at));
            }
            assert_eq!(first_non_ascii(&vec![b'a'; len]), None);
        }
    }

    #[test]
    fn printable_runs_stop_at_controls_delete_and_non_ascii() {
        for len in 0..80 {
            for bad in [0x00u8, 0x09, 0x0D, 0x1F, 0x7F, 0x80, 0xE2] {
                for at in 0..len {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = bad;
                    assert_eq!(plain_run_len(&bytes, true), at, "{bad:#x} at {at}");
                }
            }
            let mut with_newline = vec![b'a'; len];
            if len > 0 {
                with_newline[len / 2] = b'\n';
                assert_eq!(plain_run_len(&with_newline, true), len);
                assert_eq!(plain_run_len(&with_newline, false), len / 2);
            }
        }
    }

    #[test]
    fn punctuation_kept_in_runs_is_nfc_and_unchanged() {
        for c in '\u{2010}'..='\u{2027}' {
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(c),
                0,
                "{c:?}"
            );
            assert!(!is_removed_char(c) && !is_space_like(c) && !is_line_break(c));
            assert!(!c.is_control());
            let text = format!("a{c}b");
            assert_eq!(plain_run_len(text.as_bytes(), true), text.len());
        }
        assert_eq!(plain_run_len("a\u{2028}b".as_bytes(), true), 1);
        assert_eq!(plain_run_len("a\u{200B}b".as_bytes(), true), 1);
    }

    #[test]
    fn folded_blocks_are_recognised() {
        for (text, folded) in [
            ("", true),
            ("one two\n\nthree", true),
            ("one\ntwo", true),
            (" one", false),
            ("one ", false),
            ("\none", false),
            ("one\n", false),
            ("one  two", false),
            ("one \ntwo", false),
            ("one\n two", false),
            ("one\n\n\ntwo", false),
        ] {
            assert_eq!(is_folded_block(text), folded, "{text:?}");
            if folded {
                assert_eq!(reference::normalize_block(text), text);
            }
        }
    }

    #[test]
    fn split_lines_matches_split() {
        for text in ["", "\n", "a", "a\n", "\na", "a\n\nb", "é\n“x”\n\n\n"] {
            assert_eq!(
                split_lines(text).collect::<Vec<_>>(),
                text.split('\n').collect::<Vec<_>>()
            );
        }
    }

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

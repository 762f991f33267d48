//! Text and number helpers shared by the views and every export format: cleaning of
//! characters no format can carry, deterministic number formatting and list joining.

/// Whether a character may appear in an XML 1.0 document (tab, newline and carriage
/// return are the only control characters allowed; U+FFFE and U+FFFF are not allowed).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Replaces every character that XML 1.0 cannot carry (NUL, ESC and the other C0
/// controls except tab, newline and carriage return; U+FFFE, U+FFFF) with U+FFFD, so
/// that every format shows the same text. Borrow-free when nothing needs replacing.
pub fn clean_text(text: &str) -> String {
    if text.chars().all(is_xml_char) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

/// Rounds to 4 decimals (negative zero becomes zero; NaN and infinities become zero).
pub fn round4(value: f64) -> f64 {
    if !value.is_finite() {
        return 0.0;
    }
    let rounded = (value * 10_000.0).round() / 10_000.0;
    if rounded == 0.0 {
        0.0
    } else {
        rounded
    }
}

/// Formats a number as plain decimal text with at most 4 decimals: `-0.5`, `1`, `0.3333`,
/// `0` (never `-0`, never an exponent).
pub fn format_number(value: f64) -> String {
    let rounded = round4(value);
    if rounded == rounded.trunc() && rounded.abs() < 1e15 {
        // Whole numbers without a decimal point.
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    }
}

/// Whether `text` is a calendar-shaped date `YYYY-MM-DD` (digits, month 01-12, day
/// 01-31), the only form written as a GEXF time.
pub fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let digits = |range: std::ops::Range<usize>| {
        bytes[range.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| {
                bytes[range]
                    .iter()
                    .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
            })
    };
    matches!(
        (digits(0..4), digits(5..7), digits(8..10)),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

/// The separator used when a list is written into a single text cell or attribute.
pub const LIST_SEPARATOR: &str = "; ";

/// Joins a list for formats without lists (GraphML, GEXF, CSV, DOT).
pub(crate) fn join_list(items: &[String]) -> String {
    items.join(LIST_SEPARATOR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_plain_and_never_negative_zero() {
        assert_eq!(format_number(-0.5), "-0.5");
        assert_eq!(format_number(1.0), "1");
        assert_eq!(format_number(1.0 / 3.0), "0.3333");
        assert_eq!(format_number(-0.00001), "0");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(f64::NAN), "0");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(12345.0), "12345");
        assert_eq!(format_number(-2.0 / 3.0), "-0.6667");
    }

    #[test]
    fn iso_dates_are_recognised() {
        assert!(is_iso_date("2024-03-04"));
        assert!(!is_iso_date("2024-13-04"));
        assert!(!is_iso_date("2024-3-4"));
        assert!(!is_iso_date("yesterday!"));
        assert!(!is_iso_date("2024-03-0\u{e9}"));
    }

    #[test]
    fn clean_text_replaces_only_illegal_characters() {
        assert_eq!(
            clean_text("a\u{0}b\u{1b}c\td\ne"),
            "a\u{FFFD}b\u{FFFD}c\td\ne"
        );
        assert_eq!(clean_text("Ali 😀 <&>"), "Ali 😀 <&>");
        assert_eq!(clean_text("\u{FFFE}"), "\u{FFFD}");
    }
}

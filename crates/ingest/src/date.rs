//! Publication dates: parses the common ways a date is written into `YYYY-MM-DD`.
//!
//! Accepted: ISO 8601 (`2020-12-02`, `2020-12-02T10:00:00+01:00`, `20201202`),
//! `2020/12/02`, `2020.12.02`, `December 2, 2020`, `Dec. 2 2020`, `2nd December 2020`,
//! `2 Dec 2020`, RFC 2822 (`Wed, 02 Dec 2020 10:00:00 GMT`), weekday prefixes, and
//! Unix timestamps (seconds or milliseconds) from JSON numbers.
//!
//! Numeric day/month orders: `NN/NN/YYYY` and `NN-NN-YYYY` are read as day/month when
//! the first number is above 12, as month/day when the second is above 12, and as US
//! month/day when both could be months (`02/12/2020` is 12 February 2020). With dots
//! (`02.12.2020`), the European day.month order is assumed when ambiguous. The date is
//! the calendar date as written, without converting time zones.
//! Month and weekday names come from `data/ingest/dates.tsv`.

use std::collections::HashMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../../data/ingest/dates.tsv");

/// Lower-case month names (and abbreviations) to month numbers; weekday names to 0.
fn words() -> &'static HashMap<String, u32> {
    static WORDS: OnceLock<HashMap<String, u32>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut m = HashMap::new();
        for line in DATA.lines() {
            if line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            match cols.as_slice() {
                ["month", name, num] => {
                    if let Ok(n) = num.trim().parse::<u32>() {
                        m.insert(name.trim().to_lowercase(), n);
                    }
                }
                ["weekday", name] => {
                    m.insert(name.trim().to_lowercase(), 0);
                }
                _ => {}
            }
        }
        m
    })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// `YYYY-MM-DD` when the parts make a real date in years 1000..=2999.
fn ymd(y: i64, m: i64, d: i64) -> Option<String> {
    if !(1000..=2999).contains(&y) || !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    let m = u32::try_from(m).ok()?;
    if d > i64::from(days_in_month(y, m)) {
        return None;
    }
    // `format!("{y:04}-{m:02}-{d:02}")`, written out: every part has a fixed width here.
    let digit = |n: i64| char::from(b'0' + (n % 10) as u8);
    let d = u32::try_from(d).ok()?;
    let mut out = String::with_capacity(10);
    for part in [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(i64::from(m / 10)),
        digit(i64::from(m)),
        '-',
        digit(i64::from(d / 10)),
        digit(i64::from(d)),
    ] {
        out.push(part);
    }
    Some(out)
}

/// A date token.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A number and how many digits it was written with.
    Num(i64, usize),
    /// A month number from a month name.
    Month(u32),
    /// A separator inside a numeric date: `-`, `/` or `.`.
    Sep(char),
    /// Anything else (weekday names and filler words are dropped before this).
    Other,
}

fn tokenize(s: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let chars: Vec<char> = s.chars().take(200).collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits = i - start;
            let value = if digits > 12 {
                -1
            } else {
                chars[start..i].iter().fold(0i64, |acc, d| {
                    acc * 10 + i64::from(d.to_digit(10).unwrap_or(0))
                })
            };
            // Ordinal suffix: 2nd, 21st, 3rd, 4th.
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_alphabetic() && j - i < 2 {
                j += 1;
            }
            let suffix: String = chars[i..j].iter().collect::<String>().to_lowercase();
            if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th")
                && chars.get(j).is_none_or(|c| !c.is_alphabetic())
            {
                i = j;
            }
            toks.push(Tok::Num(value, digits));
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
            if chars.get(i) == Some(&'.') {
                i += 1; // "Dec."
            }
            match words().get(&word) {
                Some(0) => {}
                Some(&m) => toks.push(Tok::Month(m)),
                None if matches!(word.as_str(), "of" | "the" | "on" | "at") => {}
                None if word == "t" || word == "z" => toks.push(Tok::Other),
                None => toks.push(Tok::Other),
            }
        } else {
            if matches!(c, '-' | '/' | '.')
                && i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit)
            {
                toks.push(Tok::Sep(c));
            }
            i += 1;
        }
    }
    toks
}

/// A numeric date `a sep b sep year` with the day/month order rules of the module doc.
fn day_month(a: i64, b: i64, y: i64, sep: char) -> Option<String> {
    if a > 12 {
        ymd(y, b, a)
    } else if b > 12 {
        ymd(y, a, b)
    } else if sep == '.' {
        ymd(y, b, a)
    } else {
        ymd(y, a, b)
    }
}

/// A text that is exactly `YYYY-MM-DD` (the common case) gives the answer the general
/// parser would give for it: its date when valid, else `None`. Other texts: not decided
/// here (outer `None`).
fn plain_iso_date(s: &str) -> Option<Option<String>> {
    let b: &[u8; 10] = s.as_bytes().try_into().ok()?;
    let digit = |i: usize| b[i].is_ascii_digit();
    if !(b[4] == b'-' && b[7] == b'-' && [0, 1, 2, 3, 5, 6, 8, 9].into_iter().all(digit)) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        b[range]
            .iter()
            .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'))
    };
    Some(ymd(number(0..4), number(5..7), number(8..10)))
}

/// Parses a date written in one of the accepted forms; `None` when no date is found.
pub fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(iso) = plain_iso_date(s) {
        return iso;
    }
    // Compact ISO: 20201202 (optionally followed by a time).
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() == 8 && s.chars().nth(8).is_none_or(|c| !c.is_ascii_digit()) {
        let n: i64 = digits.parse().ok()?;
        if let Some(d) = ymd(n / 10000, n / 100 % 100, n % 100) {
            return Some(d);
        }
    }
    let toks = tokenize(s);
    for i in 0..toks.len() {
        let rest = &toks[i..];
        match rest {
            [Tok::Num(y, 4), Tok::Sep(s1), Tok::Num(m, _), Tok::Sep(s2), Tok::Num(d, 1..=2), ..]
                if s1 == s2 =>
            {
                if let Some(v) = ymd(*y, *m, *d) {
                    return Some(v);
                }
            }
            [Tok::Num(a, 1..=2), Tok::Sep(s1), Tok::Num(b, 1..=2), Tok::Sep(s2), Tok::Num(y, 4), ..]
                if s1 == s2 =>
            {
                if let Some(v) = day_month(*a, *b, *y, *s1) {
                    return Some(v);
                }
            }
            [Tok::Month(m), Tok::Num(d, 1..=2), Tok::Num(y, 4), ..] => {
                if let Some(v) = ymd(*y, i64::from(*m), *d) {
                    return Some(v);
                }
            }
            [Tok::Num(d, 1..=2), Tok::Month(m), Tok::Num(y, 4), ..] => {
                if let Some(v) = ymd(*y, i64::from(*m), *d) {
                    return Some(v);
                }
            }
            [Tok::Num(y, 4), Tok::Month(m), Tok::Num(d, 1..=2), ..] => {
                if let Some(v) = ymd(*y, i64::from(*m), *d) {
                    return Some(v);
                }
            }
            _ => {}
        }
    }
    None
}

/// Days since 1970-01-01 to a civil date (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A Unix timestamp (seconds, or milliseconds when above 10^11) to its UTC date.
pub fn date_from_timestamp(ts: i64) -> Option<String> {
    let secs = if ts.abs() >= 100_000_000_000 {
        ts / 1000
    } else {
        ts
    };
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    ymd(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ymd_writes_what_format_writes() {
        for y in [999, 1000, 1900, 2000, 2024, 2999, 3000] {
            for m in 0..=13 {
                for d in 0..=32 {
                    let valid = (1000..=2999).contains(&y)
                        && (1..=12).contains(&m)
                        && d >= 1
                        && d <= i64::from(days_in_month(y, m as u32));
                    let expected = valid.then(|| format!("{y:04}-{m:02}-{d:02}"));
                    assert_eq!(ymd(y, m, d), expected, "{y} {m} {d}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_iso_dates_match_the_general_parser(y in 0u32..3200, m in 0u32..14, d in 0u32..33) {
            let s = format!("{y:04}-{m:02}-{d:02}");
            let general = {
                // The general path: what parse_date gave before the shortcut.
                let toks = tokenize(&s);
                match toks.as_slice() {
                    [Tok::Num(y, 4), Tok::Sep('-'), Tok::Num(m, 2), Tok::Sep('-'), Tok::Num(d, 2)] => ymd(*y, *m, *d),
                    _ => None,
                }
            };
            proptest::prop_assert_eq!(plain_iso_date(&s), Some(general.clone()));
            proptest::prop_assert_eq!(parse_date(&s), general);
        }
    }

    fn p(s: &str) -> Option<String> {
        parse_date(s)
    }

    #[test]
    fn iso_forms() {
        assert_eq!(p("2020-12-02").as_deref(), Some("2020-12-02"));
        assert_eq!(
            p("2020-12-02T23:30:00-05:00").as_deref(),
            Some("2020-12-02")
        );
        assert_eq!(p("2020-12-02T10:00:00Z").as_deref(), Some("2020-12-02"));
        assert_eq!(p("2020-1-5").as_deref(), Some("2020-01-05"));
        assert_eq!(p("20201202").as_deref(), Some("2020-12-02"));
        assert_eq!(p("2020/12/02").as_deref(), Some("2020-12-02"));
        assert_eq!(p("2020.12.02").as_deref(), Some("2020-12-02"));
    }

    #[test]
    fn written_forms() {
        assert_eq!(p("December 2, 2020").as_deref(), Some("2020-12-02"));
        assert_eq!(p("Dec. 2, 2020").as_deref(), Some("2020-12-02"));
        assert_eq!(p("dec 2 2020").as_deref(), Some("2020-12-02"));
        assert_eq!(p("2 December 2020").as_deref(), Some("2020-12-02"));
        assert_eq!(p("2nd of December, 2020").as_deref(), Some("2020-12-02"));
        assert_eq!(
            p("Wednesday, December 2nd, 2020 at 10:00").as_deref(),
            Some("2020-12-02")
        );
        assert_eq!(p("Published: 2 Sept. 2021").as_deref(), Some("2021-09-02"));
    }

    #[test]
    fn rfc_2822() {
        assert_eq!(
            p("Wed, 02 Dec 2020 10:00:00 GMT").as_deref(),
            Some("2020-12-02")
        );
        assert_eq!(
            p("Mon, 29 Feb 2016 08:00:00 +0100").as_deref(),
            Some("2016-02-29")
        );
    }

    #[test]
    fn numeric_day_month_orders() {
        assert_eq!(p("25/12/2020").as_deref(), Some("2020-12-25")); // day first: unambiguous
        assert_eq!(p("12/25/2020").as_deref(), Some("2020-12-25")); // month first: unambiguous
        assert_eq!(p("02/12/2020").as_deref(), Some("2020-02-12")); // ambiguous: US order
        assert_eq!(p("02.12.2020").as_deref(), Some("2020-12-02")); // dots: day.month
    }

    #[test]
    fn impossible_or_missing_dates() {
        assert_eq!(p("2021-02-29"), None);
        assert_eq!(p("2020-13-01"), None);
        assert_eq!(p("December 2020"), None);
        assert_eq!(p("no date here"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("99999999999999999999999-1-1"), None);
    }

    #[test]
    fn timestamps() {
        assert_eq!(date_from_timestamp(0).as_deref(), Some("1970-01-01"));
        assert_eq!(
            date_from_timestamp(1_606_903_200).as_deref(),
            Some("2020-12-02")
        );
        assert_eq!(
            date_from_timestamp(1_606_903_200_000).as_deref(),
            Some("2020-12-02")
        );
        assert_eq!(date_from_timestamp(i64::MAX), None);
    }
}

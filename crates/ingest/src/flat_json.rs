//! A fast reader for the usual JSON Lines record: one flat object whose values are all
//! strings or `null` (`{"title": "…", "date": "…", "text": "…"}`). It borrows what it can
//! from the line and builds no `serde_json::Value` tree.
//!
//! It only ever answers for lines that `serde_json` reads without error, and then with
//! the same record that the general path (`records::record_from_value`) builds; for
//! anything else (other value types, duplicate keys, any syntax error, a missing text
//! field, field overrides) it gives `None` and the caller takes the general path, which
//! also words the errors.

use crate::date::parse_date;
use crate::records::{Record, DATE_FIELDS, TEXT_FIELDS, TITLE_FIELDS};
use std::borrow::Cow;

/// Whether some byte is below 0x20: 32-byte blocks folded without an early exit (the
/// compiler turns each into a few vector compares), then eight bytes a step (the usual
/// SWAR test, exact for "any byte" questions).
fn has_control_byte(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x20; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let (blocks, rest) = bytes.as_chunks::<32>();
    if blocks.iter().fold(false, |any, block| {
        any | block.iter().fold(false, |any, &b| any | (b < 0x20))
    }) {
        return true;
    }
    let mut chunks = rest.chunks_exact(8);
    let mut found = 0u64;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_ne_bytes(word);
        found |= word.wrapping_sub(ONES) & !word & HIGH;
    }
    found != 0 || chunks.remainder().iter().any(|&b| b < 0x20)
}

/// One key and its value (`None` for `null`).
type Field<'a> = (Cow<'a, str>, Option<Cow<'a, str>>);

/// A cursor over one line.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    /// Whether the line holds a byte below 0x20 anywhere: only then can a string literal
    /// hold one (which JSON forbids), and each literal is looked at.
    has_controls: bool,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Skips JSON whitespace (space, tab, line feed, carriage return).
    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Consumes `byte` if it is next.
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.pos += 1)
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// A string literal (the cursor is on its opening quote), unescaped.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let bytes = self.text.as_bytes();
        let opened = self.pos;
        let mut owned: Option<String> = None;
        loop {
            let rest = bytes.get(self.pos..)?;
            // Escapes often come in a row ("\n\n"): no search for the next one.
            let stop = match rest.first() {
                Some(b'"' | b'\\') => 0,
                _ => memchr::memchr2(b'"', b'\\', rest)?,
            };
            let run_end = self.pos + stop;
            let run = self.text.get(self.pos..run_end)?;
            self.pos = run_end + 1;
            if bytes.get(run_end) == Some(&b'"') {
                // Raw control characters are not allowed inside a JSON string: one test
                // over the whole literal (escapes hold none), when the line has any.
                if self.has_controls && has_control_byte(bytes.get(opened..run_end)?) {
                    return None;
                }
                return Some(match owned {
                    Some(mut s) => {
                        s.push_str(run);
                        Cow::Owned(s)
                    }
                    None => Cow::Borrowed(run),
                });
            }
            let s = owned.get_or_insert_with(|| String::with_capacity(rest.len().min(1 << 16)));
            s.push_str(run);
            let escape = self.peek()?;
            self.pos += 1;
            match escape {
                b'"' => s.push('"'),
                b'\\' => s.push('\\'),
                b'/' => s.push('/'),
                b'b' => s.push('\u{8}'),
                b'f' => s.push('\u{c}'),
                b'n' => s.push('\n'),
                b'r' => s.push('\r'),
                b't' => s.push('\t'),
                b'u' => {
                    let unit = self.hex4()?;
                    let code = match unit {
                        0xD800..=0xDBFF => {
                            self.eat(b'\\')?;
                            self.eat(b'u')?;
                            let low = self.hex4()?;
                            if !(0xDC00..=0xDFFF).contains(&low) {
                                return None;
                            }
                            0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        }
                        0xDC00..=0xDFFF => return None,
                        _ => unit,
                    };
                    s.push(char::from_u32(code)?);
                }
                _ => return None,
            }
        }
    }

    /// A flat object of string or null values, and nothing after it but whitespace.
    fn flat_object(&mut self) -> Option<Vec<Field<'a>>> {
        self.skip_whitespace();
        self.eat(b'{')?;
        let mut fields: Vec<Field<'a>> = Vec::with_capacity(4);
        self.skip_whitespace();
        if self.eat(b'}').is_none() {
            loop {
                self.skip_whitespace();
                let key = self.string()?;
                self.skip_whitespace();
                self.eat(b':')?;
                self.skip_whitespace();
                let value = match self.peek()? {
                    b'"' => Some(self.string()?),
                    b'n' if self.text.get(self.pos..self.pos + 4) == Some("null") => {
                        self.pos += 4;
                        None
                    }
                    _ => return None,
                };
                fields.push((key, value));
                self.skip_whitespace();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b'}' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.skip_whitespace();
        if self.pos != self.text.len() {
            return None;
        }
        // A repeated key: the general path decides which value wins.
        for (i, (key, _)) in fields.iter().enumerate() {
            if fields.iter().skip(i + 1).any(|(other, _)| other == key) {
                return None;
            }
        }
        Some(fields)
    }
}

/// The index of the field that `records::lookup` finds for `name` among distinct keys:
/// the exact key, else the smallest key (in the order of `serde_json::Map`) equal to it
/// ignoring ASCII case.
fn lookup(fields: &[Field<'_>], name: &str) -> Option<usize> {
    if let Some(at) = fields.iter().position(|(key, _)| key == name) {
        return Some(at);
    }
    fields
        .iter()
        .enumerate()
        .filter(|(_, (key, _))| key.eq_ignore_ascii_case(name))
        .min_by(|(_, (a, _)), (_, (b, _))| a.cmp(b))
        .map(|(at, _)| at)
}

/// The index of the first non-null field among those called `names`
/// (`records::first_field`).
fn first_text(fields: &[Field<'_>], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|name| {
        lookup(fields, name).filter(|&at| fields.get(at).is_some_and(|(_, v)| v.is_some()))
    })
}

/// The string value of field `at`, if any.
fn text_at<'f, 'a>(fields: &'f [Field<'a>], at: Option<usize>) -> Option<&'f Cow<'a, str>> {
    fields.get(at?)?.1.as_ref()
}

/// The record of one JSON Lines line named `source`, when the line is a flat object of
/// strings and nulls with a text field; `None` sends the line down the general path.
pub(crate) fn flat_record(source: &str, line: &str) -> Option<Record> {
    let mut fields = Cursor {
        text: line,
        pos: 0,
        has_controls: has_control_byte(line.as_bytes()),
    }
    .flat_object()?;
    let body_at = first_text(&fields, TEXT_FIELDS)?;
    let title = text_at(&fields, first_text(&fields, TITLE_FIELDS)).map(|t| t.to_string());
    let date = text_at(&fields, first_text(&fields, DATE_FIELDS)).and_then(|d| parse_date(d));
    // The body is moved out, not copied.
    let body = fields.get_mut(body_at)?.1.take()?;
    Some(Record {
        source: source.to_string(),
        title,
        date,
        body: body.into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::jsonl_records;
    use crate::IngestOptions;
    use proptest::prelude::*;

    /// The record the general path builds for one line.
    fn general(line: &str) -> Option<Record> {
        let parsed: serde_json::Value = serde_json::from_str(line).ok()?;
        crate::records::record_from_value("s#1".to_string(), &parsed, &IngestOptions::default())
            .ok()
    }

    #[test]
    fn control_bytes_are_found_anywhere() {
        for len in 0..80 {
            let mut bytes = vec![b'a'; len];
            assert!(!has_control_byte(&bytes));
            for at in 0..len {
                for b in [0x00u8, 0x09, 0x1F] {
                    bytes[at] = b;
                    assert!(has_control_byte(&bytes), "{len} {at} {b}");
                }
                bytes[at] = 0x20;
                assert!(!has_control_byte(&bytes));
                bytes[at] = 0xC3;
                assert!(!has_control_byte(&bytes));
            }
        }
    }

    #[test]
    fn reads_flat_records() {
        let line = r#"{"title": "A \"quoted\" title", "date": "2024-02-03", "text": "One.\n\nTwo \u00e9 \ud83d\ude00 / \/", "url": null}"#;
        let rec = flat_record("s#1", line).unwrap();
        assert_eq!(rec.title.as_deref(), Some("A \"quoted\" title"));
        assert_eq!(rec.date.as_deref(), Some("2024-02-03"));
        assert_eq!(rec.body, "One.\n\nTwo é 😀 / /");
        assert_eq!(Some(rec), general(line));
    }

    #[test]
    fn field_names_follow_the_general_rules() {
        // A null text field is skipped for the next name; case-insensitive names match,
        // the smallest key first.
        let line = r#"{"text": null, "Body": "b1", "BODY": "b2", "Title": "t"}"#;
        let rec = flat_record("s#1", line).unwrap();
        assert_eq!(rec.body, "b2");
        assert_eq!(rec.title.as_deref(), Some("t"));
        assert_eq!(Some(rec), general(line));
        // An exact null hides a case-insensitive match.
        let line = r#"{"title": null, "TITLE": "x", "text": "b"}"#;
        let rec = flat_record("s#1", line).unwrap();
        assert_eq!(rec.title, None);
        assert_eq!(Some(rec), general(line));
    }

    #[test]
    fn anything_unusual_goes_the_general_way() {
        for line in [
            r#"{"text": "a", "text": "b"}"#,
            r#"{"text": "a", "n": 1}"#,
            r#"{"text": "a", "tags": ["x"]}"#,
            r#"{"text": "a"} x"#,
            r#"{"text": "a",}"#,
            r#"{"text": "a\x"}"#,
            r#"{"text": "\ud800"}"#,
            r#"{"text": "\udc00\ud800"}"#,
            "{\"text\": \"raw\ttab\"}",
            r#"{"title": "no body"}"#,
            r#"{"text": "unterminated}"#,
            r#"["text"]"#,
            r#"{"text": nul}"#,
            "",
        ] {
            assert_eq!(flat_record("s#1", line), None, "{line}");
        }
    }

    #[test]
    fn jsonl_records_are_the_same_either_way() {
        let text = "{\"text\": \"plain\", \"date\": \"March 3, 2024\"}\n\
                    {\"text\": \"with a number\", \"id\": 7}\n\
                    {\"text\": \"dup\", \"text\": \"later\"}\n\
                    not json\n";
        let recs = jsonl_records("f.jsonl", text, &IngestOptions::default());
        let bodies: Vec<&str> = recs
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.body.as_str())
            .collect();
        assert_eq!(bodies, vec!["plain", "with a number", "later"]);
        assert_eq!(
            recs[0].as_ref().unwrap().date.as_deref(),
            Some("2024-03-03")
        );
        assert!(recs[3].is_err());
    }

    proptest! {
        #[test]
        fn agrees_with_serde_json(
            keys in proptest::collection::vec("(text|Text|TEXT|body|title|Title|date|x|\"|\\\\)", 0..5),
            values in proptest::collection::vec("[a-z \"\\\\/\n\t\u{1}é😀]{0,12}", 0..5),
            nulls in proptest::collection::vec(any::<bool>(), 0..5),
            raw in "[ -~\t\n\u{e9}]{0,40}",
        ) {
            let mut line = String::from("{");
            for (i, (k, v)) in keys.iter().zip(&values).enumerate() {
                if i > 0 {
                    line.push_str(", ");
                }
                let value = if nulls.get(i).copied().unwrap_or(false) {
                    "null".to_string()
                } else {
                    serde_json::to_string(v).unwrap()
                };
                line.push_str(&format!("{}: {}", serde_json::to_string(k).unwrap(), value));
            }
            line.push('}');
            if let Some(rec) = flat_record("s#1", &line) {
                prop_assert_eq!(Some(rec), general(&line));
            }
            // Arbitrary text: whenever the fast path answers, serde_json agrees.
            if let Some(rec) = flat_record("s#1", &raw) {
                prop_assert_eq!(Some(rec), general(&raw));
            }
        }
    }
}

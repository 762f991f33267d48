//! Multi-document inputs: JSON (an array of records, one record, or an object holding an
//! array of records), JSON Lines and CSV/TSV with a header row. Each record gives a body
//! text, a title and a date from configurable fields; a broken record is an error for
//! that record alone.

use crate::date::{date_from_timestamp, parse_date};
use crate::{IngestError, IngestOptions};
use serde_json::{Map, Value};

/// Default field names, tried in order (case-insensitively).
pub const TEXT_FIELDS: &[&str] = &["text", "body", "content", "article"];
pub const TITLE_FIELDS: &[&str] = &["title", "headline"];
pub const DATE_FIELDS: &[&str] = &[
    "date",
    "published",
    "published_at",
    "publish_date",
    "datePublished",
];

/// One record read from a multi-document input, before normalisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// `path#N` (or the path alone for a single-record JSON file).
    pub source: String,
    pub title: Option<String>,
    /// Already parsed to `YYYY-MM-DD`.
    pub date: Option<String>,
    pub body: String,
}

/// A record or the error that stopped it, with the record's source name.
pub type RecordResult = Result<Record, (String, IngestError)>;

/// The field names to try for one role: the override alone, or the defaults.
fn names<'a>(override_name: &'a Option<String>, defaults: &'a [&'a str]) -> Vec<&'a str> {
    match override_name {
        Some(n) => vec![n.as_str()],
        None => defaults.to_vec(),
    }
}

/// Looks up a field: exact key, then a dotted path (`meta.title`), then case-insensitive.
fn lookup<'v>(obj: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    if let Some(v) = obj.get(name) {
        return Some(v);
    }
    if name.contains('.') {
        let mut parts = name.split('.');
        let mut cur = parts.next().and_then(|first| obj.get(first));
        for part in parts {
            cur = cur.and_then(Value::as_object).and_then(|m| m.get(part));
        }
        if cur.is_some() {
            return cur;
        }
    }
    obj.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// The first present, non-null field among `names`, with the name that matched.
fn first_field<'v, 'n>(
    obj: &'v Map<String, Value>,
    names: &[&'n str],
) -> Option<(&'n str, &'v Value)> {
    names
        .iter()
        .find_map(|n| lookup(obj, n).filter(|v| !v.is_null()).map(|v| (*n, v)))
}

/// A JSON value as text: strings as they are, arrays of strings as paragraphs, numbers.
fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        }
        _ => None,
    }
}

fn value_date(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => parse_date(s),
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
            .and_then(date_from_timestamp),
        _ => None,
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Builds a record from one JSON value.
pub(crate) fn record_from_value(
    source: String,
    value: &Value,
    options: &IngestOptions,
) -> RecordResult {
    let obj = match value {
        Value::Object(o) => o,
        Value::String(s) => {
            return Ok(Record {
                source,
                title: None,
                date: None,
                body: s.clone(),
            })
        }
        other => {
            let msg = format!("record is {}, not an object", kind_of(other));
            return Err((source, IngestError::Record(msg)));
        }
    };
    let text_names = names(&options.text_field, TEXT_FIELDS);
    let Some((field, text_value)) = first_field(obj, &text_names) else {
        let msg = format!("no text field (looked for {})", text_names.join(", "));
        return Err((source, IngestError::Record(msg)));
    };
    let Some(body) = value_text(text_value) else {
        let msg = format!("field \"{field}\" is {}, not text", kind_of(text_value));
        return Err((source, IngestError::Record(msg)));
    };
    let title = first_field(obj, &names(&options.title_field, TITLE_FIELDS))
        .and_then(|(_, v)| value_text(v));
    let date =
        first_field(obj, &names(&options.date_field, DATE_FIELDS)).and_then(|(_, v)| value_date(v));
    Ok(Record {
        source,
        title,
        date,
        body,
    })
}

/// serde_json's message without its trailing " at line L column C".
fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(at) => full[..at].to_string(),
        None => full,
    }
}

/// A `.json` file: an array of records, one record, or an object holding an array.
pub fn json_records(source: &str, text: &str, options: &IngestOptions) -> Vec<RecordResult> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let msg = format!(
                "invalid JSON: {} at line {} column {}",
                json_message(&e),
                e.line(),
                e.column()
            );
            return vec![Err((source.to_string(), IngestError::Record(msg)))];
        }
    };
    let numbered = |items: &[Value]| -> Vec<RecordResult> {
        items
            .iter()
            .enumerate()
            .map(|(i, v)| record_from_value(record_name(source, i + 1), v, options))
            .collect()
    };
    match &value {
        Value::Array(items) => numbered(items),
        Value::Object(obj) => {
            let text_names = names(&options.text_field, TEXT_FIELDS);
            if first_field(obj, &text_names).is_none() {
                // A wrapper such as {"articles": [...]}: the first array of objects.
                if let Some(items) = obj.values().find_map(|v| match v {
                    Value::Array(a) if a.iter().any(Value::is_object) => Some(a),
                    _ => None,
                }) {
                    return numbered(items);
                }
            }
            vec![record_from_value(source.to_string(), &value, options)]
        }
        other => {
            let msg = format!("JSON holds {}, not records", kind_of(other));
            vec![Err((source.to_string(), IngestError::Record(msg)))]
        }
    }
}

/// The name of record `number` of `source`: `source#number` (what `format!` gives,
/// without its machinery: one per record of a large file).
fn record_name(source: &str, number: usize) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = number;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 || at == 0 {
            break;
        }
    }
    let mut name = String::with_capacity(source.len() + 1 + digits.len() - at);
    name.push_str(source);
    name.push('#');
    for &digit in &digits[at..] {
        name.push(char::from(digit));
    }
    name
}

/// A JSON Lines file: one record a line (blank lines skipped); `#N` is the line number.
pub fn jsonl_records(source: &str, text: &str, options: &IngestOptions) -> Vec<RecordResult> {
    let mut out = Vec::new();
    // The usual flat record is read without a `Value` tree when the default field names
    // apply; anything else takes the general path below.
    let flat = options.text_field.is_none()
        && options.title_field.is_none()
        && options.date_field.is_none();
    for (i, line) in crate::normalize::split_lines(text).enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let name = record_name(source, i + 1);
        if flat {
            if let Some(record) = crate::flat_json::flat_record(&name, line) {
                out.push(Ok(record));
                continue;
            }
        }
        match serde_json::from_str::<Value>(line) {
            Ok(v) => out.push(record_from_value(name, &v, options)),
            Err(e) => {
                let msg = format!(
                    "invalid JSON on line {}: {} at column {}",
                    i + 1,
                    json_message(&e),
                    e.column()
                );
                out.push(Err((name, IngestError::Record(msg))));
            }
        }
    }
    out
}

/// Index of the first header among `names` (exact, then case-insensitive, trimmed).
fn column(headers: &[String], wanted: &[&str]) -> Option<usize> {
    wanted.iter().find_map(|w| {
        headers
            .iter()
            .position(|h| h == w)
            .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(w)))
    })
}

/// A CSV (or TSV) file with a header row; `#N` is the data row number (1-based).
/// Rows may be ragged: a row missing the text column is an error for that row alone.
pub fn csv_records(
    source: &str,
    text: &str,
    delimiter: u8,
    options: &IngestOptions,
) -> Vec<RecordResult> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            let msg = format!("unreadable CSV header: {e}");
            return vec![Err((source.to_string(), IngestError::Record(msg)))];
        }
    };
    let text_names = names(&options.text_field, TEXT_FIELDS);
    let Some(text_col) = column(&headers, &text_names) else {
        let msg = format!(
            "no text column (looked for {}; the header has {})",
            text_names.join(", "),
            headers.join(", ")
        );
        return vec![Err((source.to_string(), IngestError::Record(msg)))];
    };
    let title_col = column(&headers, &names(&options.title_field, TITLE_FIELDS));
    let date_col = column(&headers, &names(&options.date_field, DATE_FIELDS));
    let mut out = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let name = format!("{source}#{}", i + 1);
        match row {
            Ok(rec) => match rec.get(text_col) {
                Some(body) => out.push(Ok(Record {
                    source: name,
                    title: title_col
                        .and_then(|c| rec.get(c))
                        .map(str::to_string)
                        .filter(|t| !t.trim().is_empty()),
                    date: date_col.and_then(|c| rec.get(c)).and_then(parse_date),
                    body: body.to_string(),
                })),
                None => {
                    let line = rec.position().map_or(0, csv::Position::line);
                    let msg = format!(
                        "CSV row {} (line {line}) has {} fields, the header has {}: no text",
                        i + 1,
                        rec.len(),
                        headers.len()
                    );
                    out.push(Err((name, IngestError::Record(msg))));
                }
            },
            Err(e) => {
                let msg = format!("unreadable CSV row {}: {e}", i + 1);
                out.push(Err((name, IngestError::Record(msg))));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn record_names_are_source_hash_number() {
        for number in [0, 1, 9, 10, 99, 100, 12_345, usize::MAX] {
            assert_eq!(
                record_name("dir/a.jsonl", number),
                format!("dir/a.jsonl#{number}")
            );
        }
        assert_eq!(record_name("", 7), "#7");
    }

    use super::*;

    fn opts() -> IngestOptions {
        IngestOptions::default()
    }

    #[test]
    fn json_array_object_and_wrapper() {
        let recs = json_records(
            "a.json",
            r#"[{"headline":"H1","body":"B1","published":"2020-12-02"},{"text":["P1","P2"]},3]"#,
            &opts(),
        );
        assert_eq!(recs.len(), 3);
        let r0 = recs[0].as_ref().unwrap();
        assert_eq!(r0.source, "a.json#1");
        assert_eq!(r0.title.as_deref(), Some("H1"));
        assert_eq!(r0.date.as_deref(), Some("2020-12-02"));
        assert_eq!(r0.body, "B1");
        assert_eq!(recs[1].as_ref().unwrap().body, "P1\n\nP2");
        let (src, err) = recs[2].as_ref().unwrap_err();
        assert_eq!(src, "a.json#3");
        assert_eq!(err.to_string(), "record is a number, not an object");

        let one = json_records(
            "b.json",
            r#"{"Title":"T","Content":"C","date":1606903200}"#,
            &opts(),
        );
        let r = one[0].as_ref().unwrap();
        assert_eq!(
            (r.source.as_str(), r.title.as_deref(), r.body.as_str()),
            ("b.json", Some("T"), "C")
        );
        assert_eq!(r.date.as_deref(), Some("2020-12-02"));

        let wrapped = json_records(
            "c.json",
            r#"{"count":2,"articles":[{"text":"x"},{"text":"y"}]}"#,
            &opts(),
        );
        assert_eq!(wrapped.len(), 2);
        assert_eq!(wrapped[1].as_ref().unwrap().source, "c.json#2");
    }

    #[test]
    fn json_errors_are_clear() {
        let r = json_records("d.json", "{\"text\": ", &opts());
        let msg = r[0].as_ref().unwrap_err().1.to_string();
        assert!(msg.starts_with("invalid JSON: EOF while parsing"), "{msg}");
        let r = json_records("e.json", r#"{"other": "x"}"#, &opts());
        assert_eq!(
            r[0].as_ref().unwrap_err().1.to_string(),
            "no text field (looked for text, body, content, article)"
        );
        let r = json_records("f.json", r#"{"text": {"a": 1}}"#, &opts());
        assert_eq!(
            r[0].as_ref().unwrap_err().1.to_string(),
            "field \"text\" is an object, not text"
        );
    }

    #[test]
    fn jsonl_broken_line_between_good_ones() {
        let text = "{\"text\":\"one\"}\n{\"text\": oops}\n\n{\"text\":\"three\"}\n";
        let recs = jsonl_records("x.jsonl", text, &opts());
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[0].as_ref().unwrap().source, "x.jsonl#1");
        let (src, err) = recs[1].as_ref().unwrap_err();
        assert_eq!(src, "x.jsonl#2");
        assert_eq!(
            err.to_string(),
            "invalid JSON on line 2: expected value at column 10"
        );
        assert_eq!(recs[2].as_ref().unwrap().source, "x.jsonl#4");
        assert_eq!(recs[2].as_ref().unwrap().body, "three");
    }

    #[test]
    fn field_overrides_and_dotted_paths() {
        let o = IngestOptions {
            text_field: Some("story".into()),
            title_field: Some("meta.hed".into()),
            date_field: Some("when".into()),
            ..IngestOptions::default()
        };
        let recs = jsonl_records(
            "y.jsonl",
            r#"{"story":"S","text":"ignored","meta":{"hed":"M"},"when":"3 March 2021"}"#,
            &o,
        );
        let r = recs[0].as_ref().unwrap();
        assert_eq!(
            (r.body.as_str(), r.title.as_deref(), r.date.as_deref()),
            ("S", Some("M"), Some("2021-03-03"))
        );
    }

    #[test]
    fn csv_with_ragged_rows() {
        let text = "id,Title,date,text\n1,First,2020-01-02,\"Body, with comma\"\n2,Short\n3,Third,,Body three,extra\n";
        let recs = csv_records("z.csv", text, b',', &opts());
        assert_eq!(recs.len(), 3);
        let r = recs[0].as_ref().unwrap();
        assert_eq!(r.source, "z.csv#1");
        assert_eq!(r.title.as_deref(), Some("First"));
        assert_eq!(r.date.as_deref(), Some("2020-01-02"));
        assert_eq!(r.body, "Body, with comma");
        let (src, err) = recs[1].as_ref().unwrap_err();
        assert_eq!(src, "z.csv#2");
        assert!(
            err.to_string().contains("has 2 fields, the header has 4"),
            "{err}"
        );
        assert_eq!(recs[2].as_ref().unwrap().body, "Body three");
    }

    #[test]
    fn csv_without_text_column() {
        let recs = csv_records("w.csv", "a,b\n1,2\n", b',', &opts());
        assert_eq!(recs.len(), 1);
        assert!(recs[0]
            .as_ref()
            .unwrap_err()
            .1
            .to_string()
            .contains("no text column"));
    }

    #[test]
    fn tsv() {
        let recs = csv_records("t.tsv", "title\ttext\nT\tBody\n", b'\t', &opts());
        assert_eq!(recs[0].as_ref().unwrap().body, "Body");
    }
}

//! Shared invariant checks for the stancegraph fuzz targets: what every ingested
//! [`Document`] and every [`Segmented`] must satisfy on any input. A violated invariant
//! panics with a message naming the invariant, which libFuzzer reports as a crash.

use stancegraph_model::{Document, Segmented, Span};

/// The file names the `ingest_segment` target chooses from (indexed by the first input
/// byte), one per input format plus gzip and a name without an extension (sniffed).
pub const FILE_NAMES: [&str; 7] = [
    "x.txt", "x.html", "x.jsonl", "x.json", "x.csv", "x.txt.gz", "x",
];

/// Panics unless `span` lies inside `text` with both ends on char boundaries.
fn check_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end,
        "{what} span {span:?} has start > end"
    );
    assert!(
        span.end <= text.len(),
        "{what} span {span:?} ends past the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} is not on char boundaries"
    );
}

/// Checks what ingest promises about a document: non-empty text without carriage
/// returns, an id of the form `d:` + 16 hex digits, a title that is the text's first
/// line, and a `YYYY-MM-DD` date.
pub fn check_document(doc: &Document) {
    assert!(!doc.text.is_empty(), "document text is empty");
    assert!(!doc.text.contains('\r'), "document text contains '\\r'");
    let hex = doc.id.strip_prefix("d:").unwrap_or("");
    assert!(
        hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        "document id {:?} is not d: + 16 hex digits",
        doc.id
    );
    if let Some(title) = &doc.title {
        assert!(!title.is_empty(), "title is Some(\"\")");
        assert!(
            !title.contains('\n'),
            "title {title:?} contains a line break"
        );
        let rest = doc.text.strip_prefix(title.as_str());
        assert!(
            matches!(rest, Some(r) if r.is_empty() || r.starts_with("\n\n")),
            "title {title:?} is not the first line of the text"
        );
    }
    if let Some(date) = &doc.date {
        let b = date.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        assert!(shape_ok, "date {date:?} is not YYYY-MM-DD");
    }
}

/// Checks a segmentation of `text` against the guarantees documented in
/// `stancegraph-segment`: every span in bounds and on char boundaries; paragraphs,
/// tokens and sentences ordered and non-overlapping; each sentence inside its paragraph
/// with a token range that lies within `tokens`; quote content inside its quote span.
pub fn check_segmented(text: &str, seg: &Segmented) {
    let mut previous_end = 0;
    for (i, p) in seg.paragraphs.iter().enumerate() {
        check_span(text, *p, "paragraph");
        assert!(!p.is_empty(), "paragraph {i} {p:?} is empty");
        assert!(
            p.start >= previous_end,
            "paragraph {i} {p:?} overlaps or precedes the previous one"
        );
        previous_end = p.end;
    }

    previous_end = 0;
    for (i, t) in seg.tokens.iter().enumerate() {
        check_span(text, t.span, "token");
        assert!(!t.span.is_empty(), "token {i} {:?} is empty", t.span);
        assert!(
            t.span.start >= previous_end,
            "token {i} {:?} overlaps or precedes the previous token",
            t.span
        );
        previous_end = t.span.end;
    }

    previous_end = 0;
    for (i, s) in seg.sentences.iter().enumerate() {
        check_span(text, s.span, "sentence");
        assert_eq!(s.index, i, "sentence {i} has index {}", s.index);
        assert!(
            s.span.start >= previous_end,
            "sentence {i} {:?} overlaps or precedes the previous sentence",
            s.span
        );
        previous_end = s.span.end;
        let paragraph = seg.paragraphs.get(s.paragraph);
        assert!(
            matches!(paragraph, Some(p) if p.contains(s.span)),
            "sentence {i} {:?} is not inside its paragraph {} ({paragraph:?})",
            s.span,
            s.paragraph
        );
        assert!(
            s.tokens.start <= s.tokens.end && s.tokens.end <= seg.tokens.len(),
            "sentence {i} token range {:?} is outside 0..{}",
            s.tokens,
            seg.tokens.len()
        );
        if let Some(q) = s.quote {
            assert!(
                q < seg.quotes.len(),
                "sentence {i} points to quote {q} of {}",
                seg.quotes.len()
            );
        }
    }

    for (i, q) in seg.quotes.iter().enumerate() {
        check_span(text, q.span, "quote");
        check_span(text, q.content, "quote content");
        assert!(
            q.span.contains(q.content),
            "quote {i} content {:?} is not inside its span {:?}",
            q.content,
            q.span
        );
    }
}

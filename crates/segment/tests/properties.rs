//! Property tests: on arbitrary text (unicode, quotes, dots, newlines) the segmenter never
//! panics and its spans keep their invariants.

use proptest::prelude::*;
use stancegraph_model::{Document, Segmented};
use stancegraph_segment::segment;

/// Pieces that stress the segmenter: abbreviations, quotes of every kind, apostrophes,
/// ellipses, list markers, URLs, multi-byte letters and blank lines.
const PIECES: &[&str] = &[
    "Mr.",
    "U.S.",
    "e.g.",
    "J.",
    "...",
    ". . . .",
    "…",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'s",
    "’90s",
    "«",
    "»",
    "„",
    "’’",
    "''",
    "1.",
    "a)",
    "•",
    "!?",
    "https://x.org/a.",
    "a@b.co",
    "N°.",
    "3.5",
    "Iran’s",
    "Erdoğan",
    "Путин",
    "é\u{301}",
    "\n",
    "\n\n",
    " ",
    " ",
    " ",
    ".",
    "-",
    "(",
    ")",
    "p.m.",
    "The",
    "he",
    "said",
    "Co.",
    "I.",
    "[",
    "]",
];

/// Text built from [`PIECES`], short lowercase words and arbitrary characters.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => prop::collection::vec(prop::char::range('a', 'z'), 1..8)
            .prop_map(|v| v.into_iter().collect::<String>()),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn check(seg: &Segmented, text: &str) -> Result<(), TestCaseError> {
    let ok = |s: stancegraph_model::Span| s.start <= s.end && s.slice(text).is_some();
    for p in &seg.paragraphs {
        prop_assert!(ok(*p), "paragraph {:?}", p);
        prop_assert!(!p.is_empty());
    }
    for w in seg.paragraphs.windows(2) {
        prop_assert!(w[0].end <= w[1].start);
    }
    let mut prev_end = 0;
    let mut prev_tokens_end = 0;
    for (i, s) in seg.sentences.iter().enumerate() {
        prop_assert_eq!(s.index, i);
        prop_assert!(ok(s.span), "sentence {:?}", s.span);
        prop_assert!(!s.span.is_empty());
        prop_assert!(
            s.span.start >= prev_end,
            "sentences overlap or go backwards"
        );
        prev_end = s.span.end;
        let para = seg.paragraphs.get(s.paragraph);
        prop_assert!(
            para.is_some_and(|p| p.contains(s.span)),
            "sentence outside its paragraph"
        );
        let slice = s.span.slice(text).unwrap_or("");
        prop_assert_eq!(slice.trim(), slice, "sentence not trimmed");
        prop_assert!(s.tokens.start < s.tokens.end && s.tokens.end <= seg.tokens.len());
        prop_assert_eq!(s.tokens.start, prev_tokens_end, "tokens not partitioned");
        prev_tokens_end = s.tokens.end;
        for t in &seg.tokens[s.tokens.start..s.tokens.end] {
            prop_assert!(ok(t.span), "token {:?}", t.span);
            prop_assert!(!t.span.is_empty());
            prop_assert!(s.span.contains(t.span), "token outside its sentence");
        }
        if let Some(q) = s.quote {
            prop_assert!(q < seg.quotes.len());
            prop_assert!(seg.quotes[q].span.overlaps(s.span));
        }
    }
    prop_assert_eq!(
        prev_tokens_end,
        seg.tokens.len(),
        "tokens outside sentences"
    );
    for w in seg.tokens.windows(2) {
        prop_assert!(w[0].span.end <= w[1].span.start, "tokens overlap");
    }
    for q in &seg.quotes {
        prop_assert!(ok(q.span) && ok(q.content), "quote {:?}", q);
        prop_assert!(q.span.contains(q.content), "content outside quote span");
    }
    for w in seg.quotes.windows(2) {
        prop_assert!(w[0].span.end <= w[1].span.start, "quotes overlap");
    }
    Ok(())
}

fn run(text: String, title: bool) -> Result<(), TestCaseError> {
    let doc = Document {
        id: "d:test".into(),
        source: "prop".into(),
        title: title.then(|| "t".to_string()),
        date: None,
        text,
        duplicate_of: None,
    };
    let seg = segment(&doc);
    check(&seg, &doc.text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings(text in any::<String>(), title in any::<bool>()) {
        run(text, title)?;
    }

    #[test]
    fn tricky_texts(text in tricky_text(), title in any::<bool>()) {
        run(text, title)?;
    }
}

//! Property tests: linking arbitrary text never panics, and every mention lies on char
//! boundaries inside the text, in order, without overlaps, naming a listed entity.

use proptest::prelude::*;
use stancegraph_link::{KnowledgeBase, Linker};
use stancegraph_model::{Document, Segmented, Sentence, Span};
use std::sync::{Arc, OnceLock};

fn linker() -> &'static Linker {
    static L: OnceLock<Linker> = OnceLock::new();
    L.get_or_init(|| Linker::new(Arc::new(KnowledgeBase::embedded().unwrap())))
}

/// Sentences cut at arbitrary (possibly odd) points: the linker must cope.
fn segmented(doc: &Document, cuts: &[usize]) -> Segmented {
    let mut starts: Vec<usize> = cuts
        .iter()
        .map(|c| c % (doc.text.len() + 1))
        .filter(|&c| doc.text.is_char_boundary(c))
        .collect();
    starts.push(0);
    starts.sort();
    starts.dedup();
    let sentences = starts
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let e = starts.get(i + 1).copied().unwrap_or(doc.text.len());
            Sentence {
                index: i,
                span: Span::new(s, e),
                paragraph: 0,
                tokens: Span::new(0, 0),
                quote: None,
            }
        })
        .collect();
    Segmented {
        doc: doc.id.clone(),
        paragraphs: vec![],
        sentences,
        tokens: vec![],
        quotes: vec![],
    }
}

fn check(text: String, cuts: Vec<usize>, title: bool) -> Result<(), TestCaseError> {
    let doc = Document {
        id: "d:p".into(),
        source: "p".into(),
        title: title.then(|| text.lines().next().unwrap_or("").to_string()),
        date: Some("2021-03-04".into()),
        text,
        duplicate_of: None,
    };
    let l = linker().link(&doc, &segmented(&doc, &cuts));
    let mut last_end = 0;
    for m in &l.mentions {
        prop_assert!(m.start < m.end && m.end <= doc.text.len());
        prop_assert!(doc.text.is_char_boundary(m.start) && doc.text.is_char_boundary(m.end));
        prop_assert!(m.start >= last_end, "overlap at {}", m.start);
        prop_assert_eq!(&doc.text[m.start..m.end], m.text.as_str());
        prop_assert!(l.entities.iter().any(|e| e.id == m.entity));
        prop_assert!((0.0..=1.0).contains(&m.score));
        last_end = m.end;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_strings(text in "\\PC{0,200}", cuts in proptest::collection::vec(0usize..400, 0..6), title: bool) {
        check(text, cuts, title)?;
    }

    #[test]
    fn name_like_strings(
        words in proptest::collection::vec(
            prop_oneof![
                Just("Iran’s".to_string()), Just("Iranian".to_string()), Just("Minister".to_string()),
                Just("Foreign".to_string()), Just("of".to_string()), Just("the".to_string()),
                Just("He".to_string()), Just("his".to_string()), Just("said".to_string()),
                Just("(SNSC)".to_string()), Just("Tehran-Baku".to_string()), Just("al-".to_string()),
                Just(",".to_string()), Just(".".to_string()), Just("\n\n".to_string()),
                Just("Ali".to_string()), Just("Ayatollah".to_string()), Just("é".to_string()),
                "[A-Z][a-zé]{0,8}", "[a-z’'-]{1,6}", "[A-Z]{2,5}",
            ],
            0..60,
        ),
        cuts in proptest::collection::vec(0usize..600, 0..8),
        title: bool,
    ) {
        check(words.join(" "), cuts, title)?;
    }
}

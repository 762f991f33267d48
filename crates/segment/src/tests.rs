//! Unit tests of the whole segmenter: paragraphs, headline, sentences, quotes.

use super::*;
use stancegraph_model::{Quote, TokenKind};

fn doc(title: Option<&str>, text: &str) -> Document {
    Document {
        id: "d:0000000000000000".into(),
        source: "test".into(),
        title: title.map(str::to_string),
        date: None,
        text: text.into(),
        duplicate_of: None,
    }
}

fn sentences(text: &str) -> Vec<&str> {
    split_sentences(text)
        .iter()
        .map(|s| s.slice(text).unwrap())
        .collect()
}

fn quote_texts<'a>(text: &'a str, seg: &Segmented) -> Vec<(&'a str, &'a str, bool)> {
    seg.quotes
        .iter()
        .map(|q| {
            (
                q.span.slice(text).unwrap(),
                q.content.slice(text).unwrap(),
                q.closed,
            )
        })
        .collect()
}

#[test]
fn empty_and_blank_text() {
    for text in ["", "   ", "\n\n\n", " \t\n \n"] {
        let seg = segment(&doc(Some("x"), text));
        assert!(seg.paragraphs.is_empty(), "{text:?}");
        assert!(seg.sentences.is_empty());
        assert!(seg.tokens.is_empty());
        assert!(seg.quotes.is_empty());
        assert_eq!(seg.doc, "d:0000000000000000");
    }
}

#[test]
fn headline_is_its_own_paragraph_and_sentence() {
    let text = "Minister Warns of Delays. Talks Resume?\nThe talks resumed on Monday. They ended late.\n\nA second paragraph follows.";
    let seg = segment(&doc(Some("Minister Warns of Delays. Talks Resume?"), text));
    let paras: Vec<&str> = seg
        .paragraphs
        .iter()
        .map(|p| p.slice(text).unwrap())
        .collect();
    assert_eq!(
        paras,
        vec![
            "Minister Warns of Delays. Talks Resume?",
            "The talks resumed on Monday. They ended late.",
            "A second paragraph follows."
        ]
    );
    let sents: Vec<(&str, usize)> = seg
        .sentences
        .iter()
        .map(|s| (s.span.slice(text).unwrap(), s.paragraph))
        .collect();
    assert_eq!(
        sents,
        vec![
            ("Minister Warns of Delays. Talks Resume?", 0),
            ("The talks resumed on Monday.", 1),
            ("They ended late.", 1),
            ("A second paragraph follows.", 2),
        ]
    );
    assert_eq!(seg.sentences[0].index, 0);
    // Without a title the first line is ordinary text.
    let seg = segment(&doc(None, text));
    assert_eq!(seg.paragraphs.len(), 2);
    assert_eq!(
        seg.sentences[0].span.slice(text).unwrap(),
        "Minister Warns of Delays."
    );
}

#[test]
fn paragraphs_are_trimmed_and_blank_lines_separate() {
    let text = "  First line.\nSame paragraph.  \n \t\n\n\nSecond one.  ";
    let paras: Vec<&str> = paragraphs(text, false)
        .iter()
        .map(|p| p.slice(text).unwrap())
        .collect();
    assert_eq!(paras, vec!["First line.\nSame paragraph.", "Second one."]);
}

#[test]
fn titles_and_abbreviations() {
    assert_eq!(
        sentences("Gen. Smith met Lt. Col. Jones and Sen. Doe at noon. Rep. Brown was absent."),
        vec![
            "Gen. Smith met Lt. Col. Jones and Sen. Doe at noon.",
            "Rep. Brown was absent."
        ]
    );
    assert_eq!(
        sentences("Shares of Acme Corp. rose on Jan. 5 at 10 a.m. local time. Trading was calm."),
        vec![
            "Shares of Acme Corp. rose on Jan. 5 at 10 a.m. local time.",
            "Trading was calm."
        ]
    );
    assert_eq!(
        sentences("The deal went to Acme Inc. The rivals objected."),
        vec!["The deal went to Acme Inc.", "The rivals objected."]
    );
    assert_eq!(
        sentences("Talks at the U.N. Security Council stalled. The U.K. She said no."),
        vec![
            "Talks at the U.N. Security Council stalled.",
            "The U.K.",
            "She said no."
        ]
    );
    assert_eq!(
        sentences("Fruit, vegetables, etc. are sold here. See No. 5 and p. 12, e.g. the table."),
        vec![
            "Fruit, vegetables, etc. are sold here.",
            "See No. 5 and p. 12, e.g. the table."
        ]
    );
}

#[test]
fn initials() {
    assert_eq!(
        sentences("The novel by J. R. R. Tolkien sold well. Mary K. Lee agreed."),
        vec![
            "The novel by J. R. R. Tolkien sold well.",
            "Mary K. Lee agreed."
        ]
    );
    assert_eq!(
        sentences("They chose plan B. The vote was close."),
        vec!["They chose plan B.", "The vote was close."]
    );
    assert_eq!(
        sentences("A book by J. Smith came out. You and I. Jones said so."),
        vec![
            "A book by J. Smith came out.",
            "You and I.",
            "Jones said so."
        ]
    );
}

#[test]
fn numbers_urls_and_emails() {
    assert_eq!(
        sentences("Growth was 3.5 percent in 2019. In 2020 it fell."),
        vec!["Growth was 3.5 percent in 2019.", "In 2020 it fell."]
    );
    assert_eq!(
        sentences("Write to press.office@example.org. Visit www.example.org/news. Thanks."),
        vec![
            "Write to press.office@example.org.",
            "Visit www.example.org/news.",
            "Thanks."
        ]
    );
}

#[test]
fn punctuation_inside_quotation_marks() {
    assert_eq!(
        sentences("\"Stop!\" he said. \"I will go.\" He left."),
        vec!["\"Stop!\" he said.", "\"I will go.\"", "He left."]
    );
    assert_eq!(
        sentences("“We came,” she said. “We stayed.” Then they left."),
        vec!["“We came,” she said.", "“We stayed.”", "Then they left."]
    );
    assert_eq!(
        sentences("The vote (held on Monday.) passed. It was close."),
        vec!["The vote (held on Monday.) passed.", "It was close."]
    );
}

#[test]
fn ellipses() {
    assert_eq!(
        sentences("He paused... Then he spoke. It was... unexpected."),
        vec!["He paused...", "Then he spoke.", "It was... unexpected."]
    );
    assert_eq!(
        sentences("She quoted “a [...] failure” and left."),
        vec!["She quoted “a [...] failure” and left."]
    );
}

#[test]
fn list_items() {
    assert_eq!(
        sentences("1. Open the door 2. Close the window 3. Leave"),
        vec!["1. Open the door", "2. Close the window", "3. Leave"]
    );
    assert_eq!(
        sentences("a) Apples b) Pears"),
        vec!["a) Apples", "b) Pears"]
    );
    assert_eq!(sentences("• Tea • Coffee"), vec!["• Tea", "• Coffee"]);
    // A number inside running prose is not a list marker.
    assert_eq!(
        sentences("He won 2 medals and 3 titles."),
        vec!["He won 2 medals and 3 titles."]
    );
}

#[test]
fn line_breaks_inside_a_paragraph() {
    let text = "By Jane Roe\nStaff Writer\nThe council met today, and\nit voted to adjourn.";
    assert_eq!(
        sentences(text),
        vec![
            "By Jane Roe",
            "Staff Writer",
            "The council met today, and\nit voted to adjourn."
        ]
    );
}

#[test]
fn sentences_never_cross_paragraphs() {
    let text = "He spoke of Mr.\n\nSmith and the U.S.\n\nThen it ended";
    let seg = segment(&doc(None, text));
    assert_eq!(seg.paragraphs.len(), 3);
    let sents: Vec<(&str, usize)> = seg
        .sentences
        .iter()
        .map(|s| (s.span.slice(text).unwrap(), s.paragraph))
        .collect();
    assert_eq!(
        sents,
        vec![
            ("He spoke of Mr.", 0),
            ("Smith and the U.S.", 1),
            ("Then it ended", 2)
        ]
    );
}

#[test]
fn sentence_token_ranges_cover_tokens() {
    let text = "Iran’s minister didn’t comment. The ’90s were different.";
    let seg = segment(&doc(None, text));
    assert_eq!(seg.sentences.len(), 2);
    let first = &seg.sentences[0];
    let toks: Vec<&str> = seg.tokens[first.tokens.start..first.tokens.end]
        .iter()
        .map(|t| t.span.slice(text).unwrap())
        .collect();
    assert_eq!(
        toks,
        vec!["Iran", "’s", "minister", "didn’t", "comment", "."]
    );
    assert_eq!(seg.sentences[1].tokens.start, first.tokens.end);
    assert_eq!(seg.sentences[1].tokens.end, seg.tokens.len());
    let second: Vec<&str> = seg.tokens[seg.sentences[1].tokens.start..]
        .iter()
        .map(|t| t.span.slice(text).unwrap())
        .collect();
    assert_eq!(second, vec!["The", "’90s", "were", "different", "."]);
    assert!(seg.tokens.iter().any(|t| t.kind == TokenKind::Punct));
}

#[test]
fn apostrophes_are_not_quotes() {
    let text = "Iran’s view, the voters’ mood and the ’90s don’t matter, he said.";
    let seg = segment(&doc(None, text));
    assert!(seg.quotes.is_empty(), "{:?}", quote_texts(text, &seg));
    let text = "He called it ‘a crisis’ and the parties’ leaders ‘a disgrace’.";
    let seg = segment(&doc(None, text));
    assert_eq!(
        quote_texts(text, &seg),
        vec![
            ("‘a crisis’", "a crisis", true),
            ("‘a disgrace’", "a disgrace", true)
        ]
    );
}

#[test]
fn curly_and_straight_quotes_in_a_paragraph() {
    let text = "“We will not yield,” the minister said. He added: \"Never.\" «Jamais», dit-il.";
    let seg = segment(&doc(None, text));
    assert_eq!(
        quote_texts(text, &seg),
        vec![
            ("“We will not yield,”", "We will not yield,", true),
            ("\"Never.\"", "Never.", true),
            ("«Jamais»", "Jamais", true),
        ]
    );
    // `“...,” the minister said.` lies in the quotation; `He added: "Never."` does not.
    assert_eq!(seg.sentences[0].quote, Some(0));
    assert_eq!(seg.sentences[1].quote, None);
}

#[test]
fn nested_quotes_are_part_of_the_outer_one() {
    let text = "“They told us ‘wait’ and we waited,” she said.";
    let seg = segment(&doc(None, text));
    assert_eq!(
        quote_texts(text, &seg),
        vec![(
            "“They told us ‘wait’ and we waited,”",
            "They told us ‘wait’ and we waited,",
            true
        )]
    );
}

#[test]
fn quote_spanning_paragraphs() {
    let text = "Headline Here\n\nThe mayor said: “We have a plan. It starts now.\n\n“It will take years. We are ready.”\n\nOthers disagreed.";
    let seg = segment(&doc(Some("Headline Here"), text));
    assert_eq!(seg.quotes.len(), 1);
    let q: &Quote = &seg.quotes[0];
    assert!(q.closed);
    assert_eq!(
        q.span.slice(text).unwrap(),
        "“We have a plan. It starts now.\n\n“It will take years. We are ready.”"
    );
    assert_eq!(
        q.content.slice(text).unwrap(),
        "We have a plan. It starts now.\n\n“It will take years. We are ready."
    );
    let inside: Vec<(&str, Option<usize>)> = seg
        .sentences
        .iter()
        .map(|s| (s.span.slice(text).unwrap(), s.quote))
        .collect();
    assert_eq!(
        inside,
        vec![
            ("Headline Here", None),
            ("The mayor said: “We have a plan.", None),
            ("It starts now.", Some(0)),
            ("“It will take years.", Some(0)),
            ("We are ready.”", Some(0)),
            ("Others disagreed.", None),
        ]
    );
}

#[test]
fn straight_quote_spanning_paragraphs() {
    let text = "\"First part of the statement.\n\n\"Second part.\" She stopped.";
    let seg = segment(&doc(None, text));
    assert_eq!(
        quote_texts(text, &seg),
        vec![(
            "\"First part of the statement.\n\n\"Second part.\"",
            "First part of the statement.\n\n\"Second part.",
            true
        )]
    );
}

#[test]
fn unclosed_quotes() {
    let text = "He said: “We will continue the fight\n\nNo reply came.";
    let seg = segment(&doc(None, text));
    assert_eq!(
        quote_texts(text, &seg),
        vec![(
            "“We will continue the fight",
            "We will continue the fight",
            false
        )]
    );
    let text = "Intro.\n\n“Cut off at the end";
    let seg = segment(&doc(None, text));
    assert_eq!(
        quote_texts(text, &seg),
        vec![("“Cut off at the end", "Cut off at the end", false)]
    );
    assert_eq!(seg.sentences[1].quote, Some(0));
}

#[test]
fn headline_quote_does_not_continue_into_body() {
    let text = "Minister: “No Retreat\n\n“We stay,” he said.";
    let seg = segment(&doc(Some("Minister: “No Retreat"), text));
    assert_eq!(
        quote_texts(text, &seg),
        vec![
            ("“No Retreat", "No Retreat", false),
            ("“We stay,”", "We stay,", true)
        ]
    );
}

#[test]
fn inch_marks_are_not_quotes() {
    let text = "The player is 6'2\" tall and weighs 90 kg.";
    let seg = segment(&doc(None, text));
    assert!(seg.quotes.is_empty());
}

#[test]
fn line_feeds_only_but_carriage_returns_are_tolerated() {
    // Ingest normalises line ends to "\n"; a stray "\r" is whitespace and never part of a
    // span.
    let text = "First paragraph.\r\n\r\nSecond one. Still second.\r\n";
    let seg = segment(&doc(None, text));
    let paras: Vec<&str> = seg
        .paragraphs
        .iter()
        .map(|p| p.slice(text).unwrap())
        .collect();
    assert_eq!(paras, vec!["First paragraph.", "Second one. Still second."]);
    assert_eq!(seg.sentences.len(), 3);
    assert!(seg
        .sentences
        .iter()
        .all(|s| !s.span.slice(text).unwrap().contains('\r')));
}

#[test]
fn lettered_lists_need_a_second_item() {
    assert_eq!(
        sentences("A. Smith said so. B. Jones did not."),
        vec!["A. Smith said so.", "B. Jones did not."]
    );
    assert_eq!(
        sentences("A. First point B. Second point"),
        vec!["A. First point", "B. Second point"]
    );
    assert_eq!(
        sentences("1.) Alpha 2.) Beta"),
        vec!["1.) Alpha", "2.) Beta"]
    );
}

#[test]
fn doubled_single_marks_act_as_double_quotes() {
    let text = "‘‘We stay,’’ she said. He said ``no'' twice.";
    let seg = segment(&doc(None, text));
    assert_eq!(
        quote_texts(text, &seg),
        vec![("‘‘We stay,’’", "We stay,", true), ("``no''", "no", true)]
    );
    assert_eq!(
        sentences(text),
        vec!["‘‘We stay,’’ she said.", "He said ``no'' twice."]
    );
}

#[test]
fn acronym_before_an_opening_quote_ends_the_sentence() {
    assert_eq!(
        sentences("Sales fell in the U.S. “Nobody is buying,” he said."),
        vec!["Sales fell in the U.S.", "“Nobody is buying,” he said."]
    );
    assert_eq!(
        sentences("He moved to Washington, D.C. The city welcomed him."),
        vec!["He moved to Washington, D.C.", "The city welcomed him."]
    );
}

#[test]
fn lowercase_forms_of_capitalised_abbreviations_are_words() {
    // "Co." is listed capitalised: "co." is an ordinary word with a sentence period.
    let text = "They asked Jane and co. Nobody answered.";
    assert_eq!(
        sentences(text),
        vec!["They asked Jane and co.", "Nobody answered."]
    );
    let toks: Vec<&str> = tokenize(text)
        .iter()
        .map(|t| t.span.slice(text).unwrap())
        .collect();
    assert!(toks.contains(&"co") && !toks.contains(&"co."));
}

#[test]
fn times_of_day() {
    assert_eq!(
        sentences("The blast came at 3 p.m. Police sealed the area. Talks end at 9 a.m. Friday."),
        vec![
            "The blast came at 3 p.m.",
            "Police sealed the area.",
            "Talks end at 9 a.m. Friday."
        ]
    );
    assert_eq!(
        sentences("Polls close at 8 p.m. EST and results follow."),
        vec!["Polls close at 8 p.m. EST and results follow."]
    );
}

#[test]
fn sentence_lookup_by_offset() {
    let text = "One here. Two there.\n\nThree.";
    let seg = segment(&doc(None, text));
    assert_eq!(sentence_at(&seg, 0), Some(0));
    assert_eq!(sentence_at(&seg, 8), Some(0));
    assert_eq!(sentence_at(&seg, 9), None);
    assert_eq!(sentence_at(&seg, 10), Some(1));
    assert_eq!(sentence_at(&seg, text.len() - 1), Some(2));
    assert_eq!(sentence_at(&seg, text.len()), None);
}

#[test]
fn straight_single_quotes() {
    let text =
        "'They owned us'\n\nThe players' union called it 'a fair deal' and all of 'em agreed.";
    let seg = segment(&doc(Some("'They owned us'"), text));
    let quotes = quote_texts(text, &seg);
    assert_eq!(quotes[0], ("'They owned us'", "They owned us", true));
    assert_eq!(quotes[1], ("'a fair deal'", "a fair deal", true));
    assert!(!quotes.iter().any(|q| q.0.contains("union")));
    assert_eq!(quotes.len(), 2);
    assert_eq!(seg.sentences[0].quote, Some(0));
}

/// The line flags of `paragraph_spans` say what a search between a paragraph's first and
/// last token says.
fn check_multi_line_flags(text: &str, has_headline: bool) {
    let mut multi_line = Vec::new();
    let paras = paragraph_spans(text, has_headline, &mut multi_line);
    assert_eq!(paras.len(), multi_line.len(), "{text:?}");
    for (p, &flag) in paras.iter().zip(&multi_line) {
        let mut toks = Vec::new();
        token::tokenize_range(text, p.start, p.end, Lexicon::embedded(), &mut toks);
        if !toks.is_empty() {
            assert_eq!(
                flag,
                sentence::spans_line_feed(text, &toks),
                "{text:?} {p:?}"
            );
        }
    }
}

#[test]
fn multi_line_flags_match_the_line_feed_search() {
    for text in [
        "Title line\nBody one\nstill one\n\nBody two.\n \n\t\nThree\n",
        "  one \n two\n\n\n three  \u{a0}\n four",
        "\u{2003}x\u{2028}y\n\nz",
        "",
        "\n\n",
    ] {
        check_multi_line_flags(text, false);
        check_multi_line_flags(text, true);
    }
}

proptest::proptest! {
    #[test]
    fn multi_line_flags_match_on_any_text(
        text in "([a-z]{1,5}|[ \t\n]|\u{a0}|\u{2003}|\u{2028}|\r|[.,“”])*",
        has_headline in proptest::bool::ANY,
    ) {
        check_multi_line_flags(&text, has_headline);
    }
}

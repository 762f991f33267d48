//! Context rules for ambiguous country names, on sentences written for these tests with
//! the embedded knowledge base: "Jordan" the person, "Turkey" the bird in a recipe,
//! "Georgia" the US state near Atlanta and the country near Tbilisi.

use stancegraph_link::{KnowledgeBase, Linker};
use stancegraph_model::{Document, Linked, Segmented, Sentence, Span};
use std::sync::{Arc, OnceLock};

fn linker() -> &'static Linker {
    static LINKER: OnceLock<Linker> = OnceLock::new();
    LINKER.get_or_init(|| Linker::new(Arc::new(KnowledgeBase::embedded().unwrap())))
}

/// One sentence per line.
fn segment(doc: &Document) -> Segmented {
    let mut sentences = Vec::new();
    let mut start = 0;
    for line in doc.text.split_inclusive('\n') {
        let s = line.trim();
        if !s.is_empty() {
            let a = start + line.find(s).unwrap();
            sentences.push(Sentence {
                index: sentences.len(),
                span: Span::new(a, a + s.len()),
                paragraph: sentences.len(),
                tokens: Span::new(0, 0),
                quote: None,
            });
        }
        start += line.len();
    }
    Segmented {
        doc: doc.id.clone(),
        paragraphs: sentences.iter().map(|s| s.span).collect(),
        sentences,
        tokens: vec![],
        quotes: vec![],
    }
}

fn link(text: &str) -> Linked {
    let doc = Document {
        id: "d:test".into(),
        source: "test".into(),
        title: None,
        date: None,
        text: text.to_string(),
        duplicate_of: None,
    };
    linker().link(&doc, &segment(&doc))
}

/// Entity ids of the mentions whose surface is `surface`.
fn linked_as(l: &Linked, surface: &str) -> Vec<String> {
    l.mentions
        .iter()
        .filter(|m| m.text == surface)
        .map(|m| m.entity.clone())
        .collect()
}

const JORDAN: &str = "wd:Q810";
const TURKEY: &str = "wd:Q43";
const GEORGIA: &str = "wd:Q230";

#[test]
fn jordan_the_person_is_not_the_country() {
    for text in [
        "The visitors' striker Jordan Henderson scored twice after the break.",
        "Striker Jordan Henderson scored twice after the break.",
        "Michael Jordan said he would not return to the court.",
    ] {
        let l = link(text);
        assert!(
            l.mentions.iter().all(|m| m.entity != JORDAN),
            "{text}: {:?}",
            l.mentions
        );
    }
    let l = link("The visitors' striker Jordan Henderson scored twice after the break.");
    assert_eq!(
        linked_as(&l, "Jordan Henderson"),
        vec!["new:person:jordan-henderson"]
    );
}

#[test]
fn jordan_the_country_still_links() {
    for text in [
        "Jordan said the border crossing would stay closed.",
        "Jordan and Egypt called for a ceasefire on Sunday.",
        "Officials in Jordan's capital denied the report.",
    ] {
        let l = link(text);
        assert_eq!(linked_as(&l, "Jordan"), vec![JORDAN], "{text}");
    }
    // a place word after the name is not a surname
    let l = link("Farmers in the Jordan Valley said the drought was the worst in years.");
    assert!(l.mentions.iter().all(|m| m.entity != JORDAN));
    assert!(l
        .mentions
        .iter()
        .all(|m| !m.entity.starts_with("new:person:")));
}

#[test]
fn turkey_the_bird_in_a_recipe_does_not_link() {
    for text in [
        "Roast the Turkey for three hours and baste it with butter.",
        "Turkey breast with gravy\nRoast the bird for three hours, then let it rest.",
        "Turkey sandwiches\nSlice the leftover meat and serve it cold with cranberry sauce.",
        "roast the turkey for three hours",
    ] {
        let l = link(text);
        assert!(l.mentions.is_empty(), "{text}: {:?}", l.mentions);
        assert!(l.entities.is_empty(), "{text}: {:?}", l.entities);
    }
}

#[test]
fn turkey_the_country_still_links() {
    for text in [
        "Turkey said it would host the talks in Istanbul next month.",
        "Turkey's foreign minister met his Iraqi counterpart on Monday.",
        // a food word in a political sentence does not outweigh it
        "Turkey banned poultry imports, the trade minister in Ankara said.",
    ] {
        let l = link(text);
        assert_eq!(linked_as(&l, "Turkey"), vec![TURKEY], "{text}");
    }
}

#[test]
fn georgia_near_atlanta_is_the_us_state() {
    for text in [
        "Georgia's governor signed the bill in Atlanta on Monday.",
        "Voters across Georgia lined up for hours in the Atlanta suburbs.",
        "Savannah and Augusta were the first Georgia cities to report results.",
    ] {
        let l = link(text);
        assert_eq!(
            linked_as(&l, "Georgia"),
            vec!["new:location:georgia"],
            "{text}"
        );
    }
}

#[test]
fn georgia_near_tbilisi_is_the_country() {
    for text in [
        "Georgia's parliament in Tbilisi passed the law on Tuesday.",
        "Georgia said Russian troops remain in Abkhazia and South Ossetia.",
        "Georgia signed a trade deal with Armenia.",
        // both kinds of context: the country's own words win a tie
        "Georgia's envoy in Tbilisi met a delegation from Atlanta.",
    ] {
        let l = link(text);
        assert_eq!(linked_as(&l, "Georgia"), vec![GEORGIA], "{text}");
    }
}

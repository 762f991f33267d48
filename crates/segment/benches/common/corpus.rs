//! Generated wire-style text for the benchmark and the throughput example: headline,
//! attributed quotations, abbreviations, numbers and a quotation over two paragraphs,
//! built from the templates below with a fixed pseudo-random sequence.

use stancegraph_model::Document;

const PEOPLE: &[&str] = &[
    "Gen. Amir Hatami",
    "Mr. Jonas E. Smith",
    "Sen. Maria Lopez",
    "Dr. Anna K. Berg",
    "Foreign Minister Jeyhun Bayramov",
    "Prof. Li Wei",
    "Lt. Col. Dana Reyes",
];
const PLACES: &[&str] = &[
    "Tehran",
    "Baku",
    "Washington",
    "the U.N.",
    "Brussels",
    "Moscow",
];
const TEMPLATES: &[&str] = &[
    "{P} said on Tuesday that talks with {L} would resume next week.",
    "“We will not accept any threat to our territorial integrity,” {P} told reporters in {L}.",
    "The U.S. State Department said the meeting at 10 a.m. had been “constructive and frank.”",
    "{P}, who met officials in {L} on Jan. 5, warned of “serious consequences” if the ceasefire failed.",
    "Shares of Acme Corp. fell 3.5 percent to $101.25 after the announcement, e.g. in early trading.",
    "“This is unacceptable. The people of our country deserve better,” {P} said.",
    "Iran’s parliament speaker condemned the attack, calling it a “cowardly act of terror.”",
    "Officials in {L} didn’t comment on the report, which cited No. 10 sources.",
    "He added: \"The sanctions will remain in place until the end of the year.\"",
    "Asked about the ’90s accords, {P} replied, ‘That was a different era.’",
    "The 44-day war ended with a Russia-brokered deal on Nov. 10, according to {P}.",
    "Critics say the plan... falls short. Supporters disagree!",
];

fn pick<'a>(items: &[&'a str], state: &mut u64) -> &'a str {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    items[((*state >> 33) as usize) % items.len()]
}

fn fill(template: &str, state: &mut u64) -> String {
    let mut out = template.to_string();
    while let Some(i) = out.find("{P}") {
        out.replace_range(i..i + 3, pick(PEOPLE, state));
    }
    while let Some(i) = out.find("{L}") {
        out.replace_range(i..i + 3, pick(PLACES, state));
    }
    out
}

/// One article of about 3 KB: headline, paragraphs of 1–3 sentences, one quotation that
/// runs over two paragraphs.
fn article(state: &mut u64) -> String {
    let mut text = fill("{P} Warns of New Tensions in {L}", state);
    for p in 0..10 {
        text.push_str("\n\n");
        if p == 5 {
            text.push_str("“The region needs calm. We call on all sides to show restraint.\n\n“Dialogue is the only way forward,” ");
            text.push_str(&fill("{P} said.", state));
            continue;
        }
        let n = 1 + (*state >> 40) as usize % 3;
        for s in 0..n {
            if s > 0 {
                text.push(' ');
            }
            let t = pick(TEMPLATES, state);
            text.push_str(&fill(t, state));
        }
    }
    text
}

pub fn corpus(bytes: usize) -> Vec<Document> {
    let mut state = 42u64;
    let mut docs = Vec::new();
    let mut total = 0;
    while total < bytes {
        let text = article(&mut state);
        total += text.len();
        docs.push(Document {
            id: format!("d:{:016x}", docs.len()),
            source: "bench".into(),
            title: Some("headline".into()),
            date: None,
            text,
            duplicate_of: None,
        });
    }
    docs
}

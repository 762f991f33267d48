//! Fuzz target: an arbitrary UTF-8 string segmented as a document (with a headline when
//! the first byte is even), checking the segmentation invariants.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stancegraph_fuzz::check_segmented;
use stancegraph_model::Document;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let has_title = data.first().is_some_and(|b| b % 2 == 0);
    let title = if has_title {
        text.lines().next().map(str::to_string)
    } else {
        None
    };
    let doc = Document {
        id: "d:0000000000000000".to_string(),
        source: "fuzz".to_string(),
        title,
        date: None,
        text: text.to_string(),
        duplicate_of: None,
    };
    let seg = stancegraph_segment::segment(&doc);
    check_segmented(&doc.text, &seg);
});

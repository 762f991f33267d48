//! The English "Golden Rules" sentence-boundary suite (pragmatic_segmenter / pySBD), read
//! at run time from `../shared/segmentation/golden_rules_en.jsonl`: the splitter must pass
//! at least 47 of the 48 cases. Skipped with a note when the shared folder is absent.

use std::path::Path;

#[test]
fn golden_rules_en() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let path = shared.join("segmentation/golden_rules_en.jsonl");
    if !shared.exists() || !path.exists() {
        eprintln!("note: {} absent, golden rules test skipped", path.display());
        return;
    }
    let data = std::fs::read_to_string(&path).unwrap();
    let mut total = 0;
    let mut passed = 0;
    let mut failed = Vec::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = case["id"].as_u64().unwrap();
        let text = case["text"].as_str().unwrap();
        let expected: Vec<&str> = case["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().trim())
            .collect();
        let got: Vec<&str> = stancegraph_segment::split_sentences(text)
            .iter()
            .map(|s| s.slice(text).unwrap().trim())
            .collect();
        total += 1;
        if got == expected {
            passed += 1;
        } else {
            failed.push(format!("#{id}: expected {expected:?}, got {got:?}"));
        }
    }
    println!("golden rules: {passed} of {total} pass");
    for f in &failed {
        println!("  failed {f}");
    }
    assert_eq!(total, 48, "expected 48 cases");
    assert!(passed >= 47, "only {passed} of {total} golden rules pass");
}

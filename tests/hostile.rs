//! The hostile-corpus test: a folder of dirty inputs generated here (nothing committed).
//! The run must finish, list every bad input in errors.jsonl with a readable reason,
//! process every good document, and exit with code 3.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const GOOD: &str =
    "Envoys Hold Talks\n\nThe envoy of Norway met the Chilean foreign minister in Oslo on Friday. \
He said both governments wanted closer ties.";

fn utf16le_with_bom(s: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

#[test]
fn hostile_corpus_is_fully_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("corpus");
    fs::create_dir(&d).unwrap();
    let w = |name: &str, bytes: &[u8]| fs::write(d.join(name), bytes).unwrap();

    // Bad inputs: each must be named in errors.jsonl.
    let mut png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    png.extend((0..4096u32).map(|i| (i * 31 % 256) as u8));
    w("bad_png_renamed.txt", &png);
    w("bad_empty.txt", b"");
    w("bad_whitespace.txt", b"  \n\t\n   \r\n ");
    let mut nul = b"Header\n\n".to_vec();
    nul.extend(std::iter::repeat_n(0u8, 2048));
    nul.extend(b"tail");
    w("bad_nul_bytes.txt", &nul);
    w(
        "mixed_lines.jsonl",
        format!(
            "{}\n{{\"title\": \"broken\", \"text\": \"unterminated\n{}\n",
            serde_json::json!({"title": "First", "text": "The minister of Peru said the port would reopen."}),
            serde_json::json!({"title": "Third", "text": "The mayor of Quito welcomed the decision on Monday."}),
        )
        .as_bytes(),
    );
    w(
        "ragged.csv",
        b"title,text\nGood row,\"The council of Ghana urged calm after the vote.\"\nragged,row,with,too,many,cells\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        d.join("does-not-exist.txt"),
        d.join("bad_dangling_link.txt"),
    )
    .unwrap();

    // Good but dirty inputs: each must come out as a document.
    w("good_plain.txt", GOOD.as_bytes());
    w("good_crlf.txt", GOOD.replace('\n', "\r\n").as_bytes());
    w(
        "good_utf16.txt",
        &utf16le_with_bom(&GOOD.replace("Norway", "Norwày")),
    );
    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend(GOOD.replace("Oslo", "Bergen").as_bytes());
    w("good_utf8_bom.txt", &bom);
    w(
        "good_invisible.txt",
        GOOD.replace("envoy", "en\u{200b}voy")
            .replace("minister", "\u{202e}minister\u{202c}")
            .as_bytes(),
    );
    w(
        "good_latin1.txt",
        &b"Caf\xe9 Talks\n\nThe envoy said the caf\xe9 owners in Paris r\xe9jected the plan."[..],
    );
    let deep = format!(
        "<html><body>{}<p>Deep page: the minister of Chad said the road was open.</p>{}</body></html>",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    w("good_deep.html", deep.as_bytes());
    w(
        "good_unclosed.html",
        b"<html><head><title>Unclosed</title><body><p>The envoy of Fiji said talks went well.<p class=\"x>Second <b>paragraph",
    );
    w(
        "good_long_line.txt",
        format!("Long Line\n\n{}", "word ".repeat(200_000)).as_bytes(),
    );
    w(
        "good_long_name.txt",
        format!(
            "Name Test\n\nThe minister {} said the treaty was signed.",
            "Q".repeat(10_000)
        )
        .as_bytes(),
    );
    let mut big = String::from("Big Document\n\n");
    while big.len() < 50_000_000 {
        big.push_str(
            "The foreign minister of Kenya said on Monday that the talks in Nairobi would resume. ",
        );
        big.push_str("He urged both sides to respect the ceasefire.\n\n");
    }
    w("good_big.txt", big.as_bytes());
    #[cfg(unix)]
    {
        fs::create_dir(d.join("loop")).unwrap();
        std::os::unix::fs::symlink(&d, d.join("loop").join("back")).unwrap();
    }

    let out = dir.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_stancegraph"))
        .args(["run", "--quiet", "--out"])
        .arg(&out)
        .arg(&d)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3), "bad inputs give exit code 3");

    let docs = read_jsonl(&out.join("documents.jsonl"));
    let errors = read_jsonl(&out.join("errors.jsonl"));
    let file_of = |source: &str| {
        let base = source.split('#').next().unwrap_or(source);
        Path::new(base)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let doc_files: BTreeSet<String> = docs
        .iter()
        .map(|d| file_of(d["source"].as_str().unwrap()))
        .collect();
    let error_sources: BTreeSet<String> = errors
        .iter()
        .map(|e| e["source"].as_str().unwrap().to_string())
        .collect();
    let error_files: BTreeSet<String> = error_sources.iter().map(|s| file_of(s)).collect();
    for e in &errors {
        let msg = e["error"].as_str().unwrap();
        assert!(msg.len() > 8, "a readable reason: {e}");
        assert!(!e["stage"].as_str().unwrap().is_empty());
    }

    for bad in [
        "bad_png_renamed.txt",
        "bad_empty.txt",
        "bad_whitespace.txt",
        "bad_nul_bytes.txt",
        "bad_dangling_link.txt",
    ] {
        assert!(
            error_files.contains(bad),
            "{bad} not reported: {error_sources:?}"
        );
        assert!(!doc_files.contains(bad), "{bad} must not become a document");
    }
    assert!(
        error_sources
            .iter()
            .any(|s| s.ends_with("mixed_lines.jsonl#2")),
        "the broken JSONL line is reported by number: {error_sources:?}"
    );
    let jsonl_docs = docs
        .iter()
        .filter(|d| d["source"].as_str().unwrap().contains("mixed_lines.jsonl#"))
        .count();
    assert_eq!(
        jsonl_docs, 2,
        "both good JSONL lines survive the broken one"
    );
    assert!(
        docs.iter()
            .any(|d| d["source"].as_str().unwrap().contains("ragged.csv#")),
        "the good CSV row survives the ragged one"
    );
    for good in [
        "good_plain.txt",
        "good_crlf.txt",
        "good_utf16.txt",
        "good_utf8_bom.txt",
        "good_invisible.txt",
        "good_latin1.txt",
        "good_deep.html",
        "good_unclosed.html",
        "good_long_line.txt",
        "good_long_name.txt",
        "good_big.txt",
    ] {
        assert!(
            doc_files.contains(good),
            "{good} missing from documents: {error_sources:?}"
        );
    }
    for doc in &docs {
        let text = doc["text"].as_str().unwrap();
        assert!(!text.contains('\r'), "CR normalised away");
        assert!(!text.contains('\u{200b}') && !text.contains('\u{202e}'));
        assert!(!text.contains('\u{feff}'));
        assert_eq!(doc["bytes"].as_u64().unwrap() as usize, text.len());
    }
    let by_file = |f: &str| {
        docs.iter()
            .find(|d| file_of(d["source"].as_str().unwrap()) == f)
            .unwrap()["text"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(by_file("good_crlf.txt"), by_file("good_plain.txt"));
    assert!(by_file("good_utf16.txt").contains("Norwày"));
    assert!(by_file("good_latin1.txt").contains("café"));
    assert!(by_file("good_deep.html").contains("minister of Chad"));
    assert!(by_file("good_invisible.txt").contains("envoy"));
    // Limits hit are reported, with the document, in run.json.
    let run: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    let examples = run["warning_examples"].as_array().unwrap();
    assert!(
        examples.iter().any(|w| {
            w["source"]
                .as_str()
                .unwrap()
                .ends_with("good_long_line.txt")
                && w["warning"]
                    .as_str()
                    .unwrap()
                    .contains("max-sentence-bytes")
        }),
        "the 1 MB sentence is reported: {examples:?}"
    );
    assert_eq!(run["warnings"].as_u64().unwrap() as usize, examples.len());
    // Outputs are complete JSON lines (no truncated file under a final name).
    for name in [
        "mentions.jsonl",
        "statements.jsonl",
        "events.jsonl",
        "entities.jsonl",
    ] {
        read_jsonl(&out.join(name));
    }
}

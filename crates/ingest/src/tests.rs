//! Tests of the public ingest API over every format and hostile inputs.

use super::*;
use std::collections::BTreeSet;

fn opts() -> IngestOptions {
    IngestOptions::default()
}

fn one(source: &str, bytes: &[u8]) -> Document {
    let r = ingest_bytes(source, bytes, &opts());
    assert!(r.errors.is_empty(), "errors: {:?}", r.errors);
    assert_eq!(r.documents.len(), 1);
    r.documents.into_iter().next().unwrap()
}

fn error_of(source: &str, bytes: &[u8]) -> String {
    let r = ingest_bytes(source, bytes, &opts());
    assert!(r.documents.is_empty(), "documents: {:?}", r.documents);
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].stage, "ingest");
    r.errors[0].error.clone()
}

#[test]
fn txt_with_headline_and_trailing_boilerplate() {
    let input = "Council Backs Harbour Plan\n\nThe council backed the plan on Monday.\n\nThe mayor said work would begin soon and the final phase was cut off mid wo\n\nBack to top button\n";
    let d = one("news/a.txt", input.as_bytes());
    assert_eq!(d.title.as_deref(), Some("Council Backs Harbour Plan"));
    assert_eq!(
        d.text,
        "Council Backs Harbour Plan\n\nThe council backed the plan on Monday.\n\nThe mayor said work would begin soon and the final phase was cut off mid wo"
    );
    assert_eq!(d.source, "news/a.txt");
    assert_eq!(d.id, document_id(&d.text));
    assert!(d.id.starts_with("d:") && d.id.len() == 18);
}

#[test]
fn txt_without_headline() {
    let d = one(
        "b.txt",
        b"The council backed the plan on Monday after a long debate.\n\nIt will cost more.",
    );
    assert_eq!(d.title, None);
    assert_eq!(
        d.text,
        "The council backed the plan on Monday after a long debate.\n\nIt will cost more."
    );
}

#[test]
fn txt_wrapped_lines_fold_and_lines_without_blanks_are_paragraphs() {
    let d = one(
        "c.txt",
        b"Harbour Plan Approved\n\nThe council backed the plan\non Monday after a long\ndebate.\n\nIt will cost more.",
    );
    assert_eq!(
        d.text,
        "Harbour Plan Approved\n\nThe council backed the plan on Monday after a long debate.\n\nIt will cost more."
    );
    let d = one(
        "d.txt",
        b"Harbour Plan Approved\nThe council backed it.\nIt will cost more.",
    );
    assert_eq!(d.title.as_deref(), Some("Harbour Plan Approved"));
    assert_eq!(
        d.text,
        "Harbour Plan Approved\n\nThe council backed it.\n\nIt will cost more."
    );
    // A wrapped first paragraph is not split into a fake headline.
    let d = one(
        "e.txt",
        b"The council backed the plan on Monday after a\nlong debate in the chamber.\n\nIt will cost more.",
    );
    assert_eq!(d.title, None);
    assert!(d
        .text
        .starts_with("The council backed the plan on Monday after a long debate"));
}

#[test]
fn txt_first_line_date_dates_the_document() {
    let d = one(
        "dated.txt",
        b"December 2, 2020\n\nThe council met on Wednesday.\n\nIt adjourned.",
    );
    assert_eq!(d.title, None);
    assert_eq!(d.date.as_deref(), Some("2020-12-02"));
    assert!(d.text.starts_with("December 2, 2020\n\n"));
}

#[test]
fn txt_leading_byline_is_kept_but_is_not_a_title() {
    let d = one(
        "f.txt",
        b"\n\nJane Doe, The Associated Press\n\n\n\nOTTAWA -- The talks resumed on Monday.",
    );
    assert_eq!(d.title, None);
    assert_eq!(
        d.text,
        "Jane Doe, The Associated Press\n\nOTTAWA -- The talks resumed on Monday."
    );
}

#[test]
fn crlf_bom_zero_width_and_bidi() {
    let mut b = vec![0xEF, 0xBB, 0xBF];
    b.extend_from_slice(
        "Title Line Here\r\n\r\nBody\u{200B} text\u{202E} with  spaces\u{00A0}and\tTabs.\r\nNext line.\r\n".as_bytes(),
    );
    let d = one("g.txt", &b);
    assert_eq!(d.title.as_deref(), Some("Title Line Here"));
    assert_eq!(
        d.text,
        "Title Line Here\n\nBody text with spaces and Tabs. Next line."
    );
}

#[test]
fn utf16_and_windows_1252_files() {
    let s = "Budget Talks Resume\n\nMinisters met in Zürich on Tuesday.";
    let mut le = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
    }
    let d = one("h.txt", &le);
    assert_eq!(d.text, s);
    let cp1252 = b"R\xE9sum\xE9 of the Day\n\nThe minister\x92s aide said \x93no\x94 to the caf\xE9 owners. The d\xE9cision stands, and the r\xE9gion accepts it.";
    let d = one("i.txt", cp1252);
    assert_eq!(d.title.as_deref(), Some("Résumé of the Day"));
    assert!(
        d.text
            .contains("minister’s aide said “no” to the café owners"),
        "{}",
        d.text
    );
}

#[test]
fn html_document_title_date_and_body() {
    let html = br#"<html><head><meta property="og:title" content="Harbour &amp; Port Plan"><meta property="article:published_time" content="2021-03-04T08:00:00+01:00"></head>
    <body><nav>Home | World</nav><article><h1>Harbour &amp; Port Plan</h1><p>The council approved it.</p><p>Share this</p></article><footer>(c) Site</footer></body></html>"#;
    let d = one("page.html", html);
    assert_eq!(d.title.as_deref(), Some("Harbour & Port Plan"));
    assert_eq!(d.date.as_deref(), Some("2021-03-04"));
    assert_eq!(d.text, "Harbour & Port Plan\n\nThe council approved it.");
}

#[test]
fn unknown_extension_is_sniffed() {
    let d = one(
        "page.php",
        b"<!DOCTYPE html><title>T</title><p>Para one.</p>",
    );
    assert_eq!(d.text, "T\n\nPara one.");
    let d = one("notes", b"Just some words.");
    assert_eq!(d.text, "Just some words.");
    let r = ingest_bytes("-", b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n", &opts());
    assert_eq!(r.documents.len(), 2);
    assert_eq!(r.documents[1].source, "-#2");
}

#[test]
fn jsonl_with_broken_line() {
    let input = b"{\"title\":\"First Story\",\"text\":\"One.\",\"date\":\"Dec. 2, 2020\"}\n{broken\n{\"body\":\"Three.\"}\n";
    let r = ingest_bytes("x.jsonl", input, &opts());
    assert_eq!(r.documents.len(), 2);
    assert_eq!(r.documents[0].source, "x.jsonl#1");
    assert_eq!(r.documents[0].title.as_deref(), Some("First Story"));
    assert_eq!(r.documents[0].text, "First Story\n\nOne.");
    assert_eq!(r.documents[0].date.as_deref(), Some("2020-12-02"));
    assert_eq!(r.documents[1].source, "x.jsonl#3");
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].source, "x.jsonl#2");
    assert!(
        r.errors[0].error.starts_with("invalid JSON on line 2: "),
        "{}",
        r.errors[0].error
    );
}

#[test]
fn json_record_with_html_body_and_empty_record() {
    let r = ingest_bytes(
        "y.json",
        br#"[{"title":"T","content":"<p>First para.</p><p>Second &amp; last.</p>"},{"text":"   "}]"#,
        &opts(),
    );
    assert_eq!(r.documents.len(), 1);
    assert_eq!(r.documents[0].text, "T\n\nFirst para.\n\nSecond & last.");
    assert_eq!(r.errors[0].source, "y.json#2");
    assert_eq!(r.errors[0].error, "empty document");
}

#[test]
fn csv_rows_become_documents() {
    let r = ingest_bytes(
        "z.csv",
        b"title,text,date\nA Title,\"Line one.\n\nLine two.\",2 December 2020\n,Only body.\n",
        &opts(),
    );
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.documents.len(), 2);
    assert_eq!(r.documents[0].text, "A Title\n\nLine one.\n\nLine two.");
    assert_eq!(r.documents[0].date.as_deref(), Some("2020-12-02"));
    assert_eq!(r.documents[1].title, None);
    assert_eq!(r.documents[1].source, "z.csv#2");
}

#[test]
fn gzip_inputs() {
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(b"{\"text\":\"one\"}\n{\"text\":\"two\"}\n")
        .unwrap();
    let gz = enc.finish().unwrap();
    let r = ingest_bytes("a.jsonl.gz", &gz, &opts());
    assert_eq!(r.documents.len(), 2);
    assert_eq!(r.documents[1].source, "a.jsonl.gz#2");
    // Two concatenated members.
    let mut both = Vec::new();
    for part in [&b"First part. "[..], &b"Second part."[..]] {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(part).unwrap();
        both.extend(e.finish().unwrap());
    }
    assert_eq!(one("b.txt.gz", &both).text, "First part. Second part.");
    assert!(error_of("c.txt.gz", b"\x1f\x8b\x08\x00garbage").starts_with("invalid gzip data"));
}

#[test]
fn hostile_inputs_give_clear_errors() {
    assert_eq!(error_of("e.txt", b""), "empty document");
    assert_eq!(
        error_of("w.txt", b" \n\t\r\n \xC2\xA0 \xE2\x80\x8B"),
        "empty document"
    );
    assert_eq!(
        error_of("img.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        "binary file (looks like PNG image)"
    );
    assert_eq!(
        error_of("nul.txt", b"text\0more"),
        "binary file (contains NUL bytes)"
    );
    assert_eq!(
        error_of("a.zip.txt", b"PK\x03\x04rest"),
        "binary file (looks like ZIP archive)"
    );
    assert_eq!(
        error_of("empty.html", b"<html><script>x()</script></html>"),
        "empty document"
    );
    // Invalid UTF-8 is decoded (legacy guess or replacement), not refused.
    let d = one("bad.txt", b"Caf\xE9 \xFF\xFE\xFD ok");
    assert!(!d.text.is_empty());
}

#[test]
fn empty_multi_record_files() {
    assert_eq!(error_of("a.json", b"[]"), "no records in file");
    assert_eq!(error_of("a.jsonl", b"\n\n"), "empty document");
    assert_eq!(error_of("a.csv", b"title,text\n"), "no records in file");
    assert_eq!(error_of("a.json", b" \xEF\xBB\xBF "), "empty document");
}

#[test]
fn other_extensions_and_boms_on_records() {
    let r = ingest_bytes("a.ndjson", b"{\"text\":\"x\"}", &opts());
    assert_eq!(r.documents[0].source, "a.ndjson#1");
    let d = one("A.HTM", b"<p>Upper-case extension.</p>");
    assert_eq!(d.text, "Upper-case extension.");
    let mut csv = vec![0xEF, 0xBB, 0xBF];
    csv.extend_from_slice(b"title,text\r\nT,Body text.\r\n");
    let r = ingest_bytes("b.csv", &csv, &opts());
    assert_eq!(r.documents[0].text, "T\n\nBody text.");
    let r = ingest_bytes("c.tsv", b"text\tdate\nBody.\t2020-12-02\n", &opts());
    assert_eq!(r.documents[0].date.as_deref(), Some("2020-12-02"));
}

#[test]
fn size_limits() {
    let small = IngestOptions {
        max_document_bytes: 10,
        ..IngestOptions::default()
    };
    let r = ingest_bytes("big.txt", b"This is more than ten bytes.", &small);
    assert_eq!(
        r.errors[0].error,
        "document is 28 bytes (28 bytes), larger than the limit of 10 bytes (10 bytes, max_document_bytes)"
    );
    let r = ingest_bytes(
        "big.jsonl",
        b"{\"text\":\"more than ten bytes\"}\n{\"text\":\"short\"}",
        &small,
    );
    assert_eq!(r.documents.len(), 1);
    assert!(r.errors[0].error.contains("max_document_bytes"));
    assert_eq!(human(64 * 1024 * 1024), "64 MiB");
}

#[test]
fn one_megabyte_line_without_punctuation() {
    let line = "word ".repeat(200_000);
    let d = one("long.txt", line.as_bytes());
    assert_eq!(d.title, None);
    assert_eq!(d.text.len(), line.trim_end().len());
}

#[test]
fn deep_html_and_unclosed_tags_through_the_api() {
    let html = "<div>".repeat(10_000) + "<p>Deep enough." + &"</div>".repeat(10_000);
    assert_eq!(one("deep.html", html.as_bytes()).text, "Deep enough.");
    let d = one(
        "broken.html",
        b"<html><body><p>Alpha <b>beta<p>Gamma <a href=\"x>delta</a><div class='y>Epsilon",
    );
    assert!(d.text.contains("Alpha beta"), "{}", d.text);
    assert!(d.text.contains("Gamma"), "{}", d.text);
}

#[test]
fn ids_are_stable_and_duplicates_marked() {
    assert_eq!(document_id(""), "d:cbf29ce484222325");
    assert_eq!(document_id("a"), "d:af63dc4c8601ec8c");
    let mk = |src: &str, text: &str| one(src, text.as_bytes());
    let mut docs = vec![
        mk("1.txt", "Same words here."),
        mk("2.txt", "Other words."),
        mk("3.txt", "Same words here."),
        mk("4.txt", "Same words here."),
        mk("5.txt", "same, words HERE"),
    ];
    let first = docs[0].id.clone();
    mark_duplicates(&mut docs);
    assert_eq!(docs[0].duplicate_of, None);
    assert_eq!(docs[1].duplicate_of, None);
    assert_eq!(docs[2].duplicate_of.as_deref(), Some(first.as_str()));
    assert_eq!(docs[3].duplicate_of.as_deref(), Some(first.as_str()));
    assert_eq!(docs[4].duplicate_of.as_deref(), Some(first.as_str()));
    let ids: BTreeSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 5, "ids stay unique");
    assert!(docs
        .iter()
        .all(|d| d.id.len() == 18 && d.id.starts_with("d:")));
    assert_eq!(docs[0].id, first);
}

#[test]
fn list_inputs_walks_sorted_and_survives_symlink_loops() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("b/inner")).unwrap();
    std::fs::write(root.join("b/inner/z.txt"), "z").unwrap();
    std::fs::write(root.join("a.txt"), "a").unwrap();
    std::fs::write(root.join("c.txt"), "c").unwrap();
    std::fs::write(root.join(".hidden.txt"), "h").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root, root.join("b/inner/loop")).unwrap();
    let (inputs, errors) = list_inputs(&[
        root.to_path_buf(),
        PathBuf::from("-"),
        root.join("missing.txt"),
    ]);
    let names: Vec<String> = inputs
        .iter()
        .map(|i| match i {
            InputSource::File(p) => p.strip_prefix(root).unwrap().display().to_string(),
            InputSource::Stdin => "-".into(),
        })
        .collect();
    assert_eq!(names, vec!["a.txt", "b/inner/z.txt", "c.txt", "-"]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].error, "no such file or directory");
    let r = read_input(&inputs[0], &opts());
    assert_eq!(r.documents[0].text, "a");
    let r = read_input(&InputSource::File(root.to_path_buf()), &opts());
    assert_eq!(r.errors[0].error, "is a directory");
}

#[test]
fn read_input_refuses_large_files_without_reading() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.txt");
    std::fs::write(&p, "x".repeat(100)).unwrap();
    let o = IngestOptions {
        max_document_bytes: 50,
        ..IngestOptions::default()
    };
    let r = read_input(&InputSource::File(p), &o);
    assert!(r.errors[0]
        .error
        .contains("larger than the limit of 50 bytes"));
}

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: ../shared is absent, skipping");
        None
    }
}

#[test]
fn seed_corpus_article() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
    {
        let r = read_input(&InputSource::File(path.clone()), &opts());
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let d = &r.documents[0];
        let raw = std::fs::read_to_string(path).unwrap();
        let first_line = raw.lines().next().unwrap().trim();
        assert_eq!(
            d.title.as_deref(),
            Some(first_line),
            "title is the first line"
        );
        assert!(d.text.starts_with(&format!("{first_line}\n\n")));
        let last_raw_line = raw
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap()
            .trim();
        if last_raw_line.eq_ignore_ascii_case("back to top button") {
            assert!(
                !d.text.contains(last_raw_line),
                "trailing boilerplate dropped"
            );
            let kept_last = raw
                .lines()
                .rev()
                .filter(|l| !l.trim().is_empty())
                .nth(1)
                .unwrap()
                .trim()
                .replace('\u{a0}', " ");
            let kept_last = kept_last.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(d.text.ends_with(&kept_last), "cut-off last paragraph kept");
        }
    }
}

#[test]
fn ggt_dev_texts_all_ingest() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("dev/ggt/texts");
    if !dir.exists() {
        eprintln!("note: {} absent, skipping", dir.display());
        return;
    }
    let (inputs, errors) = list_inputs(&[dir]);
    assert!(errors.is_empty());
    assert!(inputs.len() >= 40, "{} inputs", inputs.len());
    let mut with_title = 0;
    for input in &inputs {
        let r = read_input(input, &opts());
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.documents.len(), 1);
        let d = &r.documents[0];
        assert!(d.text.len() > 200, "{} is short", d.source);
        check_invariants(&d.text);
        with_title += usize::from(d.title.is_some());
    }
    // These texts have no headline line: almost none should get a title.
    assert!(with_title * 10 <= inputs.len(), "{with_title} titles");
}

/// The invariants every document text keeps.
pub(crate) fn check_invariants(text: &str) {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    assert!(!text.is_empty());
    assert!(!text.contains('\r'));
    assert!(!text.contains("\n\n\n"));
    assert!(!text.contains("  "));
    assert!(!text.starts_with(char::is_whitespace) && !text.ends_with(char::is_whitespace));
    assert!(text.chars().all(|c| !normalize::is_removed_char(c)));
    assert!(text.chars().all(|c| c == '\n' || !c.is_control()));
    assert_ne!(is_nfc_quick(text.chars()), IsNormalized::No);
    assert!(unicode_normalization::is_nfc(text));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn check(name: &str, bytes: &[u8]) {
        let r = ingest_bytes(name, bytes, &IngestOptions::default());
        for d in &r.documents {
            check_invariants(&d.text);
            if let Some(t) = &d.title {
                assert!(d.text.starts_with(t.as_str()));
            }
        }
        for e in &r.errors {
            assert!(!e.error.is_empty());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            for name in ["a.txt", "a.html", "a.json", "a.jsonl", "a.csv", "a.gz", "-"] {
                check(name, &bytes);
            }
        }

        #[test]
        fn arbitrary_strings_never_panic(s in "\\PC*", extra in "[<>&;#\"'/!=a-z\\-\n\r\t \u{200B}\u{202E}\u{FEFF}\u{0301}]{0,200}") {
            let text = format!("{s}{extra}{s}");
            for name in ["a.txt", "a.html", "a.jsonl", "a.csv"] {
                check(name, text.as_bytes());
            }
        }

    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn tag_soup_never_panics(parts in proptest::collection::vec(
            prop_oneof![
                Just("<p>"), Just("</p>"), Just("<div class=\"share\">"), Just("</div>"),
                Just("<!--"), Just("-->"), Just("<script>"), Just("</script>"), Just("<br>"),
                Just("<a href=\"x"), Just("'"), Just("\""), Just(">"), Just("<"), Just("&amp"),
                Just("&#x1F600;"), Just("&#0;"), Just("word "), Just("<h1>"), Just("<article>"),
                Just("<title>"), Just("\u{200D}"), Just("e\u{0301}"),
            ], 0..200)) {
            let html: String = parts.concat();
            check("soup.html", html.as_bytes());
        }
    }
}

#[test]
fn realistic_news_page() {
    let html = r##"<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Port deal signed - The Example Herald</title>
<meta property="og:title" content="Port deal signed | The Example Herald">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Port deal signed","datePublished":"2022-06-15T09:30:00+02:00"}</script>
<link rel="stylesheet" href="/s.css">
</head>
<body class="article-page">
<div id="cookie-banner">We use cookies. <button>Accept</button></div>
<header class="site-header"><a href="/">The Example Herald</a><nav><a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main id="content">
 <article class="story">
  <header><h1>Port deal signed</h1><p class="byline">By Jane Doe</p><time datetime="2022-06-15">15 June 2022</time></header>
  <figure><img src="a.jpg"><figcaption>Cranes at the port. (Photo: Agency)</figcaption></figure>
  <div class="story-body">
   <p>The two governments signed the port agreement on Wednesday,
      ending months of talks.</p>
   <div class="ad ad-inline">Advertisement</div>
   <p>&ldquo;This is a good day for both our countries,&rdquo; the minister said.</p>
   <aside class="related"><h3>Related</h3><ul><li><a href="/x">Earlier talks stall</a></li></ul></aside>
   <p>Critics said the deal gave away too much.</p>
   <div class="share-tools"><a href="#">Share on Facebook</a><a href="#">Tweet</a></div>
  </div>
 </article>
 <section class="comments"><h2>Comments</h2><p>First!</p></section>
</main>
<footer><p>&copy; 2022 The Example Herald. All rights reserved.</p></footer>
<script>window.dataLayer = [];</script>
</body></html>"##;
    let d = one("herald/port.html", html.as_bytes());
    assert_eq!(d.title.as_deref(), Some("Port deal signed"));
    assert_eq!(d.date.as_deref(), Some("2022-06-15"));
    assert_eq!(
        d.text,
        "Port deal signed\n\nThe two governments signed the port agreement on Wednesday, ending months of talks.\n\n“This is a good day for both our countries,” the minister said.\n\nCritics said the deal gave away too much."
    );
}

#[test]
fn duplicate_tracker_across_batches_matches_one_pass() {
    let make = |source: &str, text: &str| Document {
        id: document_id(text),
        source: source.to_string(),
        title: None,
        date: None,
        text: text.to_string(),
        duplicate_of: None,
    };
    let all = vec![
        make("a", "The envoy spoke."),
        make("b", "A different story."),
        make("c", "The envoy spoke."),
        make("d", "the envoy spoke"),
        make("e", "The envoy spoke."),
    ];
    let mut one_pass = all.clone();
    mark_duplicates(&mut one_pass);
    let mut batched = all.clone();
    let mut tracker = DuplicateTracker::default();
    let (first, rest) = batched.split_at_mut(2);
    tracker.mark(first);
    tracker.mark(rest);
    assert_eq!(one_pass, batched);
    assert_eq!(
        one_pass[2].duplicate_of.as_deref(),
        Some(one_pass[0].id.as_str())
    );
    assert_ne!(one_pass[2].id, one_pass[4].id);
    assert_eq!(
        one_pass[3].duplicate_of.as_deref(),
        Some(one_pass[0].id.as_str())
    );
    assert!(one_pass[1].duplicate_of.is_none());
}

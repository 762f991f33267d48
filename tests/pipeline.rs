//! End-to-end tests of `stancegraph run`: output files, error reporting and exit codes,
//! determinism across thread counts, a contained panic, and the seed article.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stancegraph"))
}

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: ../shared is absent; skipping");
        None
    }
}

fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const ARTICLE_A: &str = "Ministers Meet in Vienna\n\nThe foreign ministers of Austria and Slovenia met in Vienna on Monday.\n\nThe two sides said they would expand cooperation on energy.";
const ARTICLE_B: &str = "Council Issues Warning\n\nThe council warned that the drought threatens harvests across the region.";

fn write_corpus(dir: &Path) {
    fs::write(dir.join("a.txt"), ARTICLE_A).unwrap();
    fs::write(dir.join("b.txt"), ARTICLE_B).unwrap();
    fs::write(dir.join("c.txt"), ARTICLE_A).unwrap();
}

#[test]
fn run_writes_the_contract_files_and_reports_bad_input() {
    let corpus = tempfile::tempdir().unwrap();
    write_corpus(corpus.path());
    fs::write(
        corpus.path().join("broken.txt"),
        [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13],
    )
    .unwrap();
    fs::write(corpus.path().join("empty.txt"), "").unwrap();
    let out = tempfile::tempdir().unwrap();
    let status = bin()
        .args(["run", "--quiet", "--out"])
        .arg(out.path())
        .arg("--force")
        .arg(corpus.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3), "some inputs were skipped");
    for f in [
        "documents.jsonl",
        "mentions.jsonl",
        "entities.jsonl",
        "statements.jsonl",
        "events.jsonl",
        "errors.jsonl",
        "run.json",
    ] {
        assert!(out.path().join(f).is_file(), "{f} missing");
    }
    let docs = read_jsonl(&out.path().join("documents.jsonl"));
    assert_eq!(docs.len(), 3, "a, b and the duplicate c");
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "documents sorted by id");
    let dup: Vec<_> = docs
        .iter()
        .filter(|d| !d["duplicate_of"].is_null())
        .collect();
    assert_eq!(dup.len(), 1);
    assert!(docs.iter().all(|d| d["bytes"].as_u64().unwrap() > 0));
    let errors = read_jsonl(&out.path().join("errors.jsonl"));
    let sources: Vec<&str> = errors
        .iter()
        .map(|e| e["source"].as_str().unwrap())
        .collect();
    assert!(
        sources.iter().any(|s| s.ends_with("empty.txt")),
        "{sources:?}"
    );
    assert!(
        sources.iter().any(|s| s.ends_with("broken.txt")),
        "{sources:?}"
    );
    let run: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.path().join("run.json")).unwrap()).unwrap();
    assert_eq!(run["format"], 1);
    assert_eq!(run["documents"], 3);
    assert_eq!(run["errors"], errors.len());
}

#[test]
fn clean_run_exits_zero_and_refuses_foreign_folder() {
    let corpus = tempfile::tempdir().unwrap();
    write_corpus(corpus.path());
    let foreign = tempfile::tempdir().unwrap();
    fs::write(foreign.path().join("notes.txt"), "mine").unwrap();
    let status = bin()
        .args(["run", "--quiet", "--out"])
        .arg(foreign.path())
        .arg(corpus.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2), "refuses a folder that is not ours");
    assert_eq!(
        fs::read_to_string(foreign.path().join("notes.txt")).unwrap(),
        "mine"
    );
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("o");
    let status = bin()
        .args(["run", "--quiet", "--out"])
        .arg(&target)
        .arg(corpus.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    // A second run into our own folder is allowed.
    let status = bin()
        .args(["run", "--quiet", "--out"])
        .arg(&target)
        .arg(corpus.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

fn run_sample(threads: &str, out: &Path) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus");
    let status = bin()
        .args(["run", "--quiet", "--force", "--threads", threads, "--out"])
        .arg(out)
        .arg(&corpus)
        .status()
        .unwrap();
    assert!(matches!(status.code(), Some(0) | Some(3)));
}

#[test]
fn output_is_byte_identical_with_one_or_two_threads() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    run_sample("1", one.path());
    run_sample("2", two.path());
    let mut compared = 0;
    for entry in fs::read_dir(one.path()).unwrap() {
        let name = entry.unwrap().file_name();
        if name == "run.json" {
            continue; // holds timings and the thread count
        }
        let a = fs::read(one.path().join(&name)).unwrap();
        let b = fs::read(two.path().join(&name)).unwrap();
        assert!(a == b, "{name:?} differs between 1 and 2 threads");
        compared += 1;
    }
    assert!(compared >= 6);
    let docs = read_jsonl(&one.path().join("documents.jsonl"));
    assert!(docs.len() >= 8, "the sample corpus has at least 8 articles");
}

#[test]
fn a_panic_inside_one_document_is_contained() {
    let corpus = tempfile::tempdir().unwrap();
    write_corpus(corpus.path());
    fs::write(
        corpus.path().join("poison.txt"),
        "Poison\n\nThis text carries the marker XYZZY-PANIC for the test hook.",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let status = bin()
        .env("STANCEGRAPH_TEST_PANIC_MARKER", "XYZZY-PANIC")
        .args(["run", "--quiet", "--force", "--out"])
        .arg(out.path())
        .arg(corpus.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3));
    let docs = read_jsonl(&out.path().join("documents.jsonl"));
    assert_eq!(docs.len(), 3, "the good documents are all there");
    let errors = read_jsonl(&out.path().join("errors.jsonl"));
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["source"]
        .as_str()
        .unwrap()
        .ends_with("poison.txt"));
    assert!(errors[0]["error"]
        .as_str()
        .unwrap()
        .contains("injected test panic"));
}

#[test]
fn segment_jsonl_prints_one_sentence_a_line() {
    let corpus = tempfile::tempdir().unwrap();
    fs::write(corpus.path().join("b.txt"), ARTICLE_B).unwrap();
    let output = bin()
        .args(["segment", "--format", "jsonl"])
        .arg(corpus.path().join("b.txt"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let rows: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "title line and one sentence");
    assert_eq!(rows[0]["text"], "Council Issues Warning");
    assert_eq!(rows[1]["index"], 1);
    assert_eq!(rows[1]["quote"], false);
}

#[test]
fn mentions_command_prints_the_linker_mentions_that_the_run_writes() {
    let out = tempfile::tempdir().unwrap();
    run_sample("1", out.path());
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus");
    let output = bin()
        .args(["mentions", "--quiet", "--format", "jsonl"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(output.status.success());
    let key = |v: &serde_json::Value| {
        (
            v["doc"].as_str().unwrap().to_string(),
            v["start"].as_u64().unwrap(),
            v["end"].as_u64().unwrap(),
        )
    };
    let printed: Vec<_> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| key(&serde_json::from_str(l).unwrap()))
        .collect();
    let written: std::collections::BTreeSet<_> = read_jsonl(&out.path().join("mentions.jsonl"))
        .iter()
        .map(key)
        .collect();
    // The run adds the speakers it promotes (and retypes untyped ones as persons);
    // every span the linker finds is written.
    assert!(printed.len() > 100 && printed.len() <= written.len());
    for mention in &printed {
        assert!(
            written.contains(mention),
            "{mention:?} is not in mentions.jsonl"
        );
    }
    let text = bin()
        .args(["mentions", "--quiet"])
        .arg(corpus.join("2024-03-05-turkey-iraq-talks.txt"))
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("== d:"));
    assert!(
        text.contains("Hakan Fidan -> kb:hakan_fidan (name)"),
        "{text}"
    );
}

#[test]
fn seed_article_runs_and_scores() {
    let Some(shared) = shared() else { return };
    let out = tempfile::tempdir().unwrap();
    let status = bin()
        .args(["run", "--quiet", "--force", "--out"])
        .arg(out.path())
        .arg(shared.join("corpus"))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let docs = read_jsonl(&out.path().join("documents.jsonl"));
    assert_eq!(docs.len(), 1);
    assert!(docs[0]["title"]
        .as_str()
        .unwrap()
        .starts_with("Iranian Speaker"));
    assert!(docs[0]["sentences"].as_u64().unwrap() >= 15);

    // The stance graph of the seed: who took which position toward whom, and who met.
    let graph: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.path().join("graph.json")).unwrap()).unwrap();
    let label = |id: &str| -> String {
        graph["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .map(|n| n["label"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let edges: Vec<(String, String, String, f64)> = graph["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                label(e["source"].as_str().unwrap()),
                label(e["target"].as_str().unwrap()),
                e["relation"].as_str().unwrap().to_string(),
                e["stance"].as_f64().unwrap_or(0.0),
            )
        })
        .collect();
    let stance = |from: &str, to: &str| {
        edges
            .iter()
            .find(|(s, t, r, _)| s.contains(from) && t == to && r == "stance")
            .map(|e| e.3)
    };
    let negative = |from: &str, to: &str| {
        let s = stance(from, to);
        assert!(
            s.is_some_and(|s| s < 0.0),
            "{from} -> {to}: {s:?} in {edges:?}"
        );
    };
    negative("Qalibaf", "Israel");
    negative("Shamkhani", "United States");
    negative("Shamkhani", "Israel");
    negative("Shamkhani", "Islamic State");
    let s = stance("Bayramov", "Iran");
    assert!(s.is_some_and(|s| s > 0.0), "Bayramov -> Iran: {s:?}");
    let met = |a: &str, b: &str| {
        edges.iter().any(|(s, t, r, _)| {
            r == "meet" && ((s.contains(a) && t.contains(b)) || (s.contains(b) && t.contains(a)))
        })
    };
    assert!(met("Qalibaf", "Bayramov"), "{edges:?}");
    assert!(met("Shamkhani", "Bayramov"), "{edges:?}");
}

#[test]
fn cache_reuses_results_and_spilling_changes_no_byte() {
    let cache = tempfile::tempdir().unwrap();
    let plain = tempfile::tempdir().unwrap();
    let cached = tempfile::tempdir().unwrap();
    run_sample("2", plain.path());
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus");
    for _ in 0..2 {
        let status = bin()
            .args(["run", "--quiet", "--force", "--batch-inputs", "1"])
            .args(["--sort-memory-mb", "0", "--cache"])
            .arg(cache.path())
            .arg("--out")
            .arg(cached.path())
            .arg(&corpus)
            .status()
            .unwrap();
        assert!(matches!(status.code(), Some(0) | Some(3)));
    }
    let run: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(cached.path().join("run.json")).unwrap()).unwrap();
    assert_eq!(
        run["cache_misses"], 0,
        "second run is served from the cache"
    );
    assert_eq!(run["cache_hits"], run["documents"]);
    for name in [
        "documents.jsonl",
        "mentions.jsonl",
        "statements.jsonl",
        "entities.jsonl",
    ] {
        assert_eq!(
            fs::read(plain.path().join(name)).unwrap(),
            fs::read(cached.path().join(name)).unwrap(),
            "{name}: one batch in memory vs. one input per batch, spilled and cached"
        );
    }
    let leftovers: Vec<_> = fs::read_dir(cached.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temp or spill files left: {leftovers:?}"
    );
}

fn sample_files() -> Vec<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus");
    let mut files: Vec<PathBuf> = fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn merge_of_shard_runs_equals_one_run() {
    let files = sample_files();
    let (a, b): (Vec<_>, Vec<_>) = files.iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let work = tempfile::tempdir().unwrap();
    let run_into = |name: &str, inputs: Vec<&PathBuf>| {
        let out = work.path().join(name);
        let status = bin()
            .args(["run", "--quiet", "--force", "--out"])
            .arg(&out)
            .args(inputs)
            .status()
            .unwrap();
        assert!(matches!(status.code(), Some(0) | Some(3)));
        out
    };
    let part_a = run_into("a", a.into_iter().map(|(_, p)| p).collect());
    let part_b = run_into("b", b.into_iter().map(|(_, p)| p).collect());
    let whole = run_into("whole", files.iter().collect());
    let merged = work.path().join("merged");
    let status = bin()
        .args(["merge", "--quiet"])
        .arg(&part_b)
        .arg(&part_a)
        .arg("--out")
        .arg(&merged)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    for name in [
        "documents.jsonl",
        "mentions.jsonl",
        "entities.jsonl",
        "statements.jsonl",
        "events.jsonl",
        "errors.jsonl",
        "graph.graphml",
        "graph.gexf",
        "graph.json",
        "graph.dot",
        "nodes.csv",
        "edges.csv",
    ] {
        let m = fs::read(merged.join(name)).unwrap();
        let w = fs::read(whole.join(name)).unwrap();
        assert!(
            m == w,
            "{name}: merge(run(A), run(B)) differs from run(A ∪ B)"
        );
    }
}

#[test]
fn export_writes_each_view_and_format() {
    let out = tempfile::tempdir().unwrap();
    run_sample("2", out.path());
    for (view, format, marker) in [
        ("stance", "graphml", "<graphml"),
        ("events", "gexf", "<gexf"),
        ("congruence", "json", "\"links\""),
        ("conflict", "dot", "graph"),
        ("stance", "csv-edges", "Source,Target,Type,Weight"),
    ] {
        let file = out.path().join(format!("x-{view}.{format}"));
        let status = bin()
            .arg("export")
            .arg(out.path())
            .args(["--view", view, "--format", format, "--to"])
            .arg(&file)
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0), "{view} {format}");
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains(marker), "{view} {format}: {marker} missing");
    }
    let status = bin()
        .arg("export")
        .arg(out.path())
        .args(["--view", "nonsense"])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2), "an unknown view is a usage error");
}

#[test]
fn kb_lookup_explains_and_user_kb_files_extend_the_default() {
    let out = bin().args(["kb", "lookup", "Tehran"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("wd:Q794"), "{text}");
    assert!(text.contains("metonym"), "{text}");
    let miss = bin()
        .args(["kb", "lookup", "Zzyzx Qwerty"])
        .output()
        .unwrap();
    assert_eq!(miss.status.code(), Some(1));

    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("mine.tsv");
    fs::write(
        &kb,
        "key\ttype\tname\twikidata\tiso2\tcountry\taliases\tacronyms\tdemonyms\tcapital\tepithets\troles\taffiliations\n\
         harbour_watch\torganization\tHarbour Watch Collective\t\t\tNOR\t\tHWC\t\t\t\t\t\n",
    )
    .unwrap();
    let lookup = bin()
        .args(["kb", "--kb"])
        .arg(&kb)
        .args(["lookup", "HWC"])
        .output()
        .unwrap();
    assert_eq!(lookup.status.code(), Some(0));
    assert!(String::from_utf8(lookup.stdout)
        .unwrap()
        .contains("kb:harbour_watch"));
    let stats = bin().args(["kb", "stats"]).output().unwrap();
    let stats = String::from_utf8(stats.stdout).unwrap();
    assert!(
        stats.contains("country") && stats.contains("person"),
        "{stats}"
    );
}

#[test]
fn mention_cap_is_applied_and_reported() {
    let out = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus");
    let status = bin()
        .args(["run", "--quiet", "--force", "--max-mentions", "3", "--out"])
        .arg(out.path())
        .arg(&corpus)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0), "a limit hit is not a skipped input");
    let mentions = read_jsonl(&out.path().join("mentions.jsonl"));
    let mut per_doc = std::collections::BTreeMap::<String, usize>::new();
    for m in &mentions {
        *per_doc
            .entry(m["doc"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert!(per_doc.values().all(|&n| n <= 3), "{per_doc:?}");
    let run: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.path().join("run.json")).unwrap()).unwrap();
    assert!(
        run["warnings"].as_u64().unwrap() >= 8,
        "every article has more than 3 mentions"
    );
    assert!(run["warning_examples"][0]["warning"]
        .as_str()
        .unwrap()
        .contains("--max-mentions"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_replaces_no_output_and_the_cache_resumes() {
    let corpus = tempfile::tempdir().unwrap();
    let body = "The foreign minister of Peru met his Chilean counterpart in Lima on Monday. \
                He said both governments wanted closer trade ties and urged a swift deal.\n\n";
    for i in 0..3000 {
        fs::write(
            corpus.path().join(format!("{i:05}.txt")),
            format!("Talks Item {i}\n\n{}", body.repeat(12)),
        )
        .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("o");
    let cache = out.path().join("cache");
    let mut child = bin()
        .args([
            "run",
            "--quiet",
            "--threads",
            "1",
            "--batch-inputs",
            "50",
            "--cache",
        ])
        .arg(&cache)
        .arg("--out")
        .arg(&target)
        .arg(corpus.path())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    if status.code() == Some(0) {
        eprintln!("note: the run finished before the interrupt; nothing to check");
        return;
    }
    assert_eq!(
        status.code(),
        Some(130),
        "an interrupted run exits with 130"
    );
    for name in [
        "documents.jsonl",
        "statements.jsonl",
        "run.json",
        "graph.graphml",
    ] {
        assert!(
            !target.join(name).exists(),
            "{name} must not be written by an interrupted run"
        );
    }
    let leftovers: Vec<_> = fs::read_dir(&target)
        .map(|rd| rd.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(
        leftovers.is_empty(),
        "no temp or spill files left: {leftovers:?}"
    );
    let status = bin()
        .args(["run", "--quiet", "--cache"])
        .arg(&cache)
        .arg("--out")
        .arg(&target)
        .arg(corpus.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let run: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(target.join("run.json")).unwrap()).unwrap();
    assert!(
        run["cache_hits"].as_u64().unwrap() > 0,
        "resumed from the cache: {run}"
    );
    assert_eq!(run["documents"], 3000);
}

#[test]
fn every_speaker_is_an_actor_on_real_news() {
    let Some(shared) = shared() else { return };
    let out = tempfile::tempdir().unwrap();
    let status = bin()
        .args(["run", "--quiet", "--force", "--out"])
        .arg(out.path())
        .arg(shared.join("dev/ggt/texts"))
        .status()
        .unwrap();
    assert!(matches!(status.code(), Some(0) | Some(3)));
    let types: std::collections::BTreeMap<String, String> =
        read_jsonl(&out.path().join("entities.jsonl"))
            .into_iter()
            .map(|e| {
                (
                    e["id"].as_str().unwrap().to_string(),
                    e["type"].as_str().unwrap().to_string(),
                )
            })
            .collect();
    let statements = read_jsonl(&out.path().join("statements.jsonl"));
    assert!(statements.len() > 300, "{} statements", statements.len());
    for s in &statements {
        let speaker = s["speaker"].as_str().unwrap();
        let t = types.get(speaker).map(String::as_str).unwrap_or("missing");
        assert!(
            matches!(t, "person" | "organization" | "country" | "group"),
            "speaker {speaker} is {t}"
        );
    }
}

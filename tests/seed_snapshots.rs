//! Snapshot tests (insta) pinning every graph export format on the seed article of
//! `../shared` (skipped with a note when it is absent): a change in what the pipeline finds
//! or in how a format is written shows up as a reviewed snapshot diff.

use std::path::Path;
use std::process::Command;

#[test]
fn seed_graph_exports_are_pinned() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if !shared.is_dir() {
        eprintln!("note: ../shared is absent; skipping");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_stancegraph"))
        .args(["run", "--quiet", "--force", "--out"])
        .arg(out.path())
        .arg(shared.join("corpus"))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    for file in [
        "graph.graphml",
        "graph.gexf",
        "graph.json",
        "graph.dot",
        "nodes.csv",
        "edges.csv",
    ] {
        let text = std::fs::read_to_string(out.path().join(file)).unwrap();
        insta::assert_snapshot!(format!("seed_{}", file.replace('.', "_")), text);
    }
}

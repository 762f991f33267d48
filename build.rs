//! Build script: fingerprints the pipeline (stage sources and embedded data files) so
//! that `--cache` entries made by another version of the code or data are never reused.

use std::fs;
use std::path::Path;

fn visit(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            let name = entry.file_name();
            if name != "corpus" && name != "target" && name != "snapshots" {
                visit(&path, files);
            }
        } else {
            files.push(path);
        }
    }
}

fn main() {
    let mut files = Vec::new();
    for dir in [
        "data",
        "crates/ingest/src",
        "crates/segment/src",
        "crates/link/src",
        "crates/relate/src",
        "crates/model/src",
    ] {
        println!("cargo:rerun-if-changed={dir}");
        visit(Path::new(dir), &mut files);
    }
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for f in &files {
        feed(f.to_string_lossy().as_bytes());
        if let Ok(bytes) = fs::read(f) {
            feed(&bytes);
        }
    }
    println!("cargo:rustc-env=STANCEGRAPH_PIPELINE_HASH={hash:016x}");
}

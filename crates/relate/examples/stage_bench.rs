//! Times the relation stage alone on saved stage results (`stancegraph run --save-stages
//! DIR`): decodes every `.sg` file, then runs `Relator::relate` over all documents
//! `REPEAT` times (default 20) and prints the throughput, wall and on-CPU.

use stancegraph_model::{codec, Processed};
use stancegraph_relate::Relator;

/// Nanoseconds this thread has spent on a CPU (from /proc/thread-self/schedstat).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse().ok()))
        .unwrap_or(0)
}

fn main() {
    let dir = std::env::args().nth(1).expect("stage folder");
    let repeat: usize = std::env::var("REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let mut docs: Vec<Processed> = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    for p in paths {
        if p.extension().is_some_and(|e| e == "sg") {
            let bytes = std::fs::read(&p).expect("read");
            if let Ok(d) = codec::decode::<Processed>(&bytes) {
                docs.push(d);
            }
        }
    }
    let relator = Relator::embedded().expect("lexicons");
    let bytes: usize = docs.iter().map(|d| d.document.text.len()).sum::<usize>() * repeat;
    let t = std::time::Instant::now();
    let c0 = cpu_ns();
    let mut n = 0;
    for _ in 0..repeat {
        for d in &docs {
            n += relator
                .relate(&d.document, &d.segmented, &d.linked)
                .statements
                .len();
        }
    }
    let wall = t.elapsed().as_secs_f64();
    let cpu = (cpu_ns() - c0) as f64 / 1e9;
    eprintln!(
        "{} documents x {repeat}: {n} statements, {:.1} MB/s wall, {:.1} MB/s on-CPU",
        docs.len(),
        bytes as f64 / wall / 1e6,
        bytes as f64 / cpu / 1e6
    );
}

#!/usr/bin/env bash
# Whole-pipeline benchmark: generates a corpus (BENCH_MB megabytes, default 200) from the
# sample articles, runs stancegraph on it BENCH_RUNS times (default 3) with 1 and with 2
# threads, alternating, and reports the median run of each (MB/s, documents/s, peak RSS)
# and the speed-up between the medians, into target/bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
mb="${BENCH_MB:-200}"
runs="${BENCH_RUNS:-3}"
corpus="target/bench-corpus-${mb}mb"
mkdir -p target/bench
cargo build --profile dist --quiet --example gen_corpus
if [ ! -d "$corpus" ]; then
  ./target/dist/examples/gen_corpus "$corpus" "$mb"
fi
# The profile-guided build when LLVM's profdata tool is there (else the plain dist one).
bin=$(bash scripts/build_pgo.sh)
case "$bin" in */pgo/*) build="dist+pgo" ;; *) build="dist" ;; esac
rm -f target/bench/run-*.json
for r in $(seq 1 "$runs"); do
  for t in 1 2; do
    # Each run starts with the previous run's output flushed to disk, so that neither is
    # slowed by the other's write-back (the output is about five times the input).
    sync
    "$bin" run "$corpus" --out "target/bench/out-$t" --force --quiet --threads "$t" --no-text || [ $? -eq 3 ]
    cp "target/bench/out-$t/run.json" "target/bench/run-$t-$r.json"
  done
done
python3 - "$mb" "$runs" "$build" <<'PY'
import json, sys
mb, n, build = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def median_run(t):
    runs = sorted((json.load(open(f"target/bench/run-{t}-{r}.json")) for r in range(1, n + 1)),
                  key=lambda r: r["wall_seconds"])
    return runs[len(runs) // 2], [r["wall_seconds"] for r in runs]
def row(r, walls):
    tot = r["stages"]["total"]
    return {"threads": r["threads"], "documents": r["documents"], "megabytes": tot["megabytes"],
            "wall_seconds": r["wall_seconds"], "all_wall_seconds": walls,
            "mb_per_second": tot["mb_per_second"],
            "documents_per_second": tot["documents_per_second"], "peak_rss_mb": r.get("peak_rss_mb"),
            "stages_mb_per_second_per_core": {k: v["mb_per_second"] for k, v in r["stages"].items() if k != "total"}}
(one, walls1), (two, walls2) = median_run(1), median_run(2)
res = {"corpus_mb": mb, "build": build, "runs_per_thread_count": n, "runs": [row(one, walls1), row(two, walls2)],
       "speedup_1_to_2_threads": round(one["wall_seconds"] / max(two["wall_seconds"], 1e-9), 3)}
json.dump(res, open("target/bench/results.json", "w"), indent=1)
for r in res["runs"]:
    print(f"threads {r['threads']}: {r['documents']} docs, {r['megabytes']:.1f} MB in {r['wall_seconds']:.2f}s "
          f"(median of {r['all_wall_seconds']}) = {r['mb_per_second']:.1f} MB/s, "
          f"{r['documents_per_second']:.0f} docs/s, peak RSS {r['peak_rss_mb']} MiB")
    print("   per-stage MB/s per core:", r["stages_mb_per_second_per_core"])
print(f"speed-up 1 -> 2 threads (medians): {res['speedup_1_to_2_threads']}x   ({build} build; target/bench/results.json)")
PY

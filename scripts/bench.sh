#!/usr/bin/env bash
# Whole-pipeline benchmark: generates a corpus (BENCH_MB megabytes, default 200) from the
# sample articles, runs stancegraph on it with 1 and 2 threads, and reports MB/s,
# documents/s, peak RSS and the speed-up, into target/bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
mb="${BENCH_MB:-200}"
corpus="target/bench-corpus-${mb}mb"
mkdir -p target/bench
cargo build --profile dist --quiet --bin stancegraph --example gen_corpus
if [ ! -d "$corpus" ]; then
  ./target/dist/examples/gen_corpus "$corpus" "$mb"
fi
for t in 1 2; do
  # Each run starts with the previous run's output flushed to disk, so that neither is
  # slowed by the other's write-back (the output is about five times the input).
  sync
  ./target/dist/stancegraph run "$corpus" --out "target/bench/out-$t" --force --quiet --threads "$t" --no-text || [ $? -eq 3 ]
  cp "target/bench/out-$t/run.json" "target/bench/run-$t.json"
done
python3 - "$mb" <<'PY'
import json, sys
runs = {t: json.load(open(f"target/bench/run-{t}.json")) for t in (1, 2)}
def row(r):
    tot = r["stages"]["total"]
    return {"threads": r["threads"], "documents": r["documents"], "megabytes": tot["megabytes"],
            "wall_seconds": r["wall_seconds"], "mb_per_second": tot["mb_per_second"],
            "documents_per_second": tot["documents_per_second"], "peak_rss_mb": r.get("peak_rss_mb"),
            "stages_mb_per_second_per_core": {k: v["mb_per_second"] for k, v in r["stages"].items() if k != "total"}}
res = {"corpus_mb": float(sys.argv[1]), "runs": [row(runs[1]), row(runs[2])],
       "speedup_1_to_2_threads": round(runs[1]["wall_seconds"] / max(runs[2]["wall_seconds"], 1e-9), 3)}
json.dump(res, open("target/bench/results.json", "w"), indent=1)
for r in res["runs"]:
    print(f"threads {r['threads']}: {r['documents']} docs, {r['megabytes']:.1f} MB in {r['wall_seconds']:.2f}s = "
          f"{r['mb_per_second']:.1f} MB/s, {r['documents_per_second']:.0f} docs/s, peak RSS {r['peak_rss_mb']} MiB")
    print("   per-stage MB/s per core:", r["stages_mb_per_second_per_core"])
print(f"speed-up 1 -> 2 threads: {res['speedup_1_to_2_threads']}x   (target/bench/results.json)")
PY

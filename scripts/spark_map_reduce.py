#!/usr/bin/env python3
"""Runs stancegraph over a corpus as shards under Apache Spark (local mode), then merges
the parts, and checks that the merged output equals a single run on the whole corpus.

    python spark_map_reduce.py CORPUS_DIR STANCEGRAPH_BINARY WORK_DIR [SHARDS]

Map: each Spark partition calls `stancegraph run SHARD_FILES... --out PART` (the binary
must be on every worker; on a cluster ship it with `--files` or install it on the nodes).
Reduce: `stancegraph merge PART... --out MERGED`. Exits non-zero when the merged output
differs from the single run.
"""
import os
import subprocess
import sys

COMPARED = ["documents.jsonl", "mentions.jsonl", "entities.jsonl", "statements.jsonl",
            "events.jsonl", "graph.graphml", "graph.gexf", "graph.json", "graph.dot",
            "nodes.csv", "edges.csv"]


def list_files(root):
    out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        out.extend(os.path.join(d, f) for f in sorted(files))
    return sorted(out)


def run(binary, inputs, out):
    r = subprocess.run([binary, "run", *inputs, "--out", out, "--force", "--quiet"])
    if r.returncode not in (0, 3):
        raise SystemExit(f"stancegraph run failed with {r.returncode} on {out}")
    return out


def main():
    corpus, binary, work = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
    shards = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    os.makedirs(work, exist_ok=True)
    files = list_files(corpus)
    groups = [(i, files[i::shards]) for i in range(shards) if files[i::shards]]

    from pyspark import SparkConf, SparkContext
    conf = SparkConf().setMaster("local[2]").setAppName("stancegraph-shards") \
        .set("spark.ui.enabled", "false")
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    parts_dir = os.path.abspath(os.path.join(work, "parts"))

    def map_partition(items):
        for index, paths in items:
            yield run(binary, paths, os.path.join(parts_dir, f"part-{index:04d}"))

    parts = sorted(sc.parallelize(groups, len(groups)).mapPartitions(map_partition).collect())
    sc.stop()

    merged = os.path.join(work, "merged")
    r = subprocess.run([binary, "merge", *parts, "--out", merged, "--force", "--quiet"])
    if r.returncode != 0:
        raise SystemExit(f"stancegraph merge failed with {r.returncode}")
    single = run(binary, [corpus], os.path.join(work, "single"))

    bad = []
    for name in COMPARED:
        a, b = os.path.join(merged, name), os.path.join(single, name)
        if not os.path.exists(b):
            continue
        if not os.path.exists(a) or open(a, "rb").read() != open(b, "rb").read():
            bad.append(name)
    print(f"{len(files)} files in {len(parts)} Spark shards, merged: "
          + ("identical to a single run" if not bad else f"DIFFERS in {', '.join(bad)}"))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

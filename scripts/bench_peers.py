#!/usr/bin/env python3
"""Peer benchmark: the same text through pySBD (sentence splitting) and spaCy's small
English model (named-entity recognition alone), against stancegraph measured in the same
run; prints each peer as a ratio to stancegraph: spaCy's NER against the whole stancegraph
pipeline (the target) and against the `mentions` command (ingest, segmentation and entity
linking: the like-for-like stage).

    python bench_peers.py CORPUS_DIR STANCEGRAPH_BINARY [MEGABYTES]

CORPUS_DIR holds JSONL shards from the gen_corpus example; MEGABYTES (default 2) of
article text are taken from it, since the peers are slow.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time


def load_texts(corpus, megabytes):
    texts, size = [], 0
    for name in sorted(os.listdir(corpus)):
        with open(os.path.join(corpus, name), encoding="utf-8") as f:
            for line in f:
                t = json.loads(line)["text"]
                texts.append(t)
                size += len(t.encode("utf-8"))
                if size >= megabytes * 1e6:
                    return texts, size
    return texts, size


def words(texts):
    return sum(len(re.findall(r"\w+", t)) for t in texts)


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def stancegraph_seconds(binary, texts, command, runs=3):
    """The median wall time of `runs` runs (one run is at the mercy of the machine)."""
    times = sorted(stancegraph_once(binary, texts, command) for _ in range(runs))
    return times[len(times) // 2]


def stancegraph_once(binary, texts, command):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "bench.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for t in texts:
                f.write(json.dumps({"text": t}) + "\n")
        out = os.path.join(d, "out")
        args = [binary, "--threads", "1", "--quiet"]
        if command in ("segment", "mentions"):
            args += [command, "--format", "jsonl", path]
        else:
            args += ["run", path, "--out", out, "--force", "--no-text"]
        t = time.perf_counter()
        subprocess.run(args, check=False, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t


def main():
    corpus, binary = sys.argv[1], sys.argv[2]
    megabytes = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    texts, size = load_texts(corpus, megabytes)
    mb, n_words = size / 1e6, words(texts)
    print(f"text: {len(texts)} articles, {mb:.2f} MB, {n_words} words (one core each)")

    # Each stancegraph figure is the median of three runs.
    sg_seg = stancegraph_seconds(binary, texts, "segment")
    sg_run = stancegraph_seconds(binary, texts, "run")
    sg_ner = stancegraph_seconds(binary, texts, "mentions")
    print(f"stancegraph segment (incl. ingest, output): {mb / sg_seg:8.2f} MB/s")
    print(f"stancegraph full pipeline:                  {n_words / sg_run:10.0f} words/s ({mb / sg_run:.2f} MB/s)")
    print(f"stancegraph mentions (ingest, segment, link): {n_words / sg_ner:8.0f} words/s ({mb / sg_ner:.2f} MB/s)")

    import pysbd
    seg = pysbd.Segmenter(language="en", clean=False)
    few = texts[: max(1, len(texts) // 10)]
    few_mb = sum(len(t.encode("utf-8")) for t in few) / 1e6
    s = timed(lambda: [seg.segment(t) for t in few])
    print(f"pySBD:                                      {few_mb / s:8.2f} MB/s   -> stancegraph segment is "
          f"{(mb / sg_seg) / (few_mb / s):.0f}x faster")

    import en_core_web_sm
    nlp = en_core_web_sm.load(disable=["tagger", "parser", "textcat"])
    s = timed(lambda: [nlp(t) for t in few])
    ner_wps = words(few) / s
    print(f"spaCy en_core_web_sm, NER alone:            {ner_wps:10.0f} words/s -> stancegraph full pipeline is "
          f"{(n_words / sg_run) / ner_wps:.0f}x the words/s")
    print(f"{'':44}-> stancegraph mentions alone is {(n_words / sg_ner) / ner_wps:.0f}x")


if __name__ == "__main__":
    main()

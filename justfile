# Daily tasks for stancegraph. `cargo install just` if you do not have it.

# Run the whole pipeline on the sample corpus (or on INPUT) into out/
run *ARGS:
    cargo run --release -- run {{ARGS}}

# Run every test
test:
    cargo test --workspace --release

# Whole-pipeline benchmark (MB/s, docs/s, peak RSS, 1 -> 2 thread speed-up) into
# target/bench/results.json; BENCH_MB sets the generated corpus size (default 200)
bench:
    bash scripts/bench.sh

# The profile-guided production build (needs llvm-profdata of rustc's LLVM); prints its path
build-pgo:
    bash scripts/build_pgo.sh

# Criterion benchmarks of each stage
bench-stages:
    cargo bench --workspace

# The same text through pySBD and spaCy's small English model, as ratios to stancegraph
bench-peers:
    bash scripts/bench_peers.sh

# Generate a benchmark corpus: just gen-corpus DIR MEGABYTES
gen-corpus DIR="target/bench-corpus" MB="100":
    cargo run --release --example gen_corpus -- {{DIR}} {{MB}}

# Score on the shared seed article and the GGT quotation set (needs ../shared)
eval:
    cargo run --release -- run ../shared/corpus --out target/eval-seed --force --quiet
    python3 ../shared/eval/score.py --gold ../shared/gold --out target/eval-seed --verbose
    cargo run --release -- run ../shared/dev/ggt/texts --out target/eval-ggt --force --quiet || true
    python3 ../shared/eval/score_quotes.py --gold ../shared/dev/ggt/gold_quotes.jsonl --out target/eval-ggt

# What CI runs
ci:
    bash .ci/run

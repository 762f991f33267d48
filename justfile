# Daily tasks for stancegraph. `cargo install just` if you do not have it.

# Run the whole pipeline on the sample corpus (or on INPUT) into out/
run *ARGS:
    cargo run --release -- run {{ARGS}}

# Run every test
test:
    cargo test --workspace --release

# Benchmarks of each stage (criterion)
bench:
    cargo bench --workspace

# Score on the shared seed article and the GGT quotation set (needs ../shared)
eval:
    cargo run --release -- run ../shared/corpus --out target/eval-seed --force --quiet
    python3 ../shared/eval/score.py --gold ../shared/gold --out target/eval-seed --verbose
    cargo run --release -- run ../shared/dev/ggt/texts --out target/eval-ggt --force --quiet || true
    python3 ../shared/eval/score_quotes.py --gold ../shared/dev/ggt/gold_quotes.jsonl --out target/eval-ggt

# What CI runs
ci:
    bash .ci/run

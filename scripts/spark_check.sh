#!/usr/bin/env bash
# Installs pyspark into .venv-spark (Java 17 must be on the machine) and runs the Spark
# map step over the sample corpus in shards, merges, and compares with a single run.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin stancegraph
if [ ! -x .venv-spark/bin/python ]; then
  python3 -m venv .venv-spark
  .venv-spark/bin/pip install -q pyspark
fi
rm -rf target/spark-check
.venv-spark/bin/python scripts/spark_map_reduce.py data/corpus ./target/release/stancegraph target/spark-check "${SHARDS:-4}"

#!/usr/bin/env bash
# Installs the peers (pySBD, spaCy 2.3.9 with the small English model from PyPI) into
# .venv-peers and runs scripts/bench_peers.py against stancegraph on the bench corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
mb="${BENCH_MB:-200}"
corpus="target/bench-corpus-${mb}mb"
cargo build --profile dist --quiet --example gen_corpus
[ -d "$corpus" ] || ./target/dist/examples/gen_corpus "$corpus" "$mb"
# The profile-guided build when LLVM's profdata tool is there (else the plain dist one).
bin=$(bash scripts/build_pgo.sh)
if [ ! -x .venv-peers/bin/python ]; then
  python3 -m venv .venv-peers
  .venv-peers/bin/pip install -q pysbd
  .venv-peers/bin/pip install -q --only-binary :all: "spacy==2.3.9" "numpy<2"
  .venv-peers/bin/pip install -q --no-deps dataqa-nlp-models==2.3.1
fi
.venv-peers/bin/python scripts/bench_peers.py "$corpus" "$bin" "${PEER_MB:-10}"

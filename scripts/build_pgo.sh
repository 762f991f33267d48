#!/usr/bin/env bash
# Builds the profile-guided `dist` binary: an instrumented build runs over a training
# corpus of our own (the sample articles, and a 20 MB corpus generated with another seed
# than the benchmark's), and the profile steers the final build's inlining and code
# layout. Prints the binary's path. Needs llvm-profdata from the LLVM that rustc uses
# (`rustc -vV`); without it, it prints the plain `dist` binary and says so on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
llvm_major=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
profdata=$(command -v "llvm-profdata-$llvm_major" || true)
if [ -z "$profdata" ]; then
  echo "build_pgo: no llvm-profdata-$llvm_major (apt-get install llvm-$llvm_major); using the plain dist build" >&2
  cargo build --profile dist --quiet --bin stancegraph
  echo "$root/target/dist/stancegraph"
  exit 0
fi
pgo="$root/target/pgo"
rm -rf "$pgo/profiles"
mkdir -p "$pgo"
RUSTFLAGS="-Cprofile-generate=$pgo/profiles" \
  cargo build --profile dist --quiet --bin stancegraph --example gen_corpus --target-dir "$pgo/gen"
train="$pgo/train-corpus"
[ -d "$train" ] || "$pgo/gen/dist/examples/gen_corpus" "$train" 20 99 >/dev/null
for t in 1 2; do
  "$pgo/gen/dist/stancegraph" run data/corpus "$train" --out "$pgo/train-out" --force --quiet --threads "$t" || [ $? -eq 3 ]
done
"$profdata" merge -o "$pgo/merged.profdata" "$pgo/profiles"
RUSTFLAGS="-Cprofile-use=$pgo/merged.profdata" \
  cargo build --profile dist --quiet --bin stancegraph --target-dir "$pgo/use"
echo "$pgo/use/dist/stancegraph"

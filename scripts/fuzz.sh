#!/usr/bin/env bash
# Runs the cargo-fuzz targets one after another, each for a set time, and prints the
# executions libFuzzer reports. Needs the nightly toolchain and cargo-fuzz
# (`rustup toolchain install nightly`, `cargo install cargo-fuzz`).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 600 seconds, every target
#
# Seeds come from the repository (query scripts, sample articles, a graph file built from
# the sample corpus) and are copied into fuzz/corpus/TARGET, which grows between runs and
# is not committed. A crash leaves its input in fuzz/artifacts/TARGET/; turn it into a
# regression test (tests/fuzz_regressions.rs) before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(query_parser extract_document graph_load)

seed() {
  local target="$1" dir="fuzz/corpus/$1"
  mkdir -p "$dir"
  case "$target" in
    query_parser)
      # One seed per statement of the golden query scripts.
      for file in tests/queries/*.kgq queries/*.kgq; do
        awk -v dir="$dir" -v base="$(basename "$file" .kgq)" \
          'BEGIN { RS = ";" } NF { n++; print > (dir "/" base "_" n ".txt") }' "$file"
      done ;;
    extract_document)
      find corpus/tune corpus/test -type f \( -name '*.txt' -o -name '*.md' -o -name '*.html' \) \
        -exec cp {} "$dir/" \; ;;
    graph_load)
      if [ ! -f "$dir/sample.cgraph" ]; then
        local bin="${CLAIMGRAPH_BIN:-target/debug/claimgraph}"
        [ -x "$bin" ] || cargo build --quiet
        "$bin" build corpus/tune --graph "$dir/sample.cgraph" >/dev/null 2>&1 || true
      fi ;;
  esac
}

for target in "${targets[@]}"; do
  seed "$target"
  log="fuzz/$target.log"
  echo "==> $target for ${seconds}s (log: $log)"
  # -jobs=1 keeps one core free; rss_limit and max_len bound each input's cost.
  # FUZZ_TARGET_DIR lets a copy of the repository reuse compiled dependencies.
  (cd fuzz && cargo +nightly fuzz run -O ${FUZZ_TARGET_DIR:+--target-dir "$FUZZ_TARGET_DIR"} "$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=30 \
      -print_final_stats=1) >"$log" 2>&1 || { echo "$target: crash or error, see $log"; tail -30 "$log"; exit 1; }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs" "$log" | sed "s/^/  /"
done

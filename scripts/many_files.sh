#!/usr/bin/env bash
# Builds a corpus of 100,000 tiny articles (in 500 folders) and checks that every file is
# read, one at a time, with the time and peak memory the build took. Too slow for
# `cargo test` in a debug build; tests/hostile/corpus.rs runs the 10,000-file case.
#
#   scripts/many_files.sh [CLAIMGRAPH] [COUNT]   default: target/release/claimgraph 100000
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/claimgraph}"
count="${2:-100000}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/articles" "$count" <<'PY'
import os, sys
root, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    folder = os.path.join(root, f"{i // 200:04d}")
    if i % 200 == 0:
        os.makedirs(folder)
    with open(os.path.join(folder, f"{i:06d}.txt"), "w") as f:
        f.write(f"Item {i}. The ministry said 3 soldiers deserted near Kupiansk.\n")
PY
echo "$count files written; building with $bin"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "%e s, peak %M KB" "$bin" build "$work/articles" --graph "$work/g.cgraph" 2>&1 | tee "$work/log"
else
  "$bin" build "$work/articles" --graph "$work/g.cgraph" 2>&1 | tee "$work/log"
fi
grep -q "read $count files, none skipped" "$work/log" || { echo "FAIL: not every file was read"; exit 1; }
echo "ok: $count files read"

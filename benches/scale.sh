#!/usr/bin/env bash
# Scale run: builds graphs from generated corpora of 1,000, 10,000 and 100,000 articles
# and prints, for each: build throughput (MB/s and words/s of article text, end to end),
# peak memory, graph file size, load time, p50/p99 latency of each question form, an
# incremental rebuild after changing 1% of the files, a rebuild with nothing changed,
# rebuilds after two other common changes (1% of the files naming someone new, 1% more
# articles), and the CSV export of the whole graph (time and peak memory).
#
#   benches/scale.sh                 # 1000 10000 100000
#   benches/scale.sh 1000 10000      # chosen sizes
#   SCALE_DIR=/data/scale benches/scale.sh   # keep corpora and graphs there (default: a
#                                            # temporary folder, removed at the end)
#
# Needs GNU time (/usr/bin/time, Debian package `time`) for peak memory.
set -euo pipefail

cd "$(dirname "$0")/.."
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then
    sizes=(1000 10000 100000)
fi
runs=${QUERY_RUNS:-200}

cargo build --release --quiet
bin=$PWD/target/release/claimgraph

if [ -n "${SCALE_DIR:-}" ]; then
    work=$SCALE_DIR
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

if [ ! -x /usr/bin/time ]; then
    echo "error: /usr/bin/time (GNU time) is needed for peak memory; install the 'time' package" >&2
    exit 1
fi

# Runs a build under GNU time; sets wall, rss_mb, mb, words from its output.
timed_build() {
    local log=$1
    shift
    /usr/bin/time -f 'TIME %e %M' "$bin" build "$@" --timings 2>"$log"
    wall=$(awk '/^TIME/ {print $2}' "$log")
    rss_mb=$(awk '/^TIME/ {printf "%.0f", $3 / 1024}' "$log")
    mb=$(awk '/total .* MB of text/ {for (i = 1; i <= NF; i++) if ($i == "MB") print $(i - 1)}' "$log" | head -1)
    words=$(awk '/words:/ {for (i = 1; i <= NF; i++) if ($i == "words:") print $(i - 1)}' "$log" | tr -d ',' | head -1)
}

# Adds sentence $2 after the first sentence of every hundredth file of $corpus: those
# whose place in path order leaves $1 when divided by 100.
edit_every_hundredth() {
    find "$corpus" -type f | sort | awk -v r="$1" 'NR % 100 == r' | while read -r file; do
        sed -i "0,/\\. /s//. $2 /" "$file"
    done
}

# The last timed build's wall time as a share of the full build's.
share_of_full() {
    awk -v a="$wall" -v b="$full_wall" 'BEGIN {printf "%.0f%%", 100 * a / b}'
}

# Rebuilds $corpus after a change and reports it ($1: the log's name, $2: the change);
# sets wall, rss_mb and share.
timed_rebuild() {
    timed_build "$work/$1-$n.log" "$corpus" --graph "$graph"
    grep -E '^resolving|^built|^  ' "$work/$1-$n.log"
    share=$(share_of_full)
    echo "rebuild after $2: $wall s ($share of the full build), peak memory $rss_mb MB"
}

summary=()
echo "claimgraph scale run on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in "${sizes[@]}"; do
    corpus=$work/corpus-$n
    graph=$work/graph-$n.cgraph
    echo
    echo "== $n articles"
    if [ ! -d "$corpus" ]; then
        "$bin" gen-corpus --docs "$n" --seed 1 --out "$corpus"
    fi
    rm -f "$graph" "$graph.cache" "$graph.cache.delta" "$graph.delta" "$graph.state"
    # Read the files once so the first build does not measure the disk.
    find "$corpus" -type f -print0 | xargs -0 cat >/dev/null

    timed_build "$work/build-$n.log" "$corpus" --graph "$graph" --full
    grep -E '^built|^  ' "$work/build-$n.log"
    full_wall=$wall
    full_rss=$rss_mb
    mbs=$(awk -v mb="$mb" -v t="$wall" 'BEGIN {printf "%.1f", mb / t}')
    wps=$(awk -v w="$words" -v t="$wall" 'BEGIN {printf "%.0f", w / t}')
    size=$(stat -c %s "$graph")
    cache_size=$(stat -c %s "$graph.cache")
    echo "build: $wall s wall for $mb MB ($words words): $mbs MB/s, $wps words/s; peak memory $rss_mb MB"
    echo "graph file: $(awk -v s="$size" 'BEGIN {printf "%.1f MB", s / 1e6}'); extraction cache: $(awk -v s="$cache_size" 'BEGIN {printf "%.1f MB", s / 1e6}')"

    echo "queries ($runs runs each; load = reading and decoding the graph file):"
    "$bin" bench-queries --graph "$graph" --runs "$runs" | tee "$work/queries-$n.log" | sed 's/^/  /'
    load=$(awk -F'\t' '/^load/ {print $2}' "$work/queries-$n.log")

    # Change 1% of the files: one sentence added to every hundredth file.
    edit_every_hundredth 1 "Separately, the governor said 12 soldiers had deserted near Kupiansk."
    timed_rebuild rebuild "changing 1% of files"
    rebuild_wall=$wall
    rebuild_share=$share
    # Nothing changed since: the graph is found up to date and left as it is.
    timed_build "$work/unchanged-$n.log" "$corpus" --graph "$graph"
    grep -E '^up to date|^built|^  ' "$work/unchanged-$n.log"
    echo "rebuild with nothing changed: $wall s"
    unchanged_wall=$wall

    # Two other common changes: 1% of the files now name a person no article named
    # before (a surname made of this run's time, so that it is new at every run), and
    # 1% more articles (another seed of the generator, in a folder that sorts last and
    # is removed afterwards). Each rebuild says why when it resolves every document.
    surname=Vander$(date +%s | tr 0-9 a-j)
    edit_every_hundredth 51 "Separately, spokesman Orrin $surname said 40 soldiers had left near Kupiansk."
    timed_rebuild newname "1% of files name someone new"
    newname_wall=$wall
    newname_share=$share
    added=$corpus/zz-added
    rm -rf "$added"
    "$bin" gen-corpus --docs $((n / 100)) --seed "$(date +%s)" --out "$added" >/dev/null
    timed_rebuild added "adding 1% more articles"
    added_wall=$wall
    added_share=$share
    rm -rf "$added"

    # The whole graph as CSV tables for a spreadsheet: written as the rows are made.
    rm -rf "$work/export-$n"
    /usr/bin/time -f 'TIME %e %M' "$bin" export --graph "$graph" --format csv \
        --out "$work/export-$n" 2>"$work/export-$n.log" >/dev/null
    export_wall=$(awk '/^TIME/ {print $2}' "$work/export-$n.log")
    export_mb=$(awk '/^TIME/ {printf "%.0f", $3 / 1024}' "$work/export-$n.log")
    echo "CSV export of the whole graph ($(du -sm "$work/export-$n" | cut -f1) MB): $export_wall s, peak memory $export_mb MB"
    rm -rf "$work/export-$n"
    summary+=("$(printf '%9s %9s %7s %10s %8s %8s %8s %9s (%s) %11s %9s (%s) %9s (%s) %9s s %6s MB' \
        "$n" "$full_wall" "$mbs" "$wps" "$full_rss" \
        "$(awk -v s="$size" 'BEGIN {printf "%.1f", s / 1e6}')" "$load" "$rebuild_wall" "$rebuild_share" \
        "$unchanged_wall" "$newname_wall" "$newname_share" "$added_wall" "$added_share" \
        "$export_wall" "$export_mb")")
done

echo
echo " articles   build s    MB/s    words/s  peak MB  file MB   load s  rebuild s (share of build)  unchanged s  new name s (share)  added s (share)  CSV export (peak)"
for line in "${summary[@]}"; do
    echo "$line"
done

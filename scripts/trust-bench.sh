#!/usr/bin/env bash
# Trust-scale benchmark (issue 17): builds synthetic trusts of N policies derived from the
# five in content/ (examples/make_trust.rs, deterministic) and prints, per N, a Markdown row:
# clauses, files, output size, release build time (median of RUNS), peak memory (max RSS,
# /usr/bin/time -v) and the browser search index (assets/search-index.js) gzipped.
#
#   scripts/trust-bench.sh [N ...]        default: 5 50; RUNS=3 by default
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5 50)
cargo build --release --quiet --bin policykb --example make_trust
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "| policies | clauses | files | output | build (median of $runs) | peak memory | search index (gz) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for n in "${sizes[@]}"; do
  site="$work/trust-$n"
  target/release/examples/make_trust "$n" "$site"
  times=()
  for _ in $(seq "$runs"); do
    rm -rf "$site/out"
    /usr/bin/time -v -o "$work/time" target/release/policykb build --root "$site" --out "$site/out" >"$work/log" 2>&1
    times+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$work/time")")
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  clauses=$(grep -o '[0-9]* clauses' "$work/log" | cut -d' ' -f1)
  files=$(find "$site/out" -type f | wc -l)
  output=$(du -sb "$site/out" | cut -f1)
  index=$(gzip -9c "$site/out/assets/search-index.js" | wc -c)
  printf '| %s | %s | %s | %.1f MB | %.2f s | %d MB | %d KB |\n' "$n" "$clauses" "$files" \
    "$(echo "$output / 1000000" | bc -l)" "$median" "$((rss_kb / 1024))" "$((index / 1000))"
done

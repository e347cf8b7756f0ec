#!/usr/bin/env bash
# Benchmark (not a test): the engine's decode tok/s on the embedded stories260K, one thread,
# next to the reference C implementation's figure recorded in ../shared/README.md
# (llama2.c run.c -O3, one thread, on a machine of this kind). Prints the ratio.
# Usage: scripts/decode-vs-reference.sh [REPETITIONS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${1:-10}"
readme="$root/../shared/README.md"

# "~6.5k–8k tok/s" in the shared README: take the two numbers around the dash.
range="$(grep -o 'generates ~[0-9.]*k[^0-9]*[0-9.]*k tok/s' "$readme" | head -n1 || true)"
if [ -z "$range" ]; then
  echo "could not find the reference figure in $readme" >&2
  exit 1
fi
lo="$(echo "$range" | grep -o '[0-9.]*k' | sed -n 1p | tr -d k)"
hi="$(echo "$range" | grep -o '[0-9.]*k' | sed -n 2p | tr -d k)"

csv="$("$root/toks" bench -p 0 -n 256 -t 1 -r "$reps" -o csv)"
row="$(echo "$csv" | sed -n 2p)"
mean="$(echo "$row" | cut -d, -f10)"
stdev="$(echo "$row" | cut -d, -f11)"
min="$(echo "$row" | cut -d, -f14)"
max="$(echo "$row" | cut -d, -f16)"

awk -v mean="$mean" -v sd="$stdev" -v min="$min" -v max="$max" -v lo="$lo" -v hi="$hi" -v reps="$reps" 'BEGIN {
  printf "toks engine, stories260K, 1 thread, tg256 (n=%d): %.0f ± %.0f tok/s (min %.0f, max %.0f)\n", reps, mean, sd, min, max
  printf "llama2.c run.c -O3, 1 thread (../shared/README.md): %.0f-%.0f tok/s\n", lo * 1000, hi * 1000
  printf "ratio toks / run.c: %.2fx-%.2fx\n", mean / (hi * 1000), mean / (lo * 1000)
}'

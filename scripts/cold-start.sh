#!/usr/bin/env bash
# The cold-start table (docs/performance.md, "Cold start"): what a first command costs, with and
# without the JDK's AOT cache, each run a fresh JVM started by ./toks as a user starts it.
#   toks run -n 200 --temperature 0 (embedded model): wall, prefill_tps and decode_tps it prints
#   toks tokenize hello: wall
#   toks serve: wall from launch to the end of the first /v1/completions response (16 tokens)
# Runs alternate (cache, no cache, cache, ...) so a busy machine's drift hits both alike.
# Usage: scripts/cold-start.sh [RUNS]   (default 5; needs curl)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
toks="$root/toks"
tmp="$(mktemp -d /tmp/toks-cold-start.XXXXXX)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Builds the jar and the cache if needed, so no measured run pays for either.
"$toks" --version > /dev/null
# (Read whole, then searched: grep -q would close the pipe while the launcher still writes to it.)
launch_facts="$(TOKS_AOT_DEBUG=1 TOKS_AOT=use "$toks" --version 2>&1 >/dev/null)"
if ! grep -q "aot cache: used" <<< "$launch_facts"; then
  echo "cold-start: no AOT cache fits this jar and JDK (see toks-cli/target/toks.aot.log)" >&2
  exit 1
fi

free_port() {
  local p=18300
  while (echo > /dev/tcp/127.0.0.1/$p) 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

# Appends "MODE METRIC VALUE" lines to $tmp/samples.
sample() { echo "$1 $2 $3" >> "$tmp/samples"; }

measure() { # MODE (aot|none)
  local mode="$1" aot=use t0 t1 port
  [ "$mode" = none ] && aot=0
  t0=$(now_ms)
  TOKS_AOT=$aot "$toks" run --prompt "Once upon a time" -n 200 --temperature 0 > /dev/null 2> "$tmp/run.err"
  t1=$(now_ms)
  sample "$mode" run_wall_s "$(awk -v ms=$((t1 - t0)) 'BEGIN { print ms / 1000 }')"
  sample "$mode" run_prefill_tps "$(sed -n 's/^prompt eval rate: *\([0-9.]*\).*/\1/p' "$tmp/run.err")"
  sample "$mode" run_decode_tps "$(sed -n 's/^eval rate: *\([0-9.]*\).*/\1/p' "$tmp/run.err")"

  t0=$(now_ms)
  TOKS_AOT=$aot "$toks" tokenize hello > /dev/null
  t1=$(now_ms)
  sample "$mode" tokenize_wall_s "$(awk -v ms=$((t1 - t0)) 'BEGIN { print ms / 1000 }')"

  port="$(free_port)"
  t0=$(now_ms)
  TOKS_AOT=$aot "$toks" serve --port "$port" > "$tmp/serve.log" 2>&1 &
  server_pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; echo "cold-start: toks serve died" >&2; exit 1; }
    sleep 0.01
  done
  curl -sf -o /dev/null -H 'Content-Type: application/json' \
    -d '{"prompt":"Once upon a time","max_tokens":16,"temperature":0}' "http://127.0.0.1:$port/v1/completions"
  t1=$(now_ms)
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  sample "$mode" serve_first_response_s "$(awk -v ms=$((t1 - t0)) 'BEGIN { print ms / 1000 }')"
}

for i in $(seq 1 "$runs"); do
  measure aot
  measure none
  echo "cold-start: run $i of $runs done" >&2
done

echo "toks cold start, $runs runs each, alternating; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '| %-32s | %-24s | %-24s |\n' "metric (mean, min..max)" "with AOT cache" "without"
printf '|%s|%s|%s|\n' "----------------------------------" "--------------------------" "--------------------------"
for metric in run_wall_s run_prefill_tps run_decode_tps tokenize_wall_s serve_first_response_s; do
  row=""
  for mode in aot none; do
    row="$row | $(awk -v m="$mode" -v k="$metric" '$1 == m && $2 == k && $3 != "" {
        n++; s += $3; if (n == 1 || $3 < lo) lo = $3; if (n == 1 || $3 > hi) hi = $3 }
      END { if (n == 0) printf "%-24s", "n/a"; else printf "%-24s", sprintf("%.3g (%.3g..%.3g)", s / n, lo, hi) }' "$tmp/samples")"
  done
  printf '| %-32s%s |\n' "$metric" "$row"
done

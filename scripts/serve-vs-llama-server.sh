#!/usr/bin/env bash
# toks serve against llama.cpp's llama-server on the same GGUF file, the same threads, slots and
# context per slot, and the same `toks load` sweep against each (closed loop, fixed input and
# output lengths counted in the model's own tokenizer). Prints toks's figures next to
# llama-server's with ratios (`toks compare`: output tok/s, TTFT p50/p99, TPOT p50, ITL p99).
# Servers run one at a time, in the order toks, llama-server, toks, ... (--rounds), on loopback.
#
# llama.cpp is not part of toks: build it yourself and pass its llama-server binary.
# Usage: scripts/serve-vs-llama-server.sh MODEL.gguf /path/to/llama-server
#          [--threads T] [--slots N] [--ctx N] [--concurrency 1,4,16] [--input N] [--output N]
#          [--requests N] [--rounds N] [--out DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage() { sed -n '9,11p' "$0" | sed 's/^# //' >&2; exit 2; }
[ $# -ge 2 ] || usage
model="$(readlink -f "$1")"; llama_server="$2"; shift 2
threads=2 slots=4 ctx=512 concurrency=1,4,16 input=64 output=64 requests=32 rounds=1 out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2" ;; --slots) slots="$2" ;; --ctx) ctx="$2" ;;
    --concurrency) concurrency="$2" ;; --input) input="$2" ;; --output) output="$2" ;;
    --requests) requests="$2" ;; --rounds) rounds="$2" ;; --out) out="$2" ;;
    *) echo "serve-vs-llama-server: unknown option '$1'" >&2; usage ;;
  esac
  shift 2
done
[ -f "$model" ] || { echo "serve-vs-llama-server: no model file '$model'" >&2; exit 2; }
[ -x "$llama_server" ] || { echo "serve-vs-llama-server: '$llama_server' is not an executable llama-server" >&2; exit 2; }
out="${out:-$(mktemp -d)}"
mkdir -p "$out"
port_toks=18431 port_llama=18432
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi
}
trap stop_server EXIT

wait_healthy() { # $1 port, $2 log: up to 120 s for /health to answer 200
  for _ in $(seq 1 240); do
    if curl -fs "http://127.0.0.1:$1/health" > /dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { echo "serve-vs-llama-server: the server exited; its log:" >&2; tail -20 "$2" >&2; exit 1; }
    sleep 0.5
  done
  echo "serve-vs-llama-server: no /health answer on port $1 in 120 s" >&2; exit 1
}

measure() { # $1 name (toks|llama), $2 round
  local name="$1" port log="$out/$1-$2.log"
  if [ "$name" = toks ]; then
    port=$port_toks
    "$root/toks" serve "$model" --port $port -t "$threads" --parallel "$slots" --ctx-size "$ctx" > "$log" 2>&1 &
  else
    port=$port_llama
    # -c is the whole cache in llama-server; without a unified cache each slot gets ctx positions.
    "$llama_server" -m "$model" --host 127.0.0.1 --port $port -t "$threads" -tb "$threads" -np "$slots" \
      -c $((ctx * slots)) --no-kv-unified --no-webui > "$log" 2>&1 &
  fi
  server_pid=$!
  wait_healthy $port "$log"
  echo "== $name, round $2: toks load -c $concurrency, $input in / $output out, $requests requests per level" >&2
  "$root/toks" load --url "http://127.0.0.1:$port/v1" --api completions -c "$concurrency" \
    --input-tokens "$input" --output-tokens "$output" --requests "$requests" --tokenizer "$model" \
    --temperature 0 --no-history --progress none --out "$out/$name-$2.json" --journal "$out/$name-$2.jsonl" >&2
  stop_server
}

for ((r = 1; r <= rounds; r++)); do
  measure toks $r
  measure llama $r
done

echo
echo "A = llama-server, B = toks serve ($(basename "$model"), $threads threads, $slots slots, ctx $ctx per slot); B/A > 1 is toks ahead for tok/s, behind for latencies"
for ((r = 1; r <= rounds; r++)); do
  echo "round $r:"
  "$root/toks" compare "$out/llama-$r.json" "$out/toks-$r.json" --metric output_tps,ttft_p50,ttft_p99,tpot_p50,itl_p99 || true
done
echo "documents and server logs: $out"

#!/usr/bin/env bash
# `toks bench` against llama.cpp's `llama-bench` on the same GGUF file, the same threads, tests
# and depths, in ABA order (toks, llama-bench, toks, ...: --rounds rounds of toks, one fewer of
# llama-bench; with --rounds 1 one of each), then one
# table: per test each engine's mean tok/s over its rounds with the spread (min-max of the
# rounds' means), the ratio toks / llama.cpp, and the memory bandwidth toks measured before each
# of its rounds (its roofline probe), so a ratio taken while the host read 30 GB/s is told from
# one taken at 80.
#
# llama.cpp is not part of toks: build it yourself and pass its llama-bench binary.
# Usage: scripts/bench-vs-llama-bench.sh MODEL.gguf /path/to/llama-bench
#          [--threads T] [--prompt 0] [--gen 128] [--depths 0] [--reps 3] [--rounds 2]
#          [--fa 1] [--cache-type f16] [--out DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage() { sed -n '10,12p' "$0" | sed 's/^# //' >&2; exit 2; }
[ $# -ge 2 ] || usage
model="$(readlink -f "$1")"; llama_bench="$2"; shift 2
threads=2 prompt=0 gen=128 depths=0 reps=3 rounds=2 fa=1 cache=f16 out=""
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "bench-vs-llama-bench: '$1' needs a value" >&2; usage; }
  case "$1" in
    --threads) threads="$2" ;; --prompt) prompt="$2" ;; --gen) gen="$2" ;; --depths) depths="$2" ;;
    --reps) reps="$2" ;; --rounds) rounds="$2" ;; --fa) fa="$2" ;; --cache-type) cache="$2" ;; --out) out="$2" ;;
    *) echo "bench-vs-llama-bench: unknown option '$1'" >&2; usage ;;
  esac
  shift 2
done
[ -f "$model" ] || { echo "bench-vs-llama-bench: no model file '$model'" >&2; exit 2; }
[ -x "$llama_bench" ] || { echo "bench-vs-llama-bench: '$llama_bench' is not an executable llama-bench" >&2; exit 2; }
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "bench-vs-llama-bench: --rounds must be a positive integer" >&2; exit 2; }
out="${out:-$(mktemp -d)}"
mkdir -p "$out"

run_toks() { # $1 round
  echo "== toks, round $1 (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
  "$root/toks" bench "$model" -t "$threads" -p "$prompt" -n "$gen" -d "$depths" -r "$reps" --cache-type "$cache" \
    --no-history --energy off -o json --out "$out/toks-$1.json" > /dev/null
}
run_llama() { # $1 round
  echo "== llama-bench, round $1 (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
  "$llama_bench" -m "$model" -t "$threads" -p "$prompt" -n "$gen" -d "$depths" -r "$reps" -fa "$fa" \
    -ctk "$cache" -ctv "$cache" -o json > "$out/llama-$1.json" 2> "$out/llama-$1.log"
}
for round in $(seq 1 "$rounds"); do
  run_toks "$round"
  if [ "$round" -lt "$rounds" ] || [ "$rounds" -eq 1 ]; then run_llama "$round"; fi
done
echo "results in $out" >&2

python3 - "$out" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]

def test_name(r):
    name = f"pp{r['n_prompt']}" if r["n_gen"] == 0 else f"tg{r['n_gen']}"
    return name + (f" @ d{r['n_depth']}" if r.get("n_depth") else "")

def collect(pattern, rows_of):
    by_test, bandwidth = {}, {}
    for path in sorted(glob.glob(os.path.join(out, pattern))):
        with open(path) as f:
            doc = json.load(f)
        for r in rows_of(doc):
            by_test.setdefault(test_name(r), []).append(r["avg_ts"])
            bw = (r.get("roofline") or {}).get("bandwidth_gbs")
            if bw:
                bandwidth.setdefault(test_name(r), []).append(bw)
    return by_test, bandwidth

toks, toks_bw = collect("toks-*.json", lambda d: [r for r in d["runs"] if r.get("kind") == "engine"])
llama, _ = collect("llama-*.json", lambda d: d)
fmt = lambda xs: f"{statistics.mean(xs):.2f} ({min(xs):.2f}-{max(xs):.2f}, n={len(xs)})"
print("| test | toks tok/s | llama.cpp tok/s | toks / llama.cpp | GB/s before toks rounds |")
print("|---|---:|---:|---:|---|")
for test in toks:
    t, l = toks[test], llama.get(test)
    ratio = f"{statistics.mean(t) / statistics.mean(l):.2f}" if l else "-"
    bw = ", ".join(f"{b:.1f}" for b in toks_bw.get(test, [])) or "-"
    print(f"| {test} | {fmt(t)} | {fmt(l) if l else '-'} | {ratio} | {bw} |")
PY

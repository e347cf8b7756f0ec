#!/usr/bin/env bash
# toks load's TTFT and ITL against a packet capture of the loopback (the truth: kernel timestamps
# of the packets), at 1, 32 and 512 streams, each against a scripted server in its own process
# (toks load-capacity --serve: a known schedule, 64 events 10 ms apart, or --interval apart).
# Needs tcpdump and root (or CAP_NET_RAW). Not part of the build: a check to run by hand, or in CI
# where tcpdump is. 512 streams at 10 ms are 51,200 events/s, about what client, server and
# tcpdump together sustain on 2 cores (toks load-capacity); --interval 40ms is 25 tokens/s per
# stream, a busy server's pace.
# Usage: scripts/wire-check.sh [--interval TIME] [STREAMS...]   (default: 10ms; 1 32 512)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
interval=10ms
if [ "${1:-}" = --interval ]; then
  [ $# -ge 2 ] || { echo "wire-check: --interval needs a value (e.g. 40ms)" >&2; exit 2; }
  interval="$2"; shift 2
fi
command -v tcpdump >/dev/null || { echo "wire-check: tcpdump is not installed (apt-get install -y tcpdump)" >&2; exit 2; }
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
port=18931
status=0
for n in "${@:-1 32 512}"; do
  for streams in $n; do
    "$root/toks" load-capacity --serve "$port" --streams "$streams" --events 64 --interval "$interval" >"$work/server-$streams.log" 2>&1 &
    server=$!; pids+=("$server")
    for _ in $(seq 100); do grep -q "scripted server on" "$work/server-$streams.log" && break; sleep 0.2; done
    tcpdump -i lo -s 0 -B 65536 --time-stamp-precision=nano -w "$work/c$streams.pcap" "tcp port $port" 2>"$work/tcpdump-$streams.log" &
    dump=$!; pids+=("$dump")
    sleep 1
    url="http://127.0.0.1:$port/v1"
    echo "$url" >"$work/c$streams.url"
    "$root/toks" load --url "$url" --model m --concurrency "$streams" --requests $(( streams < 8 ? 16 : 2 * streams )) --input-tokens 8 \
      --output-tokens 64 --journal "$work/c$streams.jsonl" --progress none -o json >"$work/c$streams.json" 2>"$work/c$streams.err"
    sleep 1
    kill -INT "$dump"; wait "$dump" 2>/dev/null || true
    kill "$server"; wait "$server" 2>/dev/null || true
    grep -h "packets dropped by kernel" "$work/tcpdump-$streams.log" || true
    python3 "$root/scripts/wire-check.py" "$work/c$streams.pcap" "$work/c$streams.jsonl" || status=1
    port=$((port + 1))
  done
done
echo "captures and journals in $work"
exit $status

#!/usr/bin/env bash
# The native kernel library of a git revision (A, default HEAD) against the working tree's (B):
# builds both with their own build.sh (-march=native, plus TOKS_NATIVE_CFLAGS for both), checks
# that every exported function gives the same outputs bit for bit, and unless --check-only times
# the kernels one thread, the two libraries in turns (scripts/native-ab.c; a few seconds).
# Usage: scripts/native-ab.sh [--check-only] [REV]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
check_only=0
if [ "${1:-}" = --check-only ]; then check_only=1; shift; fi
rev="${1:-HEAD}"
cc="${CC:-gcc}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/a-src"
git -C "$root" archive "$rev" toks-engine/src/main/c | tar -x -C "$work/a-src"
# The flags go in through a compiler wrapper, so they reach revisions whose build.sh predates
# TOKS_NATIVE_CFLAGS too; appended last, they override -march=native's choices.
printf '#!/bin/sh\nexec %s "$@" %s\n' "$cc" "${TOKS_NATIVE_CFLAGS:-}" > "$work/cc"
chmod +x "$work/cc"
CC="$work/cc" TOKS_NATIVE_CFLAGS= bash "$work/a-src/toks-engine/src/main/c/build.sh" "$work/a-src/toks-engine/src/main/c" "$work/a" > /dev/null
CC="$work/cc" TOKS_NATIVE_CFLAGS= bash "$root/toks-engine/src/main/c/build.sh" "$root/toks-engine/src/main/c" "$work/b" > /dev/null
a="$work/a/native/linux-x86_64/libtoks_kernels.so"
b="$work/b/native/linux-x86_64/libtoks_kernels.so"
if [ ! -f "$a" ] || [ ! -f "$b" ]; then
  echo "native-ab: the library was not built here (see build.sh: Linux x86-64 with AVX2, FMA, F16C and gcc)" >&2
  exit 1
fi
"$cc" -O2 -march=native -o "$work/native-ab" "$root/scripts/native-ab.c" -ldl -lm

echo "A = $rev, B = working tree${TOKS_NATIVE_CFLAGS:+ (TOKS_NATIVE_CFLAGS=$TOKS_NATIVE_CFLAGS)}"
if diff <(nm -D --defined-only "$a" | awk '{print $2, $3}') <(nm -D --defined-only "$b" | awk '{print $2, $3}') > /dev/null; then
  echo "exported symbols: the same"
else
  echo "exported symbols differ:"; diff <(nm -D --defined-only "$a" | awk '{print $2, $3}') <(nm -D --defined-only "$b" | awk '{print $2, $3}') || true
fi
"$work/native-ab" check "$a" "$b"
if [ "$check_only" = 0 ]; then "$work/native-ab" time "$a" "$b"; fi

#!/usr/bin/env bash
# Compiles the optional native kernel library into the module's classes (so the jar carries it).
# Usage: build.sh SOURCE_DIR CLASSES_DIR. Without gcc, or off Linux x86-64, or on a CPU without
# AVX2/FMA/F16C, it says so and builds nothing: toks then runs its Java kernels. A compile error
# in the source fails the build.
set -euo pipefail
src="$1/toks_kernels.c"
out_dir="$2/native/linux-x86_64"
out="$out_dir/libtoks_kernels.so"

if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
  echo "[toks native] not Linux x86-64: Java kernels only"; exit 0
fi
cc="${CC:-gcc}"
if ! command -v "$cc" > /dev/null; then
  echo "[toks native] WARNING: no C compiler ($cc): native kernels not built, Java kernels only"; exit 0
fi
for flag in avx2 fma f16c; do
  if ! grep -qw "$flag" /proc/cpuinfo; then
    echo "[toks native] CPU lacks $flag: native kernels not built"; exit 0
  fi
done
if [ -f "$out" ] && [ -f "$out_dir/cpu-flags.txt" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$0" ]; then exit 0; fi
mkdir -p "$out_dir"
# -march=native: the library is built where it runs (the launcher builds on first use). The
# build CPU's vector extensions are recorded beside it, so a jar copied to a CPU that lacks one
# refuses the library (Java kernels) instead of dying on an illegal instruction.
"$cc" -O3 -march=native -std=c11 -shared -fPIC -Wall -Wextra -Werror -o "$out.tmp" "$src"
grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx|fma|f16c|bmi|sse4)' | sort -u > "$out_dir/cpu-flags.txt"
mv "$out.tmp" "$out"
echo "[toks native] built $out"

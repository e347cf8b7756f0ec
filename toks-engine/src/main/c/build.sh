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
if [ -f "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$0" ]; then exit 0; fi
mkdir -p "$out_dir"
# -march=native: the library is built where it runs (the launcher builds on first use).
"$cc" -O3 -march=native -std=c11 -shared -fPIC -Wall -Wextra -Werror -o "$out.tmp" "$src"
mv "$out.tmp" "$out"
echo "[toks native] built $out"

#!/usr/bin/env bash
# Compiles the optional native kernel library into the module's classes (so the jar carries it).
# Usage: build.sh SOURCE_DIR CLASSES_DIR. Without gcc, or off Linux x86-64, or on a CPU without
# AVX2/FMA/F16C, it says so and builds nothing: toks then runs its Java kernels. A compile error
# in the source fails the build. TOKS_NATIVE_CFLAGS adds compiler flags (to measure a variant,
# e.g. -DPREFETCH_AHEAD=4096: build into a fresh CLASSES_DIR, see docs/performance.md).
set -euo pipefail
src_dir="$1"
out_dir="$2/native/linux-x86_64"
out="$out_dir/libtoks_kernels.so"
# One file per instruction set behind one dispatch (toks_kernels.c); headers beside them.
sources=(toks_kernels.c kernels_scalar.c kernels_tiled.c kernels_avx2.c kernels_avx512.c)
sources+=(attention.c attention_scalar.c attention_avx2.c attention_avx512.c) # attention.h's dispatch
sources+=(activation.c)

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

up_to_date() {
  [ -f "$out" ] && [ -f "$out_dir/cpu-flags.txt" ] && [ "$out" -nt "$0" ] || return 1
  local f
  for f in "$src_dir"/*.c "$src_dir"/*.h; do
    [ "$out" -nt "$f" ] || return 1
  done
}
if up_to_date; then exit 0; fi

mkdir -p "$out_dir"
obj_dir="$(mktemp -d)"
trap 'rm -rf "$obj_dir"' EXIT
# -march=native for every file: the library is built where it runs (the launcher builds on first
# use), and each file's #if (kernels_internal.h) takes the kernels this CPU's extensions allow:
# kernels_avx512.c compiles to nothing without AVX-512. The build CPU's vector extensions are
# recorded beside the library, so a jar copied to a CPU that lacks one refuses the library (Java
# kernels) instead of dying on an illegal instruction.
cflags=(-O3 -march=native -std=c11 -fPIC -Wall -Wextra -Werror ${TOKS_NATIVE_CFLAGS:-})
objects=()
for s in "${sources[@]}"; do
  "$cc" "${cflags[@]}" -c -o "$obj_dir/${s%.c}.o" "$src_dir/$s"
  objects+=("$obj_dir/${s%.c}.o")
done
"$cc" -shared -o "$out.tmp" "${objects[@]}" -lm
grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx|fma|f16c|bmi|sse4)' | sort -u > "$out_dir/cpu-flags.txt"
mv "$out.tmp" "$out"
echo "[toks native] built $out"

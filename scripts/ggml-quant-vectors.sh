#!/usr/bin/env bash
# Rewrites the ggml quantization vectors GgmlQuantVectorsTest reads (see ggml-quant-vectors.c)
# with a llama.cpp checkout the user built (CPU build, shared libraries), and checks them against
# the SHA256SUMS committed beside them: a match says ggml still quantizes and decodes as recorded.
# llama.cpp is not part of toks: build it yourself and pass its directory.
# Usage: scripts/ggml-quant-vectors.sh /path/to/llama.cpp [OUT_DIR]   (default: a temporary folder)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 1 ] || { sed -n '6p' "$0" | sed 's/^# //' >&2; exit 2; }
[ -d "$1" ] || { echo "ggml-quant-vectors: no directory '$1' (a llama.cpp checkout you built)" >&2; exit 2; }
llama="$(cd "$1" && pwd)"
out="${2:-$(mktemp -d)}"
golden="$root/toks-engine/src/test/resources/golden/ggml-quant"
lib="$(dirname "$(find "$llama/build" -name 'libggml-base.so' -print -quit 2>/dev/null || true)")"
[ -f "$llama/ggml/include/ggml.h" ] || { echo "ggml-quant-vectors: no ggml/include/ggml.h under $llama" >&2; exit 2; }
[ -f "$lib/libggml-base.so" ] || { echo "ggml-quant-vectors: no libggml-base.so under $llama/build (a shared-library build is needed)" >&2; exit 2; }
mkdir -p "$out"
cc -O2 -std=c11 -I"$llama/ggml/include" "$root/scripts/ggml-quant-vectors.c" -o "$out/ggml-quant-vectors" \
  -L"$lib" -Wl,-rpath,"$lib" -lggml-base -lggml-cpu -lggml -lm
"$out/ggml-quant-vectors" "$out"
echo "commit: $(git -C "$llama" rev-parse --short HEAD 2>/dev/null || echo unknown)"
(cd "$out" && sha256sum -c "$golden/SHA256SUMS")

#!/usr/bin/env bash
# Coverage-guided fuzzing of one target for MINUTES minutes (Jazzer, one-minute rounds; the corpus
# grows in MODULE/.cifuzz-corpus between rounds, and every crash is written into the target's
# Inputs folder under src/test/resources, where ./mvnw verify replays it from then on).
# Usage: scripts/fuzz.sh TARGET [MINUTES]   (scripts/fuzz.sh with no target lists them)
set -euo pipefail
cd "$(dirname "$0")/.."
# Each target and the module it lives in.
targets=(
  GgufFuzzTest:toks-engine
  Llama2cModelFuzzTest:toks-engine
  HuggingFaceTokenizerFuzzTest:toks-tokenizer
  TiktokenRanksFuzzTest:toks-tokenizer
  Llama2cTokenizerFuzzTest:toks-tokenizer
  StreamFuzzTest:toks-http
  NioResponseFuzzTest:toks-http
  ChunkedBodyFuzzTest:toks-http
  RequestHeadFuzzTest:toks-http
  ApiRequestFuzzTest:toks-serve
)
names() { printf '%s\n' "${targets[@]%%:*}" | paste -sd' ' -; }
target="${1:-}"
if [[ -z "$target" ]]; then echo "usage: scripts/fuzz.sh TARGET [MINUTES]; targets: $(names)" >&2; exit 2; fi
minutes="${2:-1}"
module=""
for t in "${targets[@]}"; do [[ "${t%%:*}" == "$target" ]] && module="${t#*:}"; done
if [[ -z "$module" ]]; then echo "fuzz: unknown target '$target' ($(names))" >&2; exit 2; fi
# Jazzer 0.24's instrumentation reads class files up to Java 23, so the fuzzing build targets 23
# (the code needs nothing newer); its classes are removed again afterwards, so the next normal
# build compiles for 25.
clean() { rm -rf toks-*/target/classes toks-*/target/test-classes; }
trap clean EXIT
clean
for ((round = 1; round <= minutes; round++)); do
  echo "fuzz: $target, round $round of $minutes" >&2
  JAZZER_FUZZ=1 ./mvnw -B -o test -pl "$module" -am -Dmaven.compiler.release=23 -Dtest="$target" \
    -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep -E '^#[0-9]+[[:space:]]+DONE|== Java|FuzzTestFinding|Tests run:.*Fail' || true
done

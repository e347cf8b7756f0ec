#!/usr/bin/env bash
# Coverage-guided fuzzing of one target for MINUTES minutes (Jazzer, one-minute rounds; the corpus
# grows in MODULE/.cifuzz-corpus between rounds, and every crash is written into the target's
# Inputs folder under src/test/resources, where ./mvnw verify replays it from then on).
# Usage: scripts/fuzz.sh GgufFuzzTest|StreamFuzzTest|ApiRequestFuzzTest [MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/fuzz.sh GgufFuzzTest|StreamFuzzTest|ApiRequestFuzzTest [MINUTES]}"
minutes="${2:-1}"
case "$target" in
  GgufFuzzTest) module=toks-engine ;;
  StreamFuzzTest) module=toks-http ;;
  ApiRequestFuzzTest) module=toks-serve ;;
  *) echo "fuzz: unknown target '$target' (GgufFuzzTest, StreamFuzzTest, ApiRequestFuzzTest)" >&2; exit 2 ;;
esac
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

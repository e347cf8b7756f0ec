#!/usr/bin/env bash
# Coverage-guided fuzzing of one target for MINUTES minutes (Jazzer, one-minute rounds; the corpus
# grows in MODULE/.cifuzz-corpus between rounds, and every crash is written into the target's
# Inputs folder under src/test/resources, where ./mvnw verify replays it from then on).
# Usage: scripts/fuzz.sh TARGET [MINUTES]   (scripts/fuzz.sh with no target lists them)
#        scripts/fuzz.sh TARGET --keep      keeps the campaign's corpus as regression inputs: libFuzzer's
#        merge copies into the Inputs folder each corpus file that adds coverage to what is there.
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
keep=false
[[ "$minutes" == "--keep" ]] && keep=true
module=""
for t in "${targets[@]}"; do [[ "${t%%:*}" == "$target" ]] && module="${t#*:}"; done
if [[ -z "$module" ]]; then echo "fuzz: unknown target '$target' ($(names))" >&2; exit 2; fi
if $keep; then
  source_file="$(grep -rl "class $target\b" "$module/src/test/java")"
  class="$(sed -n 's/^package \(.*\);/\1/p' "$source_file").$target"
  method="$(grep -A1 '@FuzzTest' "$source_file" | sed -n 's/.*void \([A-Za-z0-9_]*\)(.*/\1/p' | head -1)"
  corpus="$module/.cifuzz-corpus/$class"
  inputs="$module/src/test/resources/$(dirname "${source_file#"$module/src/test/java/"}")/${target}Inputs/$method"
  [[ -d "$corpus" ]] || { echo "fuzz: no corpus at $corpus (run a campaign first)" >&2; exit 2; }
fi
# Jazzer 0.24's instrumentation reads class files up to Java 23, so the fuzzing build targets 23
# (the code needs nothing newer); its classes are removed again afterwards, so the next normal
# build compiles for 25.
clean() { rm -rf toks-*/target/classes toks-*/target/test-classes; }
trap clean EXIT
clean
if $keep; then
  classpath="$(mktemp)"
  ./mvnw -B -q -o -pl "$module" -am test-compile dependency:build-classpath -Dmaven.compiler.release=23 \
    -Dmdep.outputFile="$classpath" -Dmdep.includeScope=test
  before=$(ls "$inputs" | wc -l)
  root="$(pwd)"; source scripts/launcher-lib.sh
  jdk="$(find_jdk25)" || { echo "fuzz: no JDK 25 found" >&2; exit 2; }
  "$jdk/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$module/target/test-classes:$module/target/classes:$(cat "$classpath")" com.code_intelligence.jazzer.Jazzer \
    --target_class="$class" --target_method="$method" --instrumentation_includes='io.toks.**' -merge=1 "$inputs" "$corpus" 2>&1 \
    | grep -E 'MERGE-OUTER: [0-9]+ new files' || true
  rm -f "$classpath"
  echo "fuzz: $inputs holds $(ls "$inputs" | wc -l) inputs ($before before)" >&2
  exit 0
fi
for ((round = 1; round <= minutes; round++)); do
  echo "fuzz: $target, round $round of $minutes" >&2
  JAZZER_FUZZ=1 ./mvnw -B -o test -pl "$module" -am -Dmaven.compiler.release=23 -Dtest="$target" \
    -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep -E '^#[0-9]+[[:space:]]+DONE|== Java|FuzzTestFinding|Tests run:.*Fail' || true
done

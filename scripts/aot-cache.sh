#!/usr/bin/env bash
# Makes the JDK ahead-of-time cache for toks-cli/target/toks.jar (scripts/launcher-lib.sh says
# what it holds and how the launcher checks it still fits). Run by the build after the jar
# (toks-cli's pom: package phase; -Dtoks.aot.skip=true or TOKS_AOT=0 skips it). A cache that
# cannot be made is a warning, not a failed build: toks runs without one, only slower to start.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/launcher-lib.sh"

[ "${TOKS_AOT:-auto}" = 0 ] && exit 0
if ! jdk="$(find_jdk25)"; then
  echo "toks: warning: no JDK 25 found; the start-up cache was not made" >&2
  exit 0
fi
if build_aot_cache "$jdk"; then
  echo "[toks aot] made $toks_aot_cache ($(du -m "$toks_aot_cache" | cut -f1) MB) for $(aot_key "$jdk" | cut -d' ' -f2)"
else
  echo "toks: warning: the start-up cache could not be made (see $toks_aot_dir/toks.aot.log)" >&2
fi

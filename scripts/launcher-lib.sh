# Shared by the ./toks launcher and the build (scripts/aot-cache.sh): which JDK runs toks, with
# which JVM flags, and the JDK's ahead-of-time cache (JEP 483/514/515) that lets a cold `toks`
# start with its classes loaded and linked and the engine's method profiles known.
# Sourced, not run; needs $root (the repository root). Timings: docs/performance.md, "Cold start".

toks_jar="$root/toks-cli/target/toks.jar"
# The cache and the key it was made for live beside the jar, so `mvn clean` removes all three;
# TOKS_AOT_DIR moves them (the launcher's tests use a scratch folder).
toks_aot_dir="${TOKS_AOT_DIR:-$root/toks-cli/target}"
toks_aot_cache="$toks_aot_dir/toks.aot"
toks_aot_key_file="$toks_aot_dir/toks.aot.key"
toks_aot_failed_file="$toks_aot_dir/toks.aot.failed"
# Whether this jar's native kernels load here ("native" or "java"), with the jar it was asked of.
toks_kernels_file="$toks_aot_dir/toks.kernels"

# The JVM flags of every toks run. The AOT cache is only valid with the flags it was trained
# with (the module graph, the collector), so training uses exactly these too.
# -Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0: the kernels index within bounds (tested
# against scalar references with checks on); dropping the per-load check is worth 5-10%.
# -Xlog: the JVM's own warnings (an AOT cache it refuses, say) go to stderr: stdout is the
# command's output (JSON, CSV), which a log line would corrupt.
toks_jvm_flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
  -Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0
  -XX:+UseParallelGC -Xss4m
  -Xlog:disable -Xlog:all=warning:stderr:uptime,level,tags)

# The feature version of the JDK at $1 (25 for 25.0.3), from its `release` file: reading a file
# costs nothing, where asking each candidate `java` started a JVM (0.1-0.6 s of every launch).
jdk_feature_version() {
  local line v=""
  if [ -f "$1/release" ]; then
    while IFS= read -r line; do
      case "$line" in JAVA_VERSION=*) v="${line#JAVA_VERSION=\"}"; v="${v%%[.\"]*}"; break ;; esac
    done < "$1/release"
  fi
  if [ -z "$v" ]; then
    v="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)"
    v="${v%%.*}"
  fi
  echo "$v"
}

# The exact build of the JDK at $1 (25.0.3+9-LTS), from its release file; shell builtins only:
# the launcher runs this at every start.
jdk_runtime_version() {
  local line
  [ -f "$1/release" ] || { echo unknown; return; }
  while IFS= read -r line; do
    case "$line" in JAVA_RUNTIME_VERSION=*) line="${line#JAVA_RUNTIME_VERSION=\"}"; echo "${line%\"}"; return ;; esac
  done < "$1/release"
  echo unknown
}

# Prints the home of the first JDK 25 or newer: TOKS_JAVA_HOME, JAVA_HOME, the java on PATH,
# then the usual install folders.
find_jdk25() {
  local candidates=()
  [ -n "${TOKS_JAVA_HOME:-}" ] && candidates+=("$TOKS_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$d" ] && candidates+=("$d")
  done
  local home major
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major="$(jdk_feature_version "$home")"
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
      echo "$home"
      return 0
    fi
  done
  return 1
}

# What the cache at $toks_aot_cache must have been made with for the JDK at $1 to use it: that
# JDK (folder and exact build), this jar (size and modification time: what the JVM itself checks
# of a class path entry), and the JVM flags. The JVM checks the same and more when it maps the
# cache (and runs without it if it does not fit); checking first keeps its error off the screen.
# The jar's size and modification time: what the cache and the kernels answer were made for.
jar_stamp() {
  stat -c '%s %Y' "$toks_jar" 2>/dev/null || echo missing
}

aot_key() {
  echo "jdk=$1 runtime=$(jdk_runtime_version "$1") jar=$toks_jar $(jar_stamp) flags=${toks_jvm_flags[*]}"
}

# Why the cache cannot be used with the JDK at $1, or nothing (status 0) when it can.
aot_cache_problem() {
  local recorded
  if [ ! -f "$toks_aot_cache" ] || [ ! -f "$toks_aot_key_file" ]; then
    echo "no cache yet"
  elif ! IFS= read -r recorded < "$toks_aot_key_file" || [ "$recorded" != "$(aot_key "$1")" ]; then
    echo "made for another JDK, jar or JVM flags"
  else
    return 0
  fi
  return 1
}

# Whether a cache should be made now for the JDK at $1: none fits, and making one for this key
# has not failed before (a failure is not retried at every launch; a new jar or JDK tries again).
aot_cache_wanted() {
  aot_cache_problem "$1" > /dev/null && return 1
  [ -f "$toks_aot_failed_file" ] && [ "$(cat "$toks_aot_failed_file")" = "$(aot_key "$1")" ] && return 1
  return 0
}

# Trains a cache for the JDK at $1 with this jar: one JVM runs a representative mix of commands
# (io.toks.cli.AotTraining) and writes the classes it loaded and linked and the methods'
# profiles; a second JVM, started by the first, assembles the cache. Written beside, then moved:
# a toks started meanwhile sees the old complete cache or none, never half a file.
build_aot_cache() {
  local jdk="$1" tmp="$toks_aot_cache.tmp.$$" log="$toks_aot_dir/toks.aot.log"
  mkdir -p "$toks_aot_dir"
  rm -f "$toks_aot_key_file" "$toks_aot_failed_file"
  if "$jdk/bin/java" "${toks_jvm_flags[@]}" -XX:AOTCacheOutput="$tmp" \
      -cp "$toks_jar" io.toks.cli.AotTraining > "$log" 2>&1 && [ -s "$tmp" ]; then
    mv -f "$tmp" "$toks_aot_cache"
    aot_key "$jdk" > "$toks_aot_key_file"
    return 0
  fi
  rm -f "$tmp" "$tmp.config"
  aot_key "$jdk" > "$toks_aot_failed_file"
  return 1
}

# "native" when this jar's native kernels load with the JDK at $1, else "java": asked of the jar
# once (io.toks.cli.KernelProbe, a JVM start) and kept in $toks_kernels_file with the jar's stamp.
jar_kernels() {
  local key recorded answer
  key="$(jar_stamp) $1"
  if [ -f "$toks_kernels_file" ] && { IFS= read -r recorded; IFS= read -r answer; } < "$toks_kernels_file" && [ "$recorded" = "$key" ]; then
    echo "$answer"
    return 0
  fi
  answer="$("$1/bin/java" "${toks_jvm_flags[@]}" -XX:TieredStopAtLevel=1 -cp "$toks_jar" io.toks.cli.KernelProbe 2>/dev/null || echo java)"
  [ "$answer" = native ] || answer=java
  mkdir -p "$toks_aot_dir"
  printf '%s\n%s\n' "$key" "$answer" > "$toks_kernels_file.$$" && mv -f "$toks_kernels_file.$$" "$toks_kernels_file"
  echo "$answer"
}

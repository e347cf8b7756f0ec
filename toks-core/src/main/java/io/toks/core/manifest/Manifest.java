package io.toks.core.manifest;

import java.util.Map;

/**
 * Where and how a result was obtained: enough to reproduce it or to know why two results differ.
 *
 * @param toksVersion  toks release version
 * @param toksCommit   git commit toks was built from, or "unknown"
 * @param createdAt    ISO-8601 wall-clock time the run started (for humans; never used for timing)
 * @param cpuModel     CPU model name as the OS reports it
 * @param cores        logical processors available to the JVM
 * @param memoryBytes  physical memory of the machine
 * @param os           OS name, version and architecture
 * @param jvm          JVM vendor, name and version
 * @param jit          JIT compiler name
 * @param target       what was measured (engine name and its settings, model file, hash, dtype)
 * @param parameters   every parameter of the run as given or defaulted
 */
public record Manifest(String toksVersion, String toksCommit, String createdAt, String cpuModel,
                       int cores, long memoryBytes, String os, String jvm, String jit,
                       Map<String, Object> target, Map<String, Object> parameters) {
}

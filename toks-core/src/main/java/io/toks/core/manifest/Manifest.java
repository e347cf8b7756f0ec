package io.toks.core.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where and how a result was obtained: enough to reproduce it or to know why two results differ.
 *
 * @param toks       the toks build that measured
 * @param createdAt  ISO-8601 wall-clock time the run started (for humans; never used for timing)
 * @param machine    the machine
 * @param jvm        the JVM
 * @param target     what was measured; for {@code toks hw} the machine itself ({@link TargetFacts.Hardware}; null in
 *                   documents written before toks recorded it)
 * @param parameters every parameter of the run as given or defaulted, by the command's option names
 */
public record Manifest(ToksBuild toks, String createdAt, Machine machine, Jvm jvm, TargetFacts target,
                       Map<String, Object> parameters) {

    public Manifest {
        // A copy that keeps the options' order and their nulls (an option not given).
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The same manifest with another target (a target's facts grow as models load). */
    public Manifest withTarget(TargetFacts newTarget) {
        return new Manifest(toks, createdAt, machine, jvm, newTarget, parameters);
    }

    /** @param commit git commit toks was built from, or "unknown" */
    public record ToksBuild(String version, String commit) {}

    /**
     * @param cpuModel    CPU model name as the OS reports it
     * @param cores       logical processors available to the JVM
     * @param memoryBytes physical memory
     * @param os          OS name, version and architecture
     * @param host        the machine's host name (what the history store lists and filters by);
     *                    null when unknown (documents written before toks recorded it)
     */
    public record Machine(String cpuModel, int cores, long memoryBytes, String os, String host) {}

    /**
     * @param vendor     JVM vendor
     * @param name       JVM name
     * @param version    runtime version
     * @param jit        JIT compiler
     * @param vectorBits preferred Vector API width in bits; 0 when the Vector API is not available
     */
    public record Jvm(String vendor, String name, String version, String jit, int vectorBits) {}
}

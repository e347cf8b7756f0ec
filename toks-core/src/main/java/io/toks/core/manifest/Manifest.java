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
 * @param energy     how the energy of the runs was measured, or why it was not; null for a command
 *                   that does not measure energy (and in documents written before toks did)
 */
public record Manifest(ToksBuild toks, String createdAt, Machine machine, Jvm jvm, TargetFacts target,
                       Map<String, Object> parameters, Energy energy) {

    public Manifest {
        // A copy that keeps the options' order and their nulls (an option not given).
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** A manifest without energy facts. */
    public Manifest(ToksBuild toks, String createdAt, Machine machine, Jvm jvm, TargetFacts target, Map<String, Object> parameters) {
        this(toks, createdAt, machine, jvm, target, parameters, null);
    }

    /** The same manifest with another target (a target's facts grow as models load). */
    public Manifest withTarget(TargetFacts newTarget) {
        return new Manifest(toks, createdAt, machine, jvm, newTarget, parameters, energy);
    }

    /** The same manifest with these energy facts. */
    public Manifest withEnergy(Energy newEnergy) {
        return new Manifest(toks, createdAt, machine, jvm, target, parameters, newEnergy);
    }

    /**
     * How energy was measured: the runs carry {@code energy}, {@code average_power},
     * {@code idle_power}, {@code energy_above_idle} and {@code tokens_per_joule} where it was.
     *
     * @param source      what was read, e.g. {@code RAPL package-0+package-1} or
     *                    {@code nvidia-smi power.draw, 2 GPUs}; null when nothing could be read
     * @param idlePower   watts the same source read with nothing measured running, just before the
     *                    runs; NaN when not measured
     * @param idleSeconds how long the idle power was sampled; 0 when not measured
     * @param notMeasured why energy is missing from the runs (no source, turned off, the server runs
     *                    on another machine, the source failed midway); null when nothing is missing
     */
    public record Energy(String source, double idlePower, double idleSeconds, String notMeasured) {

        /** Nothing measured, for this reason. */
        public static Energy notMeasured(String reason) {
            return new Energy(null, Double.NaN, 0, reason);
        }
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

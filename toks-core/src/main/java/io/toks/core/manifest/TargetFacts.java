package io.toks.core.manifest;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.toks.core.hardware.HardwareSpec;
import io.toks.core.hardware.Precision;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a result measured, as its manifest states it: the in-process engine, a server over HTTP,
 * tokenizers, or the machine itself ({@code toks hw}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TargetFacts.Engine.class, name = "engine"),
        @JsonSubTypes.Type(value = TargetFacts.Server.class, name = "server"),
        @JsonSubTypes.Type(value = TargetFacts.Tokenizers.class, name = "tokenizers"),
        @JsonSubTypes.Type(value = TargetFacts.Hardware.class, name = "hardware")})
public sealed interface TargetFacts {

    /**
     * The toks engine in this process, and any other engine measured beside it on the same models
     * ({@code toks bench --engine toks,llamacpp}); each run names its engine.
     *
     * @param engine          engine name
     * @param kernels         the kernel sets it has
     * @param models          every model measured, in order
     * @param hardwareLimits  this machine's limits measured before the tests, per thread count; empty if not measured
     * @param externalEngines the other engines whose runs the document holds; empty when toks's
     *                        engine ran alone (and in documents written before there were others)
     */
    record Engine(String engine, KernelSupport kernels, List<ModelFacts> models, List<HardwareLimit> hardwareLimits,
                  List<ExternalEngine> externalEngines) implements TargetFacts {
        public Engine {
            models = List.copyOf(models);
            hardwareLimits = List.copyOf(hardwareLimits);
            externalEngines = externalEngines == null ? List.of() : List.copyOf(externalEngines);
        }

        /** toks's engine alone. */
        public Engine(String engine, KernelSupport kernels, List<ModelFacts> models, List<HardwareLimit> hardwareLimits) {
            this(engine, kernels, models, hardwareLimits, List.of());
        }

        public Engine withModel(ModelFacts model) {
            var more = new java.util.ArrayList<>(models);
            more.add(model);
            return new Engine(engine, kernels, more, hardwareLimits, externalEngines);
        }

        public Engine withExternalEngine(ExternalEngine other) {
            var more = new java.util.ArrayList<>(externalEngines);
            more.add(other);
            return new Engine(engine, kernels, models, hardwareLimits, more);
        }
    }

    /**
     * An engine other than toks's, measured in the same process on the same models.
     *
     * @param engine      its name, as its runs give it ({@code llama.cpp})
     * @param version     its version or build ({@code b4916}); null when not known
     * @param binding     how toks called it ({@code de.kherud:llama 4.2.0 (JNI)})
     * @param cpuFeatures the instruction sets its CPU code was compiled for on this platform, as
     *                    its own system info lists them; empty when not known
     * @param notes       what a reader comparing it with toks must know (an instruction set it
     *                    lacks that this CPU has, ...); empty if none
     */
    record ExternalEngine(String engine, String version, String binding, List<String> cpuFeatures, List<String> notes) {
        public ExternalEngine {
            cpuFeatures = cpuFeatures == null ? List.of() : List.copyOf(cpuFeatures);
            notes = notes == null ? List.of() : List.copyOf(notes);
        }
    }

    /**
     * A server over HTTP.
     *
     * @param url      base URL
     * @param api      chat, completions or ollama
     * @param model    the model name requested
     * @param workload what the prompts were
     * @param hardware what the server runs on, where known; null otherwise
     */
    record Server(String url, String api, String model, String workload, ServerHardware hardware) implements TargetFacts {

        /** A server whose hardware is not known. */
        public Server(String url, String api, String model, String workload) {
            this(url, api, model, workload, null);
        }
    }

    /**
     * The devices a server runs on and their spec-sheet figures (a remote machine's limits cannot
     * be measured from here).
     *
     * @param id                 catalog id ({@code h100-sxm})
     * @param name               the product's name
     * @param devices            how many of them serve
     * @param origin             how toks knows: "given with --target-hardware"
     * @param memoryBandwidthGbs spec-sheet memory bandwidth of one device
     * @param peakTera           spec-sheet dense peaks of one device, by precision
     * @param tdpWatts           spec-sheet board power of one device; 0 if not stated
     * @param source             the spec sheet
     */
    record ServerHardware(String id, String name, int devices, String origin, double memoryBandwidthGbs,
                          Map<Precision, Double> peakTera, double tdpWatts, String source) {
        public ServerHardware {
            peakTera = peakTera == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(peakTera));
        }

        /** The spec sheet's figures for {@code devices} of {@code spec}. */
        public static ServerHardware of(HardwareSpec spec, int devices, String origin) {
            return new ServerHardware(spec.id(), spec.name(), devices, origin, spec.memoryBandwidthGbs(), spec.peakTera(),
                    spec.tdpWatts(), spec.source());
        }
    }

    /** Tokenizers over text files: {@code files} read under {@code input}. */
    record Tokenizers(String input, int files) implements TargetFacts {}

    /**
     * The kernels an engine can run.
     *
     * @param java            the Java kernels (Vector API width)
     * @param vectorBits      their vector width
     * @param nativeIsa       the native library's instruction set; null when it is not loaded
     * @param nativeMissing   why the native library is not loaded; null when it is
     * @param nativeDecode    weight types whose decode products run natively
     * @param nativePrefill   weight types whose batched prefill products run natively
     * @param nativeTiled     weight types repacked into tiles at load for the native products
     *                        (empty in documents from before toks recorded it)
     * @param nativeAttention KV cache types over which attention runs natively (empty likewise)
     */
    record KernelSupport(String java, int vectorBits, String nativeIsa, String nativeMissing,
                         List<String> nativeDecode, List<String> nativePrefill, List<String> nativeTiled, List<String> nativeAttention) {
        public KernelSupport {
            nativeDecode = List.copyOf(nativeDecode);
            nativePrefill = List.copyOf(nativePrefill);
            nativeTiled = nativeTiled == null ? List.of() : List.copyOf(nativeTiled);
            nativeAttention = nativeAttention == null ? List.of() : List.copyOf(nativeAttention);
        }

        /** Without the tiles and attention (what documents recorded before them). */
        public KernelSupport(String java, int vectorBits, String nativeIsa, String nativeMissing, List<String> nativeDecode,
                             List<String> nativePrefill) {
            this(java, vectorBits, nativeIsa, nativeMissing, nativeDecode, nativePrefill, List.of(), List.of());
        }
    }

    /**
     * @param threads           thread count
     * @param readBandwidthGbs  memory read bandwidth (best of the passes)
     * @param peakFmaGflops     peak FP32 FMA throughput (best of the passes)
     */
    record HardwareLimit(int threads, double readBandwidthGbs, double peakFmaGflops) {}

    /**
     * The machine itself ({@code toks hw}): how each limit was measured, and what the OS and the
     * GPU driver say about it (read, never measured). Spec-sheet figures come with their catalog
     * entry, whose source they cite. Each part that could not be read is empty, with the reason.
     *
     * @param probes        how each measured metric was measured, or why it was not
     * @param caches        cpu0's caches, from sysfs; empty when unreadable
     * @param cachesMissing why there are no caches; null when there are
     * @param numaNodes     the NUMA nodes, from sysfs; empty when unreadable
     * @param numaMissing   why there are no NUMA nodes; null when there are
     * @param gpus          the GPUs, as {@code gpusFrom} reports them; empty when none was found
     * @param gpusFrom      what reported them (e.g. {@code nvidia-smi --query-gpu}); null when none was found
     * @param gpusMissing   why there are no GPUs; null when there are
     * @param cpuSpec       the spec sheet of this CPU's model, where the catalog has it; null otherwise
     */
    record Hardware(List<Probe> probes, List<Cache> caches, String cachesMissing, List<NumaNode> numaNodes, String numaMissing,
                    List<Gpu> gpus, String gpusFrom, String gpusMissing, HardwareSpec cpuSpec) implements TargetFacts {
        public Hardware {
            probes = probes == null ? List.of() : List.copyOf(probes);
            caches = caches == null ? List.of() : List.copyOf(caches);
            numaNodes = numaNodes == null ? List.of() : List.copyOf(numaNodes);
            gpus = gpus == null ? List.of() : List.copyOf(gpus);
        }

        /** How {@code metric} (its JSON key) was measured; null when no probe names it. */
        public Probe probe(String metric) {
            return probes.stream().filter(p -> p.metric().equals(metric)).findFirst().orElse(null);
        }

        /**
         * @param metric      the metric's JSON key, e.g. {@code peak_int8_dot}
         * @param method      how it was measured, e.g. {@code VPDPBUSD zmm (AVX512_VNNI), native}; null when it was not
         * @param unavailable why it was not measured; null when it was
         */
        public record Probe(String metric, String method, String unavailable) {}

        /**
         * One cache of cpu0 ({@code /sys/devices/system/cpu/cpu0/cache/index*}).
         *
         * @param level      1, 2, 3, ...
         * @param type       Data, Instruction or Unified
         * @param sizeBytes  its size
         * @param sharedCpus the logical CPUs sharing it, as the kernel lists them ({@code 0-15,32-47})
         */
        public record Cache(int level, String type, long sizeBytes, String sharedCpus) {}

        /**
         * @param node        the node's number
         * @param cpus        its logical CPUs, as the kernel lists them
         * @param memoryBytes its memory (MemTotal)
         */
        public record NumaNode(int node, String cpus, long memoryBytes) {}

        /**
         * A GPU as its driver reports it; figures it does not report (N/A, Not Supported) are NaN
         * (null in JSON) and null texts.
         *
         * @param index             the driver's index
         * @param name              the product name, e.g. {@code NVIDIA H100 80GB HBM3}
         * @param uuid              the driver's UUID
         * @param memoryMib         memory, MiB
         * @param powerLimitWatts   the power limit in force
         * @param maxSmClockMhz     the highest SM clock
         * @param maxMemoryClockMhz the highest memory clock
         * @param driverVersion     the driver's version
         * @param pciBusId          where it sits on the PCI bus
         * @param spec              the catalog's spec sheet for its model; null where the catalog lacks it
         */
        public record Gpu(int index, String name, String uuid, double memoryMib, double powerLimitWatts, double maxSmClockMhz,
                          double maxMemoryClockMhz, String driverVersion, String pciBusId, HardwareSpec spec) {}
    }
}

package io.toks.bench.engine;

import io.toks.bench.energy.EnergyMonitor;
import io.toks.bench.energy.EnergyTally;
import io.toks.core.ToksException;
import io.toks.core.events.Clock;
import io.toks.core.estimate.KvCacheType;
import io.toks.core.events.TokenCountSource;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.EngineRun;
import io.toks.core.manifest.ModelFacts;
import io.toks.core.result.RooflineShare;
import io.toks.core.result.TextRates;
import io.toks.core.stats.Statistics;
import io.toks.engine.kernel.KernelSupport;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.model.BatchDecoder;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.parallel.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Measures the Java engine the way llama-bench measures llama.cpp, so the figures compare:
 * <ul>
 *   <li>{@code ppN}: prefill of N random tokens into an empty KV cache; tok/s = N / prefill time.</li>
 *   <li>{@code tgN}: N single-token forward passes from an empty cache, starting at BOS, each fed
 *       a random token; tok/s = N / their total time. Sampling is not timed, as in llama-bench;
 *       generation never stops early at an end-of-sequence token.</li>
 * </ul>
 * With B sequences per test (llama-batched-bench's B) each has a KV cache of its own: {@code ppN}
 * prefills the B prompts of N tokens one after another, as {@code toks serve} admits requests,
 * and times them together (B x N tokens; the batch's time to first token); {@code tgN} is N
 * {@link BatchDecoder} steps, each one token for every sequence, the step {@code toks serve}
 * decodes with (B x N tokens). One sequence runs exactly as without B.
 * Random tokens keep a test from measuring a cached or degenerate path.
 */
public final class EngineBench {

    /**
     * Decode tests pause this often for a bandwidth sample (untimed): samples spread over the
     * test follow the host's drift better than samples only between repetitions.
     */
    static final int TOKENS_PER_BANDWIDTH_SAMPLE = 32;

    private final LlamaModel model;
    private final Clock clock;
    private final TextDensity density;
    private final EnergyMonitor energy;
    /**
     * Tokens of context the current session holds at its start: tests at that depth rewind to it
     * instead of prefilling it again (what llama-bench does with a saved KV state), which at
     * d=4096 is most of a run's time.
     */

    public EngineBench(LlamaModel model, Clock clock) {
        this(model, clock, null);
    }

    /** @param density the model tokenizer's text density, for text-normalized estimates; null for none */
    public EngineBench(LlamaModel model, Clock clock, TextDensity density) {
        this(model, clock, density, EnergyMonitor.off("not asked for"));
    }

    /**
     * @param energy where measuring, every test also states the energy of its timed sections
     *               (untimed work between them left out: the context prefill of a depth, bandwidth samples)
     */
    public EngineBench(LlamaModel model, Clock clock, TextDensity density, EnergyMonitor energy) {
        this.model = model;
        this.clock = clock;
        this.density = density;
        this.energy = energy;
    }

    /** Runs the plan without a roofline; see {@link #run(BenchPlan, BenchProgress, Consumer, RooflineSource)}. */
    public List<EngineRun> run(BenchPlan plan, BenchProgress progress, Consumer<EngineRun> onRun) {
        return run(plan, progress, onRun, RooflineSource.NONE);
    }

    /**
     * Runs the plan. Each finished test goes to {@code onRun} at once, so a sweep that fails
     * midway keeps what it measured; the full list is also returned. Every test gets its share of
     * the roofline for its thread count where {@code limits} has one. Where the model's weights
     * come from DRAM and {@code limits} samples, bandwidth is read before every timed repetition,
     * after the last, and within decode repetitions every {@link #TOKENS_PER_BANDWIDTH_SAMPLE}
     * tokens (untimed), and the memory limit is the median of those reads rather than the figure
     * measured up front. Why: on a shared host the bandwidth available drifts, so the best of a
     * few passes before the run overstates what the test could have had. The share against the
     * up-front figure stays in the run ({@code share_of_up_front_bandwidth}).
     */
    public List<EngineRun> run(BenchPlan plan, BenchProgress progress, Consumer<EngineRun> onRun, RooflineSource limits) {
        checkFits(model, plan);
        int context = plan.contextNeeded();
        List<EngineRun> runs = new ArrayList<>();
        var random = new SplittableRandom(plan.seed());
        var jitWarm = java.util.EnumSet.noneOf(KvCacheType.class); // each cache type's attention path compiled before it is timed
        for (int threads : plan.threads()) {
            try (var pool = new WorkerPool(threads)) {
                for (KvCacheType cacheType : plan.cacheTypes()) {
                    var sequences = new Sequences(model, pool, context, plan.maxSequences(), cacheType);
                    if (!jitWarm.contains(cacheType)) {
                        if (plan.jitWarmupMillis() > 0) progress.warmingUp(plan.jitWarmupMillis());
                        warmUpJit(sequences, plan, random);
                        jitWarm.add(cacheType);
                    }
                    for (BenchTest test : plan.tests()) {
                        String what = test.description() + " t=" + threads + (plan.cacheTypes().size() > 1 ? " " + cacheType.key() : "");
                        progress.testStarted(what, plan.repetitions());
                        for (int i = 0; i < plan.warmups(); i++) measure(sequences, test, random, null, EnergyTally.none());
                        Roofline roofline = limits.upFront(threads);
                        List<Double> bandwidth = new ArrayList<>();
                        Runnable sample = roofline != null && limits.samples() && Roofline.readsFromMemory(model)
                                ? () -> bandwidth.add(limits.sampleGbs(threads)) : null;
                        double[] samples = new double[plan.repetitions()]; // nanoseconds per repetition
                        EnergyTally drawn = energy.tally();
                        for (int r = 0; r < samples.length; r++) {
                            if (sample != null) sample.run();
                            samples[r] = measure(sequences, test, random, sample, drawn);
                            progress.repetitionDone(what, r + 1, samples.length, test.allTokens() / seconds((long) samples[r]));
                        }
                        if (sample != null) sample.run();
                        EngineRun run = engineRun(test, threads, cacheType, samples, roofline,
                                bandwidth.stream().mapToDouble(Double::doubleValue).toArray())
                                .withMetrics(energy.metrics(drawn.total(), (double) test.allTokens() * samples.length));
                        runs.add(run);
                        onRun.accept(run);
                    }
                }
            }
        }
        return runs;
    }

    /** Refuses a plan whose longest test does not fit the model's context: checked before any slow work. */
    public static void checkFits(LlamaModel model, BenchPlan plan) {
        int context = plan.contextNeeded();
        if (context > model.config().contextLength()) {
            throw new ToksException("test needs " + context + " positions but " + model.info().name()
                    + " has a context of " + model.config().contextLength() + " tokens");
        }
    }

    /**
     * Runs every test shape untimed for {@link BenchPlan#jitWarmupMillis()} (at least one round
     * when above zero), once per model, so the timed repetitions see JIT-compiled code; per-test
     * warm-ups then only settle caches. A fixed time rather than "until steady": C2 compiles some
     * kernels seconds after their callers, and the rate can sit on a plateau before that.
     */
    private void warmUpJit(Sequences sequences, BenchPlan plan, SplittableRandom random) {
        if (plan.jitWarmupMillis() == 0) return;
        long deadline = clock.nanoTime() + plan.jitWarmupMillis() * 1_000_000L;
        do {
            for (BenchTest test : plan.tests()) measure(sequences, test, random, null, EnergyTally.none());
        } while (clock.nanoTime() < deadline);
    }

    /**
     * One timed run of the test: its time in nanoseconds. {@code sampleBandwidth} (null: none) also
     * runs every {@link #TOKENS_PER_BANDWIDTH_SAMPLE} decode steps, outside the timed sections;
     * {@code drawn} tallies the energy of the timed sections (its reads just outside the clock's).
     */
    private double measure(Sequences sequences, BenchTest test, SplittableRandom random, Runnable sampleBandwidth, EnergyTally drawn) {
        int b = test.sequences();
        InferenceSession[] sessions = sequences.sessions;
        int[][] inputs = new int[b][]; // each sequence's tokens: its prompt, or what it is fed step by step
        for (int j = 0; j < b; j++) {
            sequences.context(j, test.depth(), () -> randomTokens(test.depth(), random));
            inputs[j] = randomTokens(test.tokens(), random);
            if (test.depth() > 0) inputs[j][0] = random.nextInt(model.config().vocabSize()); // BOS only at position 0
        }
        if (test.kind() == BenchTest.Kind.PREFILL) {
            drawn.begin();
            long start = clock.nanoTime();
            for (int j = 0; j < b; j++) sessions[j].prefill(inputs[j]);
            long nanos = clock.nanoTime() - start;
            drawn.end();
            return nanos;
        }
        int[][] steps = new int[test.tokens()][b]; // step-major, so no copying is timed
        for (int i = 0; i < steps.length; i++) for (int j = 0; j < b; j++) steps[i][j] = inputs[j][i];
        long timed = 0;
        drawn.begin();
        long start = clock.nanoTime();
        for (int i = 0; i < steps.length; i++) {
            // One sequence decodes as llama-bench's tg does; several through the step toks serve uses.
            if (b == 1) sessions[0].decode(steps[i][0]);
            else sequences.decoder.step(sessions, steps[i], b);
            if (sampleBandwidth != null && (i + 1) % TOKENS_PER_BANDWIDTH_SAMPLE == 0 && i + 1 < steps.length) {
                timed += clock.nanoTime() - start;
                drawn.end();
                sampleBandwidth.run();
                drawn.begin();
                start = clock.nanoTime();
            }
        }
        timed += clock.nanoTime() - start;
        drawn.end();
        return timed;
    }

    /**
     * The sessions a test's sequences run in (one KV cache each, of one type) and the decoder that
     * steps them together; one set per thread count and cache type. Each session remembers the
     * depth of context it holds, so the next test at that depth rewinds to it rather than
     * prefilling it again (llama-bench restores a saved state the same way).
     */
    private static final class Sequences {
        final InferenceSession[] sessions;
        final BatchDecoder decoder;
        private final int[] depths;

        Sequences(LlamaModel model, WorkerPool pool, int context, int count, KvCacheType cacheType) {
            sessions = new InferenceSession[count];
            for (int j = 0; j < count; j++) sessions[j] = new InferenceSession(model, pool, context, cacheType);
            decoder = count > 1 ? new BatchDecoder(model, pool, count) : null;
            depths = new int[count];
        }

        /** Sequence j holding {@code depth} tokens of context (untimed): rewound to it, or reset and prefilled from {@code tokens}. */
        void context(int j, int depth, java.util.function.Supplier<int[]> tokens) {
            if (depth > 0 && depths[j] == depth) {
                sessions[j].rewind(depth);
                return;
            }
            sessions[j].reset();
            depths[j] = 0;
            if (depth > 0) {
                sessions[j].prefill(tokens.get());
                depths[j] = depth;
            }
        }
    }

    /** BOS, then uniformly random ids: what llama-bench feeds. */
    private int[] randomTokens(int n, SplittableRandom random) {
        int[] tokens = new int[n];
        tokens[0] = model.tokenizer().bosId();
        for (int i = 1; i < n; i++) tokens[i] = random.nextInt(model.config().vocabSize());
        return tokens;
    }

    private EngineRun engineRun(BenchTest test, int threads, KvCacheType cacheType, double[] nanos, Roofline roofline, double[] bandwidthGbs) {
        double[] tps = new double[nanos.length];
        for (int i = 0; i < tps.length; i++) tps[i] = test.allTokens() / seconds((long) nanos[i]);
        double mean = Statistics.summarize(tps).mean();
        RooflineShare share = roofline == null ? null : rooflineShare(test, cacheType, mean, roofline, bandwidthGbs);
        TextRates text = density == null ? null : density.estimates(mean);
        return EngineRun.ofBatch(test.label(), modelFacts(model, density), kernelsDescription(model), threads,
                test.kind() == BenchTest.Kind.PREFILL, test.tokens(), test.depth(), test.sequences(), nanos, TokenCountSource.ENGINE_IDS,
                share, text).withCacheType(cacheType.key());
    }

    /**
     * The test's share of its roofline limit; with bandwidth samples from around its repetitions,
     * against their median (see {@link #run(BenchPlan, BenchProgress, Consumer, RooflineSource)}).
     */
    private RooflineShare rooflineShare(BenchTest test, KvCacheType cacheType, double tps, Roofline upFront, double[] bandwidthGbs) {
        int batch = InferenceSession.prefillBatch(model);
        Roofline.Share againstUpFront = upFront.of(model, test, cacheType, tps, batch);
        double upFrontGbs = upFront.bandwidthBytesPerSecond() / 1e9;
        if (bandwidthGbs.length == 0) {
            return againstUpFront.toRecord(upFrontGbs, "up_front", bandwidthGbs, upFrontGbs, againstUpFront.share());
        }
        double median = Statistics.summarize(bandwidthGbs).median();
        return upFront.withBandwidth(median * 1e9).of(model, test, cacheType, tps, batch)
                .toRecord(median, "median_of_samples_during_test", bandwidthGbs, upFrontGbs, againstUpFront.share());
    }

    /** The engine's kernels, for the manifest. */
    static TargetFacts.KernelSupport kernelSupport() {
        KernelSupport k = Kernels.support();
        return new TargetFacts.KernelSupport(k.javaKernels(), k.vectorBits(),
                k.nativeAvailable() ? k.nativeIsa() : null, k.nativeAvailable() ? null : k.nativeUnavailableReason(),
                names(k.nativeDecodeTypes()), names(k.nativePrefillTypes()), names(k.nativeTiledTypes()),
                k.nativeAttention() ? List.of("F32", "F16", "Q8_0") : List.of());
    }

    private static List<String> names(java.util.Collection<? extends Enum<?>> types) {
        return types.stream().map(Enum::name).sorted().toList();
    }

    /** The engine as a manifest target, before any model is measured. */
    public static TargetFacts.Engine target(List<TargetFacts.HardwareLimit> hardwareLimits) {
        return new TargetFacts.Engine(EngineRun.TOKS_ENGINE, kernelSupport(), List.of(), hardwareLimits);
    }

    /** What a model is and where it came from, for the manifest and every run. */
    public static ModelFacts modelFacts(LlamaModel model, TextDensity density) {
        return new ModelFacts(model.info().name(), model.info().source(), model.info().format(), model.info().fileBytes(),
                model.info().sha256(), model.info().weightType(), model.weights().parameterCount(), model.weights().byteSize(),
                model.weights().bytesReadPerToken(), model.config().contextLength(), density == null ? null : density.asFacts());
    }

    /**
     * Which kernels ran for this model, for the record: "java-vector-512bit", or with native
     * decode products "native-avx512-vnni+java-vector-512bit" (the Java ones still do prefill
     * and the types the library lacks).
     */
    public static String kernelsDescription(LlamaModel model) {
        return Kernels.support().describe(model.kernels());
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}

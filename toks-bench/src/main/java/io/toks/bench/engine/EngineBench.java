package io.toks.bench.engine;

import io.toks.core.ToksException;
import io.toks.core.events.Clock;
import io.toks.core.events.TokenCountSource;
import io.toks.core.result.BenchRecord;
import io.toks.core.stats.Statistics;
import io.toks.engine.kernel.KernelSupport;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.parallel.WorkerPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;

/**
 * Measures the Java engine the way llama-bench measures llama.cpp, so the figures compare:
 * <ul>
 *   <li>{@code ppN}: prefill of N random tokens into an empty KV cache; tok/s = N / prefill time.</li>
 *   <li>{@code tgN}: N single-token forward passes from an empty cache, starting at BOS, each fed
 *       a random token; tok/s = N / their total time. Sampling is not timed, as in llama-bench;
 *       generation never stops early at an end-of-sequence token.</li>
 * </ul>
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

    public EngineBench(LlamaModel model, Clock clock) {
        this(model, clock, null);
    }

    /** @param density the model tokenizer's text density, for text-normalized estimates; null for none */
    public EngineBench(LlamaModel model, Clock clock, TextDensity density) {
        this.model = model;
        this.clock = clock;
        this.density = density;
    }

    /**
     * Runs the plan. Each finished row goes to {@code onRecord} at once, so a sweep that fails
     * midway keeps what it measured; the full list is also returned.
     */
    public List<BenchRecord> run(BenchPlan plan, BenchProgress progress, Consumer<BenchRecord> onRecord) {
        return run(plan, progress, onRecord, threads -> null);
    }

    /**
     * As {@link #run(BenchPlan, BenchProgress, Consumer)}, adding to every record its share of
     * the roofline for the thread count ({@code rooflines} may return null: no roofline).
     */
    public List<BenchRecord> run(BenchPlan plan, BenchProgress progress, Consumer<BenchRecord> onRecord,
                                 IntFunction<Roofline> rooflines) {
        return run(plan, progress, onRecord, rooflines, null);
    }

    /**
     * As {@link #run(BenchPlan, BenchProgress, Consumer, IntFunction)}; where the model's weights
     * come from DRAM, {@code bandwidthNowGbs} (threads -> GB/s, one short read; null: none) is
     * sampled before every timed repetition, after the last, and within decode repetitions every
     * {@link #TOKENS_PER_BANDWIDTH_SAMPLE} tokens (untimed), and the record's memory limit is the
     * median of those samples rather than the figure measured up front. Why: on a shared host
     * the bandwidth available drifts (this 2-core VM read 40 to 105 GB/s within minutes), so the
     * best of a few passes before the run overstates what the test could have had, and a share
     * means something only against samples taken around the same time. The share against the
     * up-front figure stays in the record ({@code share_of_up_front_bandwidth}).
     */
    public List<BenchRecord> run(BenchPlan plan, BenchProgress progress, Consumer<BenchRecord> onRecord,
                                 IntFunction<Roofline> rooflines, IntToDoubleFunction bandwidthNowGbs) {
        int context = plan.contextNeeded();
        if (context > model.config().contextLength()) {
            throw new ToksException("test needs " + context + " positions but " + model.info().name()
                    + " has a context of " + model.config().contextLength() + " tokens");
        }
        List<BenchRecord> records = new ArrayList<>();
        var random = new SplittableRandom(plan.seed());
        boolean jitWarm = false;
        for (int threads : plan.threads()) {
            try (var pool = new WorkerPool(threads)) {
                var session = new InferenceSession(model, pool, context);
                if (!jitWarm) {
                    warmUpJit(session, plan, random);
                    jitWarm = true;
                }
                for (BenchTest test : plan.tests()) {
                    String what = test.label() + " t=" + threads;
                    for (int i = 0; i < plan.warmups(); i++) measure(session, test, random, null);
                    Roofline roofline = rooflines.apply(threads);
                    List<Double> bandwidth = new ArrayList<>();
                    Runnable sample = roofline != null && bandwidthNowGbs != null && Roofline.readsFromMemory(model)
                            ? () -> bandwidth.add(bandwidthNowGbs.applyAsDouble(threads)) : null;
                    double[] samples = new double[plan.repetitions()];
                    for (int r = 0; r < samples.length; r++) {
                        if (sample != null) sample.run();
                        samples[r] = measure(session, test, random, sample);
                        progress.repetitionDone(what, r + 1, samples.length, samples[r]);
                    }
                    if (sample != null) sample.run();
                    BenchRecord rec = record(test, threads, samples, roofline, bandwidth.stream().mapToDouble(Double::doubleValue).toArray());
                    records.add(rec);
                    onRecord.accept(rec);
                }
            }
        }
        return records;
    }

    /**
     * Runs every test shape untimed for {@link BenchPlan#jitWarmupMillis()} (at least one round
     * when above zero), once per model, so the timed repetitions see JIT-compiled code; per-test
     * warm-ups then only settle caches. A fixed time rather than "until steady": C2 compiles some
     * kernels seconds after their callers, and the rate can sit on a plateau before that.
     */
    private void warmUpJit(InferenceSession session, BenchPlan plan, SplittableRandom random) {
        if (plan.jitWarmupMillis() == 0) return;
        long deadline = clock.nanoTime() + plan.jitWarmupMillis() * 1_000_000L;
        do {
            for (BenchTest test : plan.tests()) measure(session, test, random, null);
        } while (clock.nanoTime() < deadline);
    }

    /**
     * One timed run of the test: tokens per second. {@code sampleBandwidth} (null: none) also runs
     * every {@link #TOKENS_PER_BANDWIDTH_SAMPLE} decoded tokens, outside the timed sections.
     */
    private double measure(InferenceSession session, BenchTest test, SplittableRandom random, Runnable sampleBandwidth) {
        int[] tokens = randomTokens(test.tokens(), random);
        session.reset();
        long start = clock.nanoTime();
        if (test.kind() == BenchTest.Kind.PREFILL) {
            session.prefill(tokens);
            return test.tokens() / seconds(clock.nanoTime() - start);
        }
        long timed = 0;
        for (int i = 0; i < tokens.length; i++) {
            session.decode(tokens[i]);
            if (sampleBandwidth != null && (i + 1) % TOKENS_PER_BANDWIDTH_SAMPLE == 0 && i + 1 < tokens.length) {
                timed += clock.nanoTime() - start;
                sampleBandwidth.run();
                start = clock.nanoTime();
            }
        }
        timed += clock.nanoTime() - start;
        return test.tokens() / seconds(timed);
    }

    /** BOS, then uniformly random ids: what llama-bench feeds. */
    private int[] randomTokens(int n, SplittableRandom random) {
        int[] tokens = new int[n];
        tokens[0] = model.tokenizer().bosId();
        for (int i = 1; i < n; i++) tokens[i] = random.nextInt(model.config().vocabSize());
        return tokens;
    }

    private BenchRecord record(BenchTest test, int threads, double[] samples, Roofline roofline, double[] bandwidthGbs) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("kernels", kernelsDescription(model));
        var summary = Statistics.summarize(samples);
        if (roofline != null) extra.put("roofline", rooflineFacts(test, summary.mean(), roofline, bandwidthGbs));
        if (density != null) extra.put("text_normalized", density.estimates(summary.mean()));
        boolean prefill = test.kind() == BenchTest.Kind.PREFILL;
        return new BenchRecord(model.info().name(), model.weights().byteSize(), model.weights().parameterCount(),
                model.info().weightType(), threads, test.label(), prefill ? test.tokens() : 0,
                prefill ? 0 : test.tokens(), summary, samples.clone(),
                TokenCountSource.ENGINE_IDS.name(), extra);
    }

    /**
     * The test's share of its roofline limit; with bandwidth samples from around its repetitions,
     * against their median (see {@link #run(BenchPlan, BenchProgress, Consumer, IntFunction, IntToDoubleFunction)}).
     */
    private Map<String, Object> rooflineFacts(BenchTest test, double tps, Roofline upFront, double[] bandwidthGbs) {
        int batch = InferenceSession.prefillBatch(model);
        if (bandwidthGbs.length == 0) {
            Map<String, Object> m = upFront.of(model, test, tps, batch).asMap();
            m.put("bandwidth_gbs", upFront.bandwidthBytesPerSecond() / 1e9);
            m.put("bandwidth_source", "up_front");
            return m;
        }
        double median = Statistics.summarize(bandwidthGbs).median();
        Map<String, Object> m = upFront.withBandwidth(median * 1e9).of(model, test, tps, batch).asMap();
        m.put("bandwidth_gbs", median);
        m.put("bandwidth_source", "median_of_samples_during_test");
        m.put("bandwidth_samples_gbs", Arrays.stream(bandwidthGbs).boxed().toList());
        m.put("up_front_bandwidth_gbs", upFront.bandwidthBytesPerSecond() / 1e9);
        m.put("share_of_up_front_bandwidth", upFront.of(model, test, tps, batch).share());
        return m;
    }

    /** The engine's facts for the manifest; the models measured are listed by {@link #modelFacts}. */
    public static Map<String, Object> engineFacts() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("engine", "toks-java");
        t.put("kernels", kernelsDescription());
        KernelSupport kernels = Kernels.support();
        t.put("vector_bits", kernels.vectorBits());
        t.put("native_kernels", kernels.nativeAvailable() ? kernels.nativeIsa() : "unavailable: " + kernels.nativeUnavailableReason());
        return t;
    }

    /** What a model is and where it came from, for the manifest. */
    public static Map<String, Object> modelFacts(LlamaModel model) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("model", model.info().name());
        t.put("model_source", model.info().source());
        t.put("model_format", model.info().format());
        t.put("model_file_bytes", model.info().fileBytes());
        t.put("model_sha256", model.info().sha256());
        t.put("weight_type", model.info().weightType());
        t.put("params", model.weights().parameterCount());
        t.put("weight_bytes", model.weights().byteSize());
        t.put("bytes_read_per_token", model.weights().bytesReadPerToken());
        t.put("context_length", model.config().contextLength());
        return t;
    }

    /** Engine and model facts together, for a run on one model. */
    public static Map<String, Object> targetFacts(LlamaModel model) {
        Map<String, Object> t = engineFacts();
        t.putAll(modelFacts(model));
        return t;
    }

    /** The Java kernels, for the record: the engine and the vector width. */
    public static String kernelsDescription() {
        return Kernels.support().javaKernels();
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

package io.toks.core.result;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.toks.core.events.TokenCountSource;
import io.toks.core.manifest.ModelFacts;
import java.util.EnumMap;
import java.util.Map;

/**
 * One llama-bench style test of an in-process engine ({@code toks bench}): {@code ppN} or
 * {@code tgN} on one model, one kernel set and one thread count, over repetitions. Fields named
 * as llama-bench's JSON names them where the quantity is the same ({@code n_prompt},
 * {@code n_gen}, {@code n_threads}, {@code model_size}, {@code model_n_params}, {@code avg_ts},
 * {@code stddev_ts}, {@code samples_ts}, {@code avg_ns}, {@code stddev_ns}, {@code samples_ns}),
 * so scripts written for llama-bench read these too.
 *
 * @param model          the model's name
 * @param modelFilename  where it came from (a path, {@code embedded:...}, {@code synthetic:...})
 * @param modelType      its weight type, e.g. {@code Q4_0} (llama-bench adds architecture and size)
 * @param modelSize      bytes of weights
 * @param modelNParams   number of weights
 * @param engine         which engine ran the test: {@value #TOKS_ENGINE} (toks's own), or one the
 *                       manifest's target lists under {@code external_engines}, e.g. {@value #LLAMA_CPP};
 *                       documents written before engines were named read as {@value #TOKS_ENGINE}
 * @param kernels        the kernels that ran (java or native, and their instruction set; for
 *                       another engine, that engine, its version and how it was called)
 * @param nThreads       worker threads
 * @param nPrompt        tokens prefilled (ppN), else 0
 * @param nGen           tokens generated (tgN), else 0
 * @param nDepth         tokens already in the KV cache when the timed test began (llama-bench's
 *                       {@code -d}: {@code pp512 @ d4096}); 0 for an empty context
 * @param nParallel      sequences run together in one engine ({@code toks bench -B}, llama-batched-bench's
 *                       {@code B}): each prefills {@code n_prompt} or decodes {@code n_gen} tokens; 1 for one
 *                       sequence (llama-bench), and for documents written before it existed
 * @param cacheType      how the KV cache stored keys and values ({@code f32}, {@code f16},
 *                       {@code q8_0}: llama.cpp's {@code -ctk/-ctv}); null where not known (another
 *                       engine, documents written before the engine had a choice: those were f32)
 * @param avgTs          mean tok/s over the repetitions, of all {@code n_parallel} sequences together
 * @param stddevTs       their sample standard deviation
 * @param samplesTs      tok/s of every repetition, in run order
 * @param avgNs          mean time of one repetition, nanoseconds
 * @param stddevNs       its standard deviation
 * @param samplesNs      the time of every repetition
 * @param countSource    how the token counts were known
 * @param roofline       the test's share of this machine's limit; null when not measured
 * @param textNormalized tok/s converted to text units; null when the tokenizer cannot encode text
 */
public record EngineRun(String name, String model, String modelFilename, String modelType, long modelSize,
                        @JsonProperty("model_n_params") long modelNParams, String engine, String kernels, int nThreads, int nPrompt, int nGen,
                        int nDepth, int nParallel, String cacheType, double avgTs, double stddevTs, double[] samplesTs, double avgNs, double stddevNs,
                        double[] samplesNs, TokenCountSource countSource, RooflineShare roofline,
                        TextRates textNormalized, Map<Metric, MetricSummary> metrics) implements Run {

    /** toks's own engine, as the manifest's target names it. */
    public static final String TOKS_ENGINE = "toks-java";

    /** llama.cpp, run in this process through its Java binding. */
    public static final String LLAMA_CPP = "llama.cpp";

    public EngineRun {
        if (engine == null) engine = TOKS_ENGINE;
        if (nParallel < 1) nParallel = 1; // a document from before -B: one sequence
        samplesTs = samplesTs.clone();
        samplesNs = samplesNs.clone();
        metrics = Metric.ordered(metrics);
    }

    /** The same run with {@code more} metrics added (replacing any of the same name). */
    public EngineRun withMetrics(Map<Metric, MetricSummary> more) {
        var merged = new java.util.EnumMap<Metric, MetricSummary>(Metric.class);
        merged.putAll(metrics);
        merged.putAll(more);
        return new EngineRun(name, model, modelFilename, modelType, modelSize, modelNParams, engine, kernels, nThreads, nPrompt, nGen, nDepth,
                nParallel, cacheType, avgTs, stddevTs, samplesTs, avgNs, stddevNs, samplesNs, countSource, roofline, textNormalized, merged);
    }

    /** The same run, its KV cache type recorded ({@code f16}). */
    public EngineRun withCacheType(String type) {
        return new EngineRun(name, model, modelFilename, modelType, modelSize, modelNParams, engine, kernels, nThreads, nPrompt, nGen, nDepth,
                nParallel, type, avgTs, stddevTs, samplesTs, avgNs, stddevNs, samplesNs, countSource, roofline, textNormalized, metrics);
    }

    /** Whether toks's own engine ran this test (not another engine measured beside it). */
    public boolean byToks() {
        return TOKS_ENGINE.equals(engine);
    }

    public boolean prefill() {
        return nPrompt > 0;
    }

    /**
     * The tok/s metric of this test, of all its sequences: {@code prefill_tps} for ppN,
     * {@code decode_tps} for tgN of one sequence, {@code aggregate_decode_tps} for tgN of several.
     */
    public MetricSummary tokensPerSecond() {
        return metrics.get(headline());
    }

    /** The metric {@link #tokensPerSecond()} reads, the one a comparison or a history list shows for this test. */
    public Metric headline() {
        if (prefill()) return Metric.PREFILL_TPS;
        return nParallel > 1 ? Metric.AGGREGATE_DECODE_TPS : Metric.DECODE_TPS;
    }

    /**
     * A test as llama-bench reports it: tok/s of every repetition of {@code tokens} tokens, with
     * llama-bench's derived fields (mean, stdev, time per repetition) filled in.
     */
    public static EngineRun of(String name, ModelFacts model, String kernels, int threads, boolean prefill, int tokens,
                               double[] tokensPerSecond, TokenCountSource countSource, RooflineShare roofline,
                               TextRates textNormalized) {
        return of(name, model, kernels, threads, prefill, tokens, 0, tokensPerSecond, countSource, roofline, textNormalized);
    }

    /** The same at a context depth: {@code depth} tokens were in the cache before the timed ones. */
    public static EngineRun of(String name, ModelFacts model, String kernels, int threads, boolean prefill, int tokens, int depth,
                               double[] tokensPerSecond, TokenCountSource countSource, RooflineShare roofline,
                               TextRates textNormalized) {
        return of(TOKS_ENGINE, name, model, kernels, threads, prefill, tokens, depth, tokensPerSecond, countSource, roofline, textNormalized);
    }

    /** A test of {@code engine} ({@link #TOKS_ENGINE}, {@link #LLAMA_CPP}). */
    public static EngineRun of(String engine, String name, ModelFacts model, String kernels, int threads, boolean prefill, int tokens,
                               int depth, double[] tokensPerSecond, TokenCountSource countSource, RooflineShare roofline,
                               TextRates textNormalized) {
        MetricSummary tps = MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, tokensPerSecond);
        double[] ns = new double[tokensPerSecond.length];
        for (int i = 0; i < ns.length; i++) ns[i] = tokens * 1e9 / tokensPerSecond[i];
        var nanos = io.toks.core.stats.Statistics.summarize(ns);
        var metrics = new EnumMap<Metric, MetricSummary>(Metric.class);
        metrics.put(prefill ? Metric.PREFILL_TPS : Metric.DECODE_TPS, tps);
        if (roofline != null && !Double.isNaN(roofline.share())) {
            metrics.put("memory".equals(roofline.bound()) ? Metric.MBU : Metric.MFU, MetricSummary.single(Unit.SHARE, roofline.share()));
        }
        return new EngineRun(name, model.name(), model.source(), model.weightType(), model.weightBytes(), model.params(),
                engine, kernels, threads, prefill ? tokens : 0, prefill ? 0 : tokens, depth, 1, null, tps.mean(), tps.stdev(), tokensPerSecond,
                nanos.mean(), nanos.stdev(), ns, countSource, roofline, textNormalized, metrics);
    }

    /**
     * A test of {@code sequences} sequences run together ({@code toks bench -B}), from the time of
     * each repetition. Prefill ({@code ppN}): the B prompts of N tokens each, {@code prefill_tps} =
     * B x N / time (llama-batched-bench's S_PP) and {@code ttft} = that time, when every prompt has
     * its logits (its T_PP; no token sampled). Decode ({@code tgN}): N steps, each one token for
     * every sequence, {@code decode_tps} = N / time per sequence and, from two sequences,
     * {@code aggregate_decode_tps} = B x N / time (its S_TG). The llama-bench fields ({@code avg_ts},
     * {@code samples_ts}) count the tokens of all sequences. One sequence gives what
     * {@link #of(String, ModelFacts, String, int, boolean, int, int, double[], TokenCountSource, RooflineShare, TextRates)}
     * gives, plus the prefill's {@code ttft}.
     *
     * @param nanos the time of every repetition
     */
    public static EngineRun ofBatch(String name, ModelFacts model, String kernels, int threads, boolean prefill, int tokens, int depth,
                                    int sequences, double[] nanos, TokenCountSource countSource, RooflineShare roofline,
                                    TextRates textNormalized) {
        if (sequences < 1) throw new IllegalArgumentException("sequences must be >= 1, got " + sequences);
        double[] allTokensPerSecond = new double[nanos.length];
        double[] perSequence = new double[nanos.length];
        double[] millis = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            allTokensPerSecond[i] = (double) sequences * tokens * 1e9 / nanos[i];
            perSequence[i] = tokens * 1e9 / nanos[i];
            millis[i] = nanos[i] / 1e6;
        }
        var metrics = new EnumMap<Metric, MetricSummary>(Metric.class);
        if (prefill) {
            metrics.put(Metric.PREFILL_TPS, MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, allTokensPerSecond));
            metrics.put(Metric.TTFT, MetricSummary.ofSamples(Unit.MILLISECONDS, millis));
        } else {
            metrics.put(Metric.DECODE_TPS, MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, perSequence));
            if (sequences > 1) metrics.put(Metric.AGGREGATE_DECODE_TPS, MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, allTokensPerSecond));
        }
        if (roofline != null && !Double.isNaN(roofline.share())) {
            metrics.put("memory".equals(roofline.bound()) ? Metric.MBU : Metric.MFU, MetricSummary.single(Unit.SHARE, roofline.share()));
        }
        var tps = io.toks.core.stats.Statistics.summarize(allTokensPerSecond);
        var time = io.toks.core.stats.Statistics.summarize(nanos);
        return new EngineRun(name, model.name(), model.source(), model.weightType(), model.weightBytes(), model.params(),
                TOKS_ENGINE, kernels, threads, prefill ? tokens : 0, prefill ? 0 : tokens, depth, sequences, null, tps.mean(), tps.stdev(),
                allTokensPerSecond, time.mean(), time.stdev(), nanos, countSource, roofline, textNormalized, metrics);
    }
}

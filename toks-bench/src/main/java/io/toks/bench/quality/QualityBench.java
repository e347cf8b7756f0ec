package io.toks.bench.quality;

import io.toks.bench.engine.EngineBench;
import io.toks.core.ToksException;
import io.toks.core.estimate.KvCacheType;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.QualityRun;
import io.toks.core.result.Unit;
import io.toks.engine.model.LlamaModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code toks perplexity}: how well a model predicts a text, how fast it evaluated it, and, against
 * a reference's saved log-probabilities, how far its distributions are from the reference's.
 */
public final class QualityBench {

    /** Told after each chunk, for a progress display. */
    public interface Progress {
        void chunkDone(int done, int of, double perplexitySoFar, double tokensPerSecond);

        Progress NONE = (done, of, ppl, tps) -> {};
    }

    /**
     * @param plan       the chunking
     * @param threads    worker threads
     * @param saveLogits where to keep this model's log-probabilities for a later {@code klFrom}; null for nowhere
     * @param klFrom     a reference's saved log-probabilities to measure against; null for none
     * @param reference  how to name that reference in the result (its model file, or the logits file)
     */
    public record Options(PerplexityPlan plan, int threads, Path saveLogits, Path klFrom, String reference, KvCacheType cacheType) {
        /** Options with the engine's default KV cache type. */
        public Options(PerplexityPlan plan, int threads, Path saveLogits, Path klFrom, String reference) {
            this(plan, threads, saveLogits, klFrom, reference, io.toks.engine.model.InferenceSession.DEFAULT_CACHE);
        }
    }

    private QualityBench() {}

    /**
     * The text as the model reads it: tokenized once, with BOS where the model's file says texts
     * start with one (llama.cpp's perplexity does the same).
     */
    public static int[] tokenize(LlamaModel model, String text) {
        return model.tokenizer().encode(text, model.info().addsBos(), false);
    }

    /** The token each chunk starts with (BOS), or -1 when the model's texts start without one. */
    public static int chunkStart(LlamaModel model) {
        return model.info().addsBos() ? model.tokenizer().bosId() : -1;
    }

    /** Scores {@code tokens} (from {@link #tokenize}) of the text {@code textName}. */
    public static QualityRun measure(LlamaModel model, String textName, int[] tokens, Options options, Progress progress) {
        PerplexityPlan plan = options.plan();
        int chunks = plan.chunksOf(tokens.length);
        int vocabulary = model.config().vocabSize();
        var nll = new NegativeLogLikelihood();
        LogitsFile.Reader reference = null;
        LogitsFile.Writer saved = null;
        try {
            KlDivergence kl = null;
            if (options.klFrom() != null) {
                reference = new LogitsFile.Reader(options.klFrom());
                checkSameTokens(reference.header(), vocabulary, plan, chunks, tokens, options.klFrom());
                kl = new KlDivergence(reference);
            }
            if (options.saveLogits() != null) {
                checkRoom(options.saveLogits(), LogitsFile.size(vocabulary, chunks * plan.nCtx(), (long) chunks * plan.scoredPerChunk()));
                saved = new LogitsFile.Writer(options.saveLogits(), new LogitsFile.Header(vocabulary, plan.nCtx(), chunks,
                        Arrays.copyOf(tokens, chunks * plan.nCtx())));
            }
            ScoredPosition sink = all(nll, kl, saved);
            double[] rates = new PerplexityEvaluator(model, options.threads(), options.cacheType()).run(tokens, plan, chunks, sink,
                    (done, of, tps) -> progress.chunkDone(done, of, nll.perplexity(), tps));
            if (saved != null) saved.commit();
            Map<Metric, MetricSummary> metrics = new EnumMap<>(Metric.class);
            double ppl = nll.perplexity(), error = nll.perplexityError();
            metrics.put(Metric.PERPLEXITY, new MetricSummary(Unit.PERPLEXITY, nll.count(), ppl, Double.NaN,
                    ppl - 1.96 * error, ppl + 1.96 * error, ppl, ppl, ppl, Map.of(), new double[0]));
            metrics.put(Metric.PREFILL_TPS, MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, rates));
            if (kl != null) metrics.putAll(kl.metrics(ppl));
            return new QualityRun("ppl ctx=" + plan.nCtx(), model.info().name(), model.info().source(), model.info().weightType(),
                    model.weights().byteSize(), EngineBench.kernelsDescription(model), options.threads(), textName, tokens.length,
                    plan.nCtx(), chunks, nll.count(), ppl, error, options.klFrom() == null ? null : options.reference(), metrics);
        } finally {
            // neither close throws: a failure above is the one reported
            if (reference != null) reference.close();
            if (saved != null) saved.close();
        }
    }

    /**
     * The same method against a server: each chunk (its first token {@code chunkStart}, from
     * {@link #chunkStart}, unless that is -1) sent as token ids, the
     * server's log-probabilities of its second half scored. {@code tokens} must come from the
     * served model's tokenizer. Only perplexity: a server returns no whole distributions to
     * compare.
     */
    public static QualityRun measureServer(java.net.URI base, String model, String apiKey, int chunkStart, String textName, int[] tokens,
                                           PerplexityPlan plan, Progress progress) {
        int chunks = plan.chunksOf(tokens.length);
        int n = plan.nCtx(), first = plan.firstScored();
        var nll = new NegativeLogLikelihood();
        double[] rates = new double[chunks];
        try (var scorer = new ServerPromptScorer(base, model, apiKey)) {
            for (int c = 0; c < chunks; c++) {
                int[] chunk = Arrays.copyOfRange(tokens, c * n, c * n + n);
                if (chunkStart >= 0) chunk[0] = chunkStart;
                long start = System.nanoTime();
                double[] logProbs = scorer.logProbs(chunk);
                rates[c] = n / ((System.nanoTime() - start) / 1e9);
                // position j's distribution predicts token j + 1: the server states it as token j + 1's log-probability
                for (int j = first; j < n - 1; j++) nll.add(-logProbs[j + 1]);
                progress.chunkDone(c + 1, chunks, nll.perplexity(), rates[c]);
            }
        }
        Map<Metric, MetricSummary> metrics = new EnumMap<>(Metric.class);
        double ppl = nll.perplexity(), error = nll.perplexityError();
        metrics.put(Metric.PERPLEXITY, new MetricSummary(Unit.PERPLEXITY, nll.count(), ppl, Double.NaN,
                ppl - 1.96 * error, ppl + 1.96 * error, ppl, ppl, ppl, Map.of(), new double[0]));
        metrics.put(Metric.PREFILL_TPS, MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, rates));
        return new QualityRun("ppl ctx=" + n, model, base.toString(), "server", 0, "server", 0, textName, tokens.length,
                n, chunks, nll.count(), ppl, error, null, metrics);
    }

    /** Bytes of the log-probabilities file a reference scored on {@code tokens} with {@code plan} takes. */
    public static long referenceBytes(LlamaModel model, int[] tokens, PerplexityPlan plan) {
        int chunks = plan.chunksOf(tokens.length);
        return LogitsFile.size(model.config().vocabSize(), chunks * plan.nCtx(), (long) chunks * plan.scoredPerChunk());
    }

    /**
     * Refuses, before any work, a logits file the disk cannot hold: 4 bytes per vocabulary entry
     * per scored position (a 128k vocabulary and 300k scored tokens is 150 GB).
     */
    public static void checkRoom(Path file, long bytes) {
        Path dir = file.toAbsolutePath().getParent();
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (java.io.IOException e) {
            throw new ToksException("cannot write logits to " + file + ": " + e.getMessage(), e);
        }
        if (bytes > free) {
            throw new ToksException(String.format(java.util.Locale.ROOT, "the log-probabilities would take %.1f GB in %s, which has %.1f GB free:"
                    + " score fewer chunks (--chunks, bench --quality-chunks) or a shorter text", bytes / 1e9, dir, free / 1e9));
        }
    }

    /** A reference scored other tokens (another text, tokenizer or --ctx): its distributions would not line up. */
    private static void checkSameTokens(LogitsFile.Header h, int vocabulary, PerplexityPlan plan, int chunks, int[] tokens, Path file) {
        if (h.vocabulary() != vocabulary) {
            throw new ToksException(file + " holds a vocabulary of " + h.vocabulary() + " tokens; this model's has " + vocabulary);
        }
        if (h.nCtx() != plan.nCtx() || h.chunks() != chunks) {
            throw new ToksException(file + " was made with --ctx " + h.nCtx() + " over " + h.chunks() + " chunks; this run has --ctx "
                    + plan.nCtx() + " over " + chunks + ": give the same --ctx and --chunks");
        }
        if (!Arrays.equals(h.tokens(), Arrays.copyOf(tokens, chunks * plan.nCtx()))) {
            throw new ToksException(file + " was made from other tokens (another text or tokenizer) than this run's");
        }
    }

    private static ScoredPosition all(ScoredPosition... sinks) {
        List<ScoredPosition> present = Arrays.stream(sinks).filter(java.util.Objects::nonNull).toList();
        return (logits, lse, next) -> {
            for (ScoredPosition s : present) s.accept(logits, lse, next);
        };
    }
}

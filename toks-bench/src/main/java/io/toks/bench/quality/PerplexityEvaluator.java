package io.toks.bench.quality;

import io.toks.core.estimate.KvCacheType;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.model.TokenLogProbs;
import io.toks.engine.parallel.WorkerPool;

/**
 * Runs a model over the chunks of a tokenized text and hands the logits of every scored position
 * to a {@link ScoredPosition}. Each chunk is fed through {@link InferenceSession#score}, which
 * computes the logits after every token (in batches where the model prefills in batches); those
 * from position {@code nCtx / 2} on are scored.
 */
final class PerplexityEvaluator {

    /** Told after each chunk: how many are done, and how fast the chunk's tokens were evaluated. */
    interface ChunkListener {
        void chunkDone(int done, int of, double tokensPerSecond);
    }

    private final LlamaModel model;
    private final int threads;

    private final KvCacheType cacheType;

    PerplexityEvaluator(LlamaModel model, int threads, KvCacheType cacheType) {
        this.model = model;
        this.threads = threads;
        this.cacheType = cacheType;
    }

    /**
     * Scores {@code chunks} chunks of {@code tokens}.
     *
     * @return tokens evaluated per second, one sample per chunk
     */
    double[] run(int[] tokens, PerplexityPlan plan, int chunks, ScoredPosition sink, ChunkListener listener) {
        int n = plan.nCtx(), first = plan.firstScored();
        int start = QualityBench.chunkStart(model);
        double[] rates = new double[chunks];
        try (var pool = new WorkerPool(threads)) {
            var session = new InferenceSession(model, pool, n, cacheType);
            // the last token of a chunk predicts nothing that is scored: n - 1 tokens are fed
            int[] chunk = new int[n - 1];
            for (int c = 0; c < chunks; c++) {
                System.arraycopy(tokens, c * n, chunk, 0, n - 1);
                if (start >= 0) chunk[0] = start; // every chunk starts as a text does
                int next = c * n + 1; // tokens[next + j] follows position j
                long began = System.nanoTime();
                session.reset();
                session.score(chunk, (j, logits) -> {
                    if (j >= first) sink.accept(logits, TokenLogProbs.logSumExp(logits), tokens[next + j]);
                });
                rates[c] = (n - 1) / ((System.nanoTime() - began) / 1e9);
                listener.chunkDone(c + 1, chunks, rates[c]);
            }
        }
        return rates;
    }
}

package io.toks.bench.quality;

import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.parallel.WorkerPool;

/**
 * Runs a model over the chunks of a tokenized text and hands the logits of every scored position
 * to a {@link ScoredPosition}. Per chunk: the first half is prefilled (logits only at its last
 * position, the first one scored), the rest is fed a token at a time, each giving the logits
 * that predict the next.
 */
final class PerplexityEvaluator {

    /** Told after each chunk: how many are done, and how fast the chunk's tokens were evaluated. */
    interface ChunkListener {
        void chunkDone(int done, int of, double tokensPerSecond);
    }

    private final LlamaModel model;
    private final int threads;

    PerplexityEvaluator(LlamaModel model, int threads) {
        this.model = model;
        this.threads = threads;
    }

    /**
     * Scores {@code chunks} chunks of {@code tokens}.
     *
     * @return tokens evaluated per second, one sample per chunk
     */
    double[] run(int[] tokens, PerplexityPlan plan, int chunks, ScoredPosition sink, ChunkListener listener) {
        int n = plan.nCtx(), first = plan.firstScored();
        int bos = model.tokenizer().bosId();
        double[] rates = new double[chunks];
        try (var pool = new WorkerPool(threads)) {
            var session = new InferenceSession(model, pool, n);
            int[] chunk = new int[n];
            for (int c = 0; c < chunks; c++) {
                System.arraycopy(tokens, c * n, chunk, 0, n);
                chunk[0] = bos; // every chunk starts as a text does
                long start = System.nanoTime();
                session.reset();
                float[] logits = session.prefill(java.util.Arrays.copyOf(chunk, first + 1));
                for (int j = first; j < n - 1; j++) {
                    if (j > first) logits = session.decode(chunk[j]);
                    sink.accept(logits, LogSoftmax.logNormalizer(logits), chunk[j + 1]);
                }
                // n - 1 tokens fed: the last one of a chunk predicts nothing that is scored
                rates[c] = (n - 1) / ((System.nanoTime() - start) / 1e9);
                listener.chunkDone(c + 1, chunks, rates[c]);
            }
        }
        return rates;
    }
}

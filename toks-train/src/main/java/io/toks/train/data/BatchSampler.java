package io.toks.train.data;

import java.util.SplittableRandom;

/**
 * Training batches: windows of {@code seq + 1} consecutive tokens at uniformly random places of
 * the training split (inputs are the first seq, targets the last seq). The windows of step s
 * depend only on the seed and s, so a run resumed at step s draws exactly the batches the
 * uninterrupted run drew.
 */
public final class BatchSampler {

    private final int[] tokens;
    private final int sequences, seq;
    private final long seed;

    public BatchSampler(int[] tokens, int sequences, int seq, long seed) {
        if (tokens.length < seq + 1) throw new IllegalArgumentException(tokens.length + " tokens hold no window of " + (seq + 1));
        this.tokens = tokens;
        this.sequences = sequences;
        this.seq = seq;
        this.seed = seed;
    }

    /** Fills inputs and targets ({@code sequences x seq} each) with the batch of step {@code step}. */
    public void batch(long step, int[] inputs, int[] targets) {
        var random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        int starts = tokens.length - seq; // window [s, s + seq] must fit
        for (int b = 0; b < sequences; b++) {
            int s = random.nextInt(starts);
            System.arraycopy(tokens, s, inputs, b * seq, seq);
            System.arraycopy(tokens, s + 1, targets, b * seq, seq);
        }
    }

    /** Tokens one batch trains on. */
    public int tokensPerBatch() {
        return sequences * seq;
    }
}

package io.toks.engine.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Log probabilities from logits: the model's own distribution (log-softmax at temperature 1,
 * whatever temperature a sampler uses), as servers report them ({@code logprobs}) and perplexity
 * is computed from them. The normalizer is accumulated in double: over a vocabulary of 100k+
 * entries a float sum loses the small terms, and perplexity is an exponential of these values.
 * This is the one place where that math lives.
 */
public final class TokenLogProbs {

    /** A token and its log probability (natural log). */
    public record Candidate(int token, double logProb) {}

    private TokenLogProbs() {}

    /**
     * log(sum exp(logits)), shifted by the largest logit so that no exponential overflows:
     * {@code log P(i) = logits[i] - logSumExp(logits)}.
     */
    public static double logSumExp(float[] logits) {
        if (logits.length == 0) throw new IllegalArgumentException("no logits");
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        if (max == Double.NEGATIVE_INFINITY) throw new IllegalArgumentException("every logit is -infinity");
        double sum = 0;
        for (float l : logits) sum += Math.exp(l - max);
        return max + Math.log(sum);
    }

    /** log P(token) under {@code logits}. */
    public static double logProb(float[] logits, int token) {
        return logProb(logits, token, logSumExp(logits));
    }

    /** log P(token), given {@link #logSumExp} of the same logits (computed once for several tokens). */
    public static double logProb(float[] logits, int token, double logSumExp) {
        if (token < 0 || token >= logits.length) throw new IllegalArgumentException("token id " + token + " outside vocabulary of " + logits.length);
        return logits[token] - logSumExp;
    }

    /**
     * The {@code n} most likely tokens, most likely first (equal logits: lower id first), with
     * their log probabilities; fewer when the vocabulary is smaller.
     */
    public static List<Candidate> top(float[] logits, int n, double logSumExp) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        int k = Math.min(n, logits.length);
        if (k == 0) return List.of();
        // Insertion into a short sorted list: n is small (servers cap it at 20), the vocabulary large.
        int[] ids = new int[k];
        float[] values = new float[k];
        Arrays.fill(values, Float.NEGATIVE_INFINITY);
        Arrays.fill(ids, -1);
        for (int i = 0; i < logits.length; i++) {
            float l = logits[i];
            if (ids[k - 1] >= 0 && !(l > values[k - 1])) continue;
            int at = k - 1;
            while (at > 0 && (ids[at - 1] < 0 || l > values[at - 1])) {
                ids[at] = ids[at - 1];
                values[at] = values[at - 1];
                at--;
            }
            ids[at] = i;
            values[at] = l;
        }
        List<Candidate> out = new ArrayList<>(k);
        for (int j = 0; j < k; j++) out.add(new Candidate(ids[j], values[j] - logSumExp));
        return out;
    }

    /**
     * Feeds {@code tokens} to {@code session} from its current position and returns, for each
     * token after the first, log P(tokens[i] | everything before it in the session); element 0
     * is NaN (nothing here predicts it). The session ends {@code tokens.length} positions further,
     * with the logits after the last token, as after a prefill.
     */
    public static double[] ofSequence(InferenceSession session, int[] tokens) {
        if (tokens.length == 0) throw new IllegalArgumentException("no tokens to score");
        double[] out = new double[tokens.length];
        out[0] = Double.NaN;
        session.score(tokens, (i, logits) -> {
            if (i + 1 < tokens.length) out[i + 1] = logProb(logits, tokens[i + 1]);
        });
        return out;
    }
}

package io.toks.train.model;

import io.toks.train.kernel.ReproducibleMath;

/**
 * Cross-entropy of one row of logits against its target, and, for training, the row's gradient
 * in place of the logits: {@code (softmax(z) - onehot(target)) · weight}. The loss is computed as
 * {@code logsumexp(z) - z[target]}, which stays finite where the target's probability underflows
 * a float.
 */
final class CrossEntropy {

    private CrossEntropy() {}

    /**
     * @param gradientWeight the factor of the gradient (1 / tokens in the batch for a mean loss);
     *                       0 for evaluation (the logits are overwritten all the same)
     * @return the row's loss, in nats
     */
    static double row(float[] logits, int offset, int vocab, int target, float gradientWeight) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, logits[offset + i]);
        float targetLogit = logits[offset + target];
        float sum = ReproducibleMath.exponentiate(logits, offset, vocab, max);
        double loss = Math.log(sum) + max - targetLogit;
        if (gradientWeight != 0f) {
            float scale = gradientWeight / sum;
            for (int i = 0; i < vocab; i++) logits[offset + i] *= scale;
            logits[offset + target] -= gradientWeight;
        }
        return loss;
    }
}

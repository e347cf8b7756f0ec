package io.toks.train.data;

/**
 * The windows validation loss is measured on, the same at every evaluation: consecutive windows
 * of the validation split, window w predicting tokens {@code w·seq + 1 .. w·seq + seq} from the
 * {@code seq} before each, so every token but the first is predicted once, from the start of its
 * window on.
 *
 * @param count how many windows (the split's whole windows, at most the limit asked)
 */
public record ValidationWindows(int[] tokens, int seq, int count) {

    public static ValidationWindows of(int[] validation, int seq, int limit) {
        int whole = (validation.length - 1) / seq;
        return new ValidationWindows(validation, seq, Math.max(0, Math.min(whole, limit)));
    }

    /** Copies windows [first, first + n) into inputs and targets (n x seq each). */
    public void fill(int first, int n, int[] inputs, int[] targets) {
        for (int w = 0; w < n; w++) {
            int start = (first + w) * seq;
            System.arraycopy(tokens, start, inputs, w * seq, seq);
            System.arraycopy(tokens, start + 1, targets, w * seq, seq);
        }
    }

    /** Tokens predicted across all windows. */
    public long predictedTokens() {
        return (long) count * seq;
    }
}

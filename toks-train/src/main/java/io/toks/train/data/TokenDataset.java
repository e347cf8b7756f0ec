package io.toks.train.data;

import io.toks.core.ToksException;
import io.toks.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * A corpus as one stream of token ids, each document opened by the tokenizer's begin-of-sequence
 * token (as llama2.c's pretokenization does, so a model learns where texts start), cut in two:
 * the training tokens and, after them, the held-out validation tokens (the last part of the
 * stream, so no window of one overlaps the other). Every window drawn from either is whole: no
 * padding is ever made, so every token counted was trained on.
 *
 * @param train      the training tokens
 * @param validation the held-out tokens
 */
public record TokenDataset(int[] train, int[] validation) {

    public static TokenDataset of(List<String> documents, Tokenizer tokenizer, double validationFraction) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction must be between 0 and 1 (exclusive), got " + validationFraction);
        }
        int[] stream = new int[1024];
        int n = 0;
        for (String document : documents) {
            int[] ids = tokenizer.encode(document, true, false);
            if (n + ids.length > stream.length) stream = Arrays.copyOf(stream, Math.max(stream.length * 2, n + ids.length));
            System.arraycopy(ids, 0, stream, n, ids.length);
            n += ids.length;
        }
        int validation = (int) Math.round(n * validationFraction);
        return new TokenDataset(Arrays.copyOfRange(stream, 0, n - validation), Arrays.copyOfRange(stream, n - validation, n));
    }

    /** Checks that both parts hold at least one window of {@code seq} inputs and their targets. */
    public void requireWindows(int seq) {
        if (train.length < seq + 1) {
            throw new ToksException("the training split has " + train.length + " tokens; a sequence of " + seq
                    + " needs " + (seq + 1) + " (more --data or a smaller --seq)");
        }
        if (validation.length < seq + 1) {
            throw new ToksException("the validation split has " + validation.length + " tokens; a sequence of " + seq
                    + " needs " + (seq + 1) + " (more --data, a larger --val-fraction or a smaller --seq)");
        }
    }

    public long tokens() {
        return (long) train.length + validation.length;
    }
}

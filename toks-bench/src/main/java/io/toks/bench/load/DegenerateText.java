package io.toks.bench.load;

import java.util.HashMap;
import java.util.Map;

/**
 * Whether generated text is degenerate: one short piece repeated for most of it ("the the the",
 * "!!!!", "ab ab ab"). A server that emits such text (a broken model, a wrong chat template, a
 * quantization gone bad) often streams faster than one writing real text, so a speed measured on
 * it overstates the server. Judged on the text alone, without the model's tokenizer: the text is
 * degenerate when, for some period of 1 to 32 characters, at least 90% of its characters equal
 * the one that many places later, or when one word makes up 60% of its words. Natural text of
 * any language stays far below both (its most common word, "the", is about 6% of English words).
 */
final class DegenerateText {

    /** Shorter texts are not judged: a few repeated characters can be an honest answer. */
    static final int MIN_CHARS = 32;
    private static final int MAX_PERIOD = 32;
    private static final double PERIODIC_SHARE = 0.9;
    private static final double TOP_WORD_SHARE = 0.6;
    private static final int MIN_WORDS = 8;

    private DegenerateText() {}

    static boolean isDegenerate(String text) {
        int[] cp = text.codePoints().toArray();
        if (cp.length < MIN_CHARS) return false;
        for (int period = 1; period <= MAX_PERIOD && period < cp.length / 2; period++) {
            int same = 0;
            for (int i = 0; i + period < cp.length; i++) if (cp[i] == cp[i + period]) same++;
            if (same >= PERIODIC_SHARE * (cp.length - period)) return true;
        }
        String[] words = text.strip().split("\\s+");
        if (words.length < MIN_WORDS) return false;
        Map<String, Integer> counts = new HashMap<>();
        int top = 0;
        for (String w : words) top = Math.max(top, counts.merge(w, 1, Integer::sum));
        return top >= TOP_WORD_SHARE * words.length;
    }
}

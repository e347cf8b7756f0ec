package io.toks.tokenizer;

import io.toks.core.ToksException;

/** What the tokenizer fuzz targets do with a tokenizer a file gave them: encode a text and decode every id. */
final class TokenizerRoundTrip {

    /** Letters, digits, punctuation, spaces, accents and a 4-byte character: most code paths of every tokenizer kind. */
    static final String TEXT = "Hello, world! 123  héllo\n\t🦙 it's <s> [CLS]";

    private TokenizerRoundTrip() {}

    static void exercise(Tokenizer tokenizer) {
        for (boolean bos : new boolean[] {false, true}) {
            int[] ids;
            try {
                ids = tokenizer.encode(TEXT, bos, false);
            } catch (ToksException e) {
                continue; // a named refusal (e.g. no begin-of-sequence token)
            }
            int previous = -1;
            for (int id : ids) {
                if (id < 0 || id >= tokenizer.vocabularySize()) {
                    throw new AssertionError("encoded id " + id + " outside the vocabulary of " + tokenizer.vocabularySize());
                }
                tokenizer.decode(previous, id);
                previous = id;
            }
        }
    }
}

package io.toks.tokenizer;

import io.toks.core.ToksException;

/**
 * Stands in for a tokenizer toks cannot build yet (or a synthetic model's): it knows the
 * vocabulary size and the special ids, which is all a benchmark on token ids needs, and refuses
 * text with a message that says why.
 */
public final class IdOnlyTokenizer implements Tokenizer {

    private final int vocabularySize;
    private final int bos;
    private final int eos;
    private final String reason;

    public IdOnlyTokenizer(int vocabularySize, int bos, int eos, String reason) {
        this.vocabularySize = vocabularySize;
        this.bos = bos;
        this.eos = eos;
        this.reason = reason;
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean addEos) {
        throw new ToksException("cannot encode text: " + reason);
    }

    @Override
    public byte[] decode(int previous, int token) {
        throw new ToksException("cannot decode tokens: " + reason);
    }

    @Override public int vocabularySize() { return vocabularySize; }
    @Override public int bosId() { return bos; }
    @Override public int eosId() { return eos; }
    @Override public String kind() { return "ids-only"; }
}

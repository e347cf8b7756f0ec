package io.toks.tokenizer;

import io.toks.core.ToksException;

/** A vocabulary file or metadata that cannot be a valid tokenizer. */
public class TokenizerFormatException extends ToksException {

    public TokenizerFormatException(String message) {
        super(message);
    }
}

package io.toks.tokenizer;

import io.toks.core.ToksException;

/**
 * A tokenizer's files (a vocabulary, its merges, a llama2.c tokenizer) are not where they were
 * looked for. The message says where; a front end adds how to point elsewhere (the command line
 * names its option).
 */
public class TokenizerFileNotFoundException extends ToksException {

    public TokenizerFileNotFoundException(String message) {
        super(message);
    }
}

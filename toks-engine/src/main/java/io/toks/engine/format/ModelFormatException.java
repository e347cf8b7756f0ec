package io.toks.engine.format;

import io.toks.core.ToksException;

/** A model file that is not what it claims: wrong magic, truncated, inconsistent shapes. */
public class ModelFormatException extends ToksException {

    public ModelFormatException(String message) {
        super(message);
    }
}

package io.toks.engine.format;

import io.toks.core.ToksException;

/** A valid model file that this engine cannot run yet (architecture, tensor type). */
public class UnsupportedModelException extends ToksException {

    public UnsupportedModelException(String message) {
        super(message);
    }
}

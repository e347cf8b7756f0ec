package io.toks.core;

/**
 * A failure the user can act on: bad input, a broken file, an impossible setting. Its message is
 * one line that names the problem; the command line prints it without a stack trace.
 */
public class ToksException extends RuntimeException {

    public ToksException(String message) {
        super(message);
    }

    public ToksException(String message, Throwable cause) {
        super(message, cause);
    }
}

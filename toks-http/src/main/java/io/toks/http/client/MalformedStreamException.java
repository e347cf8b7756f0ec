package io.toks.http.client;

import java.io.IOException;

/** A response that breaks HTTP or event-stream framing: counted as malformed, not as an I/O failure. */
public final class MalformedStreamException extends IOException {

    public MalformedStreamException(String message) {
        super(message);
    }
}

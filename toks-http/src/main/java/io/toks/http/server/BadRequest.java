package io.toks.http.server;

/** A request the server refuses while reading it: answered with {@link #status} and the message, then the connection closes. */
final class BadRequest extends Exception {

    final int status;

    BadRequest(int status, String message) {
        super(message);
        this.status = status;
    }
}

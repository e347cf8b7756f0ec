package io.toks.core.events;

/** Why a request failed, as load reports count it; the kinds a server or a client can tell apart. */
public enum ErrorKind {
    /** Could not connect (refused, unreachable, connect timeout). */
    CONNECT,
    /**
     * The server answered a redirect (3xx). A load test does not follow it: it measures the
     * address it was given, and a redirect loop must end, not spin.
     */
    REDIRECT,
    /** The server answered 4xx. */
    HTTP_4XX,
    /** The server answered 5xx (or another status outside 2xx-4xx). */
    HTTP_5XX,
    /** The stream broke its format: bad SSE/NDJSON, not JSON, JSON not of this API, bad HTTP framing. */
    MALFORMED,
    /** The server reported an error inside the stream. */
    SERVER_ERROR,
    /** The connection ended before the response did (reset, closed mid-stream, no end marker). */
    CUT,
    /** The server went silent for longer than the read timeout. */
    STALL,
    /** Any other I/O failure. */
    IO
}

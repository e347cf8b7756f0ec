package io.toks.http.client;

/**
 * One message of a streamed response: the {@code data} of a server-sent event, or one line of an
 * NDJSON stream.
 *
 * @param data          the payload (SSE data lines joined with newlines)
 * @param arrivalNanos  when the bytes that completed it arrived ({@code System.nanoTime()})
 */
public record StreamEvent(String data, long arrivalNanos) {}

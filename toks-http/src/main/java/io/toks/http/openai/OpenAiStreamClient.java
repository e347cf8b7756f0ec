package io.toks.http.openai;

import io.toks.http.client.EventStreamReader;
import io.toks.http.client.HttpExchange;
import io.toks.http.client.StreamEvent;
import io.toks.http.client.StreamingHttpClient;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends streamed generation requests to an OpenAI-compatible (or Ollama) server and records what
 * came back and when. Never throws for a failed request: the failure is classified
 * ({@link ErrorKind}) in the returned record, because a load test counts failures, it does not
 * stop at them. Thread-safe; call from many virtual threads at once.
 */
public final class OpenAiStreamClient {

    private final StreamingHttpClient http;
    private final URI endpoint;
    private final ApiFlavor flavor;
    private final Map<String, String> headers;

    /**
     * @param apiKey sent as a bearer token when not null
     */
    public OpenAiStreamClient(StreamingHttpClient http, URI baseUrl, ApiFlavor flavor, String apiKey) {
        this.http = http;
        this.endpoint = flavor.endpoint(baseUrl);
        this.flavor = flavor;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", flavor.framing() == EventStreamReader.Framing.SSE ? "text/event-stream" : "application/x-ndjson");
        if (apiKey != null && !apiKey.isEmpty()) h.put("Authorization", "Bearer " + apiKey);
        this.headers = Map.copyOf(h);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Runs one request to its end; {@code requestId} goes out as {@code X-Request-Id}. */
    public StreamedCompletion stream(CompletionRequest request, String requestId) {
        Recorder r = new Recorder();
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("X-Request-Id", requestId);
        byte[] body = request.toJson(flavor);
        r.sent = System.nanoTime();
        try (HttpExchange ex = http.send("POST", endpoint, h, body)) {
            r.sent = ex.sentNanos();
            r.head = ex.headNanos();
            r.status = ex.status();
            if (ex.status() < 200 || ex.status() > 299) {
                String detail = errorDetail(ex);
                return r.fail(ex.status() < 500 ? ErrorKind.HTTP_4XX : ErrorKind.HTTP_5XX,
                        "HTTP " + ex.status() + (detail.isEmpty() ? "" : ": " + detail));
            }
            readStream(ex, r);
            return r.result();
        } catch (ConnectException | NoRouteToHostException | UnknownHostException e) {
            return r.fail(ErrorKind.CONNECT, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (SocketTimeoutException e) {
            boolean connecting = r.status == 0 && e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connect");
            return connecting ? r.fail(ErrorKind.CONNECT, "connect timed out")
                    : r.fail(ErrorKind.STALL, "no bytes for longer than the read timeout");
        } catch (EOFException | SocketException e) {
            return r.fail(ErrorKind.CUT, "connection ended mid-response: " + e.getMessage());
        } catch (StreamChunkParser.MalformedChunkException e) {
            return r.fail(ErrorKind.MALFORMED, e.getMessage());
        } catch (IOException e) {
            boolean framing = e.getMessage() != null && (e.getMessage().startsWith("malformed") || e.getMessage().startsWith("chunk"));
            return r.fail(framing ? ErrorKind.MALFORMED : ErrorKind.IO, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void readStream(HttpExchange ex, Recorder r) throws IOException, StreamChunkParser.MalformedChunkException {
        EventStreamReader reader = new EventStreamReader(ex.body(), flavor.framing(), ex::lastArrivalNanos);
        StreamChunkParser parser = new StreamChunkParser(flavor);
        StreamEvent event;
        while ((event = reader.next()) != null) {
            StreamChunk chunk = parser.parse(event.data());
            if (chunk.error() != null) {
                r.fail(ErrorKind.SERVER_ERROR, "server error in stream: " + chunk.error());
                return;
            }
            if (chunk.hasText()) r.chunk(event.arrivalNanos(), chunk);
            else if (chunk.usage() != null) r.lastCumulative = Math.max(r.lastCumulative, chunk.usage().completionTokens());
            if (chunk.usage() != null) r.usage = chunk.usage();
            if (chunk.finishReason() != null) r.finish = chunk.finishReason();
            if (chunk.done()) {
                r.done = true;
                r.end = event.arrivalNanos();
                drain(ex);
                return;
            }
        }
        r.end = ex.lastArrivalNanos();
        // Some servers end the body after the finish_reason without a [DONE]; the body ended
        // properly (chunked terminator), so that is complete. Without either, it was cut.
        if (r.finish == null) throw new EOFException("stream ended without a finish_reason or end marker");
        r.done = true;
    }

    /** Reads what follows the end marker so the connection can be reused. */
    private static void drain(HttpExchange ex) {
        try {
            ex.body().skip(Long.MAX_VALUE);
            while (ex.body().read() >= 0) {
                // nothing: skip may stop early
            }
        } catch (IOException ignored) {
            // the connection will be closed instead of reused
        }
    }

    private static String errorDetail(HttpExchange ex) {
        try {
            String body = ex.readBodyText(2048).trim();
            int i = body.indexOf("\"message\"");
            if (i >= 0) {
                int start = body.indexOf('"', body.indexOf(':', i) + 1);
                int end = body.indexOf('"', start + 1);
                if (start > 0 && end > start) return body.substring(start + 1, end);
            }
            return body.length() > 200 ? body.substring(0, 200) : body;
        } catch (IOException e) {
            return "";
        }
    }

    /** Accumulates one request's observations. */
    private static final class Recorder {
        long sent, head, end;
        int status;
        long[] times = new long[64];
        int[] tokens = new int[64];
        int n;
        int lastCumulative;
        final StringBuilder text = new StringBuilder();
        Usage usage;
        String finish;
        boolean done;
        ErrorKind error;
        String message;

        void chunk(long nanos, StreamChunk c) {
            if (n == times.length) {
                times = Arrays.copyOf(times, n * 2);
                tokens = Arrays.copyOf(tokens, n * 2);
            }
            times[n] = nanos;
            // Continuous usage: a cumulative completion count in every chunk tells how many
            // tokens this chunk carried. Otherwise the count per chunk is unknown.
            if (c.usage() != null && c.usage().completionTokens() >= 0) {
                tokens[n] = c.usage().completionTokens() - lastCumulative;
                lastCumulative = c.usage().completionTokens();
            } else {
                tokens[n] = -1;
            }
            n++;
            text.append(c.text());
        }

        StreamedCompletion fail(ErrorKind kind, String why) {
            if (error == null) {
                error = kind;
                message = why;
            }
            if (end == 0) end = System.nanoTime();
            return result();
        }

        StreamedCompletion result() {
            if (end == 0) end = System.nanoTime();
            return new StreamedCompletion(sent, head, end, status, Arrays.copyOf(times, n), Arrays.copyOf(tokens, n),
                    text.toString(), usage, finish, error, message);
        }
    }
}

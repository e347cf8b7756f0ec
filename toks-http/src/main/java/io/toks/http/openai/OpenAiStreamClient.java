package io.toks.http.openai;

import io.toks.core.events.ErrorKind;
import io.toks.http.client.EventStreamReader;
import io.toks.http.client.HttpExchange;
import io.toks.http.client.HttpWire;
import io.toks.http.client.MalformedStreamException;
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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends streamed generation requests to an OpenAI-compatible (or Ollama) server and records what
 * came back and when. Never throws for a failed request: the failure is classified
 * ({@link ErrorKind}) in the returned record, because a load test counts failures, it does not
 * stop at them. Thread-safe; call from many virtual threads at once.
 */
public final class OpenAiStreamClient {

    /** How long the rest of a body may take to arrive after its end marker. */
    private static final java.time.Duration AFTER_END_MARKER = java.time.Duration.ofMillis(50);

    private final StreamingHttpClient http;
    private final NioStreamTransport nio;
    private final URI endpoint;
    private final ApiFlavor flavor;
    private final Map<String, String> headers;

    /**
     * @param apiKey sent as a bearer token when not null
     */
    public OpenAiStreamClient(StreamingHttpClient http, URI baseUrl, ApiFlavor flavor, String apiKey) {
        this(http, null, baseUrl, flavor, apiKey);
    }

    /**
     * @param nio when not null, plain-http requests go through this selector transport (https
     *            ones through {@code http})
     */
    public OpenAiStreamClient(StreamingHttpClient http, NioStreamTransport nio, URI baseUrl, ApiFlavor flavor, String apiKey) {
        this.http = http;
        this.nio = nio;
        this.endpoint = flavor.endpoint(baseUrl);
        this.flavor = flavor;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", flavor.framing() == EventStreamReader.Framing.SSE ? "text/event-stream" : "application/x-ndjson");
        // Without Accept-Encoding any coding is acceptable (RFC 9110 12.5.3): ask for none, as a
        // stream is read and timed as it arrives (an encoded answer is refused, named).
        h.put("Accept-Encoding", "identity");
        if (apiKey != null && !apiKey.isEmpty()) h.put("Authorization", "Bearer " + apiKey);
        this.headers = Map.copyOf(h);
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Readies the client for a burst of {@code connections} concurrent requests before their
     * clock starts: tops its idle connections up to that many, opened in parallel, and encodes a request once (the first
     * encoding loads and compiles code), so the burst's first requests leave on time instead of
     * one after another behind their connects.
     */
    public void warmUp(int connections) {
        byte[] body = new CompletionRequest("warm-up", "warm-up", 1, true, 0, null).toJson(flavor);
        HttpWire.request("POST", endpoint, headers, body);
        if (connections < 1) return;
        try {
            if (nio != null && "http".equalsIgnoreCase(endpoint.getScheme())) nio.preconnect(endpoint, connections).join();
            else http.preconnect(endpoint, connections);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one request to its end; {@code requestId} goes out as {@code X-Request-Id}. */
    public StreamedCompletion stream(CompletionRequest request, String requestId) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("X-Request-Id", requestId);
        byte[] body = request.toJson(flavor);
        if (nio != null && "http".equalsIgnoreCase(endpoint.getScheme())) {
            return nio.submit(endpoint, HttpWire.request("POST", endpoint, h, body), flavor).join();
        }
        CompletionRecorder r = new CompletionRecorder();
        r.sent = System.nanoTime();
        HttpExchange ex = null;
        try {
            ex = http.send("POST", endpoint, h, body);
            r.sent = ex.sentNanos();
            r.head = ex.headNanos();
            r.status = ex.status();
            if (ex.status() < 200 || ex.status() > 299) {
                return r.failHttp(ex.status(), errorBody(ex), ex.header("location"));
            }
            r.contentType = ex.header("content-type");
            HttpWire.checkStreamContentType(r.contentType);
            HttpWire.checkContentEncoding(ex.header("content-encoding"));
            // After the end marker only the body's last framing bytes should follow, at once: a
            // server that announced more than it sends loses the connection, it does not hold the
            // stream (and the next request of a closed loop) for the read timeout.
            if (readStream(ex, r)) ex.finishBodyWithin(AFTER_END_MARKER);
            return r.result();
        } catch (ConnectException | NoRouteToHostException | UnknownHostException e) {
            return r.fail(ErrorKind.CONNECT, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (SocketTimeoutException e) {
            boolean connecting = r.status == 0 && e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connect");
            boolean watchdog = e.getMessage() != null && e.getMessage().startsWith("no ");
            return connecting ? r.fail(ErrorKind.CONNECT, "connect timed out")
                    : r.fail(ErrorKind.STALL, watchdog ? e.getMessage() : "no bytes for longer than the read timeout");
        } catch (EOFException | SocketException e) {
            return r.fail(ErrorKind.CUT, "connection ended mid-response: " + e.getMessage());
        } catch (StreamChunkParser.MalformedChunkException | MalformedStreamException e) {
            return r.fail(ErrorKind.MALFORMED, e.getMessage());
        } catch (IOException e) {
            boolean framing = e.getMessage() != null && (e.getMessage().startsWith("malformed") || e.getMessage().startsWith("chunk"));
            return r.fail(framing ? ErrorKind.MALFORMED : ErrorKind.IO, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // Whatever a hostile reply provokes, the request is counted, never lost.
            return r.fail(ErrorKind.IO, "client error: " + e);
        } finally {
            if (ex != null) ex.close();
        }
    }

    /** @return true when the stream reached its end marker whole (what follows it only frees the connection) */
    private boolean readStream(HttpExchange ex, CompletionRecorder r) throws IOException, StreamChunkParser.MalformedChunkException {
        EventStreamReader reader = new EventStreamReader(ex.body(), flavor.framing(), () -> arrival(ex));
        ex.progressIsEventEnds(reader::lastEventEndNanos);
        StreamChunkParser parser = new StreamChunkParser(flavor);
        StreamEvent event;
        while ((event = reader.next()) != null) {
            if (r.onMessage(event, parser)) return !r.failed();
        }
        r.endOfBody(arrival(ex), reader.endedInsideEvent(), reader.bodyStart());
        return false;
    }

    /** When the latest bytes of this answer arrived; never before its head (bytes buffered before it are read after it). */
    private static long arrival(HttpExchange ex) {
        return Math.max(ex.headNanos(), ex.lastArrivalNanos());
    }

    private static String errorBody(HttpExchange ex) {
        try {
            return ex.readBodyText(2048);
        } catch (IOException e) {
            return "";
        }
    }
}

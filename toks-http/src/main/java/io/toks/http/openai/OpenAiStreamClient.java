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
        if (apiKey != null && !apiKey.isEmpty()) h.put("Authorization", "Bearer " + apiKey);
        this.headers = Map.copyOf(h);
    }

    public URI endpoint() {
        return endpoint;
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
            HttpWire.checkStreamContentType(ex.header("content-type"));
            if (readStream(ex, r)) {
                HttpExchange answered = ex;
                ex = null; // the rest of the body is read (or given up on) without holding up this request
                finishBody(answered);
            }
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
        EventStreamReader reader = new EventStreamReader(ex.body(), flavor.framing(), ex::lastArrivalNanos);
        ex.progressIsEventEnds(reader::lastEventEndNanos);
        StreamChunkParser parser = new StreamChunkParser(flavor);
        StreamEvent event;
        while ((event = reader.next()) != null) {
            if (r.onMessage(event, parser)) return !r.failed();
        }
        r.endOfBody(ex.lastArrivalNanos(), reader.endedInsideEvent());
        return false;
    }

    /**
     * Frees the connection after the end marker: at once when the rest of the body (the last
     * chunk) has already arrived, as it nearly always has; otherwise on a thread of its own, so a
     * server that announced more than it sends holds only its connection (until the read
     * timeout), never the request.
     */
    private static void finishBody(HttpExchange ex) {
        try {
            if (ex.skipArrived()) {
                ex.close();
                return;
            }
        } catch (IOException e) {
            ex.close(); // the connection will be closed instead of reused
            return;
        }
        Thread.ofVirtual().name("toks-drain").start(() -> {
            try {
                ex.body().skip(Long.MAX_VALUE);
                while (ex.body().read() >= 0) {
                    // nothing: skip may stop early
                }
            } catch (IOException ignored) {
                // the connection will be closed instead of reused
            } finally {
                ex.close();
            }
        });
    }

    private static String errorBody(HttpExchange ex) {
        try {
            return ex.readBodyText(2048);
        } catch (IOException e) {
            return "";
        }
    }
}

package io.toks.http.testserver;

import io.toks.http.server.HttpRequest;
import io.toks.http.server.HttpResponse;
import io.toks.http.server.SmallHttpServer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * An OpenAI-compatible chat server that streams on an exact, known schedule and records when it
 * really wrote each message. Load-generator tests and the client capacity benchmark run against
 * it: every metric the client reports can be checked against {@link #served()}.
 * <p>
 * The plan for the n-th request (0-based, in arrival order) comes from the script.
 */
public final class ScriptedOpenAiServer implements AutoCloseable {

    private final SmallHttpServer http;
    private final LongFunction<ResponsePlan> script;
    private final AtomicLong arrivals = new AtomicLong();
    private final Map<String, ServedRequest> served = new ConcurrentHashMap<>();

    private final boolean stampWrites;
    private final Pacer pacer = new Pacer();

    public ScriptedOpenAiServer(LongFunction<ResponsePlan> script) throws IOException {
        this(script, 0, false);
    }

    /**
     * @param port        0 for any free one
     * @param stampWrites make each message's text its write time ({@code " @<nanoTime>"}), so a
     *                    client in another process on this machine can measure delivery latency
     *                    (Linux: {@code System.nanoTime} is CLOCK_MONOTONIC, shared by processes)
     */
    public ScriptedOpenAiServer(LongFunction<ResponsePlan> script, int port, boolean stampWrites) throws IOException {
        this.script = script;
        this.stampWrites = stampWrites;
        this.http = new SmallHttpServer("127.0.0.1", port, 1 << 20, this::handle);
    }

    public int port() {
        return http.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Connections accepted so far, and when the latest was: when a client connected, beside what it sent. */
    public long acceptedConnections() {
        return http.acceptedConnections();
    }

    public long lastAcceptNanos() {
        return http.lastAcceptNanos();
    }

    /** Ground truth per request id, for requests that carried one. */
    public Map<String, ServedRequest> served() {
        return served;
    }

    private void handle(HttpRequest req, HttpResponse res) throws IOException {
        if (!req.path().endsWith("/chat/completions")) {
            res.send(404, "application/json", SmallHttpServer.errorJson("no such endpoint: " + req.path()));
            return;
        }
        ResponsePlan plan = script.apply(arrivals.getAndIncrement());
        String id = req.header("x-request-id");
        long start = req.receivedNanos();
        long[] writes = new long[plan.chunks().size() + 1];
        if (id != null) served.put(id, new ServedRequest(id, start, writes, plan));
        if (plan.status() != 200) {
            BrokenAnswers.error(plan, req.path(), req.header("host"), res);
            return;
        }
        if (plan.fault().wholeAnswer()) {
            BrokenAnswers.write(plan, res);
            return;
        }
        res.startStream(200, "text/event-stream");
        res.writeChunk(sse(ROLE));
        int sendable = plan.fault() == ResponsePlan.Fault.NONE ? plan.chunks().size() : Math.min(plan.faultAfter(), plan.chunks().size());
        pacer.stream(new Pacer.Stream(res, plan, start, writes, sendable, stampWrites)).join(); // throws if the client left
        if (sendable < plan.chunks().size()) {
            fail(plan.fault(), res);
            return;
        }
        if (plan.fault() != ResponsePlan.Fault.NONE && plan.faultAfter() >= plan.chunks().size()) {
            fail(plan.fault(), res);
            return;
        }
        writes[plan.chunks().size()] = System.nanoTime();
        // [DONE] and the body's end in one write, as servers send them: a kept-alive client that
        // got [DONE] waits only briefly for the end before it drops the connection.
        res.finish(ending(plan));
    }

    private static void fail(ResponsePlan.Fault fault, HttpResponse res) throws IOException {
        switch (fault) {
            case CUT -> res.cut();
            case MALFORMED_JSON -> {
                res.writeChunk(sse("{\"choices\": [ this is not json"));
                res.finish();
            }
            case ERROR_EVENT -> {
                res.writeChunk(sse("{\"error\":{\"message\":\"scripted failure in stream\"}}"));
                res.finish();
            }
            case STALL -> {
                // Silence until the client gives up and closes, or the server closes.
                BrokenAnswers.hold();
                res.cut();
            }
            case OVERSIZED_EVENT, BAD_CHUNK_SIZE, CHUNK_OVERRUN -> BrokenAnswers.midStream(fault, res);
            default -> throw new IllegalStateException(fault + " is not a mid-stream fault");
        }
    }

    /** The whole of a good answer's event stream, as {@link #handle} would pace it out: for faults that write it at once. */
    static String wholeStream(ResponsePlan plan) {
        StringBuilder sb = new StringBuilder(sse(ROLE));
        int cumulative = 0;
        for (int i = 0; i < plan.chunks().size(); i++) {
            int tokens = plan.chunks().get(i).tokens();
            cumulative += tokens;
            sb.append(textEvent(words(tokens, i), plan.continuousUsage() ? usage(plan.promptTokens(), cumulative) : ""));
        }
        return sb.append(ending(plan)).toString();
    }

    /** One text-carrying SSE message; {@code usage} is "" or {@link #usage}'s field. */
    static String textEvent(String text, String usage) {
        return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]" + usage + "}\n\n";
    }

    private static String ending(ResponsePlan plan) {
        return sse("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}")
                + sse("{\"choices\":[]" + usage(plan.promptTokens(), plan.totalTokens()) + "}") + sse("[DONE]");
    }

    private static final String ROLE = "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}";

    static String usage(int prompt, int completion) {
        return ",\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (prompt + completion) + "}";
    }

    /** k words, each one token to a reader of the schedule. */
    static String words(int k, int seed) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < k; j++) sb.append(" w").append((seed + j) % 97);
        return sb.toString();
    }

    static String sse(String data) {
        return "data: " + data + "\n\n";
    }

    @Override
    public void close() {
        http.close();
        pacer.close();
    }
}

package io.toks.bench.load;

import io.toks.http.client.StreamingHttpClient;
import io.toks.http.openai.ApiFlavor;
import io.toks.http.openai.NioStreamTransport;
import io.toks.http.openai.OpenAiStreamClient;
import io.toks.http.testserver.ResponsePlan;
import io.toks.http.testserver.ScriptedOpenAiServer;
import io.toks.tokenizer.Tokenizer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the load client's own code (connect, send, read and parse streamed events, record them,
 * count tokens again) against a scripted server inside this JVM before anything is measured, so
 * that a fresh JVM's interpreter and compilations do not delay the first measured requests. No
 * request reaches the server under test. Held to a packet capture of the loopback
 * (scripts/wire-check.sh), a warmed client's timestamps are several times closer to the wire's
 * than a cold one's (docs/performance.md, "Load client: what stalls").
 */
public final class ClientWarmUp {

    private static final int STREAMS = 32;
    private static final int EVENTS = 100;
    private static final long EVENT_GAP_NANOS = 2_000_000;

    /** Once per JVM: a JVM that has run the client is warm, and tests run many clients in one. */
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private ClientWarmUp() {}

    /**
     * Streams {@code length} worth of scripted load through the same transport and token counting a
     * run uses, then waits (3 s at most) until the JIT has compiled nothing for 300 ms. Does
     * nothing when {@code length} is zero or this JVM has already warmed up.
     *
     * @return whether it ran
     */
    public static boolean runOnce(Duration length, boolean nio, Tokenizer retokenizer) throws IOException {
        if (length.isZero() || !DONE.compareAndSet(false, true)) return false;
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> plan());
             StreamingHttpClient http = new StreamingHttpClient(Duration.ofSeconds(10), Duration.ofSeconds(30));
             NioStreamTransport transport = new NioStreamTransport(Duration.ofSeconds(10), Duration.ofSeconds(30))) {
            var client = new OpenAiStreamClient(http, nio ? transport : null, URI.create(server.baseUrl()), ApiFlavor.CHAT, null);
            var target = new OpenAiTarget(client, new OpenAiTarget.Settings("warm-up", -1, null));
            new LoadRunner(target, PromptSource.fixed(new LoadPrompt("warm-up", 8, EVENTS)), true, retokenizer, 1, r -> {})
                    .run(new LoadShape.Concurrency(STREAMS), RunLength.duration(length));
        }
        ClientCapacityBench.JitActivity.awaitQuiet(300, 3_000);
        return true;
    }

    private static ResponsePlan plan() {
        List<ResponsePlan.Chunk> chunks = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) chunks.add(new ResponsePlan.Chunk((i + 1) * EVENT_GAP_NANOS, 1));
        return ResponsePlan.ok(8, chunks);
    }
}

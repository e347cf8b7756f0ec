package io.toks.core.jfr;

import io.toks.core.events.ErrorKind;
import io.toks.core.events.FinishReason;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.TokenEvents;
import io.toks.core.events.Usage;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.FlightRecorder;

/**
 * Emits toks's JFR events. Every method is a flag check when no recording has the event enabled,
 * so hot loops call them unguarded; a caller that must time something first asks
 * {@link #kernelsEnabled()} / {@link #stepsEnabled()} so it reads the clock only when recording.
 */
public final class ToksEvents {

    /*
     * One instance of each event, never committed, asked whether its type is recorded now, and
     * only once JFR runs in this process (FlightRecorder.isInitialized: a recording started at
     * launch or by --profile): in JDK 25 loading an event class registers it, which starts JFR's
     * metadata system in a run that records nothing (its cost: docs/performance.md, "Cold start").
     */
    private static final class Probes {
        static final KernelEvent KERNEL = new KernelEvent();
        static final PrefillEvent PREFILL = new PrefillEvent();
        static final DecodeStepEvent DECODE_STEP = new DecodeStepEvent();
        static final RequestEvent REQUEST = new RequestEvent();
        static final TokenChunkEvent CHUNK = new TokenChunkEvent();
        static final TrainingStepEvent TRAINING_STEP = new TrainingStepEvent();
    }

    private static final AtomicLong REQUEST_IDS = new AtomicLong();

    /** The event names, for recording settings and readers. */
    public static final String KERNEL_EVENT = "toks.Kernel", PREFILL_EVENT = "toks.Prefill", DECODE_STEP_EVENT = "toks.DecodeStep",
            REQUEST_EVENT = "toks.Request", CHUNK_EVENT = "toks.TokenChunk", TRAINING_STEP_EVENT = "toks.TrainingStep";

    private ToksEvents() {}

    /** Whether JFR runs in this process; until it does, nothing can be recorded. */
    private static boolean jfr() {
        return FlightRecorder.isInitialized();
    }

    /** Whether kernel events are recorded now: time kernels only then. */
    public static boolean kernelsEnabled() {
        return jfr() && Probes.KERNEL.isEnabled();
    }

    /** Whether prefill or decode-step events are recorded now. */
    public static boolean stepsEnabled() {
        return jfr() && (Probes.PREFILL.isEnabled() || Probes.DECODE_STEP.isEnabled());
    }

    /** Whether request or chunk events are recorded now. */
    public static boolean requestsEnabled() {
        return jfr() && (Probes.REQUEST.isEnabled() || Probes.CHUNK.isEnabled());
    }

    /**
     * @param op     matmul, attention, rmsnorm, rope, silu, sampling, tokenize, ...
     * @param type   weight type of a matrix product; null otherwise
     * @param layer  block index; -1 outside the blocks
     * @param rows   output rows of a product; 0 otherwise
     * @param tokens tokens processed together
     */
    public static void kernel(String op, String type, int layer, int rows, int tokens, long startNanos, long endNanos) {
        if (!(jfr() && Probes.KERNEL.isEnabled())) return;
        KernelEvent e = new KernelEvent();
        e.op = op;
        e.type = type;
        e.layer = layer;
        e.rows = rows;
        e.tokens = tokens;
        e.span(startNanos, endNanos);
        e.commit();
    }

    public static void prefill(int tokens, int position, long startNanos, long endNanos) {
        if (!(jfr() && Probes.PREFILL.isEnabled())) return;
        PrefillEvent e = new PrefillEvent();
        e.tokens = tokens;
        e.position = position;
        e.span(startNanos, endNanos);
        e.commit();
    }

    public static void decodeStep(int position, int sequences, long startNanos, long endNanos) {
        decodeStep(position, sequences, 0, startNanos, endNanos);
    }

    /**
     * A decode step that also took {@code promptTokens} tokens of prompts being prefilled
     * (chunked prefill: a server's step mixes both).
     */
    public static void decodeStep(int position, int sequences, int promptTokens, long startNanos, long endNanos) {
        if (!(jfr() && Probes.DECODE_STEP.isEnabled())) return;
        DecodeStepEvent e = new DecodeStepEvent();
        e.position = position;
        e.sequences = sequences;
        e.promptTokens = promptTokens;
        e.span(startNanos, endNanos);
        e.commit();
    }

    public static void trainingStep(long tokens, double loss, long startNanos, long endNanos) {
        if (!(jfr() && Probes.TRAINING_STEP.isEnabled())) return;
        TrainingStepEvent e = new TrainingStepEvent();
        e.tokens = tokens;
        e.loss = loss;
        e.span(startNanos, endNanos);
        e.commit();
    }

    /** A new request id, for {@link #chunk} and {@link #request} of one request. */
    public static long nextRequestId() {
        return REQUEST_IDS.incrementAndGet();
    }

    /** Output of request {@code requestId} arrived at {@code nanos}: {@code tokens} tokens, counted as {@code countSource} says. */
    public static void chunk(String source, long requestId, int tokens, TokenCountSource countSource, long nanos) {
        if (!(jfr() && Probes.CHUNK.isEnabled())) return;
        TokenChunkEvent e = new TokenChunkEvent();
        e.source = source;
        e.tokens = tokens;
        e.countSource = countSource.name().toLowerCase(java.util.Locale.ROOT);
        e.requestId = requestId;
        e.span(nanos, nanos);
        e.commit();
    }

    /**
     * Request {@code requestId} ran from {@code startNanos} to {@code endNanos}.
     *
     * @param ttftNanos time to its first output; -1 when none came
     * @param finish    how it ended: length, stop, failed: ...
     */
    public static void request(String source, String model, long requestId, int promptTokens, int outputTokens, long ttftNanos,
                               String finish, long startNanos, long endNanos) {
        if (!(jfr() && Probes.REQUEST.isEnabled())) return;
        RequestEvent e = new RequestEvent();
        e.source = source;
        e.model = model;
        e.promptTokens = promptTokens;
        e.outputTokens = outputTokens;
        e.ttftNanos = ttftNanos;
        e.finish = finish;
        e.requestId = requestId;
        e.span(startNanos, endNanos);
        e.commit();
    }

    /**
     * {@code next} with every request also recorded as JFR events: a chunk event per output
     * and a request event at the end. {@code source} says who saw it (engine, server, client,
     * meter). When neither event is enabled, {@code next} itself.
     */
    public static TokenEvents recording(String source, String model, TokenEvents next) {
        if (!requestsEnabled()) return next;
        return new RecordingEvents(source, model, next, nextRequestId());
    }

    /** Forwards every event and keeps what the request event needs. */
    private static final class RecordingEvents implements TokenEvents {
        private final String source, model;
        private final TokenEvents next;
        private final long id;
        private long start = Long.MIN_VALUE, firstToken = Long.MIN_VALUE;
        private int promptTokens, outputTokens;

        RecordingEvents(String source, String model, TokenEvents next, long id) {
            this.source = source;
            this.model = model;
            this.next = next;
            this.id = id;
        }

        @Override public void requestDue(long nanos) {
            start = nanos;
            next.requestDue(nanos);
        }

        @Override public void requestSent(long nanos) {
            if (start == Long.MIN_VALUE) start = nanos;
            next.requestSent(nanos);
        }

        @Override public void prefillDone(long nanos, int prompt) {
            promptTokens = prompt;
            next.prefillDone(nanos, prompt);
        }

        @Override public void tokens(long nanos, int count, TokenCountSource countSource, int tokenId) {
            if (firstToken == Long.MIN_VALUE) firstToken = nanos;
            outputTokens += count;
            chunk(source, id, count, countSource, nanos);
            next.tokens(nanos, count, countSource, tokenId);
        }

        @Override public void finished(long nanos, FinishReason reason, Usage usage) {
            request(nanos, reason.name().toLowerCase(java.util.Locale.ROOT), usage);
            next.finished(nanos, reason, usage);
        }

        @Override public void failed(long nanos, ErrorKind kind, String message) {
            request(nanos, "failed: " + kind.name().toLowerCase(java.util.Locale.ROOT), null);
            next.failed(nanos, kind, message);
        }

        private void request(long end, String finish, Usage usage) {
            long begin = start == Long.MIN_VALUE ? end : start;
            ToksEvents.request(source, model, id, usage != null && usage.promptTokens() > 0 ? usage.promptTokens() : promptTokens,
                    usage != null && usage.completionTokens() > 0 ? usage.completionTokens() : outputTokens,
                    firstToken == Long.MIN_VALUE ? -1 : firstToken - begin, finish, begin, end);
        }
    }
}

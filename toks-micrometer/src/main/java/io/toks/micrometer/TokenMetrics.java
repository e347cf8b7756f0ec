package io.toks.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.toks.core.events.ErrorKind;
import io.toks.core.events.FinishReason;
import io.toks.core.events.RequestTrace;
import io.toks.core.events.TokenEvents;
import io.toks.core.events.Usage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Publishes each finished request as Micrometer meters: duration, time to first token, time per
 * output token, the gaps between tokens (or chunks), token usage and decode tok/s, under the
 * names of {@link MeterNames}. Any target can feed it, since every target tells the same events:
 * record a request's {@link RequestTrace} once it has ended, or let {@link #recording} do it.
 * The figures are those of {@link io.toks.core.events.RequestMetrics}, the one place their
 * formulas live, so a dashboard shows what {@code toks load} reports.
 *
 * <p>Timers publish percentile histograms (for {@code histogram_quantile} in Prometheus) plus
 * the conventions' bucket boundaries. Thread-safe: requests may be recorded from any thread.
 * Meters are registered on first use, since their tags (model, operation) come with requests.
 */
public final class TokenMetrics implements MeterBinder {

    private final Side side;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    public TokenMetrics(Side side) {
        if (side == null) throw new IllegalArgumentException("side must be CLIENT or SERVER, got null");
        this.side = side;
    }

    /** Requests recorded from now on go to {@code registry} too. */
    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
    }

    public Side side() {
        return side;
    }

    /**
     * Records one request that has ended (its {@code finished} or {@code failed} event was
     * told): a failed one only in the duration meter, with {@code error.type}.
     *
     * @throws IllegalArgumentException when the trace has not ended or never started
     */
    public void record(GenAiTags tags, RequestTrace trace) {
        if (trace.endNanos() < 0 || trace.startNanos() < 0) {
            throw new IllegalArgumentException("a request is recorded once it has started and ended (requestDue or requestSent, then finished or failed)");
        }
        for (MeterRegistry registry : registries) new TraceRecorder(registry, side, tags).record(trace);
    }

    /**
     * Events of one request, traced and recorded when it ends. Give a fresh one to each request,
     * alone or beside the target's other listeners ({@link TokenEvents#both}).
     */
    public TokenEvents recording(GenAiTags tags) {
        RequestTrace trace = new RequestTrace(64);
        return TokenEvents.both(trace, new TokenEvents() {
            @Override
            public void finished(long nanos, FinishReason reason, Usage usage) {
                record(tags, trace);
            }

            @Override
            public void failed(long nanos, ErrorKind kind, String message) {
                record(tags, trace);
            }
        });
    }
}

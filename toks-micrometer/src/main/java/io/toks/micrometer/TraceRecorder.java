package io.toks.micrometer;

import static io.toks.micrometer.MeterNames.*;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.toks.core.events.RequestMetrics;
import io.toks.core.events.RequestTrace;
import io.toks.core.events.TokenCountSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** One request's figures into one registry. Which meter a quantity goes to depends on the {@link Side}. */
final class TraceRecorder {

    /**
     * A timer's buckets: Micrometer's percentile histogram over the range such a time takes
     * (a token of a tiny model on a CPU to a long generation), plus the conventions'
     * ExplicitBucketBoundaries (semconv 1.41, seconds), so dashboards built on either work.
     */
    private record Shape(Duration min, Duration max, double... conventionBuckets) {}

    private static final Shape REQUEST = new Shape(Duration.ofMillis(1), Duration.ofMinutes(10),
            0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
    private static final Shape FIRST_TOKEN = new Shape(Duration.ofNanos(100_000), Duration.ofMinutes(5),
            0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
    private static final Shape PER_TOKEN = new Shape(Duration.ofNanos(10_000), Duration.ofSeconds(30),
            0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5);
    /** Tokens per request, the conventions' boundaries. */
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864};

    private final MeterRegistry registry;
    private final Side side;
    private final Tags tags;

    TraceRecorder(MeterRegistry registry, Side side, GenAiTags tags) {
        this.registry = registry;
        this.side = side;
        this.tags = tags.tags();
    }

    void record(RequestTrace trace) {
        String durationName = side == Side.SERVER ? SERVER_REQUEST_DURATION : CLIENT_OPERATION_DURATION;
        if (!trace.ok()) {
            // Only the duration: the conventions define the latency meters for successful responses.
            timer(durationName, "A failed request, start to failure", REQUEST, tags.and(ERROR_TYPE, lower(trace.error())))
                    .record(trace.endNanos() - trace.startNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        RequestMetrics m = RequestMetrics.of(trace);
        timer(durationName, "Request start (arrival or due time) to its end", REQUEST, tags).record(m.e2eNanos(), TimeUnit.NANOSECONDS);
        if (m.ttftNanos() >= 0) {
            String name = side == Side.SERVER ? SERVER_TIME_TO_FIRST_TOKEN : CLIENT_TIME_TO_FIRST_CHUNK;
            timer(name, "Request start to the first generated token or chunk", FIRST_TOKEN, tags).record(m.ttftNanos(), TimeUnit.NANOSECONDS);
        }
        if (!Double.isNaN(m.tpotNanos())) {
            String name = side == Side.SERVER ? SERVER_TIME_PER_OUTPUT_TOKEN : CLIENT_TIME_PER_OUTPUT_TOKEN;
            timer(name, "(e2e - ttft) / (output tokens - 1)", PER_TOKEN, tags).record(Math.round(m.tpotNanos()), TimeUnit.NANOSECONDS);
        }
        recordGaps(trace);
        tokens("output", m.outputTokens(), m.outputSource());
        recordInputTokens(trace);
        rate(DECODE_TPS, "(output tokens - 1) / (last token - first token), per request", m.decodeTps(), m.outputSource());
        rate(PREFILL_TPS, "prompt tokens / prefill time, per request", m.prefillTps(), TokenCountSource.ENGINE_IDS);
    }

    /** A server's arrivals are its engine's tokens: their gaps are inter-token latency. A client's are chunks. */
    private void recordGaps(RequestTrace trace) {
        if (trace.arrivals() < 2) return;
        Timer gaps = side == Side.SERVER
                ? timer(INTER_TOKEN_LATENCY, "Gap between consecutive generated tokens", PER_TOKEN, tags)
                : timer(CLIENT_TIME_PER_OUTPUT_CHUNK, "Gap between consecutive streamed chunks", PER_TOKEN, tags);
        for (int i = 1; i < trace.arrivals(); i++) gaps.record(trace.arrivalNanos(i) - trace.arrivalNanos(i - 1), TimeUnit.NANOSECONDS);
    }

    /** The prompt count the target made at prefill (an in-process engine), else the server's usage. */
    private void recordInputTokens(RequestTrace trace) {
        if (trace.promptTokens() >= 0) tokens("input", trace.promptTokens(), TokenCountSource.ENGINE_IDS);
        else if (trace.usage() != null && trace.usage().promptTokens() >= 0) tokens("input", trace.usage().promptTokens(), TokenCountSource.SERVER_USAGE);
    }

    private void tokens(String type, int count, TokenCountSource source) {
        if (count < 0) return;
        DistributionSummary.builder(TOKEN_USAGE).description("Number of input and output tokens used")
                .tags(tags).tag(TOKEN_TYPE, type).tag(COUNT_SOURCE, lower(source))
                .serviceLevelObjectives(TOKEN_BUCKETS)
                .register(registry).record(count);
    }

    private void rate(String name, String description, double tokensPerSecond, TokenCountSource source) {
        if (Double.isNaN(tokensPerSecond)) return;
        DistributionSummary.builder(name).description(description + ", tokens/s").tags(tags).tag(COUNT_SOURCE, lower(source))
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(1e6)
                .register(registry).record(tokensPerSecond);
    }

    private Timer timer(String name, String description, Shape shape, Tags tags) {
        return Timer.builder(name).description(description).tags(tags)
                .publishPercentileHistogram().minimumExpectedValue(shape.min()).maximumExpectedValue(shape.max())
                .serviceLevelObjectives(Arrays.stream(shape.conventionBuckets()).mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new))
                .register(registry);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}

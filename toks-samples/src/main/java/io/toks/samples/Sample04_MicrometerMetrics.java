package io.toks.samples;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.toks.core.events.FinishReason;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.TokenEvents;
import io.toks.core.events.Usage;
import io.toks.micrometer.GenAiTags;
import io.toks.micrometer.Side;
import io.toks.micrometer.TokenMetrics;
import java.util.Comparator;
import java.util.Locale;

/**
 * Sample 04: tok/s, time to first token and time per output token as Micrometer metrics.
 *
 * <p>{@link TokenMetrics} publishes each finished request under the OpenTelemetry GenAI names
 * ({@code gen_ai.client.operation.duration}, {@code gen_ai.client.token.usage}, ...) to any
 * Micrometer registry: Prometheus, OTLP, JMX. Your client code tells it the request's events,
 * with {@code System.nanoTime()}, through the same {@link TokenEvents} vocabulary every toks
 * target speaks; the binder computes the figures the way toks does (docs/metrics.md).
 *
 * <p>What to look at:
 * <ol>
 *   <li>{@code metrics.recording(tags)}: one {@code TokenEvents} per request.</li>
 *   <li>{@code finished(..., usage)}: with the server's usage the output count is its
 *       ({@code toks.count_source="server_usage"}); with {@code null}, chunks are counted.</li>
 * </ol>
 *
 * <p>Run: {@code java -cp toks-samples/target/toks-samples.jar io.toks.samples.Sample04_MicrometerMetrics}
 */
public class Sample04_MicrometerMetrics {

    public static void main(String[] args) throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry(); // yours: PrometheusMeterRegistry, OtlpMeterRegistry, ...
        TokenMetrics metrics = new TokenMetrics(Side.CLIENT);
        metrics.bindTo(registry);
        GenAiTags tags = new GenAiTags(GenAiTags.CHAT, "stand-in", "stand-in-model");

        for (int request = 0; request < 3; request++) {
            TokenEvents events = metrics.recording(tags);
            events.requestSent(System.nanoTime());
            Thread.sleep(5);                                                      // the server thinks
            for (int token = 0; token < 5; token++) {
                events.tokens(System.nanoTime(), 1, TokenCountSource.CHUNKS_COUNTED, -1);
                Thread.sleep(1);                                                  // the next token streams in
            }
            events.finished(System.nanoTime(), FinishReason.STOP, new Usage(12, 5)); // the usage the server sent
        }

        // The timers' histogram buckets (what Prometheus computes percentiles from) are left out here.
        registry.getMeters().stream().filter(m -> !m.getId().getName().endsWith(".histogram") && !m.getId().getName().endsWith(".percentile"))
                .sorted(Comparator.comparing(m -> m.getId().getName())).forEach(m ->
                        System.out.printf(Locale.ROOT, "%s %s%n", m.getId().getName(), describe(m)));
    }

    /** Whole numbers as such (token counts), the rest with four significant digits. */
    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String describe(Meter meter) {
        StringBuilder b = new StringBuilder();
        meter.measure().forEach(ms -> b.append(ms.getStatistic().name().toLowerCase(Locale.ROOT)).append('=')
                .append(format(ms.getValue())).append(' '));
        meter.getId().getTags().stream().filter(t -> t.getKey().equals("gen_ai.token.type"))
                .forEach(t -> b.append("[").append(t.getKey()).append('=').append(t.getValue()).append("]"));
        return b.toString().strip();
    }
}

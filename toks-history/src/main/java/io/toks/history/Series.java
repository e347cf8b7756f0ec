package io.toks.history;

import io.toks.core.result.MetricSummary;
import io.toks.core.result.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line of a trend chart: the same test (model, weight type, machine, test, threads, kernels)
 * measured again and again, oldest first.
 *
 * @param key    what stays the same along the line
 * @param metric the metric's name the points carry
 * @param points every measurement, oldest first
 */
public record Series(Key key, String metric, List<Point> points) {

    public Series {
        points = List.copyOf(points);
    }

    /**
     * What a series holds fixed; null parts do not apply to its runs.
     *
     * @param model     the model (null for count and hw)
     * @param modelType the weight type
     * @param machine   host name or CPU model
     * @param test      the run's name, e.g. {@code tg128}
     * @param threads   threads
     * @param kernels   the engine's kernels
     */
    public record Key(String model, String modelType, String machine, String test, Integer threads, String kernels) {

        /** A legend for the line, e.g. {@code stories260K F32 tg128 t=2 java-avx2 @ host}. */
        public String label() {
            List<String> parts = new ArrayList<>();
            if (model != null) parts.add(model);
            if (modelType != null) parts.add(modelType);
            parts.add(test);
            if (threads != null) parts.add("t=" + threads);
            if (kernels != null) parts.add(kernels);
            return String.join(" ", parts) + " @ " + Objects.requireNonNullElse(machine, "?");
        }
    }

    /**
     * One measurement.
     *
     * @param createdAt  when its document was started
     * @param documentId the document it is in
     * @param run        the whole run as stored
     * @param value      the metric's summary in that run
     */
    public record Point(Instant createdAt, long documentId, Run run, MetricSummary value) {}
}

package io.toks.core.stats;

import java.util.Locale;

/** How two figures were tested against each other; docs/metrics.md, "Comparing results". */
public enum Method {
    /** Welch's unequal-variance t-test on the raw samples. */
    WELCH("Welch's t"),
    /** Welch's t-test from mean, stdev and n (the document kept no samples). */
    WELCH_SUMMARY("Welch's t (from mean, stdev, n)"),
    /** Seeded percentile bootstrap of the figure over resampled samples. */
    BOOTSTRAP("bootstrap"),
    /** No test was possible (a single figure, no samples). */
    NONE("no test");

    private final String label;

    Method(String label) {
        this.label = label;
    }

    /** For people: {@code Welch's t}, {@code bootstrap}, ... */
    public String label() {
        return label;
    }

    /** For machines: {@code welch}, {@code welch_summary}, {@code bootstrap}, {@code none}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}

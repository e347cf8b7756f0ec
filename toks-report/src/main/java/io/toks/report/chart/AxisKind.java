package io.toks.report.chart;

/** How an axis places its values. */
public enum AxisKind {
    /** Named values in order (tests, tokenizers); bars. */
    CATEGORY,
    /** Numbers on a linear scale. */
    VALUE,
    /** Positive numbers on a base-2 logarithmic scale (concurrency 1, 4, 16, 64 spread evenly). */
    LOG,
    /** Instants, as epoch milliseconds. */
    TIME
}

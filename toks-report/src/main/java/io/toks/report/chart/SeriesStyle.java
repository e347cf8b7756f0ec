package io.toks.report.chart;

/** How a series is drawn. */
public enum SeriesStyle {
    /** Bars over a category axis, one bar per series side by side. */
    BAR,
    /** Points joined in x order. */
    LINE
}

package io.toks.report.chart;

import java.util.Collection;

/** Numeric axes that spread their values readably. */
final class NumericAxes {

    /** Values spanning this factor or more (1 to 16 threads, 1 to 64 streams) go on a log scale. */
    static final double LOG_SPAN = 16;

    private NumericAxes() {}

    static Axis of(String name, String unit, Collection<Double> values) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        boolean wide = min > 0 && max / min >= LOG_SPAN;
        return new Axis(name, unit, wide ? AxisKind.LOG : AxisKind.VALUE);
    }
}

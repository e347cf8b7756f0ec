package io.toks.report.chart;

/**
 * One axis of a chart.
 *
 * @param name what the axis measures ({@code threads}, {@code decode tok/s})
 * @param unit its unit ({@code tok/s}, {@code ms}); empty for counts and names
 * @param kind how values are placed
 */
public record Axis(String name, String unit, AxisKind kind) {

    public static Axis category(String name) {
        return new Axis(name, "", AxisKind.CATEGORY);
    }

    /** The axis title: the name, and the unit in parentheses where there is one. */
    public String title() {
        return unit.isEmpty() ? name : name + " (" + unit + ")";
    }
}

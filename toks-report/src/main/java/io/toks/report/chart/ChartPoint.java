package io.toks.report.chart;

/**
 * One value of a series: at a category or at a number on the x axis, with its interval (the 95%
 * confidence interval of a mean) where it has one.
 *
 * @param category the category on a {@link AxisKind#CATEGORY} axis; null on numeric axes
 * @param x        the position on a numeric axis; NaN on a category axis
 * @param y        the value
 * @param low      the interval's lower bound; NaN without an interval
 * @param high     the interval's upper bound; NaN without an interval
 * @param label    what the point is, where the axes do not say it (a load level: {@code c=4}); may be null
 */
public record ChartPoint(String category, double x, double y, double low, double high, String label) {

    public static ChartPoint at(String category, double y, double low, double high) {
        return new ChartPoint(category, Double.NaN, y, low, high, null);
    }

    public static ChartPoint at(double x, double y, double low, double high) {
        return new ChartPoint(null, x, y, low, high, null);
    }

    /** The same value moved to {@code newX} on a numeric axis. */
    public ChartPoint atX(double newX) {
        return new ChartPoint(null, newX, y, low, high, label);
    }

    public ChartPoint labelled(String newLabel) {
        return new ChartPoint(category, x, y, low, high, newLabel);
    }

    /** Whether the point carries an interval to draw as an error bar. */
    public boolean hasInterval() {
        return !Double.isNaN(low) && !Double.isNaN(high);
    }
}

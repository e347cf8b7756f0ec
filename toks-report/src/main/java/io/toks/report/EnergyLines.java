package io.toks.report;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.Run;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * The energy of a run in one line, beside a table rather than in it:
 * {@code energy: 512 J, 41.3 W average (idle 18.2 W, RAPL package-0), 2.93 tok/J}; and the one line
 * that says why a document has none ({@code energy: not measured (no RAPL counters ...)}).
 */
final class EnergyLines {

    private EnergyLines() {}

    /** The run's energy line, {@code prefix} first (e.g. "energy pp512 t=2"); null when the run has no energy figures. */
    static String of(Manifest manifest, Run run, String prefix) {
        MetricSummary energy = run.metric(Metric.ENERGY);
        if (energy == null) return null;
        MetricSummary idle = run.metric(Metric.IDLE_POWER);
        String source = manifest.energy() == null || manifest.energy().source() == null ? "" : manifest.energy().source();
        String context = idle == null ? source : "idle " + watts(idle.mean()) + (source.isEmpty() ? "" : ", " + source);
        return String.format(Locale.ROOT, "%s: %s J, %s average%s, %s tok/J", prefix, significant(energy.mean()),
                watts(value(run, Metric.AVERAGE_POWER)), context.isEmpty() ? "" : " (" + context + ")",
                significant(value(run, Metric.TOKENS_PER_JOULE)));
    }

    /** Why energy is missing from the document's runs, in one line; null when nothing is missing (or the command does not measure energy). */
    static String missing(Manifest manifest) {
        Manifest.Energy e = manifest.energy();
        if (e == null || e.notMeasured() == null) return null;
        return (e.source() == null ? "energy: not measured (" : "energy: incomplete, " + e.source() + " stopped (") + e.notMeasured() + ")";
    }

    private static double value(Run run, Metric metric) {
        MetricSummary s = run.metric(metric);
        return s == null ? Double.NaN : s.mean();
    }

    private static String watts(double w) {
        return Double.isNaN(w) ? "n/a W" : String.format(Locale.ROOT, "%.1f W", w);
    }

    /** Three significant digits, no exponent: 0.0123, 4.56, 512, 12300. */
    static String significant(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "n/a";
        if (v == 0) return "0";
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(3));
        if (rounded.precision() < 3) rounded = rounded.setScale(rounded.scale() + 3 - rounded.precision()); // 10 -> 10.0
        return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
    }
}

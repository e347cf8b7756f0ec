package io.toks.report.compare;

import io.toks.core.stats.Difference;
import io.toks.core.stats.Estimate;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * A comparison as a Markdown table (one row per figure: both values with their 95% intervals, B/A
 * with its interval, % change, method, p, verdict), then the runs without a partner, warnings,
 * and a last line counting regressions and improvements.
 */
final class ComparisonMarkdown {

    private ComparisonMarkdown() {}

    static void write(Comparison c, PrintStream out) {
        out.printf(Locale.ROOT, "A = %s, B = %s; alpha %s, threshold %s%n", c.nameA(), c.nameB(), plain(c.alpha()),
                percent(c.threshold()));
        for (String d : c.differences()) out.println(d);
        out.println();
        if (!c.rows().isEmpty()) {
            out.println("| run | metric | A [95% CI] | B [95% CI] | B/A [95% CI] | change | method | p | verdict |");
            out.println("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |");
            for (Comparison.Row r : c.rows()) {
                Difference d = r.difference();
                String verdict = r.verdictText() + (r.beyondThreshold() ? " (beyond threshold)" : "");
                if (!d.note().isEmpty() && r.verdict() != Verdict.NOT_TESTED) verdict += "; " + d.note();
                out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.run(), r.figure() + " (" + r.unit() + ")",
                        estimate(d.a()), estimate(d.b()), ratio(d), signedPercent(d.change()), d.method().label(), p(d.pValue()), verdict);
            }
            out.println();
        } else {
            out.println("no figures to compare");
        }
        lines(out, "only in A: ", c.onlyInA());
        lines(out, "only in B: ", c.onlyInB());
        lines(out, "warning: ", c.warnings());
        out.printf(Locale.ROOT, "%s (%d beyond the %s threshold), %s, %d with no significant change, %d not tested%n",
                plural(c.count(Verdict.REGRESSION), "regression"), c.beyondThreshold(), percent(c.threshold()),
                plural(c.count(Verdict.IMPROVEMENT), "improvement"), c.count(Verdict.NO_SIGNIFICANT_CHANGE),
                c.count(Verdict.NOT_TESTED));
    }

    private static void lines(PrintStream out, String prefix, List<String> lines) {
        for (String line : lines) out.println(prefix + line);
    }

    private static String estimate(Estimate e) {
        if (Double.isNaN(e.low())) return number(e.value());
        return number(e.value()) + " [" + number(e.low()) + ", " + number(e.high()) + "]";
    }

    private static String ratio(Difference d) {
        String r = String.format(Locale.ROOT, "%.3f", d.ratio());
        if (Double.isNaN(d.ratioLow())) return r;
        return r + String.format(Locale.ROOT, " [%.3f, %.3f]", d.ratioLow(), d.ratioHigh());
    }

    private static String p(double p) {
        if (Double.isNaN(p)) return "-";
        return p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    /** Four significant digits or two decimals, whichever shows more: tok/s in the thousands and ms below 1 both read. */
    static String number(double v) {
        if (Double.isNaN(v)) return "n/a";
        double abs = Math.abs(v);
        if (abs >= 100) return String.format(Locale.ROOT, "%.2f", v);
        if (abs >= 1) return String.format(Locale.ROOT, "%.3f", v);
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String signedPercent(double change) {
        if (Double.isNaN(change)) return "n/a";
        return String.format(Locale.ROOT, "%+.1f%%", change * 100);
    }

    private static String percent(double fraction) {
        return plain(fraction * 100) + "%";
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

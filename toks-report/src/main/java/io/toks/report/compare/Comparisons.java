package io.toks.report.compare;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.Direction;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.Run;
import io.toks.core.stats.Difference;
import io.toks.core.stats.Significance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Compares two result documents: matching, one test per figure, verdicts (docs/metrics.md, "Comparing results"). */
public final class Comparisons {

    private Comparisons() {}

    /**
     * @param alpha     significance level, in (0, 1)
     * @param threshold relative change a significant regression must exceed to fail the gate, >= 0
     */
    public static Comparison compare(ResultDocument a, String nameA, ResultDocument b, String nameB, MetricSelection selection,
                                     double alpha, double threshold) {
        if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("--alpha must be between 0 and 1 (exclusive), not " + alpha);
        if (!(threshold >= 0)) throw new IllegalArgumentException("--threshold must be >= 0%, not " + threshold);
        List<String> warnings = new ArrayList<>();
        if (!a.command().equals(b.command())) {
            warnings.add("A is a toks " + a.command() + " result, B a toks " + b.command() + " result");
        }
        String machines = machineDifference(a.manifest(), b.manifest());
        if (machines != null) warnings.add(machines);

        RunMatcher.Matching matching = RunMatcher.match(a.runs(), b.runs());
        List<Comparison.Row> rows = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (RunMatcher.Pair pair : matching.pairs()) {
            String run = pair.key().shown();
            for (Figure figure : selection.figures(pair.a())) {
                MetricSummary sa = figure.of(pair.a()), sb = figure.of(pair.b());
                if (sa == null || sb == null) {
                    String why = absence(figure, pair.a(), pair.b());
                    if (why != null) missing.add(pair.key().kind() + " " + run + " " + figure + ": " + why);
                    continue;
                }
                rows.add(row(pair.key().kind(), run, figure, sa, sb, alpha, threshold));
            }
        }
        if (!selection.isDefault()) {
            for (String name : selection.names()) {
                boolean anywhere = matching.pairs().stream().anyMatch(p -> MetricSelection.appliesTo(name, p.a())
                        || MetricSelection.appliesTo(name, p.b()));
                if (!anywhere) warnings.add("--metric " + name + ": no matched run carries it");
            }
        }
        warnings.addAll(missing);
        List<String> differences = matching.differences().stream()
                .map(d -> d.kind() + " runs differ in " + d.field() + ": A " + d.a() + ", B " + d.b()).toList();
        return new Comparison(nameA, nameB, alpha, threshold, rows, matching.onlyInA(), matching.onlyInB(), differences, warnings);
    }

    /**
     * Why a figure of a matched pair is not compared: one run does not carry the metric, or carries
     * it without samples; null when neither carries it (nothing to say).
     */
    private static String absence(Figure figure, Run a, Run b) {
        String emptyA = figure.emptiness(a), emptyB = figure.emptiness(b);
        if (emptyA != null && emptyB != null) return "both runs have " + emptyA;
        if (emptyA != null) return "A's run has " + emptyA;
        if (emptyB != null) return "B's run has " + emptyB;
        boolean inA = figure.of(a) != null, inB = figure.of(b) != null;
        if (inA == inB) return null;
        return "only in " + (inA ? "A" : "B");
    }

    /** The relative threshold of {@code 3%} or {@code 3} (both percent): 0.03. */
    public static double parseThreshold(String text) {
        String t = text.strip();
        if (t.endsWith("%")) t = t.substring(0, t.length() - 1).strip();
        try {
            double percent = Double.parseDouble(t);
            if (percent >= 0 && Double.isFinite(percent)) return percent / 100;
        } catch (NumberFormatException e) {
            // falls through to the one message below
        }
        throw new IllegalArgumentException("--threshold: expected a percentage >= 0 such as 3%, not '" + text + "'");
    }

    private static Comparison.Row row(String kind, String run, Figure figure, MetricSummary a, MetricSummary b, double alpha,
                                      double threshold) {
        // Every metric of a result document is a rate, time or share: none can be negative.
        Difference d = difference(figure, a, b).floorAtZero();
        Direction direction = figure.metric().direction();
        Verdict verdict;
        if (!d.tested()) verdict = Verdict.NOT_TESTED;
        else if (!d.significant(alpha)) verdict = Verdict.NO_SIGNIFICANT_CHANGE;
        else if (direction.improves(d.a().value(), d.b().value())) verdict = Verdict.IMPROVEMENT;
        else if (direction.regresses(d.a().value(), d.b().value())) verdict = Verdict.REGRESSION;
        else verdict = Verdict.NO_SIGNIFICANT_CHANGE;
        boolean beyond = verdict == Verdict.REGRESSION && Math.abs(d.change()) > threshold;
        return new Comparison.Row(kind, run, figure.name(), figure.metric().unit(), direction, d, verdict, beyond);
    }

    /**
     * The test that what both sides carry allows: a percentile by bootstrap of per-request samples;
     * a mean from samples (Welch, or bootstrap when skewed), else from mean, stdev and n; a single
     * figure untested.
     */
    private static Difference difference(Figure figure, MetricSummary a, MetricSummary b) {
        if (figure.percentile() != null) {
            String p = "p" + figure.percentile();
            return Significance.ofPercentile(a.samples(), b.samples(), figure.percentile(), a.percentile(p), b.percentile(p));
        }
        if (a.samples().length >= 2 && b.samples().length >= 2) return Significance.ofMeans(a.samples(), b.samples());
        return Significance.ofMeans(a.mean(), a.stdev(), a.n(), b.mean(), b.stdev(), b.n());
    }

    /**
     * A warning line when the manifests name different machines; null when they agree. Hosts are
     * compared where both documents name one (older documents do not): two hosts of one cloud
     * instance type share CPU model and cores and still differ in neighbours and memory.
     */
    static String machineDifference(Manifest a, Manifest b) {
        if (a == null || b == null || a.machine() == null || b.machine() == null) return null;
        Manifest.Machine ma = a.machine(), mb = b.machine();
        boolean sameHost = ma.host() == null || mb.host() == null || ma.host().equals(mb.host());
        if (Objects.equals(ma.cpuModel(), mb.cpuModel()) && ma.cores() == mb.cores() && sameHost) return null;
        return String.format(Locale.ROOT, "A and B come from different machines (A: %s; B: %s): "
                + "a difference may be the machine's", describe(ma), describe(mb));
    }

    private static String describe(Manifest.Machine m) {
        return String.format(Locale.ROOT, "%s%s, %d cores", m.host() == null ? "" : m.host() + ", ", m.cpuModel(), m.cores());
    }
}

package io.toks.report;

import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.EngineRun;
import io.toks.core.result.ResultDocument;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Under the bench table when another engine ran beside toks's ({@code --engine toks,llamacpp}):
 * what that engine is, how its figures were taken, and toks / other per test, for the runs of
 * the same model, test and thread count.
 */
final class EngineComparison {

    private static final String ROW = "| %-24s | %7s | %-6s | %-7s | %20s | %-9s | %20s | %16s |%n";

    private EngineComparison() {}

    /** One ratio: toks's run and the other engine's of the same test. */
    record Pair(EngineRun toks, EngineRun other) {

        /** toks's mean tok/s over the other's: above 1, toks is faster. */
        double ratio() {
            return toks.avgTs() / other.avgTs();
        }

        /** Whether either run's stdev is over {@link BenchTable#NOISY_CV} of its mean: one stray sample can make the mean ratio lie. */
        boolean noisy() {
            return cv(toks) > BenchTable.NOISY_CV || cv(other) > BenchTable.NOISY_CV;
        }

        /** The medians' ratio: what one outlying sample (a late wake-up, a busy moment) does not move. */
        double medianRatio() {
            return median(toks.samplesTs()) / median(other.samplesTs());
        }

        private static double cv(EngineRun r) {
            return r.samplesTs().length > 1 ? r.stddevTs() / r.avgTs() : 0;
        }

        private static double median(double[] samples) {
            double[] sorted = samples.clone();
            java.util.Arrays.sort(sorted);
            int n = sorted.length;
            return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        /** The ratio's spread from both runs' stdevs (relative errors added in quadrature). */
        double spread() {
            double a = toks.stddevTs() / toks.avgTs();
            double b = other.stddevTs() / other.avgTs();
            double rel = Math.sqrt((Double.isNaN(a) ? 0 : a * a) + (Double.isNaN(b) ? 0 : b * b));
            return ratio() * rel;
        }
    }

    /** Every toks run matched with each other engine's run of the same model, test and threads, in toks's order. */
    static List<Pair> pairs(ResultDocument document) {
        List<EngineRun> runs = document.runs(EngineRun.class);
        return runs.stream().filter(EngineRun::byToks)
                .flatMap(t -> runs.stream().filter(o -> !o.byToks() && sameTest(t, o)).map(o -> new Pair(t, o)))
                .toList();
    }

    private static boolean sameTest(EngineRun a, EngineRun b) {
        return a.model().equals(b.model()) && a.modelFilename().equals(b.modelFilename()) && a.name().equals(b.name())
                && a.nThreads() == b.nThreads() && a.nParallel() == b.nParallel();
    }

    static void print(ResultDocument document, PrintStream out) {
        if (document.runs(EngineRun.class).stream().allMatch(EngineRun::byToks)) return;
        if (document.manifest().target() instanceof TargetFacts.Engine engine) {
            for (TargetFacts.ExternalEngine other : engine.externalEngines()) {
                out.printf(Locale.ROOT, "%s: build %s through %s, in this process; CPU code compiled for: %s%n", other.engine(),
                        other.version() == null ? "unknown" : other.version(), other.binding(),
                        other.cpuFeatures().isEmpty() ? "not known on this platform" : String.join(" ", other.cpuFeatures()));
                for (String note : other.notes()) out.printf(Locale.ROOT, "%s: %s%n", other.engine(), note);
            }
        }
        if (document.runs(EngineRun.class).stream().anyMatch(r -> EngineRun.LLAMA_CPP.equals(r.engine()))) {
            out.println("llama.cpp rows: the same tests, repetitions and warm-up runs (no JIT warm-up: native code); ppN = N-token text prompt, "
                + "request to first streamed token; tgN = N steps between the first and the last of N+1 greedy tokens from BOS; both "
                    + "include the binding's request and per-token overhead, which llama-bench does not time (docs/metrics.md)");
        }
        List<Pair> pairs = pairs(document);
        if (pairs.isEmpty()) return;
        String otherName = pairs.get(0).other().engine();
        out.printf(Locale.ROOT, "%ntoks / %s, test by test (mean t/s over mean t/s; > 1: toks is faster; ± from both stdevs):%n", otherName);
        out.printf(Locale.ROOT, ROW, "model", "threads", "test", "toks", "toks t/s", "engine", otherName + " t/s", "toks / " + otherName);
        out.printf(Locale.ROOT, "| %s | %s: | %s | %s | %s: | %s | %s: | %s: |%n", "-".repeat(24), "-".repeat(6), "-".repeat(6),
                "-".repeat(7), "-".repeat(19), "-".repeat(9), "-".repeat(19), "-".repeat(15));
        for (Pair p : pairs) {
            String ratio = String.format(Locale.ROOT, "%.2f ± %.2f", p.ratio(), p.spread()) + (p.noisy() ? " (noisy)" : "");
            out.printf(Locale.ROOT, ROW, p.toks().model(), p.toks().nThreads(), p.toks().name(), BenchTable.kernelsLabel(p.toks()),
                    tps(p.toks()), p.other().engine(), tps(p.other()), ratio);
        }
        for (Pair p : pairs) {
            if (!p.noisy()) continue;
            out.printf(Locale.ROOT, "noisy: %s at %d thread(s): a stdev over %.0f%% of its mean; the medians' ratio, which one stray sample"
                    + " does not move, is %.2f: repeat the test (-r) before trusting either%n", p.toks().name(), p.toks().nThreads(),
                    100 * BenchTable.NOISY_CV, p.medianRatio());
        }
    }

    private static String tps(EngineRun r) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", r.avgTs(), r.stddevTs());
    }
}

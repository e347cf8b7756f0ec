package io.toks.report;

import io.toks.core.estimate.BoundCheck;
import io.toks.core.estimate.HardwareLimits;
import io.toks.core.estimate.InferenceEstimate;
import io.toks.core.estimate.ModelShape;
import io.toks.core.estimate.TrainingEstimate;
import io.toks.core.hardware.Precision;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** {@code toks estimate}'s answer as text: what was assumed, memory, the bounds, and how they were computed. */
public final class EstimateText {

    private final PrintStream out;

    public EstimateText(PrintStream out) {
        this.out = out;
    }

    public void inference(InferenceEstimate e) {
        ModelShape m = e.model();
        HardwareLimits hw = e.hardware();
        var w = e.workload();
        line("model", "%s, %s: %s parameters, %s multiplied per token, weights %s", m.name(), m.weightType(),
                Units.count(m.parameters()), Units.count(m.matmulParameters()), gb(e.weightBytes()));
        line("hardware", "%s%s (%s: %s)", hw.devices() > 1 ? hw.devices() + " x " : "", hw.name(), hw.origin().label(), hw.source());
        line("", "memory bandwidth %s GB/s, %s peak %s, memory %s", num(hw.bandwidthBytesPerSecond() / 1e9),
                hw.precision(), peak(hw.peakFlopsPerSecond(), hw.precision()), hw.memoryBytes() > 0 ? gb(hw.memoryBytes()) : "unknown");
        line("workload", "context %d, concurrency %d, prefill batch %d, KV cache %s", w.context(), w.concurrency(), w.batch(),
                w.cache().key());
        out.println();
        line("memory", "weights %s + KV cache %s (%d x %d positions) = %s%s", gb(e.weightBytes()), gb(e.kvCacheBytes()),
                w.concurrency(), w.context(), gb(e.memoryBytes()),
                hw.memoryBytes() <= 0 ? "" : " of " + gb(hw.memoryBytes()) + (e.fits() ? ": fits" : ": DOES NOT FIT"));
        line("", "activations and runtime buffers not counted");
        out.println();
        out.printf(Locale.ROOT, "%-34s %14s %14s %14s %14s  %s%n", "bound (tok/s, all sequences)", "bytes/token", "FLOPs/token",
                "memory limit", "compute limit", "bound");
        bound("decode, empty caches", e.decodeEmpty());
        bound("decode at depth " + w.context(), e.decodeFull());
        bound("prefill " + w.context() + " (batch " + Math.min(w.batch(), w.context()) + ")", e.prefill());
        if (w.concurrency() > 1) {
            line("", "decode per sequence: %s tok/s empty, %s at depth %d", num(e.decodeEmpty().tps() / w.concurrency()),
                    num(e.decodeFull().tps() / w.concurrency()), w.context());
        }
        out.println();
        out.println("Bounds are rooflines: no run is faster. Decode reads the weights once per step for all sequences and");
        out.println("each sequence's KV cache; prefill reads the weights once per batch. Formulas: docs/metrics.md, \"Estimates\".");
    }

    public void training(TrainingEstimate t) {
        ModelShape m = t.model();
        out.println();
        line("training", "%s tokens, sequences of %d, at %.0f%% of %s", tokens(t.tokens()), t.sequenceLength(), 100 * t.mfu(),
                peak(t.hardware().peakFlopsPerSecond(), t.hardware().precision()));
        line("", "FLOPs/token = 6·N + 12·L·H·Q·T = 6 x %d + 12 x %d x %d x %d x %d = %.4g", m.matmulParameters(), m.layers(),
                m.heads(), m.headSize(), t.sequenceLength(), t.flopsPerToken());
        line("", "time = tokens x FLOPs/token / (peak x mfu) = %s (%s tok/s)", duration(t.seconds()), num(t.tokensPerSecond()));
    }

    public void validation(List<BoundCheck> checks, int threads, String cacheType) {
        out.println();
        out.printf(Locale.ROOT, "measured here (t=%d, KV cache %s, as in the bound) against the bound for the same test:%n", threads, cacheType);
        out.printf(Locale.ROOT, "%-8s %22s %14s %9s %16s%n", "test", "measured tok/s", "bound tok/s", "bound by", "measured/bound");
        for (BoundCheck c : checks) {
            String verdict = c.ratio() <= 1 ? "" : c.inCache() ? "  above: in cache" : "  ABOVE THE BOUND";
            out.printf(Locale.ROOT, "%-8s %14s ± %-6s %14s %9s %15.0f%%%s%n", c.test(), num(c.meanTps()), num(c.stdevTps()),
                    num(c.bound().tps()), c.bound().bound(), 100 * c.ratio(), verdict);
        }
        if (checks.stream().anyMatch(BoundCheck::inCache)) {
            out.println("The model's weights fit in the CPU's caches: memory bandwidth does not bound these tests (toks bench says"
                    + " bound \"cache\"), and a rate above the memory bound is expected.");
        }
        if (checks.stream().anyMatch(c -> c.ratio() > 1 && !c.inCache())) {
            out.println("A rate above its bound means a byte or FLOP count is wrong, or the limits were measured at a slow moment.");
        }
    }

    private void bound(String what, InferenceEstimate.Bound b) {
        out.printf(Locale.ROOT, "%-34s %14s %14s %14s %14s  %s (%s)%n", what, bytes(b.bytesPerToken()), String.format(Locale.ROOT, "%.4g", b.flopsPerToken()),
                num(b.memoryLimitTps()), num(b.computeLimitTps()), num(b.tps()), b.bound());
    }

    private void line(String label, String format, Object... args) {
        out.printf(Locale.ROOT, "%-9s %s%n", label, String.format(Locale.ROOT, format, args));
    }

    private static String peak(double perSecond, Precision p) {
        String unit = p == Precision.INT8 ? "OP/s" : "FLOP/s";
        if (perSecond >= 1e12) return num(perSecond / 1e12) + " T" + unit;
        return num(perSecond / 1e9) + " G" + unit;
    }

    static String gb(double bytes) {
        if (bytes >= 1e9) return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }

    private static String bytes(double b) {
        if (b >= 1e9) return String.format(Locale.ROOT, "%.3g GB", b / 1e9);
        if (b >= 1e6) return String.format(Locale.ROOT, "%.3g MB", b / 1e6);
        if (b >= 1e3) return String.format(Locale.ROOT, "%.3g KB", b / 1e3);
        return String.format(Locale.ROOT, "%.3g B", b);
    }

    /** Three significant digits, no exponent below a million. */
    static String num(double v) {
        if (Double.isNaN(v)) return "n/a";
        double a = Math.abs(v);
        if (a >= 1e6) return String.format(Locale.ROOT, "%.3g", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** A token count with an SI suffix (1.00 T, 300 B). */
    static String tokens(double n) {
        if (n >= 1e12) return String.format(Locale.ROOT, "%.3g T", n / 1e12);
        if (n >= 1e9) return String.format(Locale.ROOT, "%.3g B", n / 1e9);
        if (n >= 1e6) return String.format(Locale.ROOT, "%.3g M", n / 1e6);
        if (n >= 1e3) return String.format(Locale.ROOT, "%.3g K", n / 1e3);
        return String.format(Locale.ROOT, "%.0f", n);
    }

    static String duration(double seconds) {
        if (seconds >= 86_400 * 2) return String.format(Locale.ROOT, "%.1f days", seconds / 86_400);
        if (seconds >= 3600 * 2) return String.format(Locale.ROOT, "%.1f hours", seconds / 3600);
        if (seconds >= 120) return String.format(Locale.ROOT, "%.1f minutes", seconds / 60);
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }
}

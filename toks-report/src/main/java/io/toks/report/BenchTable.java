package io.toks.report;

import io.toks.core.manifest.Manifest;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.EngineRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.manifest.ModelFacts;
import io.toks.core.result.QualityRun;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.RooflineShare;
import io.toks.core.result.Run;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * llama-bench's table: one row per test, tok/s as {@code mean ± stdev}, printed as each test
 * finishes; the footer says how the figures were obtained. Runs of another engine measured beside
 * toks's get rows of their own (the kernels column names the engine) and, under the footer,
 * toks / that engine per test ({@link EngineComparison}).
 */
final class BenchTable implements ResultRenderer {

    /** A coefficient of variation above this makes a mean too unsure to compare without a warning. */
    static final double NOISY_CV = 0.25;

    private static final String FORMAT = "| %-24s | %11s | %9s | %-6s | %-9s | %7s | %-5s | %-6s | %20s | %19s |%n";
    /** With several sequences per test: B after the threads, and per-sequence decode t/s and the batch's TTFT after t/s. */
    private static final String BATCH_FORMAT =
            "| %-24s | %11s | %9s | %-6s | %-9s | %7s | %4s | %-5s | %-6s | %20s | %18s | %16s | %19s |%n";

    private final PrintStream out;
    /** Whether the command asked for more than one sequence per test somewhere (then the B columns are shown). */
    private boolean batched;

    BenchTable(PrintStream out) {
        this.out = out;
    }

    @Override
    public void begin(Manifest manifest) {
        batched = severalSequences(manifest);
        if (batched) {
            out.printf(Locale.ROOT, BATCH_FORMAT, "model", "size", "params", "type", "kernels", "threads", "B", "cache", "test", "t/s",
                    "t/s per seq", "ttft ms", "roofline");
            out.printf(Locale.ROOT, "| %s | %s: | %s: | %s | %s | %s: | %s: | %s | %s | %s: | %s: | %s: | %s: |%n", "-".repeat(24),
                    "-".repeat(10), "-".repeat(8), "-".repeat(6), "-".repeat(9), "-".repeat(6), "-".repeat(3), "-".repeat(5), "-".repeat(6),
                    "-".repeat(19), "-".repeat(17), "-".repeat(15), "-".repeat(18));
        } else {
            out.printf(Locale.ROOT, FORMAT, "model", "size", "params", "type", "kernels", "threads", "cache", "test", "t/s", "roofline");
            out.printf(Locale.ROOT, "| %s | %s: | %s: | %s | %s | %s: | %s | %s | %s: | %s: |%n", "-".repeat(24), "-".repeat(10),
                    "-".repeat(8), "-".repeat(6), "-".repeat(9), "-".repeat(6), "-".repeat(5), "-".repeat(6), "-".repeat(19), "-".repeat(18));
        }
        out.flush();
    }

    /** Whether {@code toks bench -B} asked for any count but 1 (the manifest's {@code n_parallel}). */
    private static boolean severalSequences(Manifest manifest) {
        return manifest.parameters().get("n_parallel") instanceof java.util.List<?> counts
                && counts.stream().anyMatch(b -> b instanceof Number n && n.intValue() != 1);
    }

    @Override
    public void run(Manifest manifest, Run run) {
        if (!(run instanceof EngineRun r)) return;
        String tps = String.format(Locale.ROOT, "%.2f ± %.2f", r.avgTs(), r.stddevTs());
        String cache = r.cacheType() == null ? "" : r.cacheType();
        if (batched) {
            out.printf(Locale.ROOT, BATCH_FORMAT, r.model(), Units.bytes(r.modelSize()), Units.count(r.modelNParams()), r.modelType(),
                    kernelsLabel(r), r.nThreads(), r.nParallel(), cache, r.name(), tps, meanAndStdev(r, Metric.DECODE_TPS, "%.2f ± %.2f"),
                    meanAndStdev(r, Metric.TTFT, "%.1f ± %.1f"), roofline(r.roofline()));
        } else {
            out.printf(Locale.ROOT, FORMAT, r.model(), Units.bytes(r.modelSize()), Units.count(r.modelNParams()), r.modelType(),
                    kernelsLabel(r), r.nThreads(), cache, r.name(), tps, roofline(r.roofline()));
        }
        out.flush();
    }

    /** A figure of the run as {@code mean ± stdev}, or blank where the run has none (per-sequence t/s of a pp test). */
    private static String meanAndStdev(EngineRun r, Metric metric, String format) {
        MetricSummary m = r.metrics().get(metric);
        if (m == null || (metric == Metric.DECODE_TPS && r.prefill())) return "";
        return String.format(Locale.ROOT, format, m.mean(), Double.isNaN(m.stdev()) ? 0.0 : m.stdev());
    }

    /** One line per test with energy figures, named as much as the document needs to tell tests apart; or why there are none. */
    private void printEnergy(ResultDocument document) {
        java.util.List<EngineRun> runs = document.runs(EngineRun.class);
        boolean models = runs.stream().map(r -> r.model() + " " + r.modelType()).distinct().count() > 1;
        boolean kernels = runs.stream().map(EngineRun::kernels).distinct().count() > 1;
        boolean caches = runs.stream().map(EngineRun::cacheType).distinct().count() > 1;
        for (EngineRun r : runs) {
            String label = "energy " + testLabel(r) + (models ? " " + r.model() + " " + r.modelType() : "")
                    + (kernels ? " " + (r.kernels().startsWith("native") ? "native" : "java") : "") + " t=" + r.nThreads()
                    + (caches && r.cacheType() != null ? " " + r.cacheType() : "");
            String line = EnergyLines.of(document.manifest(), r, label);
            if (line != null) out.println(line);
        }
        for (QualityRun q : document.runs(QualityRun.class)) {
            String line = EnergyLines.of(document.manifest(), q, "energy quality " + q.model() + " " + q.modelType());
            if (line != null) out.println(line);
        }
        String missing = EnergyLines.missing(document.manifest());
        if (missing != null) out.println(missing);
    }

    /** The test's name, with its sequences where there are several: {@code tg32 B=4}. */
    static String testLabel(EngineRun r) {
        return r.nParallel() > 1 ? r.name() + " B=" + r.nParallel() : r.name();
    }

    /** The kernels column: toks's java or native kernels, or the other engine's name. */
    static String kernelsLabel(EngineRun r) {
        if (!r.byToks()) return r.engine();
        return r.kernels().startsWith("native") ? "native" : "java";
    }

    static String roofline(RooflineShare m) {
        if (m == null) return "";
        double share = 100 * m.share();
        if ("cache".equals(m.bound())) return "in cache";
        if (!"memory".equals(m.bound())) return String.format(Locale.ROOT, "%.0f%% fma", share);
        if (m.bandwidthSamplesGbs().length == 0) return String.format(Locale.ROOT, "%.0f%% mem", share);
        return String.format(Locale.ROOT, "%.0f%% mem (%.0f GB/s)", share, m.bandwidthGbs());
    }

    @Override
    public void end(ResultDocument document) {
        if (document.runs(EngineRun.class).isEmpty()) return; // nothing measured: no footer to explain it
        Manifest manifest = document.manifest();
        Map<String, Object> p = manifest.parameters();
        out.printf(Locale.ROOT, "%nt/s = mean ± stdev over %s repetitions (after a %s ms JIT warm-up and %s warm-up run(s) per test); %s%n",
                p.get("repetitions"), p.get("jit_warmup_ms"), p.get("warmups"), manifest.machine().cpuModel());
        if (batched) {
            out.println("B = sequences run together (llama-batched-bench's B): t/s counts all B sequences' tokens (ppN: B x N / the time "
                    + "to prefill all B prompts, its S_PP; tgN: B x N / the time of N batched steps, its S_TG); t/s per seq = N / that time; "
                    + "ttft = the time to prefill all B prompts (its T_PP)");
        }
        if (!(manifest.target() instanceof TargetFacts.Engine engine)) return;
        TargetFacts.KernelSupport k = engine.kernels();
        out.printf(Locale.ROOT, "kernels: java = %s%s%n", k.java(), k.nativeIsa() != null
                ? "; native = " + k.nativeIsa() + " library: decode " + String.join("/", k.nativeDecode())
                        + ", prefill " + String.join("/", k.nativePrefill())
                        + (k.nativeTiled().isEmpty() ? "" : ", " + String.join("/", k.nativeTiled()) + " repacked into tiles at load")
                        + (k.nativeAttention().isEmpty() ? "" : ", attention over " + String.join("/", k.nativeAttention()) + " caches")
                        + " (quantized types on activations rounded to int8 per 32 values, BF16 prefill to BF16 where the CPU has BF16 products), java for the rest"
                : "; native unavailable: " + k.nativeMissing());
        for (TargetFacts.HardwareLimit l : engine.hardwareLimits()) {
            out.printf(Locale.ROOT,
                    "roofline at %d thread(s), measured in this run: memory read %.1f GB/s (best of 5 before the tests), peak FP32 FMA %.0f GFLOP/s; "
                            + "%% mem = mbu against the median of reads taken during the test (in parentheses; the host's bandwidth drifts), "
                            + "%% fma = mfu (docs/metrics.md)%n",
                    l.threads(), l.readBandwidthGbs(), l.peakFmaGflops());
        }
        for (EngineRun r : document.runs(EngineRun.class)) {
            double cv = r.stddevTs() / r.avgTs();
            if (r.samplesTs().length > 1 && cv > NOISY_CV) {
                out.printf(Locale.ROOT, "noisy: %s%s %s at %d thread(s): the stdev is %.0f%% of the mean (the machine was busy, or the test "
                        + "is too short): repeat with more -r or longer tests before comparing it%n", r.byToks() ? "" : r.engine() + " ",
                        r.model(), testLabel(r), r.nThreads(), 100 * cv);
            }
        }
        printEnergy(document);
        if (engine.models().stream().anyMatch(m -> "synthetic".equals(m.format()))) {
            out.println("synthetic models have random weights: their speed is representative, their text would be gibberish.");
        }
        java.util.Set<String> described = new java.util.HashSet<>(); // one line per model, not per precision of it
        for (ModelFacts m : engine.models()) {
            ModelFacts.TextDensity d = m.textDensity();
            if (d == null || !described.add(m.name())) continue;
            out.printf(Locale.ROOT, "text: %s's tokenizer averages %.2f chars/token on %s (%s: %.2f %s tokens per model token); "
                            + "x t/s gives estimated chars/s (in JSON/CSV: text_normalized)%n",
                    m.name(), d.charsPerToken(), d.text(), d.referenceTokenizer(), d.referenceTokensPerToken(), d.referenceTokenizer());
        }
        EngineComparison.print(document, out);
        SpeedAndQualityTable.print(document, out);
        out.flush();
    }
}

package io.toks.report.compare;

import io.toks.core.result.EngineRun;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.QualityRun;
import io.toks.core.result.LoadRun;
import io.toks.core.result.MeterRun;
import io.toks.core.result.Metric;
import io.toks.core.result.Run;
import io.toks.core.result.TokenizerRun;
import io.toks.core.result.TrainingRun;
import io.toks.core.result.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which figures of each run a comparison tests ({@code toks compare --metric}). By default the
 * headline of each kind of run: an engine test's tok/s ({@code prefill_tps} for ppN,
 * {@code decode_tps} for tgN); a load level's {@code output_tps}, {@code ttft} p50 and p99,
 * {@code tpot} p50 and p99, {@code e2e} p50; a tokenizer's {@code tokenize_mb_per_s}; a
 * hardware probe's {@code read_bandwidth} and {@code peak_fma}; a meter's as a load level's plus
 * {@code decode_tps} and {@code train_tps}; a training run's {@code train_tps} and
 * {@code validation_loss}. Names: a metric ({@code decode_tps},
 * its mean), a latency percentile ({@code ttft_p99}), or an engine test ({@code tg128}: that test's tok/s).
 */
public final class MetricSelection {

    private static final Pattern TEST = Pattern.compile("(pp|tg)[0-9]+");
    private static final List<Figure> LOAD_DEFAULTS = List.of(Figure.mean(Metric.OUTPUT_TPS),
            Figure.percentile(Metric.TTFT, 50), Figure.percentile(Metric.TTFT, 99), Figure.percentile(Metric.TPOT, 50),
            Figure.percentile(Metric.TPOT, 99), Figure.percentile(Metric.E2E, 50));
    /** A load level's figures, with the per-call decode rate and the training rate a meter may also hold (absent ones are skipped). */
    private static final List<Figure> METER_DEFAULTS = List.of(Figure.mean(Metric.OUTPUT_TPS), Figure.mean(Metric.DECODE_TPS),
            Figure.percentile(Metric.TTFT, 50), Figure.percentile(Metric.TTFT, 99), Figure.percentile(Metric.TPOT, 50),
            Figure.percentile(Metric.TPOT, 99), Figure.percentile(Metric.E2E, 50), Figure.mean(Metric.TRAIN_TPS));

    /** The names given, in order; empty for the defaults. */
    private final List<String> names;

    private MetricSelection(List<String> names) {
        this.names = List.copyOf(names);
    }

    /** Every run's headline figures. */
    public static MetricSelection defaults() {
        return new MetricSelection(List.of());
    }

    /**
     * @throws IllegalArgumentException one line naming an unknown name and listing the known ones
     */
    public static MetricSelection of(List<String> names) {
        if (names == null || names.isEmpty()) return defaults();
        List<String> cleaned = new ArrayList<>();
        for (String raw : names) {
            String name = raw.strip();
            if (!TEST.matcher(name).matches() && parse(name) == null) {
                throw new IllegalArgumentException("--metric: unknown name '" + raw + "' (known: " + String.join(", ", known()) + ")");
            }
            if (!cleaned.contains(name)) cleaned.add(name);
        }
        return new MetricSelection(cleaned);
    }

    /** Every name {@code --metric} takes. */
    public static List<String> known() {
        List<String> known = new ArrayList<>(List.of("ppN", "tgN"));
        for (Metric m : Metric.values()) {
            known.add(m.key());
            if (latency(m)) for (int p : Figure.PERCENTILES) known.add(m.key() + "_p" + p);
        }
        return known;
    }

    boolean isDefault() {
        return names.isEmpty();
    }

    List<String> names() {
        return names;
    }

    /** The figures of {@code run} this selection asks for (whether the run carries them or not). */
    List<Figure> figures(Run run) {
        if (names.isEmpty()) return defaults(run);
        List<Figure> out = new ArrayList<>();
        for (String name : names) {
            Figure f = figure(name, run);
            if (f != null && !out.contains(f)) out.add(f);
        }
        return out;
    }

    /** Whether {@code name} asks anything of {@code run}. */
    static boolean appliesTo(String name, Run run) {
        Figure f = figure(name, run);
        return f != null && f.of(run) != null;
    }

    private static Figure figure(String name, Run run) {
        if (TEST.matcher(name).matches()) {
            return run instanceof EngineRun e && e.name().equals(name) ? headline(e) : null;
        }
        return parse(name);
    }

    private static List<Figure> defaults(Run run) {
        return switch (run) {
            case EngineRun e -> List.of(headline(e));
            case LoadRun l -> LOAD_DEFAULTS;
            case TokenizerRun t -> List.of(Figure.mean(Metric.TOKENIZE_MB_PER_S));
            case HardwareRun h -> List.of(Figure.mean(Metric.READ_BANDWIDTH), Figure.mean(Metric.PEAK_FMA));
            case QualityRun q -> List.of(Figure.mean(Metric.PERPLEXITY), Figure.mean(Metric.PREFILL_TPS));
            case MeterRun m -> METER_DEFAULTS;
            case TrainingRun t -> List.of(Figure.mean(Metric.TRAIN_TPS), Figure.mean(Metric.VALIDATION_LOSS));
        };
    }

    private static Figure headline(EngineRun e) {
        return Figure.mean(e.headline());
    }

    /** {@code ttft_p99} or {@code decode_tps}; null when it names nothing. */
    private static Figure parse(String name) {
        for (Metric m : Metric.values()) {
            if (name.equals(m.key())) return Figure.mean(m);
            if (latency(m)) {
                for (int p : Figure.PERCENTILES) if (name.equals(m.key() + "_p" + p)) return Figure.percentile(m, p);
            }
        }
        return null;
    }

    /** Latency metrics carry percentiles. */
    private static boolean latency(Metric m) {
        return m.unit() == Unit.MILLISECONDS;
    }
}

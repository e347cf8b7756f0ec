package io.toks.report;

import io.toks.core.events.TokenCountSource;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.Manifest;
import io.toks.core.manifest.ModelFacts;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.meter.TokenMeter;
import io.toks.core.result.EngineRun;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.LoadRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.RooflineShare;
import io.toks.core.result.TokenizerRun;
import io.toks.core.result.TrainingRun;
import io.toks.core.result.Unit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Result documents shaped as the commands write them, for report tests: what each holds is
 * spelled out, so a test can state the charts and series it implies.
 */
public final class ReportFixtures {

    /** A model name that is also markup: a report must show it, never run it. */
    public static final String HOSTILE_MODEL = "</script><script>alert(1)</script>";

    private ReportFixtures() {}

    /**
     * {@code toks bench -p 16,64 -n 16,64 -t 1,2} on one model: pp16, pp64, tg16, tg64 at 1 and 2
     * threads (8 runs, 3 repetitions each), tok/s scaled by {@code speed}.
     */
    public static ResultDocument bench(String model, String kernels, double speed) {
        var facts = new ModelFacts(model, "/models/" + model + ".gguf", "gguf", 2_097_152, "ab".repeat(32), "Q8_0", 1_500_000, 1_600_000,
                1_600_000, 2048, null);
        var roofline = new RooflineShare("memory", 100, 0.8, 1e6, 2e6, 42, "median_of_samples_during_test", new double[] {41, 42, 43}, 50, 0.7);
        List<EngineRun> runs = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            for (int tokens : new int[] {16, 64}) {
                double pp = speed * threads * (900 + tokens);
                runs.add(EngineRun.of("pp" + tokens, facts, kernels, threads, true, tokens, new double[] {pp * 0.97, pp, pp * 1.03},
                        TokenCountSource.ENGINE_IDS, roofline, null));
                double tg = speed * threads * (300 - tokens);
                runs.add(EngineRun.of("tg" + tokens, facts, kernels, threads, false, tokens, new double[] {tg * 0.95, tg, tg * 1.04},
                        TokenCountSource.ENGINE_IDS, roofline, null));
            }
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("repetitions", 3);
        p.put("warmups", 1);
        p.put("jit_warmup_ms", 200);
        p.put("threads", List.of(1, 2));
        var target = new TargetFacts.Engine("toks-java",
                new TargetFacts.KernelSupport("java-vector-512bit", 512, null, "no gcc", List.of(), List.of()),
                List.of(facts), List.of(new TargetFacts.HardwareLimit(1, 30, 200), new TargetFacts.HardwareLimit(2, 50, 400)));
        return ResultDocument.of("bench", MachineFacts.manifest(target, p), runs);
    }

    /** {@code toks load --concurrency 1,2,4}: three closed-loop levels with every latency percentile. */
    public static ResultDocument load() {
        List<LoadRun> levels = new ArrayList<>();
        for (int c : new int[] {1, 2, 4}) {
            Map<Metric, MetricSummary> m = new EnumMap<>(Metric.class);
            m.put(Metric.TTFT, latency(20 + 10 * c));
            m.put(Metric.ITL, latency(5 + c));
            m.put(Metric.TPOT, latency(5 + c));
            m.put(Metric.E2E, latency(200 + 60 * c));
            m.put(Metric.SEND_LAG, latency(0.1));
            m.put(Metric.REQUEST_THROUGHPUT, MetricSummary.single(Unit.REQUESTS_PER_SECOND, 4.0 * c));
            m.put(Metric.OUTPUT_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, 150.0 * c));
            m.put(Metric.TOTAL_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, 200.0 * c));
            levels.add(new LoadRun("c=" + c, c, null, null, 16, 16, Map.of(), Map.of(), 4, Double.NaN, 4.0 * c, 0, 0, 0,
                    Map.of("server_usage", 16), 0, 0.2, null, m));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("concurrency", List.of(1, 2, 4));
        p.put("requests", 16);
        p.put("slo", null);
        p.put("reference_tokenizer", "cl100k");
        Manifest manifest = MachineFacts.manifest(new TargetFacts.Server("http://127.0.0.1:18123/v1", "chat", "stories260K", "synthetic"), p);
        return ResultDocument.of("load", manifest, levels);
    }

    /** p50/p90/p95/p99 around {@code ms}. */
    static MetricSummary latency(double ms) {
        return new MetricSummary(Unit.MILLISECONDS, 16, ms, ms / 10, ms * 0.95, ms * 1.05, ms * 0.8, ms, ms * 1.5,
                Map.of("p50", ms, "p90", ms * 1.2, "p95", ms * 1.3, "p99", ms * 1.45), null);
    }

    /** {@code toks count --tokenizer cl100k,llama3,bert --bench}: three tokenizers over the same text. */
    public static ResultDocument count() {
        List<TokenizerRun> runs = new ArrayList<>();
        String[] names = {"cl100k", "llama3", "bert"};
        long[] tokens = {2400, 2350, 2900};
        for (int i = 0; i < names.length; i++) {
            var speed = MetricSummary.ofSamples(Unit.MEGABYTES_PER_SECOND, 10 + i, 11 + i, 12 + i);
            var tps = MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, 2e6, 2.1e6, 2.2e6);
            runs.add(new TokenizerRun(names[i], names[i], "bpe", 3, tokens[i], 10_000, 10_200, 1_800, 1.0 - i / 10.0, "jtokkit:cl100k",
                    Map.of(Metric.TOKENIZE_MB_PER_S, speed, Metric.TOKENIZE_TPS, tps)));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("repeat", 3);
        p.put("warmup", 1);
        return ResultDocument.of("count", MachineFacts.manifest(new TargetFacts.Tokenizers("docs", 3), p), runs);
    }

    /** {@code toks hw -t 2 -r 3}: bandwidth and peak FMA at 1 and 2 threads. */
    public static ResultDocument hw() {
        List<HardwareRun> runs = new ArrayList<>();
        for (int t = 1; t <= 2; t++) {
            runs.add(new HardwareRun(t + (t == 1 ? " thread" : " threads"), t, 64L << 20, Map.of(
                    Metric.READ_BANDWIDTH, MetricSummary.ofSamples(Unit.GIGABYTES_PER_SECOND, 20 * t, 21 * t, 22 * t),
                    Metric.PEAK_FMA, MetricSummary.ofSamples(Unit.GIGAFLOPS, 200 * t, 210 * t, 205 * t))));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("threads", 2);
        p.put("buffer_mib", 64);
        p.put("repetitions", 3);
        return ResultDocument.of("hw", MachineFacts.manifest(null, p), runs);
    }

    /**
     * A TokenMeter's document, measured against a fake clock: 4 training steps of 4096 tokens
     * (250 ms each, then 0-30 ms more), then 20 calls 100 ms apart, each with a 32-token prompt
     * and 16 one-token chunks: ttft 40-44 ms, gaps of 2, 2.5 or 3 ms, closed 1 ms after the last
     * token. Every time is divided by {@code speed}.
     */
    public static ResultDocument meter(String model, double speed) {
        long[] now = {0};
        TokenMeter meter = TokenMeter.create(model, () -> now[0]);
        java.util.function.DoubleConsumer at = ms -> now[0] = Math.round(ms / speed * 1e6);
        double t = 0;
        for (int k = 0; k < 4; k++) {
            t += 250 + 10 * k;
            at.accept(t);
            meter.trainStep(4096);
        }
        for (int i = 0; i < 20; i++) {
            t = 1000 + 100 * i;
            at.accept(t);
            try (TokenMeter.Call call = meter.start(32)) {
                t += 40 + i % 5;
                at.accept(t);
                call.firstToken();
                for (int k = 1; k < 16; k++) {
                    t += 2 + 0.5 * (i % 3);
                    at.accept(t);
                    call.tokens(1);
                }
                at.accept(t + 1);
            }
        }
        return meter.result();
    }

    /** {@code toks train}: 4 steps (the first as warm-up) of a tiny model, validation after steps 2 and 4. */
    public static ResultDocument train() {
        List<TrainingRun.LossPoint> curve = List.of(new TrainingRun.LossPoint(1, 6.2, Double.NaN, 1e-3, 1.5),
                new TrainingRun.LossPoint(2, 5.9, 6.0, 1e-3, 1.2), new TrainingRun.LossPoint(3, 5.5, Double.NaN, 5e-4, 1.0),
                new TrainingRun.LossPoint(4, 5.1, 5.3, 1e-4, 0.9));
        Map<Metric, MetricSummary> metrics = new EnumMap<>(Metric.class);
        metrics.put(Metric.TRAIN_TPS, MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, 1000, 1100, 1200));
        metrics.put(Metric.MFU, MetricSummary.single(Unit.SHARE, 0.42));
        metrics.put(Metric.TRAIN_LOSS, MetricSummary.ofSamples(Unit.NATS, 6.2, 5.9, 5.5, 5.1));
        metrics.put(Metric.VALIDATION_LOSS, MetricSummary.single(Unit.NATS, 5.3));
        var run = new TrainingRun("tiny", "dim 64, 2 layers, 4 heads (2 kv), ffn 176, vocab 512, ctx 64", 158_016, 64, 176, 2, 4, 2, 512,
                "tok512", "docs", 66_000, 7_300, 8, 64, 0, 4, 2, 1337, 847_872, "6·N + 12·L·H·Q·T = 847.9k FLOP/token", 180.0, 1, 300.0,
                60.0, 1e10, 1e10 / 1100, curve, metrics);
        return ResultDocument.of("train", MachineFacts.manifest(null, Map.of("steps", 4)), List.of(run));
    }

    /** Two engine documents (java against native, the first with a hostile model name) compared. */
    public static List<LabeledDocument> twoBenches() {
        return List.of(new LabeledDocument("java", bench(HOSTILE_MODEL, "java-vector-512bit", 1)),
                new LabeledDocument("native", bench(HOSTILE_MODEL, "native-avx512-vnni+java-vector-512bit", 1.4)));
    }

    /** One document of each other command. */
    public static List<LabeledDocument> loadCountHw() {
        return List.of(new LabeledDocument("load", load()), new LabeledDocument("count", count()), new LabeledDocument("hw", hw()));
    }
}

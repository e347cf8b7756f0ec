package io.toks.history;

import io.toks.core.events.TokenCountSource;
import io.toks.core.manifest.Manifest;
import io.toks.core.manifest.ModelFacts;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.EngineRun;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.LoadRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.RooflineShare;
import io.toks.core.result.TextRates;
import io.toks.core.result.TokenizerRun;
import io.toks.core.result.Unit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Result documents built from the records, as the commands build them. */
final class Documents {

    static final ModelFacts MODEL = new ModelFacts("stories260K", "embedded:stories260K", "llama2.c", 1000, "ab".repeat(32),
            "Q4_0", 260_000, 150_000, 150_000, 512, new ModelFacts.TextDensity("text", "cl100k", 3.5, 0.9));

    private Documents() {}

    static Manifest manifest(String createdAt, String host, TargetFacts target) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("threads", List.of(1, 2));
        parameters.put("slo", null);
        return new Manifest(new Manifest.ToksBuild("0.1.0-test", "abc123"), createdAt,
                new Manifest.Machine("Test CPU 9000", 2, 1L << 34, "Linux 6 amd64", host),
                new Manifest.Jvm("Eclipse Adoptium", "OpenJDK 64-Bit Server VM", "25", "HotSpot 64-Bit Tiered Compilers", 256),
                target, parameters);
    }

    static TargetFacts.Engine engine() {
        return new TargetFacts.Engine("toks-java", new TargetFacts.KernelSupport("java-vector-256bit", 256, null, "no gcc", List.of(), List.of()),
                List.of(MODEL), List.of(new TargetFacts.HardwareLimit(1, 20, 100)));
    }

    /** A toks bench document: pp16 and tg16 at 1 and 2 threads, tok/s scaled by {@code speed}. */
    static ResultDocument bench(String createdAt, String host, double speed) {
        var roofline = new RooflineShare("memory", 100, 0.5, 1e6, 2e6, 50, "median_of_samples_during_test",
                new double[] {49, 50, 51}, 60, 0.42);
        return ResultDocument.of("bench", manifest(createdAt, host, engine()), List.of(
                EngineRun.of("pp16", MODEL, "java-vector-256bit", 1, true, 16, new double[] {800 * speed, 820 * speed},
                        TokenCountSource.ENGINE_IDS, null, null),
                EngineRun.of("tg16", MODEL, "java-vector-256bit", 1, false, 16, new double[] {100 * speed, 110 * speed, 90 * speed},
                        TokenCountSource.ENGINE_IDS, roofline, new TextRates(350, 90, "cl100k", 3.5, "basis")),
                EngineRun.of("tg16", MODEL, "java-vector-256bit", 2, false, 16, new double[] {180 * speed, 190 * speed},
                        TokenCountSource.ENGINE_IDS, null, null)));
    }

    /** A document of every other kind: a load level, a tokenizer, a hardware run (NaN figures and nulls included). */
    static ResultDocument load(String createdAt, String host) {
        var latency = new MetricSummary(Unit.MILLISECONDS, 10, 5, 1, 4.4, 5.6, 3, 5, 9,
                Map.of("p50", 5.0, "p90", 7.0, "p95", 8.0, "p99", 9.0), null);
        var load = new LoadRun("c=4", 4, null, null, 10, 9, Map.of("http_4xx", 1), Map.of("http_4xx", "prompt too long"), 2.5, Double.NaN, 4.1,
                0, 0, 1, Map.of("server_usage", 9), 0, Double.NaN, null, Map.of(Metric.TTFT, latency,
                Metric.GOODPUT, MetricSummary.single(Unit.REQUESTS_PER_SECOND, Double.NaN),
                Metric.OUTPUT_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, 123.5)));
        var tokenizer = new TokenizerRun("cl100k", "cl100k", "tiktoken/cl100k_base", 2, 15, 53, 53, 13, null, null,
                Map.of(Metric.TOKENIZE_MB_PER_S, MetricSummary.ofSamples(Unit.MEGABYTES_PER_SECOND, 10, 12, 11)));
        var hardware = new HardwareRun("1 thread", 1, 1L << 24, Map.of(Metric.READ_BANDWIDTH,
                MetricSummary.ofSamples(Unit.GIGABYTES_PER_SECOND, 40, 45),
                Metric.PEAK_FMA, new MetricSummary(Unit.GIGAFLOPS, 2, 1, 0, 1, 1, 1, 1, 1, null, new double[] {1, Double.NaN})));
        var server = new TargetFacts.Server("http://127.0.0.1:8080/v1", "chat", "llama-3-8b", "synthetic 16 -> 16 tokens");
        return ResultDocument.of("load", manifest(createdAt, host, server), List.of(load, tokenizer, hardware));
    }
}

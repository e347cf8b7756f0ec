package io.toks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.core.events.TokenCountSource;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.Manifest;
import io.toks.core.manifest.ModelFacts;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.EngineRun;
import io.toks.core.result.LoadRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.core.result.RooflineShare;
import io.toks.core.result.Unit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tables, CSV and JSONL drawn from a result document alone. */
class RenderersTest {

    static final ModelFacts MODEL = new ModelFacts("tiny", "tiny.gguf", "gguf", 2048, "00".repeat(32), "Q4_0", 1_500_000, 1_048_576,
            1_048_576, 256, null);

    static ResultDocument bench() {
        var memory = new RooflineShare("memory", 100, 0.8, 1e6, 2e6, 42, "median_of_samples_during_test", new double[] {41, 42, 43}, 50, 0.7);
        var tg = EngineRun.of("tg16", MODEL, "native-avx512-vnni+java-vector-512bit", 2, false, 16, new double[] {80, 82, 78},
                TokenCountSource.ENGINE_IDS, memory, null);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("repetitions", 3);
        p.put("warmups", 1);
        p.put("jit_warmup_ms", 0);
        var target = new TargetFacts.Engine("toks-java", new TargetFacts.KernelSupport("java-vector-512bit", 512, null, "no gcc", List.of(), List.of()),
                List.of(MODEL), List.of(new TargetFacts.HardwareLimit(2, 50, 400)));
        return ResultDocument.of("bench", MachineFacts.manifest(target, p), List.of(tg));
    }

    static String render(ResultDocument doc, Format format) {
        var out = new ByteArrayOutputStream();
        Renderers.render(doc, format, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void benchTableAsLlamaBenchPrintsIt() {
        String table = render(bench(), Format.MD);
        assertThat(table).contains("| tiny                     |    1.00 MiB |    1.50 M | Q4_0   | native    |       2 |       | tg16   |         80.00 ± 2.00 |   80% mem (42 GB/s) |");
        assertThat(table).contains("t/s = mean ± stdev over 3 repetitions (after a 0 ms JIT warm-up and 1 warm-up run(s) per test)",
                "native unavailable: no gcc", "roofline at 2 thread(s), measured in this run: memory read 50.0 GB/s");
    }

    /** The footer says what the native library ran: its products, the tiled types and attention. */
    @Test
    void theFooterNamesTheNativeKernelsThatRan() {
        var kernels = new TargetFacts.KernelSupport("java-vector-512bit", 512, "avx512-vnni", null, List.of("F16", "Q4_0"),
                List.of("Q4_0"), List.of("Q4_0", "Q8_0"), List.of("F32", "F16", "Q8_0"));
        var target = new TargetFacts.Engine("toks-java", kernels, List.of(MODEL), List.of());
        var doc = ResultDocument.of("bench", bench().manifest().withTarget(target), bench().runs());
        assertThat(render(doc, Format.MD)).contains("native = avx512-vnni library: decode F16/Q4_0, prefill Q4_0, Q4_0/Q8_0 repacked into tiles "
                + "at load, attention over F32/F16/Q8_0 caches");
        assertThat(render(bench(), Format.MD)).doesNotContain("repacked", "attention over");
    }

    /** Two engines: a row each per test, the other engine's facts and toks / other per test under the table. */
    @Test
    void benchTableWithAnotherEngineEndsWithRatiosPerTest() {
        var toks = EngineRun.of("pp64", MODEL, "java-vector-512bit", 1, true, 64, new double[] {3000, 3100, 2900},
                TokenCountSource.ENGINE_IDS, null, null).withCacheType("f16");
        var llama = EngineRun.of(EngineRun.LLAMA_CPP, "pp64", MODEL, "llama.cpp b4916 via de.kherud:llama 4.2.0 (JNI), CPU build AVX AVX2, no AVX-512",
                1, true, 64, 0, new double[] {1500, 1500, 1500}, TokenCountSource.ENGINE_IDS, null, null);
        var tgOnlyToks = EngineRun.of("tg32", MODEL, "java-vector-512bit", 1, false, 32, new double[] {500, 500}, TokenCountSource.ENGINE_IDS, null, null);
        var target = ((TargetFacts.Engine) bench().manifest().target()).withExternalEngine(new TargetFacts.ExternalEngine("llama.cpp", "b4916",
                "de.kherud:llama 4.2.0 (JNI)", List.of("AVX", "AVX2"), List.of("the binding's Linux/x86_64 library has no AVX-512 code")));
        var doc = ResultDocument.of("bench", bench().manifest().withTarget(target), List.of(toks, tgOnlyToks, llama));
        String table = render(doc, Format.MD);
        assertThat(table).contains("| tiny                     |    1.00 MiB |    1.50 M | Q4_0   | java      |       1 | f16   | pp64   |",
                "| tiny                     |    1.00 MiB |    1.50 M | Q4_0   | llama.cpp |       1 |       | pp64   |       1500.00 ± 0.00 |");
        assertThat(table).contains("llama.cpp: build b4916 through de.kherud:llama 4.2.0 (JNI), in this process; CPU code compiled for: AVX AVX2",
                "llama.cpp: the binding's Linux/x86_64 library has no AVX-512 code", "llama.cpp rows: the same tests",
                "toks / llama.cpp, test by test");
        // 3000 / 1500 = 2, spread 2 x (100 / 3000)
        assertThat(table).containsPattern("\\| tiny +\\| +1 \\| pp64 +\\| java +\\| +3000.00 ± 100.00 \\| llama.cpp \\| +1500.00 ± 0.00 \\| +2.00 ± 0.07 \\|");
        assertThat(table).doesNotContainPattern("\\| tg32 .*\\| llama.cpp \\|"); // no llama.cpp run of tg32: no ratio
        assertThat(render(doc, Format.CSV).lines().toList()).last().asString().endsWith(",llama.cpp,1,0,"); // then n_parallel, n_depth, no cache type
        assertThat(render(bench(), Format.MD)).doesNotContain("toks / ", "llama.cpp");
    }

    /** One stray llama.cpp sample (its late wake-up) makes the mean ratio lie: marked, with the medians' ratio beside it. */
    @Test
    void aNoisyPairIsMarkedAndGetsTheMediansRatio() {
        var toks = EngineRun.of("tg8", MODEL, "java-vector-512bit", 1, false, 8, new double[] {3000, 3100, 2900},
                TokenCountSource.ENGINE_IDS, null, null);
        var llama = EngineRun.of(EngineRun.LLAMA_CPP, "tg8", MODEL, "llama.cpp", 1, false, 8, 0, new double[] {3380, 111402, 3336},
                TokenCountSource.ENGINE_IDS, null, null);
        var doc = ResultDocument.of("bench", bench().manifest(), List.of(toks, llama));
        String table = render(doc, Format.MD);
        assertThat(table).containsPattern("\\| tg8 +\\| java +\\|.*\\| +0\\.\\d\\d ± 0\\.\\d\\d \\(noisy\\) \\|");
        // medians 3000 / 3380
        assertThat(table).contains("noisy: tg8 at 1 thread(s): a stdev over 25% of its mean; the medians' ratio, which one stray sample does not move, is 0.89");
    }

    @Test
    void meterTableIsALoadLevelRowPerModelWithNotesAndTheTrainingSteps() {
        String table = render(ReportFixtures.meter("my-model", 1), Format.MD);
        // 20 calls of 16 tokens in 1.9825 s (the last ends at 2982.5 ms); ttft 40..44 ms four times each; gaps 2/2.5/3 ms.
        assertThat(table).contains("| model | calls | ok | failed | req/s | output tok/s | total tok/s | decode tok/s mean ± stdev |",
                "| my-model | 20 | 20 | 0 | 10.09 | 161.4 | 484.2 | ",
                "| 42.0 / 42.0 / 44.0 | 2.5 / 2.5 / 3.0 | ");
        assertThat(table).contains("my-model:\n  window 1.983 s (first call's start to the last one's end): 640 prompt and 320 output tokens\n"
                + "  output token counts from: chunks_counted 20 calls\n");
        assertThat(table).contains("timed with the program's own clock (custom), not System.nanoTime");
        // Steps of 250, 260, 270 and 280 ms: 16384 tokens in 1.06 s.
        assertThat(table).contains("| my-model | 4 | 16384 | 1.060 | 15456.6 | ");
    }

    @Test
    void aNoisyTestIsFlaggedUnderTheTable() {
        var noisy = EngineRun.of("tg32", MODEL, "java-vector-512bit", 2, false, 32, new double[] {100, 12000, 4000},
                TokenCountSource.ENGINE_IDS, null, null);
        ResultDocument doc = bench();
        String table = render(ResultDocument.of("bench", doc.manifest(), List.of(doc.runs().get(0), noisy)), Format.MD);
        assertThat(table).contains("noisy: tiny tg32 at 2 thread(s): the stdev is").doesNotContain("noisy: tiny tg16");
        assertThat(noisy.tokensPerSecond().ci95Low()).isZero(); // a rate's interval is cut at 0
    }

    @Test
    void trainingTableShowsTheRateTheLossesTheFormulaAndTheEpoch() {
        String table = render(ReportFixtures.train(), Format.MD);
        assertThat(table).contains("| tiny                 | 64 x 2, 4/2, 176, 512              | 158.02K |      8 x 64 |       2 |         4 "
                        + "|        1100 ± 100 | 42.0% |     5.6750 |   5.3000 |     60.0 s |")
                .contains("the first 1 step(s) of each run are warm-up (JIT, caches), timed apart (tiny: 300 tok/s)")
                .contains("tiny: FLOPs/token = 6·N + 12·L·H·Q·T = 847.9k FLOP/token; MFU = FLOPs/token x tok/s / 180.0 GFLOP/s")
                .contains("validation loss (mean cross-entropy, nats, on 7300 held-out tokens of docs) after step 2: 6.0000, 4: 5.3000")
                .contains("one epoch = 66.00 K training tokens of docs (tok512 tokenizer) = 60.0 s at 1100 tok/s")
                .contains("10.00 B tokens = 105.2 days at 1100 tok/s");
    }

    @Test
    void benchCsvCarriesEveryStatisticAndSample() {
        String[] lines = render(bench(), Format.CSV).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith("tiny,1048576,1500000,Q4_0,2,tg16,0,16,3,80.000,2.000,")
                .contains(",80.000 82.000 78.000,ENGINE_IDS,native-avx512-vnni+java-vector-512bit,,");
    }

    /** Runs that differ only in depth or KV cache type are told apart in CSV as in JSON. */
    @Test
    void benchCsvNamesEachRunsDepthAndCacheType() {
        var shallow = EngineRun.of("tg8", MODEL, "java", 1, false, 8, new double[] {80}, TokenCountSource.ENGINE_IDS, null, null);
        var deep = EngineRun.of("tg8 @ d16", MODEL, "java", 1, false, 8, 16, new double[] {70}, TokenCountSource.ENGINE_IDS, null, null);
        var doc = ResultDocument.of("bench", bench().manifest(), List.of(shallow.withCacheType("f32"), shallow.withCacheType("q8_0"),
                deep.withCacheType("q8_0"), shallow));
        List<String> lines = render(doc, Format.CSV).lines().toList();
        assertThat(lines.getFirst()).endsWith(",engine,n_parallel,n_depth,cache_type");
        assertThat(lines.subList(1, 5)).extracting(l -> l.substring(l.indexOf(",toks-java,") + ",toks-java,".length()))
                .containsExactly("1,0,f32", "1,0,q8_0", "1,16,q8_0", "1,0,"); // no cache type known: empty
    }

    @Test
    void jsonLinesAreOneRunDocumentsThatReadBack() {
        String[] lines = render(bench(), Format.JSONL).strip().split("\n");
        assertThat(lines).hasSize(1);
        ResultDocument back = ResultJson.read(lines[0]);
        assertThat(back.runs()).hasSize(1);
        assertThat(back.runs(EngineRun.class).get(0).avgTs()).isEqualTo(80.0);
    }

    @Test
    void loadTableShowsLevelsNotesAndTheBestLevelOfASweep() {
        var latency = new MetricSummary(Unit.MILLISECONDS, 4, 10, 1, 9, 11, 8, 10, 12, Map.of("p50", 10.0, "p99", 12.0), null);
        Map<Metric, MetricSummary> metrics = Map.of(Metric.TTFT, latency, Metric.TPOT, latency, Metric.E2E, latency,
                Metric.REQUEST_THROUGHPUT, MetricSummary.single(Unit.REQUESTS_PER_SECOND, 2),
                Metric.OUTPUT_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, 64),
                Metric.TOTAL_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, 128),
                Metric.GOODPUT, MetricSummary.single(Unit.REQUESTS_PER_SECOND, 2));
        var c1 = new LoadRun("c=1", 1, null, null, 4, 4, Map.of(), Map.of(), 2, Double.NaN, 2, 0, 0, 0, Map.of("server_usage", 4), 0, 0.1, true, metrics);
        var c4 = new LoadRun("c=4", 4, null, null, 4, 3, Map.of("http_4xx", 1), Map.of("http_4xx", "HTTP 400: prompt too long"), 2, Double.NaN, 2,
                0, 0, 0, Map.of("server_usage", 3), 0, 0.1, false, metrics);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("slo", "ttft<=1000ms");
        p.put("sweep", true);
        p.put("slo_target", 0.9);
        p.put("reference_tokenizer", "cl100k");
        Manifest m = MachineFacts.manifest(new TargetFacts.Server("http://x/v1", "chat", "m", "synthetic"), p);
        String table = render(ResultDocument.of("load", m, List.of(c1, c4)), Format.MD);
        assertThat(table).contains("| c=1 | 4 | 0 | 2.00 | 64.0 | 128.0 | 10.0 / 10.0 / 12.0 |", "| c=4 | 3 | 1 |",
                "errors: http_4xx 1", "first http_4xx error: HTTP 400: prompt too long",
                "Highest load meeting the SLO for 90% of requests: c=1");
    }

    /** A rate that rounds to zero from below (or is -0.0 itself) prints as 0, never "-0.00 req/s". */
    /** Usage the server sent that cannot be true: how many requests, why, and that their counts are the client's. */
    @Test
    void loadNotesSayHowManyRequestsHadInvalidUsage() {
        var level = new LoadRun("c=1", 1, null, null, 4, 4, Map.of(), Map.of(), 2, Double.NaN, 2, 0, 0, 0,
                Map.of("client_retokenized", 4), 0, 0.1, null, 0, Map.of("not_a_count", 3, "over_max_tokens", 1), Map.of());
        assertThat(level.invalidUsageRequests()).isEqualTo(4);
        assertThat(LoadTable.notes(level, "cl100k")).contains("output token counts from: client_retokenized 4",
                "server usage invalid in 4 of 4 requests (not_a_count 3, over_max_tokens 1): not used, their token counts are the client's");
        var clean = new LoadRun("c=1", 1, null, null, 4, 4, Map.of(), Map.of(), 2, Double.NaN, 2, 0, 0, 0,
                Map.of("server_usage", 4), 0, 0.1, null, Map.of());
        assertThat(LoadTable.notes(clean, "cl100k")).noneMatch(n -> n.contains("usage invalid"));
    }

    @Test
    void loadTablePrintsNoNegativeZero() {
        Map<Metric, MetricSummary> metrics = Map.of(Metric.REQUEST_THROUGHPUT, MetricSummary.single(Unit.REQUESTS_PER_SECOND, -0.0),
                Metric.OUTPUT_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, -0.001),
                Metric.TOTAL_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, -0.04));
        var idle = new LoadRun("rate=1", null, 1.0, "poisson", 2, 0, Map.of("connect", 2), Map.of(), 2, 1, -0.0, 0, 0, 0, Map.of(), 0,
                0.1, null, metrics);
        Manifest m = MachineFacts.manifest(new TargetFacts.Server("http://x/v1", "chat", "m", "synthetic"), new LinkedHashMap<>());
        String table = render(ResultDocument.of("load", m, List.of(idle)), Format.MD);
        assertThat(table).contains("| rate=1 | 0 | 2 | 0.00 | 0.0 | 0.0 |", "client: 0.00 req/s sent of the 1.00 the schedule asked")
                .doesNotContainPattern("-0\\.0");
        assertThat(LoadTable.num(-0.004, 2)).isEqualTo("0.00");
        assertThat(LoadTable.num(-0.005, 2)).isEqualTo("-0.01"); // a real negative keeps its sign
        assertThat(LoadTable.num(-10.0, 0)).isEqualTo("-10");
    }

    @Test
    void csvIsTheEngineBenchmarksOnly() {
        assertThatThrownBy(() -> Renderers.check("load", Format.CSV)).isInstanceOf(ToksException.class)
                .hasMessageContaining("csv output is not available for load");
        assertThat(Format.parse("markdown")).isEqualTo(Format.MD);
        assertThatThrownBy(() -> Format.parse("xml")).hasMessageContaining("unknown output format 'xml'");
        assertThat(Renderers.formatNames("bench")).isEqualTo("md, csv, json or jsonl");
        assertThat(Renderers.formatNames("count")).isEqualTo("md, json or jsonl");
        assertThatThrownBy(() -> Renderers.check("count", Format.CSV)).hasMessage("csv output is not available for count (use md, json or jsonl)");
        for (Format f : Renderers.formats("count")) Renderers.check("count", f); // what it lists, it takes
    }
}

package io.toks.report.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.core.events.TokenCountSource;
import io.toks.core.manifest.Manifest;
import io.toks.core.manifest.ModelFacts;
import io.toks.core.result.EngineRun;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.LoadRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.Run;
import io.toks.core.result.TokenizerRun;
import io.toks.core.result.Unit;
import io.toks.core.stats.Method;
import io.toks.report.Format;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Matching, verdicts, the gate and both outputs, on hand-built documents. */
class ComparisonsTest {

    static final ModelFacts MODEL = new ModelFacts("tiny", "tiny.gguf", "gguf", 2048, "00".repeat(32), "Q4_0", 1_500_000, 1_048_576,
            1_048_576, 256, null);
    static final Manifest.Machine HERE = new Manifest.Machine("AMD EPYC 9R14", 2, 1L << 34, "Linux", "ci-1");

    static Manifest manifest(Manifest.Machine machine) {
        return new Manifest(new Manifest.ToksBuild("0.1", "abc"), "2026-01-01T00:00:00Z", machine,
                new Manifest.Jvm("Eclipse Adoptium", "OpenJDK", "25", "HotSpot", 512), null, Map.of());
    }

    static EngineRun engine(String test, String kernels, double... tps) {
        boolean prefill = test.startsWith("pp");
        return EngineRun.of(test, MODEL, kernels, 2, prefill, Integer.parseInt(test.substring(2)), tps,
                TokenCountSource.ENGINE_IDS, null, null);
    }

    static ResultDocument doc(String command, Manifest.Machine machine, Run... runs) {
        return ResultDocument.of(command, manifest(machine), List.of(runs));
    }

    static Comparison compare(ResultDocument a, ResultDocument b, double threshold, String... metrics) {
        return Comparisons.compare(a, "a.json", b, "b.json", MetricSelection.of(List.of(metrics)), 0.05, threshold);
    }

    @Test
    void runsPairByTheirParametersNotTheirPosition() {
        var a = doc("bench", HERE, engine("pp8", "java", 100, 101, 99), engine("tg4", "java", 50, 51, 49));
        var b = doc("bench", HERE, engine("tg4", "java", 50, 51.5, 49), engine("pp8", "java", 100, 100.5, 99.5));
        Comparison c = compare(a, b, 0);
        assertThat(c.rows()).extracting(Comparison.Row::run).containsExactly("tiny Q4_0 java t=2 pp8", "tiny Q4_0 java t=2 tg4");
        assertThat(c.rows()).extracting(Comparison.Row::figure).containsExactly("prefill_tps", "decode_tps");
        assertThat(c.rows().get(1).difference().a().value()).isCloseTo(50, within(1e-9));
        assertThat(c.onlyInA()).isEmpty();
        assertThat(c.onlyInB()).isEmpty();
        assertThat(c.warnings()).isEmpty();
        assertThat(c.rows()).allMatch(r -> r.verdict() == Verdict.NO_SIGNIFICANT_CHANGE);
        assertThat(c.exitCode()).isZero();
    }

    @Test
    void runsWithoutAPartnerAreListedBothWays() {
        var a = doc("bench", HERE, engine("tg4", "java", 50, 51, 49), engine("tg8", "java", 40, 41, 39));
        var b = doc("bench", HERE, engine("tg4", "java", 50, 51, 49), engine("pp16", "java", 90, 91, 89));
        Comparison c = compare(a, b, 0);
        assertThat(c.rows()).hasSize(1);
        assertThat(c.onlyInA()).containsExactly("engine tiny Q4_0 java t=2 tg8");
        assertThat(c.onlyInB()).containsExactly("engine tiny Q4_0 java t=2 pp16");
        String md = render(c, Format.MD);
        assertThat(md).contains("only in A: engine tiny Q4_0 java t=2 tg8").contains("only in B: engine tiny Q4_0 java t=2 pp16");
    }

    /** A run that carries a metric with no samples (n = 0) is said to have none, not to be missing. */
    @Test
    void aMetricWithoutSamplesIsNamedAsSuch() {
        var empty = new MetricSummary(Unit.TOKENS_PER_SECOND, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Map.of(), new double[0]);
        EngineRun full = engine("tg4", "java", 50, 51, 49);
        EngineRun hollow = full.withMetrics(Map.of(Metric.DECODE_TPS, empty));
        Comparison c = compare(doc("bench", HERE, full), doc("bench", HERE, hollow), 0);
        assertThat(c.rows()).isEmpty();
        assertThat(c.onlyInA()).isEmpty();
        assertThat(c.warnings()).containsExactly("engine tiny Q4_0 java t=2 tg4 decode_tps: B's run has no samples of it (n = 0)");
        Comparison neither = compare(doc("bench", HERE, hollow), doc("bench", HERE, hollow), 0);
        assertThat(neither.warnings()).containsExactly("engine tiny Q4_0 java t=2 tg4 decode_tps: both runs have no samples of it (n = 0)");
    }

    @Test
    void whatADocumentHasOneValueOfIsWhatTheComparisonIsAbout() {
        var a = doc("bench", HERE, engine("tg4", "java", 50, 51, 49, 50.5, 49.5));
        var b = doc("bench", HERE, engine("tg4", "native", 80, 81, 79, 80.5, 79.5));
        Comparison c = compare(a, b, 0);
        assertThat(c.differences()).containsExactly("engine runs differ in kernels: A java, B native");
        Comparison.Row row = c.rows().getFirst();
        assertThat(row.run()).isEqualTo("tiny Q4_0 t=2 tg4");
        assertThat(row.verdict()).isEqualTo(Verdict.IMPROVEMENT);
        assertThat(row.verdictText()).isEqualTo("faster");
        assertThat(row.difference().method()).isEqualTo(Method.WELCH);
        assertThat(row.difference().ratio()).isCloseTo(1.6, within(1e-9));
        assertThat(row.difference().pValue()).isLessThan(0.001);

        // Where one side measured both kernels, kernels are part of the key: java has no partner.
        var both = doc("bench", HERE, engine("tg4", "java", 50, 51, 49), engine("tg4", "native", 80, 81, 79));
        Comparison c2 = compare(both, b, 0);
        assertThat(c2.differences()).isEmpty();
        assertThat(c2.rows()).hasSize(1);
        assertThat(c2.onlyInA()).containsExactly("engine tiny Q4_0 java t=2 tg4");
    }

    @Test
    void differentMachinesAreWarnedAbout() {
        var a = doc("bench", HERE, engine("tg4", "java", 50, 51, 49));
        var b = doc("bench", new Manifest.Machine("Intel Xeon Platinum 8488C", 8, 1L << 35, "Linux", "ci-2"), engine("tg4", "java", 50, 51, 49));
        Comparison c = compare(a, b, 0);
        assertThat(c.warnings()).singleElement().asString().startsWith("A and B come from different machines")
                .contains("AMD EPYC 9R14, 2 cores").contains("Intel Xeon Platinum 8488C, 8 cores");
        assertThat(render(c, Format.MD)).contains("warning: A and B come from different machines");
        // the same CPU on another host is another machine too; documents without a host compare by CPU
        var sameCpuElsewhere = doc("bench", new Manifest.Machine("AMD EPYC 9R14", 2, 1L << 34, "Linux", "ci-9"), engine("tg4", "java", 50, 51, 49));
        assertThat(compare(a, sameCpuElsewhere, 0).warnings()).singleElement().asString().contains("ci-1, AMD EPYC 9R14", "ci-9, AMD EPYC 9R14");
        var noHost = doc("bench", new Manifest.Machine("AMD EPYC 9R14", 2, 1L << 34, "Linux", null), engine("tg4", "java", 50, 51, 49));
        assertThat(compare(a, noHost, 0).warnings()).isEmpty();
    }

    @Test
    void lowerLatencyIsBetterAndHigherIsWorseWhileMoreTokensPerSecondIsFaster() {
        SplittableRandom random = new SplittableRandom(3);
        var a = doc("load", HERE, level(4, random, 100, 500));
        var b = doc("load", HERE, level(4, random, 150, 600));
        Comparison c = compare(a, b, 0);
        assertThat(c.rows()).extracting(Comparison.Row::figure)
                .containsExactly("output_tps", "ttft_p50", "ttft_p99", "tpot_p50", "tpot_p99", "e2e_p50");
        Comparison.Row output = c.rows().get(0), ttftP50 = c.rows().get(1);
        assertThat(output.verdict()).isEqualTo(Verdict.NOT_TESTED);
        assertThat(output.verdictText()).isEqualTo("n=1, no test");
        assertThat(output.difference().ratio()).isCloseTo(1.2, within(1e-9));
        assertThat(ttftP50.difference().method()).isEqualTo(Method.BOOTSTRAP);
        assertThat(ttftP50.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(ttftP50.verdictText()).isEqualTo("worse");
        assertThat(c.exitCode()).isEqualTo(1);
        // Reversed: lower latency is better.
        Comparison back = compare(b, a, 0);
        assertThat(back.rows().get(1).verdictText()).isEqualTo("better");
        assertThat(back.exitCode()).isZero();
    }

    @Test
    void metersPairByModelAndCompareTheirCallsAndTrainingSteps() {
        var slow = io.toks.report.ReportFixtures.meter("my-model", 1);
        var fast = io.toks.report.ReportFixtures.meter("my-model", 1.25);
        Comparison c = Comparisons.compare(slow, "slow.json", fast, "fast.json", MetricSelection.defaults(), 0.05, 0);
        assertThat(c.rows()).extracting(Comparison.Row::kind).containsOnly("meter");
        assertThat(c.rows()).extracting(Comparison.Row::run).containsOnly("my-model");
        assertThat(c.rows()).extracting(Comparison.Row::figure)
                .containsExactly("output_tps", "decode_tps", "ttft_p50", "ttft_p99", "tpot_p50", "tpot_p99", "e2e_p50", "train_tps");
        assertThat(c.rows().get(0).difference().ratio()).isCloseTo(1.25, within(1e-6));
        assertThat(c.rows().get(0).verdictText()).isEqualTo("n=1, no test");
        assertThat(c.rows().get(1).difference().method()).isEqualTo(Method.WELCH);
        assertThat(c.rows().get(1).verdictText()).isEqualTo("faster");
        assertThat(c.rows().get(2).difference().method()).isEqualTo(Method.BOOTSTRAP);
        assertThat(c.rows().get(2).verdictText()).isEqualTo("better");
        assertThat(c.exitCode()).isZero();
        assertThat(Comparisons.compare(fast, "fast.json", slow, "slow.json", MetricSelection.defaults(), 0.05, 0).exitCode()).isEqualTo(1);
        var other = io.toks.report.ReportFixtures.meter("other-model", 1);
        assertThat(Comparisons.compare(slow, "a", other, "b", MetricSelection.defaults(), 0.05, 0).differences())
                .containsExactly("meter runs differ in model: A my-model, B other-model");
    }

    @Test
    void theGateFailsOnlyForSignificantRegressionsBeyondTheThreshold() {
        var a = doc("bench", HERE, engine("tg4", "java", 100, 100.5, 99.5, 100.2, 99.8));
        var b = doc("bench", HERE, engine("tg4", "java", 95, 95.5, 94.5, 95.2, 94.8));
        Comparison strict = compare(a, b, 0.03);
        assertThat(strict.rows().getFirst().verdictText()).isEqualTo("slower");
        assertThat(strict.beyondThreshold()).isEqualTo(1);
        assertThat(strict.exitCode()).isEqualTo(1);
        Comparison lenient = compare(a, b, 0.10);
        assertThat(lenient.rows().getFirst().verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(lenient.exitCode()).isZero();
        assertThat(compare(b, a, 0).exitCode()).as("an improvement never fails").isZero();
        // Noise is no regression: 5% lower but within the spread.
        var noisy = doc("bench", HERE, engine("tg4", "java", 5, 200, 95, 10, 165));
        Comparison withNoise = compare(a, noisy, 0);
        assertThat(withNoise.exitCode()).isZero();
        // Intervals of quantities that cannot be negative stop at 0.
        assertThat(withNoise.rows().getFirst().difference().b().low()).isZero();
        assertThat(withNoise.rows().getFirst().difference().ratioLow()).isGreaterThanOrEqualTo(0);
    }

    /** A test of B sequences together (toks bench -B, in nanoseconds per repetition), as EngineBench writes it. */
    static EngineRun batch(String test, int sequences, double... nanos) {
        return EngineRun.ofBatch(test, MODEL, "java", 2, test.startsWith("pp"), Integer.parseInt(test.substring(2)), 0, sequences, nanos,
                TokenCountSource.ENGINE_IDS, null, null);
    }

    @Test
    void testsOfSeveralSequencesPairOnlyWithTheSameNumberAndCompareTheirAggregate() {
        var a = doc("bench", HERE, batch("tg4", 1, 4e7, 4.1e7), batch("tg4", 4, 8e7, 8.2e7));
        var b = doc("bench", HERE, batch("tg4", 4, 4e7, 4.1e7), batch("tg4", 2, 8e7, 8.2e7));
        Comparison c = compare(a, b, 0);
        assertThat(c.rows()).extracting(Comparison.Row::run).containsExactly("tiny Q4_0 java t=2 tg4 B=4");
        assertThat(c.rows()).extracting(Comparison.Row::figure).containsExactly("aggregate_decode_tps");
        assertThat(c.rows().getFirst().difference().ratio()).isCloseTo(2.0, org.assertj.core.api.Assertions.within(0.05));
        assertThat(c.onlyInA()).containsExactly("engine tiny Q4_0 java t=2 tg4");
        assertThat(c.onlyInB()).containsExactly("engine tiny Q4_0 java t=2 tg4 B=2");
    }

    @Test
    void metricsAreSelectedByNameAndAnUnknownNameListsTheKnownOnes() {
        var a = doc("bench", HERE, engine("pp8", "java", 100, 101, 99), engine("tg4", "java", 50, 51, 49));
        assertThat(compare(a, a, 0, "tg4").rows()).extracting(Comparison.Row::run).containsExactly("tiny Q4_0 java t=2 tg4");
        assertThat(compare(a, a, 0, "prefill_tps").rows()).extracting(Comparison.Row::figure).containsExactly("prefill_tps");
        assertThat(compare(a, a, 0, "ttft_p99").warnings()).containsExactly("--metric ttft_p99: no matched run carries it");
        assertThatThrownBy(() -> MetricSelection.of(List.of("speed"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--metric: unknown name 'speed' (known: ppN, tgN, prefill_tps, decode_tps, aggregate_decode_tps, ttft, ttft_p50")
                .hasMessageContaining("ttft_p99").hasMessageContaining("output_tps");
    }

    @Test
    void tokenizerAndHardwareRunsPairByTokenizerCorpusAndThreads() {
        var a = doc("count", HERE, tokenizer("cl100k", 10, 11, 12), tokenizer("llama3", 8, 9, 10));
        var b = doc("count", HERE, tokenizer("llama3", 8, 9, 10), tokenizer("cl100k", 10, 11, 12));
        assertThat(compare(a, b, 0).rows()).extracting(Comparison.Row::run)
                .containsExactly("cl100k on 2 files, 1000 bytes", "llama3 on 2 files, 1000 bytes");
        var hwA = doc("hw", HERE, hardware(1, 40, 41, 42), hardware(2, 70, 71, 72));
        var hwB = doc("hw", HERE, hardware(2, 70, 71, 72));
        Comparison hw = compare(hwA, hwB, 0);
        assertThat(hw.rows()).extracting(Comparison.Row::figure).containsExactly("read_bandwidth", "peak_fma");
        assertThat(hw.onlyInA()).containsExactly("hardware 1 thread");
    }

    @Test
    void jsonCarriesEveryPairForBots() throws Exception {
        var a = doc("bench", HERE, engine("tg4", "java", 50, 51, 49, 50.5, 49.5), engine("tg8", "java", 40, 41, 39));
        var b = doc("bench", HERE, engine("tg4", "java", 80, 81, 79, 80.5, 79.5));
        JsonNode json = new ObjectMapper().readTree(render(compare(a, b, 0.03), Format.JSON));
        JsonNode pair = json.get("pairs").get(0);
        assertThat(pair.get("key").asText()).isEqualTo("tiny Q4_0 java t=2 tg4");
        assertThat(pair.get("metric").asText()).isEqualTo("decode_tps");
        assertThat(pair.get("a").get("value").asDouble()).isCloseTo(50, within(1e-9));
        assertThat(pair.get("b").get("ci95_low").asDouble()).isLessThan(80);
        assertThat(pair.get("ratio").asDouble()).isCloseTo(1.6, within(1e-9));
        assertThat(pair.get("ci")).hasSize(2);
        assertThat(pair.get("p").asDouble()).isLessThan(0.001);
        assertThat(pair.get("method").asText()).isEqualTo("welch");
        assertThat(pair.get("verdict").asText()).isEqualTo("faster");
        assertThat(json.get("only_in_a").get(0).asText()).isEqualTo("engine tiny Q4_0 java t=2 tg8");
        assertThat(json.get("threshold").asDouble()).isEqualTo(0.03);
        assertThat(json.get("summary").get("improvements").asInt()).isEqualTo(1);
        assertThat(json.get("summary").get("exit_code").asInt()).isZero();
    }

    @Test
    void markdownEndsWithTheCounts() {
        var a = doc("bench", HERE, engine("tg4", "java", 50, 51, 49, 50.5, 49.5));
        var b = doc("bench", HERE, engine("tg4", "java", 40, 41, 39, 40.5, 39.5));
        String md = render(compare(a, b, 0.03), Format.MD);
        assertThat(md).contains("| tiny Q4_0 java t=2 tg4 | decode_tps (tok/s) | 50.000 [")
                .contains("| -20.0% | Welch's t | <0.001 | slower (beyond threshold) |");
        assertThat(md.strip().lines().reduce((x, y) -> y).orElseThrow())
                .isEqualTo("1 regression (1 beyond the 3% threshold), 0 improvements, 0 with no significant change, 0 not tested");
    }

    @Test
    void thresholdsAreReadAsPercent() {
        assertThat(Comparisons.parseThreshold("3%")).isCloseTo(0.03, within(1e-12));
        assertThat(Comparisons.parseThreshold("2.5")).isCloseTo(0.025, within(1e-12));
        assertThatThrownBy(() -> Comparisons.parseThreshold("-1%")).hasMessage("--threshold: expected a percentage >= 0 such as 3%, not '-1%'");
        assertThatThrownBy(() -> Comparisons.parseThreshold("fast")).hasMessageStartingWith("--threshold:");
    }

    private static LoadRun level(int concurrency, SplittableRandom random, double ttftMedian, double outputTps) {
        double[] ttft = new double[200], tpot = new double[200], e2e = new double[200];
        for (int i = 0; i < ttft.length; i++) {
            ttft[i] = ttftMedian * Math.exp(0.2 * (random.nextDouble() - 0.5));
            tpot[i] = 20 * Math.exp(0.2 * (random.nextDouble() - 0.5));
            e2e[i] = ttft[i] + 15 * tpot[i];
        }
        Map<Metric, MetricSummary> metrics = Map.of(Metric.TTFT, latency(ttft), Metric.TPOT, latency(tpot), Metric.E2E, latency(e2e),
                Metric.OUTPUT_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, outputTps));
        return new LoadRun("c=" + concurrency, concurrency, null, null, 200, 200, Map.of(), Map.of(), 10, Double.NaN, 20, 0, 0, 0,
                Map.of(), 0, Double.NaN, null, metrics);
    }

    /** As the load generator states a latency: mean, stdev, percentiles, every request's value. */
    private static MetricSummary latency(double[] samples) {
        MetricSummary s = MetricSummary.ofSamples(Unit.MILLISECONDS, samples);
        double[] sorted = samples.clone();
        java.util.Arrays.sort(sorted);
        Map<String, Double> p = Map.of("p50", sorted[99], "p90", sorted[179], "p95", sorted[189], "p99", sorted[197]);
        return new MetricSummary(Unit.MILLISECONDS, s.n(), s.mean(), s.stdev(), s.ci95Low(), s.ci95High(), s.min(), s.median(), s.max(),
                p, samples);
    }

    private static TokenizerRun tokenizer(String name, double... mbPerSecond) {
        return new TokenizerRun(name, name, "bpe", 2, 300, 1000, 1000, 200, null, null,
                Map.of(Metric.TOKENIZE_MB_PER_S, MetricSummary.ofSamples(Unit.MEGABYTES_PER_SECOND, mbPerSecond)));
    }

    private static HardwareRun hardware(int threads, double... gbs) {
        return new HardwareRun(threads + (threads == 1 ? " thread" : " threads"), threads, 1L << 24, Map.of(
                Metric.READ_BANDWIDTH, MetricSummary.ofSamples(Unit.GIGABYTES_PER_SECOND, gbs),
                Metric.PEAK_FMA, MetricSummary.ofSamples(Unit.GIGAFLOPS, 500, 510, 505)));
    }

    private static String render(Comparison c, Format format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ComparisonOutput.write(c, format, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}

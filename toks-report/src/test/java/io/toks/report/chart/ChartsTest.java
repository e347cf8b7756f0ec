package io.toks.report.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.report.LabeledDocument;
import io.toks.report.ReportFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which charts documents call for, and what each holds. */
class ChartsTest {

    /** Series per chart, in chart order. */
    static List<Integer> seriesCounts(List<ChartSpec> charts) {
        return charts.stream().map(c -> c.series().size()).toList();
    }

    @Test
    void twoBenchesCompareTestByTestAndAlongEachParameterThatVaries() {
        List<ChartSpec> charts = Charts.of(ReportFixtures.twoBenches());
        assertThat(charts).extracting(ChartSpec::title).containsExactly(
                "Prefill tok/s per test (mean, 95% CI)", "Decode tok/s per test (mean, 95% CI)",
                "tok/s against threads (mean, 95% CI)", "tok/s against prompt length (pp) (mean, 95% CI)",
                "tok/s against generation length (tg) (mean, 95% CI)");
        // Bars: a series per document; lines: per document, one per test (threads) or thread count (lengths).
        assertThat(seriesCounts(charts)).containsExactly(2, 2, 8, 4, 4);
        ChartSpec prefill = charts.get(0);
        // The kernels differ between the documents only: the series say it, the categories do not.
        assertThat(prefill.categories()).containsExactly("pp16 · 1t", "pp64 · 1t", "pp16 · 2t", "pp64 · 2t");
        assertThat(prefill.series()).extracting(ChartSeries::name).containsExactly("java", "native");
        ChartPoint pp16 = prefill.series().get(0).points().get(0);
        assertThat(pp16.y()).isEqualTo(916.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(pp16.low()).isLessThan(pp16.y());
        assertThat(pp16.high()).isGreaterThan(pp16.y());
        assertThat(charts).allMatch(c -> c.series().stream().allMatch(ChartSeries::hasIntervals));
        assertThat(charts.get(2).series()).extracting(ChartSeries::name).startsWith("java · pp16", "java · tg16");
        assertThat(charts.get(2).x().kind()).isEqualTo(AxisKind.VALUE);
    }

    @Test
    void aTrainingRunGivesItsLossCurveAndItsRate() {
        List<ChartSpec> charts = Charts.of(List.of(new LabeledDocument("tiny", ReportFixtures.train())));
        assertThat(charts).extracting(ChartSpec::title).containsExactly("Loss curve (mean cross-entropy per step)",
                "Training tok/s, steady state (mean, 95% CI)");
        assertThat(charts.get(0).series()).extracting(ChartSeries::name).containsExactly("tiny train", "tiny validation");
        assertThat(charts.get(0).series().get(0).points()).extracting(ChartPoint::y).containsExactly(6.2, 5.9, 5.5, 5.1);
        assertThat(charts.get(0).series().get(1).points()).extracting(ChartPoint::x).containsExactly(2.0, 4.0);
        assertThat(charts.get(1).series().get(0).points().get(0).y()).isEqualTo(1100.0);
    }

    @Test
    void loadLevelsGivePercentilesThroughputAndTheParetoCurve() {
        List<ChartSpec> charts = Charts.of(List.of(new LabeledDocument("server", ReportFixtures.load())));
        assertThat(charts).extracting(ChartSpec::title).containsExactly(
                "TTFT percentiles against concurrency", "ITL percentiles against concurrency",
                "TPOT percentiles against concurrency", "E2E percentiles against concurrency",
                "Output tok/s against concurrency", "Serving Pareto curve, a point per concurrency level");
        assertThat(seriesCounts(charts)).containsExactly(3, 3, 3, 3, 1, 1);
        assertThat(charts.get(0).series()).extracting(ChartSeries::name).containsExactly("p50", "p90", "p99");
        ChartSeries pareto = charts.get(5).series().get(0);
        // c=2: tpot 7 ms -> 1000/7 tok/s per user; 300 tok/s in all.
        assertThat(pareto.points().get(1).x()).isEqualTo(1000 / 7.0);
        assertThat(pareto.points().get(1).y()).isEqualTo(300.0);
        assertThat(pareto.points()).extracting(ChartPoint::label).containsExactly("c=1", "c=2", "c=4");
    }

    @Test
    void tokenizersAndHardwareGetABarOrALinePerDocument() {
        List<ChartSpec> charts = Charts.of(ReportFixtures.loadCountHw()).stream()
                .filter(c -> !c.title().contains("concurrency")).toList();
        assertThat(charts).extracting(ChartSpec::title).containsExactly(
                "Tokens of the text, by tokenizer", "Characters per token, by tokenizer", "Tokenizer speed, one thread (mean, 95% CI)",
                "Memory read bandwidth against threads (mean, 95% CI)", "Peak FP32 FMA against threads (mean, 95% CI)");
        assertThat(charts.get(0).categories()).containsExactly("cl100k", "llama3", "bert");
        assertThat(charts.get(1).series().get(0).points().get(0).y()).isEqualTo(10_000 / 2400.0);
        assertThat(charts.get(3).series().get(0).points()).extracting(ChartPoint::x).containsExactly(1.0, 2.0);
    }

    @Test
    void qualityRunsGetABarPerModelAndPrecision() {
        var f32 = new io.toks.core.result.QualityRun("ppl ctx=128", "tiny", "tiny.gguf", "F32", 1000, "java", 2, "t.txt", 1000, 128, 7, 441,
                6.5, 0.7, null, java.util.Map.of(io.toks.core.result.Metric.PERPLEXITY, io.toks.core.result.MetricSummary.single(io.toks.core.result.Unit.PERPLEXITY, 6.5)));
        var q4 = new io.toks.core.result.QualityRun("ppl ctx=128", "tiny", "tiny.gguf", "Q4_0", 250, "java", 2, "t.txt", 1000, 128, 7, 441,
                7.3, 0.8, "tiny F32", java.util.Map.of(
                        io.toks.core.result.Metric.PERPLEXITY, io.toks.core.result.MetricSummary.single(io.toks.core.result.Unit.PERPLEXITY, 7.3),
                        io.toks.core.result.Metric.KL_DIVERGENCE, io.toks.core.result.MetricSummary.ofSamples(io.toks.core.result.Unit.NATS, 0.1, 0.12, 0.11),
                        io.toks.core.result.Metric.TOP1_AGREEMENT, io.toks.core.result.MetricSummary.single(io.toks.core.result.Unit.SHARE, 0.8)));
        var doc = io.toks.core.result.ResultDocument.of("perplexity", io.toks.core.manifest.MachineFacts.manifest(null, java.util.Map.of()), List.of(f32, q4));
        List<ChartSpec> charts = Charts.of(List.of(new LabeledDocument("ppl", doc)));
        assertThat(charts).extracting(ChartSpec::title).containsExactly("Perplexity by model and precision (± 1.96 standard errors)",
                "KL divergence from the reference (mean, 95% CI)", "Top-1 agreement with the reference");
        assertThat(charts.get(0).categories()).containsExactly("tiny F32", "tiny Q4_0");
        assertThat(charts.get(1).categories()).containsExactly("tiny Q4_0"); // the reference has no divergence from itself
    }

    @Test
    void metersGetABarPerModelAndDocumentAndTheirLatencyPercentiles() {
        List<ChartSpec> charts = Charts.of(List.of(new LabeledDocument("before", ReportFixtures.meter("m", 1)),
                new LabeledDocument("after", ReportFixtures.meter("m", 1.25))));
        assertThat(charts).extracting(ChartSpec::title).containsExactly("Output tok/s per model (output tokens / window)",
                "Decode tok/s per call (mean, 95% CI)", "Training tok/s per step (mean, 95% CI)", "Latency percentiles per call and per token");
        assertThat(charts.get(0).series()).extracting(ChartSeries::name).containsExactly("before", "after");
        assertThat(charts.get(0).series().get(1).points().get(0).y() / charts.get(0).series().get(0).points().get(0).y())
                .isCloseTo(1.25, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(charts.get(3).categories()).containsExactly("ttft p50", "ttft p90", "ttft p99", "itl p50", "itl p90", "itl p99",
                "tpot p50", "tpot p90", "tpot p99", "e2e p50", "e2e p90", "e2e p99");
        assertThat(charts.get(3).series().get(0).points().get(0).y()).isEqualTo(42.0);
    }

    @Test
    void wideSweepsGoOnALogScale() {
        assertThat(NumericAxes.of("concurrency", "streams", List.of(1.0, 4.0, 16.0, 64.0)).kind()).isEqualTo(AxisKind.LOG);
        assertThat(NumericAxes.of("threads", "", List.of(1.0, 2.0, 4.0)).kind()).isEqualTo(AxisKind.VALUE);
    }

    @Test
    void slugsAreFileNameSafe() {
        var spec = new ChartSpec("Decode tok/s per test (mean, 95% CI)", Axis.category("test"), Axis.category("y"), List.of());
        assertThat(spec.slug()).isEqualTo("decode-tok-s-per-test-mean-95-ci");
    }
}

package io.toks.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.EngineRun;
import io.toks.core.result.LoadRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.QualityRun;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.core.result.Run;
import io.toks.core.result.Unit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The energy line of each command's output: one per run beside the table, or one saying why there is none. */
class EnergyLinesTest {

    static final Manifest.Energy RAPL = new Manifest.Energy("RAPL package-0", 18.2, 2, null);

    static Map<Metric, MetricSummary> energy(double joules, double seconds, double tokens) {
        Map<Metric, MetricSummary> m = new EnumMap<>(Metric.class);
        m.put(Metric.ENERGY, MetricSummary.single(Unit.JOULES, joules));
        m.put(Metric.AVERAGE_POWER, MetricSummary.single(Unit.WATTS, joules / seconds));
        m.put(Metric.IDLE_POWER, MetricSummary.single(Unit.WATTS, 18.2));
        m.put(Metric.ENERGY_ABOVE_IDLE, MetricSummary.single(Unit.JOULES, joules - 18.2 * seconds));
        m.put(Metric.TOKENS_PER_JOULE, MetricSummary.single(Unit.TOKENS_PER_JOULE, tokens / joules));
        return m;
    }

    static ResultDocument withEnergy(ResultDocument doc, Manifest.Energy facts, java.util.function.UnaryOperator<Run> each) {
        return ResultDocument.of(doc.command(), doc.manifest().withEnergy(facts), doc.runs().stream().map(each).toList());
    }

    @Test
    void benchPrintsOneLinePerTestUnderTheTableNotInIt() {
        ResultDocument doc = withEnergy(RenderersTest.bench(), RAPL, r -> ((EngineRun) r).withMetrics(energy(512, 12.4, 1500)));
        String out = RenderersTest.render(doc, Format.MD);
        assertThat(out).contains("energy tg16 t=2: 512 J, 41.3 W average (idle 18.2 W, RAPL package-0), 2.93 tok/J");
        String header = out.lines().findFirst().orElseThrow();
        assertThat(header).doesNotContain("J");
    }

    @Test
    void testsOfSeveralModelsAreTold() {
        ResultDocument a = ReportFixtures.bench("alpha", "java-vector-256bit", 1), b = ReportFixtures.bench("beta", "java-vector-256bit", 1);
        List<Run> runs = new java.util.ArrayList<>(a.runs());
        runs.addAll(b.runs());
        ResultDocument doc = withEnergy(ResultDocument.of("bench", a.manifest(), runs), RAPL,
                r -> ((EngineRun) r).withMetrics(energy(10, 1, 100)));
        String out = RenderersTest.render(doc, Format.MD);
        assertThat(out).contains("energy pp16 alpha Q8_0 t=1: 10.0 J", "energy pp16 beta Q8_0 t=2: 10.0 J");
    }

    @Test
    void whereNothingCouldBeReadTheOutputSaysSoInOneLine() {
        Manifest.Energy none = Manifest.Energy.notMeasured("no RAPL counters under /sys/class/powercap, no nvidia-smi on PATH");
        String out = RenderersTest.render(withEnergy(RenderersTest.bench(), none, r -> r), Format.MD);
        assertThat(out.lines().filter(l -> l.startsWith("energy")).toList())
                .containsExactly("energy: not measured (no RAPL counters under /sys/class/powercap, no nvidia-smi on PATH)");
    }

    @Test
    void aSourceThatFailedMidwayKeepsWhatItMeasuredAndSaysWhy() {
        var failed = new Manifest.Energy("nvidia-smi power.draw, 1 GPU", 60, 2, "nvidia-smi stopped sampling (exit status 4)");
        ResultDocument bench = RenderersTest.bench();
        EngineRun measured = ((EngineRun) bench.runs().get(0)).withMetrics(energy(100, 1, 50));
        ResultDocument doc = ResultDocument.of("bench", bench.manifest().withEnergy(failed), List.of(measured, bench.runs().get(0)));
        String out = RenderersTest.render(doc, Format.MD);
        assertThat(out).contains("energy tg16 t=2: 100 J, 100.0 W average (idle 18.2 W, nvidia-smi power.draw, 1 GPU), 0.500 tok/J",
                "energy: incomplete, nvidia-smi power.draw, 1 GPU stopped (nvidia-smi stopped sampling (exit status 4))");
    }

    @Test
    void aDocumentWithoutEnergyFactsPrintsNoEnergyLine() {
        assertThat(RenderersTest.render(RenderersTest.bench(), Format.MD)).doesNotContain("energy");
    }

    @Test
    void loadNotesCarryEachLevelsEnergy() {
        ResultDocument doc = withEnergy(ReportFixtures.load(), RAPL, r -> ((LoadRun) r).withMetrics(energy(300, 10, 6000)));
        String out = RenderersTest.render(doc, Format.MD);
        assertThat(out).contains("c=2:\n", "  energy: 300 J, 30.0 W average (idle 18.2 W, RAPL package-0), 20.0 tok/J (prompt and output tokens over the whole level)");

        Manifest.Energy elsewhere = Manifest.Energy.notMeasured("the server at 192.0.2.7 runs on another machine, whose power this machine cannot read");
        assertThat(RenderersTest.render(withEnergy(ReportFixtures.load(), elsewhere, r -> r), Format.MD))
                .contains("energy: not measured (the server at 192.0.2.7 runs on another machine");
    }

    @Test
    void perplexityStatesTokensScoredPerJoule() {
        var run = new QualityRun("ppl ctx=64", "tiny", "tiny.gguf", "Q4_0", 2048, "java", 1, "text.txt", 1000, 64, 3, 93, 12.5, 0.4, null,
                Map.of(Metric.PERPLEXITY, MetricSummary.single(Unit.PERPLEXITY, 12.5),
                        Metric.PREFILL_TPS, MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, 100, 110, 105)));
        ResultDocument doc = ResultDocument.of("perplexity", RenderersTest.bench().manifest().withEnergy(RAPL),
                List.of(run.withMetrics(energy(3.1, 0.5, 93))));
        assertThat(RenderersTest.render(doc, Format.MD)).contains("energy tiny Q4_0: 3.10 J, 6.2 W average (idle 18.2 W, RAPL package-0), 30.0 tok/J (tokens scored per joule)");
    }

    @Test
    void energyFactsAndFiguresReadBackFromJson() {
        ResultDocument doc = withEnergy(RenderersTest.bench(), RAPL, r -> ((EngineRun) r).withMetrics(energy(512, 12.4, 1500)));
        ResultDocument back = ResultJson.read(ResultJson.write(doc));
        assertThat(back.manifest().energy()).isEqualTo(RAPL);
        assertThat(back.runs().get(0).metric(Metric.ENERGY_ABOVE_IDLE).mean()).isCloseTo(512 - 18.2 * 12.4, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(ResultJson.write(back)).isEqualTo(ResultJson.write(doc));
        // A document written before toks measured energy has no "energy" in its manifest: it reads, with none.
        String old = ResultJson.write(RenderersTest.bench()).replaceAll(",\\s*\"energy\" : null", "");
        assertThat(old).doesNotContain("\"energy\"");
        assertThat(ResultJson.read(old).manifest().energy()).isNull();
    }

    @Test
    void significantDigits() {
        assertThat(EnergyLines.significant(512.4)).isEqualTo("512");
        assertThat(EnergyLines.significant(12345)).isEqualTo("12300");
        assertThat(EnergyLines.significant(0.012345)).isEqualTo("0.0123");
        assertThat(EnergyLines.significant(2.9)).isEqualTo("2.90");
        assertThat(EnergyLines.significant(Double.NaN)).isEqualTo("n/a");
    }
}

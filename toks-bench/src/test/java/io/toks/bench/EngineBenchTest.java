package io.toks.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.toks.bench.engine.BenchPlan;
import io.toks.bench.engine.BenchProgress;
import io.toks.bench.engine.EngineBench;
import io.toks.bench.engine.Roofline;
import io.toks.bench.output.Format;
import io.toks.bench.output.JsonResults;
import io.toks.bench.output.ResultWriter;
import io.toks.core.ToksException;
import io.toks.core.events.Clock;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.result.BenchRecord;
import io.toks.core.result.BenchReport;
import io.toks.engine.ModelLoader;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.synth.Preset;
import io.toks.engine.synth.SyntheticModels;
import io.toks.engine.synth.WeightRecipe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class EngineBenchTest {

    static final LlamaModel MODEL = ModelLoader.loadEmbedded();

    static BenchPlan plan(List<Integer> pp, List<Integer> tg, List<Integer> threads, int reps) {
        return new BenchPlan(pp, tg, threads, reps, 0, 42, 0);
    }

    @Test
    void sweepsTheCartesianProductWithEveryRepetitionKept() {
        List<BenchRecord> seen = new ArrayList<>();
        List<BenchRecord> records = new EngineBench(MODEL, Clock.SYSTEM)
                .run(plan(List.of(8, 16), List.of(4), List.of(1, 2), 3), BenchProgress.SILENT, seen::add);
        assertThat(records).extracting(r -> r.test() + "/t" + r.threads())
                .containsExactly("pp8/t1", "pp16/t1", "tg4/t1", "pp8/t2", "pp16/t2", "tg4/t2");
        assertThat(seen).isEqualTo(records);
        for (BenchRecord r : records) {
            assertThat(r.samples()).hasSize(3);
            for (double s : r.samples()) assertThat(s).isPositive().isFinite();
            assertThat(r.tokensPerSecond().n()).isEqualTo(3);
            assertThat(r.tokensPerSecond().min()).isLessThanOrEqualTo(r.tokensPerSecond().max());
            assertThat(r.params()).isEqualTo(MODEL.weights().parameterCount());
            assertThat(r.type()).isEqualTo("F32");
        }
    }

    @Test
    void tokensPerSecondIsTokensOverMeasuredTime() {
        // A fake clock advancing 1 ms per reading: each timed section spans exactly one tick.
        var ticks = new AtomicLong();
        Clock fake = () -> ticks.getAndAdd(1_000_000L);
        List<BenchRecord> records = new EngineBench(MODEL, fake)
                .run(plan(List.of(32), List.of(8), List.of(1), 2), BenchProgress.SILENT, r -> {});
        assertThat(records.get(0).samples()).containsOnly(32 / 0.001);
        assertThat(records.get(1).samples()).containsOnly(8 / 0.001);
    }

    @Test
    void aFailureMidwayKeepsTheRowsAlreadyMeasured() {
        var out = new ByteArrayOutputStream();
        var writer = new ResultWriter(Format.JSON, new PrintStream(out, true, StandardCharsets.UTF_8),
                MachineFacts.manifest(EngineBench.targetFacts(MODEL), Map.of()));
        BenchProgress failOnSecondTest = (what, rep, of, tps) -> {
            if (what.startsWith("tg")) throw new ToksException("interrupted");
        };
        assertThatThrownBy(() -> {
            try {
                new EngineBench(MODEL, Clock.SYSTEM).run(plan(List.of(8), List.of(4), List.of(1), 1), failOnSecondTest, writer::accept);
            } finally {
                writer.finish();
            }
        }).hasMessage("interrupted");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"test\" : \"pp8\"").doesNotContain("tg4");
    }

    @Test
    void jsonDocumentReadsBackWithManifest() throws Exception {
        var out = new ByteArrayOutputStream();
        var manifest = MachineFacts.manifest(EngineBench.targetFacts(MODEL), Map.of("seed", 42));
        var writer = new ResultWriter(Format.JSON, new PrintStream(out, true, StandardCharsets.UTF_8), manifest);
        new EngineBench(MODEL, Clock.SYSTEM).run(plan(List.of(8), List.of(4), List.of(1), 2), BenchProgress.SILENT, writer::accept);
        writer.finish();
        BenchReport report = JsonResults.readDocument(out.toString(StandardCharsets.UTF_8));
        assertThat(report.schema()).isEqualTo(BenchReport.SCHEMA_VERSION);
        assertThat(report.records()).hasSize(2);
        assertThat(report.manifest().cores()).isPositive();
        assertThat(report.manifest().target()).containsEntry("model_sha256", MODEL.info().sha256())
                .containsKeys("kernels", "vector_bits", "weight_type");
        assertThat(MODEL.info().sha256()).hasSize(64);
    }

    /** Untied 70000 x 256 F32 output matrix: 72 MB read per token, above the cache-resident size. */
    static LlamaModel fromDram() {
        LlamaModel model = SyntheticModels.build(Preset.custom(256, 512, 1, 4, 2, 70_000, 128), WeightRecipe.parse("f32"), 7);
        assertThat(Roofline.readsFromMemory(model)).isTrue();
        return model;
    }

    @Test
    void memoryShareIsAgainstTheMedianOfBandwidthSampledAroundTheRepetitions() {
        LlamaModel fromDram = fromDram();
        List<Integer> sampledAtThreads = new ArrayList<>();
        double[] readings = {40, 100, 50, 45}; // GB/s: 3 repetitions -> 4 samples, median 47.5
        IntToDoubleFunction sampler = threads -> {
            sampledAtThreads.add(threads);
            return readings[sampledAtThreads.size() - 1];
        };
        Roofline upFront = new Roofline(100e9, 1e15); // compute never binds here
        BenchRecord r = new EngineBench(fromDram, Clock.SYSTEM)
                .run(plan(List.of(), List.of(2), List.of(1), 3), BenchProgress.SILENT, x -> {}, t -> upFront, sampler).get(0);

        assertThat(sampledAtThreads).containsExactly(1, 1, 1, 1);
        Map<?, ?> roofline = (Map<?, ?>) r.extra().get("roofline");
        assertThat(roofline.get("bound")).isEqualTo("memory");
        assertThat(roofline.get("bandwidth_gbs")).isEqualTo(47.5);
        assertThat(roofline.get("bandwidth_samples_gbs")).isEqualTo(List.of(40.0, 100.0, 50.0, 45.0));
        double bytesPerToken = (double) roofline.get("bytes_per_token");
        double mean = r.tokensPerSecond().mean();
        assertThat((double) roofline.get("share")).isCloseTo(mean * bytesPerToken / 47.5e9, within(1e-12));
        assertThat((double) roofline.get("share_of_up_front_bandwidth")).isCloseTo(mean * bytesPerToken / 100e9, within(1e-12));
    }

    @Test
    void decodePausesForBandwidthSamplesOutsideItsTimedSections() {
        var ticks = new AtomicLong();
        Clock fake = () -> ticks.getAndAdd(1_000_000L); // 1 ms per reading; the sampler reads none
        List<Integer> calls = new ArrayList<>();
        BenchRecord r = new EngineBench(fromDram(), fake).run(plan(List.of(), List.of(70), List.of(1), 1), BenchProgress.SILENT,
                x -> {}, t -> new Roofline(100e9, 1e15), t -> {
                    calls.add(t);
                    return 50;
                }).get(0);
        // Before the repetition, after tokens 32 and 64, after the repetition.
        assertThat(calls).hasSize(4);
        // Three timed sections of one tick each: the samples' time is not the decode's.
        assertThat(r.samples()).containsExactly(70 / 0.003);
    }

    @Test
    void cacheResidentModelsAreNotSampled() {
        List<Integer> calls = new ArrayList<>();
        BenchRecord r = new EngineBench(MODEL, Clock.SYSTEM).run(plan(List.of(), List.of(2), List.of(1), 2), BenchProgress.SILENT,
                x -> {}, t -> new Roofline(100e9, 1e12), t -> {
                    calls.add(t);
                    return 1;
                }).get(0);
        assertThat(calls).isEmpty();
        assertThat(((Map<?, ?>) r.extra().get("roofline")).get("bound")).isEqualTo("cache");
    }

    @Test
    void contextTooSmallForTheLongestTestIsRejectedUpFront() {
        assertThatThrownBy(() -> new EngineBench(MODEL, Clock.SYSTEM)
                .run(plan(List.of(1024), List.of(), List.of(1), 1), BenchProgress.SILENT, r -> {}))
                .isInstanceOf(ToksException.class).hasMessageContaining("1024").hasMessageContaining("context of 512");
    }
}

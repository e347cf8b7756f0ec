package io.toks.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.toks.bench.engine.BenchPlan;
import io.toks.bench.engine.BenchProgress;
import io.toks.bench.engine.BenchTest;
import io.toks.bench.engine.EngineBench;
import io.toks.bench.engine.Roofline;
import io.toks.bench.engine.RooflineSource;
import io.toks.core.ToksException;
import io.toks.core.events.Clock;
import io.toks.core.events.TokenCountSource;
import io.toks.core.result.EngineRun;
import io.toks.core.result.Metric;
import io.toks.core.result.RooflineShare;
import io.toks.engine.ModelLoader;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.synth.Preset;
import io.toks.engine.synth.SyntheticModels;
import io.toks.engine.synth.WeightRecipe;
import java.util.ArrayList;
import java.util.List;
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
        List<EngineRun> seen = new ArrayList<>();
        List<EngineRun> records = new EngineBench(MODEL, Clock.SYSTEM)
                .run(plan(List.of(8, 16), List.of(4), List.of(1, 2), 3), BenchProgress.SILENT, seen::add);
        assertThat(records).extracting(r -> r.name() + "/t" + r.nThreads())
                .containsExactly("pp8/t1", "pp16/t1", "tg4/t1", "pp8/t2", "pp16/t2", "tg4/t2");
        assertThat(seen).isEqualTo(records);
        for (EngineRun r : records) {
            assertThat(r.samplesTs()).hasSize(3).isEqualTo(r.tokensPerSecond().samples());
            for (double s : r.samplesTs()) assertThat(s).isPositive().isFinite();
            assertThat(r.tokensPerSecond().n()).isEqualTo(3);
            assertThat(r.tokensPerSecond().min()).isLessThanOrEqualTo(r.tokensPerSecond().max());
            assertThat(r.avgTs()).isEqualTo(r.tokensPerSecond().mean());
            assertThat(r.modelNParams()).isEqualTo(MODEL.weights().parameterCount());
            assertThat(r.modelType()).isEqualTo("F32");
            assertThat(r.countSource()).isEqualTo(TokenCountSource.ENGINE_IDS);
            assertThat(r.metrics()).containsKey(r.prefill() ? Metric.PREFILL_TPS : Metric.DECODE_TPS);
            // llama-bench's time per repetition: tokens / tok/s
            int tokens = r.prefill() ? r.nPrompt() : r.nGen();
            for (int i = 0; i < 3; i++) assertThat(r.samplesNs()[i]).isCloseTo(tokens * 1e9 / r.samplesTs()[i], within(1e-3));
        }
    }

    /** tgN is N single-token passes from an empty cache: N positions, so a model's whole context is a valid tgN. */
    @Test
    void aDecodeTestAsLongAsTheContextFits() {
        int context = MODEL.config().contextLength();
        var plan = new BenchPlan(List.of(0), List.of(context), List.of(1), 1, 0, 42, 0, List.of(0));
        assertThat(plan.contextNeeded()).isEqualTo(context);
        EngineBench.checkFits(MODEL, plan);
        List<EngineRun> records = new EngineBench(MODEL, Clock.SYSTEM).run(plan, BenchProgress.SILENT, r -> {});
        assertThat(records).extracting(EngineRun::name).containsExactly("tg" + context);
        var tooLong = new BenchPlan(List.of(0), List.of(context + 1), List.of(1), 1, 0, 42, 0, List.of(0));
        assertThatThrownBy(() -> EngineBench.checkFits(MODEL, tooLong)).hasMessageContaining("test needs " + (context + 1) + " positions");
    }

    @Test
    void atADepthTheCacheIsFilledUntimedFirst() {
        // A fake clock advancing 1 ms per reading: the untimed prefill of the depth must not count.
        var ticks = new AtomicLong();
        Clock fake = () -> ticks.getAndAdd(1_000_000L);
        var plan = new BenchPlan(List.of(16), List.of(8), List.of(1), 2, 0, 42, 0, List.of(0, 100));
        assertThat(plan.contextNeeded()).isEqualTo(100 + 16);
        List<EngineRun> records = new EngineBench(MODEL, fake).run(plan, BenchProgress.SILENT, r -> {});
        assertThat(records).extracting(EngineRun::name).containsExactly("pp16", "tg8", "pp16 @ d100", "tg8 @ d100");
        assertThat(records).extracting(EngineRun::nDepth).containsExactly(0, 0, 100, 100);
        assertThat(records.get(2).samplesTs()).containsOnly(16 / 0.001);
        assertThat(records.get(3).samplesTs()).containsOnly(8 / 0.001);
        var tooDeep = new BenchPlan(List.of(16), List.of(), List.of(1), 1, 0, 42, 0, List.of(500));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineBench.checkFits(MODEL, tooDeep))
                .hasMessageContaining("test needs 516 positions");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} cache")
    @org.junit.jupiter.params.provider.EnumSource(io.toks.core.estimate.KvCacheType.class)
    void theRooflineCountsTheKvCacheReadAtADepth(io.toks.core.estimate.KvCacheType cache) {
        var c = MODEL.config();
        Roofline limits = new Roofline(100e9, 1e15);
        var atZero = limits.of(MODEL, new BenchTest(BenchTest.Kind.DECODE, 128, 0), cache, 1000, 1);
        var atDepth = limits.of(MODEL, new BenchTest(BenchTest.Kind.DECODE, 128, 4096), cache, 1000, 1);
        // keys and values (2) of every layer, kv_dim elements of the cache's type at each of 4096 more positions
        assertThat(atDepth.bytesPerToken() - atZero.bytesPerToken())
                .isCloseTo(2.0 * c.layers() * c.kvDim() * cache.bytesPerElement() * 4096, within(1e-6));
        assertThat(atDepth.flopsPerToken()).isGreaterThan(atZero.flopsPerToken());
    }

    @Test
    void everyCacheTypeOfThePlanGetsItsOwnRunsRecordingIt() {
        var plan = new BenchPlan(List.of(), List.of(4), List.of(1), 1, 0, 42, 0, List.of(0), List.of(1),
                List.of(io.toks.core.estimate.KvCacheType.F32, io.toks.core.estimate.KvCacheType.Q8_0));
        List<EngineRun> records = new EngineBench(MODEL, Clock.SYSTEM).run(plan, BenchProgress.SILENT, r -> {});
        assertThat(records).extracting(EngineRun::cacheType).containsExactly("f32", "q8_0");
    }

    @Test
    void tokensPerSecondIsTokensOverMeasuredTime() {
        // A fake clock advancing 1 ms per reading: each timed section spans exactly one tick.
        var ticks = new AtomicLong();
        Clock fake = () -> ticks.getAndAdd(1_000_000L);
        List<EngineRun> records = new EngineBench(MODEL, fake)
                .run(plan(List.of(32), List.of(8), List.of(1), 2), BenchProgress.SILENT, r -> {});
        assertThat(records.get(0).samplesTs()).containsOnly(32 / 0.001);
        assertThat(records.get(1).samplesTs()).containsOnly(8 / 0.001);
    }

    @Test
    void severalSequencesCountTheTokensOfAllOfThemOverOneTimedSection() {
        // A fake clock advancing 1 ms per reading: each test's timed section spans exactly one tick,
        // the B prompts' prefills together and the N batched steps together.
        var ticks = new AtomicLong();
        Clock fake = () -> ticks.getAndAdd(1_000_000L);
        var plan = new BenchPlan(List.of(16), List.of(8), List.of(1), 2, 0, 42, 0, List.of(0), List.of(1, 3));
        List<EngineRun> records = new EngineBench(MODEL, fake).run(plan, BenchProgress.SILENT, r -> {});
        assertThat(records).extracting(r -> r.name() + " B=" + r.nParallel()).containsExactly("pp16 B=1", "pp16 B=3", "tg8 B=1", "tg8 B=3");
        assertThat(records.get(1).metrics().get(Metric.PREFILL_TPS).samples()).containsOnly(3 * 16 / 0.001);
        assertThat(records.get(1).metrics().get(Metric.TTFT).samples()).containsOnly(1.0); // the batch's time to first token, ms
        assertThat(records.get(3).metrics().get(Metric.DECODE_TPS).samples()).containsOnly(8 / 0.001); // per sequence
        assertThat(records.get(3).metrics().get(Metric.AGGREGATE_DECODE_TPS).samples()).containsOnly(3 * 8 / 0.001);
        assertThat(records.get(3).samplesTs()).containsOnly(3 * 8 / 0.001);
        assertThat(records.get(3).nGen()).isEqualTo(8);
        assertThat(plan.contextNeeded()).as("each sequence has a cache of its own").isEqualTo(16);
    }

    @Test
    void oneSequenceIsTodaysLlamaBenchTest() {
        var ticks = new AtomicLong();
        var otherTicks = new AtomicLong();
        List<EngineRun> plain = new EngineBench(MODEL, () -> otherTicks.getAndAdd(1_000_000L))
                .run(plan(List.of(16), List.of(8), List.of(1), 2), BenchProgress.SILENT, r -> {});
        List<EngineRun> one = new EngineBench(MODEL, () -> ticks.getAndAdd(1_000_000L)).run(new BenchPlan(List.of(16), List.of(8), List.of(1), 2, 0, 42, 0, List.of(0), List.of(1)),
                BenchProgress.SILENT, r -> {});
        assertThat(one).extracting(EngineRun::name).isEqualTo(plain.stream().map(EngineRun::name).toList());
        assertThat(one).extracting(EngineRun::nParallel).containsOnly(1);
        for (int i = 0; i < 2; i++) assertThat(one.get(i).samplesTs()).isEqualTo(plain.get(i).samplesTs());
        // N tokens over the time of N forward passes, as before -B: pp N / prefill time, tg N / time of N decodes
        assertThat(one.get(0).samplesTs()).containsOnly(16 / 0.001);
        assertThat(one.get(1).samplesTs()).containsOnly(8 / 0.001);
        assertThat(one.get(1).metrics().keySet()).containsExactlyElementsOf(plain.get(1).metrics().keySet()).containsExactly(Metric.DECODE_TPS);
        assertThat(one.get(0).metrics().keySet()).containsExactly(Metric.PREFILL_TPS, Metric.TTFT);
    }

    @Test
    void theRooflineReadsTheWeightsOncePerStepOfSeveralSequences() {
        var shape = io.toks.engine.ModelShapes.of(MODEL);
        Roofline limits = new Roofline(100e9, 1e15);
        var one = limits.of(MODEL, new BenchTest(BenchTest.Kind.DECODE, 64, 0, 1), io.toks.core.estimate.KvCacheType.F16, 1000, 1);
        var four = limits.of(MODEL, new BenchTest(BenchTest.Kind.DECODE, 64, 0, 4), io.toks.core.estimate.KvCacheType.F16, 1000, 1);
        double kv = one.bytesPerToken() - shape.bytesReadPerToken(); // each sequence still reads its own cache
        assertThat(four.bytesPerToken()).isCloseTo(shape.bytesReadPerToken() / 4 + kv, within(1e-6));
        assertThat(four.flopsPerToken()).isEqualTo(one.flopsPerToken());
    }

    @Test
    void aFailureMidwayHasHandedOnTheTestsAlreadyMeasured() {
        List<EngineRun> seen = new ArrayList<>();
        BenchProgress failOnSecondTest = (what, rep, of, tps) -> {
            if (what.startsWith("tg")) throw new ToksException("interrupted");
        };
        assertThatThrownBy(() -> new EngineBench(MODEL, Clock.SYSTEM)
                .run(plan(List.of(8), List.of(4), List.of(1), 1), failOnSecondTest, seen::add)).hasMessage("interrupted");
        assertThat(seen).extracting(EngineRun::name).containsExactly("pp8");
    }

    @Test
    void modelFactsNameTheFileAndItsHash() {
        var facts = EngineBench.modelFacts(MODEL, null);
        assertThat(facts.sha256()).isEqualTo(MODEL.info().sha256()).hasSize(64);
        assertThat(facts.weightType()).isEqualTo("F32");
        assertThat(facts.params()).isEqualTo(MODEL.weights().parameterCount());
        assertThat(EngineBench.target(List.of()).kernels().vectorBits()).isPositive();
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
        EngineRun r = new EngineBench(fromDram, Clock.SYSTEM)
                .run(plan(List.of(), List.of(2), List.of(1), 3), BenchProgress.SILENT, x -> {}, RooflineSource.of(t -> upFront, sampler)).get(0);

        assertThat(sampledAtThreads).containsExactly(1, 1, 1, 1);
        RooflineShare roofline = r.roofline();
        assertThat(roofline.bound()).isEqualTo("memory");
        assertThat(roofline.bandwidthGbs()).isEqualTo(47.5);
        assertThat(roofline.bandwidthSamplesGbs()).containsExactly(40.0, 100.0, 50.0, 45.0);
        double bytesPerToken = roofline.bytesPerToken();
        double mean = r.tokensPerSecond().mean();
        assertThat(roofline.share()).isCloseTo(mean * bytesPerToken / 47.5e9, within(1e-12));
        assertThat(roofline.shareOfUpFrontBandwidth()).isCloseTo(mean * bytesPerToken / 100e9, within(1e-12));
        assertThat(r.metric(Metric.MBU).mean()).isEqualTo(roofline.share());
    }

    @Test
    void decodePausesForBandwidthSamplesOutsideItsTimedSections() {
        var ticks = new AtomicLong();
        Clock fake = () -> ticks.getAndAdd(1_000_000L); // 1 ms per reading; the sampler reads none
        List<Integer> calls = new ArrayList<>();
        EngineRun r = new EngineBench(fromDram(), fake).run(plan(List.of(), List.of(70), List.of(1), 1), BenchProgress.SILENT,
                x -> {}, RooflineSource.of(t -> new Roofline(100e9, 1e15), t -> {
                    calls.add(t);
                    return 50;
                })).get(0);
        // Before the repetition, after tokens 32 and 64, after the repetition.
        assertThat(calls).hasSize(4);
        // Three timed sections of one tick each: the samples' time is not the decode's.
        assertThat(r.samplesTs()).containsExactly(70 / 0.003);
    }

    @Test
    void cacheResidentModelsAreNotSampled() {
        List<Integer> calls = new ArrayList<>();
        EngineRun r = new EngineBench(MODEL, Clock.SYSTEM).run(plan(List.of(), List.of(2), List.of(1), 2), BenchProgress.SILENT,
                x -> {}, RooflineSource.of(t -> new Roofline(100e9, 1e12), t -> {
                    calls.add(t);
                    return 1;
                })).get(0);
        assertThat(calls).isEmpty();
        assertThat(r.roofline().bound()).isEqualTo("cache");
        assertThat(r.metrics()).doesNotContainKeys(Metric.MBU, Metric.MFU);
    }

    @Test
    void contextTooSmallForTheLongestTestIsRejectedUpFront() {
        assertThatThrownBy(() -> new EngineBench(MODEL, Clock.SYSTEM)
                .run(plan(List.of(1024), List.of(), List.of(1), 1), BenchProgress.SILENT, r -> {}))
                .isInstanceOf(ToksException.class).hasMessageContaining("1024").hasMessageContaining("context of 512");
    }
}

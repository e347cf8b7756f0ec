package io.toks.core.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.toks.core.hardware.Precision;
import io.toks.core.hardware.SpecCatalog;
import org.junit.jupiter.api.Test;

/** The estimate formulas of docs/metrics.md on shapes small enough to count by hand. */
class EstimatorTest {

    /**
     * dim 8, ffn 16, 2 layers, 2 heads of 4 (dense: kv heads = heads), vocab 10, F16 weights.
     * Per layer: q, k, v, o 8x8 = 4 x 64 and gate, up, down 3 x 8x16 = 384: 640; x 2 = 1280;
     * + output 10x8 = 80: 1360 multiplied per token. Tied: the same 80 are the embedding.
     */
    private static final ModelShape DENSE = new ModelShape("dense", "F16", 8, 16, 2, 2, 2, 4, 10, 64,
            1280 + 80 + 2 * 16 + 8, 1360, 2L * 1360, 2L * 1360);

    /** Same widths with grouped-query attention: 4 heads of 2, one kv head (kv dim 2). */
    private static final ModelShape GQA = new ModelShape("gqa", "F16", 8, 16, 2, 4, 1, 2, 10, 64,
            2 * (64 + 16 + 16 + 64 + 384) + 80 + 40, 2 * (64 + 16 + 16 + 64 + 384) + 80, 2L * 1168, 2L * 1168);

    private static final HardwareLimits HW = new HardwareLimits("test", HardwareLimits.Origin.MEASURED, 1, 1000, 10_000,
            Precision.FP32, 1e6, "by hand");

    @Test
    void decodeCountsEveryWeightOnceAndTheKvCacheAtItsDepth() {
        // ctx 5: kv read = 2 x 2 layers x 8 kv dim x 4 bytes x 5 = 640; flops = 2 x 1360 + 4 x 2 x 2 x 4 x 5 = 3040
        var b = Estimator.decode(DENSE, HW, KvCacheType.F32, 1, 5);
        assertThat(b.bytesPerToken()).isEqualTo(2720 + 640);
        assertThat(b.flopsPerToken()).isEqualTo(3040);
        assertThat(b.memoryLimitTps()).isCloseTo(1000.0 / 3360, within(1e-12));
        assertThat(b.computeLimitTps()).isCloseTo(10_000.0 / 3040, within(1e-12));
        assertThat(b.bound()).isEqualTo("memory");
        assertThat(b.tps()).isEqualTo(b.memoryLimitTps());
    }

    @Test
    void groupedQueryAttentionCachesOnlyTheKvHeads() {
        // kv dim 2: 2 x 2 layers x 2 x 2 bytes (f16) x 100 positions = 1600 bytes; attention flops use all 4 heads
        assertThat(TokenCost.kvBytesRead(GQA, KvCacheType.F16, 100)).isEqualTo(1600);
        assertThat(TokenCost.kvBytesRead(DENSE, KvCacheType.F16, 100)).isEqualTo(6400);
        assertThat(TokenCost.attentionFlops(GQA, 100)).isEqualTo(4.0 * 2 * 4 * 2 * 100);
        assertThat(TokenCost.kvBytesHeld(GQA, KvCacheType.Q8_0, 32)).isEqualTo(2.0 * 2 * 2 * 34);
    }

    @Test
    void concurrentSequencesShareOneWeightReadButNotTheirCaches() {
        // 4 sequences at ctx 10: step = 2720 + 4 x (2 x 2 x 8 x 2 x 10 = 640) = 5280; per token 1320
        var b = Estimator.decode(DENSE, HW, KvCacheType.F16, 4, 10);
        assertThat(b.bytesPerToken()).isEqualTo(1320);
        assertThat(b.memoryLimitTps()).isCloseTo(1000.0 / 1320, within(1e-12));
    }

    @Test
    void prefillReadsTheWeightsOncePerBatchAndTheOutputMatrixOncePerPrompt() {
        // 16 tokens, batch 8, no depth: average context 8.5; bytes (2720 + 2 x 2 x 8 x 4 x 8.5) / 8 = (2720 + 1088) / 8
        var b = Estimator.prefill(DENSE, HW, KvCacheType.F32, 16, 8, 0);
        assertThat(b.bytesPerToken()).isEqualTo((2720 + 1088) / 8.0);
        // flops: 2 x 1280 + 2 x 80 / 16 + 4 x 2 x 2 x 4 x 8.5 = 2560 + 10 + 544
        assertThat(b.flopsPerToken()).isEqualTo(2560 + 10 + 544);
        // at a depth of 100 the average context is 108.5
        assertThat(Estimator.prefill(DENSE, HW, KvCacheType.F32, 16, 8, 100).flopsPerToken()).isEqualTo(2560 + 10 + 4 * 2 * 2 * 4 * 108.5);
    }

    @Test
    void memoryIsWeightsPlusEveryCacheAtTheFullContext() {
        var e = Estimator.inference(DENSE, HW, new InferenceWorkload(64, 3, 512, KvCacheType.F16));
        assertThat(e.weightBytes()).isEqualTo(2720);
        assertThat(e.kvCacheBytes()).isEqualTo(3 * 2.0 * 2 * 8 * 2 * 64);
        assertThat(e.memoryBytes()).isEqualTo(2720 + 3 * 4096);
        assertThat(e.fits()).isTrue();
        assertThat(e.decodeFull().bytesPerToken()).isGreaterThan(e.decodeEmpty().bytesPerToken());
        assertThat(e.prefill().bytesPerToken()).isEqualTo((2720 + 2.0 * 2 * 8 * 2 * 32.5) / 64); // batch capped at the prompt
    }

    @Test
    void llama32OneBillionHasItsPublishedParameterCountAndKvFootprint() {
        // Per layer q 2048x2048, k and v 512x2048, o 2048x2048, three 8192x2048 feed-forward matrices
        long layer = 2L * 2048 * 2048 + 2L * 512 * 2048 + 3L * 8192 * 2048;
        long output = 128256L * 2048;
        var m = new ModelShape("llama-3.2-1b", "BF16", 2048, 8192, 16, 32, 8, 64, 128256, 131072,
                16 * layer + output + 16 * 2 * 2048 + 2048, 16 * layer + output, 2 * (16 * layer + output), 2 * (16 * layer + output));
        assertThat(m.parameters()).isEqualTo(1_235_814_400L); // "1.24B"
        assertThat(TokenCost.kvBytesHeld(m, KvCacheType.F16, 1)).isEqualTo(32 * 1024); // 32 KiB per position
        var h100 = HardwareLimits.of(SpecCatalog.builtIn().named("h100-sxm"), Precision.BF16, 1);
        var decode = Estimator.decode(m, h100, KvCacheType.F16, 1, 0);
        assertThat(decode.tps()).isCloseTo(3350e9 / (2.0 * m.matmulParameters()), within(1e-6));
        assertThat(decode.bound()).isEqualTo("memory");
    }

    @Test
    void trainingTimeIsSixNdPlusTheAttentionTermOverPeakTimesMfu() {
        var a100x8 = HardwareLimits.of(SpecCatalog.builtIn().named("a100-sxm"), Precision.BF16, 8);
        assertThat(a100x8.peakFlopsPerSecond()).isEqualTo(8 * 312e12);
        var t = TrainingEstimate.of(DENSE, a100x8, 1e12, 64, 0.4);
        double perToken = 6.0 * 1360 + 12.0 * 2 * 2 * 4 * 64;
        assertThat(t.flopsPerToken()).isEqualTo(perToken);
        assertThat(t.seconds()).isCloseTo(1e12 * perToken / (8 * 312e12 * 0.4), within(1e-9));
        assertThatThrownBy(() -> TrainingEstimate.of(DENSE, a100x8, 1e12, 64, 1.5)).hasMessageContaining("mfu must be in (0, 1]");
    }

    @Test
    void aSheetWithoutThePrecisionSaysWhichItHas() {
        assertThatThrownBy(() -> HardwareLimits.of(SpecCatalog.builtIn().named("rtx-5090"), Precision.BF16, 1))
                .hasMessageContaining("states no bf16 peak (it states: fp32, fp4)");
        assertThatThrownBy(() -> new ModelShape("x", "F32", 8, 16, 2, 3, 2, 4, 10, 64, 100, 50, 1, 1))
                .hasMessageContaining("multiple of kv heads");
    }
}

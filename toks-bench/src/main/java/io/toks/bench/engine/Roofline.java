package io.toks.bench.engine;

import io.toks.engine.model.LlamaConfig;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.model.LlamaWeights;
import io.toks.core.result.RooflineShare;

/**
 * How close a measured rate is to what the machine allows. A test is bound either by memory
 * (every weight byte must be read once per forward pass; prefill reads them once per batch of
 * {@code batch} tokens) or by arithmetic (2 FLOPs per weight per token, plus attention). The
 * smaller of the two rate limits binds; the share reported is the measured rate over that limit
 * ({@code mbu} when memory binds, {@code mfu} when compute binds; docs/metrics.md).
 *
 * @param bandwidthBytesPerSecond measured memory read bandwidth at the test's thread count
 * @param peakFlopsPerSecond      measured peak FP32 FMA throughput at the test's thread count
 */
public record Roofline(double bandwidthBytesPerSecond, double peakFlopsPerSecond) {

    /**
     * Weights smaller than this are read from the CPU caches, not from DRAM, so the measured DRAM
     * bandwidth is no limit for them: such tests get bound "cache" and no share (the embedded
     * 1 MB model is one). 64 MiB is above the last-level cache of current server CPUs' core
     * complexes.
     */
    static final long CACHE_RESIDENT_BYTES = 64L << 20;

    /** The verdict for one test. */
    public record Share(String bound, double limitTps, double share, double bytesPerToken, double flopsPerToken) {
        /** This verdict as the result document states it, with the bandwidth it is against. */
        RooflineShare toRecord(double bandwidthGbs, String bandwidthSource, double[] bandwidthSamplesGbs,
                               double upFrontBandwidthGbs, double shareOfUpFrontBandwidth) {
            return new RooflineShare(bound, limitTps, share, bytesPerToken, flopsPerToken, bandwidthGbs, bandwidthSource,
                    bandwidthSamplesGbs, upFrontBandwidthGbs, shareOfUpFrontBandwidth);
        }
    }

    /** The same peak FLOPs with another bandwidth (one measured around a test's repetitions). */
    public Roofline withBandwidth(double bytesPerSecond) {
        return new Roofline(bytesPerSecond, peakFlopsPerSecond);
    }

    /** Whether the model's weights come from DRAM at all (else its tests are bound "cache"). */
    public static boolean readsFromMemory(LlamaModel model) {
        return model.weights().bytesReadPerToken() >= CACHE_RESIDENT_BYTES;
    }

    public Share of(LlamaModel model, BenchTest test, double tps, int batch) {
        LlamaConfig c = model.config();
        LlamaWeights w = model.weights();
        int n = test.tokens();
        boolean prefill = test.kind() == BenchTest.Kind.PREFILL;
        // Positions attended over, on average: the depth already cached plus half the test's own.
        double averageContext = test.depth() + (n + 1) / 2.0;
        // Attention per token: q.k and the weighted sum of v over the cached positions, every head.
        double attentionFlops = 4.0 * c.layers() * c.heads() * c.headSize() * averageContext;
        double kvBytes = 2.0 * c.layers() * c.kvDim() * 4 * averageContext;
        long layerParams = w.parameterCount() - (long) c.vocabSize() * c.dim() * (w.classifier() == w.tokenEmbedding() ? 1 : 2);
        long classifierParams = (long) c.vocabSize() * c.dim();
        double flops;
        double bytes;
        if (prefill) {
            // Logits only for the last prompt token; weights read once per batch.
            flops = 2.0 * layerParams + 2.0 * classifierParams / n + attentionFlops;
            bytes = (double) w.bytesReadPerToken() / Math.min(batch, n) + kvBytes;
        } else {
            flops = 2.0 * (layerParams + classifierParams) + attentionFlops;
            bytes = w.bytesReadPerToken() + kvBytes;
        }
        double computeLimit = peakFlopsPerSecond / flops;
        if (!readsFromMemory(model)) {
            return new Share("cache", computeLimit, Double.NaN, bytes, flops);
        }
        double memoryLimit = bandwidthBytesPerSecond / bytes;
        boolean memoryBound = memoryLimit <= computeLimit;
        double limit = memoryBound ? memoryLimit : computeLimit;
        return new Share(memoryBound ? "memory" : "compute", limit, tps / limit, bytes, flops);
    }
}

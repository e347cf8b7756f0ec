package io.toks.bench.engine;

import io.toks.core.estimate.KvCacheType;
import io.toks.core.estimate.ModelShape;
import io.toks.core.estimate.TokenCost;
import io.toks.core.result.RooflineShare;
import io.toks.engine.ModelShapes;
import io.toks.engine.model.LlamaModel;

/**
 * How close a measured rate is to what the machine allows. A test is bound either by memory
 * (every weight byte must be read once per forward pass; prefill reads them once per batch of
 * {@code batch} tokens, a decode step of B sequences once for all B) or by arithmetic (2 FLOPs per weight per token, plus attention): the
 * counts are {@link TokenCost}'s, the same {@code toks estimate} uses. The
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

    /**
     * The KV cache type a run of the engine used, as its record states it; runs recorded before
     * the engine had a choice kept F32.
     */
    public static KvCacheType cacheOf(io.toks.core.result.EngineRun run) {
        return run.cacheType() == null ? KvCacheType.F32 : KvCacheType.ofKey(run.cacheType());
    }

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

    /** The verdict for a test run with the given KV cache type (the bytes it reads at depth). */
    public Share of(LlamaModel model, BenchTest test, KvCacheType cache, double tps, int batch) {
        ModelShape shape = ModelShapes.of(model);
        int n = test.tokens();
        // Positions attended over, on average: the depth already cached plus half the test's own.
        double context = TokenCost.averageContext(test.depth(), n);
        double flops;
        double bytes;
        if (test.kind() == BenchTest.Kind.PREFILL) {
            flops = TokenCost.prefillFlops(shape, n, context);
            bytes = TokenCost.prefillBytes(shape, cache, Math.min(batch, n), context);
        } else {
            flops = TokenCost.decodeFlops(shape, context);
            // A step of B sequences reads the weights once for all of them, each its own KV cache.
            int b = test.sequences();
            bytes = (TokenCost.decodeBytes(shape, cache, context) + (b - 1) * TokenCost.kvBytesRead(shape, cache, context)) / b;
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

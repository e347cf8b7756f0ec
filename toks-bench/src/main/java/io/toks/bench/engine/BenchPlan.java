package io.toks.bench.engine;

import io.toks.core.estimate.KvCacheType;
import io.toks.engine.model.InferenceSession;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code toks bench} runs, as data: llama-bench's sweep of prompt lengths ({@code pp}),
 * generation lengths ({@code tg}) and thread counts, each test repeated.
 *
 * @param promptLengths   prefill tests: tokens per prompt (0 entries are skipped)
 * @param genLengths      decode tests: tokens generated (0 entries are skipped)
 * @param threads         thread counts to sweep
 * @param repetitions     timed repetitions per test
 * @param warmups         untimed runs before the timed ones (JIT compilation, caches)
 * @param seed            seed of the random prompt tokens
 * @param jitWarmupMillis untimed running of all tests before the first measurement, once per run
 * @param depths          tokens in the KV cache before each test, untimed (llama-bench's -d)
 * @param sequences       sequences run together per test (llama-batched-bench's B; 1: llama-bench's tests)
 * @param cacheTypes      KV cache element types to sweep, like thread counts (llama.cpp's -ctk/-ctv)
 */
public record BenchPlan(List<Integer> promptLengths, List<Integer> genLengths, List<Integer> threads,
                        int repetitions, int warmups, long seed, int jitWarmupMillis, List<Integer> depths, List<Integer> sequences,
                        List<KvCacheType> cacheTypes) {

    /** Most sequences one test may run together: each holds a KV cache of its own. */
    public static final int MAX_SEQUENCES = 256;

    /** A plan with the engine's default KV cache type. */
    public BenchPlan(List<Integer> promptLengths, List<Integer> genLengths, List<Integer> threads,
                     int repetitions, int warmups, long seed, int jitWarmupMillis, List<Integer> depths, List<Integer> sequences) {
        this(promptLengths, genLengths, threads, repetitions, warmups, seed, jitWarmupMillis, depths, sequences,
                List.of(InferenceSession.DEFAULT_CACHE));
    }

    /** A plan on an empty context (depth 0). */
    public BenchPlan(List<Integer> promptLengths, List<Integer> genLengths, List<Integer> threads,
                     int repetitions, int warmups, long seed, int jitWarmupMillis) {
        this(promptLengths, genLengths, threads, repetitions, warmups, seed, jitWarmupMillis, List.of(0));
    }

    /** A plan of one sequence per test, with the engine's default KV cache type. */
    public BenchPlan(List<Integer> promptLengths, List<Integer> genLengths, List<Integer> threads,
                     int repetitions, int warmups, long seed, int jitWarmupMillis, List<Integer> depths) {
        this(promptLengths, genLengths, threads, repetitions, warmups, seed, jitWarmupMillis, depths, List.of(1));
    }

    public BenchPlan {
        cacheTypes = List.copyOf(cacheTypes);
        if (cacheTypes.isEmpty()) throw new IllegalArgumentException("at least one KV cache type is needed");
        depths = List.copyOf(depths);
        if (depths.isEmpty()) throw new IllegalArgumentException("at least one depth is needed (0: an empty context)");
        for (int d : depths) if (d < 0) throw new IllegalArgumentException("depth must be >= 0, got " + d);
        sequences = List.copyOf(sequences);
        if (sequences.isEmpty()) throw new IllegalArgumentException("at least one sequence count is needed (1: one sequence)");
        for (int b : sequences) {
            if (b < 1 || b > MAX_SEQUENCES) throw new IllegalArgumentException("sequences must be between 1 and " + MAX_SEQUENCES + ", got " + b);
        }
        promptLengths = List.copyOf(promptLengths);
        genLengths = List.copyOf(genLengths);
        threads = List.copyOf(threads);
        for (int p : promptLengths) if (p < 0) throw new IllegalArgumentException("prompt length must be >= 0, got " + p);
        for (int n : genLengths) if (n < 0) throw new IllegalArgumentException("generation length must be >= 0, got " + n);
        for (int t : threads) if (t < 1 || t > 1024) throw new IllegalArgumentException("threads must be between 1 and 1024, got " + t);
        if (threads.isEmpty()) throw new IllegalArgumentException("at least one thread count is needed");
        if (repetitions < 1) throw new IllegalArgumentException("repetitions must be >= 1, got " + repetitions);
        if (jitWarmupMillis < 0) throw new IllegalArgumentException("JIT warm-up must be >= 0 ms, got " + jitWarmupMillis);
        if (warmups < 0) throw new IllegalArgumentException("warm-up runs must be >= 0, got " + warmups);
    }

    /**
     * The tests of one thread setting, in llama-bench's order: for each depth, all pp, then all tg;
     * each for every sequence count in turn (llama-batched-bench's innermost loop), so a test's
     * rows read as its scaling with B.
     */
    public List<BenchTest> tests() {
        List<BenchTest> tests = new ArrayList<>();
        for (int d : depths) {
            for (int p : promptLengths) if (p > 0) for (int b : sequences) tests.add(new BenchTest(BenchTest.Kind.PREFILL, p, d, b));
            for (int n : genLengths) if (n > 0) for (int b : sequences) tests.add(new BenchTest(BenchTest.Kind.DECODE, n, d, b));
        }
        return tests;
    }

    /** The most sequences any test runs together. */
    public int maxSequences() {
        return sequences.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    /**
     * Positions the longest test needs in each sequence's KV cache: its depth, then one per token
     * it feeds (a tgN's N single-token passes take N, as llama-bench's).
     */
    public int contextNeeded() {
        int max = 1;
        for (BenchTest t : tests()) max = Math.max(max, t.depth() + t.tokens());
        return max;
    }
}

package io.toks.core.result;

import io.toks.core.stats.Summary;
import java.util.Map;

/**
 * One row of a benchmark: one test (llama-bench style {@code pp512} or {@code tg128}) on one
 * model with one setting, measured over repetitions.
 *
 * @param model        model name
 * @param sizeBytes    bytes of weights
 * @param params       number of weights
 * @param type         weight type, e.g. F32
 * @param threads      worker threads the engine used
 * @param test         {@code ppN} (prefill of N prompt tokens) or {@code tgN} (N decode steps)
 * @param promptTokens tokens prefilled in this test
 * @param genTokens    tokens generated in this test
 * @param tokensPerSecond summary of tok/s over the repetitions
 * @param samples      tok/s of every repetition, in run order, so the summary can be recomputed
 * @param countSource  how the token counts were known
 * @param extra        target-specific facts (kernels that ran, vector width)
 */
public record BenchRecord(String model, long sizeBytes, long params, String type, int threads,
                          String test, int promptTokens, int genTokens, Summary tokensPerSecond,
                          double[] samples, String countSource, Map<String, Object> extra) {
}

package io.toks.bench.load;

import java.util.List;

/**
 * The raw outcome of one load level: every request, and the client's own cost.
 *
 * @param shape            the offered load
 * @param startNanos       when the level began
 * @param endNanos         when its last request ended
 * @param results          every request, in completion order
 * @param clientCpuSeconds CPU time the whole client process used during the level (-1 if unknown)
 */
public record LevelRun(LoadShape shape, long startNanos, long endNanos, List<RequestResult> results,
                       double clientCpuSeconds) {}

package io.toks.history;

/**
 * One stored run as {@code toks history} lists it.
 *
 * @param documentId the document it belongs to (what {@code export} writes whole)
 * @param seq        its place in the document, from 0
 * @param command    the command that measured it
 * @param createdAt  when the document was started, ISO-8601 UTC
 * @param machine    the host name, or the CPU model when the document has none
 * @param model      the model, or null (count, hw)
 * @param modelType  the weight type, or null
 * @param test       the run's name: {@code tg128}, {@code c=4}, {@code cl100k}, {@code 2 threads}
 * @param threads    threads, or null where a run has none
 * @param kernels    the engine's kernels, or null
 * @param metric     the headline metric's name ({@code decode_tps}, {@code output_tps}, ...)
 * @param unit       its unit
 * @param value      its mean (NaN when not measured)
 * @param ci95Low    its 95% interval (NaN when undefined)
 * @param ci95High   its 95% interval (NaN when undefined)
 * @param complete   whether the command ended (false: it stopped before, and these are the runs it measured)
 */
public record HistoryEntry(long documentId, int seq, String command, String createdAt, String machine, String model,
                           String modelType, String test, Integer threads, String kernels, String metric, String unit,
                           double value, double ci95Low, double ci95High, boolean complete) {}

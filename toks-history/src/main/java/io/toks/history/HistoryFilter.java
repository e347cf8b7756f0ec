package io.toks.history;

import java.time.Instant;

/**
 * Which stored runs a query returns; null fields do not filter. Text matches ignore case:
 * {@code model} and {@code machine} match anywhere in the name (the machine's host name or CPU
 * model), {@code test}, {@code type} and {@code command} match whole.
 *
 * @param model   the model's name, e.g. {@code stories260K}
 * @param test    the run's name, e.g. {@code tg128}, {@code c=4}, {@code cl100k}
 * @param type    the weight type, e.g. {@code q4_0}
 * @param machine host name or CPU model
 * @param command bench, load, count, hw
 * @param since   documents created at or after this instant
 * @param limit   at most this many runs (newest first); null for all
 */
public record HistoryFilter(String model, String test, String type, String machine, String command, Instant since, Integer limit) {

    public HistoryFilter {
        if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be at least 1");
    }

    /** Every run. */
    public static HistoryFilter all() {
        return new HistoryFilter(null, null, null, null, null, null, null);
    }

    public HistoryFilter withModel(String value) {
        return new HistoryFilter(value, test, type, machine, command, since, limit);
    }

    public HistoryFilter withTest(String value) {
        return new HistoryFilter(model, value, type, machine, command, since, limit);
    }

    public HistoryFilter withType(String value) {
        return new HistoryFilter(model, test, value, machine, command, since, limit);
    }

    public HistoryFilter withMachine(String value) {
        return new HistoryFilter(model, test, type, value, command, since, limit);
    }

    public HistoryFilter withCommand(String value) {
        return new HistoryFilter(model, test, type, machine, value, since, limit);
    }

    public HistoryFilter withSince(Instant value) {
        return new HistoryFilter(model, test, type, machine, command, value, limit);
    }

    public HistoryFilter withLimit(Integer value) {
        return new HistoryFilter(model, test, type, machine, command, since, value);
    }
}

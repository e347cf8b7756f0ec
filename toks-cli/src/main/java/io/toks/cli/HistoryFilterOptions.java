package io.toks.cli;

import io.toks.history.HistoryFilter;
import io.toks.history.HistoryLocation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The store {@code toks history} reads and which of its runs it selects (list and export). */
final class HistoryFilterOptions {

    private static final Pattern AGE = Pattern.compile("(\\d+)([mhdw])");

    @Option(names = "--history", paramLabel = "URL",
            description = "The store to read: a file, jdbc:sqlite:FILE or jdbc:postgresql://... Default: $TOKS_HISTORY, else ~/.toks/history.db.")
    String history;

    @Option(names = "--model", paramLabel = "M", description = "Runs of models whose name contains M (any case).")
    String model;

    @Option(names = "--test", paramLabel = "TEST", description = "Runs of this test: tg128, pp512, c=4, cl100k, '1 thread'.")
    String test;

    @Option(names = "--type", paramLabel = "TYPE", description = "Runs of this weight type: q4_0, f32, ...")
    String type;

    @Option(names = "--machine", paramLabel = "H", description = "Runs on machines whose host name or CPU model contains H.")
    String machine;

    @Option(names = "--command", paramLabel = "CMD", description = "Runs of this command: bench, load, count, hw.")
    String command;

    @Option(names = "--since", paramLabel = "WHEN", description = "Runs from this age on (30m, 12h, 7d, 2w) or this date (2026-11-01, UTC).")
    String since;

    @Option(names = "--limit", paramLabel = "N", description = "At most N (runs for the list, documents for export), newest.")
    Integer limit;

    HistoryLocation location() {
        HistoryLocation location = HistoryLocation.resolve(history);
        if (location == null) throw new IllegalArgumentException("--history none: there is no store to read");
        return location;
    }

    HistoryFilter filter() {
        return new HistoryFilter(model, test, type, machine, command, since == null ? null : since(since, Instant.now()), limit);
    }

    /** {@code 7d} before {@code now}, or the start (UTC) of a date, or an instant. */
    static Instant since(String value, Instant now) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        Matcher age = AGE.matcher(v);
        if (age.matches()) {
            Duration unit = switch (age.group(2)) {
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            try {
                return now.minus(unit.multipliedBy(Long.parseLong(age.group(1))));
            } catch (RuntimeException tooLong) {
                throw new IllegalArgumentException("--since " + value + ": too long ago");
            }
        }
        try {
            return LocalDate.parse(value.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return Instant.parse(value.strip());
            } catch (DateTimeParseException notAnInstant) {
                throw new IllegalArgumentException("--since " + value + ": give an age (30m, 12h, 7d, 2w) or a date (2026-11-01)");
            }
        }
    }
}

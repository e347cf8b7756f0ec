package io.toks.cli.progress;

import java.io.PrintStream;

/**
 * How long work shows that it is alive, on stderr only (stdout carries the results, which must
 * stay machine-readable): a redrawn bar on a terminal, plain periodic lines in a log, or nothing.
 * A command opens one {@link ProgressTask} per piece of work whose result it prints next, and
 * closes it before printing, so a bar never runs into a table row.
 */
public interface Progress {

    /**
     * Starts showing a piece of work.
     *
     * @param name  what it is ("[2/6] tg128 t=2")
     * @param total how many units it has, or -1 when unknown
     * @param unit  what a unit is, for the reader ("reps", "requests", "MB", "s")
     */
    ProgressTask start(String name, long total, String unit);

    /** A passing remark ("measuring memory bandwidth ..."), shown until the next one or the next task. */
    void note(String message);

    /** Removes a remark or bar still shown, before results are printed. */
    default void clear() {}

    /** Shows nothing. */
    Progress NONE = new Progress() {
        @Override public ProgressTask start(String name, long total, String unit) {
            return ProgressTask.NONE;
        }

        @Override public void note(String message) {}
    };

    /** The display a mode asks for, on {@code err}. */
    static Progress of(ProgressMode mode, PrintStream err) {
        return switch (mode.resolve()) {
            case BAR -> new BarProgress(err, -1);
            case LOG -> new LogProgress(err, LogProgress.DEFAULT_INTERVAL_NANOS, false);
            case QUIET_LOG -> new LogProgress(err, LogProgress.DEFAULT_INTERVAL_NANOS, true);
            case NONE -> NONE;
            case AUTO -> throw new AssertionError("resolved above");
        };
    }
}

package io.toks.cli.progress;

import java.util.Locale;

/** {@code --progress}: what long work shows on stderr. */
public enum ProgressMode {
    /** A bar when stderr is a terminal, else a line every few seconds once the work runs long. */
    AUTO,
    /** A bar redrawn in place (also when stderr is not a terminal). */
    BAR,
    /** Plain lines: when each piece of work starts, every few seconds, and when it ends. */
    LOG,
    /** What AUTO means in a pipe: lines only for work that runs longer than the interval. */
    QUIET_LOG,
    NONE;

    public static ProgressMode parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "bar" -> BAR;
            case "log" -> LOG;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("--progress must be auto, bar, log or none, got '" + s + "'");
        };
    }

    /** AUTO decided for this process: a bar only on an interactive terminal. */
    ProgressMode resolve() {
        if (this != AUTO) return this;
        var console = System.console();
        return console != null && console.isTerminal() ? BAR : QUIET_LOG;
    }
}

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

    /** AUTO decided for this process: a bar only when stderr, where progress goes, is a terminal. */
    ProgressMode resolve() {
        if (this != AUTO) return this;
        return stderrIsTerminal() ? BAR : QUIET_LOG;
    }

    /**
     * Java tells whether stdin and stdout are a terminal ({@code Console.isTerminal()}), not
     * stderr; on Linux, /proc says where stderr goes: {@code bench -o json > r.json} on a terminal
     * still shows its bar, {@code 2> log} writes plain lines. Elsewhere the console's answer is used.
     */
    private static boolean stderrIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException notLinux) {
            var console = System.console();
            return console != null && console.isTerminal();
        }
    }
}

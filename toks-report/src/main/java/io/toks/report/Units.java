package io.toks.report;

import java.util.Locale;

/** Human-readable sizes and counts, as llama-bench prints them. */
public final class Units {

    private Units() {}

    public static String bytes(long b) {
        if (b >= 1L << 30) return String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
        if (b >= 1L << 20) return String.format(Locale.ROOT, "%.2f MiB", b / (double) (1L << 20));
        if (b >= 1L << 10) return String.format(Locale.ROOT, "%.2f KiB", b / 1024.0);
        return b + " B";
    }

    public static String count(long n) {
        if (n >= 1_000_000_000L) return String.format(Locale.ROOT, "%.2f B", n / 1e9);
        if (n >= 1_000_000L) return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        if (n >= 1_000L) return String.format(Locale.ROOT, "%.2f K", n / 1e3);
        return Long.toString(n);
    }

    /** Seconds as a duration with a unit that keeps three significant digits or so. */
    public static String duration(double seconds) {
        if (Double.isNaN(seconds)) return "n/a";
        if (seconds >= 1) return String.format(Locale.ROOT, "%.3fs", seconds);
        if (seconds >= 1e-3) return String.format(Locale.ROOT, "%.3fms", seconds * 1e3);
        return String.format(Locale.ROOT, "%.1fµs", seconds * 1e6);
    }
}

package io.toks.cli.progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Plain lines for logs and pipes: one every {@code interval} while work goes on, and, unless
 * {@code quiet}, one when each piece of work starts and ends. Quiet (the default in a pipe) keeps
 * short work silent and still tells a CI log that a long sweep is alive.
 */
final class LogProgress implements Progress {

    static final long DEFAULT_INTERVAL_NANOS = 10_000_000_000L;

    private final PrintStream err;
    private final long intervalNanos;
    private final boolean quiet;

    LogProgress(PrintStream err, long intervalNanos, boolean quiet) {
        this.err = err;
        this.intervalNanos = intervalNanos;
        this.quiet = quiet;
    }

    @Override
    public ProgressTask start(String name, long total, String unit) {
        long start = System.nanoTime();
        if (!quiet) line(name + ": started" + (total > 0 ? ", " + total + " " + unit : ""));
        return new ProgressTask() {
            private long done;
            private String message = "";
            private long lastLine = start;
            private boolean spoke = !quiet;

            @Override public synchronized void doneSoFar(long units) {
                done = units;
                long now = System.nanoTime();
                if (now - lastLine >= intervalNanos) {
                    lastLine = now;
                    spoke = true;
                    line(name + ": " + status(now));
                }
            }

            @Override public synchronized void message(String message) {
                this.message = message;
            }

            @Override public synchronized void close() {
                if (spoke) line(name + ": done, " + status(System.nanoTime()).replaceAll(", (sweep )?ETA [^,]*", ""));
            }

            private String status(long now) {
                double seconds = (now - start) / 1e9;
                StringBuilder s = new StringBuilder();
                s.append(done);
                if (total > 0) s.append('/').append(total);
                s.append(' ').append(unit).append(String.format(Locale.ROOT, " in %.1f s", seconds));
                if (!message.isEmpty()) s.append(", ").append(message);
                if (total > 0 && done > 0 && done < total) {
                    s.append(String.format(Locale.ROOT, ", ETA %.0f s", seconds * (total - done) / done));
                }
                return s.toString();
            }
        };
    }

    @Override
    public void note(String message) {
        if (!quiet) line(message);
    }

    private void line(String text) {
        err.println("toks: " + text);
        err.flush();
    }
}

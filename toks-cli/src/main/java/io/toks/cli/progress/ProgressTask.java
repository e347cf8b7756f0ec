package io.toks.cli.progress;

/** One piece of work being shown. Thread-safe: load requests finish on many threads. */
public interface ProgressTask extends AutoCloseable {

    /** Sets how many units are done. */
    void doneSoFar(long units);

    /** What the work has found so far ("41,234 t/s", "p50 TTFT 41 ms"). */
    void message(String message);

    /** Ends the display (a bar is cleared, a log gets its last line); then the result is printed. */
    @Override
    void close();

    ProgressTask NONE = new ProgressTask() {
        @Override public void doneSoFar(long units) {}
        @Override public void message(String message) {}
        @Override public void close() {}
    };
}

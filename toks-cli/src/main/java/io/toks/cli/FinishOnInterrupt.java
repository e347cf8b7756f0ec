package io.toks.cli;

import io.toks.core.result.ResultDocument;
import io.toks.report.ResultWriter;
import java.io.PrintWriter;

/**
 * Ctrl-C (SIGINT) and SIGTERM end the JVM through its shutdown hooks, past every {@code finally}
 * block, so a command's {@code writer.finish()} never runs. This hook finishes the document
 * instead, with the runs accepted so far, marked incomplete: {@code --out} is written, {@code -o
 * json} prints it, and the history store keeps its runs as incomplete, as when the process dies.
 * Closed (the hook removed) when the command ends on its own.
 */
final class FinishOnInterrupt implements AutoCloseable {

    static final String WHY = "interrupted (Ctrl-C or SIGTERM) before the command finished";

    private final String command;
    private final ResultWriter writer;
    private final PrintWriter err;
    private final Thread hook;

    private FinishOnInterrupt(String command, ResultWriter writer, PrintWriter err) {
        this.command = command;
        this.writer = writer;
        this.err = err;
        this.hook = new Thread(this::finishNow, "toks-" + command + "-interrupted");
    }

    /** Finishes {@code writer} if the process is stopped before {@link #close()}. */
    static FinishOnInterrupt register(String command, ResultWriter writer, PrintWriter err) {
        FinishOnInterrupt finisher = new FinishOnInterrupt(command, writer, err);
        Runtime.getRuntime().addShutdownHook(finisher.hook);
        return finisher;
    }

    /** What the hook does when the process is stopped (a test calls it directly). */
    void finishNow() {
        try {
            ResultDocument document = writer.interrupt(WHY);
            if (document.incomplete() == null) return; // the command had finished: nothing was cut short
            err.printf("%ntoks %s: interrupted; the result holds the %d run(s) measured before (marked incomplete)%n", command,
                    document.runs().size());
        } catch (RuntimeException e) {
            // A --out that cannot be written: said, since the JVM is going down and nothing else will say it.
            err.println("toks: error: " + e.getMessage());
        }
        err.flush();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs (or ran): the JVM is already stopping.
        }
    }
}

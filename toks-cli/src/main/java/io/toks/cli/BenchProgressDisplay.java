package io.toks.cli;

import io.toks.bench.engine.BenchProgress;
import io.toks.cli.progress.Progress;
import io.toks.cli.progress.ProgressTask;
import java.util.Locale;

/** A bench sweep on the progress display: test i of n, the rate of the last repetition, the sweep's ETA. */
final class BenchProgressDisplay implements BenchProgress {

    private final Progress display;
    private final int tests;
    private final long sweepStart = System.nanoTime();
    private int started;
    private ProgressTask task = ProgressTask.NONE;

    BenchProgressDisplay(Progress display, int tests) {
        this.display = display;
        this.tests = tests;
    }

    @Override
    public void warmingUp(long millis) {
        display.note("JIT warm-up, " + millis + " ms ...");
    }

    @Override
    public void testStarted(String what, int repetitions) {
        started++;
        task = display.start("[" + started + "/" + tests + "] " + what, repetitions, "reps");
        task.message(sweepEta());
    }

    @Override
    public void repetitionDone(String what, int repetition, int of, double tokensPerSecond) {
        task.doneSoFar(repetition);
        String eta = sweepEta();
        task.message(String.format(Locale.ROOT, "%.2f t/s%s", tokensPerSecond, eta.isEmpty() ? "" : ", " + eta));
        if (repetition == of) close(); // the test's row is printed next
    }

    /** Ends the display of a test cut short by a failure. */
    void close() {
        task.close();
        task = ProgressTask.NONE;
    }

    /** Time left for the whole sweep, from the tests done so far (each test costs about the same). */
    private String sweepEta() {
        int done = started - 1;
        if (done < 1 || started > tests) return "";
        double perTest = (System.nanoTime() - sweepStart) / 1e9 / done;
        long seconds = Math.round(perTest * (tests - done));
        return String.format(Locale.ROOT, "sweep ETA %d:%02d", seconds / 60, seconds % 60);
    }
}

package io.toks.cli;

import io.toks.bench.load.LoadShape;
import io.toks.bench.load.RequestResult;
import io.toks.bench.load.RunLength;
import io.toks.cli.progress.Progress;
import io.toks.cli.progress.ProgressTask;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * A load level on the progress display: requests done (or seconds sent, for a timed level), and
 * the live figures a user watches: requests ok and failed, output tok/s and the median TTFT so far.
 * Requests end on many threads at once: every method is synchronized, and costs O(1) per request
 * (a histogram, and the message rebuilt at most every {@link #MESSAGE_EVERY_NANOS}), so the
 * display never makes the client the bottleneck.
 */
final class LoadProgressDisplay {

    private static final long MESSAGE_EVERY_NANOS = 250_000_000L;

    private final Progress display;
    private final Histogram ttftMicros = new Histogram(3);
    private long lastMessage;
    private ProgressTask task = ProgressTask.NONE;
    private RunLength length;
    private long levelStart;
    private int ok, failed;
    private long outputTokens;

    LoadProgressDisplay(Progress display) {
        this.display = display;
    }

    synchronized void levelStarted(LoadShape shape, RunLength length) {
        this.length = length;
        levelStart = System.nanoTime();
        ok = failed = 0;
        outputTokens = 0;
        ttftMicros.reset();
        lastMessage = 0;
        task = length.duration() == null
                ? display.start(shape.label(), length.requests(), "requests")
                : display.start(shape.label(), length.duration().toSeconds(), "s");
    }

    synchronized void requestDone(RequestResult r) {
        if (r.ok()) {
            ok++;
            outputTokens += Math.max(0, r.outputTokens());
            long ttft = r.metrics().ttftNanos();
            if (ttft >= 0) ttftMicros.recordValue(Math.max(1, ttft / 1000));
        } else {
            failed++;
        }
        long now = System.nanoTime(), elapsed = now - levelStart;
        task.doneSoFar(length.duration() == null ? ok + failed : Math.min(length.duration().toSeconds(), elapsed / 1_000_000_000L));
        if (now - lastMessage >= MESSAGE_EVERY_NANOS) showFigures(now);
    }

    private void showFigures(long now) {
        lastMessage = now;
        task.message(String.format(Locale.ROOT, "ok %d, failed %d, %.1f output tok/s, p50 TTFT %s", ok, failed,
                outputTokens / ((now - levelStart) / 1e9), ttftMicros.getTotalCount() == 0 ? "-"
                        : String.format(Locale.ROOT, "%.0f ms", ttftMicros.getValueAtPercentile(50) / 1e3)));
    }

    /** The level is measured; its row is printed next. */
    synchronized void levelDone() {
        if (task != ProgressTask.NONE) showFigures(System.nanoTime()); // the last word is the whole level's
        task.close();
        task = ProgressTask.NONE;
    }
}

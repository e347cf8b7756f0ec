package io.toks.bench.load;

import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Measures how late the host wakes a thread that asked to sleep 200 µs, over and over, while a
 * test runs beside it: the scheduling delay every thread of the process suffers on this host at
 * this moment (another tenant's load, CPU steal). Tests of timing accuracy allow this much more.
 */
final class SchedulingJitterProbe implements AutoCloseable {

    private static final long SLEEP_NANOS = 200_000;

    private final Histogram lateness = new Histogram(3);
    private final Thread thread;
    private volatile boolean running = true;

    SchedulingJitterProbe() {
        thread = Thread.ofPlatform().daemon().name("jitter-probe").start(() -> {
            while (running) {
                long start = System.nanoTime();
                LockSupport.parkNanos(SLEEP_NANOS);
                long late = System.nanoTime() - start - SLEEP_NANOS;
                synchronized (lateness) {
                    lateness.recordValue(Math.max(0, late / 1000)); // µs
                }
            }
        });
    }

    /**
     * How late the wake-ups came so far, in milliseconds: the 99th percentile, for a statistic
     * over many samples (the host's usual delay), and the worst one, for a statistic that is one
     * sample (a maximum), which may have met the host's single longest stall (a GC pause, a
     * throttled CPU quota, a busy neighbour holding both cores).
     */
    Lateness lateness() {
        synchronized (lateness) {
            if (lateness.getTotalCount() == 0) return new Lateness(0, 0);
            return new Lateness(lateness.getValueAtPercentile(99) / 1000.0, lateness.getMaxValue() / 1000.0);
        }
    }

    /** How late the host woke a sleeping thread, in milliseconds. */
    record Lateness(double p99Millis, double maxMillis) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "host jitter p99 %.3f ms, max %.3f ms", p99Millis, maxMillis);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}

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

    /** The 99th percentile of how late a wake-up came, in milliseconds. */
    double p99Millis() {
        synchronized (lateness) {
            return lateness.getTotalCount() == 0 ? 0 : lateness.getValueAtPercentile(99) / 1000.0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}

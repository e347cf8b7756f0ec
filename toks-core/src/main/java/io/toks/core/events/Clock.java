package io.toks.core.events;

/**
 * The only source of time for measurements: monotonic nanoseconds. Wall-clock time
 * ({@code System.currentTimeMillis}) jumps with NTP and is never used to time anything.
 */
@FunctionalInterface
public interface Clock {

    Clock SYSTEM = System::nanoTime;

    long nanoTime();
}

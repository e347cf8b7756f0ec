package io.toks.bench.load;

import java.time.Duration;

/** How long one load level lasts: a number of requests, or a duration of sending. */
public record RunLength(int requests, Duration duration) {

    public RunLength {
        if (duration == null && requests < 1) throw new IllegalArgumentException("requests per level must be >= 1, got " + requests);
        if (duration != null && (duration.isNegative() || duration.isZero())) throw new IllegalArgumentException("a level's duration must be > 0");
    }

    public static RunLength requests(int n) {
        return new RunLength(n, null);
    }

    public static RunLength duration(Duration d) {
        return new RunLength(0, d);
    }

    /** Whether request {@code index}, due at {@code nanos} into the level, still belongs to it. */
    boolean admits(long index, long nanosIntoLevel) {
        return duration == null ? index < requests : nanosIntoLevel < duration.toNanos();
    }

    public String describe() {
        return duration == null ? requests + " requests" : duration.toMillis() / 1000.0 + " s";
    }
}

package io.toks.core.meter;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.events.Clock;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Recording a token allocates nothing: a million {@code tokens(n)} calls after warm-up, measured
 * with the JVM's per-thread allocation counter.
 */
class TokenMeterAllocationTest {

    static final int TOKENS = 1_000_000;

    /** Advances a microsecond per reading, without allocating. */
    static final class SteppingClock implements Clock {
        private long now;

        @Override
        public long nanoTime() {
            return now += 1_000;
        }
    }

    @Test
    void theTokenPathDoesNotAllocate() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        TokenMeter meter = TokenMeter.create("m", new SteppingClock());
        // Warm-up: the JIT compiles the path, and the pooled trace grows to a million arrivals (the
        // next call borrows it back: the most recently returned trace is lent first).
        for (int round = 0; round < 3; round++) {
            try (TokenMeter.Call call = meter.start(8)) {
                stream(call);
            }
        }
        threads.getCurrentThreadAllocatedBytes();

        TokenMeter.Call call = meter.start(8);
        long before = threads.getCurrentThreadAllocatedBytes();
        stream(call);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        call.close();

        assertThat(allocated).as("bytes allocated by %,d token calls", TOKENS).isZero();
        assertThat(meter.stats().chunks()).isEqualTo(4L * TOKENS);
    }

    private static void stream(TokenMeter.Call call) {
        call.firstToken();
        for (int i = 1; i < TOKENS; i++) call.tokens(1 + (i & 1));
    }
}

package io.toks.core.meter;

import io.toks.core.events.Clock;

/** A clock that stands still until a test moves it: every figure it produces is known in advance. */
final class FakeClock implements Clock {

    private long now;

    @Override
    public long nanoTime() {
        return now;
    }

    /** Moves to {@code ms} milliseconds after the start (whole nanoseconds). */
    FakeClock at(double ms) {
        now = Math.round(ms * 1e6);
        return this;
    }
}

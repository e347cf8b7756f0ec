package io.toks.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Timespan;

/** What every toks event has: where it happened on the nanoTime clock and for how long. */
@Category("toks")
abstract class TimedEvent extends Event {

    @Label("Start (System.nanoTime)")
    long startNanos;

    @Label("Duration")
    @Timespan(Timespan.NANOSECONDS)
    long durationNanos;

    void span(long start, long end) {
        startNanos = start;
        durationNanos = Math.max(0, end - start);
    }
}

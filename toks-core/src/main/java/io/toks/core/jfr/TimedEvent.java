package io.toks.core.jfr;

import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** What every toks event has: where it happened on the nanoTime clock and for how long. */
@Category("toks")
@StackTrace(false) // where in the code is known from the event itself; walking the stack per token would cost
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

package io.toks.core.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** One request from sent (or due) to finished, as any target saw it. */
@Name("toks.Request")
@Label("Request")
@Description("A generation request: prompt and output tokens, time to first token, how it ended")
final class RequestEvent extends TimedEvent {
    @Label("Source") String source;
    @Label("Model") String model;
    @Label("Prompt tokens") int promptTokens;
    @Label("Output tokens") int outputTokens;
    @Label("Time to first token") @Timespan(Timespan.NANOSECONDS) long ttftNanos;
    @Label("Finish") String finish;
    @Label("Request id") long requestId;
}

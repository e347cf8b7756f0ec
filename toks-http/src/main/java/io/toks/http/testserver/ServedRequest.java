package io.toks.http.testserver;

/**
 * What the scripted server actually did for one request: the ground truth a client's measurements
 * are checked against. Times are {@code System.nanoTime()}, taken just before each write.
 *
 * @param requestId   the client's {@code X-Request-Id}
 * @param receivedNanos the request was completely read
 * @param writeNanos  when each text-carrying message was written, then (last element) when the
 *                    end of the stream was written (0 where the plan failed before it)
 * @param plan        what was planned
 */
public record ServedRequest(String requestId, long receivedNanos, long[] writeNanos, ResponsePlan plan) {}

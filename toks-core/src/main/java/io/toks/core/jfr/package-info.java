/**
 * Java Flight Recorder events of toks: requests, prefill, decode steps, token chunks, training
 * steps and kernels. Each carries its own {@code System.nanoTime} start and duration
 * ({@code startNanos}, {@code durationNanos}) because some are emitted after the fact (a client
 * replays a stream's events when it ends): a trace is drawn from those fields, not from JFR's
 * commit time. Disabled events cost a flag check ({@link io.toks.core.jfr.ToksEvents#kernelsEnabled()}).
 */
package io.toks.core.jfr;

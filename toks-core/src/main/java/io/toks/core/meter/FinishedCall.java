package io.toks.core.meter;

import io.toks.core.events.RequestTrace;
import io.toks.core.events.TokenCountSource;

/**
 * A call as it closed, handed to the meter's ledger.
 *
 * @param trace            its events: sent, prefill done, each arrival, finished
 * @param promptTokens     the server's prompt count where usage was given, else the program's
 * @param outputTokens     the server's output count where usage was given, else the tokens counted in chunks
 * @param outputSource     how {@code outputTokens} was known
 * @param chunkCountsHold  whether the per-chunk counts add up to {@code outputTokens}; when not, no
 *                         chunk is known to carry one token and its gaps are not itl
 * @param failed           whether the program marked it failed
 */
record FinishedCall(RequestTrace trace, long promptTokens, long outputTokens, TokenCountSource outputSource,
                    boolean chunkCountsHold, boolean failed) {}

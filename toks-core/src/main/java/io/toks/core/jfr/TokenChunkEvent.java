package io.toks.core.jfr;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** Output that arrived: one engine token or one streamed chunk. */
@Name("toks.TokenChunk")
@Label("Token chunk")
@Description("Generated output arrived: how many tokens, and how that count was known")
final class TokenChunkEvent extends TimedEvent {
    @Label("Source") String source;
    @Label("Tokens") int tokens;
    @Label("Count source") String countSource;
    @Label("Request id") long requestId;
}

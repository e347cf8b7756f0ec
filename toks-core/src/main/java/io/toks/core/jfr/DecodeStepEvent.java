package io.toks.core.jfr;

import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * One decode step of the engine: a token for each of {@code sequences} sequences, and in a
 * server's step also {@code promptTokens} tokens of prompts being prefilled alongside.
 */
@Name("toks.DecodeStep")
@Label("Decode step")
final class DecodeStepEvent extends TimedEvent {
    @Label("Position") int position;
    @Label("Sequences") int sequences;
    @Label("Prompt tokens") int promptTokens;
}

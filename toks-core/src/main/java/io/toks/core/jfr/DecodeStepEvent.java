package io.toks.core.jfr;

import jdk.jfr.Label;
import jdk.jfr.Name;

/** One decode step of the engine: a token for each of {@code sequences} sequences. */
@Name("toks.DecodeStep")
@Label("Decode step")
final class DecodeStepEvent extends TimedEvent {
    @Label("Position") int position;
    @Label("Sequences") int sequences;
}

package io.toks.core.jfr;

import jdk.jfr.Label;
import jdk.jfr.Name;

/** A prefill pass of the engine over prompt tokens. */
@Name("toks.Prefill")
@Label("Prefill")
final class PrefillEvent extends TimedEvent {
    @Label("Tokens") int tokens;
    @Label("First position") int position;
}

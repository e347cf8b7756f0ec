package io.toks.core.jfr;

import jdk.jfr.Label;
import jdk.jfr.Name;

/** One optimizer step of a training loop. */
@Name("toks.TrainingStep")
@Label("Training step")
final class TrainingStepEvent extends TimedEvent {
    @Label("Tokens") long tokens;
    @Label("Loss") double loss;
}

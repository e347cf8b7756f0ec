package io.toks.core.jfr;

import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * One operation inside a forward pass: a matrix product, attention, a norm, sampling, tokenization.
 * Off unless a recording turns it on (--profile-kernels): about ten per block per token, too many
 * for an always-on recording of a small model.
 */
@Enabled(false)
@Name("toks.Kernel")
@Label("Kernel")
final class KernelEvent extends TimedEvent {
    @Label("Operation") String op;
    @Label("Weight type") String type;
    @Label("Layer") int layer;
    @Label("Rows") int rows;
    @Label("Tokens") int tokens;
}

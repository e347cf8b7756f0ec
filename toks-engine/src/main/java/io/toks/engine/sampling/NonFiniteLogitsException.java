package io.toks.engine.sampling;

import io.toks.core.ToksException;

/**
 * The model's output was NaN or infinite, so no token can be chosen: its weights or
 * hyper-parameters hold NaN or infinity (a corrupt or wrongly converted file). Without this a
 * greedy argmax over NaN picks token 0 every time and the run "succeeds" with nonsense.
 */
public final class NonFiniteLogitsException extends ToksException {

    NonFiniteLogitsException(float value) {
        super("the model's output (logits) is " + value + ", not a number the sampler can use: the file's weights or"
                + " hyper-parameters hold NaN or infinity");
    }
}

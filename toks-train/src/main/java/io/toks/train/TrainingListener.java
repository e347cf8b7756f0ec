package io.toks.train;

/** Told of each step and each validation loss as training runs (progress displays, logs). */
public interface TrainingListener {

    void step(StepRecord step);

    /** The validation loss after {@code step} steps. */
    default void validation(int step, double loss) {}

    TrainingListener NONE = step -> {};
}

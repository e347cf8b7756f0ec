package io.toks.engine.parallel;

/** Work over the index range [from, to), e.g. rows of a matrix. */
@FunctionalInterface
public interface RangeTask {
    void run(int from, int to);
}

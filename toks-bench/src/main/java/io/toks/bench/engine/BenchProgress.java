package io.toks.bench.engine;

/** Told what a sweep is doing as it goes, so long sweeps show they are alive. */
@FunctionalInterface
public interface BenchProgress {

    /** The untimed JIT warm-up of a model begins (it lasts about {@code millis}). */
    default void warmingUp(long millis) {}

    /** A test ({@code what}, e.g. "tg128 t=2") begins its warm-ups and {@code repetitions} timed runs. */
    default void testStarted(String what, int repetitions) {}

    /** A timed repetition ended; the last one ends the test, whose result is reported next. */
    void repetitionDone(String what, int repetition, int of, double tokensPerSecond);

    BenchProgress SILENT = (what, rep, of, tps) -> {};
}

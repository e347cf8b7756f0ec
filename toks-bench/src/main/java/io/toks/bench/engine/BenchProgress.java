package io.toks.bench.engine;

/** Told about each repetition as it finishes, so long sweeps show they are alive. */
@FunctionalInterface
public interface BenchProgress {

    void repetitionDone(String what, int repetition, int of, double tokensPerSecond);

    BenchProgress SILENT = (what, rep, of, tps) -> {};
}
